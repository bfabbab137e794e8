// Condition evaluation per IAM's rules (aws-contracts.md §5), checked against the IAM User Guide
// with the `search` tool:
// - "Condition operators": if a key in a condition is not present in the request context, the
//   condition is false; for a negated operator (StringNotEquals, StringNotLike, ArnNotLike …) it is
//   true. This holds for every operator but …IfExists and Null, which test presence.
// - "Conditions with multiple context keys or values": several operators are AND-ed, several keys
//   under one operator are AND-ed, several values of one key are OR-ed, and for a negated operator
//   NOR-ed (the value must match none of them).
// - "Single-valued vs. multivalued context keys": ForAllValues is true when every value in the
//   request matches one policy value, and also true when the key is not in the request at all;
//   ForAnyValue needs at least one matching value, so a missing key makes it false (a re:Post
//   answer confirms ForAnyValue:StringEqualsIfExists is false on a missing key too).
// - …IfExists: true when the key is absent; otherwise the operator applies.
// - ArnEquals and ArnLike both compare the six colon-separated ARN parts one by one, each part
//   with `*` / `?` wildcards; StringLike matches `*` / `?` case-sensitively.
// A key the logs cannot tell makes its clause unknown, never true or false.
import { matchesWildcard } from '../wildcard.ts';
import { isInRange, parseIpRange } from './ip-address.ts';
import type { ConditionClause } from './policy-document.ts';
import { parseDate } from './policy-document.ts';
import { type ContextValue, contextValue, type RequestContext } from './request-context.ts';
import { allOf, type Tristate } from './tristate.ts';

export interface ClauseResult {
  result: Tristate;
  /** Why it is unknown: `<key>: <reason>`. */
  unknown?: string;
}

/** ARN parts: the first five colon-separated fields and the rest (which may hold colons). */
export function arnParts(arn: string): string[] | undefined {
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  return [...fields.slice(0, 5), fields.slice(5).join(':')];
}

/** ArnLike / Resource matching: part by part, each with `*` and `?`, case-sensitive. */
export function matchesArnPattern(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const want = arnParts(pattern);
  const have = arnParts(arn);
  if (want === undefined || have === undefined) return false;
  return want.every((part, i) => matchesWildcard(part, have[i] ?? ''));
}

/** The positive (not negated) comparison of one request value with one policy value. */
function compare(base: string, policyValue: string, value: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return value === policyValue;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return value.toLowerCase() === policyValue.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return matchesWildcard(policyValue, value);
    case 'Bool':
      return value.toLowerCase() === policyValue.toLowerCase();
    case 'IpAddress':
    case 'NotIpAddress': {
      const range = parseIpRange(policyValue);
      return range !== undefined && isInRange(range, value);
    }
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return matchesArnPattern(policyValue, value);
    default:
      break;
  }
  if (base.startsWith('Numeric') || base.startsWith('Date')) {
    const [a, b] = base.startsWith('Numeric')
      ? [Number(value), Number(policyValue)]
      : [parseDate(value), parseDate(policyValue)];
    if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) {
      return false;
    }
    const relation = base.replace(/^(Numeric|Date)/, '');
    switch (relation) {
      case 'Equals':
      case 'NotEquals':
        return a === b;
      case 'LessThan':
        return a < b;
      case 'LessThanEquals':
        return a <= b;
      case 'GreaterThan':
        return a > b;
      case 'GreaterThanEquals':
        return a >= b;
      default:
        return false;
    }
  }
  return false;
}

/** Does one request value satisfy the operator over all the policy values (OR, or NOR if negated)? */
function satisfies(clause: ConditionClause, value: string): boolean {
  const { base } = clause.operator;
  const matchesAny = clause.values.some((policyValue) => compare(base.name, policyValue, value));
  return base.isNegated ? !matchesAny : matchesAny;
}

/**
 * aws:PrincipalArn of a role session is known only without the role's path. A policy value that
 * names the same role under a path might be the caller's role or another one: unknown.
 */
function isRoleUnderUnknownPath(context: RequestContext, clause: ConditionClause): boolean {
  const { caller } = context;
  if (caller.roleName === undefined || clause.key.toLowerCase() !== 'aws:principalarn') {
    return false;
  }
  return clause.values.some((value) => {
    const parts = arnParts(value);
    if (parts?.[2] !== 'iam' || parts[4] !== caller.account) return false;
    const resource = parts[5] ?? '';
    return (
      resource.startsWith('role/') &&
      resource.split('/').length > 2 &&
      resource.endsWith(`/${caller.roleName}`)
    );
  });
}

export function evaluateClause(clause: ConditionClause, context: RequestContext): ClauseResult {
  const { operator, key } = clause;
  const value: ContextValue = contextValue(context, key);
  if (value.state === 'unknown') return { result: 'unknown', unknown: `${key}: ${value.reason}` };
  if (operator.base.family === 'Null') {
    // `"Null": {"k": "true"}` holds when k is absent, `"false"` when it is present.
    const isAbsent = value.state === 'absent';
    return { result: clause.values.some((v) => (v.toLowerCase() === 'true') === isAbsent) };
  }
  if (value.state === 'absent') {
    if (operator.set === 'ForAllValues') return { result: true };
    if (operator.set === 'ForAnyValue') return { result: false };
    return { result: operator.ifExists || operator.base.isNegated };
  }
  if (operator.base.family === 'Binary') {
    return { result: 'unknown', unknown: `${key}: BinaryEquals is not evaluated` };
  }
  if (isRoleUnderUnknownPath(context, clause)) {
    return {
      result: 'unknown',
      unknown: `${key}: the role's path is not in the session ARN, and the policy names a role under a path`,
    };
  }
  const results = value.values.map((v) => satisfies(clause, v));
  // A single-valued key without a set qualifier behaves as ForAnyValue over its one value.
  return {
    result: operator.set === 'ForAllValues' ? results.every(Boolean) : results.some(Boolean),
  };
}

/** All clauses of a statement's Condition block, AND-ed. */
export function evaluateConditions(
  clauses: readonly ConditionClause[],
  context: RequestContext,
): { result: Tristate; unknown: string[] } {
  const results = clauses.map((clause) => evaluateClause(clause, context));
  const result = allOf(results.map((r) => r.result));
  const unknown =
    result === 'unknown'
      ? results.flatMap((r) => (r.unknown === undefined ? [] : [r.unknown]))
      : [];
  return { result, unknown };
}
