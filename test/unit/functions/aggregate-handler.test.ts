// Specification of the aggregate function: S3 ObjectCreated events in, one Parquet summary per
// hour of each access-log object out, at keys fixed by the object's key and ETag.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AggregateLog,
  createAggregateHandler,
  LogObjectsFailedError,
} from '../../../functions/aggregate/handler.ts';
import { decodeSummary } from '../../../shared/columnar/index.ts';
import { encodeS3EventKey, summaryNameOf } from '../../../shared/pipeline/index.ts';
import { FileObjectStore } from '../../../shared/store/index.ts';

const EVENTS = join(import.meta.dirname, '../../../sample-logs/events');
const SERVICE_ARN = 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a40974812b61bafb';
const BUCKET = 'lattice-lens-sample-bucket';

interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  attributes: Record<string, unknown>;
}

function capturingLog(): AggregateLog & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, attributes) => lines.push({ level: 'info', message, attributes }),
    warn: (message, attributes) => lines.push({ level: 'warn', message, attributes }),
    error: (message, attributes) => lines.push({ level: 'error', message, attributes }),
  };
}

function logLine(startTime: string, path = '/api/v1/products', responseCode = 200): string {
  return JSON.stringify({
    startTime,
    serviceArn: SERVICE_ARN,
    requestMethod: 'GET',
    requestPath: path,
    responseCode,
    callerPrincipal: 'arn:aws:sts::111122223333:assumed-role/cart-service-role/i-0abc',
  });
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/** One ObjectCreated:Put record for `key`, encoded the way S3 encodes it. */
function createdRecord(
  key: string,
  body: Uint8Array,
  eventName = 'ObjectCreated:Put',
): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-11-20T10:21:54.266Z',
    eventName,
    userIdentity: { principalId: 'AWS:AROA5QW3EXAMPLEFH7TQ:AWSFirehoseToS3' },
    requestParameters: { sourceIPAddress: '203.0.113.17' },
    responseElements: { 'x-amz-request-id': 'F92347D225F98E2B', 'x-amz-id-2': 'yYmI7w79' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'lattice-lens-aggregate',
      bucket: {
        name: BUCKET,
        ownerIdentity: { principalId: 'A2QJX7EXAMPLE3' },
        arn: `arn:aws:s3:::${BUCKET}`,
      },
      object: {
        key: encodeS3EventKey(key),
        size: body.byteLength,
        eTag: md5(body),
        sequencer: '001A1F87A1ADA15FA5',
      },
    },
  };
}

const eventOf = (...records: S3EventRecord[]): S3Event => ({ Records: records });

let root: string;
let store: FileObjectStore;
let log: ReturnType<typeof capturingLog>;
let aggregate: ReturnType<typeof createAggregateHandler>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lattice-lens-aggregate-'));
  store = new FileObjectStore(root);
  log = capturingLog();
  aggregate = createAggregateHandler({ storeFor: () => store, logsPrefix: 'logs/', log });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Puts `body` at `key` and returns the record S3 would send for it. */
async function putLog(key: string, body: Uint8Array | string): Promise<S3EventRecord> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  await store.put(key, bytes);
  return createdRecord(key, bytes);
}

describe('the aggregate function', () => {
  describe('with the committed sample event and object', () => {
    it('writes the summary of the object at summaries/dt=…/hour=…/<sha256(key, ETag)>.parquet', async () => {
      const event = JSON.parse(
        await readFile(join(EVENTS, 's3-object-created-event.json'), 'utf8'),
      ) as S3Event;
      const object = event.Records[0]?.s3.object;
      const key = decodeURIComponent(object?.key ?? '');
      await store.put(key, await readFile(join(EVENTS, 's3-object.json.gz')));

      const result = await aggregate(event);

      const summaryKey = `summaries/dt=2026-11-20/hour=10/${summaryNameOf(key, object?.eTag ?? '')}.parquet`;
      expect(await store.list('summaries/')).toEqual([summaryKey]);
      expect(result.summarized).toEqual([
        expect.objectContaining({
          key,
          records: 17,
          rejectedLines: 0,
          services: ['svc-0a40974812b61bafb'],
          summaryKeys: [summaryKey],
        }),
      ]);
      const patterns = await decodeSummary(await store.get(summaryKey));
      expect(patterns.reduce((sum, p) => sum + p.requests, 0)).toBe(17);
      expect(log.lines).toEqual([
        expect.objectContaining({
          level: 'info',
          message: 'log object summarized',
          attributes: expect.objectContaining({
            objectKey: key,
            records: 17,
            service: ['svc-0a40974812b61bafb'],
          }),
        }),
      ]);
    });
  });

  it('names a summary by 32 hex characters of sha256 over the key and the bare ETag', () => {
    const name = summaryNameOf('logs/a.gz', '"0123"');
    expect(name).toMatch(/^[0-9a-f]{32}$/);
    expect(name).toBe(
      createHash('sha256').update('logs/a.gz\u00000123').digest('hex').slice(0, 32),
    );
    expect(summaryNameOf('logs/a.gz', '0123')).toBe(name);
    expect(summaryNameOf('logs/a.gz', '0124')).not.toBe(name);
  });

  it('rewrites the same summary, byte for byte, when the same event arrives twice', async () => {
    const record = await putLog(
      'logs/service=svc-1/dt=2026-11-20/hour=10/a.gz',
      gzipSync(logLine('2026-11-20T10:15:30Z')),
    );
    await aggregate(eventOf(record));
    const [key] = await store.list('summaries/');
    const first = await store.get(key as string);
    await aggregate(eventOf(record));
    expect(await store.list('summaries/')).toEqual([key]);
    expect(Buffer.from(await store.get(key as string)).equals(Buffer.from(first))).toBe(true);
  });

  it('writes one summary per UTC hour present in the object', async () => {
    const body = [
      logLine('2026-11-20T09:59:59Z'),
      logLine('2026-11-20T10:00:00Z'),
      logLine('2026-11-21T00:30:00Z'),
    ].join('\n');
    const record = await putLog('logs/plain-text-object', body);
    const result = await aggregate(eventOf(record));
    expect((await store.list('summaries/')).map((k) => k.split('/').slice(1, 3).join('/'))).toEqual(
      ['dt=2026-11-20/hour=09', 'dt=2026-11-20/hour=10', 'dt=2026-11-21/hour=00'],
    );
    expect(result.summarized[0]?.records).toBe(3);
  });

  it('handles every record of an event that names several objects', async () => {
    const a = await putLog('logs/a.gz', gzipSync(logLine('2026-11-20T10:00:00Z')));
    const b = await putLog('logs/b.gz', gzipSync(logLine('2026-11-20T11:00:00Z')));
    const result = await aggregate(eventOf(a, b));
    expect(result.summarized.map((s) => s.key)).toEqual(['logs/a.gz', 'logs/b.gz']);
    expect(await store.list('summaries/')).toHaveLength(2);
  });

  it('decodes URL-encoded keys, reading + as a space and %2B as a plus sign', async () => {
    const key = 'logs/service=svc-1/dt=2026-11-20/hour=10/night batch+retry.gz';
    const record = await putLog(key, gzipSync(logLine('2026-11-20T10:15:30Z')));
    expect(record.s3.object.key).toBe(
      'logs/service%3Dsvc-1/dt%3D2026-11-20/hour%3D10/night+batch%2Bretry.gz',
    );
    const result = await aggregate(eventOf(record));
    expect(result.summarized.map((s) => s.key)).toEqual([key]);
  });

  it('counts and logs rejected lines without failing the object', async () => {
    const body = [
      logLine('2026-11-20T10:15:30Z'),
      '{"startTime":"2026-11-20T10:1',
      'not json',
      logLine('2026-11-20T10:16:30Z'),
    ].join('\n');
    const record = await putLog('logs/mixed.gz', gzipSync(body));
    const result = await aggregate(eventOf(record));
    expect(result.summarized[0]).toEqual(expect.objectContaining({ records: 2, rejectedLines: 2 }));
    expect(await store.list('summaries/')).toHaveLength(1);
    const [line] = log.lines;
    expect(line?.level).toBe('warn');
    expect(line?.attributes).toEqual(
      expect.objectContaining({ objectKey: 'logs/mixed.gz', rejectedLines: 2 }),
    );
    expect(line?.attributes.rejections).toEqual([
      expect.stringContaining('logs/mixed.gz:2'),
      expect.stringContaining('logs/mixed.gz:3'),
    ]);
  });

  it('summarizes a plain (not gzipped) log object too, telling them apart by content', async () => {
    const record = await putLog('logs/plain.gz', `${logLine('2026-11-20T10:15:30Z')}\n`);
    expect((await aggregate(eventOf(record))).summarized[0]?.records).toBe(1);
  });

  it('reads the ETag with head when the record carries none', async () => {
    const record = await putLog('logs/a.gz', gzipSync(logLine('2026-11-20T10:15:30Z')));
    const etag = record.s3.object.eTag;
    record.s3.object.eTag = '';
    const result = await aggregate(eventOf(record));
    expect(result.summarized[0]?.etag).toBe(etag);
    expect(result.summarized[0]?.summaryKeys[0]).toContain(summaryNameOf('logs/a.gz', etag));
  });

  describe('leaves alone, with a log line saying why', () => {
    it.each([
      [
        'failed Firehose records under errors/',
        'errors/processing-failed/2026/11/20/x.gz',
        /errors\//,
      ],
      [
        'its own summaries',
        'summaries/dt=2026-11-20/hour=10/abc.parquet',
        /lattice-lens output \(summaries\/\)/,
      ],
      ['its own policies', 'policies/latest.json', /lattice-lens output \(policies\/\)/],
      ['keys outside the logs prefix', 'other/logs/a.gz', /outside the logs prefix "logs\/"/],
      ['folder markers', 'logs/service=svc-1/', /folder marker/],
    ])('%s', async (_, key, reason) => {
      const record = createdRecord(key, Buffer.from('anything'));
      const result = await aggregate(eventOf(record));
      expect(result).toEqual({
        summarized: [],
        ignored: [{ bucket: BUCKET, key, reason: expect.stringMatching(reason) }],
      });
      expect(log.lines).toEqual([
        {
          level: 'info',
          message: 'object ignored',
          attributes: expect.objectContaining({ objectKey: key }),
        },
      ]);
      expect(await store.list('summaries/')).toEqual([]);
    });

    it('events other than ObjectCreated', async () => {
      const record = createdRecord('logs/a.gz', Buffer.from('x'), 'ObjectRemoved:Delete');
      const result = await aggregate(eventOf(record));
      expect(result.ignored).toEqual([
        {
          bucket: BUCKET,
          key: 'logs/a.gz',
          reason: 'not an ObjectCreated event (ObjectRemoved:Delete)',
        },
      ]);
    });

    it('everything outside a custom logs prefix', async () => {
      const custom = createAggregateHandler({ storeFor: () => store, logsPrefix: 'lattice/', log });
      const record = await putLog('logs/a.gz', gzipSync(logLine('2026-11-20T10:15:30Z')));
      expect((await custom(eventOf(record))).ignored).toHaveLength(1);
    });
  });

  describe('fails the invocation (so Lambda retries and the on-failure destination gets it)', () => {
    it('on a corrupt gzip object, with a clear error and no summary written', async () => {
      const gzip = gzipSync(
        [logLine('2026-11-20T10:15:30Z'), logLine('2026-11-20T11:15:30Z')].join('\n'),
      );
      const corrupt = Buffer.from(gzip);
      corrupt.fill(0x55, 20, 40); // damage the deflate stream after the header
      const record = await putLog('logs/corrupt.gz', corrupt);
      const error = await aggregate(eventOf(record)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogObjectsFailedError);
      expect((error as Error).message).toMatch(
        /^1 of 1 S3 event record\(s\) failed: s3:\/\/lattice-lens-sample-bucket\/logs\/corrupt\.gz: CorruptInputError: logs\/corrupt\.gz: corrupt or truncated gzip data/,
      );
      expect(await store.list('summaries/')).toEqual([]);
      expect(log.lines).toEqual([
        expect.objectContaining({
          level: 'error',
          message: 'log object failed',
          attributes: expect.objectContaining({ objectKey: 'logs/corrupt.gz' }),
        }),
      ]);
    });

    it('on a truncated gzip object, with no summary written', async () => {
      const gzip = gzipSync(
        Array.from({ length: 200 }, (_, i) =>
          logLine('2026-11-20T10:15:30Z', `/api/v1/products/${i}`),
        ).join('\n'),
      );
      const record = await putLog(
        'logs/truncated.gz',
        gzip.subarray(0, Math.floor(gzip.byteLength / 2)),
      );
      await expect(aggregate(eventOf(record))).rejects.toThrow(
        /logs\/truncated\.gz: corrupt or truncated gzip data/,
      );
      expect(await store.list('summaries/')).toEqual([]);
    });

    it('after summarizing the good objects of the same event, which a retry rewrites identically', async () => {
      const good = await putLog('logs/good.gz', gzipSync(logLine('2026-11-20T10:15:30Z')));
      const bad = await putLog('logs/bad.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
      await expect(aggregate(eventOf(bad, good))).rejects.toThrow(
        /^1 of 2 S3 event record\(s\) failed: s3:\/\/[^ ]+\/logs\/bad\.gz/,
      );
      expect(await store.list('summaries/')).toEqual([
        `summaries/dt=2026-11-20/hour=10/${summaryNameOf('logs/good.gz', good.s3.object.eTag)}.parquet`,
      ]);
    });

    it('when the object named by the event is not there', async () => {
      const record = createdRecord('logs/gone.gz', Buffer.from('x'));
      await expect(aggregate(eventOf(record))).rejects.toThrow(
        /logs\/gone\.gz: ObjectNotFoundError: no object at key "logs\/gone\.gz"/,
      );
    });

    it('when a key is not valid URL encoding', async () => {
      const record = createdRecord('logs/a.gz', Buffer.from('x'));
      record.s3.object.key = 'logs/100%.gz';
      await expect(aggregate(eventOf(record))).rejects.toThrow(
        /"logs\/100%\.gz" is not valid URL encoding/,
      );
    });

    it('when the event is not an S3 event notification', async () => {
      await expect(aggregate({} as S3Event)).rejects.toThrow(TypeError);
      await expect(aggregate({ Records: [{}] } as unknown as S3Event)).rejects.toThrow(
        /no s3\.bucket\.name or s3\.object\.key/,
      );
    });
  });
});
