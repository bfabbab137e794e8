// Replay: access-log files sent to a Firehose stream, as Lattice would have, in PutRecordBatch
// calls within Firehose's limits, re-sending only what failed.
export { type BatchLimits, batchRecords, PUT_RECORD_BATCH_LIMITS } from './batch-records.ts';
export { type LogLine, readLogLines } from './read-log-lines.ts';
export type {
  RecordFailure,
  ReplayOptions,
  ReplayReport,
  SendRecordBatch,
} from './replay-records.ts';
export { replayRecords } from './replay-records.ts';
export { deliveryStreamNameOf } from './stream-name.ts';
