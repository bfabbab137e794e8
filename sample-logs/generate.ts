// Writes the committed sample access logs, Firehose and S3 events (`npm run sample-logs`).
// Deterministic: the same bytes on every run and machine. Usage: tsx sample-logs/generate.ts [outDir]
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  S3Event,
} from 'aws-lambda';
import {
  DIURNAL_WEIGHTS,
  generateSampleEntries,
  SAMPLE_NETWORK,
  SAMPLE_SERVICES,
  SAMPLE_USERNAMES,
  type SampleEntry,
  SeededRandom,
} from './generator.ts';
import { gzipDeterministic } from './gzip.ts';

export const SAMPLE_SEED = 20_261_120;
/** Sized for the repository: ~1.4 kB a line keeps the plain files under 5 MB in total. */
export const SAMPLE_REQUESTS = 4_000;
const DAYS = ['2026-11-20', '2026-11-21'] as const;
const FILE_START_HOURS = [0, 6, 12, 18] as const;
const FILE_HOURS = 6;
/** The file that also carries malformed lines (one of each kind, in turn). */
const MALFORMED_FILE = { day: '2026-11-20', hour: 12, every: 160 };
/** Gzipped although named `.log`: readers must detect gzip by its magic bytes. */
const GZIPPED_FILE = { day: '2026-11-21', hour: 18 };

export const FIREHOSE_STREAM = 'lattice-lens-access-logs';
export const SAMPLE_BUCKET = 'lattice-lens-sample-bucket';
const FIREHOSE_BATCH = { start: '2026-11-20T10:20:00Z', minutes: 4, requests: 48 };

export interface SampleFile {
  /** Path relative to the output directory, with `/` separators. */
  path: string;
  bytes: Buffer;
}

interface FileSummary {
  path: string;
  gzip: boolean;
  requests: number;
  malformedLines: number;
}

const toJson = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
const toLines = (lines: readonly string[]): Buffer => Buffer.from(`${lines.join('\n')}\n`);

/** Splits `total` over `weights` with the largest-remainder method, so the parts add up exactly. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  let left = total - parts.reduce((a, b) => a + b, 0);
  for (const [, index] of order) {
    if (left-- <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
  }
  return parts;
}

interface CallTally {
  principal: string;
  callerKind: string;
  callerAccount: string;
  sourceVpcId: string;
  service: string;
  serviceArn: string;
  method: string;
  pathTemplate: string;
  expected: string;
  requests: number;
  responseCodes: Record<string, number>;
}

/** What the committed logs hold, for the README and for tests of the analysis. */
function tallyExpected(entries: readonly SampleEntry[], files: readonly FileSummary[]) {
  const calls = new Map<string, CallTally>();
  const outcome = {
    requests: 0,
    status2xx: 0,
    status4xx: 0,
    status5xx: 0,
    authDenied: 0,
    other4xx: 0,
  };
  const usernames = new Set<string>();
  let malformedLines = 0;
  for (const entry of entries) {
    if (entry.kind === 'malformed') {
      malformedLines++;
      continue;
    }
    const { call: c, responseCode } = entry;
    const key = `${c.caller.principal} ${c.service.name} ${c.method} ${c.pathTemplate}`;
    let tally = calls.get(key);
    if (!tally) {
      tally = {
        principal: c.caller.principal,
        callerKind: c.caller.kind,
        callerAccount: c.caller.account,
        sourceVpcId: c.caller.sourceVpcId,
        service: c.service.name,
        serviceArn: c.service.arn,
        method: c.method,
        pathTemplate: c.pathTemplate,
        expected: c.expected,
        requests: 0,
        responseCodes: {},
      };
      calls.set(key, tally);
    }
    tally.requests++;
    tally.responseCodes[responseCode] = (tally.responseCodes[responseCode] ?? 0) + 1;
    outcome.requests++;
    if (responseCode >= 200 && responseCode < 300) outcome.status2xx++;
    if (responseCode >= 400 && responseCode < 500) outcome.status4xx++;
    if (responseCode >= 500) outcome.status5xx++;
    if (entry.isAuthDenied) outcome.authDenied++;
    else if (responseCode >= 400 && responseCode < 500) outcome.other4xx++;
    const username = /^\/api\/v1\/users\/([a-z]+\.[a-z]+)\/preferences/.exec(
      entry.requestPath,
    )?.[1];
    if (username && SAMPLE_USERNAMES.includes(username)) usernames.add(username);
  }
  const sortedCalls = [...calls.values()].sort(
    (a, b) =>
      a.service.localeCompare(b.service) ||
      a.principal.localeCompare(b.principal) ||
      a.pathTemplate.localeCompare(b.pathTemplate) ||
      a.method.localeCompare(b.method),
  );
  return {
    generatedBy: 'sample-logs/generate.ts',
    seed: SAMPLE_SEED,
    lines: outcome.requests + malformedLines,
    malformedLines,
    ...outcome,
    distinctPreferenceUsernames: usernames.size,
    files,
    calls: sortedCalls,
  };
}

function buildAccessLogs(): { files: SampleFile[]; expected: ReturnType<typeof tallyExpected> } {
  const windows = DAYS.flatMap((day) => FILE_START_HOURS.map((hour) => ({ day, hour })));
  const weights = windows.map(({ hour }) =>
    DIURNAL_WEIGHTS.slice(hour, hour + FILE_HOURS).reduce((a, b) => a + b, 0),
  );
  const counts = apportion(SAMPLE_REQUESTS, weights);
  const files: SampleFile[] = [];
  const summaries: FileSummary[] = [];
  const allEntries: SampleEntry[] = [];
  windows.forEach(({ day, hour }, index) => {
    const isMalformedFile = day === MALFORMED_FILE.day && hour === MALFORMED_FILE.hour;
    const isGzipped = day === GZIPPED_FILE.day && hour === GZIPPED_FILE.hour;
    const entries = [
      ...generateSampleEntries({
        seed: SAMPLE_SEED + index,
        requests: counts[index] ?? 0,
        start: new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`),
        hours: FILE_HOURS,
        ...(isMalformedFile ? { malformedEvery: MALFORMED_FILE.every } : {}),
      }),
    ];
    allEntries.push(...entries);
    const path = `access-logs/${day.replaceAll('-', '/')}/service-network-access-${String(hour).padStart(2, '0')}.log`;
    const plain = toLines(entries.map((e) => e.line));
    files.push({ path, bytes: isGzipped ? gzipDeterministic(plain) : plain });
    const malformedLines = entries.filter((e) => e.kind === 'malformed').length;
    summaries.push({
      path,
      gzip: isGzipped,
      requests: entries.length - malformedLines,
      malformedLines,
    });
  });
  return { files, expected: tallyExpected(allEntries, summaries) };
}

/** A Firehose Direct PUT record id: a long decimal sequence number, unique within the batch. */
const recordId = (index: number) =>
  `49655293839417205123409847519876216403${String(17_202_611_200_000 + index * 7).padStart(18, '0')}`;

/**
 * The Firehose transformation event for one buffer of records (§6) and the S3 object Firehose
 * would then write for one service partition (§7), with its ObjectCreated event (§8).
 */
function buildEvents(): SampleFile[] {
  const random = new SeededRandom(SAMPLE_SEED ^ 0x5eed);
  const entries = [
    ...generateSampleEntries({
      seed: SAMPLE_SEED + 100,
      requests: FIREHOSE_BATCH.requests,
      start: new Date(FIREHOSE_BATCH.start),
      hours: FIREHOSE_BATCH.minutes / 60,
    }),
  ];
  // Lattice delivers each log entry to Firehose some seconds after the request ends.
  const ok = entries
    .map((entry) => {
      const durationMs = Number(/"duration":(\d+)/.exec(entry.line)?.[1] ?? 0);
      const arrival = Date.parse(entry.startTime) + durationMs + random.int(4_000, 40_000);
      return { entry, arrival };
    })
    .sort((a, b) => a.arrival - b.arrival);

  const lastLine = ok[ok.length - 1]?.entry.line ?? '';
  const malformed = [
    { at: 17, data: Buffer.from('lattice-log-relay: WARN partial write, entry dropped') },
    { at: 33, data: Buffer.from(lastLine.slice(0, Math.floor(lastLine.length / 2))) },
  ];
  const records: FirehoseTransformationEventRecord[] = [];
  const okByRecordId = new Map<string, string>();
  let okIndex = 0;
  for (let index = 0; index < ok.length + malformed.length; index++) {
    const bad = malformed.find((m) => m.at === index);
    const previousArrival = records[records.length - 1]?.approximateArrivalTimestamp ?? 0;
    const id = recordId(index);
    if (bad) {
      records.push({
        recordId: id,
        approximateArrivalTimestamp: previousArrival + random.int(5, 400),
        data: bad.data.toString('base64'),
      });
      continue;
    }
    const { entry, arrival } = ok[okIndex++] ?? { entry: undefined, arrival: 0 };
    if (!entry) break;
    records.push({
      recordId: id,
      approximateArrivalTimestamp: Math.max(arrival, previousArrival + 1),
      data: Buffer.from(entry.line).toString('base64'),
    });
    okByRecordId.set(id, entry.line);
  }
  const firehoseEvent: FirehoseTransformationEvent = {
    invocationId: random.uuid(),
    deliveryStreamArn: `arn:aws:firehose:${SAMPLE_NETWORK.region}:${SAMPLE_NETWORK.accountId}:deliverystream/${FIREHOSE_STREAM}`,
    region: SAMPLE_NETWORK.region,
    records,
  };

  // The busiest service of the batch gets its partition object.
  const okLines = records.flatMap((r) => {
    const line = okByRecordId.get(r.recordId);
    return line ? [{ line, arrival: r.approximateArrivalTimestamp }] : [];
  });
  const perService = Object.values(SAMPLE_SERVICES).map((svc) => ({
    svc,
    lines: okLines.filter(({ line }) => line.includes(`"serviceArn":"${svc.arn}"`)),
  }));
  perService.sort(
    (a, b) => b.lines.length - a.lines.length || a.svc.name.localeCompare(b.svc.name),
  );
  const { svc, lines } = perService[0] ?? { svc: SAMPLE_SERVICES.catalog, lines: [] };
  const objectBytes = gzipDeterministic(toLines(lines.map((l) => l.line)));

  const oldest = new Date(lines[0]?.arrival ?? Date.parse(FIREHOSE_BATCH.start));
  const stamp = oldest.toISOString().slice(0, 19).replace(/[T:]/g, '-');
  const hour = String(oldest.getUTCHours()).padStart(2, '0');
  const key = `logs/service=${svc.id}/dt=${oldest.toISOString().slice(0, 10)}/hour=${hour}/${FIREHOSE_STREAM}-1-${stamp}-${random.uuid()}.gz`;
  // S3 event keys arrive URL-encoded, with a space as `+` (§8): `=` becomes `%3D`.
  const encodedKey = encodeURIComponent(key).replaceAll('%2F', '/').replaceAll('%20', '+');
  const eventMs = oldest.getTime() + 60_000 + random.int(200, 900);
  const s3Event: S3Event = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: SAMPLE_NETWORK.region,
        eventTime: new Date(eventMs).toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROA5QW3EXAMPLEFH7TQ:AWSFirehoseToS3' },
        requestParameters: { sourceIPAddress: '203.0.113.17' },
        responseElements: {
          'x-amz-request-id': random.hex(16).toUpperCase(),
          'x-amz-id-2': Buffer.from(random.hex(56), 'hex').toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'lattice-lens-aggregate',
          bucket: {
            name: SAMPLE_BUCKET,
            ownerIdentity: { principalId: 'A2QJX7EXAMPLE3' },
            arn: `arn:aws:s3:::${SAMPLE_BUCKET}`,
          },
          object: {
            key: encodedKey,
            size: objectBytes.length,
            // A single-part PUT without SSE-KMS: the ETag is the MD5 of the object's bytes.
            eTag: createHash('md5').update(objectBytes).digest('hex'),
            sequencer: `00${eventMs.toString(16).toUpperCase()}${random.hex(5).toUpperCase()}`,
          },
        },
      },
    ],
  };
  return [
    { path: 'events/firehose-transformation-event.json', bytes: toJson(firehoseEvent) },
    { path: 'events/s3-object.json.gz', bytes: objectBytes },
    { path: 'events/s3-object-created-event.json', bytes: toJson(s3Event) },
  ];
}

/** Every generated file, in memory. */
export function buildSampleFiles(): SampleFile[] {
  const { files, expected } = buildAccessLogs();
  return [...files, ...buildEvents(), { path: 'expected-counts.json', bytes: toJson(expected) }];
}

/** Writes every generated file under `outDir` and returns them. */
export function writeSampleFiles(outDir: string): SampleFile[] {
  const files = buildSampleFiles();
  for (const file of files) {
    const target = join(outDir, ...file.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.bytes);
  }
  return files;
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const outDir = resolve(process.argv[2] ?? fileURLToPath(new URL('.', import.meta.url)));
  let total = 0;
  for (const file of writeSampleFiles(outDir)) {
    total += file.bytes.length;
    console.log(`${String(file.bytes.length).padStart(9)}  ${file.path}`);
  }
  console.log(`${String(total).padStart(9)}  total, in ${outDir}`);
}
