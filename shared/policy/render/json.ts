// The policy as PutAuthPolicy takes it: compact JSON on one line (the API rejects newlines).
import { policyText } from '../size-limit.ts';
import type { RenderablePolicy } from './types.ts';

export function renderPolicyJson(policy: RenderablePolicy): string {
  return policyText(policy.policy);
}
