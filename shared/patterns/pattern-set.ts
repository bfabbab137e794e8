// A keyed collection of call patterns: memory grows with distinct patterns, never with requests.
import { copyPattern, mergeInto, patternKeyString, sortPatterns } from './merge-patterns.ts';
import { BoundedMemo, detachString } from './retained-strings.ts';
import type { CallPattern, CallPatternKey } from './types.ts';

export class PatternSet {
  readonly #byKey = new Map<string, CallPattern>();
  /** One copy of each key string the patterns share (services, principals, templates …). */
  readonly #strings = new BoundedMemo<string>(16_384);

  get size(): number {
    return this.#byKey.size;
  }

  /** Adds a pattern; the set keeps its own copy, so the caller's object is never changed. */
  add(pattern: CallPattern): void {
    const key = patternKeyString(pattern);
    const existing = this.#byKey.get(key);
    if (existing === undefined) {
      this.#byKey.set(key, this.#retained(pattern));
      return;
    }
    const { examplePaths, sessionNames } = existing;
    mergeInto(existing, pattern);
    // New examples may be views into the caller's text (see detachString).
    if (existing.examplePaths !== examplePaths) {
      existing.examplePaths = existing.examplePaths.map(detachString);
    }
    if (existing.sessionNames !== sessionNames) {
      existing.sessionNames = existing.sessionNames.map(detachString);
    }
  }

  addAll(patterns: Iterable<CallPattern>): void {
    for (const pattern of patterns) this.add(pattern);
  }

  /**
   * The set's copy of a new pattern: its strings owned (not views into a log chunk) and shared
   * with the other patterns, since a summary holds many patterns per service and principal.
   */
  #retained(pattern: CallPattern): CallPattern {
    const copy = copyPattern(pattern);
    copy.hour = this.#shared(copy.hour);
    copy.serviceNetworkArn = this.#shared(copy.serviceNetworkArn);
    copy.serviceArn = this.#shared(copy.serviceArn);
    copy.callerPrincipal = this.#shared(copy.callerPrincipal);
    copy.callerAccount = this.#shared(copy.callerAccount);
    copy.callerX509SubjectCN = this.#shared(copy.callerX509SubjectCN);
    copy.requestMethod = this.#shared(copy.requestMethod);
    copy.pathTemplate = this.#shared(copy.pathTemplate);
    copy.sourceVpcId = this.#shared(copy.sourceVpcId);
    copy.examplePaths = copy.examplePaths.map(detachString);
    copy.sessionNames = copy.sessionNames.map(detachString);
    return copy;
  }

  #shared(text: string): string {
    let shared = this.#strings.get(text);
    if (shared === undefined) {
      shared = detachString(text);
      this.#strings.set(shared, shared);
    }
    return shared;
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
