// `lattice-lens analyze` on the committed sample logs, end to end: files, DuckDB totals, policies.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzeResult, runAnalyze } from '../../cli/analyze.ts';
import expected from '../../sample-logs/expected-counts.json' with { type: 'json' };
import {
  ANONYMOUS_SOURCE_VPC_ID,
  generateAccessLogLines,
  SAMPLE_CALLS,
  SAMPLE_SERVICES,
} from '../../sample-logs/generator.ts';
import type { AuthPolicy, PolicyStatement } from '../../shared/policy/index.ts';
import { openDuckDB, sqlString } from './duckdb-session.ts';
import { filesUnder } from './files-under.ts';

const INPUT = 'sample-logs/access-logs';
let first: string;
let second: string;
let result: AnalyzeResult;

async function policyOf(serviceId: string): Promise<AuthPolicy> {
  return JSON.parse(await readFile(join(first, 'policies', `${serviceId}.json`), 'utf8'));
}

function principalsOf(statement: PolicyStatement): string[] {
  const p = statement.Principal;
  if (p === undefined || p === '*') return p === '*' ? ['*'] : [];
  return typeof p.AWS === 'string' ? [p.AWS] : p.AWS;
}

function methodsOf(statement: PolicyStatement): string[] {
  const m = statement.Condition?.StringEquals?.['vpc-lattice-svcs:RequestMethod'];
  return m === undefined ? ['*'] : typeof m === 'string' ? [m] : m;
}

beforeAll(async () => {
  first = await mkdtemp(join(tmpdir(), 'lattice-lens-analyze-'));
  second = await mkdtemp(join(tmpdir(), 'lattice-lens-analyze-'));
  result = await runAnalyze([INPUT], { out: first, minRequests: 5 });
  await runAnalyze([INPUT], { out: second, minRequests: 5 });
});

afterAll(async () => {
  await rm(first, { recursive: true, force: true });
  await rm(second, { recursive: true, force: true });
});

describe('analyze on sample-logs', () => {
  it('accounts for every line: valid records plus the malformed lines it rejects', () => {
    expect(result.records).toBe(expected.requests);
    expect(result.rejectedLines).toBe(expected.malformedLines);
    expect(result.rejections.map((r) => r.field ?? r.reason.split(':')[0])).toEqual([
      'truncated JSON',
      'not valid JSON',
      'serviceArn',
      'responseCode',
    ]);
  });

  it('writes a policy and its evidence for every service', async () => {
    const ids = Object.values(SAMPLE_SERVICES)
      .map((s) => s.id)
      .sort();
    expect(result.services.map((s) => s.serviceId)).toEqual(ids);
    const written = (await readdir(join(first, 'policies'))).sort();
    expect(written).toEqual(ids.flatMap((id) => [`${id}.evidence.json`, `${id}.json`]).sort());
  });

  it('gives byte-identical files on a second run over the same input', async () => {
    const a = await filesUnder(first);
    const b = await filesUnder(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [key, bytes] of a) expect(b.get(key)?.equals(bytes), key).toBe(true);
  });

  it('replaces an earlier analysis in the same folder, leaving none of its files', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lattice-lens-analyze-'));
    try {
      await runAnalyze([INPUT], { out, minRequests: 5 });
      const input = join(out, 'two-hours.log');
      const lines = generateAccessLogLines({
        seed: 7,
        requests: 200,
        start: new Date('2026-12-01T10:00:00Z'),
        hours: 2,
      });
      await writeFile(input, [...lines].join('\n'));
      const rerun = await runAnalyze([input], { out, minRequests: 5 });
      const expected = [
        'two-hours.log',
        'report.html',
        ...rerun.summaries.map((path) => relative(out, path)),
        ...rerun.services.flatMap((s) =>
          [s.policyFile, s.evidenceFile].map((p) => relative(out, p)),
        ),
      ];
      expect([...(await filesUnder(out)).keys()].sort()).toEqual(expected.sort());
      expect(rerun.summaries.every((path) => path.includes('dt=2026-12-01'))).toBe(true);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('writes Parquet summaries whose DuckDB totals equal the input counts', async () => {
    const duckdb = await openDuckDB();
    try {
      const [row] = await duckdb.rows(`
        SELECT SUM(requests)::BIGINT AS requests, SUM(status2xx)::BIGINT AS ok,
               SUM(authDenied)::BIGINT AS denied, SUM(other4xx)::BIGINT AS other4xx,
               SUM(status5xx)::BIGINT AS errors, COUNT(DISTINCT serviceArn)::BIGINT AS services,
               COUNT(DISTINCT dt)::BIGINT AS days
        FROM read_parquet(${sqlString(`${join(first, 'summaries')}/**/*.parquet`)}, hive_partitioning = true)`);
      expect(row).toEqual({
        requests: BigInt(expected.requests),
        ok: BigInt(expected.status2xx),
        denied: BigInt(expected.authDenied),
        other4xx: BigInt(expected.other4xx),
        errors: BigInt(expected.status5xx),
        services: BigInt(Object.keys(SAMPLE_SERVICES).length),
        days: 2n,
      });
    } finally {
      duckdb.close();
    }
  });

  it('grants every legitimate call to its role or user, never to a session', async () => {
    for (const call of SAMPLE_CALLS.filter((c) => c.expected === 'grant')) {
      const policy = await policyOf(call.service.id);
      const granted =
        call.caller.kind === 'anonymous'
          ? policy.Statement.filter(
              (s) =>
                s.Principal === '*' &&
                s.Condition?.StringEquals?.['vpc-lattice-svcs:SourceVpc'] ===
                  ANONYMOUS_SOURCE_VPC_ID,
            )
          : policy.Statement.filter((s) => principalsOf(s).includes(call.caller.principal));
      expect(
        granted.some((s) => methodsOf(s).includes(call.method)),
        `${call.caller.name} ${call.method} ${call.pathTemplate} on ${call.service.name}`,
      ).toBe(true);
      expect(JSON.stringify(policy)).not.toContain(':assumed-role/');
    }
  });

  it('never grants a call that only ever got auth denials', async () => {
    const denied = SAMPLE_CALLS.filter((c) => c.expected === 'deny');
    expect(denied.length).toBeGreaterThan(0);
    for (const call of denied) {
      const policy = await policyOf(call.service.id);
      const granting = policy.Statement.filter(
        (s) =>
          principalsOf(s).includes(call.caller.principal) && methodsOf(s).includes(call.method),
      );
      expect(granting, `${call.caller.name} ${call.method} on ${call.service.name}`).toEqual([]);
    }
  });

  it('never writes Principal "*" without a SourceVpc condition', async () => {
    for (const { serviceId } of result.services) {
      for (const statement of (await policyOf(serviceId)).Statement) {
        if (statement.Principal !== '*') continue;
        expect(statement.Condition?.StringEquals?.['vpc-lattice-svcs:SourceVpc']).toBeDefined();
      }
    }
  });

  it('lists the cross-account caller and the anonymous grant for review', async () => {
    const catalog = JSON.parse(
      await readFile(
        join(first, 'policies', `${SAMPLE_SERVICES.catalog.id}.evidence.json`),
        'utf8',
      ),
    ) as { review: { reason: string; caller: string }[] };
    expect(catalog.review.map((r) => r.reason).sort()).toEqual([
      'anonymous-grant',
      'cross-account',
    ]);
    expect(catalog.review.find((r) => r.reason === 'cross-account')?.caller).toMatch(
      /^arn:aws:iam::444455556666:role\//,
    );
  });
});
