// The first and last time a set of patterns (or anything with firstSeen/lastSeen) was seen.
// A loop, not Math.min(...spread): a long window holds more items than the call stack has room for.

export interface SeenRange {
  first: number;
  last: number;
}

/** { first: +Infinity, last: -Infinity } for no items. */
export function seenRange(items: Iterable<{ firstSeen: number; lastSeen: number }>): SeenRange {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    if (item.firstSeen < first) first = item.firstSeen;
    if (item.lastSeen > last) last = item.lastSeen;
  }
  return { first, last };
}
