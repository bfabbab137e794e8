// Auth policies: generation from observed traffic, with the evidence behind every statement.
export {
  type GenerateOptions,
  generatePolicies,
  generateServicePolicy,
} from './generate-policy.ts';
export { INVOKE_ACTION } from './render-statement.ts';
export { AUTH_POLICY_SIZE_LIMIT, policyText } from './size-limit.ts';
export type * from './types.ts';
