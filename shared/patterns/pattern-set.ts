// A keyed collection of call patterns: memory grows with distinct patterns, never with requests.
import { copyPattern, mergeInto, patternKeyString, sortPatterns } from './merge-patterns.ts';
import type { CallPattern, CallPatternKey } from './types.ts';

export class PatternSet {
  readonly #byKey = new Map<string, CallPattern>();

  get size(): number {
    return this.#byKey.size;
  }

  /** Adds a pattern; the set keeps its own copy, so the caller's object is never changed. */
  add(pattern: CallPattern): void {
    const key = patternKeyString(pattern);
    const existing = this.#byKey.get(key);
    if (existing === undefined) this.#byKey.set(key, copyPattern(pattern));
    else mergeInto(existing, pattern);
  }

  addAll(patterns: Iterable<CallPattern>): void {
    for (const pattern of patterns) this.add(pattern);
  }

  /** The patterns sorted by key. */
  toArray(): CallPattern[] {
    return sortPatterns([...this.#byKey.values()]);
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
  for (const pattern of patterns) set.add(Object.assign(copyPattern(pattern), rekey(pattern)));
  return set.toArray();
}
