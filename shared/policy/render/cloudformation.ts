// A CloudFormation template (JSON) with one AWS::VpcLattice::AuthPolicy: ResourceIdentifier and
// Policy, the property names of the resource type (aws-contracts.md §4).
import type { RenderablePolicy } from './types.ts';

/** `svc-05531d0bdc8fb97d0` → `AuthPolicySvc05531d0bdc8fb97d0`: logical ids are alphanumeric. */
function logicalId(serviceId: string): string {
  const alphanumeric = serviceId.replace(/[^A-Za-z0-9]/g, '');
  return `AuthPolicy${alphanumeric.charAt(0).toUpperCase()}${alphanumeric.slice(1)}`;
}

export function renderCloudFormation(policy: RenderablePolicy): string {
  const learned = policy.window
    ? ` from access logs ${policy.window.from} to ${policy.window.to}`
    : '';
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `lattice-lens: suggested auth policy for ${policy.serviceId}${learned}. Review its evidence before deploying.`,
    Resources: {
      [logicalId(policy.serviceId)]: {
        Type: 'AWS::VpcLattice::AuthPolicy',
        Properties: {
          ResourceIdentifier: policy.serviceArn,
          // CloudFormation takes the policy as a JSON object (type Json) and sends it compact.
          Policy: policy.policy,
        },
      },
    },
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}
