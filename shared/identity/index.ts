// Caller identity normalization: from a log record's caller fields to a principal a policy names.

export { accountOfArn } from './arn.ts';
export {
  ANONYMOUS_PRINCIPAL,
  type CallerFields,
  callerId,
  dependsOnService,
  identifyCaller,
  identifyCallerFields,
  isCrossAccount,
} from './identify-caller.ts';
export type { CallerIdentity, CallerKind, X509Identity } from './types.ts';
