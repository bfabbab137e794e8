// Merging call patterns: a commutative monoid, so summaries can be combined in any order and grouping.
import { MAX_EXAMPLES } from './call-pattern.ts';
import { KEY_FIELDS } from './key-fields.ts';
import type { CallPattern, CallPatternKey } from './types.ts';

/** A string that is equal for two patterns exactly when their keys are equal. */
export function patternKeyString(key: CallPatternKey): string {
  // NUL cannot appear in a JSON-decoded log field we key on without being escaped, so it separates
  // safely. Spelled out, not mapped over a field list and joined: this runs once per request.
  return `${key.hour}\u0000${key.recordKind}\u0000${key.serviceNetworkArn}\u0000${key.serviceArn}\u0000${key.callerPrincipal}\u0000${key.callerKind}\u0000${key.callerAccount}\u0000${key.callerX509SubjectCN}\u0000${key.requestMethod}\u0000${key.pathTemplate}\u0000${key.sourceVpcId}`;
}

/** The smallest `limit` distinct values of both lists, sorted: order-free, so merge stays commutative. */
function smallestDistinct(a: readonly string[], b: readonly string[], limit: number): string[] {
  if (b.length === 0 && a.length <= limit) return a.slice();
  // Aggregation folds in one request at a time, so one new value into a kept list: put it in
  // place rather than build, dedupe and sort a union (the same result for a sorted, distinct `a`).
  if (b.length === 1 && a.length <= limit && isSortedDistinct(a)) {
    return withValue(a, b[0] as string, limit);
  }
  const all = [...new Set([...a, ...b])];
  all.sort();
  return all.length > limit ? all.slice(0, limit) : all;
}

function isSortedDistinct(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) {
    if (!((values[i - 1] as string) < (values[i] as string))) return false;
  }
  return true;
}

/** `sorted` (sorted, distinct) with `value` in its place, at most `limit` long. */
function withValue(sorted: readonly string[], value: string, limit: number): string[] {
  let at = 0;
  while (at < sorted.length && (sorted[at] as string) < value) at++;
  if (sorted[at] === value || at >= limit) return sorted.slice(0, limit);
  const result = sorted.slice(0, at);
  result.push(value);
  for (let i = at; i < sorted.length && result.length < limit; i++) {
    result.push(sorted[i] as string);
  }
  return result;
}

/** A copy of a pattern that shares no arrays with it. Spelled out: object spread is slow here. */
export function copyPattern(p: CallPattern): CallPattern {
  return {
    hour: p.hour,
    recordKind: p.recordKind,
    serviceNetworkArn: p.serviceNetworkArn,
    serviceArn: p.serviceArn,
    callerPrincipal: p.callerPrincipal,
    callerKind: p.callerKind,
    callerAccount: p.callerAccount,
    callerX509SubjectCN: p.callerX509SubjectCN,
    requestMethod: p.requestMethod,
    pathTemplate: p.pathTemplate,
    sourceVpcId: p.sourceVpcId,
    requests: p.requests,
    status1xx: p.status1xx,
    status2xx: p.status2xx,
    status3xx: p.status3xx,
    status4xx: p.status4xx,
    status5xx: p.status5xx,
    authDenied: p.authDenied,
    other4xx: p.other4xx,
    bytesReceived: p.bytesReceived,
    bytesSent: p.bytesSent,
    durationSumMs: p.durationSumMs,
    durationMaxMs: p.durationMaxMs,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    examplePaths: p.examplePaths.slice(),
    sessionNames: p.sessionNames.slice(),
  };
}

/**
 * Folds the counters of `b` into `target` in place (same key assumed). The aggregation hot path:
 * one accumulator per pattern key, no allocation per request unless a new example shows up.
 */
export function mergeInto(target: CallPattern, b: CallPattern): void {
  target.requests += b.requests;
  target.status1xx += b.status1xx;
  target.status2xx += b.status2xx;
  target.status3xx += b.status3xx;
  target.status4xx += b.status4xx;
  target.status5xx += b.status5xx;
  target.authDenied += b.authDenied;
  target.other4xx += b.other4xx;
  target.bytesReceived += b.bytesReceived;
  target.bytesSent += b.bytesSent;
  target.durationSumMs += b.durationSumMs;
  if (b.durationMaxMs > target.durationMaxMs) target.durationMaxMs = b.durationMaxMs;
  if (b.firstSeen < target.firstSeen) target.firstSeen = b.firstSeen;
  if (b.lastSeen > target.lastSeen) target.lastSeen = b.lastSeen;
  if (changesExamples(target.examplePaths, b.examplePaths)) {
    target.examplePaths = smallestDistinct(target.examplePaths, b.examplePaths, MAX_EXAMPLES);
  }
  if (changesExamples(target.sessionNames, b.sessionNames)) {
    target.sessionNames = smallestDistinct(target.sessionNames, b.sessionNames, MAX_EXAMPLES);
  }
}

/**
 * False in the common case where merging `values` leaves `kept` (sorted, distinct) as it is:
 * each value is already kept, or the list is full and the value sorts after its last entry.
 */
function changesExamples(kept: readonly string[], values: readonly string[]): boolean {
  const last = kept[kept.length - 1];
  for (const value of values) {
    // The cheap test first: once the list is full, most new values sort after its last entry.
    if (kept.length >= MAX_EXAMPLES && last !== undefined && value > last) continue;
    if (kept.includes(value)) continue;
    return true;
  }
  return false;
}

/** Folds `b` into a copy of `a`. Both must have the same key; the key of `a` is kept. */
export function mergePatterns(a: CallPattern, b: CallPattern): CallPattern {
  const merged = copyPattern(a);
  mergeInto(merged, b);
  return merged;
}

/** Sorts patterns by key, the order every output uses so that files are byte-identical across runs. */
export function sortPatterns(patterns: CallPattern[]): CallPattern[] {
  const keyed = patterns.map((pattern) => ({ key: patternKeyString(pattern), pattern }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((entry) => entry.pattern);
}

/**
 * Two lists in sortPatterns' order merged into one in that order, the patterns of a key in both
 * folded into one: the one of `a`, changed in place. Linear, where sorting both again would not
 * be: two threads that read different parts of a log hold sorted lists with few keys in common.
 * No key string may hold a NUL (sortPatterns' order is then the fields' order, compared here).
 */
export function mergeSortedPatterns(a: CallPattern[], b: readonly CallPattern[]): CallPattern[] {
  const merged: CallPattern[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as CallPattern;
    const y = b[j] as CallPattern;
    const order = compareKeys(x, y);
    if (order <= 0) {
      if (order === 0) {
        mergeInto(x, y);
        j++;
      }
      merged.push(x);
      i++;
    } else {
      merged.push(y);
      j++;
    }
  }
  for (; i < a.length; i++) merged.push(a[i] as CallPattern);
  for (; j < b.length; j++) merged.push(b[j] as CallPattern);
  return merged;
}

function compareKeys(x: CallPatternKey, y: CallPatternKey): number {
  for (const field of KEY_FIELDS) {
    const u = x[field];
    const v = y[field];
    if (u !== v) return u < v ? -1 : 1;
  }
  return 0;
}
