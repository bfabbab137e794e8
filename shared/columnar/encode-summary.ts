// Writes call patterns as a summary Parquet file: the declared schema, rows in one total order,
// SNAPPY pages, so the same patterns always give the same bytes (idempotent re-runs).
import { HOUR_MS, hourStartMs } from '../patterns/hour.ts';
import type { CallPattern } from '../patterns/types.ts';
import { writeSummaryParquet } from './parquet-summary-writer.ts';
import { SUMMARY_COLUMNS, type SummaryColumn, type SummaryField } from './schema.ts';
import { isSummaryHour, utcHourOf } from './summary-key.ts';

// One row group for any realistic summary (distinct patterns of one log object); DuckDB and
// Athena split work by row group, so very large summaries still get a few.
const ROW_GROUP_ROWS = 100_000;

/**
 * Encodes `patterns` as a summary Parquet file (SNAPPY-compressed). Rows are sorted by the
 * columns in schema order, so the bytes do not depend on the input order. `hour` is not stored:
 * it must be the UTC hour of `firstSeen`, which is how the decoder restores it.
 * Strings are stored as UTF-8, so a lone surrogate comes back as U+FFFD.
 * @throws RangeError when a pattern's numbers are not safe integers or its hour is not firstSeen's.
 */
export function encodeSummary(patterns: readonly CallPattern[]): Uint8Array {
  checkHours(patterns);
  const columns = extractColumns(patterns);
  const order = sortOrder(columns, patterns.length);
  return writeSummaryParquet({
    columns,
    rowCount: patterns.length,
    order,
    rowGroupRows: ROW_GROUP_ROWS,
  });
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
      start = isSummaryHour(pattern.hour) ? hourStartMs(pattern.hour) : Number.NaN;
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

// The values of every stored column, by field, as extraction fills them.
type FieldValues = {
  [K in SummaryField]: CallPattern[K] extends string
    ? string[]
    : CallPattern[K] extends number
      ? Float64Array
      : string[][];
};

/**
 * The stored columns in schema order, read in one pass with static property names: a reader
 * per field called from one loop made each read a megamorphic call, and extraction cost 2.5x more
 * (measured). Counters that are not safe integers are kept as NaN until checkSafeIntegers.
 */
function extractColumns(patterns: readonly CallPattern[]): ExtractedColumn[] {
  const count = patterns.length;
  const strings = () => new Array<string>(count);
  const integers = () => new Float64Array(count);
  const field: FieldValues = {
    recordKind: strings(),
    serviceNetworkArn: strings(),
    serviceArn: strings(),
    callerPrincipal: strings(),
    callerKind: strings(),
    callerAccount: strings(),
    callerX509SubjectCN: strings(),
    requestMethod: strings(),
    pathTemplate: strings(),
    sourceVpcId: strings(),
    requests: integers(),
    status1xx: integers(),
    status2xx: integers(),
    status3xx: integers(),
    status4xx: integers(),
    status5xx: integers(),
    authDenied: integers(),
    other4xx: integers(),
    bytesReceived: integers(),
    bytesSent: integers(),
    durationSumMs: integers(),
    durationMaxMs: integers(),
    firstSeen: integers(),
    lastSeen: integers(),
    examplePaths: new Array<string[]>(count),
    sessionNames: new Array<string[]>(count),
  };
  for (let i = 0; i < count; i++) {
    const p = patterns[i] as CallPattern;
    field.recordKind[i] = p.recordKind;
    field.serviceNetworkArn[i] = p.serviceNetworkArn;
    field.serviceArn[i] = p.serviceArn;
    field.callerPrincipal[i] = p.callerPrincipal;
    field.callerKind[i] = p.callerKind;
    field.callerAccount[i] = p.callerAccount;
    field.callerX509SubjectCN[i] = p.callerX509SubjectCN;
    field.requestMethod[i] = p.requestMethod;
    field.pathTemplate[i] = p.pathTemplate;
    field.sourceVpcId[i] = p.sourceVpcId;
    field.requests[i] = safeIntegerOrNaN(p.requests);
    field.status1xx[i] = safeIntegerOrNaN(p.status1xx);
    field.status2xx[i] = safeIntegerOrNaN(p.status2xx);
    field.status3xx[i] = safeIntegerOrNaN(p.status3xx);
    field.status4xx[i] = safeIntegerOrNaN(p.status4xx);
    field.status5xx[i] = safeIntegerOrNaN(p.status5xx);
    field.authDenied[i] = safeIntegerOrNaN(p.authDenied);
    field.other4xx[i] = safeIntegerOrNaN(p.other4xx);
    field.bytesReceived[i] = safeIntegerOrNaN(p.bytesReceived);
    field.bytesSent[i] = safeIntegerOrNaN(p.bytesSent);
    field.durationSumMs[i] = safeIntegerOrNaN(p.durationSumMs);
    field.durationMaxMs[i] = safeIntegerOrNaN(p.durationMaxMs);
    field.firstSeen[i] = safeIntegerOrNaN(p.firstSeen);
    field.lastSeen[i] = safeIntegerOrNaN(p.lastSeen);
    field.examplePaths[i] = p.examplePaths;
    field.sessionNames[i] = p.sessionNames;
  }
  const columns = SUMMARY_COLUMNS.map((column) => toExtractedColumn(column, field));
  checkSafeIntegers(columns, patterns);
  return columns;
}

function safeIntegerOrNaN(value: number): number {
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

function toExtractedColumn(column: SummaryColumn, field: FieldValues): ExtractedColumn {
  switch (column.type) {
    case 'string':
      return { kind: 'string', values: field[column.name] };
    case 'bigint':
    case 'timestamp':
      return { kind: 'integer', values: field[column.name] };
    case 'array<string>':
      return { kind: 'list', values: field[column.name] };
  }
}

/** Throws for the first column in schema order, and its first pattern, with an unsafe integer. */
function checkSafeIntegers(columns: readonly ExtractedColumn[], patterns: readonly CallPattern[]) {
  columns.forEach((extracted, k) => {
    if (extracted.kind !== 'integer') return;
    const { values } = extracted;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isNaN(values[i])) continue;
      const name = (SUMMARY_COLUMNS[k] as SummaryColumn).name;
      const value = (patterns[i] as CallPattern)[name];
      throw new RangeError(
        `encodeSummary: pattern ${i} ${name} is ${value}, expected a safe integer`,
      );
    }
  });
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
