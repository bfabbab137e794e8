// Specification of simulation: requests through the policies that govern them, counted, grouped
// and traced to the statements that decided.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AccessLogRecord,
  ParsedLine,
  ServiceAccessLogRecord,
} from '../../../shared/log/index.ts';
import {
  checkAuthPolicy,
  type GoverningPolicy,
  PolicyFormatError,
  PolicySet,
  readPolicies,
  simulateLogs,
} from '../../../shared/policy/index.ts';

const ACCOUNT = '111122223333';
const SERVICE_ID = 'svc-0123456789abcdef0';
const SERVICE = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/${SERVICE_ID}`;
const OTHER_SERVICE = SERVICE.replace('abcdef0', 'abcdef1');
const NETWORK_ID = 'sn-0a1b2c3d4e5f60718';
const NETWORK = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:servicenetwork/${NETWORK_ID}`;
const ORDER = `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/task-1`;
const CART = `arn:aws:sts::${ACCOUNT}:assumed-role/cart-service-role/i-1`;

let second = 0;
function request(fields: Partial<ServiceAccessLogRecord> = {}): AccessLogRecord {
  second++;
  return {
    kind: 'service',
    startTime: new Date(Date.UTC(2026, 10, 20, 10, 0, second)).toISOString(),
    requestMethod: 'GET',
    requestPath: '/api/v1/orders/42',
    responseCode: 200,
    serviceArn: SERVICE,
    serviceNetworkArn: NETWORK,
    sourceVpcId: 'vpc-0a13314c17f463072',
    callerPrincipal: ORDER,
    extra: {},
    ...fields,
  };
}

async function* linesOf(records: AccessLogRecord[], rejected = 0): AsyncGenerator<ParsedLine> {
  for (const [i, record] of records.entries()) {
    yield { ok: true, record, location: { source: 'test.log', line: i + 1 } };
  }
  for (let i = 0; i < rejected; i++) {
    yield { ok: false, rejected: { location: { source: 'test.log', line: 0 }, reason: 'bad' } };
  }
}

function governing(
  resourceId: string,
  statements: unknown[],
  source = `${resourceId}.json`,
): GoverningPolicy {
  return {
    resourceId,
    document: checkAuthPolicy({ Version: '2012-10-17', Statement: statements }, source),
  };
}

const ORDER_GETS = {
  Sid: 'OrderReads',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/order-service-role` },
  Action: 'vpc-lattice-svcs:Invoke',
  Resource: [`${SERVICE}/api/v1/orders/*`, `${SERVICE}/admin/*`],
  Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': ['GET', 'DELETE'] } },
};

describe('simulateLogs', () => {
  it('counts every request once: allowed, denied, unknown, or unevaluated', async () => {
    const policies = new PolicySet([governing(SERVICE_ID, [ORDER_GETS])]);
    const result = await simulateLogs(
      linesOf(
        [
          request(),
          request({ callerPrincipal: CART }),
          request({ serviceArn: OTHER_SERVICE }),
          {
            kind: 'resource',
            startTime: '2026-11-20T11:00:00Z',
            resourceConfigurationArn: `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:resourceconfiguration/rcfg-0123456789abcdef0`,
            extra: {},
          },
        ],
        2,
      ),
      policies,
    );
    expect(result).toMatchObject({
      records: 4,
      rejectedLines: 2,
      allowed: 1,
      denied: 1,
      unknown: 0,
      unevaluated: 2,
      resourceConnections: 1,
      unevaluatedServices: [{ serviceArn: OTHER_SERVICE, requests: 1 }],
      successful: { allowed: 1, denied: 1, unknown: 0 },
      policies: [{ source: `${SERVICE_ID}.json`, governs: SERVICE_ID, statements: 1, requests: 2 }],
    });
  });

  it('groups denied requests by caller, service, method and learned path template, with what decided', async () => {
    const policies = new PolicySet([governing(SERVICE_ID, [ORDER_GETS])]);
    const carts = Array.from({ length: 25 }, (_, i) =>
      request({ callerPrincipal: CART, requestPath: `/api/v1/users/name${i}x/cart?x=${i}` }),
    );
    const denied = request({
      callerPrincipal: CART,
      responseCode: 403,
      authDeniedReason: 'Service',
    });
    const result = await simulateLogs(linesOf([...carts, denied]), policies);
    expect(result.deniedRequests).toEqual([
      {
        caller: `arn:aws:iam::${ACCOUNT}:role/cart-service-role`,
        callerKind: 'role',
        serviceId: SERVICE_ID,
        method: 'GET',
        pathTemplate: '/api/v1/users/{var}/cart',
        requests: 25,
        successful: 25,
        authDenied: 0,
        decidedBy: [`${SERVICE_ID}.json: no statement allows`],
        unknown: [],
        firstSeen: expect.any(String),
        lastSeen: expect.any(String),
        examplePaths: [
          '/api/v1/users/name0x/cart',
          '/api/v1/users/name10x/cart',
          '/api/v1/users/name11x/cart',
        ],
      },
      expect.objectContaining({
        pathTemplate: '/api/v1/orders/{id}',
        successful: 0,
        authDenied: 1,
      }),
    ]);
    expect(result.successful.denied).toBe(25);
    expect(result.authDeniedInLogs.denied).toBe(1);
  });

  it('names the Deny statement that decided', async () => {
    const policies = new PolicySet([
      governing(SERVICE_ID, [
        { ...ORDER_GETS, Condition: undefined },
        {
          Sid: 'NoAdmin',
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: `${SERVICE}/admin/*`,
        },
      ]),
    ]);
    const result = await simulateLogs(linesOf([request({ requestPath: '/admin/x' })]), policies);
    expect(result.deniedRequests.map((g) => g.decidedBy)).toEqual([
      [`${SERVICE_ID}.json: NoAdmin`],
    ]);
  });

  it('lists auth-denied requests that the policy would allow', async () => {
    const policies = new PolicySet([governing(SERVICE_ID, [ORDER_GETS])]);
    const result = await simulateLogs(
      linesOf([request({ responseCode: 403, authDeniedReason: 'Network' })]),
      policies,
    );
    expect(result.authDeniedInLogs).toEqual({ allowed: 1, denied: 0, unknown: 0 });
    expect(result.allowedAuthDenied).toMatchObject([
      {
        method: 'GET',
        pathTemplate: '/api/v1/orders/{id}',
        decidedBy: [`${SERVICE_ID}.json: OrderReads`],
      },
    ]);
  });

  it('reports a decision that depends on what the logs cannot tell as unknown, with the reason', async () => {
    const policies = new PolicySet([
      governing(SERVICE_ID, [
        { ...ORDER_GETS, Condition: { NumericEquals: { 'vpc-lattice-svcs:Port': '443' } } },
      ]),
    ]);
    const result = await simulateLogs(linesOf([request()]), policies);
    expect(result.unknown).toBe(1);
    expect(result.unknownRequests[0]?.unknown).toEqual([
      'vpc-lattice-svcs:Port: the listener port is not recorded in access logs',
    ]);
  });

  it('needs the service-network policy and the service policy both to allow', async () => {
    const networkOnlyOrders = governing(NETWORK_ID, [
      {
        Sid: 'Orders',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/order-service-role` },
        Action: '*',
        Resource: '*',
      },
    ]);
    const serviceAll = governing(SERVICE_ID, [
      { Sid: 'All', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
    ]);
    const result = await simulateLogs(
      linesOf([
        request(),
        request({ callerPrincipal: CART }),
        request({ serviceArn: OTHER_SERVICE }),
      ]),
      new PolicySet([networkOnlyOrders, serviceAll]),
    );
    expect([result.allowed, result.denied, result.unevaluated]).toEqual([2, 1, 0]);
    expect(result.deniedRequests[0]?.decidedBy).toEqual([
      `${NETWORK_ID}.json: no statement allows`,
    ]);
  });

  it('counts how often each statement, principal, resource and method applied', async () => {
    const policies = new PolicySet([governing(SERVICE_ID, [ORDER_GETS])]);
    const result = await simulateLogs(
      linesOf([request(), request(), request({ callerPrincipal: CART })]),
      policies,
    );
    expect(result.statements).toEqual([
      {
        policy: `${SERVICE_ID}.json`,
        governs: SERVICE_ID,
        sid: 'OrderReads',
        effect: 'Allow',
        requests: 2,
        principals: [{ value: `arn:aws:iam::${ACCOUNT}:role/order-service-role`, requests: 2 }],
        resources: [
          { value: `${SERVICE}/api/v1/orders/*`, requests: 2 },
          { value: `${SERVICE}/admin/*`, requests: 0 },
        ],
        methods: [
          { value: 'GET', requests: 2 },
          { value: 'DELETE', requests: 0 },
        ],
      },
    ]);
  });
});

describe('PolicySet', () => {
  it('refuses two policies for one service', () => {
    expect(
      () =>
        new PolicySet([governing(SERVICE_ID, [], 'a.json'), governing(SERVICE_ID, [], 'b.json')]),
    ).toThrow('policy b.json: governs svc-0123456789abcdef0, as a.json does already');
  });
});

describe('readPolicies', () => {
  let dir: string;
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [ORDER_GETS] });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lattice-lens-policies-'));
    await writeFile(join(dir, `${SERVICE_ID}.json`), policy);
    await writeFile(join(dir, `${SERVICE_ID}.evidence.json`), '{}');
    await writeFile(join(dir, `${SERVICE_ID}.cfn.json`), '{}');
    await writeFile(join(dir, 'current.json'), policy);
    await writeFile(
      join(dir, 'two-services.json'),
      JSON.stringify({
        Statement: [{ ...ORDER_GETS, Resource: [`${SERVICE}/*`, `${OTHER_SERVICE}/*`] }],
      }),
    );
    await writeFile(join(dir, 'broken.json'), '{"Statement": [');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the <svc-id>.json files of a directory and nothing beside them', async () => {
    const policies = await readPolicies(dir);
    expect(policies.map((p) => [p.resourceId, p.document.source])).toEqual([
      [SERVICE_ID, join(dir, `${SERVICE_ID}.json`)],
    ]);
  });

  it('tells the service of a single file from its name, its resources, or --service', async () => {
    expect((await readPolicies(join(dir, 'current.json')))[0]?.resourceId).toBe(SERVICE_ID);
    const named = await readPolicies(join(dir, 'two-services.json'), {
      resourceId: 'svc-0123456789abcdef1',
    });
    expect(named[0]?.resourceId).toBe('svc-0123456789abcdef1');
  });

  it('refuses a --service that contradicts the file name or the one service its resources name', async () => {
    await expect(
      readPolicies(join(dir, `${SERVICE_ID}.json`), { resourceId: 'svc-0123456789abcdef1' }),
    ).rejects.toThrow(
      `policy ${join(dir, `${SERVICE_ID}.json`)}: its name says it governs ${SERVICE_ID}, not svc-0123456789abcdef1`,
    );
    await expect(
      readPolicies(join(dir, 'current.json'), { resourceId: 'svc-0123456789abcdef1' }),
    ).rejects.toThrow(
      `policy ${join(dir, 'current.json')}: its resources name ${SERVICE_ID}, not svc-0123456789abcdef1`,
    );
    const agreeing = await readPolicies(join(dir, `${SERVICE_ID}.json`), {
      resourceId: SERVICE_ID,
    });
    expect(agreeing[0]?.resourceId).toBe(SERVICE_ID);
  });

  it('takes a default service only where the file says nothing', async () => {
    const fallback = { defaultResourceId: 'svc-0123456789abcdef1' };
    expect((await readPolicies(join(dir, 'current.json'), fallback))[0]?.resourceId).toBe(
      SERVICE_ID,
    );
    expect((await readPolicies(join(dir, 'two-services.json'), fallback))[0]?.resourceId).toBe(
      'svc-0123456789abcdef1',
    );
  });

  it('says which services a file names when it cannot tell which one it governs', async () => {
    await expect(readPolicies(join(dir, 'two-services.json'))).rejects.toThrow(
      `policy ${join(dir, 'two-services.json')}: cannot tell which service it governs: its resources name svc-0123456789abcdef0, svc-0123456789abcdef1; pass --service`,
    );
  });

  it('rejects a malformed file, naming it', async () => {
    await expect(readPolicies(join(dir, 'broken.json'))).rejects.toBeInstanceOf(PolicyFormatError);
    await expect(readPolicies(join(dir, 'broken.json'))).rejects.toThrow(
      new RegExp(`^policy ${join(dir, 'broken.json')}: not valid JSON`),
    );
  });

  it('rejects a missing path and an empty directory with an input error', async () => {
    await expect(readPolicies(join(dir, 'nope.json'))).rejects.toThrow(/no such file or directory/);
    const empty = await mkdtemp(join(tmpdir(), 'lattice-lens-empty-'));
    await expect(readPolicies(empty)).rejects.toThrow(
      /no policy files \(<svc-id>\.json or <sn-id>\.json\) in/,
    );
    await rm(empty, { recursive: true });
  });
});
