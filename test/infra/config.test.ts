// Reading the deployment's settings from CDK context: defaults, the shapes -c and cdk.json give,
// and a specific error for each value that cannot configure the stack.
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, ConfigError, readConfig } from '../../infra/config.ts';

function configOf(context: Record<string, unknown>) {
  return readConfig(new App({ context }).node);
}

describe('readConfig', () => {
  it('uses the documented defaults when the context is empty', () => {
    expect(configOf({})).toEqual({
      stackName: 'LatticeLens',
      serviceNetworks: [],
      services: [],
      schedule: 'rate(1 day)',
      windowDays: 14,
      minRequests: 5,
      minDays: 1,
      logRetentionDays: 30,
      summaryRetentionDays: 400,
    });
    expect(CONFIG_DEFAULTS.windowDays).toBe(14);
  });

  it('reads minDays and an orgId, which must be an Organizations id', () => {
    expect(configOf({ minDays: '2', orgId: ' o-a1b2c3d4e5 ' })).toMatchObject({
      minDays: 2,
      orgId: 'o-a1b2c3d4e5',
    });
    expect(() => configOf({ orgId: '111122223333' })).toThrow(
      'context orgId: expected an AWS Organizations id such as o-a1b2c3d4e5, got "111122223333"',
    );
    expect(() => configOf({ minDays: '0' })).toThrow(
      /minDays: expected a whole number of at least 1, got "0"/,
    );
  });

  it('splits -c lists on commas, trims, drops blanks, de-duplicates and sorts', () => {
    const config = configOf({
      serviceNetworks: ' sn-0fedcba9876543210 ,sn-0123456789abcdef0,,sn-0123456789abcdef0',
      services: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
    });
    expect(config.serviceNetworks).toEqual(['sn-0123456789abcdef0', 'sn-0fedcba9876543210']);
    expect(config.services).toEqual([
      'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
    ]);
  });

  it('accepts JSON arrays and numbers from cdk.json', () => {
    const config = configOf({
      serviceNetworks: ['sn-0123456789abcdef0'],
      windowDays: 28,
      minRequests: 3,
      logRetentionDays: 7,
      summaryRetentionDays: 60,
    });
    expect(config).toMatchObject({
      serviceNetworks: ['sn-0123456789abcdef0'],
      windowDays: 28,
      minRequests: 3,
      logRetentionDays: 7,
      summaryRetentionDays: 60,
    });
  });

  it('parses numbers given as -c strings, and keeps schedule, e-mail and stack name', () => {
    expect(
      configOf({
        windowDays: '30',
        schedule: 'cron(0 6 * * ? *)',
        alarmEmail: ' secops@example.com ',
        stackName: 'LatticeLens-prod',
      }),
    ).toMatchObject({
      windowDays: 30,
      schedule: 'cron(0 6 * * ? *)',
      alarmEmail: 'secops@example.com',
      stackName: 'LatticeLens-prod',
    });
  });

  it('leaves alarmEmail out when it is absent or blank', () => {
    expect('alarmEmail' in configOf({})).toBe(false);
    expect('alarmEmail' in configOf({ alarmEmail: '  ' })).toBe(false);
  });

  const BAD: [string, Record<string, unknown>, RegExp][] = [
    [
      'a service id where a network is expected',
      { serviceNetworks: 'svc-0a1b2c3d4e5f60718' },
      /serviceNetworks: "svc-0a1b2c3d4e5f60718" is not a service network id/,
    ],
    ['a truncated id', { services: 'svc-0a1b' }, /services: "svc-0a1b" is not a service id/],
    [
      'a list of the wrong type',
      { serviceNetworks: 42 },
      /serviceNetworks: expected a comma-separated list/,
    ],
    [
      'a schedule that is not an expression',
      { schedule: 'daily' },
      /schedule: expected an EventBridge schedule expression/,
    ],
    [
      'a fractional window',
      { windowDays: '1.5' },
      /windowDays: expected a whole number of at least 1, got "1.5"/,
    ],
    [
      'a zero threshold',
      { minRequests: 0 },
      /minRequests: expected a whole number of at least 1, got 0/,
    ],
    [
      'a word for a number',
      { logRetentionDays: 'month' },
      /logRetentionDays: expected a whole number/,
    ],
    [
      'summaries kept shorter than the window',
      { windowDays: 30, summaryRetentionDays: 14 },
      /summaryRetentionDays: 14 days is shorter than windowDays \(30\)/,
    ],
    [
      'an address without a domain',
      { alarmEmail: 'secops' },
      /alarmEmail: expected an e-mail address, got "secops"/,
    ],
    [
      'a stack name CloudFormation rejects',
      { stackName: '1st_stack' },
      /stackName: expected a letter/,
    ],
  ];
  for (const [name, context, message] of BAD) {
    it(`rejects ${name} with a ConfigError naming the key`, () => {
      expect(() => configOf(context)).toThrow(ConfigError);
      expect(() => configOf(context)).toThrow(message);
    });
  }
});
