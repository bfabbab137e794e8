// Specification of the policy renderings: JSON for put-auth-policy, Terraform, CloudFormation.
import { describe, expect, it } from 'vitest';
import {
  type AuthPolicy,
  POLICY_FORMATS,
  policyFileName,
  type RenderablePolicy,
  renderCloudFormation,
  renderPolicyFile,
  renderPolicyJson,
  renderTerraform,
} from '../../../shared/policy/index.ts';

const SERVICE = 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0';

const policy: AuthPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Allow1',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/order-service-role' },
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: [`${SERVICE}/api/v1/orders`, `${SERVICE}/api/v1/orders/*`],
      Condition: {
        StringEquals: {
          'aws:PrincipalOrgID': 'o-e87cb45c05',
          'vpc-lattice-svcs:RequestMethod': ['GET', 'POST'],
        },
      },
    },
  ],
};

const renderable: RenderablePolicy = {
  serviceArn: SERVICE,
  serviceId: 'svc-0123456789abcdef0',
  policy,
  window: { from: '2026-11-20T00:00:20.000Z', to: '2026-11-21T23:59:41.000Z' },
};

describe('renderPolicyJson', () => {
  it('writes compact one-line JSON, as PutAuthPolicy requires', () => {
    const text = renderPolicyJson(renderable);
    expect(text).not.toContain('\n');
    expect(JSON.parse(text)).toEqual(policy);
  });
});

describe('renderTerraform', () => {
  it('writes an aws_vpclattice_auth_policy resource with the policy as jsonencode, laid out as terraform fmt does', () => {
    expect(
      renderTerraform(renderable),
    ).toBe(`# lattice-lens: suggested auth policy for svc-0123456789abcdef0.
# Learned from access logs 2026-11-20T00:00:20.000Z to 2026-11-21T23:59:41.000Z.
# Review its evidence (policies/svc-0123456789abcdef0.evidence.json) before applying.
resource "aws_vpclattice_auth_policy" "svc-0123456789abcdef0" {
  resource_identifier = "${SERVICE}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "Allow1"
        Effect = "Allow"
        Principal = {
          AWS = "arn:aws:iam::111122223333:role/order-service-role"
        }
        Action = "vpc-lattice-svcs:Invoke"
        Resource = [
          "${SERVICE}/api/v1/orders",
          "${SERVICE}/api/v1/orders/*",
        ]
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-e87cb45c05"
            "vpc-lattice-svcs:RequestMethod" = [
              "GET",
              "POST",
            ]
          }
        }
      },
    ]
  })
}
`);
  });

  it('keeps ${ and %{ in a string literal, not as an interpolation or a directive', () => {
    const odd: RenderablePolicy = {
      ...renderable,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            ...policy.Statement[0],
            Sid: undefined,
            Resource: `${SERVICE}/a/\${x}/%{y}/"q"`,
          } as never,
        ],
      },
    };
    expect(renderTerraform(odd)).toContain(`Resource = "${SERVICE}/a/$\${x}/%%{y}/\\"q\\""`);
  });
});

describe('renderCloudFormation', () => {
  it('writes a template with one AWS::VpcLattice::AuthPolicy taking the policy as an object', () => {
    const template = JSON.parse(renderCloudFormation(renderable));
    expect(template).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      Description:
        'lattice-lens: suggested auth policy for svc-0123456789abcdef0 from access logs 2026-11-20T00:00:20.000Z to 2026-11-21T23:59:41.000Z. Review its evidence before deploying.',
      Resources: {
        AuthPolicySvc0123456789abcdef0: {
          Type: 'AWS::VpcLattice::AuthPolicy',
          Properties: { ResourceIdentifier: SERVICE, Policy: policy },
        },
      },
    });
    expect(renderCloudFormation(renderable).endsWith('}\n')).toBe(true);
  });
});

describe('renderPolicyFile', () => {
  it('names and renders each format deterministically', () => {
    expect(POLICY_FORMATS.map((f) => policyFileName('svc-1', f))).toEqual([
      'svc-1.json',
      'svc-1.tf',
      'svc-1.cfn.json',
    ]);
    for (const format of POLICY_FORMATS) {
      expect(renderPolicyFile(structuredClone(renderable), format)).toBe(
        renderPolicyFile(renderable, format),
      );
    }
  });
});
