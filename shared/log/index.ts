// The access-log capability: VPC Lattice JSON-lines logs in, validated records (or precise
// rejections) out. Everything else in this folder is private to it.

export type { ByteLineReader } from './byte-lines.ts';
export {
  type FastAccessLogRecord,
  type FastResourceRecord,
  type FastServiceRecord,
  hourStartMsOf,
  type ServiceLayoutField,
  serviceLayoutFields,
} from './fast-parse.ts';
export { formatRejection } from './format-rejection.ts';
export { CorruptInputError, InputError } from './input-errors.ts';
export { parseAccessLogLine } from './parse-line.ts';
export {
  type AccessLogScan,
  type AccessLogVisitor,
  claimAccessLogScan,
  MAX_LINE_CHARS,
  parseAccessLogStream,
  parseAccessLogStreamBatches,
  type ScanStreamOptions,
  scanAccessLogStream,
} from './parse-stream.ts';
export type { AccessLogFile, ReadAccessLogsOptions } from './read-logs.ts';
export {
  listAccessLogFiles,
  readAccessLogBatches,
  readAccessLogs,
  scanAccessLogs,
} from './read-logs.ts';
export {
  type AccessLogScanPiece,
  planAccessLogScan,
  type ScanPlanOptions,
  scanAccessLogPiece,
} from './scan-plan.ts';
export type {
  AccessLogRecord,
  JsonValue,
  ParsedLine,
  RecordLocation,
  RejectedLine,
  ResourceAccessLogRecord,
  ServiceAccessLogRecord,
} from './types.ts';
