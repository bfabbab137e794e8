// The Firehose transform: Lattice access-log records in, enriched and partitioned JSON lines out.
export { decodeRecordData } from './decode-record.ts';
export { deriveFields, partitionKeysOf, serviceIdOf } from './enrich-record.ts';
export { MAX_RESPONSE_BYTES } from './response-budget.ts';
export type { TransformBatch, TransformOptions } from './transform-records.ts';
export { transformRecords } from './transform-records.ts';
export type {
  DerivedFields,
  PartitionKeys,
  TransformFailure,
  TransformFailureKind,
} from './types.ts';
export { DERIVED_FIELDS_KEY } from './types.ts';
