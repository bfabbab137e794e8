// Specification of the Firehose transform Lambda: the contract on the sample event, one structured
// log line per failed record, metrics emitted once per invocation, and nothing that fails the batch.
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createTransformHandler,
  type TransformHandlerOptions,
  type TransformLog,
} from '../../../functions/transform/handler.ts';
import {
  eventOf,
  MINIMAL_ENTRY,
  recordOfEntry,
  recordOfText,
  sampleFirehoseEvent,
} from './firehose-records.ts';

interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  attributes: Record<string, unknown>;
}

function recordingLog(lines: LogLine[]): TransformLog {
  return {
    info: (message, attributes) => lines.push({ level: 'info', message, attributes }),
    warn: (message, attributes) => lines.push({ level: 'warn', message, attributes }),
    error: (message, attributes) => lines.push({ level: 'error', message, attributes }),
  };
}

function setup(overrides: Partial<TransformHandlerOptions> = {}) {
  const logs: LogLine[] = [];
  const metrics: string[] = [];
  const handler = createTransformHandler({
    log: recordingLog(logs),
    writeMetric: (document) => metrics.push(document),
    namespace: 'LatticeLens',
    now: () => 1795170100000,
    ...overrides,
  });
  return { handler, logs, metrics };
}

type EmfDocument = Record<string, unknown> & {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
  };
};

const parse = (documents: string[]) => documents.map((d) => JSON.parse(d) as EmfDocument);
const isTotal = (d: EmfDocument) => d._aws.CloudWatchMetrics[0]?.Dimensions[0]?.length === 0;

describe('the transform handler', () => {
  describe('on the sample Firehose event', () => {
    it('returns every record once, in order, with the 2 malformed ProcessingFailed', async () => {
      const event = sampleFirehoseEvent();
      const { handler } = setup();
      const result = await handler(event);
      expect(result.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
      expect(result.records.filter((r) => r.result === 'ProcessingFailed')).toHaveLength(2);
      expect(result.records.filter((r) => r.result === 'Ok')).toHaveLength(48);
    });

    it('logs one structured warning per failed record, with its recordId and reason', async () => {
      const { handler, logs } = setup();
      await handler(sampleFirehoseEvent());
      const warnings = logs.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(2);
      for (const warning of warnings) {
        expect(warning.message).toBe('record failed transformation');
        expect(warning.attributes).toMatchObject({
          invocationId: '5959e0b4-18f9-4bec-8dac-61e5dd71a07b',
          kind: 'invalid',
          recordId: expect.stringMatching(/^4965529383941720512340984751987621640300001720261120/),
          reason: expect.stringMatching(/JSON/),
        });
      }
      expect(logs.filter((l) => l.level === 'info')).toEqual([
        expect.objectContaining({
          message: 'batch transformed',
          attributes: expect.objectContaining({ records: 50, ok: 48, processingFailed: 2 }),
        }),
      ]);
    });

    it('emits the totals once, without dimensions, and one document per service', async () => {
      const { handler, metrics } = setup();
      await handler(sampleFirehoseEvent());
      const documents = parse(metrics);
      const totals = documents.filter(isTotal);
      expect(totals).toHaveLength(1);
      expect(totals[0]).toMatchObject({ Requests: 48, AuthDenied: 0, TransformFailures: 2 });
      expect(totals[0]?._aws).toEqual({
        Timestamp: 1795170100000,
        CloudWatchMetrics: [
          {
            Namespace: 'LatticeLens',
            Dimensions: [[]],
            Metrics: [
              { Name: 'Requests', Unit: 'Count' },
              { Name: 'AuthDenied', Unit: 'Count' },
              { Name: 'TransformFailures', Unit: 'Count' },
            ],
          },
        ],
      });
      const perService = documents.filter((d) => !isTotal(d));
      expect(perService.map((d) => [d.ServiceId, d.Requests])).toEqual([
        ['svc-0a40974812b61bafb', 17],
        ['svc-0f23bbff8d9d088c6', 15],
        ['svc-0bcbf1bccea267be0', 7],
        ['svc-07776768fcf5f4119', 7],
        ['svc-02c1c9a18060c4b0c', 2],
      ]);
      for (const document of perService) {
        expect(document._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['ServiceId']]);
      }
    });
  });

  it('logs the records failed for the response size in one warning, not one each', async () => {
    const records = Array.from({ length: 20 }, (_, i) =>
      recordOfEntry(`r${i}`, { ...MINIMAL_ENTRY, requestPath: `/api/v1/orders/${i}` }),
    );
    records.splice(15, 0, recordOfText('bad', '{"startTime":'));
    const { handler, logs } = setup({ maxResponseBytes: 2_500 });
    const result = await handler(eventOf(records));
    const failedForSize = result.records.filter(
      (r) => r.result === 'ProcessingFailed' && r.recordId !== 'bad',
    );
    expect(failedForSize.length).toBeGreaterThan(1);
    const warnings = logs.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        message: 'record failed transformation',
        attributes: expect.objectContaining({ recordId: 'bad', kind: 'invalid' }),
      }),
      {
        level: 'warn',
        message: 'records failed for the response size',
        attributes: expect.objectContaining({
          invocationId: 'invocation-1',
          kind: 'response-too-large',
          reason: expect.stringMatching(/6 MB limit/),
          records: failedForSize.length,
          firstRecordId: failedForSize[0]?.recordId,
          lastRecordId: 'r19',
        }),
      },
    ]);
  });

  it('counts auth denials in total and per service', async () => {
    const denied = { ...MINIMAL_ENTRY, responseCode: 403, authDeniedReason: 'Service' };
    const other = 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0bcbf1bccea267be0';
    const { handler, metrics } = setup();
    await handler(
      eventOf([
        recordOfEntry('1', denied),
        recordOfEntry('2', denied),
        recordOfEntry('3', MINIMAL_ENTRY),
        recordOfEntry('4', { ...denied, serviceArn: other }),
        recordOfEntry('5', { ...MINIMAL_ENTRY, responseCode: 403 }),
      ]),
    );
    const documents = parse(metrics);
    expect(documents.find(isTotal)).toMatchObject({
      Requests: 5,
      AuthDenied: 3,
      TransformFailures: 0,
    });
    expect(
      documents.filter((d) => !isTotal(d)).map((d) => [d.ServiceId, d.Requests, d.AuthDenied]),
    ).toEqual([
      ['svc-0a40974812b61bafb', 4, 2],
      ['svc-0bcbf1bccea267be0', 1, 1],
    ]);
  });

  it('emits once per invocation: two invocations, two sets of documents', async () => {
    const { handler, metrics } = setup();
    await handler(eventOf([recordOfEntry('1', MINIMAL_ENTRY)]));
    await handler(eventOf([recordOfEntry('2', MINIMAL_ENTRY), recordOfEntry('3', MINIMAL_ENTRY)]));
    const totals = parse(metrics).filter(isTotal);
    expect(totals.map((d) => d.Requests)).toEqual([1, 2]);
  });

  it('emits zero totals for an empty batch', async () => {
    const { handler, metrics } = setup();
    expect(await handler(eventOf([]))).toEqual({ records: [] });
    expect(parse(metrics)).toEqual([
      expect.objectContaining({ Requests: 0, AuthDenied: 0, TransformFailures: 0 }),
    ]);
  });

  it('returns the batch when writing metrics throws, and logs why', async () => {
    const { handler, logs } = setup({
      writeMetric: () => {
        throw new Error('stdout closed');
      },
    });
    const event = sampleFirehoseEvent();
    const result = await handler(event);
    expect(result.records).toHaveLength(50);
    expect(logs.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({
        message: 'metrics not emitted',
        attributes: expect.objectContaining({ error: 'Error: stdout closed' }),
      }),
    ]);
  });

  it('returns the batch when the logger itself throws, for failures and metrics alike', async () => {
    const throwing = () => {
      throw new Error('logger broken');
    };
    const handler = createTransformHandler({
      log: { info: throwing, warn: throwing, error: throwing },
      writeMetric: throwing,
      namespace: 'LatticeLens',
      now: () => 0,
    });
    const result = await handler(sampleFirehoseEvent());
    expect(result.records).toHaveLength(50);
  });

  it('returns records whose data is not a string ProcessingFailed as they came, beside good ones', async () => {
    // Not what Firehose sends, but the event is untrusted input: one odd record must not fail the
    // invocation, which would send the whole batch to errors/.
    const odd: unknown[] = [null, 42, { base64: 'e30=' }, ['e30='], true];
    const records = [
      recordOfEntry('good-1', MINIMAL_ENTRY),
      ...odd.map((data, i) => ({ recordId: `odd-${i}`, approximateArrivalTimestamp: 0, data })),
      recordOfEntry('good-2', MINIMAL_ENTRY),
    ] as FirehoseTransformationEvent['records'];
    const { handler, logs } = setup();
    const result = await handler(eventOf(records));
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['good-1', 'Ok'],
      ...odd.map((_, i) => [`odd-${i}`, 'ProcessingFailed']),
      ['good-2', 'Ok'],
    ]);
    expect(result.records.slice(1, -1).map((r) => r.data)).toEqual(odd);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(odd.length);
  });

  it('fails the invocation for an event without a records array', async () => {
    const { handler } = setup();
    await expect(handler({} as FirehoseTransformationEvent)).rejects.toThrow(/records array/);
  });
});

describe('the Lambda entry point', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  async function runEntryPoint(): Promise<{ output: string[]; errors: string[]; records: number }> {
    const output: string[] = [];
    const errors: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
    // Powertools Logger writes warnings to stderr.
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    vi.resetModules();
    const { handler } = await import('../../../functions/transform/handler.ts');
    const result = await handler(sampleFirehoseEvent());
    vi.restoreAllMocks();
    return { output, errors, records: result.records.length };
  }

  it('writes EMF to standard output in namespace LatticeLens by default', async () => {
    vi.stubEnv('METRICS_NAMESPACE', '');
    const { output, records } = await runEntryPoint();
    expect(records).toBe(50);
    const emf = output.filter((line) => line.includes('"CloudWatchMetrics"'));
    expect(emf.length).toBe(6);
    for (const line of emf) {
      expect(line.endsWith('\n')).toBe(true);
      expect(JSON.parse(line)._aws.CloudWatchMetrics[0].Namespace).toBe('LatticeLens');
    }
  });

  it('logs each failed record as one JSON line through Powertools Logger', async () => {
    const { errors } = await runEntryPoint();
    const warnings = errors.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) {
      expect(warning).toMatchObject({
        level: 'WARN',
        message: 'record failed transformation',
        recordId: expect.any(String),
        reason: expect.any(String),
      });
    }
  });

  it('takes the namespace from METRICS_NAMESPACE', async () => {
    vi.stubEnv('METRICS_NAMESPACE', 'LatticeLensStaging');
    const { output } = await runEntryPoint();
    const emf = output.filter((line) => line.includes('"CloudWatchMetrics"'));
    expect(JSON.parse(emf[0] ?? '{}')._aws.CloudWatchMetrics[0].Namespace).toBe(
      'LatticeLensStaging',
    );
  });
});
