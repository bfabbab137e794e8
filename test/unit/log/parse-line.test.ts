// Specification of parseAccessLogLine: what a valid line becomes, and the exact reason for each bad one.
import { describe, expect, it } from 'vitest';
import type {
  ParsedLine,
  RejectedLine,
  ResourceAccessLogRecord,
  ServiceAccessLogRecord,
} from '../../../shared/log/index.ts';
import { parseAccessLogLine } from '../../../shared/log/index.ts';

const SERVICE_ARN = 'arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-0a1b2c3d4e5f60718';
const RESOURCE_CONFIGURATION_ARN =
  'arn:aws:vpc-lattice:eu-west-1:111122223333:resourceconfiguration/rcfg-0123456789abcdef0';
const at = { source: 'sample.log', line: 7 };

const minimalService = {
  startTime: '2026-11-20T10:15:30Z',
  serviceArn: SERVICE_ARN,
  requestMethod: 'GET',
  requestPath: '/orders/8812',
  responseCode: 200,
};

function parse(fields: Record<string, unknown>): ParsedLine | undefined {
  return parseAccessLogLine(JSON.stringify(fields), at);
}

function service(fields: Record<string, unknown>): ServiceAccessLogRecord {
  const parsed = parse(fields);
  if (parsed?.ok !== true || parsed.record.kind !== 'service') {
    throw new Error(`expected a service record, got ${JSON.stringify(parsed)}`);
  }
  return parsed.record;
}

function resource(fields: Record<string, unknown>): ResourceAccessLogRecord {
  const parsed = parse(fields);
  if (parsed?.ok !== true || parsed.record.kind !== 'resource') {
    throw new Error(`expected a resource record, got ${JSON.stringify(parsed)}`);
  }
  return parsed.record;
}

function rejection(line: string): RejectedLine {
  const parsed = parseAccessLogLine(line, at);
  if (parsed === undefined || parsed.ok) {
    throw new Error(`expected a rejection, got ${JSON.stringify(parsed)}`);
  }
  return parsed.rejected;
}

function rejectionOf(fields: Record<string, unknown>): RejectedLine {
  return rejection(JSON.stringify(fields));
}

describe('parseAccessLogLine', () => {
  describe('a service access-log line', () => {
    it('becomes a service record with every known field typed', () => {
      const record = service({
        ...minimalService,
        duration: 23,
        requestToTargetDuration: 21,
        responseFromTargetDuration: 1,
        protocol: 'HTTP/1.1',
        bytesReceived: 312,
        bytesSent: 1840,
        userAgent: 'curl/8.5.0',
        hostHeader: 'orders.example',
        sslCipher: 'ECDHE-RSA-AES128-GCM-SHA256',
        tlsVersion: 'TLSv1.2',
        callerPrincipal: 'arn:aws:sts::444455556666:assumed-role/checkout/abc',
        callerPrincipalOrgID: 'o-a1b2c3d4e5',
        resolvedUser: 'arn:aws:sts::444455556666:assumed-role/checkout/abc',
        callerPrincipalTags: { team: 'payments' },
        sourceVpcId: 'vpc-0aa11bb22cc33dd44',
        grpcResponseCode: 0,
        authDeniedReason: 'Service',
      });
      expect(record).toEqual({
        kind: 'service',
        ...minimalService,
        duration: 23,
        requestToTargetDuration: 21,
        responseFromTargetDuration: 1,
        protocol: 'HTTP/1.1',
        bytesReceived: 312,
        bytesSent: 1840,
        userAgent: 'curl/8.5.0',
        hostHeader: 'orders.example',
        sslCipher: 'ECDHE-RSA-AES128-GCM-SHA256',
        tlsVersion: 'TLSv1.2',
        callerPrincipal: 'arn:aws:sts::444455556666:assumed-role/checkout/abc',
        callerPrincipalOrgID: 'o-a1b2c3d4e5',
        resolvedUser: 'arn:aws:sts::444455556666:assumed-role/checkout/abc',
        callerPrincipalTags: { team: 'payments' },
        sourceVpcId: 'vpc-0aa11bb22cc33dd44',
        grpcResponseCode: 0,
        authDeniedReason: 'Service',
        extra: {},
      });
    });

    it('carries its location', () => {
      expect(parse(minimalService)).toMatchObject({ ok: true, location: at });
    });

    it('keeps fields it does not know in extra, verbatim', () => {
      const record = service({ ...minimalService, newField: { a: [1, '-'] }, other: '-' });
      expect(record.extra).toEqual({ newField: { a: [1, '-'] }, other: '-' });
    });

    it('treats "-", "null", null, "" and a missing field as absent', () => {
      const record = service({
        ...minimalService,
        callerPrincipal: '-',
        targetGroupArn: 'null',
        userAgent: null,
        sourceVpcId: '',
        duration: '-',
        callerPrincipalTags: '-',
      });
      for (const field of [
        'callerPrincipal',
        'targetGroupArn',
        'userAgent',
        'sourceVpcId',
        'duration',
        'callerPrincipalTags',
        'failureReason',
      ]) {
        expect(record).not.toHaveProperty(field);
      }
    });

    it('accepts numbers written as strings in numeric fields', () => {
      const record = service({
        ...minimalService,
        responseCode: '404',
        duration: '17',
        bytesSent: '0',
      });
      expect(record.responseCode).toBe(404);
      expect(record.duration).toBe(17);
      expect(record.bytesSent).toBe(0);
    });

    it('fills serverNameIndicator from serverNameIndication, the name Lattice writes', () => {
      const record = service({ ...minimalService, serverNameIndication: 'orders.example' });
      expect(record.serverNameIndication).toBe('orders.example');
      expect(record.serverNameIndicator).toBe('orders.example');
    });

    it('keeps serverNameIndicator when the line gives it', () => {
      const record = service({
        ...minimalService,
        serverNameIndicator: 'a',
        serverNameIndication: 'b',
      });
      expect(record.serverNameIndicator).toBe('a');
    });

    it.each([
      ['fractional seconds', '2026-11-20T10:15:30.123Z'],
      ['a +00:00 offset', '2026-11-20T10:15:30+00:00'],
      ['a leap day', '2028-02-29T00:00:00Z'],
    ])('accepts a start time with %s', (_, startTime) => {
      expect(service({ ...minimalService, startTime }).startTime).toBe(startTime);
    });

    it('accepts a service ARN in another partition', () => {
      const serviceArn = 'arn:aws-us-gov:vpc-lattice:us-gov-west-1:111122223333:service/svc-0abc';
      expect(service({ ...minimalService, serviceArn }).serviceArn).toBe(serviceArn);
    });

    it('keeps the query string on the request path (templating strips it)', () => {
      expect(service({ ...minimalService, requestPath: '/a?b=1' }).requestPath).toBe('/a?b=1');
    });
  });

  describe('a resource access-log line', () => {
    it('is a resource record when it has resourceConfigurationArn and no serviceArn', () => {
      const record = resource({
        startTime: '2026-11-20T10:20:00Z',
        endTime: '2026-11-20T10:20:04Z',
        resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN,
        protocol: 'tcp',
        destinationIpPort: '10.9.0.5:5432',
        sentBytes: '64',
        receivedBytes: 128,
        vpcEndpointId: '-',
        somethingNew: 1,
      });
      expect(record).toEqual({
        kind: 'resource',
        startTime: '2026-11-20T10:20:00Z',
        endTime: '2026-11-20T10:20:04Z',
        resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN,
        protocol: 'tcp',
        destinationIpPort: '10.9.0.5:5432',
        sentBytes: 64,
        receivedBytes: 128,
        extra: { somethingNew: 1 },
      });
    });

    it('is a service record when it has a serviceArn as well', () => {
      const record = service({
        ...minimalService,
        resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN,
      });
      expect(record.extra).toEqual({ resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN });
    });

    it('is rejected without a start time', () => {
      expect(rejectionOf({ resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN })).toEqual({
        location: at,
        field: 'startTime',
        reason: 'startTime: required field is missing',
      });
    });

    it('is rejected with a malformed resource configuration ARN', () => {
      const bad = 'arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-0abc';
      expect(
        rejectionOf({ startTime: '2026-11-20T10:20:00Z', resourceConfigurationArn: 'rcfg-1' }),
      ).toMatchObject({
        field: 'resourceConfigurationArn',
        reason:
          'resourceConfigurationArn: expected ' +
          'arn:aws:vpc-lattice:REGION:ACCOUNT:resourceconfiguration/rcfg-…, got "rcfg-1"',
      });
      expect(
        rejectionOf({ startTime: '2026-11-20T10:20:00Z', resourceConfigurationArn: bad }).field,
      ).toBe('resourceConfigurationArn');
    });

    it('is rejected with a byte count that is not a number', () => {
      expect(
        rejectionOf({
          startTime: '2026-11-20T10:20:00Z',
          resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN,
          sentBytes: 'lots',
        }),
      ).toMatchObject({
        field: 'sentBytes',
        reason: 'sentBytes: expected a non-negative integer, got "lots"',
      });
    });
  });

  describe('line handling', () => {
    it.each([
      ['an empty line', ''],
      ['spaces and tabs', ' \t  '],
      ['a lone carriage return', '\r'],
      ['a BOM and nothing else', '\ufeff'],
    ])('returns undefined for %s', (_, line) => {
      expect(parseAccessLogLine(line, at)).toBeUndefined();
    });

    it('ignores a leading UTF-8 byte-order mark', () => {
      expect(parseAccessLogLine(`\ufeff${JSON.stringify(minimalService)}`, at)?.ok).toBe(true);
    });

    it('ignores a trailing carriage return (CRLF line ends)', () => {
      expect(parseAccessLogLine(`${JSON.stringify(minimalService)}\r`, at)?.ok).toBe(true);
    });

    it('accepts surrounding whitespace', () => {
      expect(parseAccessLogLine(`  ${JSON.stringify(minimalService)}  `, at)?.ok).toBe(true);
    });
  });

  describe('rejects a line that is not one JSON object', () => {
    it('when it is not JSON at all', () => {
      expect(rejection('GET /orders 200')).toEqual({
        location: at,
        reason: expect.stringMatching(/^not valid JSON: /),
      });
    });

    it('when the JSON is cut off inside a string', () => {
      const reason = rejection('{"startTime":"2026-11-2').reason;
      expect(reason).toMatch(/^truncated JSON: the line ends before the object is complete \(/);
    });

    it('when the JSON is cut off after a comma', () => {
      expect(rejection('{"startTime":"2026-11-20T10:15:30Z",').reason).toMatch(/^truncated JSON/);
    });

    it('when the JSON has trailing garbage', () => {
      expect(rejection('{"a":1}}').reason).toMatch(/^not valid JSON: /);
    });

    it.each([
      ['an array', '[{"startTime":"2026-11-20T10:15:30Z"}]'],
      ['a number', '42'],
      ['a string', '"GET /"'],
      ['null', 'null'],
      ['a boolean', 'true'],
    ])('when it is %s', (kind, line) => {
      expect(rejection(line)).toEqual({
        location: at,
        reason: `expected one JSON object per line, got ${kind}`,
      });
    });
  });

  describe('rejects a service record', () => {
    it.each(['startTime', 'serviceArn', 'requestMethod', 'requestPath', 'responseCode'])(
      'without %s',
      (field) => {
        const fields: Record<string, unknown> = { ...minimalService };
        delete fields[field];
        expect(rejectionOf(fields)).toEqual({
          location: at,
          field,
          reason: `${field}: required field is missing`,
        });
      },
    );

    it('whose required field is "-"', () => {
      expect(rejectionOf({ ...minimalService, requestPath: '-' })).toEqual({
        location: at,
        field: 'requestPath',
        reason: 'requestPath: required field has no value ("-")',
      });
    });

    it.each([
      ['"abc"', 'abc', 'responseCode: expected an integer status 100-599, got "abc"'],
      ['99', 99, 'responseCode: expected an integer status 100-599, got 99'],
      ['600', 600, 'responseCode: expected an integer status 100-599, got 600'],
      ['200.5', 200.5, 'responseCode: expected an integer status 100-599, got 200.5'],
      ['" 200"', ' 200', 'responseCode: expected an integer status 100-599, got " 200"'],
      ['true', true, 'responseCode: expected an integer status 100-599, got true'],
    ])('whose responseCode is %s', (_, responseCode, reason) => {
      expect(rejectionOf({ ...minimalService, responseCode })).toEqual({
        location: at,
        field: 'responseCode',
        reason,
      });
    });

    it.each([
      ['a word', 'abc', 'duration: expected a non-negative integer, got "abc"'],
      ['negative', -5, 'duration: expected a non-negative integer, got -5'],
      ['a negative string', '-5', 'duration: expected a non-negative integer, got "-5"'],
      ['fractional', 1.5, 'duration: expected a non-negative integer, got 1.5'],
      ['an object', { ms: 5 }, 'duration: expected a non-negative integer, got an object'],
    ])('whose duration is %s', (_, duration, reason) => {
      expect(rejectionOf({ ...minimalService, duration })).toEqual({
        location: at,
        field: 'duration',
        reason,
      });
    });

    it.each([
      ['not a time', 'yesterday'],
      ['a date only', '2026-11-20'],
      ['no time zone', '2026-11-20T10:15:30'],
      ['a non-UTC offset', '2026-11-20T10:15:30+02:00'],
      ['a day that does not exist', '2026-02-30T10:15:30Z'],
      ['hour 24', '2026-11-20T24:00:00Z'],
      ['a space instead of T', '2026-11-20 10:15:30Z'],
      ['an empty fraction', '2026-11-20T10:15:30.Z'],
      ['epoch milliseconds', 1795169730000],
    ])('whose startTime is %s', (_, startTime) => {
      expect(rejectionOf({ ...minimalService, startTime })).toEqual({
        location: at,
        field: 'startTime',
        reason: `startTime: expected an ISO 8601 UTC time such as "2026-11-20T10:15:30Z", got ${
          typeof startTime === 'string' ? JSON.stringify(startTime) : startTime
        }`,
      });
    });

    it.each([
      ['a service id', 'svc-0a1b2c3d4e5f60718'],
      ['a service network ARN', 'arn:aws:vpc-lattice:eu-west-1:111122223333:servicenetwork/sn-01'],
      ['a short account', 'arn:aws:vpc-lattice:eu-west-1:1111:service/svc-01'],
      ['another service namespace', 'arn:aws:ec2:eu-west-1:111122223333:service/svc-01'],
      ['a trailing path', `${SERVICE_ARN}/orders`],
    ])('whose serviceArn is %s', (_, serviceArn) => {
      expect(rejectionOf({ ...minimalService, serviceArn })).toEqual({
        location: at,
        field: 'serviceArn',
        reason: `serviceArn: expected arn:aws:vpc-lattice:REGION:ACCOUNT:service/svc-…, got ${JSON.stringify(serviceArn)}`,
      });
    });

    it('whose requestPath does not start with "/"', () => {
      expect(rejectionOf({ ...minimalService, requestPath: 'orders/1' })).toEqual({
        location: at,
        field: 'requestPath',
        reason: 'requestPath: expected a path starting with "/", got "orders/1"',
      });
    });

    it('whose requestMethod is not a token', () => {
      expect(rejectionOf({ ...minimalService, requestMethod: 'GET /' })).toMatchObject({
        field: 'requestMethod',
        reason: 'requestMethod: expected an HTTP method such as "GET", got "GET /"',
      });
    });

    it.each([
      ['an object in a string field', 'userAgent', { name: 'curl' }, 'an object'],
      ['an array in a string field', 'callerPrincipal', ['arn:aws:iam::1:root'], 'an array'],
      ['a number in a string field', 'sourceVpcId', 42, '42'],
      ['a boolean in a string field', 'requestMethod', false, 'false'],
    ])('with %s', (_, field, value, shown) => {
      expect(rejectionOf({ ...minimalService, [field]: value })).toEqual({
        location: at,
        field,
        reason: expect.stringMatching(new RegExp(`^${field}: expected .*, got ${shown}$`)),
      });
    });

    it('and shortens a long bad value in the reason', () => {
      const reason = rejectionOf({ ...minimalService, responseCode: 'x'.repeat(500) }).reason;
      expect(reason).toBe(
        `responseCode: expected an integer status 100-599, got "${'x'.repeat(80)}…"`,
      );
    });
  });

  describe('prototype safety', () => {
    it('keeps __proto__ and constructor keys as plain extra entries', () => {
      const line = `{"startTime":"2026-11-20T10:15:30Z","serviceArn":"${SERVICE_ARN}","requestMethod":"GET","requestPath":"/","responseCode":200,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
      const parsed = parseAccessLogLine(line, at);
      if (parsed?.ok !== true) throw new Error('expected a record');
      expect(Object.keys(parsed.record.extra).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.hasOwn(parsed.record.extra, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(parsed.record)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
