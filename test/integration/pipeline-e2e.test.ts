// The whole serverless chain against a real S3-compatible server (s3rver on loopback): the sample
// Firehose event → transform → objects as Firehose writes them → S3 events → aggregate → suggest
// → download. Each step is the deployed `handler` export, configured by its environment only.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type {
  FirehoseTransformationEvent,
  FirehoseTransformationResultRecord,
  LambdaFunctionURLEvent,
  S3Event,
  ScheduledEvent,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAnalyze } from '../../cli/analyze.ts';
import { runDownload } from '../../cli/download.ts';
import type { AggregateEventResult } from '../../functions/aggregate/handler.ts';
import { S3ObjectStore } from '../../shared/aws/index.ts';
import { decodeSummary } from '../../shared/columnar/index.ts';
import type { SuggestionsManifest } from '../../shared/pipeline/index.ts';
import type { PolicyEvidence } from '../../shared/policy/index.ts';
import { type LocalS3Server, startLocalS3Server } from './local-s3-server.ts';

const FIREHOSE_EVENT = join(
  import.meta.dirname,
  '../../sample-logs/events/firehose-transformation-event.json',
);
const BUCKET = 'lattice-lens-e2e';
// A second bucket for the edge cases, so their objects never reach the main window's policies.
const EDGE_BUCKET = 'lattice-lens-e2e-edge';
// The sample batch is from 2026-11-20 10:20–10:24 UTC; the schedule fires the next midnight.
const SCHEDULE_TIME = '2026-11-21T00:00:00Z';

// The handlers read their configuration (and build their S3 client) on first use: the
// environment is set before the modules are imported, as Lambda sets it before the init phase.
type Handlers = {
  transform: (
    event: FirehoseTransformationEvent,
  ) => Promise<{ records: FirehoseTransformationResultRecord[] }>;
  aggregate: (event: S3Event) => Promise<AggregateEventResult>;
  suggest: (event: ScheduledEvent) => Promise<SuggestionsManifest>;
  download: (
    event: LambdaFunctionURLEvent,
  ) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
};

let server: LocalS3Server;
let bucket: S3ObjectStore;
let edge: S3ObjectStore;
let work: string;
let fn: Handlers;
let transformed: FirehoseTransformationResultRecord[];
/** The log objects written the way Firehose writes them, with the event each produced. */
let logObjects: { key: string; event: S3Event }[];
let okLinesFile: string;
let analyzeOut: string;
let manifest: SuggestionsManifest;

/** The key as an S3 event carries it (aws-contracts.md §8): URL-encoded, `/` kept, space as `+`. */
function eventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** The ObjectCreated:Put event S3 sends for an object just written, with its real ETag. */
async function objectCreatedEvent(store: S3ObjectStore, key: string): Promise<S3Event> {
  const head = await store.head(key);
  if (head === undefined) throw new Error(`test setup: ${key} was not written`);
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-20T10:25:03.000Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROA5QW3EXAMPLEFH7TQ:AWSFirehoseToS3' },
        requestParameters: { sourceIPAddress: '203.0.113.17' },
        responseElements: { 'x-amz-request-id': 'F92347D225F98E2B', 'x-amz-id-2': 'yYmI7w79' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'lattice-lens-aggregate',
          bucket: {
            name: store.bucket,
            ownerIdentity: { principalId: 'A2QJX7EXAMPLE3' },
            arn: `arn:aws:s3:::${store.bucket}`,
          },
          object: {
            key: eventKey(key),
            size: head.size,
            eTag: head.etag,
            sequencer: '001A1F87A1ADA15FA5',
          },
        },
      },
    ],
  };
}

function scheduled(time: string): ScheduledEvent {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '111122223333',
    time,
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:111122223333:rule/lattice-lens-suggest'],
    detail: {},
  };
}

function get(rawPath: string, query: Record<string, string> = {}): LambdaFunctionURLEvent {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: {},
    ...(rawQueryString === '' ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: '111122223333',
      apiId: 'e2e',
      domainName: 'e2e.lambda-url.us-east-1.on.aws',
      domainPrefix: 'e2e',
      http: {
        method: 'GET',
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: 'e2e-request',
      routeKey: '$default',
      stage: '$default',
      time: '21/Nov/2026:00:05:00 +0000',
      timeEpoch: 1_795_226_700_000,
    },
    isBase64Encoded: false,
  };
}

/** Objects under `prefix` with their bytes, to compare a bucket before and after. */
async function snapshot(store: S3ObjectStore, prefix: string): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  for (const key of await store.list(prefix)) {
    objects.set(key, Buffer.from(await store.get(key)).toString('base64'));
  }
  return objects;
}

beforeAll(async () => {
  server = await startLocalS3Server(BUCKET);
  await server.client.send(new CreateBucketCommand({ Bucket: EDGE_BUCKET }));
  bucket = new S3ObjectStore(server.client, BUCKET);
  edge = new S3ObjectStore(server.client, EDGE_BUCKET);
  work = await mkdtemp(join(tmpdir(), 'lattice-lens-e2e-'));

  vi.stubEnv('AWS_ENDPOINT_URL_S3', server.endpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', server.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', server.credentials.secretAccessKey);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('BUCKET_NAME', BUCKET);
  vi.stubEnv('LOGS_PREFIX', 'logs/');
  vi.stubEnv('WINDOW_DAYS', '14');
  vi.stubEnv('MIN_REQUESTS', '5');
  vi.stubEnv('PRESIGN_SECONDS', '120');
  // Structured logs are specified in the unit tests; here they would only bury the test output.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'CRITICAL');
  fn = {
    transform: (await import('../../functions/transform/handler.ts')).handler,
    aggregate: (await import('../../functions/aggregate/handler.ts')).handler,
    suggest: (await import('../../functions/suggest/handler.ts')).handler,
    download: (await import('../../functions/download/handler.ts')).handler,
  };

  // 1. Firehose hands the batch to the transform.
  const event = JSON.parse(await readFile(FIREHOSE_EVENT, 'utf8')) as FirehoseTransformationEvent;
  transformed = (await fn.transform(event)).records;

  // 2. Firehose groups the Ok records by partition keys and writes each group as one gzip object
  // under the dynamic-partitioning prefix, the records' data concatenated as they are (§6, §7).
  const groups = new Map<string, Buffer[]>();
  const okLines: Buffer[] = [];
  for (const record of transformed) {
    if (record.result !== 'Ok') continue;
    const { service, dt, hour } = record.metadata?.partitionKeys ?? {};
    const prefix = `logs/service=${service}/dt=${dt}/hour=${hour}/`;
    const data = Buffer.from(record.data ?? '', 'base64');
    groups.set(prefix, [...(groups.get(prefix) ?? []), data]);
    okLines.push(data);
  }
  logObjects = [];
  for (const [prefix, parts] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = `${prefix}lattice-lens-access-logs-1-2026-11-20-10-20-53-${logObjects.length.toString(16).padStart(8, '0')}.gz`;
    await bucket.put(key, gzipSync(Buffer.concat(parts)));
    logObjects.push({ key, event: await objectCreatedEvent(bucket, key) });
  }
  // ProcessingFailed records go to the error prefix, which also raises an S3 event.
  const failed = transformed.filter((r) => r.result === 'ProcessingFailed');
  await bucket.put(
    'errors/processing-failed/2026/11/20/10/lattice-lens-access-logs-1-2026-11-20-10-20-53-ffffffff',
    failed
      .map((r) => `${JSON.stringify({ errorCode: 'Lambda.ProcessingFailed', rawData: r.data })}\n`)
      .join(''),
  );

  // 3. S3 notifies the aggregate function, one event per object.
  for (const object of logObjects) await fn.aggregate(object.event);

  // 4. The schedule fires the suggest function.
  manifest = await fn.suggest(scheduled(SCHEDULE_TIME));

  // What analyze writes for the same logs: the lines of the Ok records.
  okLinesFile = join(work, 'ok-records.log');
  await writeFile(okLinesFile, Buffer.concat(okLines));
  analyzeOut = join(work, 'analyze');
  await runAnalyze([okLinesFile], {
    out: analyzeOut,
    minRequests: 5,
    formats: ['json', 'terraform', 'cloudformation'],
  });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('the serverless pipeline, end to end on a local S3 server', () => {
  it('transforms the sample batch: 48 records Ok, the 2 bad ones ProcessingFailed, ids 1:1', async () => {
    const event = JSON.parse(await readFile(FIREHOSE_EVENT, 'utf8')) as FirehoseTransformationEvent;
    expect(transformed.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(transformed.filter((r) => r.result === 'Ok')).toHaveLength(48);
    expect(transformed.filter((r) => r.result === 'ProcessingFailed')).toHaveLength(2);
  });

  it('aggregates each log object into one summary in its hour, holding all 48 requests', async () => {
    const summaries = await bucket.list('summaries/');
    expect(summaries).toHaveLength(logObjects.length);
    expect(summaries.every((key) => key.startsWith('summaries/dt=2026-11-20/hour=10/'))).toBe(true);
    let requests = 0;
    for (const key of summaries) {
      for (const pattern of await decodeSummary(await bucket.get(key)))
        requests += pattern.requests;
    }
    expect(requests).toBe(48);
  });

  it('suggests a policy for every service in the batch, listed in policies/latest.json', async () => {
    const services = [...new Set(logObjects.map((o) => /service=([^/]+)/.exec(o.key)?.[1]))].sort();
    expect(manifest.services.map((s) => s.serviceId)).toEqual(services);
    expect(manifest.window).toEqual({
      from: '2026-11-07T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
      days: 14,
    });
    expect(manifest.summaries).toBe(logObjects.length);
    // Every service of the batch has successful traffic, so every policy grants something.
    expect(manifest.services.every((s) => s.statements > 0)).toBe(true);
  });

  it('downloads, through the function URL, each policy byte-identical to what analyze writes for the same logs', async () => {
    const list = await fn.download(get('/policies'));
    expect(list.statusCode).toBe(200);
    const listed = JSON.parse(list.body) as SuggestionsManifest;
    expect(listed.services.length).toBeGreaterThan(1);
    for (const service of listed.services) {
      const response = await fn.download(get(`/policies/${service.serviceId}`));
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(
        await readFile(join(analyzeOut, 'policies', `${service.serviceId}.json`), 'utf8'),
      );
      for (const [format, file] of [
        ['terraform', `${service.serviceId}.tf`],
        ['cloudformation', `${service.serviceId}.cfn.json`],
      ] as const) {
        const rendered = await fn.download(get(`/policies/${service.serviceId}`, { format }));
        expect(rendered.statusCode).toBe(200);
        expect(rendered.body).toBe(await readFile(join(analyzeOut, 'policies', file), 'utf8'));
      }
    }
  });

  it('grants what the Ok records prove and nothing more than analyze of the raw input lines would', async () => {
    // The transform adds derived fields to each line; they must not change what is granted.
    const event = JSON.parse(await readFile(FIREHOSE_EVENT, 'utf8')) as FirehoseTransformationEvent;
    const raw = join(work, 'raw-records.log');
    await writeFile(
      raw,
      event.records.map((r) => `${Buffer.from(r.data, 'base64').toString('utf8')}\n`).join(''),
    );
    const out = join(work, 'analyze-raw');
    await runAnalyze([raw], { out, minRequests: 5 });
    for (const service of manifest.services) {
      const response = await fn.download(get(`/policies/${service.serviceId}`));
      expect(response.body).toBe(
        await readFile(join(out, 'policies', `${service.serviceId}.json`), 'utf8'),
      );
    }
  });

  it('hands out a presigned report link that fetches the report without credentials', async () => {
    const response = await fn.download(get('/report'));
    expect(response.statusCode).toBe(200);
    const { url, expiresInSeconds } = JSON.parse(response.body) as {
      url: string;
      expiresInSeconds: number;
    };
    expect(expiresInSeconds).toBe(120);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('120');
    const report = await fetch(url);
    expect(report.status).toBe(200);
    expect(await report.text()).toBe(
      Buffer.from(await bucket.get('policies/report.html')).toString('utf8'),
    );
  });

  it('downloads the same policies with `lattice-lens download --endpoint … --out`', async () => {
    const out = join(work, 'cli-download');
    const result = await runDownload({ bucket: BUCKET, endpoint: server.endpoint, out });
    expect(result.kind).toBe('files');
    for (const service of manifest.services) {
      const file = `policies/${service.serviceId}.json`;
      expect(await readFile(join(out, file), 'utf8')).toBe(
        await readFile(join(analyzeOut, file), 'utf8'),
      );
    }
    const one = await runDownload({
      bucket: BUCKET,
      endpoint: server.endpoint,
      service: manifest.services[0]?.serviceId as string,
    });
    expect(one).toEqual(
      expect.objectContaining({
        kind: 'policy',
        policy: await readFile(
          join(analyzeOut, `policies/${manifest.services[0]?.serviceId}.json`),
          'utf8',
        ),
      }),
    );
  });

  it('rewrites the same summaries on a duplicate S3 event, and suggest counts the requests once', async () => {
    const summaries = await snapshot(bucket, 'summaries/');
    const [first] = manifest.services;
    const evidenceKey = first?.evidenceKey as string;
    const evidence = Buffer.from(await bucket.get(evidenceKey)).toString('utf8');

    for (const object of logObjects) await fn.aggregate(object.event);
    expect(await snapshot(bucket, 'summaries/')).toEqual(summaries);

    await fn.suggest(scheduled(SCHEDULE_TIME));
    const again = Buffer.from(await bucket.get(evidenceKey)).toString('utf8');
    expect(again).toBe(evidence);
    const analyzed = JSON.parse(
      await readFile(join(analyzeOut, 'policies', `${first?.serviceId}.evidence.json`), 'utf8'),
    ) as PolicyEvidence;
    expect((JSON.parse(again) as PolicyEvidence).totals.requests).toBe(analyzed.totals.requests);
  });

  it('ignores the S3 events of the error prefix and of its own summaries and policies', async () => {
    const before = await snapshot(bucket, 'summaries/');
    for (const key of [
      'errors/processing-failed/2026/11/20/10/lattice-lens-access-logs-1-2026-11-20-10-20-53-ffffffff',
      (await bucket.list('summaries/'))[0] as string,
      'policies/latest.json',
    ]) {
      const result = await fn.aggregate(await objectCreatedEvent(bucket, key));
      expect(result.summarized).toEqual([]);
      expect(result.ignored).toEqual([{ bucket: BUCKET, key, reason: expect.any(String) }]);
    }
    expect(await snapshot(bucket, 'summaries/')).toEqual(before);
  });

  it('fails loudly on a corrupt gzip object and writes no summary for it', async () => {
    const [object] = logObjects;
    const good = await bucket.get(object?.key as string);
    // Cut off in the deflate data: the object Firehose would leave if an upload were truncated.
    const corrupt = good.subarray(0, good.byteLength - 12);
    const key = 'logs/service=svc-0a40974812b61bafb/dt=2026-11-20/hour=10/corrupt.gz';
    await edge.put(key, corrupt);
    const error = await fn.aggregate(await objectCreatedEvent(edge, key)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('LogObjectsFailedError');
    expect((error as Error).message).toContain(
      `s3://${EDGE_BUCKET}/${key}: CorruptInputError: ${key}: corrupt or truncated gzip data`,
    );
    expect(await edge.list('summaries/')).toEqual([]);
  });

  it('reads a key with spaces and plus signs, which the event carries as + and %2B', async () => {
    const [object] = logObjects;
    const key = 'logs/service=svc-0a40974812b61bafb/dt=2026-11-20/hour=10/manual upload+retry 1.gz';
    await edge.put(key, await bucket.get(object?.key as string));
    const event = await objectCreatedEvent(edge, key);
    expect(event.Records[0]?.s3.object.key).toBe(
      'logs/service%3Dsvc-0a40974812b61bafb/dt%3D2026-11-20/hour%3D10/manual+upload%2Bretry+1.gz',
    );
    const result = await fn.aggregate(event);
    expect(result.summarized.map((s) => s.key)).toEqual([key]);
    expect(await edge.list('summaries/')).toHaveLength(1);
  });
});
