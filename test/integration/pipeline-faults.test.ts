// Fault injection on the serverless pipeline (aggregate → suggest) against a real S3-compatible
// server (s3rver on loopback): throttling and errors on S3 GetObject and PutObject, a connection
// lost in the middle of an object, a crash between summary writes, S3 events duplicated and in
// any order. Transient faults are absorbed by the S3 client's retries; lasting ones fail the
// invocation loudly, write nothing half-done that a re-run would not overwrite, and a re-run
// gives exactly the summaries and policies of a run without faults: no request is lost or
// counted twice.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregateHandler } from '../../functions/aggregate/handler.ts';
import { createSuggestHandler } from '../../functions/suggest/handler.ts';
import { generateSampleEntries } from '../../sample-logs/generator.ts';
import { createS3Client, S3ObjectStore } from '../../shared/aws/index.ts';
import { decodeSummary } from '../../shared/columnar/index.ts';
import { type LocalS3Server, startLocalS3Server } from './local-s3-server.ts';

type Method = 'GET' | 'PUT';

interface Fault {
  method: Method;
  /** Matched against the decoded request path (`/bucket/key`). */
  path: RegExp;
  /** SlowDown (503) and InternalError (500) answer instead of S3; reset cuts the body short. */
  kind: 'SlowDown' | 'InternalError' | 'reset';
  /** How many matching requests fail; Infinity for an outage. */
  times: number;
  /** Matching requests to let through before failing (a crash after some writes). */
  after?: number;
}

interface HttpRequestLike {
  method: string;
  path: string;
}
interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}
interface HttpHandlerLike {
  handle(request: HttpRequestLike, options?: unknown): Promise<{ response: HttpResponseLike }>;
}

/**
 * Sits between the S3 client and the network, where S3's own failures would arrive: the client's
 * retry logic sees exactly what it would see from S3.
 */
class FaultInjector {
  faults: Fault[] = [];
  /** Every request that reached the injector, as `METHOD /bucket/key`. */
  readonly requests: string[] = [];

  install(client: S3Client): void {
    const config = client.config as unknown as { requestHandler: HttpHandlerLike };
    const network = config.requestHandler;
    config.requestHandler = Object.assign(Object.create(network) as HttpHandlerLike, {
      handle: (request: HttpRequestLike, options?: unknown) =>
        this.#handle(network, request, options),
    });
  }

  /** Requests made with `method` on paths matching `path`. */
  count(method: Method, path: RegExp): number {
    return this.requests.filter((r) => r.startsWith(`${method} `) && path.test(r)).length;
  }

  async #handle(network: HttpHandlerLike, request: HttpRequestLike, options: unknown) {
    const path = decodeURIComponent(request.path);
    this.requests.push(`${request.method} ${path}`);
    const fault = this.faults.find((f) => f.method === request.method && f.path.test(path));
    if (fault !== undefined && (fault.after ?? 0) > 0) {
      fault.after = (fault.after ?? 0) - 1;
    } else if (fault !== undefined && fault.times > 0) {
      fault.times--;
      if (fault.kind === 'reset') {
        const result = await network.handle(request, options);
        result.response.body = cutShort(result.response.body as Readable);
        return result;
      }
      return { response: s3Error(fault.kind) };
    }
    return await network.handle(request, options);
  }
}

/** S3's error answer, as S3 writes it (Throttling: 503 SlowDown; a server fault: 500). */
function s3Error(code: 'SlowDown' | 'InternalError'): HttpResponseLike {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Error><Code>${code}</Code><Message>injected fault</Message><RequestId>FAULT</RequestId></Error>`;
  return {
    statusCode: code === 'SlowDown' ? 503 : 500,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'FAULT' },
    body: Readable.from([Buffer.from(xml)]),
  };
}

/** The body's first bytes, then the connection reset. */
function cutShort(body: Readable): Readable {
  let seen = 0;
  return Readable.from(
    (async function* () {
      for await (const chunk of body) {
        const bytes = chunk as Buffer;
        if (seen + bytes.length > 200) {
          yield bytes.subarray(0, 200 - seen);
          body.destroy();
          throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
        }
        seen += bytes.length;
        yield bytes;
      }
    })(),
  );
}

const SILENT = { info() {}, warn() {}, error() {} };
const WINDOW_END = '2026-11-21T00:00:00Z';

let server: LocalS3Server;
let bucketCount = 0;
/** The access-log objects, as Firehose would write them (gzip, per service and hour). */
let logObjects: { key: string; body: Buffer }[];
let validLines: number;
/** Objects holding at least one valid line: each gets one summary (its hour). */
let summarizedObjects: number;
/** Everything a run without faults writes: summaries and policies, key → base64 bytes. */
let baseline: Map<string, string>;

/** A bucket of its own for one scenario, holding the log objects; a faulty client on it. */
async function scenario() {
  const name = `faults-${++bucketCount}`;
  await server.client.send(new CreateBucketCommand({ Bucket: name }));
  const clean = new S3ObjectStore(server.client, name);
  for (const { key, body } of logObjects) await clean.put(key, body);
  const faults = new FaultInjector();
  const client = createS3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: server.credentials,
  });
  faults.install(client);
  const store = new S3ObjectStore(client, name);
  const aggregate = createAggregateHandler({
    storeFor: () => store,
    logsPrefix: 'logs/',
    log: SILENT,
  });
  const suggest = createSuggestHandler({
    store,
    windowDays: 14,
    minRequests: 5,
    log: SILENT,
    now: () => new Date(WINDOW_END),
  });
  const eventFor = async (key: string): Promise<S3Event> => {
    const head = await clean.head(key);
    return {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2026-11-20T12:00:00.000Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:FIREHOSE' },
          requestParameters: { sourceIPAddress: '203.0.113.17' },
          responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'I' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'lattice-lens-aggregate',
            bucket: { name, ownerIdentity: { principalId: 'O' }, arn: `arn:aws:s3:::${name}` },
            object: {
              key: encodeURIComponent(key).replace(/%2F/g, '/'),
              size: head?.size ?? 0,
              eTag: head?.etag ?? '',
              sequencer: '0A',
            },
          },
        },
      ],
    };
  };
  const snapshot = async (prefixes = ['summaries/', 'policies/']) => {
    const objects = new Map<string, string>();
    for (const prefix of prefixes) {
      for (const key of await clean.list(prefix)) {
        objects.set(key, Buffer.from(await clean.get(key)).toString('base64'));
      }
    }
    return objects;
  };
  /** Requests in every summary: each valid line must be counted exactly once. */
  const summarizedRequests = async () => {
    let requests = 0;
    for (const key of await clean.list('summaries/')) {
      for (const pattern of await decodeSummary(await clean.get(key))) requests += pattern.requests;
    }
    return requests;
  };
  return { faults, aggregate, suggest, eventFor, snapshot, summarizedRequests };
}

async function aggregateAll(run: Awaited<ReturnType<typeof scenario>>): Promise<void> {
  for (const { key } of logObjects) await run.aggregate(await run.eventFor(key));
}

beforeAll(async () => {
  server = await startLocalS3Server('faults-0');
  // Two hours of the sample scenario, with a malformed line now and then, split into objects per
  // service and hour as Firehose's dynamic partitioning writes them.
  const byPartition = new Map<string, string[]>();
  const withValidLines = new Set<string>();
  validLines = 0;
  for (const entry of generateSampleEntries({
    seed: 21,
    requests: 900,
    start: new Date('2026-11-20T09:00:00Z'),
    hours: 2,
    malformedEvery: 97,
  })) {
    if (entry.kind === 'request') validLines++;
    const service = /"serviceArn":"[^"]*\/(svc-[0-9a-z]+)"/.exec(entry.line)?.[1] ?? 'unknown';
    const partition = `logs/service=${service}/dt=2026-11-20/hour=${entry.startTime.slice(11, 13)}/`;
    byPartition.set(partition, [...(byPartition.get(partition) ?? []), entry.line]);
    if (entry.kind === 'request') withValidLines.add(partition);
  }
  summarizedObjects = withValidLines.size;
  logObjects = [...byPartition]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([prefix, lines], index) => ({
      key: `${prefix}lattice-lens-access-logs-1-2026-11-20-${String(index).padStart(4, '0')}.gz`,
      body: gzipSync(`${lines.join('\n')}\n`),
    }));

  const clean = await scenario();
  await aggregateAll(clean);
  await clean.suggest({ time: WINDOW_END });
  baseline = await clean.snapshot();
  expect(await clean.summarizedRequests()).toBe(validLines);
});

afterAll(async () => {
  await server?.stop();
});

describe('the pipeline under S3 faults', () => {
  it('has log objects in several services and hours, and summaries and policies for them', () => {
    expect(logObjects.length).toBeGreaterThan(4);
    expect([...baseline.keys()].filter((k) => k.startsWith('summaries/'))).toHaveLength(
      summarizedObjects,
    );
    expect(baseline.has('policies/latest.json')).toBe(true);
  });

  it('retries a throttled GetObject and writes what a run without faults writes', async () => {
    const run = await scenario();
    const first = logObjects[0]?.key as string;
    const path = new RegExp(`/${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    run.faults.faults = [{ method: 'GET', path, kind: 'SlowDown', times: 1 }];
    await aggregateAll(run);
    await run.suggest({ time: WINDOW_END });
    expect(run.faults.count('GET', path)).toBe(2);
    expect(await run.snapshot()).toEqual(baseline);
  });

  it('retries a throttled or failing PutObject and writes what a run without faults writes', async () => {
    const run = await scenario();
    run.faults.faults = [
      { method: 'PUT', path: /\/summaries\//, kind: 'SlowDown', times: 1 },
      { method: 'PUT', path: /\/policies\//, kind: 'InternalError', times: 2 },
    ];
    await aggregateAll(run);
    await run.suggest({ time: WINDOW_END });
    expect(run.faults.faults.every((f) => f.times === 0)).toBe(true);
    expect(await run.snapshot()).toEqual(baseline);
    expect(await run.summarizedRequests()).toBe(validLines);
  });

  it('fails loudly when GetObject keeps failing, after the client retries, and writes nothing', async () => {
    const run = await scenario();
    const [object] = logObjects;
    run.faults.faults = [
      { method: 'GET', path: /\/logs\//, kind: 'InternalError', times: Infinity },
    ];
    const error = await run
      .aggregate(await run.eventFor(object?.key as string))
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('LogObjectsFailedError');
    expect((error as Error).message).toContain(object?.key);
    expect((error as Error).message).toContain('InternalError');
    // The SDK's standard retry mode: three attempts in all.
    expect(run.faults.count('GET', /\/logs\//)).toBe(3);
    expect(await run.snapshot(['summaries/'])).toEqual(new Map());
  });

  it('fails loudly when the connection drops in the middle of an object; the retry writes the same summaries', async () => {
    const run = await scenario();
    run.faults.faults = [{ method: 'GET', path: /\/logs\//, kind: 'reset', times: 1 }];
    const [object] = logObjects;
    const event = await run.eventFor(object?.key as string);
    const error = await run.aggregate(event).catch((e: unknown) => e);
    expect((error as Error).name).toBe('LogObjectsFailedError');
    expect(await run.snapshot(['summaries/'])).toEqual(new Map());
    // Lambda retries a failed asynchronous invocation with the same event.
    await run.aggregate(event);
    await aggregateAll(run);
    await run.suggest({ time: WINDOW_END });
    expect(await run.snapshot()).toEqual(baseline);
  });

  it('recovers from a crash between summary writes: the re-run completes the same set, each request once', async () => {
    const run = await scenario();
    // The first summary is written, then S3 stops answering writes: the run dies half-way.
    run.faults.faults = [
      { method: 'PUT', path: /\/summaries\//, kind: 'InternalError', times: Infinity, after: 1 },
    ];
    const failures: unknown[] = [];
    for (const { key } of logObjects) {
      await run.aggregate(await run.eventFor(key)).catch((e: unknown) => failures.push(e));
    }
    expect(failures.length).toBeGreaterThan(0);
    const partial = await run.snapshot(['summaries/']);
    expect(partial.size).toBe(1);
    expect(await run.summarizedRequests()).toBeLessThan(validLines);

    run.faults.faults = [];
    await aggregateAll(run);
    await run.suggest({ time: WINDOW_END });
    expect(await run.snapshot()).toEqual(baseline);
    expect(await run.summarizedRequests()).toBe(validLines);
  });

  it('gives the same summaries and byte-identical policies for events in any order, duplicated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .shuffledSubarray(
            logObjects.map((_, index) => index),
            { minLength: logObjects.length, maxLength: logObjects.length },
          )
          .chain((order) =>
            fc
              .array(fc.constantFrom(...order), { maxLength: 3 })
              .map((repeats) => [...order, ...repeats]),
          ),
        fc.boolean(),
        async (order, isSuggestFirst) => {
          const run = await scenario();
          // A suggest run that fires while summaries are still arriving is overwritten later.
          if (isSuggestFirst) await run.suggest({ time: WINDOW_END });
          for (const index of order) {
            await run.aggregate(await run.eventFor(logObjects[index]?.key as string));
          }
          await run.suggest({ time: WINDOW_END });
          expect(await run.snapshot()).toEqual(baseline);
          expect(await run.summarizedRequests()).toBe(validLines);
        },
      ),
      { numRuns: 4 },
    );
  });
});
