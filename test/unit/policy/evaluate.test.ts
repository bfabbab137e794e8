// Specification of the auth-policy evaluator: one row per rule of the IAM evaluation logic
// (aws-contracts.md §5, checked against the IAM User Guide as cited in
// shared/policy/evaluate/conditions.ts), on request contexts rebuilt from access-log records.
import { describe, expect, it } from 'vitest';
import type { ServiceAccessLogRecord } from '../../../shared/log/index.ts';
import {
  type ContextValue,
  checkAuthPolicy,
  combineDecisions,
  evaluatePolicy,
  type PolicyDecision,
  PolicyFormatError,
  parseAuthPolicy,
  type RequestContext,
  requestContextOf,
} from '../../../shared/policy/evaluate/index.ts';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const SERVICE = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/svc-0123456789abcdef0`;
const NETWORK = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:servicenetwork/sn-0a1b2c3d4e5f60718`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/order-service-role`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/i-0abc`;
const USER = `arn:aws:iam::${ACCOUNT}:user/ops/reporting-bot`;
const VPC = 'vpc-0a13314c17f463072';

/** Log fields to change; `undefined` removes a field, as the parser does for `-`. */
type Fields = { [K in keyof ServiceAccessLogRecord]?: ServiceAccessLogRecord[K] | undefined };

/** A signed GET of /api/v1/orders/42 by an order-service-role session. */
function record(fields: Fields = {}): ServiceAccessLogRecord {
  const merged: Record<string, unknown> = {
    kind: 'service',
    startTime: '2026-11-20T10:15:30Z',
    requestMethod: 'GET',
    requestPath: '/api/v1/orders/42',
    responseCode: 200,
    serviceArn: SERVICE,
    serviceNetworkArn: NETWORK,
    sourceVpcId: VPC,
    sourceVpcArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${VPC}`,
    callerPrincipal: SESSION,
    callerPrincipalOrgID: 'o-e87cb45c05',
    extra: {},
    ...fields,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as unknown as ServiceAccessLogRecord;
}

const ANONYMOUS: Fields = {
  callerPrincipal: undefined,
  callerPrincipalOrgID: undefined,
};

type Statement = Record<string, unknown>;

function allow(fields: Statement = {}): Statement {
  return {
    Sid: 'A',
    Effect: 'Allow',
    Principal: '*',
    Action: 'vpc-lattice-svcs:Invoke',
    Resource: `${SERVICE}/*`,
    ...fields,
  };
}

function deny(fields: Statement = {}): Statement {
  return { ...allow(fields), Sid: 'D', Effect: 'Deny', ...fields };
}

function when(condition: Statement): Statement {
  return allow({ Condition: condition });
}

interface Case {
  /** The rule this row checks, with where it is written down. */
  rule: string;
  statements: Statement[];
  request?: Fields;
  /** Condition keys to set beyond what the log tells (for keys the logs never carry). */
  keys?: Record<string, ContextValue>;
  expected: PolicyDecision['decision'];
  reason?: PolicyDecision['reason'];
  statementsDeciding?: string[];
}

const present = (...values: string[]): ContextValue => ({ state: 'present', values });

const CASES: Case[] = [
  // §5 decision
  {
    rule: '§5: an Allow that applies allows',
    statements: [allow()],
    expected: 'allow',
    reason: 'allowed',
    statementsDeciding: ['A'],
  },
  {
    rule: '§5: no applicable Allow is an implicit deny',
    statements: [allow({ Resource: `${SERVICE}/admin/*` })],
    expected: 'deny',
    reason: 'no-allow',
    statementsDeciding: [],
  },
  {
    rule: '§5: an empty policy denies everything',
    statements: [],
    expected: 'deny',
    reason: 'no-allow',
  },
  {
    rule: '§5: an explicit Deny beats an Allow',
    statements: [allow(), deny()],
    expected: 'deny',
    reason: 'explicit-deny',
    statementsDeciding: ['D'],
  },
  {
    rule: '§5: a Deny that does not apply leaves the Allow',
    statements: [allow(), deny({ Resource: `${SERVICE}/admin/*` })],
    expected: 'allow',
  },
  {
    rule: '§5 + unknown key: a Deny that may apply makes an Allow unknown',
    statements: [
      allow(),
      deny({ Condition: { NumericEquals: { 'vpc-lattice-svcs:Port': '443' } } }),
    ],
    expected: 'unknown',
    statementsDeciding: ['D'],
  },
  {
    rule: '§5 + unknown key: without any Allow the request is denied whatever the Deny',
    statements: [deny({ Condition: { NumericEquals: { 'vpc-lattice-svcs:Port': '443' } } })],
    expected: 'deny',
    reason: 'no-allow',
  },
  {
    rule: '§5 + unknown key: an Allow that may apply is unknown',
    statements: [when({ NumericEquals: { 'vpc-lattice-svcs:Port': '443' } })],
    expected: 'unknown',
  },
  {
    rule: '§5: one Allow that applies is enough beside an unknown one',
    statements: [
      when({ NumericEquals: { 'vpc-lattice-svcs:Port': '443' } }),
      { ...allow(), Sid: 'B' },
    ],
    expected: 'allow',
    statementsDeciding: ['B'],
  },
  {
    rule: '§5: a statement without Sid is named by its index',
    statements: [{ ...allow(), Sid: undefined }],
    expected: 'allow',
    statementsDeciding: ['Statement[0]'],
  },

  // §4 Principal
  {
    rule: '§4 Principal: "*" matches a signed caller',
    statements: [allow({ Principal: '*' })],
    expected: 'allow',
  },
  {
    rule: '§4 Principal: "*" matches an unsigned caller',
    statements: [allow({ Principal: '*' })],
    request: ANONYMOUS,
    expected: 'allow',
  },
  {
    rule: '§4 Principal: a role ARN matches every session of the role',
    statements: [allow({ Principal: { AWS: ROLE } })],
    expected: 'allow',
  },
  {
    rule: '§4 Principal: another role does not match',
    statements: [allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/cart-service-role` } })],
    expected: 'deny',
  },
  {
    rule: '§4 Principal: the same role name in another account does not match',
    statements: [allow({ Principal: { AWS: `arn:aws:iam::${OTHER}:role/order-service-role` } })],
    expected: 'deny',
  },
  {
    rule: '§4 Principal: a role named under a path is unknown (the session ARN has no path)',
    statements: [
      allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/service-role/order-service-role` } }),
    ],
    expected: 'unknown',
  },
  {
    rule: '§4 Principal: a session ARN matches that session only',
    statements: [allow({ Principal: { AWS: SESSION } })],
    expected: 'allow',
  },
  {
    rule: '§4 Principal: a session ARN does not match another session of the role',
    statements: [
      allow({
        Principal: { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/other` },
      }),
    ],
    expected: 'deny',
  },
  {
    rule: '§4 Principal: a user ARN matches that user',
    statements: [allow({ Principal: { AWS: USER } })],
    request: { callerPrincipal: USER },
    expected: 'allow',
  },
  {
    rule: '§4 Principal: an account id matches every principal of the account',
    statements: [allow({ Principal: { AWS: ACCOUNT } })],
    expected: 'allow',
  },
  {
    rule: '§4 Principal: an account root ARN matches every principal of the account',
    statements: [allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })],
    request: { callerPrincipal: USER },
    expected: 'allow',
  },
  {
    rule: '§4 Principal: an account principal does not match another account',
    statements: [allow({ Principal: { AWS: OTHER } })],
    expected: 'deny',
  },
  {
    rule: '§4 Principal: an account principal does not match an unsigned caller',
    statements: [allow({ Principal: { AWS: ACCOUNT } })],
    request: ANONYMOUS,
    expected: 'deny',
  },
  {
    rule: '§4 Principal: {"AWS": "*"} matches a signed caller',
    statements: [allow({ Principal: { AWS: '*' } })],
    expected: 'allow',
  },
  {
    rule: '§4 Principal: {"AWS": "*"} on an unsigned caller is undocumented for Lattice: unknown',
    statements: [allow({ Principal: { AWS: '*' } })],
    request: ANONYMOUS,
    expected: 'unknown',
  },
  {
    rule: '§5 Principal: several principals are OR-ed',
    statements: [allow({ Principal: { AWS: [USER, ROLE] } })],
    expected: 'allow',
  },
  {
    rule: '§5 NotPrincipal: applies to everyone but the principals named',
    statements: [allow({ Principal: undefined, NotPrincipal: { AWS: USER } })],
    expected: 'allow',
  },
  {
    rule: '§5 NotPrincipal: does not apply to a principal named',
    statements: [allow({ Principal: undefined, NotPrincipal: { AWS: ROLE } })],
    expected: 'deny',
  },
  {
    rule: '§4 Principal: a service principal never signs a Lattice request',
    statements: [allow({ Principal: { Service: 'lambda.amazonaws.com' } })],
    expected: 'deny',
  },

  // §4 Action
  {
    rule: '§5 Action: a service wildcard matches Invoke',
    statements: [allow({ Action: 'vpc-lattice-svcs:*' })],
    expected: 'allow',
  },
  {
    rule: '§5 Action: "*" matches every action',
    statements: [allow({ Action: '*' })],
    expected: 'allow',
  },
  {
    rule: '§5 Action: action names are case-insensitive',
    statements: [allow({ Action: 'VPC-Lattice-Svcs:invoke' })],
    expected: 'allow',
  },
  {
    rule: '§4 Action: Connect is not Invoke',
    statements: [allow({ Action: 'vpc-lattice-svcs:Connect' })],
    expected: 'deny',
  },
  {
    rule: '§5 NotAction: applies to every action but the ones named',
    statements: [allow({ Action: undefined, NotAction: 'vpc-lattice-svcs:Connect' })],
    expected: 'allow',
  },

  // §4 Resource
  {
    rule: '§4 Resource: the exact path matches',
    statements: [allow({ Resource: `${SERVICE}/api/v1/orders/42` })],
    expected: 'allow',
  },
  {
    rule: '§4 Resource: `*` matches any characters, `/` included',
    statements: [allow({ Resource: `${SERVICE}/api/*` })],
    expected: 'allow',
  },
  {
    rule: '§4 Resource: a shorter path is not a prefix match',
    statements: [allow({ Resource: `${SERVICE}/api/v1/orders` })],
    expected: 'deny',
  },
  {
    rule: '§4 Resource: `?` matches exactly one character',
    statements: [allow({ Resource: `${SERVICE}/api/v1/orders/4?` })],
    expected: 'allow',
  },
  {
    rule: '§4 Resource: "*" matches every resource',
    statements: [allow({ Resource: '*' })],
    expected: 'allow',
  },
  {
    rule: '§4 Resource: another service does not match',
    statements: [allow({ Resource: `${SERVICE.replace('abcdef0', 'abcdef1')}/*` })],
    expected: 'deny',
  },
  {
    rule: '§4 Resource: matching is case-sensitive',
    statements: [allow({ Resource: `${SERVICE}/API/*` })],
    expected: 'deny',
  },
  {
    rule: '§4 Resource: the query string is not part of the resource',
    statements: [allow({ Resource: `${SERVICE}/api/v1/orders/42` })],
    request: { requestPath: '/api/v1/orders/42?expand=items' },
    expected: 'allow',
  },
  {
    rule: '§4 Resource: a trailing slash is part of the path as sent',
    statements: [allow({ Resource: `${SERVICE}/api/v1/orders` })],
    request: { requestPath: '/api/v1/orders/' },
    expected: 'deny',
  },
  {
    rule: '§4 Resource: a pattern that matches both spellings of an encoded path decides',
    statements: [allow({ Resource: `${SERVICE}/files/caf*` })],
    request: { requestPath: '/files/caf%C3%A9' },
    expected: 'allow',
  },
  {
    rule: '§4 Resource (verify): sent and decoded spellings decide differently: unknown',
    statements: [allow({ Resource: `${SERVICE}/files/a%20b` })],
    request: { requestPath: '/files/a%20b' },
    expected: 'unknown',
  },
  {
    rule: '§5 NotResource: applies to every resource but the ones named',
    statements: [allow({ Resource: undefined, NotResource: `${SERVICE}/admin/*` })],
    expected: 'allow',
  },
  {
    rule: '§5 NotResource: does not apply to a resource named',
    statements: [allow({ Resource: undefined, NotResource: `${SERVICE}/api/*` })],
    expected: 'deny',
  },
  {
    rule: '§5 Resource: a wildcard stays within its ARN part',
    statements: [
      allow({ Resource: `arn:aws:vpc-lattice:*:${ACCOUNT}:service/svc-0123456789abcdef0/*` }),
    ],
    expected: 'allow',
  },
  {
    rule: '§5 Resource: several resources are OR-ed',
    statements: [allow({ Resource: [`${SERVICE}/admin`, `${SERVICE}/api/v1/orders/*`] })],
    expected: 'allow',
  },

  // §5 Condition: operators and their combination
  {
    rule: '§4 RequestMethod: StringEquals matches the logged method',
    statements: [when({ StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' } })],
    expected: 'allow',
  },
  {
    rule: '§5 values of one key are OR-ed',
    statements: [when({ StringEquals: { 'vpc-lattice-svcs:RequestMethod': ['POST', 'GET'] } })],
    expected: 'allow',
  },
  {
    rule: '§5 StringEquals is case-sensitive',
    statements: [when({ StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'get' } })],
    expected: 'deny',
  },
  {
    rule: '§5 StringEqualsIgnoreCase folds case',
    statements: [when({ StringEqualsIgnoreCase: { 'vpc-lattice-svcs:RequestMethod': 'get' } })],
    expected: 'allow',
  },
  {
    rule: '§5 StringNotEquals matches a different value',
    statements: [when({ StringNotEquals: { 'vpc-lattice-svcs:RequestMethod': 'POST' } })],
    expected: 'allow',
  },
  {
    rule: '§5 a negated operator NORs its values',
    statements: [when({ StringNotEquals: { 'vpc-lattice-svcs:RequestMethod': ['POST', 'GET'] } })],
    expected: 'deny',
  },
  {
    rule: '§5 StringLike: `*` wildcard',
    statements: [when({ StringLike: { 'vpc-lattice-svcs:SourceVpc': 'vpc-0a13*' } })],
    expected: 'allow',
  },
  {
    rule: '§5 StringNotLike: excludes a matching value',
    statements: [when({ StringNotLike: { 'vpc-lattice-svcs:SourceVpc': 'vpc-0a13*' } })],
    expected: 'deny',
  },
  {
    rule: '§5 several keys under one operator are AND-ed',
    statements: [
      when({
        StringEquals: {
          'vpc-lattice-svcs:RequestMethod': 'GET',
          'vpc-lattice-svcs:SourceVpc': 'vpc-other',
        },
      }),
    ],
    expected: 'deny',
  },
  {
    rule: '§5 several operators are AND-ed',
    statements: [
      when({
        StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' },
        StringLike: { 'vpc-lattice-svcs:SourceVpc': 'vpc-other*' },
      }),
    ],
    expected: 'deny',
  },
  {
    rule: '§5 condition key names are case-insensitive',
    statements: [when({ StringEquals: { 'VPC-LATTICE-SVCS:requestmethod': 'GET' } })],
    expected: 'allow',
  },

  // §5 Condition: absent and unknown keys
  {
    rule: '§5 (verified) a missing key makes StringEquals false',
    statements: [when({ StringEquals: { 'aws:PrincipalOrgID': 'o-e87cb45c05' } })],
    request: ANONYMOUS,
    expected: 'deny',
  },
  {
    rule: '§5 (verified) a missing key makes StringNotEquals true',
    statements: [when({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-e87cb45c05' } })],
    request: ANONYMOUS,
    expected: 'allow',
  },
  {
    rule: '§5 (verified) …IfExists is true when the key is missing',
    statements: [when({ StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-other' } })],
    request: ANONYMOUS,
    expected: 'allow',
  },
  {
    rule: '§5 …IfExists applies the operator when the key is present',
    statements: [when({ StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-other' } })],
    expected: 'deny',
  },
  {
    rule: '§5 Null "true" holds for a missing key',
    statements: [when({ Null: { 'aws:PrincipalArn': 'true' } })],
    request: ANONYMOUS,
    expected: 'allow',
  },
  {
    rule: '§5 Null "false" fails for a missing key',
    statements: [when({ Null: { 'aws:PrincipalArn': 'false' } })],
    request: ANONYMOUS,
    expected: 'deny',
  },
  {
    rule: '§5 Null "false" holds for a present key',
    statements: [when({ Null: { 'aws:PrincipalArn': 'false' } })],
    expected: 'allow',
  },
  {
    rule: '§5 (verified) ForAllValues is true when the key is missing',
    statements: [when({ 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-other' } })],
    request: ANONYMOUS,
    expected: 'allow',
  },
  {
    rule: '§5 (verified) ForAnyValue is false when the key is missing',
    statements: [when({ 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgID': 'o-other' } })],
    request: ANONYMOUS,
    expected: 'deny',
  },
  {
    rule: '§5 (verified) ForAnyValue…IfExists is false too when the key is missing',
    statements: [when({ 'ForAnyValue:StringEqualsIfExists': { 'aws:PrincipalOrgID': 'o-other' } })],
    request: ANONYMOUS,
    expected: 'deny',
  },
  {
    rule: '§5 ForAllValues needs every request value to match a policy value',
    statements: [when({ 'ForAllValues:StringLike': { 'aws:PrincipalOrgID': 'o-e87*' } })],
    expected: 'allow',
  },
  {
    rule: '§5 a key the logs cannot tell is unknown, never guessed',
    statements: [when({ NumericEquals: { 'vpc-lattice-svcs:Port': '443' } })],
    expected: 'unknown',
  },
  {
    rule: '§5 …IfExists does not make an unknown key known',
    statements: [when({ NumericEqualsIfExists: { 'vpc-lattice-svcs:Port': '443' } })],
    expected: 'unknown',
  },
  {
    rule: '§5 Null does not make an unknown key known',
    statements: [when({ Null: { 'vpc-lattice-svcs:Port': 'true' } })],
    expected: 'unknown',
  },
  {
    rule: '§4 request headers are not logged: unknown',
    statements: [when({ StringEquals: { 'vpc-lattice-svcs:RequestHeader/x-team': 'checkout' } })],
    expected: 'unknown',
  },
  {
    rule: '§4 aws:PrincipalOrgID not logged for a signed caller is unknown',
    statements: [when({ StringEquals: { 'aws:PrincipalOrgID': 'o-e87cb45c05' } })],
    request: { callerPrincipalOrgID: undefined },
    expected: 'unknown',
  },

  // §5 Condition: operator families
  {
    rule: '§5 NumericLessThan',
    statements: [when({ NumericLessThan: { 'vpc-lattice-svcs:Port': '8443' } })],
    keys: { 'vpc-lattice-svcs:port': present('443') },
    expected: 'allow',
  },
  {
    rule: '§5 NumericGreaterThanEquals',
    statements: [when({ NumericGreaterThanEquals: { 'vpc-lattice-svcs:Port': 8443 } })],
    keys: { 'vpc-lattice-svcs:port': present('443') },
    expected: 'deny',
  },
  {
    rule: '§5 NumericNotEquals',
    statements: [when({ NumericNotEquals: { 'vpc-lattice-svcs:Port': '80' } })],
    keys: { 'vpc-lattice-svcs:port': present('443') },
    expected: 'allow',
  },
  {
    rule: '§5 DateLessThan on aws:CurrentTime (the logged startTime)',
    statements: [when({ DateLessThan: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' } })],
    expected: 'allow',
  },
  {
    rule: '§5 DateGreaterThan with epoch seconds (1800000000 is 2027-01-15)',
    statements: [when({ DateGreaterThan: { 'aws:CurrentTime': '1800000000' } })],
    expected: 'deny',
  },
  {
    rule: '§5 Bool compares true/false',
    statements: [when({ Bool: { 'aws:SecureTransport': 'true' } })],
    keys: { 'aws:securetransport': present('true') },
    expected: 'allow',
  },
  {
    rule: '§5 IpAddress: a CIDR block holds the address',
    statements: [when({ IpAddress: { 'aws:SourceIp': '10.20.0.0/16' } })],
    keys: { 'aws:sourceip': present('10.20.5.215') },
    expected: 'allow',
  },
  {
    rule: '§5 NotIpAddress: excludes an address in the block',
    statements: [when({ NotIpAddress: { 'aws:SourceIp': '10.20.0.0/16' } })],
    keys: { 'aws:sourceip': present('10.20.5.215') },
    expected: 'deny',
  },
  {
    rule: '§5 IpAddress: IPv6 blocks',
    statements: [when({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } })],
    keys: { 'aws:sourceip': present('2001:db8:0:1::7') },
    expected: 'allow',
  },
  {
    rule: '§5 ArnLike: wildcards per ARN part on aws:PrincipalArn',
    statements: [when({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/order-*` } })],
    expected: 'allow',
  },
  {
    rule: '§5 ArnEquals: aws:PrincipalArn of a session is its role ARN',
    statements: [when({ ArnEquals: { 'aws:PrincipalArn': ROLE } })],
    expected: 'allow',
  },
  {
    rule: '§5 ArnNotLike: excludes a matching ARN',
    statements: [when({ ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } })],
    expected: 'deny',
  },
  {
    rule: '§5 ArnEquals on a role named under a path is unknown for a session',
    statements: [
      when({
        ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/svc/order-service-role` },
      }),
    ],
    expected: 'unknown',
  },
  {
    rule: '§5 ArnLike on vpc-lattice-svcs:ServiceNetworkArn',
    statements: [
      when({
        ArnLike: {
          'vpc-lattice-svcs:ServiceNetworkArn': `arn:aws:vpc-lattice:*:${ACCOUNT}:servicenetwork/*`,
        },
      }),
    ],
    expected: 'allow',
  },

  // §4 global and Lattice keys the logs tell
  {
    rule: '§4 aws:PrincipalType is AssumedRole for a role session',
    statements: [when({ StringEquals: { 'aws:PrincipalType': 'AssumedRole' } })],
    expected: 'allow',
  },
  {
    rule: '§4 aws:PrincipalType is Anonymous for an unsigned request',
    statements: [when({ StringEquals: { 'aws:PrincipalType': 'Anonymous' } })],
    request: ANONYMOUS,
    expected: 'allow',
  },
  {
    rule: '§4 admitting signed callers only: StringNotEqualsIgnoreCase aws:PrincipalType anonymous',
    statements: [when({ StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' } })],
    request: ANONYMOUS,
    expected: 'deny',
  },
  {
    rule: '§4 aws:PrincipalType is User for an IAM user',
    statements: [when({ StringEquals: { 'aws:PrincipalType': 'User' } })],
    request: { callerPrincipal: USER },
    expected: 'allow',
  },
  {
    rule: '§4 aws:PrincipalAccount is the caller account',
    statements: [when({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT } })],
    expected: 'allow',
  },
  {
    rule: '§4 vpc-lattice-svcs:SourceVpcOwnerAccount comes from sourceVpcArn',
    statements: [when({ StringEquals: { 'vpc-lattice-svcs:SourceVpcOwnerAccount': OTHER } })],
    expected: 'deny',
  },
  {
    rule: '§4 aws:PrincipalOrgID comes from callerPrincipalOrgID',
    statements: [when({ StringEquals: { 'aws:PrincipalOrgID': 'o-e87cb45c05' } })],
    expected: 'allow',
  },
  {
    rule: '§4 RequestQueryString/<key> comes from the logged query string',
    statements: [when({ StringEquals: { 'vpc-lattice-svcs:RequestQueryString/expand': 'items' } })],
    request: { requestPath: '/api/v1/orders/42?expand=items' },
    expected: 'allow',
  },
  {
    rule: '§4 a query parameter not in the logged path is absent',
    statements: [when({ StringEquals: { 'vpc-lattice-svcs:RequestQueryString/expand': 'items' } })],
    expected: 'deny',
  },
  {
    rule: '§4 aws:PrincipalTag/<key> comes from callerPrincipalTags when it is an object',
    statements: [when({ StringEquals: { 'aws:PrincipalTag/team': 'orders' } })],
    request: { callerPrincipalTags: { Team: 'orders' } },
    expected: 'allow',
  },
  {
    rule: '§4 aws:PrincipalTag/<key> without a tags object is unknown',
    statements: [when({ StringEquals: { 'aws:PrincipalTag/team': 'orders' } })],
    expected: 'unknown',
  },
];

function contextFor(testCase: Case): RequestContext {
  const context = requestContextOf(record(testCase.request));
  if (testCase.keys === undefined) return context;
  const keys = new Map(context.keys);
  for (const [key, value] of Object.entries(testCase.keys)) keys.set(key, value);
  return { ...context, keys };
}

describe('evaluatePolicy', () => {
  it('has a case for every rule (at least 60)', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.rule)).size).toBe(CASES.length);
  });

  it.each(CASES)('$rule → $expected', (testCase) => {
    const policy = checkAuthPolicy(
      { Version: '2012-10-17', Statement: testCase.statements },
      'case',
    );
    const decision = evaluatePolicy(policy, contextFor(testCase));
    expect(decision.decision).toBe(testCase.expected);
    if (testCase.reason !== undefined) expect(decision.reason).toBe(testCase.reason);
    if (testCase.statementsDeciding !== undefined) {
      expect(decision.statements).toEqual(testCase.statementsDeciding);
    }
    if (testCase.expected === 'unknown') expect(decision.unknown.length).toBeGreaterThan(0);
  });

  it('says which key made a decision unknown', () => {
    const policy = checkAuthPolicy(
      { Statement: [when({ NumericEquals: { 'vpc-lattice-svcs:Port': '443' } })] },
      'p',
    );
    expect(evaluatePolicy(policy, requestContextOf(record())).unknown).toEqual([
      'vpc-lattice-svcs:Port: the listener port is not recorded in access logs',
    ]);
  });
});

describe('combineDecisions', () => {
  const decision = (d: PolicyDecision['decision']): PolicyDecision => ({
    decision: d,
    reason: d === 'allow' ? 'allowed' : d === 'deny' ? 'no-allow' : 'unknown',
    statements: [d],
    unknown: d === 'unknown' ? ['why'] : [],
    results: [],
  });

  it.each([
    [['allow', 'allow'], 'allow'],
    [['allow', 'deny'], 'deny'],
    [['unknown', 'deny'], 'deny'],
    [['allow', 'unknown'], 'unknown'],
  ] as const)(
    'needs the service-network and the service policy both to allow: %j → %s',
    (inputs, expected) => {
      expect(combineDecisions(inputs.map(decision)).decision).toBe(expected);
    },
  );
});

describe('requestContextOf', () => {
  it('rebuilds resource, caller and keys from a log record', () => {
    const context = requestContextOf(record({ requestPath: '/files/caf%C3%A9?x=1' }));
    expect(context.resource).toBe(`${SERVICE}/files/caf%C3%A9`);
    expect(context.decodedResource).toBe(`${SERVICE}/files/café`);
    expect(context.caller).toEqual({
      isAnonymous: false,
      arn: SESSION,
      account: ACCOUNT,
      partition: 'aws',
      roleName: 'order-service-role',
    });
    expect(context.keys.get('aws:principalarn')).toEqual(present(ROLE));
    expect(context.keys.get('vpc-lattice-svcs:requestquerystring/x')).toEqual(present('1'));
  });

  it('treats a bare account id as the account root', () => {
    const context = requestContextOf(record({ callerPrincipal: ACCOUNT }));
    expect(context.caller.arn).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(context.keys.get('aws:principaltype')).toEqual(present('Account'));
  });
});

describe('parseAuthPolicy', () => {
  const good = JSON.stringify({ Version: '2012-10-17', Statement: [allow()] });

  it('reads a valid policy, a single statement object included', () => {
    expect(parseAuthPolicy(good, 'p.json').statements).toHaveLength(1);
    expect(
      parseAuthPolicy(JSON.stringify({ Statement: allow() }), 'p.json').statements,
    ).toHaveLength(1);
  });

  it.each([
    ['{"Version": ', 'policy p.json: not valid JSON'],
    ['[]', 'policy p.json: expected a policy object, got an array'],
    ['{"Version":"2012-10-17"}', 'policy p.json: Statement is missing'],
    [
      '{"Version":"2020-01-01","Statement":[]}',
      'policy p.json: Version must be "2012-10-17", got string "2020-01-01"',
    ],
    ['{"Statement":[],"Extra":1}', 'policy p.json: unknown top-level element "Extra"'],
    [
      JSON.stringify({ Statement: [allow({ Effect: 'Permit' })] }),
      'policy p.json: Statement[0].Effect must be "Allow" or "Deny", got string "Permit"',
    ],
    [
      JSON.stringify({ Statement: [allow({ Principal: undefined })] }),
      'policy p.json: Statement[0]: needs Principal or NotPrincipal',
    ],
    [
      JSON.stringify({ Statement: [allow({ NotResource: '*' })] }),
      'policy p.json: Statement[0]: has both Resource and NotResource',
    ],
    [
      JSON.stringify({ Statement: [allow({ Action: [] })] }),
      'policy p.json: Statement[0].Action is an empty list',
    ],
    [
      JSON.stringify({ Statement: [allow({ Principal: { Role: 'x' } })] }),
      'policy p.json: Statement[0].Principal: unknown principal type "Role"',
    ],
    [
      JSON.stringify({ Statement: [allow({ Principal: 'everyone' })] }),
      'policy p.json: Statement[0].Principal must be "*" or an object such as {"AWS": ARN}, got string "everyone"',
    ],
    [
      JSON.stringify({ Statement: [when({ StringEqual: { k: 'v' } })] }),
      'policy p.json: Statement[0].Condition: unknown condition operator "StringEqual"',
    ],
    [
      JSON.stringify({ Statement: [when({ stringequals: { k: 'v' } })] }),
      'policy p.json: Statement[0].Condition: unknown condition operator "stringequals" (operator names are case-sensitive: StringEquals)',
    ],
    [
      JSON.stringify({ Statement: [when({ NumericLessThan: { k: 'ten' } })] }),
      'policy p.json: Statement[0].Condition.NumericLessThan["k"]: "ten" is not a number',
    ],
    [
      JSON.stringify({ Statement: [when({ IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } })] }),
      'policy p.json: Statement[0].Condition.IpAddress["aws:SourceIp"]: "10.0.0.0/33" is not an IP address or CIDR block',
    ],
    [
      JSON.stringify({ Statement: [when({ NullIfExists: { k: 'true' } })] }),
      'policy p.json: Statement[0].Condition: condition operator "NullIfExists": Null takes neither IfExists nor a set qualifier',
    ],
    [
      JSON.stringify({ Statement: [when({ StringEquals: { k: { nested: 1 } } })] }),
      'policy p.json: Statement[0].Condition.StringEquals["k"]: values must be strings, numbers or booleans, got an object',
    ],
    [JSON.stringify({ Statement: [allow(), allow()] }), 'policy p.json: Sid "A" is used twice'],
  ])('rejects %s with a one-line reason naming the file', (text, message) => {
    let error: unknown;
    try {
      parseAuthPolicy(text, 'p.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PolicyFormatError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });
});
