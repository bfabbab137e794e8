// A keyed collection of call patterns: memory grows with distinct patterns, never with requests.
import { CallPatternTable } from './call-pattern-table.ts';
import type { CallPattern, CallPatternKey } from './types.ts';

/**
 * Call patterns merged by key. Keys are compared through the ids of their strings
 * (CallPatternTable), not as one joined string per pattern.
 */
export class PatternSet {
  readonly #table: CallPatternTable;

  /** See CallPatternTable: false when the patterns added hold no views into log text. */
  constructor(isFromLogText = true) {
    this.#table = new CallPatternTable(isFromLogText);
  }

  get size(): number {
    return this.#table.size;
  }

  /** Adds a pattern; the set keeps its own copy, so the caller's object is never changed. */
  add(pattern: CallPattern): void {
    this.#table.add(pattern);
  }

  addAll(patterns: Iterable<CallPattern>): void {
    for (const pattern of patterns) this.add(pattern);
  }

  /** The patterns sorted by key. */
  toArray(): CallPattern[] {
    return this.#table.toArray();
  }
}

/** Merges any number of pattern lists into one sorted list with one pattern per key. */
export function mergePatternLists(lists: Iterable<readonly CallPattern[]>): CallPattern[] {
  const set = new PatternSet();
  for (const list of lists) set.addAll(list);
  return set.toArray();
}

/**
 * Re-keys patterns (e.g. drops the hour to merge a window, or applies learned path templates)
 * and merges the ones that now share a key.
 */
export function rekeyPatterns(
  patterns: Iterable<CallPattern>,
  rekey: (key: CallPatternKey) => CallPatternKey,
): CallPattern[] {
  const set = new PatternSet();
  // One scratch object: the set copies a pattern only when its key is new.
  const scratch = {} as CallPattern;
  for (const pattern of patterns) set.add(Object.assign(scratch, pattern, rekey(pattern)));
  return set.toArray();
}
