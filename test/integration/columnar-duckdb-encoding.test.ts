// DuckDB reads every encoding path of the summary writer: several row groups, statistics,
// dictionaries of each index width, plain pages, UTF-8 edge cases and lists.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSummary, SUMMARY_COLUMNS } from '../../shared/columnar/index.ts';
import type { CallPattern } from '../../shared/patterns/types.ts';
import {
  basePattern,
  HOUR_START,
  manyPatterns,
  wellFormed,
} from '../unit/columnar/summary-fixtures.ts';
import { type DuckDBSession, openDuckDB, sqlString } from './duckdb-session.ts';

const MANY_ROWS = 200_001;

/** Rows that reach the UTF-8 and list edge cases, some repeated so they get dictionaries. */
function edgeCasePatterns(): CallPattern[] {
  const texts = ['zé', '商品', '🚀', 'a\uD800b', '\uDC00', '', "it's"];
  return texts.flatMap((text, i) =>
    Array.from({ length: 3 }, (_, copy) => ({
      ...basePattern,
      callerPrincipal: `role/${text}`,
      pathTemplate: `/${text}/${i}-${copy}`,
      examplePaths: copy === 0 ? [] : [text, `${text}${copy}`, '/x'],
      sessionNames: copy === 2 ? [''] : [text],
      requests: copy === 0 ? 0 : Number.MAX_SAFE_INTEGER,
      firstSeen: HOUR_START + 10 * i + copy,
      lastSeen: HOUR_START + 10 * i + copy,
    })),
  );
}

function patternsWithPrincipals(distinct: number): CallPattern[] {
  return Array.from({ length: 8 * distinct }, (_, i) => ({
    ...basePattern,
    callerPrincipal: `role/caller-${i % distinct}`,
    firstSeen: HOUR_START + i,
  }));
}

describe('summary encodings read by DuckDB', () => {
  const many = manyPatterns(MANY_ROWS);
  const edgeCases = edgeCasePatterns();
  let dir: string;
  let duckdb: DuckDBSession;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lattice-lens-encoding-'));
    await writeFile(join(dir, 'many.parquet'), encodeSummary(many));
    await writeFile(join(dir, 'edge-cases.parquet'), encodeSummary(edgeCases));
    for (const distinct of [1, 3, 300]) {
      const path = join(dir, `principals-${distinct}.parquet`);
      await writeFile(path, encodeSummary(patternsWithPrincipals(distinct)));
    }
    duckdb = await openDuckDB();
  });

  afterAll(async () => {
    duckdb?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const rows = (sql: string) => duckdb.rows(sql);

  const file = (name: string) => sqlString(join(dir, name));

  it('reads 200,001 rows in three row groups with the totals written', async () => {
    const [totals] = await rows(`
      SELECT COUNT(*)::INTEGER AS "rows",
             SUM("requests")::VARCHAR AS "requests",
             SUM("bytesSent")::VARCHAR AS "bytesSent",
             SUM(len("examplePaths"))::INTEGER AS "examplePaths",
             COUNT(DISTINCT "pathTemplate")::INTEGER AS "paths"
      FROM read_parquet(${file('many.parquet')})`);
    const sum = (name: 'requests' | 'bytesSent') =>
      String(many.reduce((total, pattern) => total + BigInt(pattern[name]), 0n));
    expect(totals).toEqual({
      rows: MANY_ROWS,
      requests: sum('requests'),
      bytesSent: sum('bytesSent'),
      examplePaths: many.reduce((total, pattern) => total + pattern.examplePaths.length, 0),
      paths: MANY_ROWS,
    });
    const groups = await rows(`
      SELECT DISTINCT row_group_id::INTEGER AS "group", row_group_num_rows::INTEGER AS "rows"
      FROM parquet_metadata(${file('many.parquet')}) ORDER BY 1`);
    expect(groups).toEqual([
      { group: 0, rows: 100_000 },
      { group: 1, rows: 100_000 },
      { group: 2, rows: 1 },
    ]);
  });

  it('reads the rows on both sides of each row group boundary', async () => {
    const read = await rows(`
      SELECT "pathTemplate", "bytesSent"::VARCHAR AS "bytesSent", epoch_ms("firstSeen")::BIGINT::VARCHAR AS "firstSeen", "examplePaths"
      FROM read_parquet(${file('many.parquet')}, file_row_number = true)
      WHERE file_row_number IN (0, 99999, 100000, 199999, 200000) ORDER BY file_row_number`);
    expect(read).toEqual(
      [0, 99_999, 100_000, 199_999, 200_000].map((i) => {
        const pattern = many[i] as CallPattern;
        return {
          pathTemplate: pattern.pathTemplate,
          bytesSent: String(pattern.bytesSent),
          firstSeen: String(pattern.firstSeen),
          examplePaths: pattern.examplePaths,
        };
      }),
    );
  });

  it('reads min and max of firstSeen and lastSeen per row group from the statistics', async () => {
    const statistics = await rows(`
      SELECT row_group_id::INTEGER AS "group", path_in_schema AS "column",
             epoch_ms(stats_min_value::TIMESTAMP)::DOUBLE AS "min",
             epoch_ms(stats_max_value::TIMESTAMP)::DOUBLE AS "max"
      FROM parquet_metadata(${file('many.parquet')})
      WHERE path_in_schema IN ('firstSeen', 'lastSeen') ORDER BY 1, 2`);
    const expected = [0, 1, 2].flatMap((group) => {
      const slice = many.slice(group * 100_000, (group + 1) * 100_000);
      return (['firstSeen', 'lastSeen'] as const).map((column) => {
        const values = slice.map((pattern) => pattern[column]);
        return { group, column, min: Math.min(...values), max: Math.max(...values) };
      });
    });
    expect(statistics).toEqual(expected);
  });

  it('reads back non-ASCII text, U+FFFD for lone surrogates, lists, 0 and 2^53-1', async () => {
    const selected = SUMMARY_COLUMNS.map((column) =>
      column.type === 'timestamp'
        ? `epoch_ms("${column.name}")::DOUBLE AS "${column.name}"`
        : column.type === 'bigint'
          ? `"${column.name}"::DOUBLE AS "${column.name}"`
          : `"${column.name}"`,
    );
    const read = await rows(
      `SELECT ${selected.join(', ')} FROM read_parquet(${file('edge-cases.parquet')})`,
    );
    // Keyed by the stored columns in schema order, the order DuckDB returns them in.
    const key = (row: Record<string, unknown>) =>
      JSON.stringify(SUMMARY_COLUMNS.map((column) => row[column.name]));
    const expected = edgeCases.map((pattern) => ({
      ...pattern,
      callerPrincipal: wellFormed(pattern.callerPrincipal),
      pathTemplate: wellFormed(pattern.pathTemplate),
      examplePaths: pattern.examplePaths.map(wellFormed),
      sessionNames: pattern.sessionNames.map(wellFormed),
    }));
    expect(read.map(key).sort()).toEqual(expected.map(key).sort());
  });

  it.each([1, 3, 300])('reads a dictionary of %i strings', async (distinct) => {
    const name = `principals-${distinct}.parquet`;
    const [read] = await rows(`
      SELECT COUNT(DISTINCT "callerPrincipal")::INTEGER AS "distinct",
             MIN(n)::INTEGER AS "fewest", MAX(n)::INTEGER AS "most"
      FROM (SELECT "callerPrincipal", COUNT(*) AS n FROM read_parquet(${file(name)}) GROUP BY 1)`);
    expect(read).toEqual({ distinct, fewest: 8, most: 8 });
    const [chunk] = await rows(`
      SELECT encodings, dictionary_page_offset IS NOT NULL AS "hasDictionary"
      FROM parquet_metadata(${file(name)}) WHERE path_in_schema = 'callerPrincipal'`);
    expect(chunk).toEqual({ encodings: 'PLAIN, RLE, RLE_DICTIONARY', hasDictionary: true });
  });
});
