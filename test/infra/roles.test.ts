// Each role allows only what its code uses: the complete policy of every function role and of the
// Firehose delivery role, statement by statement (actions and resources), and nothing else attached.
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LatticeLensStack } from '../../infra/lattice-lens-stack.ts';
import { getAtt, logicalIdOf, objectsArn, SUBSCRIBED, synthTemplate } from './lattice-lens-app.ts';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

let stack: LatticeLensStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthTemplate({ ...SUBSCRIBED }));
});

/** Every statement any identity policy in the template grants to `role`, plus its own inline ones. */
function statementsOf(role: IConstruct): Statement[] {
  const roleId = logicalIdOf(role);
  const statements: Statement[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const roles = policy.Properties.Roles as unknown[];
    if (roles.some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId }))) {
      statements.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
    }
  }
  const roleResource = template.toJSON().Resources[roleId];
  for (const inline of roleResource.Properties.Policies ?? []) {
    statements.push(...(inline.PolicyDocument.Statement as Statement[]));
  }
  return statements;
}

/**
 * The statements in a canonical form: action and resource lists sorted, statements sorted. Order
 * carries no meaning in IAM, and the minimizePolicies flag sorts lists its own way.
 */
function canonical(statements: readonly Statement[]): Statement[] {
  const sorted = (value: unknown) =>
    Array.isArray(value)
      ? [...value].sort((a, b) => stableJson(a).localeCompare(stableJson(b)))
      : value;
  return statements
    .map((statement) => ({
      ...statement,
      Action: sorted(statement.Action) as string | string[],
      Resource: sorted(statement.Resource),
    }))
    .sort((a, b) => stableJson(a).localeCompare(stableJson(b)));
}

/** JSON with object keys sorted, so equal values give equal text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}

/** Asserts that `role` is granted exactly `expected`, nothing more and nothing less. */
function expectGrants(role: IConstruct, expected: Statement[]): void {
  expect(canonical(statementsOf(role))).toEqual(canonical(expected));
}

function roleOf(fn: { role?: IConstruct | undefined }): IConstruct {
  if (fn.role === undefined) throw new Error('function without a role');
  return fn.role;
}

function logGroupOf(fn: IConstruct): IConstruct {
  const logGroup = fn.node.scope?.node.tryFindChild(`${fn.node.id}Logs`);
  if (logGroup === undefined) throw new Error(`no log group for ${fn.node.path}`);
  return logGroup;
}

function ownLogs(fn: IConstruct): Statement {
  return {
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: getAtt(logGroupOf(fn), 'Arn'),
  };
}

describe('function roles', () => {
  it('each function has its own role, assumable by Lambda only, with no managed policy', () => {
    const { transform, aggregate, suggest, download } = stack.functions;
    const roleIds = [transform, aggregate, suggest, download].map((fn) => logicalIdOf(roleOf(fn)));
    expect(new Set(roleIds).size).toBe(4);
    for (const roleId of roleIds) {
      const role = template.toJSON().Resources[roleId];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
    }
    for (const fn of [transform, aggregate, suggest, download]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: getAtt(roleOf(fn), 'Arn'),
        LoggingConfig: { LogGroup: { Ref: logicalIdOf(logGroupOf(fn)) } },
      });
    }
  });

  it('transform: only its own log group (no S3; metrics are EMF log lines)', () => {
    const fn = stack.functions.transform;
    expectGrants(roleOf(fn), [ownLogs(fn)]);
  });

  it('aggregate: read logs/, write summaries/, park failed events in its queue', () => {
    const fn = stack.functions.aggregate;
    const bucket = stack.storage.bucket;
    expectGrants(roleOf(fn), [
      ownLogs(fn),
      {
        Sid: 'ReadAccessLogs',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objectsArn(bucket, 'logs/*'),
      },
      {
        Sid: 'WriteSummaries',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: objectsArn(bucket, 'summaries/*'),
      },
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: getAtt(stack.functions.aggregateFailures, 'Arn'),
      },
    ]);
  });

  it('suggest: list and read summaries/, write policies/', () => {
    const fn = stack.functions.suggest;
    const bucket = stack.storage.bucket;
    expectGrants(roleOf(fn), [
      ownLogs(fn),
      {
        Sid: 'ListSummaries',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: getAtt(bucket, 'Arn'),
        Condition: { StringLike: { 's3:prefix': ['summaries/*'] } },
      },
      {
        Sid: 'ReadSummaries',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objectsArn(bucket, 'summaries/*'),
      },
      {
        Sid: 'WritePolicies',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: objectsArn(bucket, 'policies/*'),
      },
    ]);
  });

  it('download: list and read policies/ (presigned URLs inherit exactly this)', () => {
    const fn = stack.functions.download;
    const bucket = stack.storage.bucket;
    expectGrants(roleOf(fn), [
      ownLogs(fn),
      {
        Sid: 'ListPolicies',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: getAtt(bucket, 'Arn'),
        Condition: { StringLike: { 's3:prefix': ['policies/*'] } },
      },
      {
        Sid: 'ReadPolicies',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objectsArn(bucket, 'policies/*'),
      },
    ]);
  });
});

describe('Firehose delivery role', () => {
  it('is assumable by Firehose for this account only', () => {
    const role = template.toJSON().Resources[logicalIdOf(deliveryRole())];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'firehose.amazonaws.com' },
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('invokes the transform, writes logs/ and errors/, and logs delivery errors to its stream', () => {
    const bucket = stack.storage.bucket;
    const statements = statementsOf(deliveryRole());
    expectGrants(deliveryRole(), [
      {
        Sid: 'InvokeTransform',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        Resource: getAtt(stack.functions.transform, 'Arn'),
      },
      {
        Sid: 'LocateBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: getAtt(bucket, 'Arn'),
      },
      {
        Sid: 'DeliverObjects',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: [objectsArn(bucket, 'logs/*'), objectsArn(bucket, 'errors/*')],
      },
      {
        Sid: 'WriteDeliveryErrors',
        Effect: 'Allow',
        Action: 'logs:PutLogEvents',
        Resource: expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
      },
    ]);
    // The log stream ARN names the stream's own group and stream, nothing wider.
    const logStreamArn = JSON.stringify(
      statements.find((statement) => statement.Sid === 'WriteDeliveryErrors')?.Resource,
    );
    expect(logStreamArn).toContain(JSON.stringify({ Ref: logicalIdOf(stack.ingest.logGroup) }));
    expect(logStreamArn).toContain(':log-stream:');
    expect(logStreamArn).not.toContain('*');
  });
});

describe('every identity policy in the stack', () => {
  it('grants no wildcard action and no s3:* / iam:* at all', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        const actions = ([] as string[]).concat(statement.Action);
        for (const action of actions) {
          expect(action).not.toMatch(/^(\*|s3:\*|iam:.*)$/);
        }
      }
    }
  });
});

function deliveryRole(): IConstruct {
  const role = stack.ingest.node.tryFindChild('DeliveryRole');
  if (role === undefined) throw new Error('no DeliveryRole');
  return role as IConstruct & { node: { defaultChild: CfnElement } };
}
