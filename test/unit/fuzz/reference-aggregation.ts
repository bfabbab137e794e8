// The plainest pattern accumulator, kept as the reference the fast aggregation is compared with:
// patterns keyed by their joined key string, merged with mergeInto, sorted with sortPatterns.
import {
  type CallPattern,
  copyPattern,
  mergeInto,
  patternKeyString,
  sortPatterns,
} from '../../../shared/patterns/index.ts';

export function referencePatternSet(): {
  add(pattern: CallPattern): void;
  toArray(): CallPattern[];
} {
  const byKey = new Map<string, CallPattern>();
  return {
    add(pattern) {
      const key = patternKeyString(pattern);
      const existing = byKey.get(key);
      if (existing === undefined) byKey.set(key, copyPattern(pattern));
      else mergeInto(existing, pattern);
    },
    toArray: () => sortPatterns([...byKey.values()]),
  };
}
