// The output formats a command can write a policy in, with the file name each one uses.
import { renderCloudFormation } from './cloudformation.ts';
import { renderPolicyJson } from './json.ts';
import { renderTerraform } from './terraform.ts';
import type { RenderablePolicy } from './types.ts';

export const POLICY_FORMATS = ['json', 'terraform', 'cloudformation'] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];

const SUFFIX: Record<PolicyFormat, string> = {
  json: '.json',
  terraform: '.tf',
  cloudformation: '.cfn.json',
};

/** `svc-….json`, `svc-….tf` or `svc-….cfn.json`. */
export function policyFileName(serviceId: string, format: PolicyFormat): string {
  return `${serviceId}${SUFFIX[format]}`;
}

export function renderPolicyFile(policy: RenderablePolicy, format: PolicyFormat): string {
  switch (format) {
    case 'json':
      return renderPolicyJson(policy);
    case 'terraform':
      return renderTerraform(policy);
    case 'cloudformation':
      return renderCloudFormation(policy);
  }
}
