// simulate, backtest and diff end to end on the committed sample logs, with exact expected
// output; the CLI's exit codes and one-line errors through `node --import tsx cli/main.ts`.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../cli/analyze.ts';
import { formatBacktest, runBacktest } from '../../cli/backtest.ts';
import { formatDiff, runDiff } from '../../cli/diff.ts';
import { formatSimulation, runSimulate } from '../../cli/simulate.ts';
import expectedCounts from '../../sample-logs/expected-counts.json' with { type: 'json' };
import { readAccessLogs } from '../../shared/log/index.ts';
import {
  combineDecisions,
  evaluatePolicy,
  readPolicies,
  requestContextOf,
} from '../../shared/policy/index.ts';

const LOGS = 'sample-logs/access-logs';
const CATALOG = 'svc-0a40974812b61bafb';
const CURRENT = 'test/fixtures/policy/catalog-current.json';
const EXPECTED = 'test/fixtures/policy/expected';
const run = promisify(execFile);

let out: string;
let orgOut: string;

/** Runs the CLI; resolves with its exit code and output whatever the code. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'cli/main.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function expectedJson(name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(EXPECTED, name), 'utf8'));
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'lattice-lens-engine-'));
  orgOut = await mkdtemp(join(tmpdir(), 'lattice-lens-engine-org-'));
  await runAnalyze([LOGS], {
    out,
    minRequests: 5,
    formats: ['json', 'terraform', 'cloudformation'],
  });
  await runAnalyze([LOGS], { out: orgOut, minRequests: 5, orgId: 'o-e87cb45c05' });
}, 60_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
  await rm(orgOut, { recursive: true, force: true });
});

describe('simulate on sample-logs', () => {
  // The acceptance criterion of issue 3, on the sample scenario.
  it('finds that the generated policies deny no successful request and every auth-denied one', async () => {
    const result = await runSimulate([LOGS], { policy: join(out, 'policies') });
    expect(result).toMatchObject({
      records: expectedCounts.requests,
      rejectedLines: expectedCounts.malformedLines,
      allowed: expectedCounts.requests - expectedCounts.authDenied,
      denied: expectedCounts.authDenied,
      unknown: 0,
      unevaluated: 0,
      successful: {
        allowed: expectedCounts.requests - expectedCounts.authDenied,
        denied: 0,
        unknown: 0,
      },
      authDeniedInLogs: { allowed: 0, denied: expectedCounts.authDenied, unknown: 0 },
      allowedAuthDenied: [],
    });
  });

  it('prints the whole expected JSON', async () => {
    const result = await runSimulate([LOGS], { policy: join(out, 'policies') });
    const text = JSON.stringify(result, null, 2).replaceAll(out, '<out>');
    expect(JSON.parse(text)).toEqual(await expectedJson('simulate-sample.json'));
  });

  it('agrees, request by request, with the evaluator', async () => {
    const policies = await readPolicies(join(out, 'policies'));
    const counts = { allow: 0, deny: 0, unknown: 0 };
    for await (const line of readAccessLogs([LOGS])) {
      if (!line.ok || line.record.kind !== 'service') continue;
      const record = line.record;
      const governing = policies.filter((p) => record.serviceArn.endsWith(`/${p.resourceId}`));
      const context = requestContextOf(record);
      counts[
        combineDecisions(governing.map((p) => evaluatePolicy(p.document, context))).decision
      ]++;
    }
    const result = await runSimulate([LOGS], { policy: join(out, 'policies') });
    expect(counts).toEqual({ allow: result.allowed, deny: result.denied, unknown: result.unknown });
  });

  it('prints the expected summary as text', async () => {
    const result = await runSimulate([LOGS], { policy: join(out, 'policies') });
    expect(formatSimulation(result).replaceAll(out, '<out>')).toBe(
      `Simulated 7 policies on 4,000 request(s), 2026-11-20T00:00:20.000Z → 2026-11-21T23:59:41.000Z; 4 line(s) rejected.

                  requests  succeeded in logs  auth-denied in logs
  allowed          3,908              3,908                    0
  denied              92                  0                   92
  unknown              0                  0                    0
  unevaluated          0   no policy given for the service

Denied: 92 request(s), by caller, service, method and path:
       70  arn:aws:iam::111122223333:role/legacy-batch-role  svc-0bcbf1bccea267be0  POST /api/v1/payments/reconcile
           in the logs: 70 auth-denied; decided by <out>/policies/svc-0bcbf1bccea267be0.json: no statement allows
       22  arn:aws:iam::111122223333:role/cart-service-role  svc-0f23bbff8d9d088c6  DELETE /api/v1/inventory/reservations/{uuid}
           in the logs: 22 auth-denied; decided by <out>/policies/svc-0f23bbff8d9d088c6.json: no statement allows

No request that succeeded in the logs would be denied.
`,
    );
  });

  it('shows what --org-id would break: the partner from another organization', async () => {
    const result = await runSimulate([LOGS], { policy: join(orgOut, 'policies') });
    expect(result.successful).toEqual({ allowed: 3797, denied: 111, unknown: 0 });
    expect(
      result.deniedRequests
        .filter((g) => g.successful > 0)
        .map((g) => [g.caller, g.method, g.pathTemplate, g.requests]),
    ).toEqual([
      ['arn:aws:iam::444455556666:role/partner-catalog-sync', 'GET', '/api/v1/products/{id}', 68],
      ['arn:aws:iam::444455556666:role/partner-catalog-sync', 'GET', '/api/v1/products', 43],
    ]);
  });

  it('exits 1 with --fail-on-deny when a successful request would be denied, after printing the JSON', async () => {
    const { code, stdout, stderr } = await cli(
      'simulate',
      '--policy',
      join(orgOut, 'policies'),
      LOGS,
      '--json',
      '--fail-on-deny',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      allowed: 3797,
      denied: 203,
      unknown: 0,
      unevaluated: 0,
    });
    expect(stderr).toBe(
      'lattice-lens: 111 request(s) that succeeded in the logs would be denied\n',
    );
  }, 30_000);

  it('exits 0 with --fail-on-deny when nothing that succeeded would be denied', async () => {
    const { code, stdout } = await cli(
      'simulate',
      '--policy',
      join(out, 'policies'),
      LOGS,
      '--fail-on-deny',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('No request that succeeded in the logs would be denied.');
  }, 30_000);

  it('counts requests of services without a policy as unevaluated', async () => {
    const { stdout } = await cli(
      'simulate',
      '--policy',
      join(out, 'policies', `${CATALOG}.json`),
      LOGS,
      '--json',
    );
    expect(JSON.parse(stdout)).toMatchObject({
      allowed: 1120,
      denied: 0,
      unknown: 0,
      unevaluated: 2880,
    });
  }, 30_000);

  it('rejects a malformed policy file in one line naming it, with exit code 2', async () => {
    const bad = join(out, 'broken.json');
    await writeFile(bad, '{"Version":"2012-10-17","Statement":[{"Effect":"Permit"}]}');
    const { code, stdout, stderr } = await cli(
      'simulate',
      '--policy',
      bad,
      '--service',
      CATALOG,
      LOGS,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `lattice-lens: policy ${bad}: Statement[0].Effect must be "Allow" or "Deny", got string "Permit"\n`,
    );
  }, 30_000);

  it('rejects a missing policy path and a bad --service with exit code 2', async () => {
    const missing = await cli('simulate', '--policy', join(out, 'nope.json'), LOGS);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `lattice-lens: cannot read ${join(out, 'nope.json')}: no such file or directory (ENOENT)\n`,
    ]);
    const service = await cli('simulate', '--policy', CURRENT, '--service', 'catalog', LOGS);
    expect(service.code).toBe(2);
    expect(service.stderr).toBe(
      "lattice-lens: option '--service <id>' argument 'catalog' is invalid. expected a service id (svc-…) or service-network id (sn-…)\n",
    );
  }, 30_000);

  // A CI gate pointed at the wrong folder must fail, not pass on zero requests.
  /** simulate --fail-on-deny on a folder holding one a.log of `text`; the folder is removed. */
  async function simulateOneLog(text: string) {
    const logs = await mkdtemp(join(tmpdir(), 'lattice-lens-one-log-'));
    try {
      await writeFile(join(logs, 'a.log'), text);
      return {
        logs,
        ...(await cli('simulate', '--policy', join(out, 'policies'), logs, '--fail-on-deny')),
      };
    } finally {
      await rm(logs, { recursive: true, force: true });
    }
  }

  it('exits 2 with --fail-on-deny on logs without a valid record, naming the first rejected line', async () => {
    const { logs, code, stdout, stderr } = await simulateOneLog('not json');
    expect([code, stdout]).toEqual([2, '']);
    // The JSON parser's own words after "not valid JSON:" vary with the Node version.
    const start = `lattice-lens: no valid access-log records in ${logs} (1 line(s) rejected, first: ${join(logs, 'a.log')}:1: not valid JSON: `;
    expect(stderr.slice(0, start.length)).toBe(start);
    expect(stderr.endsWith(')\n')).toBe(true);
  }, 30_000);

  it('exits 2 with --fail-on-deny on an empty log file', async () => {
    const { logs, code, stdout, stderr } = await simulateOneLog('');
    expect([code, stdout, stderr]).toEqual([
      2,
      '',
      `lattice-lens: no valid access-log records in ${logs} (0 line(s) rejected)\n`,
    ]);
  }, 30_000);
});

describe('analyze --format on sample-logs', () => {
  it('writes Terraform and CloudFormation beside each unchanged policies/<svc-id>.json', async () => {
    const json = await readFile(join(out, 'policies', `${CATALOG}.json`), 'utf8');
    const terraform = await readFile(join(out, 'policies', `${CATALOG}.tf`), 'utf8');
    const template = JSON.parse(
      await readFile(join(out, 'policies', `${CATALOG}.cfn.json`), 'utf8'),
    );
    expect(json).not.toContain('\n');
    expect(terraform).toContain(`resource "aws_vpclattice_auth_policy" "${CATALOG}" {`);
    expect(template.Resources.AuthPolicySvc0a40974812b61bafb.Properties.Policy).toEqual(
      JSON.parse(json),
    );
  });
});

describe('backtest on sample-logs', () => {
  it('learning from the first 24 hours, breaks nothing the second day did', async () => {
    const result = await runBacktest([LOGS], { train: 24 });
    expect(formatBacktest(result)).toBe(
      `Trained on 24h (2026-11-20T00:00:00.000Z → 2026-11-21T00:00:00.000Z): 2,000 request(s), 7 service(s), 19 statement(s).
Tested on the 2,000 later request(s) (2026-11-21T00:00:00.000Z → 2026-11-21T23:59:41.000Z):
  allowed          1,958
  denied              42   (42 of them auth-denied in the logs too)
  unknown              0
  unevaluated          0   (services with no traffic to learn from)

None of the 1,958 later successful request(s) would have been denied: the window was long enough for this traffic.
`,
    );
  });

  it('learning from the first 12 hours, would have broken the cart item deletions seen too rarely to generalize', async () => {
    expect(await runBacktest([LOGS], { train: 12 })).toEqual({
      window: { from: '2026-11-20T00:00:20.000Z', to: '2026-11-21T23:59:41.000Z' },
      train: {
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-20T12:00:00.000Z',
        hours: 12,
        requests: 625,
        services: 7,
        statements: 19,
      },
      test: { from: '2026-11-20T12:00:00.000Z', to: '2026-11-21T23:59:41.000Z', requests: 3375 },
      allowed: 3286,
      denied: 89,
      unknown: 0,
      unevaluated: 0,
      successful: { allowed: 3286, denied: 39, unknown: 0 },
      authDeniedInLogs: { allowed: 0, denied: 50, unknown: 0 },
      broken: 39,
      brokenShare: 0.0117,
      breaks: [
        {
          caller: 'arn:aws:iam::111122223333:role/storefront-bff-role',
          callerKind: 'role',
          serviceId: 'svc-02c1c9a18060c4b0c',
          method: 'DELETE',
          pathTemplate: '/api/v1/carts/{uuid}/items/{var}',
          requests: 36,
          successful: 36,
          authDenied: 0,
          decidedBy: ['trained svc-02c1c9a18060c4b0c: no statement allows'],
          unknown: [],
          firstSeen: '2026-11-20T12:25:00.000Z',
          lastSeen: '2026-11-21T23:21:10.000Z',
          examplePaths: [
            '/api/v1/carts/010d7fcf-cd00-4702-a87b-26089caecf07/items/sku-10239',
            '/api/v1/carts/26e7c190-08f2-433f-a0d1-e32f1cf1ffc5/items/sku-21172',
            '/api/v1/carts/28882efc-c129-4768-a23e-68df596e6afc/items/sku-54290',
          ],
        },
        {
          caller: 'arn:aws:iam::111122223333:role/storefront-bff-role',
          callerKind: 'role',
          serviceId: 'svc-02c1c9a18060c4b0c',
          method: 'DELETE',
          pathTemplate: '/api/v1/carts/{uuid}/items/sku-10007',
          requests: 3,
          successful: 3,
          authDenied: 0,
          decidedBy: ['trained svc-02c1c9a18060c4b0c: no statement allows'],
          unknown: [],
          firstSeen: '2026-11-21T08:43:24.000Z',
          lastSeen: '2026-11-21T15:55:40.000Z',
          examplePaths: [
            '/api/v1/carts/39d44e49-c36f-44d1-af8b-b750656748ac/items/sku-10007',
            '/api/v1/carts/f12d075a-a277-4417-86c4-0ff2a4a0cab6/items/sku-10007',
            '/api/v1/carts/f66776b8-bc11-4df5-9c14-d40622204307/items/sku-10007',
          ],
        },
      ],
      unknownRequests: [],
      newServices: [],
      rejectedLines: 4,
    });
  });

  it('refuses a training part that covers the whole window, or a duration not in whole hours', async () => {
    const whole = await cli('backtest', LOGS, '--train', '2d');
    expect([whole.code, whole.stderr]).toEqual([
      2,
      'lattice-lens: backtest: a training part of 48h covers the whole window (2026-11-20T00:00:20.000Z to 2026-11-21T23:59:41.000Z): no later requests to test on\n',
    ]);
    const minutes = await cli('backtest', LOGS, '--train', '90m');
    expect([minutes.code, minutes.stderr]).toEqual([
      2,
      "lattice-lens: option '--train <duration>' argument '90m' is invalid. expected a duration in whole hours, days or weeks: 24h, 1d, 2w\n",
    ]);
  }, 30_000);
});

describe('diff on sample-logs', () => {
  it('against the policy generated from the logs: added, removed, unused grants, each with evidence', async () => {
    const diff = await runDiff([LOGS], { current: CURRENT });
    expect(JSON.parse(JSON.stringify(diff))).toEqual(await expectedJson('diff-catalog.json'));
  });

  it('against a suggested file: the requests whose outcome would change, as text', async () => {
    const suggested = join(orgOut, 'policies', `${CATALOG}.json`);
    const diff = await runDiff([LOGS], { current: CURRENT, suggested });
    expect(formatDiff(diff).replaceAll(orgOut, '<org>')).toBe(
      `svc-0a40974812b61bafb: current test/fixtures/policy/catalog-current.json (4 statement(s)) against <org>/policies/svc-0a40974812b61bafb.json (3 statement(s)), on 1,120 request(s) from 2026-11-20T00:01:38.000Z to 2026-11-21T23:57:55.000Z.

               current  suggested
  allowed        1,120      1,009
  denied             0        111
  unknown            0          0

Removed (in the current policy only):
  - OrgReads: Allow * GET, HEAD on /api/* if aws:PrincipalOrgID StringEquals o-e87cb45c05
      applied to 713 request(s) in the window
  - PartnerSync: Allow arn:aws:iam::444455556666:role/partner-catalog-sync, arn:aws:iam::444455556666:role/partner-legacy-import any method on /api/v1/products, /api/v1/products/*, /api/v1/feeds/*
      applied to 111 request(s) in the window
  - Storefront: Allow * any method on /api/v1/products* if vpc-lattice-svcs:SourceVpc StringEquals vpc-0f1e2d3c4b5a69788
      applied to 296 request(s) in the window
  - CatalogAdmin: Allow arn:aws:iam::111122223333:role/catalog-admin any method on /admin/*
      applied to 0 request(s) in the window

Added (in the suggested policy only):
  + Allow1: Allow arn:aws:iam::111122223333:role/cart-service-role, arn:aws:iam::444455556666:role/partner-catalog-sync GET on /api/v1/products, /api/v1/products/* if aws:PrincipalOrgID StringEquals o-e87cb45c05
      applied to 527 request(s) in the window
  + Allow2: Allow arn:aws:iam::111122223333:role/storefront-bff-role GET on /api/v2/products/* if aws:PrincipalOrgID StringEquals o-e87cb45c05
      applied to 186 request(s) in the window
  + Allow3: Allow * GET on /api/v1/products, /api/v1/products/* if aws:PrincipalType StringEquals Anonymous and vpc-lattice-svcs:SourceVpc StringEquals vpc-0f1e2d3c4b5a69788
      applied to 296 request(s) in the window

Unused grants of the current policy (no request of the window used them):
  OrgReads: method HEAD (the statement applied to 713 request(s) through its other methods)
  PartnerSync: principal arn:aws:iam::444455556666:role/partner-legacy-import (the statement applied to 111 request(s) through its other principals)
  PartnerSync: resource /api/v1/feeds/* (the statement applied to 111 request(s) through its other resources)
  CatalogAdmin: the whole statement

Requests whose outcome would change (current → suggested):
       68  arn:aws:iam::444455556666:role/partner-catalog-sync  GET /api/v1/products/{id}: allow → deny  (in the logs: 68 succeeded, 0 auth-denied)
       43  arn:aws:iam::444455556666:role/partner-catalog-sync  GET /api/v1/products: allow → deny  (in the logs: 43 succeeded, 0 auth-denied)
`,
    );
  });

  it('rejects a current policy whose service it cannot tell, in one line with exit code 2', async () => {
    const twoServices = join(out, 'two-services.json');
    await writeFile(
      twoServices,
      JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: '*',
            Resource: [
              `arn:aws:vpc-lattice:us-east-1:111122223333:service/${CATALOG}/*`,
              'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0bcbf1bccea267be0/*',
            ],
          },
        ],
      }),
    );
    const { code, stderr } = await cli('diff', '--current', twoServices, LOGS);
    expect([code, stderr]).toEqual([
      2,
      `lattice-lens: policy ${twoServices}: cannot tell which service it governs: its resources name svc-0a40974812b61bafb, svc-0bcbf1bccea267be0; pass --service\n`,
    ]);
  }, 30_000);

  it('refuses to compare policies of two services, or a --service the file name contradicts', async () => {
    const other = join(orgOut, 'policies', 'svc-0bcbf1bccea267be0.json');
    const named = join(orgOut, 'policies', `${CATALOG}.json`);
    const twoFiles = await cli('diff', '--current', named, '--suggested', other, LOGS);
    expect([twoFiles.code, twoFiles.stderr]).toEqual([
      2,
      `lattice-lens: diff: ${named} governs ${CATALOG} but ${other} governs svc-0bcbf1bccea267be0\n`,
    ]);
    const wrongService = await cli(
      'diff',
      '--current',
      named,
      '--service',
      'svc-0bcbf1bccea267be0',
      LOGS,
    );
    expect([wrongService.code, wrongService.stderr]).toEqual([
      2,
      `lattice-lens: policy ${named}: its name says it governs ${CATALOG}, not svc-0bcbf1bccea267be0\n`,
    ]);
  }, 30_000);
});
