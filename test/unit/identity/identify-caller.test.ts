// Specification of caller identity normalization: every principal form a Lattice log carries.
import { describe, expect, it } from 'vitest';
import {
  accountOfArn,
  type CallerIdentity,
  dependsOnService,
  identifyCaller,
  identifyCallerFields,
  isCrossAccount,
} from '../../../shared/identity/index.ts';
import type { ResourceAccessLogRecord, ServiceAccessLogRecord } from '../../../shared/log/types.ts';

const SERVICE_ACCOUNT = '111122223333';
const CALLER_ACCOUNT = '444455556666';

function serviceRecord(fields: Partial<ServiceAccessLogRecord> = {}): ServiceAccessLogRecord {
  return {
    kind: 'service',
    startTime: '2026-11-20T10:15:30Z',
    requestMethod: 'GET',
    requestPath: '/orders/1',
    responseCode: 200,
    serviceArn: `arn:aws:vpc-lattice:eu-west-1:${SERVICE_ACCOUNT}:service/svc-0123456789abcdef0`,
    sourceVpcId: 'vpc-0a1b2c3d',
    extra: {},
    ...fields,
  };
}

function resourceRecord(fields: Partial<ResourceAccessLogRecord> = {}): ResourceAccessLogRecord {
  return {
    kind: 'resource',
    startTime: '2026-11-20T10:15:30Z',
    resourceConfigurationArn: `arn:aws:vpc-lattice:eu-west-1:${SERVICE_ACCOUNT}:resourceconfiguration/rcfg-0123456789abcdef0`,
    extra: {},
    ...fields,
  };
}

function callerOf(callerPrincipal: string, fields: Partial<ServiceAccessLogRecord> = {}) {
  return identifyCaller(serviceRecord({ callerPrincipal, ...fields }));
}

describe('identifyCaller', () => {
  describe('assumed-role sessions', () => {
    it('names the role, not the session, and keeps the session name aside', () => {
      expect(
        callerOf(`arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/OrdersReader/i-0abc123`),
      ).toEqual({
        kind: 'role',
        principal: `arn:aws:iam::${CALLER_ACCOUNT}:role/OrdersReader`,
        account: CALLER_ACCOUNT,
        sessionName: 'i-0abc123',
        sourceVpcId: 'vpc-0a1b2c3d',
      });
    });

    it.each(['aws', 'aws-cn', 'aws-us-gov'])('keeps the %s partition', (partition) => {
      const caller = callerOf(`arn:${partition}:sts::${CALLER_ACCOUNT}:assumed-role/Api/s1`);
      expect(caller.principal).toBe(`arn:${partition}:iam::${CALLER_ACCOUNT}:role/Api`);
    });

    it('keeps session names with the characters STS allows', () => {
      const caller = callerOf(
        `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/Api/alice@example.com,team=a.b+c-d_e`,
      );
      expect(caller.sessionName).toBe('alice@example.com,team=a.b+c-d_e');
    });

    it('names the role without its path, which the session ARN does not carry', () => {
      // A role created as /service-role/Api has the session ARN …:assumed-role/Api/…: the
      // path is lost and the derived role ARN omits it (a documented limitation).
      const caller = callerOf(`arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/Api/s1`);
      expect(caller.principal).toBe(`arn:aws:iam::${CALLER_ACCOUNT}:role/Api`);
    });
  });

  describe('IAM principals', () => {
    it('keeps a role ARN, path included', () => {
      const arn = `arn:aws:iam::${CALLER_ACCOUNT}:role/service-role/team/Api`;
      expect(callerOf(arn)).toMatchObject({
        kind: 'role',
        principal: arn,
        account: CALLER_ACCOUNT,
      });
    });

    it('keeps a user ARN, path included', () => {
      const arn = `arn:aws:iam::${CALLER_ACCOUNT}:user/engineering/alice`;
      expect(callerOf(arn)).toMatchObject({
        kind: 'user',
        principal: arn,
        account: CALLER_ACCOUNT,
      });
    });

    it('recognizes an account root', () => {
      const arn = `arn:aws-cn:iam::${CALLER_ACCOUNT}:root`;
      expect(callerOf(arn)).toMatchObject({
        kind: 'root',
        principal: arn,
        account: CALLER_ACCOUNT,
      });
    });

    it('turns a bare account id into the root ARN, in the partition of the service called', () => {
      expect(callerOf(CALLER_ACCOUNT)).toMatchObject({
        kind: 'root',
        principal: `arn:aws:iam::${CALLER_ACCOUNT}:root`,
        account: CALLER_ACCOUNT,
      });
      const govService = `arn:aws-us-gov:vpc-lattice:us-gov-west-1:${SERVICE_ACCOUNT}:service/svc-1`;
      expect(callerOf(CALLER_ACCOUNT, { serviceArn: govService }).principal).toBe(
        `arn:aws-us-gov:iam::${CALLER_ACCOUNT}:root`,
      );
    });

    it('has no session name for anything but an assumed role', () => {
      expect(callerOf(`arn:aws:iam::${CALLER_ACCOUNT}:role/Api`).sessionName).toBeUndefined();
    });
  });

  describe('other principals, kept verbatim', () => {
    it('keeps a federated user with its account', () => {
      const arn = `arn:aws:sts::${CALLER_ACCOUNT}:federated-user/bob`;
      expect(callerOf(arn)).toEqual({
        kind: 'principal',
        principal: arn,
        account: CALLER_ACCOUNT,
        sourceVpcId: 'vpc-0a1b2c3d',
      });
    });

    it('keeps a service principal, with no account', () => {
      expect(callerOf('lambda.amazonaws.com')).toEqual({
        kind: 'principal',
        principal: 'lambda.amazonaws.com',
        sourceVpcId: 'vpc-0a1b2c3d',
      });
    });

    it.each([
      `arn:aws:sts::123:assumed-role/`,
      `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/`,
      `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/OnlyRole`,
      `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/Role/`,
      `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/Role/s1/extra`,
      `arn:aws:iam::${CALLER_ACCOUNT}:role/`,
      `arn:aws:iam::${CALLER_ACCOUNT}:user/`,
      `arn:aws:iam::${CALLER_ACCOUNT}:group/admins`,
      `arn:aws:iam:us-east-1:${CALLER_ACCOUNT}:role/Api`,
      `arn:nope:iam::${CALLER_ACCOUNT}:role/Api`,
      'arn:aws:iam',
      'arn:',
      '12345678901',
      '1234567890123',
      'not an arn at all',
    ])('keeps the malformed %j verbatim instead of failing', (principal) => {
      const caller = callerOf(principal);
      expect(caller.kind).toBe('principal');
      expect(caller.principal).toBe(principal);
    });

    it('still reads the account of a malformed ARN when its account field is valid', () => {
      expect(callerOf(`arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/`).account).toBe(CALLER_ACCOUNT);
      expect(callerOf('arn:aws:sts::123:assumed-role/').account).toBeUndefined();
    });
  });

  describe('IAM Roles Anywhere', () => {
    it('keeps the certificate identity next to the assumed-role principal', () => {
      const caller = callerOf(
        `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/EdgeDevice/00f3a1b2c3d4e5f6`,
        {
          callerX509SubjectCN: 'device-17.factory.example.com',
          callerX509IssuerOU: 'Factory PKI',
          callerX509SANNameCN: 'device-17',
          callerX509SANDNS: 'device-17.factory.example.com',
          callerX509SANURI: 'spiffe://factory.example.com/device/17',
        },
      );
      expect(caller).toEqual({
        kind: 'role',
        principal: `arn:aws:iam::${CALLER_ACCOUNT}:role/EdgeDevice`,
        account: CALLER_ACCOUNT,
        sessionName: '00f3a1b2c3d4e5f6',
        sourceVpcId: 'vpc-0a1b2c3d',
        x509: {
          subjectCN: 'device-17.factory.example.com',
          issuerOU: 'Factory PKI',
          sanNameCN: 'device-17',
          sanDNS: 'device-17.factory.example.com',
          sanURI: 'spiffe://factory.example.com/device/17',
        },
      });
    });

    it('keeps only the certificate fields that are present', () => {
      const caller = callerOf(`arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/EdgeDevice/s`, {
        callerX509SubjectCN: 'device-17',
      });
      expect(caller.x509).toEqual({ subjectCN: 'device-17' });
    });

    it('has no x509 part for ordinary SigV4 callers', () => {
      expect(callerOf(`arn:aws:iam::${CALLER_ACCOUNT}:role/Api`)).not.toHaveProperty('x509');
    });
  });

  describe('anonymous callers', () => {
    it('identifies an unsigned request by its VPC and the VPC owner account', () => {
      const caller = identifyCaller(
        serviceRecord({
          sourceVpcId: 'vpc-0a1b2c3d',
          sourceVpcArn: `arn:aws:ec2:eu-west-1:${CALLER_ACCOUNT}:vpc/vpc-0a1b2c3d`,
        }),
      );
      expect(caller).toEqual({
        kind: 'anonymous',
        principal: 'anonymous',
        account: CALLER_ACCOUNT,
        sourceVpcId: 'vpc-0a1b2c3d',
      });
    });

    it('has no account when the record has no sourceVpcArn', () => {
      const caller = identifyCaller(serviceRecord({ sourceVpcId: 'vpc-0a1b2c3d' }));
      expect(caller).toEqual({
        kind: 'anonymous',
        principal: 'anonymous',
        sourceVpcId: 'vpc-0a1b2c3d',
      });
    });

    it('takes the VPC id from sourceVpcArn when sourceVpcId is missing', () => {
      const record = serviceRecord({
        sourceVpcArn: `arn:aws:ec2:eu-west-1:${CALLER_ACCOUNT}:vpc/vpc-0fedcba987654321`,
      });
      delete record.sourceVpcId;
      expect(identifyCaller(record)).toEqual({
        kind: 'anonymous',
        principal: 'anonymous',
        account: CALLER_ACCOUNT,
        sourceVpcId: 'vpc-0fedcba987654321',
      });
    });

    it('treats an empty callerPrincipal as no principal', () => {
      expect(callerOf('').kind).toBe('anonymous');
    });

    it('does not take the VPC owner as the account of a signed caller', () => {
      const caller = callerOf(`arn:aws:iam::${CALLER_ACCOUNT}:role/Api`, {
        sourceVpcArn: `arn:aws:ec2:eu-west-1:999988887777:vpc/vpc-0a1b2c3d`,
      });
      expect(caller.account).toBe(CALLER_ACCOUNT);
    });

    it('ignores a sourceVpcArn that is not an EC2 VPC ARN', () => {
      const record = serviceRecord({ sourceVpcArn: 'garbage' });
      delete record.sourceVpcId;
      expect(identifyCaller(record)).toEqual({ kind: 'anonymous', principal: 'anonymous' });
    });
  });

  describe('resource access log records', () => {
    it('are anonymous, identified by the source VPC and its owner', () => {
      const caller = identifyCaller(
        resourceRecord({
          sourceVpcArn: `arn:aws:ec2:eu-west-1:${CALLER_ACCOUNT}:vpc/vpc-0a1b2c3d`,
        }),
      );
      expect(caller).toEqual({
        kind: 'anonymous',
        principal: 'anonymous',
        account: CALLER_ACCOUNT,
        sourceVpcId: 'vpc-0a1b2c3d',
      });
    });

    it('prefer sourceVpcId when both are present', () => {
      const caller = identifyCaller(
        resourceRecord({
          sourceVpcId: 'vpc-11111111',
          sourceVpcArn: `arn:aws:ec2:eu-west-1:${CALLER_ACCOUNT}:vpc/vpc-22222222`,
        }),
      );
      expect(caller.sourceVpcId).toBe('vpc-11111111');
    });
  });
});

describe('isCrossAccount', () => {
  const role: CallerIdentity = {
    kind: 'role',
    principal: `arn:aws:iam::${CALLER_ACCOUNT}:role/Api`,
    account: CALLER_ACCOUNT,
  };

  it('is true when the caller account differs from the service account', () => {
    expect(isCrossAccount(role, SERVICE_ACCOUNT)).toBe(true);
  });

  it('is false for a caller of the service account', () => {
    expect(isCrossAccount(role, CALLER_ACCOUNT)).toBe(false);
  });

  it('accepts the service ARN in place of its account', () => {
    const serviceArn = `arn:aws:vpc-lattice:eu-west-1:${CALLER_ACCOUNT}:service/svc-1`;
    expect(isCrossAccount(role, serviceArn)).toBe(false);
  });

  it('is false when the caller account is unknown', () => {
    const service: CallerIdentity = { kind: 'principal', principal: 'lambda.amazonaws.com' };
    expect(isCrossAccount(service, SERVICE_ACCOUNT)).toBe(false);
  });

  it('is false when the service account is not an account', () => {
    expect(isCrossAccount(role, 'svc-1')).toBe(false);
  });

  it('compares anonymous callers by their VPC owner', () => {
    const anonymous: CallerIdentity = {
      kind: 'anonymous',
      principal: 'anonymous',
      account: CALLER_ACCOUNT,
    };
    expect(isCrossAccount(anonymous, SERVICE_ACCOUNT)).toBe(true);
  });
});

describe('accountOfArn', () => {
  it.each([
    [`arn:aws:iam::${CALLER_ACCOUNT}:role/Api`, CALLER_ACCOUNT],
    [`arn:aws:ec2:eu-west-1:${CALLER_ACCOUNT}:vpc/vpc-1`, CALLER_ACCOUNT],
    [`arn:aws-cn:vpc-lattice:cn-north-1:${CALLER_ACCOUNT}:service/svc-1`, CALLER_ACCOUNT],
    [`arn:aws:s3:::my-bucket`, undefined],
    [`arn:aws:sts::123:assumed-role/x/y`, undefined],
    [`arn:aws:iam::${CALLER_ACCOUNT}`, undefined],
    [CALLER_ACCOUNT, undefined],
    ['', undefined],
  ])('reads the account of %j as %j', (arn, account) => {
    expect(accountOfArn(arn)).toBe(account);
  });
});

describe('identifyCallerFields (the hot loops identify each distinct principal or VPC once)', () => {
  const GOV_SERVICE = `arn:aws-us-gov:vpc-lattice:us-gov-west-1:${SERVICE_ACCOUNT}:service/svc-0123456789abcdef0`;
  const VPC_ARN = `arn:aws:ec2:eu-west-1:${CALLER_ACCOUNT}:vpc/vpc-0a1b2c3d`;

  it.each([
    `arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/checkout/i-0abc`,
    `arn:aws:iam::${CALLER_ACCOUNT}:user/ops/alice`,
    `arn:aws:iam::${CALLER_ACCOUNT}:root`,
    CALLER_ACCOUNT,
    'lambda.amazonaws.com',
  ])('names %s as identifyCaller names it in a whole record', (principal) => {
    for (const serviceArn of [serviceRecord().serviceArn, GOV_SERVICE]) {
      const record = serviceRecord({ serviceArn, callerPrincipal: principal });
      delete record.sourceVpcId;
      expect(identifyCallerFields({ serviceArn, callerPrincipal: principal })).toEqual(
        identifyCaller(record),
      );
    }
  });

  it('identifies an unsigned caller by its VPC and the VPC owner, as in a resource record', () => {
    expect(identifyCallerFields({ serviceArn: '', sourceVpcArn: VPC_ARN })).toEqual(
      identifyCaller(resourceRecord({ sourceVpcArn: VPC_ARN })),
    );
  });

  it('says only a bare account id depends on the service (its partition)', () => {
    expect(dependsOnService(CALLER_ACCOUNT)).toBe(true);
    expect(
      identifyCallerFields({ serviceArn: GOV_SERVICE, callerPrincipal: CALLER_ACCOUNT }),
    ).not.toEqual(
      identifyCallerFields({
        serviceArn: serviceRecord().serviceArn,
        callerPrincipal: CALLER_ACCOUNT,
      }),
    );
    expect(dependsOnService(`arn:aws:iam::${CALLER_ACCOUNT}:root`)).toBe(false);
    expect(dependsOnService(`arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/r/s`)).toBe(false);
  });
});
