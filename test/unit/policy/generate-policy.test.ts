import { describe, expect, it } from 'vitest';
import type { ServiceAccessLogRecord } from '../../../shared/log/index.ts';
import {
  type CallPattern,
  callPatternOf,
  mergePatternLists,
} from '../../../shared/patterns/index.ts';
import {
  type AuthPolicy,
  generatePolicies,
  generateServicePolicy,
  type PolicyStatement,
} from '../../../shared/policy/index.ts';

const ACCOUNT = '111122223333';
const SERVICE = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/svc-0123456789abcdef0`;
const NETWORK = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:servicenetwork/sn-0a1b2c3d4e5f60718`;
const ORDER_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/i-0abc123def4567890`;
const ORDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/order-service-role`;
const CART_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/cart-service-role/7f1c2d9e`;
const CART_ROLE = `arn:aws:iam::${ACCOUNT}:role/cart-service-role`;
const PARTNER_SESSION = 'arn:aws:sts::444455556666:assumed-role/partner-sync/job-42';
const PARTNER_ROLE = 'arn:aws:iam::444455556666:role/partner-sync';
const LEGACY_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/legacy-batch-role/nightly`;
const ANON_VPC = 'vpc-0f1e2d3c4b5a69788';

let clock = Date.parse('2026-11-20T10:00:00Z');

function request(fields: Partial<ServiceAccessLogRecord>): ServiceAccessLogRecord {
  clock += 1000;
  return {
    kind: 'service',
    startTime: new Date(clock).toISOString(),
    requestMethod: 'GET',
    requestPath: '/api/v1/orders/1',
    responseCode: 200,
    serviceArn: SERVICE,
    serviceNetworkArn: NETWORK,
    sourceVpcId: 'vpc-0aaa1111bbbb2222c',
    sourceVpcArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-0aaa1111bbbb2222c`,
    extra: {},
    ...fields,
  };
}

function patternsOf(records: ServiceAccessLogRecord[]): CallPattern[] {
  return mergePatternLists([records.map(callPatternOf)]);
}

function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

function only<T>(values: readonly T[]): T {
  expect(values).toHaveLength(1);
  return values[0] as T;
}

function principalsOf(statement: PolicyStatement): string[] {
  const p = statement.Principal;
  if (p === undefined || p === '*') return p === '*' ? ['*'] : [];
  return typeof p.AWS === 'string' ? [p.AWS] : p.AWS;
}

function grantedPrincipals(policy: AuthPolicy): string[] {
  return policy.Statement.flatMap(principalsOf);
}

describe('generateServicePolicy', () => {
  it('grants an assumed-role session as its role ARN, never the session', () => {
    const patterns = patternsOf(
      times(6, (i) =>
        request({ callerPrincipal: ORDER_SESSION, requestPath: `/api/v1/orders/${i + 100}` }),
      ),
    );
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    const statement = only(policy.Statement);
    expect(statement.Principal).toEqual({ AWS: ORDER_ROLE });
    expect(JSON.stringify(policy)).not.toContain('assumed-role');
    expect(only(evidence.statements).callers).toEqual([
      { caller: ORDER_ROLE, requests: 6, sessionNames: ['i-0abc123def4567890'] },
    ]);
  });

  it('grants paths as resource ARNs with * where the template has a placeholder, and methods by condition', () => {
    const patterns = patternsOf(
      times(6, (i) =>
        request({
          callerPrincipal: ORDER_SESSION,
          requestPath: `/api/v1/orders/${i + 7}?expand=items`,
        }),
      ),
    );
    const statement = only(generateServicePolicy(SERVICE, patterns).policy.Statement);
    expect(statement).toEqual({
      Sid: 'Allow1',
      Effect: 'Allow',
      Principal: { AWS: ORDER_ROLE },
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: `${SERVICE}/api/v1/orders/*`,
      Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' } },
    });
  });

  it('never grants a caller that only got auth denials, and lists it for review', () => {
    const patterns = patternsOf([
      ...times(5, () => request({ callerPrincipal: ORDER_SESSION })),
      ...times(4, () =>
        request({
          callerPrincipal: LEGACY_SESSION,
          responseCode: 403,
          authDeniedReason: 'No matching policy statement',
        }),
      ),
    ]);
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    expect(grantedPrincipals(policy)).toEqual([ORDER_ROLE]);
    const review = evidence.review.filter((r) => r.reason === 'auth-denied-only');
    expect(review).toMatchObject([
      {
        caller: `arn:aws:iam::${ACCOUNT}:role/legacy-batch-role`,
        requests: 0,
        authDenied: 4,
        access: ['GET /api/v1/orders/*'],
      },
    ]);
    expect(evidence.totals.authDenied).toBe(4);
  });

  it('lists a granted caller that was also denied elsewhere, without granting what was denied', () => {
    const patterns = patternsOf([
      ...times(5, () => request({ callerPrincipal: CART_SESSION })),
      ...times(3, () =>
        request({
          callerPrincipal: CART_SESSION,
          requestMethod: 'DELETE',
          requestPath: '/api/v1/orders/5',
          responseCode: 403,
          authDeniedReason: 'Service',
        }),
      ),
    ]);
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    expect(
      policy.Statement.map((s) => s.Condition?.StringEquals?.['vpc-lattice-svcs:RequestMethod']),
    ).toEqual(['GET']);
    expect(evidence.review).toMatchObject([
      {
        reason: 'partly-auth-denied',
        caller: CART_ROLE,
        requests: 5,
        authDenied: 3,
        access: ['DELETE /api/v1/orders/*'],
      },
    ]);
  });

  it('leaves out a path that a wildcard path of the same statement already grants', () => {
    const patterns = patternsOf([
      ...times(30, (i) =>
        request({
          callerPrincipal: ORDER_SESSION,
          requestPath: `/api/v1/carts/c${i}x/items/sku-${i}`,
        }),
      ),
      ...times(30, () =>
        request({
          callerPrincipal: ORDER_SESSION,
          requestPath: '/api/v1/carts/c1x/items/sku-10007',
        }),
      ),
    ]);
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    expect(only(policy.Statement).Resource).toBe(`${SERVICE}/api/v1/carts/*/items/*`);
    expect(only(evidence.statements).requests).toBe(60);
  });

  it('counts answered requests as evidence, 5xx and target 403s without an auth-denied reason included', () => {
    const patterns = patternsOf([
      request({ callerPrincipal: ORDER_SESSION, responseCode: 503 }),
      request({ callerPrincipal: ORDER_SESSION, responseCode: 403 }),
    ]);
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    expect(grantedPrincipals(policy)).toEqual([ORDER_ROLE]);
    expect(evidence.totals.grantedRequests).toBe(2);
  });

  it('grants anonymous traffic only as Principal "*" narrowed to unsigned callers from its source VPC, and flags it', () => {
    const patterns = patternsOf(
      times(5, (i) =>
        request({
          requestPath: `/api/v1/products/${i}`,
          sourceVpcId: ANON_VPC,
          sourceVpcArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${ANON_VPC}`,
        }),
      ),
    );
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    const statement = only(policy.Statement);
    expect(statement.Principal).toBe('*');
    expect(statement.Condition).toEqual({
      StringEquals: {
        'aws:PrincipalType': 'Anonymous',
        'vpc-lattice-svcs:RequestMethod': 'GET',
        'vpc-lattice-svcs:SourceVpc': ANON_VPC,
      },
    });
    expect(evidence.review.map((r) => [r.reason, r.caller])).toEqual([
      ['anonymous-grant', `anonymous@${ANON_VPC}`],
    ]);
  });

  it('grants a cross-account caller by its own role ARN and lists it for review', () => {
    const patterns = patternsOf(times(5, () => request({ callerPrincipal: PARTNER_SESSION })));
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    expect(grantedPrincipals(policy)).toEqual([PARTNER_ROLE]);
    expect(evidence.review).toMatchObject([
      { reason: 'cross-account', caller: PARTNER_ROLE, callerAccount: '444455556666' },
    ]);
  });

  it('puts principals with identical access in one statement', () => {
    const patterns = patternsOf([
      ...times(5, () => request({ callerPrincipal: ORDER_SESSION })),
      ...times(5, () => request({ callerPrincipal: CART_SESSION })),
    ]);
    const statement = only(generateServicePolicy(SERVICE, patterns).policy.Statement);
    expect(statement.Principal).toEqual({ AWS: [CART_ROLE, ORDER_ROLE] });
  });

  it('does not extend a method to a path where the caller did not use it', () => {
    const patterns = patternsOf([
      ...times(5, () =>
        request({
          callerPrincipal: ORDER_SESSION,
          requestMethod: 'GET',
          requestPath: '/api/v1/orders/9',
        }),
      ),
      ...times(5, () =>
        request({
          callerPrincipal: ORDER_SESSION,
          requestMethod: 'POST',
          requestPath: '/api/v1/orders',
        }),
      ),
      ...times(5, () =>
        request({
          callerPrincipal: ORDER_SESSION,
          requestMethod: 'GET',
          requestPath: '/api/v1/orders',
        }),
      ),
    ]);
    const statements = generateServicePolicy(SERVICE, patterns).policy.Statement;
    expect(
      statements.map((s) => [
        s.Resource,
        s.Condition?.StringEquals?.['vpc-lattice-svcs:RequestMethod'],
      ]),
    ).toEqual([
      [`${SERVICE}/api/v1/orders/*`, 'GET'],
      [`${SERVICE}/api/v1/orders`, ['GET', 'POST']],
    ]);
  });

  it('flags statements below the rarity threshold but keeps them', () => {
    const patterns = patternsOf([
      request({ callerPrincipal: CART_SESSION }),
      request({ callerPrincipal: CART_SESSION }),
    ]);
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns, { minRequests: 5 });
    expect(grantedPrincipals(policy)).toEqual([CART_ROLE]);
    expect(only(evidence.statements).isRare).toBe(true);
    expect(evidence.review.map((r) => r.reason)).toEqual(['rare']);
  });

  describe('coarsening under the size limit', () => {
    // 30 callers, each with its own deep paths and a different method on each: large exactly,
    // smaller cut to one segment, smaller again with any method, smallest as the whole service.
    const callers = times(30, (i) => `arn:aws:sts::${ACCOUNT}:assumed-role/caller-${i}/s`);
    const patterns = patternsOf(
      callers.flatMap((caller, i) =>
        times(6, (j) =>
          request({
            callerPrincipal: caller,
            requestMethod: ['GET', 'PUT', 'POST'][j % 3] ?? 'GET',
            requestPath: `/api/v1/area${i}/resource${j}/detail`,
          }),
        ),
      ),
    );
    const exact = generateServicePolicy(SERVICE, patterns, { sizeLimit: 1_000_000 });
    // With a limit nothing fits, every step is taken and recorded with the size it reached.
    const all = generateServicePolicy(SERVICE, patterns, { sizeLimit: 1 });
    const sizeAfter = (step: string, depth?: number) =>
      all.evidence.coarsening.find((c) => c.step === step && c.depth === depth)?.sizeAfter ?? 0;

    it('takes no step when the exact policy fits', () => {
      expect(exact.evidence.coarsening).toEqual([]);
      expect(exact.evidence.exceedsSizeLimit).toBe(false);
    });

    it('records the steps in the stated order, each with the size it brought the policy to', () => {
      expect(all.evidence.coarsening.map((c) => [c.step, c.depth])).toEqual([
        ['paths-to-prefix', 1],
        ['any-method', undefined],
        ['whole-service', undefined],
      ]);
      const sizes = all.evidence.coarsening.map((c) => [c.sizeBefore, c.sizeAfter]);
      expect(sizes[0]?.[0]).toBe(exact.policyText.length);
      expect(sizes[1]?.[0]).toBe(sizes[0]?.[1]);
      expect(sizes[2]?.[0]).toBe(sizes[1]?.[1]);
      expect(sizes.map(([before, after]) => (after ?? 0) < (before ?? 0))).toEqual([
        true,
        true,
        true,
      ]);
      expect(all.evidence.exceedsSizeLimit).toBe(true);
    });

    it('cuts paths to the deepest prefix that fits first', () => {
      const limit = sizeAfter('paths-to-prefix', 1) + 400;
      const cut = generateServicePolicy(SERVICE, patterns, { sizeLimit: limit });
      expect(cut.evidence.coarsening.map((c) => c.step)).toEqual(['paths-to-prefix']);
      expect(cut.policyText.length).toBeLessThanOrEqual(limit);
      expect(cut.policyText).toContain('/*"');
      expect(cut.policy.Statement.every((s) => s.Condition !== undefined)).toBe(true);
    });

    it('then grants any method', () => {
      const limit = sizeAfter('any-method');
      const anyMethod = generateServicePolicy(SERVICE, patterns, { sizeLimit: limit });
      expect(anyMethod.evidence.coarsening.map((c) => c.step)).toEqual([
        'paths-to-prefix',
        'any-method',
      ]);
      expect(anyMethod.policyText.length).toBe(limit);
      expect(anyMethod.policyText).not.toContain('RequestMethod');
    });

    it('then grants the whole service, still by principal', () => {
      const limit = sizeAfter('whole-service');
      const whole = generateServicePolicy(SERVICE, patterns, { sizeLimit: limit });
      expect(whole.evidence.coarsening.map((c) => c.step)).toEqual([
        'paths-to-prefix',
        'any-method',
        'whole-service',
      ]);
      expect(only(whole.policy.Statement).Resource).toBe(`${SERVICE}/*`);
      expect(grantedPrincipals(whole.policy)).toHaveLength(30);
      expect(whole.evidence.exceedsSizeLimit).toBe(false);
    });

    it('lists the auth denials a coarser grant would let through', () => {
      const denied = request({
        callerPrincipal: callers[0] ?? '',
        requestMethod: 'DELETE',
        requestPath: '/api/v1/area0/other',
        responseCode: 403,
        authDeniedReason: 'Service',
      });
      const withDenial = [...patterns, ...patternsOf([denied])];
      const limit = sizeAfter('whole-service');
      const review = generateServicePolicy(SERVICE, withDenial, { sizeLimit: limit }).evidence
        .review;
      expect(review.filter((r) => r.reason === 'auth-denied-allowed')).toMatchObject([
        {
          caller: `arn:aws:iam::${ACCOUNT}:role/caller-0`,
          authDenied: 1,
          access: ['DELETE /api/v1/area0/other'],
        },
      ]);
      const exactReview = generateServicePolicy(SERVICE, withDenial).evidence.review;
      expect(exactReview.map((r) => r.reason)).toContain('partly-auth-denied');
      expect(exactReview.map((r) => r.reason)).not.toContain('auth-denied-allowed');
    });
  });

  describe('principals named by account, when not even the whole service fits by principal', () => {
    // 220 roles of two accounts, each on its own path: the principal list alone is over 10,000
    // characters, whatever the paths and methods.
    const OTHER = '444455556666';
    const roles = times(220, (i) => ({
      session: `arn:aws:sts::${i % 2 === 0 ? ACCOUNT : OTHER}:assumed-role/team-${i}-role/s`,
      path: `/api/v1/team-${i}/config`,
    }));
    const many = patternsOf(
      roles.flatMap(({ session, path }) =>
        times(5, () => request({ callerPrincipal: session, requestPath: path })),
      ),
    );

    it('grants the accounts, with access as exact as fits, and records the step', () => {
      const { policy, policyText, evidence } = generateServicePolicy(SERVICE, many);
      expect(policyText.length).toBeLessThanOrEqual(10_000);
      expect(evidence.exceedsSizeLimit).toBe(false);
      // Paths and methods stay exact: the principals were all that did not fit.
      expect(evidence.coarsening).toEqual([
        {
          step: 'principals-to-accounts',
          sizeBefore: expect.any(Number),
          sizeAfter: policyText.length,
        },
      ]);
      expect(evidence.coarsening[0]?.sizeBefore).toBeGreaterThan(10_000);
      expect(policyText).toContain('"vpc-lattice-svcs:RequestMethod":"GET"');
      expect(policyText).toContain('/api/v1/*/config');
      expect([...new Set(grantedPrincipals(policy))].sort()).toEqual([ACCOUNT, OTHER]);
      // The evidence still names every role behind the account grants.
      const callers = evidence.statements.flatMap((s) => s.callers.map((c) => c.caller));
      expect(new Set(callers).size).toBe(220);
    });

    it('lists a caller of a granted account that was only denied: the account grant lets it in', () => {
      const intruder = `arn:aws:sts::${ACCOUNT}:assumed-role/unknown-role/x`;
      const withDenied = [
        ...many,
        ...patternsOf([
          request({
            callerPrincipal: intruder,
            requestPath: '/api/v1/team-0/config',
            responseCode: 403,
            authDeniedReason: 'Service',
          }),
        ]),
      ];
      const { review } = generateServicePolicy(SERVICE, withDenied).evidence;
      const ofIntruder = review.filter(
        (r) => r.caller === `arn:aws:iam::${ACCOUNT}:role/unknown-role`,
      );
      expect(ofIntruder).toMatchObject([
        { reason: 'auth-denied-allowed', requests: 0, authDenied: 1 },
      ]);
    });

    it('leaves anonymous callers and account roots as they are', () => {
      const withOthers = [
        ...many,
        ...patternsOf([
          ...times(5, () => request({ callerPrincipal: `arn:aws:iam::${ACCOUNT}:root` })),
          ...times(5, () => request({ sourceVpcId: ANON_VPC })),
        ]),
      ];
      const { policy, evidence } = generateServicePolicy(SERVICE, withOthers);
      expect(evidence.coarsening[0]).toMatchObject({ step: 'principals-to-accounts' });
      expect(grantedPrincipals(policy)).toContain(`arn:aws:iam::${ACCOUNT}:root`);
      expect(grantedPrincipals(policy)).toContain('*');
      const root = policy.Statement.find((s) =>
        principalsOf(s).includes(`arn:aws:iam::${ACCOUNT}:root`),
      );
      expect(root?.Condition?.StringEquals).toMatchObject({ 'aws:PrincipalType': 'Account' });
    });

    it('keeps the principals and flags the policy when not even accounts fit', () => {
      // 900 accounts of one role each: over 10,000 characters as bare account ids too.
      const accounts = patternsOf(
        times(900, (i) =>
          request({
            callerPrincipal: `arn:aws:sts::${String(100_000_000_000 + i)}:assumed-role/r/s`,
          }),
        ),
      );
      const { policy, policyText, evidence } = generateServicePolicy(SERVICE, accounts);
      expect(evidence.exceedsSizeLimit).toBe(true);
      expect(evidence.policySize).toBe(policyText.length);
      expect(policyText.length).toBeGreaterThan(10_000);
      expect(evidence.coarsening.map((c) => c.step)).not.toContain('principals-to-accounts');
      expect(grantedPrincipals(policy).every((p) => p.endsWith(':role/r'))).toBe(true);
    });
  });

  it('lists auth denials on access that also succeeded: the policy grants it and lets them through', () => {
    const patterns = patternsOf([
      ...times(5, () => request({ callerPrincipal: ORDER_SESSION })),
      request({ callerPrincipal: ORDER_SESSION, responseCode: 403, authDeniedReason: 'Network' }),
    ]);
    const { evidence } = generateServicePolicy(SERVICE, patterns);
    expect(evidence.review).toMatchObject([
      {
        reason: 'auth-denied-allowed',
        caller: ORDER_ROLE,
        requests: 5,
        authDenied: 1,
        access: ['GET /api/v1/orders/*'],
      },
    ]);
  });

  it('lists auth denials whose path the policy grants percent-decoded (/a%2Fb read as /a/b)', () => {
    const patterns = patternsOf([
      ...times(5, () => request({ callerPrincipal: ORDER_SESSION, requestPath: '/a/b' })),
      request({
        callerPrincipal: ORDER_SESSION,
        requestPath: '/a%2Fb',
        responseCode: 403,
        authDeniedReason: 'Service',
      }),
    ]);
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns);
    expect(policy.Statement.map((s) => s.Resource)).toEqual([`${SERVICE}/a/b`]);
    expect(evidence.review).toMatchObject([
      { reason: 'auth-denied-allowed', caller: ORDER_ROLE, authDenied: 1, access: ['GET /a*b'] },
    ]);
  });

  it('adds aws:PrincipalOrgID to statements of signed principals only, with --org-id', () => {
    const patterns = patternsOf([
      ...times(5, () => request({ callerPrincipal: ORDER_SESSION })),
      ...times(5, () => request({ sourceVpcId: ANON_VPC })),
    ]);
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns, {
      orgId: 'o-e87cb45c05',
    });
    expect(policy.Statement.map((s) => s.Condition?.StringEquals?.['aws:PrincipalOrgID'])).toEqual([
      'o-e87cb45c05',
      undefined,
    ]);
    expect(evidence.orgId).toBe('o-e87cb45c05');
    expect(generateServicePolicy(SERVICE, patterns).evidence).not.toHaveProperty('orgId');
  });

  it('grants an account root only to the root user, in a statement of its own', () => {
    const patterns = patternsOf([
      ...times(5, () => request({ callerPrincipal: ACCOUNT })),
      ...times(5, () => request({ callerPrincipal: ORDER_SESSION })),
    ]);
    const { policy } = generateServicePolicy(SERVICE, patterns);
    expect(policy.Statement.map((s) => [s.Principal, s.Condition?.StringEquals])).toEqual([
      [{ AWS: ORDER_ROLE }, { 'vpc-lattice-svcs:RequestMethod': 'GET' }],
      [
        { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        { 'aws:PrincipalType': 'Account', 'vpc-lattice-svcs:RequestMethod': 'GET' },
      ],
    ]);
  });

  it('rejects an --org-id that is not an Organizations id', () => {
    const patterns = patternsOf([request({ callerPrincipal: ORDER_SESSION })]);
    expect(() => generateServicePolicy(SERVICE, patterns, { orgId: 'e87cb45c05' })).toThrow(
      /orgId must be an AWS Organizations id/,
    );
    expect(() => generatePolicies(patterns, { orgId: 'e87cb45c05' })).toThrow(
      /orgId must be an AWS Organizations id/,
    );
    // With no service traffic there is no policy for the option to shape.
    expect(generatePolicies([], { orgId: 'e87cb45c05' })).toEqual([]);
  });

  it('flags statements seen on fewer distinct days than --min-days, and keeps them', () => {
    const patterns = patternsOf(times(10, () => request({ callerPrincipal: CART_SESSION })));
    const { policy, evidence } = generateServicePolicy(SERVICE, patterns, { minDays: 2 });
    expect(grantedPrincipals(policy)).toEqual([CART_ROLE]);
    expect(only(evidence.statements)).toMatchObject({ daysSeen: 1, isRare: true });
    expect(evidence.review.map((r) => r.reason)).toEqual(['rare']);
    expect(evidence.thresholds).toEqual({ minRequests: 5, minDays: 2 });
  });

  it('flags a caller granted on a single request as seen once', () => {
    const patterns = patternsOf([request({ callerPrincipal: CART_SESSION })]);
    expect(generateServicePolicy(SERVICE, patterns).evidence.review.map((r) => r.reason)).toEqual([
      'seen-once',
    ]);
  });

  it('writes the policy as one line of JSON, as PutAuthPolicy requires', () => {
    const patterns = patternsOf(times(5, () => request({ callerPrincipal: ORDER_SESSION })));
    const { policyText, policy } = generateServicePolicy(SERVICE, patterns);
    expect(policyText).not.toContain('\n');
    expect(JSON.parse(policyText)).toEqual(policy);
  });

  it('keeps its traffic merged over the window, paths as its statements generalize them', () => {
    const hourly = patternsOf([
      ...times(24, (i) =>
        request({
          callerPrincipal: CART_SESSION,
          requestPath: `/api/v1/carts/c${i}x`,
          startTime: new Date(Date.parse('2026-11-21T08:00:00Z') + i * 600_000).toISOString(),
        }),
      ),
      ...times(3, () =>
        request({
          callerPrincipal: CART_SESSION,
          requestMethod: 'POST',
          requestPath: '/api/v1/carts',
        }),
      ),
    ]);
    const { windowPatterns } = generateServicePolicy(SERVICE, hourly);
    expect(
      windowPatterns.map((p) => [p.hour, p.requestMethod, p.pathTemplate, p.requests]),
    ).toEqual([
      ['', 'GET', '/api/v1/carts/{var}', 24],
      ['', 'POST', '/api/v1/carts', 3],
    ]);
  });
});

describe('generatePolicies', () => {
  it('gives byte-identical output whatever the order of its input', () => {
    const records = [
      ...times(7, (i) =>
        request({ callerPrincipal: ORDER_SESSION, requestPath: `/api/v1/orders/${i}` }),
      ),
      ...times(5, () =>
        request({
          callerPrincipal: CART_SESSION,
          requestMethod: 'POST',
          requestPath: '/api/v1/carts',
        }),
      ),
      ...times(3, () =>
        request({ callerPrincipal: LEGACY_SESSION, responseCode: 403, authDeniedReason: 'denied' }),
      ),
      ...times(5, () => request({ sourceVpcId: ANON_VPC })),
      ...times(5, () =>
        request({
          callerPrincipal: PARTNER_SESSION,
          serviceArn: SERVICE.replace('abcdef0', 'abcdef1'),
        }),
      ),
    ];
    const forward = generatePolicies(patternsOf(records));
    const backward = generatePolicies(patternsOf([...records].reverse()).reverse());
    expect(forward.map((p) => p.serviceId)).toEqual([
      'svc-0123456789abcdef0',
      'svc-0123456789abcdef1',
    ]);
    expect(backward.map((p) => [p.policyText, JSON.stringify(p.evidence)])).toEqual(
      forward.map((p) => [p.policyText, JSON.stringify(p.evidence)]),
    );
  });

  it('never writes Principal "*" without a SourceVpc condition', () => {
    const records = [
      ...times(5, () => request({ callerPrincipal: ORDER_SESSION })),
      ...times(5, () => request({ sourceVpcId: ANON_VPC })),
    ];
    for (const { policy } of generatePolicies(patternsOf(records))) {
      for (const statement of policy.Statement.filter((s) => s.Principal === '*')) {
        expect(statement.Condition?.StringEquals?.['vpc-lattice-svcs:SourceVpc']).toBeDefined();
      }
    }
  });

  it('writes an empty policy for a service that only saw auth denials', () => {
    const patterns = patternsOf(
      times(3, () =>
        request({ callerPrincipal: LEGACY_SESSION, responseCode: 403, authDeniedReason: 'denied' }),
      ),
    );
    const [only403] = generatePolicies(patterns);
    expect(only403?.policy).toEqual({ Version: '2012-10-17', Statement: [] });
    expect(only403?.evidence.review.map((r) => r.reason)).toEqual(['auth-denied-only']);
  });
});
