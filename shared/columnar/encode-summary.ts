// Writes call patterns as a summary Parquet file: the declared schema, rows in one total order,
// SNAPPY pages, so the same patterns always give the same bytes (idempotent re-runs).
import type { DecodedArray } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { CallPattern } from '../patterns/types.ts';
import {
  SUMMARY_COLUMNS,
  SUMMARY_PARQUET_SCHEMA,
  type SummaryColumn,
  type SummaryField,
} from './schema.ts';
import { isSummaryHour, utcHourOf } from './summary-key.ts';

// One row group for any realistic summary (distinct patterns of one log object); DuckDB and
// Athena split work by row group, so very large summaries still get a few.
const ROW_GROUP_ROWS = 100_000;
const HOUR_MS = 3_600_000;

/**
 * Encodes `patterns` as a summary Parquet file (SNAPPY-compressed). Rows are sorted by the
 * columns in schema order, so the bytes do not depend on the input order. `hour` is not stored:
 * it must be the UTC hour of `firstSeen`, which is how the decoder restores it.
 * Strings are stored as UTF-8, so a lone surrogate comes back as U+FFFD.
 * @throws RangeError when a pattern's numbers are not safe integers or its hour is not firstSeen's.
 */
export function encodeSummary(patterns: readonly CallPattern[]): Uint8Array {
  checkHours(patterns);
  const columns = SUMMARY_COLUMNS.map((column) => extractColumn(column, patterns));
  const order = sortOrder(columns, patterns.length);
  const buffer = parquetWriteBuffer({
    columnData: SUMMARY_COLUMNS.map((column, k) => ({
      name: column.name,
      data: inOrder(columns[k] as ExtractedColumn, order),
    })),
    schema: [...SUMMARY_PARQUET_SCHEMA],
    codec: 'SNAPPY',
    rowGroupSize: ROW_GROUP_ROWS,
    createdBy: 'lattice-lens',
  });
  return new Uint8Array(buffer);
}

// Column-wise values: sorting row indexes over typed arrays is 2-3x faster (measured) than
// comparing pattern objects field by field through dynamic keys.
type ExtractedColumn =
  | { kind: 'string'; values: string[] }
  | { kind: 'integer'; values: Float64Array }
  | { kind: 'list'; values: string[][] };

function checkHours(patterns: readonly CallPattern[]): void {
  // Few distinct hours per summary: validate each once, then a range check per pattern.
  const hourStarts = new Map<string, number>();
  patterns.forEach((pattern, index) => {
    let start = hourStarts.get(pattern.hour);
    if (start === undefined) {
      start = isSummaryHour(pattern.hour) ? Date.parse(`${pattern.hour}:00:00.000Z`) : Number.NaN;
      hourStarts.set(pattern.hour, start);
    }
    const offset = pattern.firstSeen - start;
    if (!(offset >= 0 && offset < HOUR_MS)) {
      throw new RangeError(
        `encodeSummary: pattern ${index} hour ${JSON.stringify(pattern.hour)} is not the UTC ` +
          `hour of its firstSeen (${JSON.stringify(utcHourOf(pattern.firstSeen))})`,
      );
    }
  });
}

// Static property reads, one function per column: reading `pattern[column.name]` with a computed
// name is several times slower per value.
const FIELD_READERS: { [K in SummaryField]: (pattern: CallPattern) => CallPattern[K] } = {
  recordKind: (p) => p.recordKind,
  serviceNetworkArn: (p) => p.serviceNetworkArn,
  serviceArn: (p) => p.serviceArn,
  callerPrincipal: (p) => p.callerPrincipal,
  callerKind: (p) => p.callerKind,
  callerAccount: (p) => p.callerAccount,
  callerX509SubjectCN: (p) => p.callerX509SubjectCN,
  requestMethod: (p) => p.requestMethod,
  pathTemplate: (p) => p.pathTemplate,
  sourceVpcId: (p) => p.sourceVpcId,
  requests: (p) => p.requests,
  status1xx: (p) => p.status1xx,
  status2xx: (p) => p.status2xx,
  status3xx: (p) => p.status3xx,
  status4xx: (p) => p.status4xx,
  status5xx: (p) => p.status5xx,
  authDenied: (p) => p.authDenied,
  other4xx: (p) => p.other4xx,
  bytesReceived: (p) => p.bytesReceived,
  bytesSent: (p) => p.bytesSent,
  durationSumMs: (p) => p.durationSumMs,
  durationMaxMs: (p) => p.durationMaxMs,
  firstSeen: (p) => p.firstSeen,
  lastSeen: (p) => p.lastSeen,
  examplePaths: (p) => p.examplePaths,
  sessionNames: (p) => p.sessionNames,
};

function extractColumn(column: SummaryColumn, patterns: readonly CallPattern[]): ExtractedColumn {
  const read = FIELD_READERS[column.name] as (pattern: CallPattern) => unknown;
  const count = patterns.length;
  switch (column.type) {
    case 'string': {
      const values = new Array<string>(count);
      for (let i = 0; i < count; i++) values[i] = read(patterns[i] as CallPattern) as string;
      return { kind: 'string', values };
    }
    case 'bigint':
    case 'timestamp': {
      const values = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const value = read(patterns[i] as CallPattern) as number;
        if (!Number.isSafeInteger(value)) {
          throw new RangeError(
            `encodeSummary: pattern ${i} ${column.name} is ${value}, expected a safe integer`,
          );
        }
        values[i] = value;
      }
      return { kind: 'integer', values };
    }
    case 'array<string>': {
      const values = new Array<string[]>(count);
      for (let i = 0; i < count; i++) values[i] = read(patterns[i] as CallPattern) as string[];
      return { kind: 'list', values };
    }
  }
}

function compareStrings(a: string, b: string): number {
  // The same string object, as aggregation shares them, compares equal without reading it.
  if (a === b) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLists(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareStrings(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function rankStrings(values: readonly string[]): Float64Array {
  const distinct = [...new Set(values)].sort(compareStrings);
  const rank = new Map(distinct.map((value, index) => [value, index]));
  return Float64Array.from(values, (value) => rank.get(value) as number);
}

// A total order over every stored column (scalar columns in schema order, then list columns),
// so rows that compare equal are identical and the bytes do not depend on the caller's order.
// Patterns usually arrive sorted already (aggregation sorts by key, and the key columns come
// first): one pass confirms it. Otherwise strings are replaced by their rank among the column's
// distinct values first: a summary has few distinct services, principals and paths, and
// comparing numbers is much cheaper.
function sortOrder(columns: readonly ExtractedColumn[], rowCount: number): Uint32Array | undefined {
  if (isSorted(columns, rowCount)) return undefined;
  const scalars: Float64Array[] = [];
  const lists: string[][][] = [];
  for (const column of columns) {
    if (column.kind === 'string') scalars.push(rankStrings(column.values));
    else if (column.kind === 'integer') scalars.push(column.values);
    else lists.push(column.values);
  }
  const order = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) order[i] = i;
  return order.sort((i, j) => {
    for (const values of scalars) {
      const result = (values[i] as number) - (values[j] as number);
      if (result !== 0) return result;
    }
    for (const values of lists) {
      const result = compareLists(values[i] as string[], values[j] as string[]);
      if (result !== 0) return result;
    }
    return 0;
  });
}

/** Whether every row is in sortOrder's order after the one before it. */
function isSorted(columns: readonly ExtractedColumn[], rowCount: number): boolean {
  for (let row = 1; row < rowCount; row++) {
    const order = compareRows(columns, row - 1, row);
    if (order > 0) return false;
  }
  return true;
}

function compareRows(columns: readonly ExtractedColumn[], i: number, j: number): number {
  for (const column of columns) {
    if (column.kind === 'string') {
      const order = compareStrings(column.values[i] as string, column.values[j] as string);
      if (order !== 0) return order;
    } else if (column.kind === 'integer') {
      const order = (column.values[i] as number) - (column.values[j] as number);
      if (order !== 0) return order;
    }
  }
  for (const column of columns) {
    if (column.kind !== 'list') continue;
    const order = compareLists(column.values[i] as string[], column.values[j] as string[]);
    if (order !== 0) return order;
  }
  return 0;
}

function inOrder(column: ExtractedColumn, order: Uint32Array | undefined): DecodedArray {
  if (column.kind === 'integer') return toInt64(column.values, order);
  const values: (string | string[])[] = column.values;
  return order === undefined ? values : Array.from(order, (i) => values[i] as string | string[]);
}

// Typed arrays use the platform's byte order; the word-wise copy below assumes little-endian.
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_TO_32 = 4_294_967_296;

/**
 * The safe integers of `values` (in `order`) as an INT64 column. Written as two 32-bit words
 * each rather than through BigInt(value), which allocates a BigInt per value.
 */
function toInt64(values: Float64Array, order: Uint32Array | undefined): BigInt64Array {
  const count = values.length;
  const int64 = new BigInt64Array(count);
  if (!IS_LITTLE_ENDIAN) {
    for (let k = 0; k < count; k++)
      int64[k] = BigInt(values[order === undefined ? k : (order[k] as number)] as number);
    return int64;
  }
  const words = new Int32Array(int64.buffer);
  for (let k = 0; k < count; k++) {
    const value = values[order === undefined ? k : (order[k] as number)] as number;
    const high = Math.floor(value / TWO_TO_32);
    words[2 * k] = (value - high * TWO_TO_32) | 0;
    words[2 * k + 1] = high;
  }
  return int64;
}
