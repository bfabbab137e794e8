// Specification of transformRecords: the Firehose data-transformation contract (aws-contracts.md
// §6) over the sample event, every kind of bad record, and odd but valid entries.
import { describe, expect, it } from 'vitest';
import { DERIVED_FIELDS_KEY, transformRecords } from '../../../shared/transform/index.ts';
import {
  decodeData,
  MINIMAL_ENTRY,
  RESOURCE_CONFIGURATION_ARN,
  recordOfBytes,
  recordOfEntry,
  recordOfText,
  sampleFirehoseEvent,
} from './firehose-records.ts';

const MALFORMED_IN_SAMPLE = new Map([
  ['49655293839417205123409847519876216403000017202611200119', 'not valid JSON'],
  ['49655293839417205123409847519876216403000017202611200231', 'truncated JSON'],
]);

function only(text: string) {
  const batch = transformRecords([recordOfText('r1', text)]);
  expect(batch.records).toHaveLength(1);
  return { record: batch.records[0] as (typeof batch.records)[number], batch };
}

function okLine(entry: Record<string, unknown>): Record<string, unknown> {
  const { record } = only(JSON.stringify(entry));
  expect(record.result).toBe('Ok');
  return JSON.parse(decodeData(record)) as Record<string, unknown>;
}

function derivedOf(entry: Record<string, unknown>): Record<string, unknown> {
  return okLine(entry)[DERIVED_FIELDS_KEY] as Record<string, unknown>;
}

describe('transformRecords', () => {
  describe('on the sample Firehose event (50 records, 2 malformed)', () => {
    const event = sampleFirehoseEvent();
    const batch = transformRecords(event.records);

    it('returns every recordId exactly once, in input order', () => {
      expect(batch.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    });

    it('marks the two malformed records ProcessingFailed with their data unchanged', () => {
      const failed = batch.records.filter((r) => r.result === 'ProcessingFailed');
      expect(failed.map((r) => r.recordId)).toEqual([...MALFORMED_IN_SAMPLE.keys()]);
      for (const record of failed) {
        const input = event.records.find((r) => r.recordId === record.recordId);
        expect(record.data).toBe(input?.data);
        expect(record.metadata).toBeUndefined();
      }
      expect(batch.failures.map((f) => [f.recordId, f.kind])).toEqual(
        [...MALFORMED_IN_SAMPLE.keys()].map((id) => [id, 'invalid']),
      );
      for (const failure of batch.failures) {
        expect(failure.reason).toContain(MALFORMED_IN_SAMPLE.get(failure.recordId));
      }
    });

    it('marks the other 48 Ok and never Dropped', () => {
      expect(batch.records.filter((r) => r.result === 'Ok')).toHaveLength(48);
      expect(batch.records.some((r) => r.result === 'Dropped')).toBe(false);
    });

    it('writes each Ok record as the original text, verbatim, plus the derived fields and one newline', () => {
      event.records.forEach((input, i) => {
        const output = batch.records[i];
        if (output?.result !== 'Ok') return;
        const original = Buffer.from(input.data, 'base64').toString('utf8');
        const text = decodeData(output);
        expect(text.endsWith('}\n')).toBe(true);
        expect(text.indexOf('\n')).toBe(text.length - 1);
        // The original members are kept byte for byte: the derived key is added before the brace.
        expect(text.startsWith(`${original.slice(0, -1)},"${DERIVED_FIELDS_KEY}":`)).toBe(true);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const { [DERIVED_FIELDS_KEY]: derived, ...rest } = parsed;
        expect(rest).toEqual(JSON.parse(original));
        expect(Object.keys(parsed)).toEqual([
          ...Object.keys(JSON.parse(original)),
          DERIVED_FIELDS_KEY,
        ]);
        expect(derived).toMatchObject({ recordKind: 'service', isAuthDenied: false });
      });
    });

    it('partitions each Ok record by service id and the UTC date and hour of its startTime', () => {
      event.records.forEach((input, i) => {
        const output = batch.records[i];
        if (output?.result !== 'Ok') return;
        const entry = JSON.parse(Buffer.from(input.data, 'base64').toString('utf8')) as {
          serviceArn: string;
          startTime: string;
        };
        expect(output.metadata).toEqual({
          partitionKeys: {
            service: entry.serviceArn.split('/')[1],
            dt: entry.startTime.slice(0, 10),
            hour: entry.startTime.slice(11, 13),
          },
        });
      });
      expect(batch.records[0]?.metadata?.partitionKeys).toEqual({
        service: 'svc-0a40974812b61bafb',
        dt: '2026-11-20',
        hour: '10',
      });
    });

    it('derives the caller as a policy names it, and the path template', () => {
      const first = JSON.parse(decodeData(batch.records[0] as never)) as Record<string, unknown>;
      expect(first[DERIVED_FIELDS_KEY]).toEqual({
        recordKind: 'service',
        serviceId: 'svc-0a40974812b61bafb',
        callerPrincipal: 'arn:aws:iam::111122223333:role/storefront-bff-role',
        callerKind: 'role',
        callerAccount: '111122223333',
        sessionName: '8f46ef7449cd3d4239f0cd97ec0a9689',
        pathTemplate: '/api/v2/products/{id}',
        isAuthDenied: false,
      });
    });

    it('counts requests per service and the failures', () => {
      expect(batch.counts.requests).toBe(48);
      expect(batch.counts.authDenied).toBe(0);
      expect(batch.counts.transformFailures).toBe(2);
      const perService = new Map<string, number>();
      for (const record of batch.records) {
        const service = record.metadata?.partitionKeys.service;
        if (service !== undefined) perService.set(service, (perService.get(service) ?? 0) + 1);
      }
      expect(
        new Map([...batch.counts.services].map(([id, counts]) => [id, counts.requests])),
      ).toEqual(perService);
    });
  });

  describe('a record that is not a readable access-log entry is ProcessingFailed, data unchanged', () => {
    const cases: [string, string, string, RegExp][] = [
      ['data that is not base64', 'not base64!', 'undecodable', /not valid base64/],
      ['base64 cut to a length that is not a multiple of 4', 'eyJhIj', 'undecodable', /base64/],
      ['base64 with a character outside the alphabet', 'eyJ_YQ==', 'undecodable', /base64/],
      [
        'bytes that are not UTF-8',
        Buffer.from([0xff, 0xfe, 0x7b]).toString('base64'),
        'not-text',
        /not UTF-8/,
      ],
      ['empty data', '', 'empty', /no text/],
      ['only whitespace', Buffer.from(' \r\n\t').toString('base64'), 'empty', /no text/],
      [
        'text that is not JSON',
        Buffer.from('lattice-log-relay: WARN dropped').toString('base64'),
        'invalid',
        /not valid JSON/,
      ],
      [
        'truncated JSON',
        Buffer.from('{"startTime":"2026-11-20T10:15:30Z","serviceArn":"arn:aws').toString('base64'),
        'invalid',
        /truncated JSON/,
      ],
      [
        'a JSON array',
        Buffer.from('[1,2]').toString('base64'),
        'invalid',
        /expected one JSON object per line, got an array/,
      ],
      ['a JSON string', Buffer.from('"GET /"').toString('base64'), 'invalid', /got a string/],
      ['JSON null', Buffer.from('null').toString('base64'), 'invalid', /got null/],
      [
        'an object that is not a Lattice entry',
        Buffer.from('{"level":"info","msg":"hello"}').toString('base64'),
        'invalid',
        /startTime: required field is missing/,
      ],
      [
        'two entries in one record',
        Buffer.from(
          `${JSON.stringify(MINIMAL_ENTRY)}\n${JSON.stringify(MINIMAL_ENTRY)}\n`,
        ).toString('base64'),
        'invalid',
        /holds 2 lines/,
      ],
    ];
    for (const [name, data, kind, reason] of cases) {
      it(`${name} (${kind})`, () => {
        const batch = transformRecords([{ recordId: 'bad', approximateArrivalTimestamp: 0, data }]);
        expect(batch.records).toEqual([{ recordId: 'bad', result: 'ProcessingFailed', data }]);
        expect(batch.failures).toHaveLength(1);
        expect(batch.failures[0]).toMatchObject({ recordId: 'bad', kind });
        expect(batch.failures[0]?.reason).toMatch(reason);
        expect(batch.counts).toMatchObject({ requests: 0, transformFailures: 1 });
      });
    }

    it('a record without data (a malformed event)', () => {
      const batch = transformRecords([
        { recordId: 'bad', approximateArrivalTimestamp: 0 } as never,
      ]);
      expect(batch.records).toEqual([
        { recordId: 'bad', result: 'ProcessingFailed', data: undefined },
      ]);
      expect(batch.failures[0]).toMatchObject({
        kind: 'undecodable',
        reason: 'data is missing, not a base64 string',
      });
    });

    it('an entry with a field of the wrong type, naming the field', () => {
      const batch = transformRecords([
        recordOfEntry('bad', { ...MINIMAL_ENTRY, responseCode: 'abc' }),
      ]);
      expect(batch.records[0]?.result).toBe('ProcessingFailed');
      expect(batch.failures[0]).toMatchObject({ kind: 'invalid', field: 'responseCode' });
    });

    it('an entry whose serviceArn is not a Lattice service ARN', () => {
      const batch = transformRecords([
        recordOfEntry('bad', { ...MINIMAL_ENTRY, serviceArn: 'arn:aws:s3:::bucket' }),
      ]);
      expect(batch.failures[0]).toMatchObject({ kind: 'invalid', field: 'serviceArn' });
    });
  });

  describe('a valid entry', () => {
    it('keeps `-` values, numbers written as strings, unknown fields and the key order', () => {
      const entry = {
        zeta: 'first',
        ...MINIMAL_ENTRY,
        responseCode: '200',
        targetGroupArn: '-',
        grpcResponseCode: 'null',
        newFieldFromAws: { nested: [1, 2] },
      };
      const line = okLine(entry);
      const { [DERIVED_FIELDS_KEY]: _derived, ...rest } = line;
      expect(rest).toEqual(entry);
      expect(Object.keys(line)).toEqual([...Object.keys(entry), DERIVED_FIELDS_KEY]);
    });

    it('keeps the original spelling of numbers and escapes', () => {
      const text =
        '{"startTime":"2026-11-20T10:15:30Z","serviceArn":"arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1","requestMethod":"GET","requestPath":"/caf\\u00e9","responseCode":200,"duration":1.0e1,"someCounterAwsAdds":12345678901234567890}';
      const { record } = only(text);
      expect(decodeData(record).startsWith(`${text.slice(0, -1)},"latticeLens":`)).toBe(true);
    });

    it('ends with exactly one newline when the record already ends with one (or CRLF)', () => {
      for (const ending of ['\n', '\r\n', '  \n\n']) {
        const { record } = only(`${JSON.stringify(MINIMAL_ENTRY)}${ending}`);
        const text = decodeData(record);
        expect(text.endsWith('}}\n')).toBe(true);
        expect(text.split('\n')).toHaveLength(2);
      }
    });

    it('becomes one line when it was pretty-printed', () => {
      const { record } = only(JSON.stringify(MINIMAL_ENTRY, null, 2));
      const text = decodeData(record);
      expect(text.indexOf('\n')).toBe(text.length - 1);
      expect(JSON.parse(text)).toMatchObject(MINIMAL_ENTRY);
    });

    it('ignores a UTF-8 byte order mark', () => {
      const bytes = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify(MINIMAL_ENTRY)),
      ]);
      const batch = transformRecords([recordOfBytes('bom', bytes)]);
      expect(batch.records[0]?.result).toBe('Ok');
      expect(decodeData(batch.records[0] as never).startsWith('{"startTime"')).toBe(true);
    });

    it('replaces derived fields it already carries (a replay of transformed output), once', () => {
      const stale = { ...MINIMAL_ENTRY, latticeLens: { serviceId: 'stale' }, after: 1 };
      const { record } = only(JSON.stringify(stale));
      const text = decodeData(record);
      expect(text.match(/"latticeLens"/g)).toHaveLength(1);
      const line = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(line)).toEqual(Object.keys(stale));
      expect(line.latticeLens).toMatchObject({ serviceId: 'svc-0a40974812b61bafb' });
    });

    it('names an assumed-role caller by its role and keeps the session name apart', () => {
      expect(derivedOf(MINIMAL_ENTRY)).toEqual({
        recordKind: 'service',
        serviceId: 'svc-0a40974812b61bafb',
        callerPrincipal: 'arn:aws:iam::111122223333:role/order-service-role',
        callerKind: 'role',
        callerAccount: '111122223333',
        sessionName: 'task-1',
        pathTemplate: '/api/v1/orders/{id}',
        isAuthDenied: false,
      });
    });

    it('names an unsigned caller anonymous, with the account of its VPC and no session', () => {
      expect(
        derivedOf({
          ...MINIMAL_ENTRY,
          callerPrincipal: '-',
          sourceVpcArn: 'arn:aws:ec2:us-east-1:444455556666:vpc/vpc-0f1e2d3c4b5a69788',
        }),
      ).toEqual({
        recordKind: 'service',
        serviceId: 'svc-0a40974812b61bafb',
        callerPrincipal: 'anonymous',
        callerKind: 'anonymous',
        callerAccount: '444455556666',
        pathTemplate: '/api/v1/orders/{id}',
        isAuthDenied: false,
      });
      const derived = derivedOf({ ...MINIMAL_ENTRY, callerPrincipal: '-' });
      expect(derived).not.toHaveProperty('callerAccount');
      expect(derived).not.toHaveProperty('sessionName');
    });

    it('flags a 403 as an auth denial only when Lattice names an authDeniedReason', () => {
      expect(
        derivedOf({ ...MINIMAL_ENTRY, responseCode: 403, authDeniedReason: 'Service' })
          .isAuthDenied,
      ).toBe(true);
      expect(
        derivedOf({ ...MINIMAL_ENTRY, responseCode: 403, authDeniedReason: '-' }).isAuthDenied,
      ).toBe(false);
      const batch = transformRecords([
        recordOfEntry('a', { ...MINIMAL_ENTRY, responseCode: 403, authDeniedReason: 'Service' }),
        recordOfEntry('b', { ...MINIMAL_ENTRY, responseCode: 403 }),
      ]);
      expect(batch.counts).toMatchObject({ requests: 2, authDenied: 1 });
    });

    it('partitions a resource connection by its resource configuration, port as path', () => {
      const batch = transformRecords([
        recordOfEntry('tcp', {
          startTime: '2026-11-20T23:59:59.999Z',
          resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN,
          protocol: 'TCP',
          destinationIpPort: '10.0.0.5:5432',
        }),
      ]);
      const record = batch.records[0];
      expect(record?.metadata?.partitionKeys).toEqual({
        service: 'rcfg-0123456789abcdef0',
        dt: '2026-11-20',
        hour: '23',
      });
      expect(JSON.parse(decodeData(record as never))[DERIVED_FIELDS_KEY]).toMatchObject({
        recordKind: 'resource',
        serviceId: 'rcfg-0123456789abcdef0',
        pathTemplate: ':5432',
        isAuthDenied: false,
      });
    });

    it('takes the partition from the UTC instant of a startTime written with an offset', () => {
      const batch = transformRecords([
        recordOfEntry('r', { ...MINIMAL_ENTRY, startTime: '2026-12-31T23:30:00.5+00:00' }),
      ]);
      expect(batch.records[0]?.metadata?.partitionKeys).toMatchObject({
        dt: '2026-12-31',
        hour: '23',
      });
    });
  });

  describe('under the Lambda response size limit', () => {
    const entries = Array.from({ length: 10 }, (_, i) =>
      recordOfEntry(`r${i}`, { ...MINIMAL_ENTRY, requestPath: `/api/v1/orders/${i}` }),
    );
    const full = transformRecords(entries);
    const fullBytes = JSON.stringify({ records: full.records }).length;

    it('keeps every record enriched when the response fits', () => {
      expect(fullBytes).toBeLessThan(6 * 1024 * 1024);
      expect(full.plainRecords).toBe(0);
    });

    it('drops the derived fields of the last records first, still Ok and partitioned', () => {
      const batch = transformRecords(entries, { maxResponseBytes: fullBytes - 1 });
      expect(JSON.stringify({ records: batch.records }).length).toBeLessThanOrEqual(fullBytes - 1);
      expect(batch.plainRecords).toBe(1);
      const last = batch.records[9];
      expect(last?.result).toBe('Ok');
      expect(last?.metadata).toEqual(full.records[9]?.metadata);
      expect(decodeData(last as never)).toBe(`${Buffer.from(entries[9]?.data ?? '', 'base64')}\n`);
      expect(batch.failures).toEqual([]);
    });

    it('fails the last records for size, with their original data, when plain records do not fit', () => {
      const budget = Math.floor(fullBytes / 2);
      const batch = transformRecords(entries, { maxResponseBytes: budget });
      expect(JSON.stringify({ records: batch.records }).length).toBeLessThanOrEqual(budget);
      expect(batch.records.map((r) => r.recordId)).toEqual(entries.map((r) => r.recordId));
      const failedIds = batch.failures.map((f) => f.recordId);
      expect(failedIds.length).toBeGreaterThan(0);
      expect(failedIds).toEqual(entries.slice(10 - failedIds.length).map((r) => r.recordId));
      for (const failure of batch.failures) expect(failure.kind).toBe('response-too-large');
      for (const [i, record] of batch.records.entries()) {
        if (record.result === 'ProcessingFailed') expect(record.data).toBe(entries[i]?.data);
      }
      // Still requests seen on the network: the metrics count them.
      expect(batch.counts).toMatchObject({ requests: 10, transformFailures: failedIds.length });
    });
  });
});
