// The auth-policy size limit and the canonical text that is measured against it.
import type { AuthPolicy } from './types.ts';

/**
 * VPC Lattice quotas: "Auth policy size: 10 Kilobytes, not adjustable"; the PutAuthPolicy API
 * reference has listed the policy string as at most 10,000 characters (newer revisions say more).
 * We hold to the stricter 10,000 characters so a policy we write is accepted everywhere.
 */
export const AUTH_POLICY_SIZE_LIMIT = 10_000;

/**
 * The policy as the file we write: compact JSON, no newline at all. PutAuthPolicy says the policy
 * string "must not contain newlines or blank lines", so the file works as-is with `--policy file://`.
 */
export function policyText(policy: AuthPolicy): string {
  return JSON.stringify(policy);
}
