// SplicedSlot: the forms of a fast-path record built from the input's own base64, and the sizes
// the response budget steps by, which must be exactly what the response will weigh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateAccessLogLines } from '../../../sample-logs/generator.ts';
import { partitionKeysBytes } from '../../../shared/transform/response-budget.ts';
import { SplicedSlot } from '../../../shared/transform/spliced-slot.ts';

const LINES = [
  ...generateAccessLogLines({
    seed: 5,
    requests: 40,
    start: new Date('2026-11-20T10:00:00Z'),
    hours: 1,
  }),
];

const serializedBytes = (record: unknown) => Buffer.byteLength(JSON.stringify(record));

describe('SplicedSlot', () => {
  it('builds each form as encoding the whole line would, and weighs it exactly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LINES),
        fc.string({ maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.constantFrom('', '\n', '  \r\n'),
        (line, derived, recordId, ending) => {
          const text = `${line}${ending}`;
          const input = {
            recordId,
            approximateArrivalTimestamp: 0,
            data: Buffer.from(text).toString('base64'),
          };
          const derivedTail = `,"latticeLens":${JSON.stringify({ derived })}}`;
          const partitionKeys = { service: 'svc-0a1', dt: '2026-11-20', hour: '10' };
          const slot = new SplicedSlot(
            input,
            text,
            line.length,
            derivedTail,
            { partitionKeys },
            partitionKeysBytes(partitionKeys),
          );
          const enriched = slot.current;
          expect(Buffer.from(enriched.data ?? '', 'base64').toString('utf8')).toBe(
            `${line.slice(0, -1)}${derivedTail}\n`,
          );
          expect(slot.bytes).toBe(serializedBytes(enriched));
          const plain = slot.plain();
          expect(Buffer.from(plain.data ?? '', 'base64').toString('utf8')).toBe(`${line}\n`);
          expect(slot.plainBytes).toBe(serializedBytes(plain));
          expect(slot.failed()).toEqual({
            recordId,
            result: 'ProcessingFailed',
            data: input.data,
          });
          expect(slot.failedBytes).toBe(serializedBytes(slot.failed()));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('builds its current form at its current level, on first use', () => {
    const line = LINES[0] as string;
    const input = {
      recordId: 'r',
      approximateArrivalTimestamp: 0,
      data: Buffer.from(line).toString('base64'),
    };
    const partitionKeys = { service: 's', dt: 'd', hour: 'h' };
    const slot = new SplicedSlot(input, line, line.length, '}', { partitionKeys }, 0);
    slot.level = 'failed';
    expect(slot.current).toEqual({ recordId: 'r', result: 'ProcessingFailed', data: input.data });
  });
});
