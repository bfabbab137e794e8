// The condition-operator grammar of IAM policies: which operator names exist, their family,
// negation, and the `ForAnyValue:` / `ForAllValues:` / `…IfExists` decorations.

export type OperatorFamily =
  | 'String'
  | 'Numeric'
  | 'Date'
  | 'Bool'
  | 'Binary'
  | 'Ip'
  | 'Arn'
  | 'Null';

export interface BaseOperator {
  name: string;
  family: OperatorFamily;
  /**
   * A negated operator (StringNotEquals, NotIpAddress …) matches when the value matches none
   * of the policy values (a NOR), and matches when the key is absent from the request.
   */
  isNegated: boolean;
}

const BASE_OPERATORS: readonly BaseOperator[] = [
  ['StringEquals', 'String', false],
  ['StringNotEquals', 'String', true],
  ['StringEqualsIgnoreCase', 'String', false],
  ['StringNotEqualsIgnoreCase', 'String', true],
  ['StringLike', 'String', false],
  ['StringNotLike', 'String', true],
  ['NumericEquals', 'Numeric', false],
  ['NumericNotEquals', 'Numeric', true],
  ['NumericLessThan', 'Numeric', false],
  ['NumericLessThanEquals', 'Numeric', false],
  ['NumericGreaterThan', 'Numeric', false],
  ['NumericGreaterThanEquals', 'Numeric', false],
  ['DateEquals', 'Date', false],
  ['DateNotEquals', 'Date', true],
  ['DateLessThan', 'Date', false],
  ['DateLessThanEquals', 'Date', false],
  ['DateGreaterThan', 'Date', false],
  ['DateGreaterThanEquals', 'Date', false],
  ['Bool', 'Bool', false],
  ['BinaryEquals', 'Binary', false],
  ['IpAddress', 'Ip', false],
  ['NotIpAddress', 'Ip', true],
  ['ArnEquals', 'Arn', false],
  ['ArnLike', 'Arn', false],
  ['ArnNotEquals', 'Arn', true],
  ['ArnNotLike', 'Arn', true],
  ['Null', 'Null', false],
].map(([name, family, isNegated]) => ({
  name: name as string,
  family: family as OperatorFamily,
  isNegated: isNegated as boolean,
}));

const BY_NAME = new Map(BASE_OPERATORS.map((operator) => [operator.name, operator]));

/** A condition operator as written in a policy, taken apart. */
export interface ConditionOperator {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. */
  written: string;
  base: BaseOperator;
  set?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
}

/** Takes an operator name apart; a string naming what is wrong when it is not one. */
export function parseConditionOperator(written: string): ConditionOperator | string {
  let rest = written;
  let set: ConditionOperator['set'];
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  const base = BY_NAME.get(rest);
  if (base === undefined) {
    const near = BASE_OPERATORS.find((o) => o.name.toLowerCase() === rest.toLowerCase());
    return `unknown condition operator ${JSON.stringify(written)}${near ? ` (operator names are case-sensitive: ${near.name})` : ''}`;
  }
  if (base.family === 'Null' && (ifExists || set !== undefined)) {
    return `condition operator ${JSON.stringify(written)}: Null takes neither IfExists nor a set qualifier`;
  }
  return set === undefined ? { written, base, ifExists } : { written, base, set, ifExists };
}
