// The decision of an auth policy on one request (aws-contracts.md §5): an explicit Deny that
// applies wins; otherwise an Allow that applies allows; otherwise the request is implicitly denied.
// A statement applies when its Principal, Action, Resource and every Condition match.
// Lattice also needs the caller's identity-based policies to allow ("for authorization to
// succeed, both auth policies and identity-based policies need to have explicit allow
// statements", VPC Lattice User Guide, auth policies). The logs do not show those policies: the
// decision here is the auth policy's, as if the identity policies allow.
import { matchesWildcard } from '../wildcard.ts';
import { evaluateConditions, matchesArnPattern } from './conditions.ts';
import type { CheckedStatement, PolicyDocument } from './policy-document.ts';
import { matchPrincipal } from './principal.ts';
import type { RequestContext } from './request-context.ts';
import { allOf, anyOf, not, type Tristate } from './tristate.ts';

export interface StatementResult {
  statement: CheckedStatement;
  applies: Tristate;
  /** Per Principal (or NotPrincipal) entry, per Resource (or NotResource) pattern: did it match? */
  principalMatches: Tristate[];
  resourceMatches: Tristate[];
  /** Why `applies` is unknown. */
  unknown: string[];
}

export type Decision = 'allow' | 'deny' | 'unknown';

export interface PolicyDecision {
  decision: Decision;
  /**
   * allowed: an Allow applies and no Deny may; explicit-deny: a Deny applies; no-allow: no Allow
   * applies (implicit deny); unknown: the outcome depends on what the logs cannot tell.
   */
  reason: 'allowed' | 'explicit-deny' | 'no-allow' | 'unknown';
  /** Labels of the statements that decided: the Deny(s), the Allow(s), or those left unknown. */
  statements: string[];
  /** Why the decision is unknown. */
  unknown: string[];
  results: StatementResult[];
}

export function evaluateStatement(
  statement: CheckedStatement,
  context: RequestContext,
  resource: string = context.resource,
): StatementResult {
  const unknown: string[] = [];
  const principalMatches = statement.principals.entries.map((entry) => {
    const match = matchPrincipal(entry, context.caller);
    if (match.unknown !== undefined) unknown.push(match.unknown);
    return match.result;
  });
  const principal = statement.principals.isNegated
    ? not(anyOf(principalMatches))
    : anyOf(principalMatches);
  const action = context.action.toLowerCase();
  // Action names are case-insensitive in IAM; `*` and `?` match as anywhere else.
  const actionMatches = statement.actions.patterns.some((p) =>
    matchesWildcard(p.toLowerCase(), action),
  );
  const resourceMatches = statement.resources.patterns.map((p) => matchesArnPattern(p, resource));
  const resourceMatch = resourceMatches.some(Boolean);
  const conditions = evaluateConditions(statement.conditions, context);
  const applies = allOf([
    principal,
    statement.actions.isNegated ? !actionMatches : actionMatches,
    statement.resources.isNegated ? !resourceMatch : resourceMatch,
    conditions.result,
  ]);
  return {
    statement,
    applies,
    principalMatches,
    resourceMatches,
    unknown: applies === 'unknown' ? [...new Set([...unknown, ...conditions.unknown])] : [],
  };
}

function decide(results: StatementResult[]): Omit<PolicyDecision, 'results'> {
  const labels = (list: StatementResult[]) => list.map((r) => r.statement.label);
  const denies = results.filter((r) => r.statement.effect === 'Deny');
  const allows = results.filter((r) => r.statement.effect === 'Allow');
  const deniesTrue = denies.filter((r) => r.applies === true);
  if (deniesTrue.length > 0) {
    return {
      decision: 'deny',
      reason: 'explicit-deny',
      statements: labels(deniesTrue),
      unknown: [],
    };
  }
  const deniesUnknown = denies.filter((r) => r.applies === 'unknown');
  const allowsTrue = allows.filter((r) => r.applies === true);
  const allowsUnknown = allows.filter((r) => r.applies === 'unknown');
  if (allowsTrue.length > 0 && deniesUnknown.length === 0) {
    return { decision: 'allow', reason: 'allowed', statements: labels(allowsTrue), unknown: [] };
  }
  if (allowsTrue.length === 0 && allowsUnknown.length === 0) {
    return { decision: 'deny', reason: 'no-allow', statements: [], unknown: [] };
  }
  const open = [...deniesUnknown, ...(allowsTrue.length > 0 ? [] : allowsUnknown)];
  return {
    decision: 'unknown',
    reason: 'unknown',
    statements: labels(open),
    unknown: [...new Set(open.flatMap((r) => r.unknown))],
  };
}

function sameOutcome(a: Omit<PolicyDecision, 'results'>, b: Omit<PolicyDecision, 'results'>) {
  return a.decision === b.decision && a.reason === b.reason;
}

/**
 * The policy's decision on a request. When the path percent-decoded reads differently, the
 * policy is evaluated on both spellings: Lattice's auth-policy guide does not say which one a
 * resource is matched against, so a decision that differs between them is unknown.
 */
export function evaluatePolicy(policy: PolicyDocument, context: RequestContext): PolicyDecision {
  const results = policy.statements.map((s) => evaluateStatement(s, context));
  const asSent = decide(results);
  if (context.decodedResource === undefined) return { ...asSent, results };
  const decoded = decide(
    policy.statements.map((s) => evaluateStatement(s, context, context.decodedResource)),
  );
  if (sameOutcome(asSent, decoded)) return { ...asSent, results };
  return {
    decision: 'unknown',
    reason: 'unknown',
    statements: [...new Set([...asSent.statements, ...decoded.statements])],
    unknown: [
      `the path decides: ${asSent.decision} as sent, ${decoded.decision} percent-decoded; whether Lattice decodes it before matching is not documented`,
    ],
    results,
  };
}

/**
 * Several policies on one request (a service-network policy and a service policy): Lattice needs
 * both to allow. Any deny denies; all allow allows; otherwise unknown.
 */
export function combineDecisions(
  decisions: readonly PolicyDecision[],
): Omit<PolicyDecision, 'results'> {
  const deny = decisions.find((d) => d.decision === 'deny');
  if (deny !== undefined) return deny;
  const open = decisions.filter((d) => d.decision === 'unknown');
  if (open.length === 0) {
    return {
      decision: 'allow',
      reason: 'allowed',
      statements: decisions.flatMap((d) => d.statements),
      unknown: [],
    };
  }
  return {
    decision: 'unknown',
    reason: 'unknown',
    statements: open.flatMap((d) => d.statements),
    unknown: open.flatMap((d) => d.unknown),
  };
}
