// Auth policies: generation from observed traffic with the evidence behind every statement,
// evaluation and simulation against logged requests, and the renderings people apply.

export {
  type BacktestOptions,
  type BacktestResult,
  BacktestWindowError,
  backtest,
} from './backtest.ts';
export {
  type BehaviourChange,
  type DiffedStatement,
  diffPolicies,
  GENERATED_SOURCE,
  type PolicyDiff,
  PolicyDiffError,
  type UnusedGrant,
} from './diff.ts';
export * from './evaluate/index.ts';
export {
  type GenerateOptions,
  generatePolicies,
  generateServicePolicy,
} from './generate-policy.ts';
export { isOrganizationId } from './organization-id.ts';
export { type ReadPolicyOptions, readPolicies, readPolicyFile } from './policy-files.ts';
export {
  type GoverningPolicy,
  PolicySet,
  resourceIdOf,
  serviceNamedBy,
} from './policy-set.ts';
export * from './render/index.ts';
export { INVOKE_ACTION } from './render-statement.ts';
export {
  type Outcomes,
  type RequestGroup,
  Simulation,
  type SimulationResult,
  type StatementUsage,
  simulateLogs,
} from './simulate.ts';
export { AUTH_POLICY_SIZE_LIMIT, policyText } from './size-limit.ts';
export type * from './types.ts';
