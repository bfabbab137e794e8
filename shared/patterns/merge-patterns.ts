// Merging call patterns: a commutative monoid, so summaries can be combined in any order and grouping.
import { MAX_EXAMPLES } from './call-pattern.ts';
import type { CallPattern, CallPatternKey } from './types.ts';

const KEY_FIELDS = [
  'hour',
  'recordKind',
  'serviceNetworkArn',
  'serviceArn',
  'callerPrincipal',
  'callerKind',
  'callerAccount',
  'callerX509SubjectCN',
  'requestMethod',
  'pathTemplate',
  'sourceVpcId',
] as const satisfies readonly (keyof CallPatternKey)[];

/** A string that is equal for two patterns exactly when their keys are equal. */
export function patternKeyString(key: CallPatternKey): string {
  // NUL cannot appear in a JSON-decoded log field we key on without being escaped, so it separates safely.
  return KEY_FIELDS.map((field) => key[field]).join('\u0000');
}

/** The smallest `limit` distinct values of both lists, sorted: order-free, so merge stays commutative. */
function smallestDistinct(a: readonly string[], b: readonly string[], limit: number): string[] {
  if (b.length === 0 && a.length <= limit) return a.slice();
  const all = [...new Set([...a, ...b])];
  all.sort();
  return all.length > limit ? all.slice(0, limit) : all;
}

/** Folds `b` into a copy of `a`. Both must have the same key; the key of `a` is kept. */
export function mergePatterns(a: CallPattern, b: CallPattern): CallPattern {
  return {
    ...a,
    requests: a.requests + b.requests,
    status1xx: a.status1xx + b.status1xx,
    status2xx: a.status2xx + b.status2xx,
    status3xx: a.status3xx + b.status3xx,
    status4xx: a.status4xx + b.status4xx,
    status5xx: a.status5xx + b.status5xx,
    authDenied: a.authDenied + b.authDenied,
    other4xx: a.other4xx + b.other4xx,
    bytesReceived: a.bytesReceived + b.bytesReceived,
    bytesSent: a.bytesSent + b.bytesSent,
    durationSumMs: a.durationSumMs + b.durationSumMs,
    durationMaxMs: Math.max(a.durationMaxMs, b.durationMaxMs),
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    examplePaths: smallestDistinct(a.examplePaths, b.examplePaths, MAX_EXAMPLES),
    sessionNames: smallestDistinct(a.sessionNames, b.sessionNames, MAX_EXAMPLES),
  };
}

/** Sorts patterns by key, the order every output uses so that files are byte-identical across runs. */
export function sortPatterns(patterns: CallPattern[]): CallPattern[] {
  const keyed = patterns.map((pattern) => ({ key: patternKeyString(pattern), pattern }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((entry) => entry.pattern);
}
