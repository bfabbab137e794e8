// Call patterns: the aggregate every summary, policy and report is built from.
export { callPatternOf, MAX_EXAMPLES } from './call-pattern.ts';
export { CallPatternBuilder } from './call-pattern-builder.ts';
export { CallPatternTable } from './call-pattern-table.ts';
export { HOUR_MS, hourOf, hourStartMs } from './hour.ts';
export {
  copyPattern,
  mergeInto,
  mergePatterns,
  mergeSortedPatterns,
  patternKeyString,
  sortPatterns,
} from './merge-patterns.ts';
export { type PackedPatterns, packPatterns, unpackPatterns } from './packed-patterns.ts';
export { mergePatternLists, PatternSet, rekeyPatterns } from './pattern-set.ts';
export type { CallPattern, CallPatternCounters, CallPatternKey } from './types.ts';
