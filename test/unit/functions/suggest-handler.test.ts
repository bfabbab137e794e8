// Specification of the suggest function: on a schedule, the summaries of a window of days in,
// policies, evidence, report and the latest.json manifest out, under policies/, deterministically.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../../cli/analyze.ts';
import {
  ConfigurationError,
  createSuggestHandler,
  type SuggestLog,
  suggestConfigFromEnv,
} from '../../../functions/suggest/handler.ts';
import {
  parseManifest,
  summarizeLogObject,
  summaryDayPrefixes,
  WindowSummaryError,
} from '../../../shared/pipeline/index.ts';
import type { PolicyEvidence } from '../../../shared/policy/index.ts';
import { FileObjectStore } from '../../../shared/store/index.ts';

const SAMPLE_LOGS = join(import.meta.dirname, '../../../sample-logs/access-logs');

function capturingLog(): SuggestLog & {
  lines: { message: string; attributes: Record<string, unknown> }[];
} {
  const lines: { message: string; attributes: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message, attributes) => lines.push({ message, attributes }),
    warn: (message, attributes) => lines.push({ message, attributes }),
  };
}

/** An EventBridge scheduled event at `time`. */
function scheduledAt(time: string): ScheduledEvent {
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

let root: string;
let store: FileObjectStore;
let log: ReturnType<typeof capturingLog>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lattice-lens-suggest-'));
  store = new FileObjectStore(join(root, 'bucket'));
  log = capturingLog();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function suggest(
  options: {
    windowDays?: number;
    minRequests?: number;
    minDays?: number;
    orgId?: string;
    now?: () => Date;
  } = {},
) {
  return createSuggestHandler({
    store,
    windowDays: options.windowDays ?? 14,
    minRequests: options.minRequests ?? 5,
    ...(options.minDays === undefined ? {} : { minDays: options.minDays }),
    ...(options.orgId === undefined ? {} : { orgId: options.orgId }),
    log,
    now: options.now ?? (() => new Date('2026-11-22T03:00:00Z')),
  });
}

/** Stores the sample logs as log objects and summarizes each, as the aggregate function does. */
async function summarizeSampleLogs(): Promise<string[]> {
  const keys: string[] = [];
  for (const day of ['20', '21']) {
    for (const name of (await readdir(join(SAMPLE_LOGS, '2026/11', day))).sort()) {
      const key = `logs/sample/2026-11-${day}/${name}`;
      await store.put(key, await readFile(join(SAMPLE_LOGS, '2026/11', day, name)));
      keys.push(key);
      await summarizeLogObject(store, { key });
    }
  }
  return keys;
}

const text = async (key: string) => Buffer.from(await store.get(key)).toString('utf8');

describe('the suggest function', () => {
  it('writes, from the summaries, the very policies, evidence and report analyze writes from the logs', async () => {
    await summarizeSampleLogs();
    const manifest = await suggest()(scheduledAt('2026-11-22T03:00:00Z'));

    const out = join(root, 'analyze');
    const analyzed = await runAnalyze([SAMPLE_LOGS], { out, minRequests: 5 });
    expect(manifest.services.map((s) => s.serviceId)).toEqual(
      analyzed.services.map((s) => s.serviceId),
    );
    for (const service of manifest.services) {
      expect(await text(service.policyKey)).toBe(
        await readFile(join(out, 'policies', `${service.serviceId}.json`), 'utf8'),
      );
      expect(await text(service.evidenceKey)).toBe(
        await readFile(join(out, 'policies', `${service.serviceId}.evidence.json`), 'utf8'),
      );
    }
    expect(await text('policies/report.html')).toBe(
      await readFile(join(out, 'report.html'), 'utf8'),
    );
  });

  it('applies MIN_DAYS and ORG_ID as analyze applies --min-days and --org-id', async () => {
    await summarizeSampleLogs();
    const manifest = await suggest({ minDays: 2, orgId: 'o-a1b2c3d4e5' })(
      scheduledAt('2026-11-22T03:00:00Z'),
    );
    const out = join(root, 'analyze');
    await runAnalyze([SAMPLE_LOGS], {
      out,
      minRequests: 5,
      minDays: 2,
      orgId: 'o-a1b2c3d4e5',
    });
    for (const service of manifest.services) {
      expect(await text(service.policyKey)).toBe(
        await readFile(join(out, 'policies', `${service.serviceId}.json`), 'utf8'),
      );
      expect(await text(service.evidenceKey)).toBe(
        await readFile(join(out, 'policies', `${service.serviceId}.evidence.json`), 'utf8'),
      );
    }
    const first = manifest.services.find((s) => s.statements > 0);
    expect(await text(first?.policyKey as string)).toContain('"aws:PrincipalOrgID":"o-a1b2c3d4e5"');
  });

  it('writes policies/latest.json last, listing every service with its keys, statements and review items', async () => {
    await summarizeSampleLogs();
    const manifest = await suggest()(scheduledAt('2026-11-22T03:00:00Z'));
    expect(parseManifest(await text('policies/latest.json'))).toEqual(manifest);
    expect(manifest).toEqual({
      window: { from: '2026-11-08T03:00:00.000Z', to: '2026-11-22T03:00:00.000Z', days: 14 },
      generatedAt: '2026-11-22T03:00:00.000Z',
      summaries: 48, // 8 six-hour files, one summary per hour of each
      services: expect.any(Array),
      reportKey: 'policies/report.html',
    });
    const catalog = manifest.services.find((s) => s.serviceId === 'svc-0a40974812b61bafb');
    expect(catalog).toEqual({
      serviceId: 'svc-0a40974812b61bafb',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a40974812b61bafb',
      policyKey: 'policies/svc-0a40974812b61bafb.json',
      evidenceKey: 'policies/svc-0a40974812b61bafb.evidence.json',
      statements: expect.any(Number),
      review: expect.any(Number),
      exceedsSizeLimit: false,
    });
    const policy = JSON.parse(await text('policies/svc-0a40974812b61bafb.json'));
    expect(catalog?.statements).toBe(policy.Statement.length);
    expect((await store.list('policies/')).sort()).toEqual(
      [
        ...manifest.services.flatMap((s) => [s.policyKey, s.evidenceKey]),
        'policies/latest.json',
        'policies/report.html',
      ].sort(),
    );
  });

  it('marks in the manifest, and warns of, a policy over the size limit even at its coarsest', async () => {
    // One sample request from each of 900 accounts: over 10,000 characters as bare account ids.
    const [first] = (
      await readFile(join(SAMPLE_LOGS, '2026/11/20/service-network-access-00.log'), 'utf8')
    ).split('\n');
    const record = JSON.parse(first as string) as Record<string, unknown>;
    const lines = Array.from({ length: 900 }, (_, i) =>
      JSON.stringify({
        ...record,
        callerPrincipal: `arn:aws:sts::${100_000_000_000 + i}:assumed-role/r/s`,
      }),
    );
    await store.put('logs/many-accounts.log', `${lines.join('\n')}\n`);
    await summarizeLogObject(store, { key: 'logs/many-accounts.log' });

    const manifest = await suggest()(scheduledAt('2026-11-22T03:00:00Z'));
    const serviceId = (record.serviceArn as string).split('/')[1];
    expect(manifest.services).toEqual([
      expect.objectContaining({ serviceId, exceedsSizeLimit: true }),
    ]);
    const evidence = JSON.parse(
      await text(`policies/${serviceId}.evidence.json`),
    ) as PolicyEvidence;
    expect(evidence.policySize).toBeGreaterThan(evidence.sizeLimit);
    expect(log.lines).toContainEqual({
      message: 'suggested policy is over the auth-policy size limit; PutAuthPolicy would reject it',
      attributes: {
        service: serviceId,
        policySize: evidence.policySize,
        sizeLimit: evidence.sizeLimit,
      },
    });
  });

  it('writes byte-identical objects when run again for the same event', async () => {
    await summarizeSampleLogs();
    const handler = suggest();
    await handler(scheduledAt('2026-11-22T03:00:00Z'));
    const keys = await store.list('policies/');
    const first = await Promise.all(keys.map(text));
    await handler(scheduledAt('2026-11-22T03:00:00Z'));
    expect(await Promise.all(keys.map(text))).toEqual(first);
  });

  it('counts a log object once although its summary was written twice (a duplicate S3 event)', async () => {
    const keys = await summarizeSampleLogs();
    await suggest()(scheduledAt('2026-11-22T03:00:00Z'));
    const evidence = await text('policies/svc-0a40974812b61bafb.evidence.json');
    for (const key of keys) await summarizeLogObject(store, { key });
    await suggest()(scheduledAt('2026-11-22T03:00:00Z'));
    expect(await text('policies/svc-0a40974812b61bafb.evidence.json')).toBe(evidence);
    expect((JSON.parse(evidence) as PolicyEvidence).totals.requests).toBe(1120);
  });

  it('merges only the hours that overlap the window [event time − WINDOW_DAYS, event time)', async () => {
    await summarizeSampleLogs();
    const manifest = await suggest({ windowDays: 1 })(scheduledAt('2026-11-21T00:00:00Z'));
    expect(manifest.window).toEqual({
      from: '2026-11-20T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
      days: 1,
    });
    const evidence = JSON.parse(
      await text('policies/svc-0a40974812b61bafb.evidence.json'),
    ) as PolicyEvidence;
    expect(evidence.window.to < '2026-11-21T00:00:00.000Z').toBe(true);
    // 2026-11-20 holds about half the sample traffic; the whole sample has 1120 catalog requests.
    expect(evidence.totals.requests).toBeGreaterThan(0);
    expect(evidence.totals.requests).toBeLessThan(1120);
  });

  it('includes the hour the window starts in, which overlaps the window', async () => {
    await summarizeSampleLogs();
    const manifest = await suggest({ windowDays: 1 })(scheduledAt('2026-11-21T23:30:00Z'));
    expect(manifest.window.from).toBe('2026-11-20T23:30:00.000Z');
    const hours = await store.list('summaries/dt=2026-11-20/hour=23/');
    const after = (await store.list('summaries/dt=2026-11-21/')).length;
    expect(manifest.summaries).toBe(hours.length + after);
  });

  it('writes a manifest with no services and an empty report when the window holds no summaries', async () => {
    const manifest = await suggest()(scheduledAt('2030-01-01T00:00:00Z'));
    expect(manifest).toEqual(expect.objectContaining({ summaries: 0, services: [] }));
    expect(await store.list('policies/')).toEqual(['policies/latest.json', 'policies/report.html']);
  });

  it('uses the current time as the window end when the invocation carries no event time', async () => {
    await summarizeSampleLogs();
    const manifest = await suggest({ now: () => new Date('2026-11-21T12:00:00Z') })({});
    expect(manifest.window.to).toBe('2026-11-21T12:00:00.000Z');
  });

  it('rejects an event time that is not a date', async () => {
    await expect(suggest()(scheduledAt('yesterday'))).rejects.toThrow(
      /event time "yesterday" is not an ISO 8601 date/,
    );
  });

  it('skips, with a warning, objects under summaries/ that are not summaries', async () => {
    await summarizeSampleLogs();
    await store.put('summaries/dt=2026-11-20/hour=10/notes.txt', 'x');
    await suggest()(scheduledAt('2026-11-22T03:00:00Z'));
    expect(log.lines).toContainEqual({
      message: 'object under summaries/ is not a summary; not read',
      attributes: { objectKey: 'summaries/dt=2026-11-20/hour=10/notes.txt' },
    });
  });

  it('stops, writing nothing, when a summary in the window is unreadable', async () => {
    await summarizeSampleLogs();
    await store.put('summaries/dt=2026-11-20/hour=10/damaged.parquet', 'not parquet');
    const error = await suggest()(scheduledAt('2026-11-22T03:00:00Z')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WindowSummaryError);
    expect((error as WindowSummaryError).key).toBe(
      'summaries/dt=2026-11-20/hour=10/damaged.parquet',
    );
    expect((error as Error).message).toMatch(
      /^summary summaries\/dt=2026-11-20\/hour=10\/damaged\.parquet is unreadable: summary is not a Parquet file/,
    );
    expect(await store.list('policies/')).toEqual([]);
  });

  it('warns, naming the service, when a policy is over the size limit even coarsened', async () => {
    // 900 roles of 900 accounts on one service: too many principals even named by account.
    const sample = await readFile(
      join(SAMPLE_LOGS, '2026/11/20/service-network-access-00.log'),
      'utf8',
    );
    const first = JSON.parse(sample.slice(0, sample.indexOf('\n'))) as Record<string, unknown>;
    const lines = Array.from({ length: 900 }, (_, i) =>
      JSON.stringify({
        ...first,
        callerPrincipal: `arn:aws:sts::${100_000_000_000 + i}:assumed-role/caller/s`,
      }),
    );
    await store.put('logs/crowd/2026-11-20/crowd.log', `${lines.join('\n')}\n`);
    await summarizeLogObject(store, { key: 'logs/crowd/2026-11-20/crowd.log' });
    await suggest()(scheduledAt('2026-11-22T03:00:00Z'));
    const warnings = log.lines.filter((l) => l.message.includes('size limit'));
    expect(warnings).toEqual([
      {
        message:
          'suggested policy is over the auth-policy size limit; PutAuthPolicy would reject it',
        attributes: {
          service: String(first.serviceArn).split('/')[1],
          policySize: expect.any(Number),
          sizeLimit: 10_000,
        },
      },
    ]);
    expect(warnings[0]?.attributes.policySize).toBeGreaterThan(10_000);
  });

  it('logs one line per run with the window, the services and what it wrote', async () => {
    await summarizeSampleLogs();
    await suggest()(scheduledAt('2026-11-22T03:00:00Z'));
    expect(log.lines).toEqual([
      {
        message: 'policies suggested',
        attributes: expect.objectContaining({
          summaries: 48,
          service: expect.arrayContaining(['svc-0a40974812b61bafb']),
          written: 16,
        }),
      },
    ]);
  });
});

describe('summaryDayPrefixes', () => {
  it('names every UTC day the window touches', () => {
    expect(
      summaryDayPrefixes(Date.parse('2026-11-20T23:30:00Z'), Date.parse('2026-11-22T00:00:00Z')),
    ).toEqual(['summaries/dt=2026-11-20/', 'summaries/dt=2026-11-21/']);
    expect(
      summaryDayPrefixes(Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-11-20T00:00:01Z')),
    ).toEqual(['summaries/dt=2026-11-20/']);
  });
});

describe('suggestConfigFromEnv', () => {
  it('defaults WINDOW_DAYS to 14, MIN_REQUESTS to 5, MIN_DAYS to 1 and no ORG_ID', () => {
    expect(suggestConfigFromEnv({ BUCKET_NAME: 'b' })).toEqual({
      bucket: 'b',
      windowDays: 14,
      minRequests: 5,
      minDays: 1,
    });
  });

  it('reads WINDOW_DAYS, MIN_REQUESTS, MIN_DAYS and ORG_ID', () => {
    expect(
      suggestConfigFromEnv({
        BUCKET_NAME: 'b',
        WINDOW_DAYS: '30',
        MIN_REQUESTS: '2',
        MIN_DAYS: '3',
        ORG_ID: 'o-a1b2c3d4e5',
      }),
    ).toEqual({ bucket: 'b', windowDays: 30, minRequests: 2, minDays: 3, orgId: 'o-a1b2c3d4e5' });
  });

  it('treats a blank ORG_ID as none', () => {
    expect(suggestConfigFromEnv({ BUCKET_NAME: 'b', ORG_ID: ' ' })).not.toHaveProperty('orgId');
  });

  it.each(['o-123', 'O-A1B2C3D4E5', 'r-a1b2c3d4e5', '111122223333'])(
    'rejects ORG_ID=%s, which is not an Organizations id',
    (value) => {
      expect(() => suggestConfigFromEnv({ BUCKET_NAME: 'b', ORG_ID: value })).toThrow(
        `ORG_ID is ${JSON.stringify(value)}: expected an AWS Organizations id such as o-a1b2c3d4e5`,
      );
    },
  );

  it('requires BUCKET_NAME', () => {
    expect(() => suggestConfigFromEnv({})).toThrow(ConfigurationError);
    expect(() => suggestConfigFromEnv({ BUCKET_NAME: ' ' })).toThrow(/BUCKET_NAME is not set/);
  });

  it.each(['abc', '0', '-3', '1.5', '7d'])(
    'rejects WINDOW_DAYS=%s, naming the variable',
    (value) => {
      expect(() => suggestConfigFromEnv({ BUCKET_NAME: 'b', WINDOW_DAYS: value })).toThrow(
        `WINDOW_DAYS is ${JSON.stringify(value)}: expected a whole number ≥ 1`,
      );
    },
  );

  it('rejects a MIN_REQUESTS that is not a whole number', () => {
    expect(() => suggestConfigFromEnv({ BUCKET_NAME: 'b', MIN_REQUESTS: 'five' })).toThrow(
      /^MIN_REQUESTS is "five"/,
    );
  });
});
