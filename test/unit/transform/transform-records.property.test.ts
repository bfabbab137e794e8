// Properties of transformRecords for any batch: valid entries, random bytes, truncated entries,
// non-base64 data. The Firehose contract (aws-contracts.md §6) must hold whatever comes in.
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transformRecords } from '../../../shared/transform/index.ts';
import { MINIMAL_ENTRY, recordOfBytes, recordOfText } from './firehose-records.ts';

const validEntry = fc
  .record({
    responseCode: fc.constantFrom(200, 201, 403, 404, 500),
    authDeniedReason: fc.constantFrom('-', 'Service', 'Network'),
    requestPath: fc.stringMatching(/^\/[a-z0-9/._~%-]{0,40}$/),
    callerPrincipal: fc.constantFrom(
      '-',
      'arn:aws:sts::111122223333:assumed-role/r/s',
      'arn:aws:iam::444455556666:user/u',
    ),
    minute: fc.integer({ min: 0, max: 59 }),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 3,
    }),
  })
  .map(({ minute, extra, ...fields }) =>
    JSON.stringify({
      // Prefixed: unknown fields AWS might add, never a known field with a wrong type.
      ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [`x-${key}`, value])),
      ...MINIMAL_ENTRY,
      ...fields,
      startTime: `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z`,
    }),
  );

type Data =
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'raw'; data: string };

const recordData: fc.Arbitrary<Data> = fc.oneof(
  validEntry.map((text) => ({ kind: 'text' as const, text })),
  validEntry.chain((text) =>
    fc
      .integer({ min: 0, max: text.length - 1 })
      .map((cut) => ({ kind: 'text' as const, text: text.slice(0, cut) })),
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
  fc.string({ maxLength: 40 }).map((text) => ({ kind: 'text' as const, text })),
  fc.string({ maxLength: 20 }).map((data) => ({ kind: 'raw' as const, data })),
);

function toRecord(data: Data, index: number): FirehoseTransformationEventRecord {
  const recordId = `record-${index}`;
  if (data.kind === 'text') return recordOfText(recordId, data.text);
  if (data.kind === 'bytes') return recordOfBytes(recordId, data.bytes);
  return { recordId, approximateArrivalTimestamp: 0, data: data.data };
}

describe('transformRecords, for any batch of records', () => {
  it('returns one record per input, with the same recordIds in the same order', () => {
    fc.assert(
      fc.property(fc.array(recordData, { maxLength: 30 }), (datas) => {
        const input = datas.map(toRecord);
        const { records } = transformRecords(input);
        expect(records).toHaveLength(input.length);
        expect(records.map((r) => r.recordId)).toEqual(input.map((r) => r.recordId));
      }),
    );
  });

  it('answers Ok with one JSON line and partition keys, or ProcessingFailed with the data as given', () => {
    fc.assert(
      fc.property(fc.array(recordData, { maxLength: 30 }), (datas) => {
        const input = datas.map(toRecord);
        const batch = transformRecords(input);
        batch.records.forEach((record, i) => {
          if (record.result === 'Ok') {
            const text = Buffer.from(record.data ?? '', 'base64').toString('utf8');
            expect(text.indexOf('\n')).toBe(text.length - 1);
            expect(typeof JSON.parse(text)).toBe('object');
            expect(Object.keys(record.metadata?.partitionKeys ?? {})).toEqual([
              'service',
              'dt',
              'hour',
            ]);
          } else {
            expect(record.result).toBe('ProcessingFailed');
            expect(record.data).toBe(input[i]?.data);
          }
        });
        const failed = batch.records.filter((r) => r.result === 'ProcessingFailed').length;
        expect(batch.failures).toHaveLength(failed);
        expect(batch.counts.transformFailures).toBe(failed);
        expect(batch.counts.requests).toBe(input.length - failed);
      }),
    );
  });

  it('accepts every untruncated valid entry', () => {
    fc.assert(
      fc.property(fc.array(validEntry, { maxLength: 10 }), (texts) => {
        const batch = transformRecords(texts.map((text, i) => recordOfText(`r${i}`, text)));
        expect(batch.failures).toEqual([]);
      }),
    );
  });
});
