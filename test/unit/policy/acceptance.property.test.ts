// Issue 3's acceptance property, over generated traffic: a policy generated from logs, simulated
// on those same logs, denies no request that succeeded and denies every auth-denied one (or, where
// it cannot tell them apart, lists that denial for review).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  AccessLogRecord,
  ParsedLine,
  ServiceAccessLogRecord,
} from '../../../shared/log/index.ts';
import {
  learnPathTemplates,
  pathTemplateToResourcePattern,
  templatePath,
} from '../../../shared/paths/index.ts';
import { callPatternOf, PatternSet } from '../../../shared/patterns/index.ts';
import {
  checkAuthPolicy,
  type GenerateOptions,
  generatePolicies,
  PolicySet,
  type ServicePolicy,
  type SimulationResult,
  simulateLogs,
} from '../../../shared/policy/index.ts';

const ACCOUNT = '111122223333';
const SERVICES = ['svc-0123456789abcdef0', 'svc-0fedcba987654321f'].map(
  (id) => `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/${id}`,
);
const VPCS = ['vpc-0a13314c17f463072', 'vpc-0f1e2d3c4b5a69788'];

// Every kind of caller the logs show: role sessions (two sessions of one role), a role of another
// account, an IAM user, the account root (bare id and ARN), and unsigned callers.
const CALLERS: (string | undefined)[] = [
  `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/task-1`,
  `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/task-2`,
  `arn:aws:sts::${ACCOUNT}:assumed-role/cart-service-role/i-0abc`,
  'arn:aws:sts::444455556666:assumed-role/partner-sync/job-7',
  `arn:aws:iam::${ACCOUNT}:user/ops/reporting-bot`,
  ACCOUNT,
  `arn:aws:iam::${ACCOUNT}:root`,
  undefined,
];

// Path pieces that stress templating and matching: ids, trailing and doubled slashes, dots,
// escapes (ASCII, UTF-8, invalid), braces, a literal `*`, query strings.
const pathPiece = fc.constantFrom(
  '/api',
  '/v1',
  '/orders',
  '/42',
  '/8812',
  '/3f2a1b4c-9d8e-4f7a-b6c5-d4e3f2a1b0c9',
  '/sku-10007',
  '/',
  '//',
  '/.',
  '/..',
  '/%41',
  '/caf%C3%A9',
  '/a%2Fb',
  '/%FF',
  '/My%20Report',
  '/{id}',
  '/{x}',
  '/a*b',
  '/é',
  '?page=2',
  '?q=a%20b&x',
);
const anyPath = fc.array(pathPiece, { minLength: 1, maxLength: 6 }).map((pieces) => {
  const path = pieces.join('');
  return path.startsWith('/') ? path : `/${path}`;
});

// Literal routes only: no grant can cover another route, so each outcome is told apart.
const literalPath = fc.constantFrom(
  '/',
  '/health',
  '/api/v1/orders',
  '/api/v1/orders/',
  '/api//orders',
  '/api/./orders',
  '/api/v1/carts/items',
  '/api/v1/orders?page=2',
);

interface Request {
  service: string;
  caller: string | undefined;
  vpc: string;
  method: string;
  path: string;
  status: number;
}

const request = (path: fc.Arbitrary<string>) =>
  fc.record({
    service: fc.constantFrom(...SERVICES),
    caller: fc.constantFrom(...CALLERS),
    vpc: fc.constantFrom(...VPCS),
    // Lower case too: Lattice compares RequestMethod case-sensitively, so patterns keep it as sent.
    method: fc.constantFrom('GET', 'POST', 'DELETE', 'get'),
    path,
    status: fc.constantFrom(200, 201, 204, 404, 409, 500, 503),
  });

function recordOf(r: Request, index: number, isDenied: boolean): ServiceAccessLogRecord {
  const record: ServiceAccessLogRecord = {
    kind: 'service',
    startTime: new Date(Date.UTC(2026, 10, 20) + index * 97_000).toISOString(),
    requestMethod: r.method,
    requestPath: r.path,
    responseCode: isDenied ? 403 : r.status,
    serviceArn: r.service,
    serviceNetworkArn: `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:servicenetwork/sn-0a1b2c3d4e5f60718`,
    sourceVpcId: r.vpc,
    sourceVpcArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${r.vpc}`,
    extra: {},
  };
  if (r.caller !== undefined) record.callerPrincipal = r.caller;
  if (isDenied) record.authDeniedReason = 'Service';
  return record;
}

/**
 * Logs whose auth decisions follow a ground truth on what a policy can name: the grantee (a role
 * for all its sessions, an unsigned caller by VPC), the method and the resource pattern the
 * generator would grant for the path. `isAllowed` decides each such unit.
 */
function logsOf(requests: Request[], isAllowed: (unit: string) => boolean): AccessLogRecord[] {
  const provisional = requests.map((r, i) => recordOf(r, i, false));
  const learned = new Map<string, Map<string, string>>();
  for (const service of SERVICES) {
    const counts = new Map<string, number>();
    for (const record of provisional.filter((p) => p.serviceArn === service)) {
      const template = templatePath(record.requestPath);
      counts.set(template, (counts.get(template) ?? 0) + 1);
    }
    learned.set(
      service,
      learnPathTemplates([...counts].map(([template, n]) => ({ template, requests: n }))),
    );
  }
  return provisional.map((record, i) => {
    const pattern = callPatternOf(record);
    const grantee =
      pattern.callerKind === 'anonymous'
        ? `anonymous@${pattern.sourceVpcId}`
        : pattern.callerPrincipal;
    const template =
      learned.get(record.serviceArn)?.get(pattern.pathTemplate) ?? pattern.pathTemplate;
    const unit = [
      record.serviceArn,
      grantee,
      pattern.requestMethod,
      pathTemplateToResourcePattern(template),
    ].join(' ');
    return recordOf(requests[i] as Request, i, !isAllowed(unit));
  });
}

async function generateAndSimulate(
  records: AccessLogRecord[],
  options: GenerateOptions = {},
): Promise<{ policies: ServicePolicy[]; result: SimulationResult }> {
  const set = new PatternSet();
  for (const record of records) set.add(callPatternOf(record));
  const policies = generatePolicies(set.toArray(), options);
  const policySet = new PolicySet(
    policies.map((p) => ({
      resourceId: p.serviceId,
      document: checkAuthPolicy(p.policy, p.serviceId),
    })),
  );
  async function* lines(): AsyncGenerator<ParsedLine> {
    for (const [i, record] of records.entries())
      yield { ok: true, record, location: { source: 'gen', line: i + 1 } };
  }
  return { policies, result: await simulateLogs(lines(), policySet) };
}

describe('a generated policy simulated on its own training logs', () => {
  // Small size limits make policies coarsen, down to principals named by account (which grants
  // callers that were only denied) or past what any rung fits.
  const sizeLimits = [
    ['at the Lattice size limit', fc.constant(undefined)],
    ['coarsened to fit small size limits', fc.integer({ min: 200, max: 600 })],
  ] as const;
  it.each(sizeLimits)(
    'denies no successful request, and lists for review every auth denial it lets through, %s',
    async (_, sizeLimit) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(request(anyPath), { minLength: 1, maxLength: 80 }),
          fc.func(fc.boolean()),
          sizeLimit,
          async (requests, isAllowed, limit) => {
            const records = logsOf(requests, isAllowed);
            const { policies, result } = await generateAndSimulate(
              records,
              limit === undefined ? {} : { sizeLimit: limit },
            );
            expect(result.successful).toMatchObject({ denied: 0, unknown: 0 });
            // A denial the policy may let through (a grant covers its path percent-decoded, and
            // whether Lattice decodes is not documented) cannot be told apart either: reviewed too.
            const maybeAllowed = result.unknownRequests.filter((g) => g.authDenied > 0);
            expect(result.authDeniedInLogs.unknown).toBe(
              maybeAllowed.reduce((sum, g) => sum + g.authDenied, 0),
            );
            for (const group of [...result.allowedAuthDenied, ...maybeAllowed]) {
              const review =
                policies.find((p) => p.serviceId === group.serviceId)?.evidence.review ?? [];
              expect(
                review.some(
                  (r) =>
                    r.reason === 'auth-denied-allowed' &&
                    r.caller === group.caller &&
                    r.access.some((a) => a.startsWith(`${group.method} `)),
                ),
                `${group.caller} ${group.method} ${group.pathTemplate}`,
              ).toBe(true);
            }
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('denies every auth-denied request when the traffic tells each route apart', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(request(literalPath), { minLength: 1, maxLength: 80 }),
        fc.func(fc.boolean()),
        async (requests, isAllowed) => {
          const records = logsOf(requests, isAllowed);
          const { policies, result } = await generateAndSimulate(records);
          const authDenied = records.filter(
            (r) => r.kind === 'service' && r.responseCode === 403,
          ).length;
          expect(result.successful).toEqual({
            allowed: records.length - authDenied,
            denied: 0,
            unknown: 0,
          });
          expect(result.authDeniedInLogs).toEqual({ allowed: 0, denied: authDenied, unknown: 0 });
          expect(
            policies
              .flatMap((p) => p.evidence.review)
              .filter((r) => r.reason === 'auth-denied-allowed'),
          ).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
