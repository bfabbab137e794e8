// Robustness of the Firehose transformation handler on hostile batches: generated, mutated and
// hostile access-log lines, random bytes, data that is not base64 or not a string, duplicated and odd recordIds,
// response budgets too small for the batch. Every recordId comes back exactly once, in order, as
// Ok or ProcessingFailed (a failed record keeps its original data), no exception escapes, and
// nothing leaks onto Object.prototype.
import type { FirehoseTransformationEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTransformHandler } from '../../../functions/transform/handler.ts';
import { accessLogLine, fuzzRuns, hostileBytes, hostileLine } from './access-log-arbitraries.ts';

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

// Firehose sends base64 strings; anything else in `data` is a malformed event, still answered.
const data: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: accessLogLine.map(({ line }) => Buffer.from(line).toString('base64')) },
  { weight: 1, arbitrary: hostileLine.map((line) => Buffer.from(line).toString('base64')) },
  { weight: 1, arbitrary: hostileBytes.map((bytes) => Buffer.from(bytes).toString('base64')) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', '====', 'ab=c', 'YQ', 'YQ==\n', '8J+agA=='),
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'string') },
);

const recordId = fc.oneof(
  fc.stringMatching(/^[0-9]{20,56}$/),
  fc.constantFrom('1', '__proto__', 'constructor', ''),
  fc.string({ maxLength: 10 }),
);

const event: fc.Arbitrary<FirehoseTransformationEvent> = fc
  .array(fc.record({ recordId, data }), { maxLength: 40 })
  .map((records) => ({
    invocationId: 'fuzz',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/fuzz',
    region: 'us-east-1',
    records: records.map((record, index) => ({
      ...record,
      approximateArrivalTimestamp: 1_795_170_053_581 + index,
    })) as FirehoseTransformationEvent['records'],
  }));

describe('the transform handler on hostile batches', () => {
  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns every recordId exactly once, in order, as Ok or ProcessingFailed', async () => {
    await fc.assert(
      fc.asyncProperty(
        event,
        fc.option(fc.integer({ min: 16, max: 40_000 }), { nil: undefined }),
        async (input, maxResponseBytes) => {
          const metrics: string[] = [];
          const handler = createTransformHandler({
            log: { info() {}, warn() {}, error() {} },
            writeMetric: (document) => metrics.push(document),
            namespace: 'Fuzz',
            now: () => 1_795_170_100_000,
            ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
          });
          const { records } = await handler(structuredClone(input));
          expect(records.map((r) => r.recordId)).toEqual(input.records.map((r) => r.recordId));
          records.forEach((record, index) => {
            expect(['Ok', 'ProcessingFailed']).toContain(record.result);
            if (record.result === 'ProcessingFailed') {
              expect(record.data).toEqual(input.records[index]?.data);
            } else {
              expect(typeof record.data).toBe('string');
            }
          });
          for (const document of metrics) expect(() => JSON.parse(document)).not.toThrow();
        },
      ),
      { numRuns: fuzzRuns(400) },
    );
  });
});
