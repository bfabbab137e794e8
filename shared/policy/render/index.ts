// Renderings of a suggested auth policy: the JSON document for `aws vpc-lattice put-auth-policy`,
// a Terraform `aws_vpclattice_auth_policy` resource and a CloudFormation `AWS::VpcLattice::AuthPolicy`
// template. All deterministic: the same policy gives the same bytes.
export { renderCloudFormation } from './cloudformation.ts';
export { POLICY_FORMATS, type PolicyFormat, policyFileName, renderPolicyFile } from './formats.ts';
export { renderPolicyJson } from './json.ts';
export { renderTerraform } from './terraform.ts';
export type { RenderablePolicy } from './types.ts';
