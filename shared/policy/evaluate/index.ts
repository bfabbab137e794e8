// The auth-policy evaluator: a policy document and the request context rebuilt from an access-log
// record in, allow / deny / unknown out, with the statements that decided.
export { arnParts, matchesArnPattern } from './conditions.ts';
export {
  combineDecisions,
  type Decision,
  evaluatePolicy,
  evaluateStatement,
  type PolicyDecision,
  type StatementResult,
} from './evaluate-policy.ts';
export { parseConditionOperator } from './operators.ts';
export {
  type CheckedStatement,
  type ConditionClause,
  checkAuthPolicy,
  type PolicyDocument,
  PolicyFormatError,
  type PrincipalEntry,
  parseAuthPolicy,
} from './policy-document.ts';
export {
  type CallerContext,
  type ContextValue,
  contextValue,
  type RequestContext,
  requestContextOf,
} from './request-context.ts';
export type { Tristate } from './tristate.ts';
