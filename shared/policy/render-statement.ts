// Renders a statement draft as auth-policy JSON (aws-contracts.md §4), in a fixed key order.
import { ANY_METHOD, type StatementDraft } from './build-statements.ts';
import type { PolicyConditionBlock, PolicyStatement } from './types.ts';

export const INVOKE_ACTION = 'vpc-lattice-svcs:Invoke';

/** A single value stays a string and several become a sorted array, as people write policies. */
function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 && values[0] !== undefined ? values[0] : [...values];
}

export function renderStatement(
  draft: StatementDraft,
  sid: string,
  serviceArn: string,
): PolicyStatement {
  const conditions: Record<string, string | string[]> = {};
  if (!(draft.methods.length === 1 && draft.methods[0] === ANY_METHOD)) {
    conditions['vpc-lattice-svcs:RequestMethod'] = oneOrMany(draft.methods);
  }
  if (draft.isAnonymous) {
    // `*` admits every caller, signed or not: the source VPC is what keeps this grant narrow.
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
