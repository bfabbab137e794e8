// The one declared schema of a summary Parquet file: column names, logical types and meanings,
// shared by the encoder, the decoder, the README and the Glue table.
import type { SchemaElement } from 'hyparquet';
import type { CallerKind } from '../identity/types.ts';
import type { CallPattern } from '../patterns/types.ts';

/**
 * Logical column types, spelled as Glue/Athena spell them. Parquet mapping:
 * `string` → BYTE_ARRAY (UTF8); `bigint` → INT64; `timestamp` → INT64 TIMESTAMP_MILLIS (epoch ms,
 * UTC); `array<string>` → the standard 3-level LIST of UTF8.
 */
export type SummaryColumnType = 'string' | 'bigint' | 'timestamp' | 'array<string>';

/** Every CallPattern field is a column except `hour`: the object key's (dt, hour) partition holds it. */
export type SummaryField = Exclude<keyof CallPattern, 'hour'>;

type ColumnTypeOf<K extends SummaryField> = CallPattern[K] extends string
  ? 'string'
  : CallPattern[K] extends number
    ? 'bigint' | 'timestamp'
    : CallPattern[K] extends readonly string[]
      ? 'array<string>'
      : never;

interface ColumnDefinition<K extends SummaryField> {
  type: ColumnTypeOf<K>;
  description: string;
  /** The only values a string column may hold, when the field is an enumeration. */
  allowedValues?: readonly CallPattern[K][];
}

/** One column of a summary file; `name` is the CallPattern field name. */
export type SummaryColumn = {
  [K in SummaryField]: { readonly name: K } & Readonly<ColumnDefinition<K>>;
}[SummaryField];

// A Record, not an array, so the compiler rejects a CallPattern field without a column (and a
// column without a field); key order is the column order.
const CALLER_KINDS: Record<CallerKind, true> = {
  role: true,
  user: true,
  root: true,
  principal: true,
  anonymous: true,
};

const COLUMN_DEFINITIONS: { [K in SummaryField]: ColumnDefinition<K> } = {
  recordKind: {
    type: 'string',
    description:
      '`service` for HTTP service traffic, `resource` for TCP resource-configuration traffic.',
    allowedValues: ['service', 'resource'],
  },
  serviceNetworkArn: { type: 'string', description: 'ARN of the service network.' },
  serviceArn: {
    type: 'string',
    description: 'The service ARN, or for resource traffic the resource configuration ARN.',
  },
  callerPrincipal: {
    type: 'string',
    description:
      'Normalized principal: a role ARN (never a session), user ARN, root ARN, or `anonymous`.',
  },
  callerKind: {
    type: 'string',
    description: 'Kind of caller: `role`, `user`, `root`, `principal` or `anonymous`.',
    allowedValues: Object.keys(CALLER_KINDS) as CallerKind[],
  },
  callerAccount: {
    type: 'string',
    description:
      "The caller's account (or the source VPC owner for anonymous callers); '' if unknown.",
  },
  callerX509SubjectCN: {
    type: 'string',
    description: "Subject CN of a Roles Anywhere certificate; '' otherwise.",
  },
  requestMethod: {
    type: 'string',
    description: 'HTTP method; for resource traffic the protocol (e.g. `TCP`).',
  },
  pathTemplate: {
    type: 'string',
    description:
      'Templated path (`/orders/{id}`); for resource traffic the destination port (`:5432`).',
  },
  sourceVpcId: { type: 'string', description: 'The VPC the requests came from.' },
  requests: { type: 'bigint', description: 'Number of requests.' },
  status1xx: { type: 'bigint', description: 'Requests answered with a 1xx status.' },
  status2xx: { type: 'bigint', description: 'Requests answered with a 2xx status.' },
  status3xx: { type: 'bigint', description: 'Requests answered with a 3xx status.' },
  status4xx: { type: 'bigint', description: 'Requests answered with a 4xx status.' },
  status5xx: { type: 'bigint', description: 'Requests answered with a 5xx status.' },
  authDenied: {
    type: 'bigint',
    description: '403 answers that carry an `authDeniedReason`: the auth policy said no.',
  },
  other4xx: { type: 'bigint', description: '4xx answers other than auth denials.' },
  bytesReceived: { type: 'bigint', description: 'Sum of bytes received from the callers.' },
  bytesSent: { type: 'bigint', description: 'Sum of bytes sent to the callers.' },
  durationSumMs: { type: 'bigint', description: 'Sum of request durations, in milliseconds.' },
  durationMaxMs: { type: 'bigint', description: 'Longest request duration, in milliseconds.' },
  firstSeen: {
    type: 'timestamp',
    description:
      'Start of the earliest request (ms precision, UTC); its hour is the partition hour.',
  },
  lastSeen: { type: 'timestamp', description: 'Start of the latest request (ms precision, UTC).' },
  examplePaths: {
    type: 'array<string>',
    description: 'A few raw request paths (query stripped), the smallest distinct ones.',
  },
  sessionNames: {
    type: 'array<string>',
    description:
      'A few STS session names seen for an assumed-role caller, the smallest distinct ones.',
  },
};

/** The summary columns, in file order. */
export const SUMMARY_COLUMNS: readonly SummaryColumn[] = Object.freeze(
  (Object.keys(COLUMN_DEFINITIONS) as SummaryField[]).map(
    (name) => Object.freeze({ name, ...COLUMN_DEFINITIONS[name] }) as SummaryColumn,
  ),
);

/** The Hive-style partition columns of the summary key layout (not stored in the files). */
export const SUMMARY_PARTITIONS = Object.freeze([
  Object.freeze({ name: 'dt', type: 'string', description: 'UTC day of firstSeen, `YYYY-MM-DD`.' }),
  Object.freeze({ name: 'hour', type: 'string', description: 'UTC hour of firstSeen, `HH`.' }),
] as const);

const STRING_ELEMENT = { type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const;

function parquetElements(column: SummaryColumn): SchemaElement[] {
  const { name } = column;
  switch (column.type) {
    case 'string':
      return [{ name, ...STRING_ELEMENT, repetition_type: 'REQUIRED' }];
    case 'bigint':
      return [{ name, type: 'INT64', repetition_type: 'REQUIRED' }];
    case 'timestamp':
      // The legacy converted type alone means "UTC instant" to the Parquet spec, and DuckDB and
      // Athena read it as a plain TIMESTAMP; adding the TIMESTAMP logical type with
      // isAdjustedToUTC makes DuckDB report TIMESTAMP WITH TIME ZONE instead.
      return [
        { name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' },
      ];
    case 'array<string>':
      return [
        { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', ...STRING_ELEMENT, repetition_type: 'REQUIRED' },
      ];
  }
}

/** The flattened Parquet schema (root first) that the encoder writes. */
export const SUMMARY_PARQUET_SCHEMA: readonly SchemaElement[] = [
  { name: 'schema', num_children: SUMMARY_COLUMNS.length },
  ...SUMMARY_COLUMNS.flatMap(parquetElements),
];
