// The seeded sample-log generator and the committed samples it wrote: determinism and shape.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent, S3Event } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIREHOSE_STREAM, SAMPLE_BUCKET, writeSampleFiles } from '../../sample-logs/generate.ts';
import {
  ANONYMOUS_SOURCE_VPC_ID,
  CROSS_ACCOUNT_ID,
  generateAccessLogLines,
  generateSampleEntries,
  MALFORMATIONS,
  SAMPLE_CALLERS,
  SAMPLE_CALLS,
  SAMPLE_NETWORK,
  SAMPLE_SERVICES,
  type SampleLogOptions,
} from '../../sample-logs/generator.ts';
import { gzipDeterministic } from '../../sample-logs/gzip.ts';

const SAMPLES_DIR = fileURLToPath(new URL('../../sample-logs/', import.meta.url));
const readSample = (path: string) => readFileSync(join(SAMPLES_DIR, ...path.split('/')));

const OPTIONS: SampleLogOptions = {
  seed: 42,
  requests: 3_000,
  start: new Date('2026-11-20T00:00:00Z'),
  hours: 24,
};

/** Every field of a service access-log entry (aws-contracts §1). */
const ACCESS_LOG_FIELDS = [
  'startTime',
  'duration',
  'requestToTargetDuration',
  'responseFromTargetDuration',
  'requestMethod',
  'requestPath',
  'protocol',
  'responseCode',
  'grpcResponseCode',
  'bytesReceived',
  'bytesSent',
  'userAgent',
  'serverNameIndicator',
  'sourceIpPort',
  'targetIpPort',
  'sourceVpcId',
  'sourceVpcArn',
  'destinationVpcId',
  'serviceNetworkArn',
  'serviceArn',
  'targetGroupArn',
  'tlsVersion',
  'callerPrincipal',
  'callerPrincipalTags',
  'callerX509SubjectCN',
  'callerX509IssuerOU',
  'callerX509SANNameCN',
  'callerX509SANDNS',
  'callerX509SANURI',
  'authDeniedReason',
  'failureReason',
  'requestId',
] as const;

type LogLine = Record<string, unknown>;
const serviceArnPrefix = `arn:aws:vpc-lattice:${SAMPLE_NETWORK.region}:${SAMPLE_NETWORK.accountId}:service/`;
const parsedLines = [...generateAccessLogLines(OPTIONS)].map((line) => JSON.parse(line) as LogLine);

describe('generateAccessLogLines', () => {
  it('yields the same lines for the same seed, and other lines for another seed', () => {
    const again = [...generateAccessLogLines({ ...OPTIONS, requests: 200 })];
    expect(again).toEqual([...generateAccessLogLines({ ...OPTIONS, requests: 200 })]);
    expect(again).not.toEqual([...generateAccessLogLines({ ...OPTIONS, requests: 200, seed: 43 })]);
  });

  it('writes every access-log field on every line, as a JSON number or string', () => {
    expect(parsedLines).toHaveLength(OPTIONS.requests);
    for (const record of parsedLines) {
      expect(ACCESS_LOG_FIELDS.filter((field) => !(field in record))).toEqual([]);
      const numbers = ['duration', 'responseCode', 'bytesReceived', 'bytesSent'];
      expect(numbers.filter((field) => typeof record[field] !== 'number')).toEqual([]);
      expect(record.startTime).toMatch(/^2026-11-20T\d\d:\d\d:\d\dZ$/);
      expect(record.serviceNetworkArn).toBe(SAMPLE_NETWORK.serviceNetworkArn);
      expect(record.grpcResponseCode).toBe('-');
      expect(record.callerPrincipalTags).toBe('-');
    }
  });

  it('uses Lattice-shaped resource ids', () => {
    expect(SAMPLE_NETWORK.serviceNetworkId).toMatch(/^sn-0[0-9a-f]{16}$/);
    for (const service of Object.values(SAMPLE_SERVICES)) {
      expect(service.id).toMatch(/^svc-0[0-9a-f]{16}$/);
      expect(service.targetGroupArn).toMatch(/:targetgroup\/tg-0[0-9a-f]{16}$/);
      expect(service.destinationVpcId).toMatch(/^vpc-0[0-9a-f]{16}$/);
      expect(service.serverNameIndicator).toBe(
        `${service.name}-${service.id.slice(4)}.7d67968.vpc-lattice-svcs.us-east-1.on.aws`,
      );
    }
    for (const caller of Object.values(SAMPLE_CALLERS)) {
      expect(caller.sourceVpcId).toMatch(/^vpc-0[0-9a-f]{16}$/);
    }
  });

  it('marks auth denials as 403 with a reason and no target, and only for deny calls', () => {
    const denied = parsedLines.filter((r) => r.authDeniedReason !== '-');
    expect(denied.length).toBeGreaterThan(0);
    for (const record of denied) {
      expect(record.responseCode).toBe(403);
      expect(record.targetGroupArn).toBe('-');
      expect(record.targetIpPort).toBe('-');
      expect(record.requestToTargetDuration).toBe(0);
    }
    const deniedRoles = new Set(denied.map((r) => String(r.callerPrincipal).split('/')[1]));
    expect([...deniedRoles].sort()).toEqual(['cart-service-role', 'legacy-batch-role']);
    for (const record of parsedLines.filter((r) => r.authDeniedReason === '-')) {
      expect(record.targetGroupArn).not.toBe('-');
    }
  });

  it('sends anonymous traffic from one VPC only, and cross-account traffic from one account', () => {
    const anonymous = parsedLines.filter((r) => r.callerPrincipal === '-');
    expect(anonymous.length).toBeGreaterThan(0);
    expect(new Set(anonymous.map((r) => r.sourceVpcId))).toEqual(
      new Set([ANONYMOUS_SOURCE_VPC_ID]),
    );
    const signed = parsedLines.filter((r) => r.callerPrincipal !== '-');
    const accounts = new Set(signed.map((r) => String(r.callerPrincipal).split(':')[4]));
    expect([...accounts].sort()).toEqual([SAMPLE_NETWORK.accountId, CROSS_ACCOUNT_ID]);
  });

  it('sets the X.509 fields only for the Roles Anywhere caller', () => {
    for (const record of parsedLines) {
      const isRolesAnywhere = String(record.callerPrincipal).includes('/warehouse-scanner-role/');
      expect(record.callerX509SubjectCN !== '-').toBe(isRolesAnywhere);
    }
  });

  it('spreads start times over the window, in roughly ascending order', () => {
    const times = parsedLines.map((r) => Date.parse(String(r.startTime)));
    const start = OPTIONS.start.getTime();
    for (const [index, time] of times.entries()) {
      expect(time).toBeGreaterThanOrEqual(start);
      expect(time).toBeLessThan(start + OPTIONS.hours * 3_600_000);
      if (index > 0) expect(time).toBeGreaterThanOrEqual((times[index - 1] ?? 0) - 2_000);
    }
    const hours = new Set(times.map((t) => new Date(t).getUTCHours()));
    expect(hours.size).toBe(24);
  });

  it('gives the per-user preferences family hundreds of distinct usernames', () => {
    const usernames = new Set(
      parsedLines.flatMap(
        (r) => /^\/api\/v1\/users\/([a-z.]+)\/preferences/.exec(String(r.requestPath))?.[1] ?? [],
      ),
    );
    expect(usernames.size).toBeGreaterThan(200);
  });

  it('adds one malformed line of each kind, in turn, after every malformedEvery requests', () => {
    const entries = [...generateSampleEntries({ ...OPTIONS, requests: 40, malformedEvery: 10 })];
    const malformed = entries.flatMap((e, index) => (e.kind === 'malformed' ? [{ e, index }] : []));
    expect(malformed.map(({ e }) => e.kind === 'malformed' && e.malformation)).toEqual(
      MALFORMATIONS,
    );
    expect(malformed.map(({ index }) => index)).toEqual([10, 21, 32, 43]);
    const [truncated, notJson, missingServiceArn, badCode] = malformed.map(({ e }) => e.line);
    expect(() => JSON.parse(truncated ?? '')).toThrow();
    expect(() => JSON.parse(notJson ?? '')).toThrow();
    expect(JSON.parse(missingServiceArn ?? '')).not.toHaveProperty('serviceArn');
    expect(JSON.parse(badCode ?? '')).toMatchObject({ responseCode: 'abc' });
  });

  it('rejects options it cannot honour', () => {
    const lines = (options: Partial<SampleLogOptions>) => [
      ...generateAccessLogLines({ ...OPTIONS, ...options }),
    ];
    expect(() => lines({ requests: -1 })).toThrow(/requests must be a non-negative integer/);
    expect(() => lines({ hours: 0 })).toThrow(/hours must be positive/);
    expect(() => lines({ start: new Date('nope') })).toThrow(/start must be a valid Date/);
    expect(() => lines({ malformedEvery: 0 })).toThrow(/malformedEvery must be a positive integer/);
  });

  it('describes every call with a caller, a service and a path template', () => {
    for (const call of SAMPLE_CALLS) {
      expect(call.pathTemplate).toMatch(/^\/api\/v[12]\//);
      expect(call.pathTemplate).not.toContain('?');
    }
  });
});

describe('gzipDeterministic', () => {
  it('round-trips through zlib', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5_000 }), fc.nat({ max: 300 }), (bytes, repeat) => {
        const input = Buffer.concat([
          Buffer.from(bytes),
          Buffer.alloc(repeat, 97),
          Buffer.from(bytes),
        ]);
        expect(gunzipSync(gzipDeterministic(input)).equals(input)).toBe(true);
      }),
    );
  });
});

describe('committed samples', () => {
  it('are byte-identical to a fresh run of generate.ts', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lattice-lens-samples-'));
    try {
      const files = writeSampleFiles(outDir);
      expect(files.length).toBeGreaterThan(8);
      for (const file of files) {
        const fresh = readFileSync(join(outDir, ...file.path.split('/')));
        expect(fresh.equals(readSample(file.path)), file.path).toBe(true);
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('include one gzipped access log whose name does not say so', () => {
    const expected = JSON.parse(readSample('expected-counts.json').toString()) as {
      files: { path: string; gzip: boolean; requests: number; malformedLines: number }[];
      lines: number;
    };
    const gzipped = expected.files.filter((f) => f.gzip);
    expect(gzipped).toHaveLength(1);
    let lines = 0;
    for (const file of expected.files) {
      expect(file.path).toMatch(/\.log$/);
      const bytes = readSample(file.path);
      expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(file.gzip);
      const text = (file.gzip ? gunzipSync(bytes) : bytes).toString();
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n').length - 1).toBe(file.requests + file.malformedLines);
      lines += file.requests + file.malformedLines;
    }
    expect(lines).toBe(expected.lines);
  });

  it('hold a Firehose transformation event with unique record ids and two malformed records', () => {
    const event = JSON.parse(
      readSample('events/firehose-transformation-event.json').toString(),
    ) as FirehoseTransformationEvent;
    expect(event.deliveryStreamArn).toBe(
      `arn:aws:firehose:us-east-1:111122223333:deliverystream/${FIREHOSE_STREAM}`,
    );
    expect(event.records.length).toBeGreaterThanOrEqual(40);
    expect(new Set(event.records.map((r) => r.recordId)).size).toBe(event.records.length);
    const broken = event.records.filter((record) => {
      try {
        JSON.parse(Buffer.from(record.data, 'base64').toString());
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(2);
  });

  it('hold an S3 ObjectCreated event for the partition object written from that batch', () => {
    const event = JSON.parse(
      readSample('events/s3-object-created-event.json').toString(),
    ) as S3Event;
    const [record] = event.Records;
    expect(record?.eventName).toBe('ObjectCreated:Put');
    expect(record?.s3.bucket.name).toBe(SAMPLE_BUCKET);
    const rawKey = record?.s3.object.key ?? '';
    expect(rawKey).toContain('%3D');
    const key = decodeURIComponent(rawKey.replaceAll('+', ' '));
    const match = /^logs\/service=(svc-0[0-9a-f]{16})\/dt=2026-11-20\/hour=10\/[^/]+\.gz$/.exec(
      key,
    );
    expect(match, key).not.toBeNull();
    const serviceId = match?.[1] ?? '';

    const object = readSample('events/s3-object.json.gz');
    expect(record?.s3.object.size).toBe(object.length);
    expect(record?.s3.object.eTag).toBe(createHash('md5').update(object).digest('hex'));

    const firehose = JSON.parse(
      readSample('events/firehose-transformation-event.json').toString(),
    ) as FirehoseTransformationEvent;
    const okLinesOfService = firehose.records
      .map((r) => Buffer.from(r.data, 'base64').toString())
      .filter((line) => {
        try {
          return (JSON.parse(line) as LogLine).serviceArn === `${serviceArnPrefix}${serviceId}`;
        } catch {
          return false;
        }
      });
    expect(okLinesOfService.length).toBeGreaterThan(0);
    expect(gunzipSync(object).toString()).toBe(okLinesOfService.map((l) => `${l}\n`).join(''));
  });

  it('are summarized in the README with the totals of expected-counts.json', () => {
    const expected = JSON.parse(readSample('expected-counts.json').toString()) as Record<
      string,
      number
    >;
    const readme = readSample('README.md').toString();
    for (const total of ['requests', 'authDenied', 'malformedLines'] as const) {
      expect(readme).toMatch(new RegExp(`\\|\\s*${total}\\s*\\|\\s*${expected[total]}\\s*\\|`));
    }
  });
});
