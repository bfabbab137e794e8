// Specification of the policy diff and the backtest, on small in-memory logs.
import { describe, expect, it } from 'vitest';
import type {
  AccessLogRecord,
  ParsedLine,
  ServiceAccessLogRecord,
} from '../../../shared/log/index.ts';
import {
  BacktestWindowError,
  backtest,
  checkAuthPolicy,
  diffPolicies,
  GENERATED_SOURCE,
  type GoverningPolicy,
  PolicyDiffError,
} from '../../../shared/policy/index.ts';

const ACCOUNT = '111122223333';
const SERVICE_ID = 'svc-0123456789abcdef0';
const SERVICE = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/${SERVICE_ID}`;
const ORDER = `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/task-1`;
const ORDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/order-service-role`;

function request(hour: number, fields: Partial<ServiceAccessLogRecord> = {}): AccessLogRecord {
  return {
    kind: 'service',
    startTime: new Date(Date.UTC(2026, 10, 20, hour, 5)).toISOString(),
    requestMethod: 'GET',
    requestPath: '/api/v1/orders/42',
    responseCode: 200,
    serviceArn: SERVICE,
    callerPrincipal: ORDER,
    extra: {},
    ...fields,
  };
}

function reader(records: AccessLogRecord[]): () => AsyncIterable<ParsedLine> {
  return async function* () {
    for (const [i, record] of records.entries()) {
      yield { ok: true, record, location: { source: 'test.log', line: i + 1 } };
    }
  };
}

function policy(statements: unknown[], source = 'current.json'): GoverningPolicy {
  return {
    resourceId: SERVICE_ID,
    document: checkAuthPolicy({ Version: '2012-10-17', Statement: statements }, source),
  };
}

const ORDER_READS = {
  Sid: 'Reads',
  Effect: 'Allow',
  Principal: { AWS: ORDER_ROLE },
  Action: 'vpc-lattice-svcs:Invoke',
  Resource: `${SERVICE}/api/v1/orders/*`,
  Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' } },
};

describe('diffPolicies', () => {
  it('compares statements by meaning: Sid, key order, a single value or a list of one do not matter', async () => {
    const current = policy([ORDER_READS]);
    const suggested = policy(
      [
        {
          Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': ['GET'] } },
          Resource: [`${SERVICE}/api/v1/orders/*`],
          Action: ['VPC-LATTICE-SVCS:Invoke'],
          Principal: { AWS: [ORDER_ROLE] },
          Effect: 'Allow',
          Sid: 'Allow1',
        },
      ],
      'suggested.json',
    );
    const diff = await diffPolicies(reader([request(1)]), current, suggested);
    expect(diff).toMatchObject({
      added: [],
      removed: [],
      unchanged: [{ current: 'Reads', suggested: 'Allow1', requests: 1 }],
      unused: [],
      changes: [],
    });
  });

  it('generates the suggestion from the logs when none is given, with its evidence', async () => {
    const everything = policy([
      {
        ...ORDER_READS,
        Sid: 'All',
        Principal: '*',
        Resource: `${SERVICE}/*`,
        Condition: undefined,
      },
    ]);
    const diff = await diffPolicies(
      reader([request(1), request(2, { requestPath: '/api/v1/orders/7' })]),
      everything,
      undefined,
    );
    expect(diff.suggested.source).toBe(GENERATED_SOURCE);
    expect(diff.removed.map((s) => [s.sid, s.requests])).toEqual([['All', 2]]);
    expect(diff.added).toMatchObject([
      { sid: 'Allow1', requests: 2, evidence: { requests: 2, callers: [{ caller: ORDER_ROLE }] } },
    ]);
  });

  it('lists unused statements, principals, resources and methods of the current policy', async () => {
    const current = policy([
      {
        ...ORDER_READS,
        Principal: { AWS: [ORDER_ROLE, `arn:aws:iam::${ACCOUNT}:role/gone`] },
        Resource: [`${SERVICE}/api/v1/orders/*`, `${SERVICE}/api/v1/legacy/*`],
        Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': ['GET', 'DELETE'] } },
      },
      { ...ORDER_READS, Sid: 'Admin', Resource: `${SERVICE}/admin/*` },
      { ...ORDER_READS, Sid: 'NoDeletes', Effect: 'Deny', Resource: `${SERVICE}/x/*` },
    ]);
    const diff = await diffPolicies(reader([request(1)]), current, policy([ORDER_READS], 's.json'));
    expect(diff.unused).toEqual([
      {
        sid: 'Reads',
        element: 'principal',
        value: `arn:aws:iam::${ACCOUNT}:role/gone`,
        statementRequests: 1,
      },
      {
        sid: 'Reads',
        element: 'resource',
        value: `${SERVICE}/api/v1/legacy/*`,
        statementRequests: 1,
      },
      { sid: 'Reads', element: 'method', value: 'DELETE', statementRequests: 1 },
      { sid: 'Admin', element: 'statement', value: 'Admin', statementRequests: 0 },
    ]);
  });

  it('groups the requests whose outcome would change, with what the logs say happened', async () => {
    const open = policy([{ ...ORDER_READS, Principal: '*', Condition: undefined }]);
    const diff = await diffPolicies(
      reader([
        request(1),
        request(2, { requestMethod: 'POST' }),
        request(3, { requestMethod: 'POST', responseCode: 403, authDeniedReason: 'Network' }),
      ]),
      open,
      policy([ORDER_READS], 's.json'),
    );
    expect(diff.changes).toEqual([
      {
        caller: ORDER_ROLE,
        method: 'POST',
        pathTemplate: '/api/v1/orders/{id}',
        current: 'allow',
        suggested: 'deny',
        requests: 2,
        successful: 1,
        authDenied: 1,
        examplePaths: ['/api/v1/orders/42'],
      },
    ]);
  });

  it('refuses policies of two different services, and a service with no traffic to learn from', async () => {
    const other: GoverningPolicy = {
      ...policy([ORDER_READS], 'other.json'),
      resourceId: 'svc-0123456789abcdef1',
    };
    await expect(diffPolicies(reader([request(1)]), policy([ORDER_READS]), other)).rejects.toThrow(
      'current.json governs svc-0123456789abcdef0 but other.json governs svc-0123456789abcdef1',
    );
    await expect(diffPolicies(reader([]), policy([ORDER_READS]), undefined)).rejects.toBeInstanceOf(
      PolicyDiffError,
    );
  });
});

describe('backtest', () => {
  it('learns from the first hours and counts the later successful requests the policy would break', async () => {
    const records = [
      request(0),
      request(0, { requestMethod: 'POST', requestPath: '/api/v1/orders' }),
      request(1, { requestPath: '/api/v1/orders/43' }),
      request(1, { requestMethod: 'DELETE' }),
      request(2, { requestMethod: 'PATCH', responseCode: 403, authDeniedReason: 'Service' }),
    ];
    const result = await backtest(reader(records), { trainHours: 1 });
    expect(result).toMatchObject({
      train: {
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-20T01:00:00.000Z',
        hours: 1,
        requests: 2,
        services: 1,
      },
      test: { from: '2026-11-20T01:00:00.000Z', requests: 3 },
      allowed: 1,
      denied: 2,
      broken: 1,
      brokenShare: 0.5,
      breaks: [{ method: 'DELETE', pathTemplate: '/api/v1/orders/{id}', successful: 1 }],
    });
  });

  it('refuses a training part that leaves nothing to test on', async () => {
    await expect(
      backtest(reader([request(0), request(3)]), { trainHours: 4 }),
    ).rejects.toBeInstanceOf(BacktestWindowError);
    await expect(backtest(reader([]), { trainHours: 1 })).rejects.toThrow(
      'no valid access-log records',
    );
  });
});
