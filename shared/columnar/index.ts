// Summary files: the columnar (Parquet) form of call patterns, and where they live in the store.
export { decodeSummary } from './decode-summary.ts';
export { encodeSummary } from './encode-summary.ts';
export { groupByHour } from './group-by-hour.ts';
export {
  SUMMARY_COLUMNS,
  SUMMARY_PARTITIONS,
  type SummaryColumn,
  type SummaryColumnType,
  type SummaryField,
} from './schema.ts';
export { SummaryFormatError } from './summary-format-error.ts';
export { parseSummaryKey, type SummaryKeyParts, summaryKey } from './summary-key.ts';
