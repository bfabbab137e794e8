// Renders a statement draft as auth-policy JSON (aws-contracts.md §4), in a fixed key order.
import { ANY_METHOD, type StatementDraft } from './build-statements.ts';
import type { PolicyConditionBlock, PolicyStatement } from './types.ts';

export const INVOKE_ACTION = 'vpc-lattice-svcs:Invoke';

/** A single value stays a string and several become a sorted array, as people write policies. */
function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 && values[0] !== undefined ? values[0] : [...values];
}

export interface RenderOptions {
  /** Adds `aws:PrincipalOrgID` to every statement that names signed principals. */
  orgId?: string;
}

export function renderStatement(
  draft: StatementDraft,
  sid: string,
  serviceArn: string,
  options: RenderOptions = {},
): PolicyStatement {
  // Keys in sorted order, so the policy text is the same however the statement was built.
  const conditions: Record<string, string | string[]> = {};
  if (!draft.isAnonymous && options.orgId !== undefined) {
    conditions['aws:PrincipalOrgID'] = options.orgId;
  }
  if (draft.isAccountRoot) {
    // `arn:aws:iam::A:root` as Principal trusts the whole account A; the traffic came from the
    // root user, so only the root user (principal type Account) is granted.
    conditions['aws:PrincipalType'] = 'Account';
  }
  if (draft.isAnonymous) {
    // `*` admits every caller, signed or not. PrincipalType keeps the grant to the unsigned
    // traffic that proved it (a signed caller from the same VPC gets its own statement, or none),
    // and the source VPC keeps it to where that traffic came from.
    conditions['aws:PrincipalType'] = 'Anonymous';
  }
  if (!(draft.methods.length === 1 && draft.methods[0] === ANY_METHOD)) {
    conditions['vpc-lattice-svcs:RequestMethod'] = oneOrMany(draft.methods);
  }
  if (draft.isAnonymous) {
    conditions['vpc-lattice-svcs:SourceVpc'] = oneOrMany(draft.grantees);
  }
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: 'Allow',
    Principal: draft.isAnonymous ? '*' : { AWS: oneOrMany(draft.grantees) },
    Action: INVOKE_ACTION,
    Resource: oneOrMany(draft.paths.map((path) => `${serviceArn}${path}`)),
  };
  if (Object.keys(conditions).length > 0) {
    const condition: PolicyConditionBlock = { StringEquals: conditions };
    statement.Condition = condition;
  }
  return statement;
}
