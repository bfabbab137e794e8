// DuckDB reads the summaries lattice-lens writes, laid out as the store lays them out.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSummary,
  encodeSummary,
  groupByHour,
  SUMMARY_COLUMNS,
  summaryKey,
} from '../../shared/columnar/index.ts';
import type { CallPattern } from '../../shared/patterns/types.ts';
import { type DuckDBSession, openDuckDB, sqlString } from './duckdb-session.ts';

const PATTERN_COUNT = 1000;
const FIRST_HOUR_MS = Date.UTC(2025, 2, 4, 22); // four hours across a day boundary
const HOUR_MS = 3_600_000;

// A small deterministic generator (LCG), so every run checks the same 1000 patterns.
function syntheticPatterns(count: number): CallPattern[] {
  let seed = 42;
  const next = (below: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor(seed / 256) % below; // the low bits of an LCG cycle quickly
  };
  const methods = ['GET', 'POST', 'PUT', 'DELETE'];
  const kinds = ['role', 'user', 'root', 'anonymous'] as const;
  return Array.from({ length: count }, (_, i) => {
    const firstSeen = FIRST_HOUR_MS + (i % 4) * HOUR_MS + next(HOUR_MS - 1000);
    const status2xx = next(5000);
    const authDenied = next(20);
    const other4xx = next(30);
    const status5xx = next(10);
    const kind = kinds[next(kinds.length)] ?? 'role';
    return {
      hour: new Date(firstSeen).toISOString().slice(0, 13),
      recordKind: i % 10 === 0 ? 'resource' : 'service',
      serviceNetworkArn: 'arn:aws:vpc-lattice:eu-west-1:111122223333:servicenetwork/sn-0f1e2d3c',
      serviceArn: `arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-${next(8)}`,
      callerPrincipal:
        kind === 'anonymous' ? 'anonymous' : `arn:aws:iam::444455556666:role/caller-${i}`,
      callerKind: kind,
      callerAccount: '444455556666',
      callerX509SubjectCN: i % 50 === 0 ? `device-${i}.example.com` : '',
      requestMethod: methods[next(methods.length)] ?? 'GET',
      pathTemplate: `/api/v${next(3)}/items/{id}`,
      sourceVpcId: `vpc-0${next(6)}`,
      requests: status2xx + authDenied + other4xx + status5xx,
      status1xx: 0,
      status2xx,
      status3xx: 0,
      status4xx: authDenied + other4xx,
      status5xx,
      authDenied,
      other4xx,
      bytesReceived: next(10_000_000),
      bytesSent: i === 0 ? 2 ** 50 : next(10_000_000),
      durationSumMs: next(1_000_000),
      durationMaxMs: next(5000),
      firstSeen,
      lastSeen: firstSeen + next(1000),
      examplePaths: Array.from({ length: next(4) }, (_, j) => `/api/items/${i}-${j}`),
      sessionNames: kind === 'role' && i % 3 !== 0 ? [`session-${i}`] : [],
    };
  });
}

// Every stored column in schema order: a total order, so sorted reads compare row by row.
function sortedByColumns(list: readonly CallPattern[]): CallPattern[] {
  const key = (pattern: CallPattern) =>
    JSON.stringify(SUMMARY_COLUMNS.map((column) => pattern[column.name]));
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe('summaries written with summaryKey, read by DuckDB', () => {
  const patterns = syntheticPatterns(PATTERN_COUNT);
  const byHour = groupByHour(patterns);
  let dir: string;
  let duckdb: DuckDBSession;
  let source: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lattice-lens-columnar-'));
    for (const [hour, group] of byHour) {
      // Two source objects per hour, as two log objects of one hour would give.
      const half = Math.ceil(group.length / 2);
      const files = [
        [summaryKey(hour, 'source-a'), group.slice(0, half)],
        [summaryKey(hour, 'source-b'), group.slice(half)],
      ] as const;
      for (const [key, rows] of files) {
        const path = join(dir, key);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, encodeSummary(rows));
      }
    }
    // An hour with no traffic still yields a readable, typed (empty) summary.
    const emptyPath = join(dir, summaryKey('2025-03-05T03', 'source-empty'));
    await mkdir(dirname(emptyPath), { recursive: true });
    await writeFile(emptyPath, encodeSummary([]));

    source = `read_parquet(${sqlString(`${dir}/summaries/**/*.parquet`)}, hive_partitioning = true)`;
    duckdb = await openDuckDB();
  });

  afterAll(async () => {
    duckdb?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const rows = (sql: string) => duckdb.rows(sql);

  it('spreads the synthetic patterns over four hours across a day boundary', () => {
    expect([...byHour.keys()]).toEqual([
      '2025-03-04T22',
      '2025-03-04T23',
      '2025-03-05T00',
      '2025-03-05T01',
    ]);
  });

  it('sees every row and the same counter totals', async () => {
    const counters = SUMMARY_COLUMNS.filter((column) => column.type === 'bigint');
    const sums = counters.map((column) => `SUM("${column.name}")::VARCHAR AS "${column.name}"`);
    const [totals] = await rows(
      `SELECT COUNT(*)::VARCHAR AS "rows", ${sums.join(', ')} FROM ${source}`,
    );
    const expected: Record<string, string> = { rows: String(PATTERN_COUNT) };
    for (const column of counters) {
      const sum = patterns.reduce(
        (total, pattern) => total + BigInt(pattern[column.name] as number),
        0n,
      );
      expected[column.name] = String(sum);
    }
    expect(totals).toEqual(expected);
  });

  it('types timestamps as TIMESTAMP, lists as VARCHAR[] and counters as BIGINT', async () => {
    const described = await rows(`DESCRIBE SELECT * FROM ${source}`);
    const types = Object.fromEntries(described.map((row) => [row.column_name, row.column_type]));
    const expected: Record<string, string> = {};
    const duckdbType = { string: 'VARCHAR', bigint: 'BIGINT', timestamp: 'TIMESTAMP' } as const;
    for (const column of SUMMARY_COLUMNS) {
      expected[column.name] =
        column.type === 'array<string>' ? 'VARCHAR[]' : duckdbType[column.type];
    }
    const { dt, hour, ...fileColumns } = types;
    expect(fileColumns).toEqual(expected);
    // hive_types_autocast reads dt as a DATE; the zero-padded hour stays text.
    expect({ dt, hour }).toEqual({ dt: 'DATE', hour: 'VARCHAR' });
  });

  it('puts every row in the dt and hour partition of its firstSeen', async () => {
    const [check] = await rows(`
      SELECT
        COUNT(*) FILTER (WHERE strftime("firstSeen", '%Y-%m-%d') <> dt::VARCHAR)::INTEGER AS "wrongDt",
        COUNT(*) FILTER (WHERE strftime("firstSeen", '%H') <> hour)::INTEGER AS "wrongHour"
      FROM ${source}`);
    expect(check).toEqual({ wrongDt: 0, wrongHour: 0 });

    const perHour = await rows(`
      SELECT dt::VARCHAR || 'T' || hour AS "hour", COUNT(*)::INTEGER AS "rows"
      FROM ${source} GROUP BY ALL ORDER BY 1`);
    expect(perHour).toEqual([...byHour].map(([hour, group]) => ({ hour, rows: group.length })));
  });

  it('reads back exactly the values written, lists and timestamps included', async () => {
    const selected = SUMMARY_COLUMNS.map((column) =>
      column.type === 'timestamp'
        ? `epoch_ms("${column.name}") AS "${column.name}"`
        : `"${column.name}"`,
    );
    const read = await rows(`SELECT ${selected.join(', ')} FROM ${source}`);
    const asPattern = (row: Record<string, unknown>): CallPattern => {
      const pattern: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(row)) {
        pattern[name] = typeof value === 'bigint' ? Number(value) : value;
      }
      pattern.hour = new Date(pattern.firstSeen as number).toISOString().slice(0, 13);
      return pattern as unknown as CallPattern;
    };
    expect(sortedByColumns(read.map(asPattern))).toEqual(sortedByColumns(patterns));
  });

  it('keeps an empty list distinct from NULL', async () => {
    const [counts] = await rows(`
      SELECT COUNT(*) FILTER (WHERE "sessionNames" IS NULL)::INTEGER AS "nulls",
             COUNT(*) FILTER (WHERE len("sessionNames") = 0)::INTEGER AS "empty"
      FROM ${source}`);
    expect(counts).toEqual({
      nulls: 0,
      empty: patterns.filter((pattern) => pattern.sessionNames.length === 0).length,
    });
  });

  it('agrees with decodeSummary on the same files', async () => {
    const hour = '2025-03-04T23';
    const group = byHour.get(hour) ?? [];
    const decoded = await Promise.all(
      ['source-a', 'source-b'].map(async (name) =>
        decodeSummary(await readFile(join(dir, summaryKey(hour, name)))),
      ),
    );
    const [count] = await rows(
      `SELECT COUNT(*)::INTEGER AS "rows" FROM ${source} WHERE dt = '2025-03-04' AND hour = '23'`,
    );
    expect(sortedByColumns(decoded.flat())).toEqual(sortedByColumns(group));
    expect(count).toEqual({ rows: group.length });
  });
});
