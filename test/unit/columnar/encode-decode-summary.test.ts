import fc from 'fast-check';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { decodeSummary, encodeSummary, SUMMARY_COLUMNS } from '../../../shared/columnar/index.ts';
import type { CallPattern } from '../../../shared/patterns/types.ts';
import { callPatternArbitrary } from './call-pattern-arbitrary.ts';
import { basePattern, sortedCanonically, withShuffled } from './summary-fixtures.ts';

const patterns = fc.array(callPatternArbitrary, { maxLength: 20 });

const orders: CallPattern = basePattern;

describe('encodeSummary and decodeSummary', () => {
  it('give back the encoded patterns, hour restored from firstSeen', async () => {
    await fc.assert(
      fc.asyncProperty(patterns, async (input) => {
        const decoded = await decodeSummary(encodeSummary(input));
        expect(sortedCanonically(decoded)).toEqual(sortedCanonically(input));
      }),
    );
  });

  it('write the same bytes for the same patterns in any order', () => {
    const inputAndShuffle = withShuffled(patterns);
    fc.assert(
      fc.property(inputAndShuffle, ([input, shuffled]) => {
        expect(encodeSummary(shuffled)).toEqual(encodeSummary(input));
      }),
    );
  });

  it('decode rows in a stable order whatever the input order', async () => {
    const other = { ...orders, pathTemplate: '/carts/{id}', requests: 3 };
    const decoded = await decodeSummary(encodeSummary([orders, other]));
    expect(await decodeSummary(encodeSummary([other, orders]))).toEqual(decoded);
    expect(decoded.map((pattern) => pattern.pathTemplate)).toEqual(['/carts/{id}', '/orders/{id}']);
  });

  it('order rows that differ only in their lists by those lists', async () => {
    const variants = [['/b'], ['/a', '/c'], [], ['/a']].map((examplePaths) => ({
      ...orders,
      examplePaths,
    }));
    const bytes = encodeSummary(variants);
    expect(encodeSummary([...variants].reverse())).toEqual(bytes);
    const decoded = await decodeSummary(bytes);
    expect(decoded.map((pattern) => pattern.examplePaths)).toEqual([
      [],
      ['/a'],
      ['/a', '/c'],
      ['/b'],
    ]);
  });

  it('keep duplicate patterns as separate rows', async () => {
    expect(await decodeSummary(encodeSummary([orders, orders]))).toEqual([orders, orders]);
  });

  it('keep empty lists, unicode text and counters up to 2^53-1', async () => {
    const edge: CallPattern = {
      ...orders,
      callerPrincipal: 'arn:aws:iam::444455556666:role/zé-🚀',
      pathTemplate: '/商品/{id}',
      examplePaths: [],
      sessionNames: [],
      bytesSent: Number.MAX_SAFE_INTEGER,
      requests: 0,
    };
    expect(await decodeSummary(encodeSummary([edge]))).toEqual([edge]);
  });

  it('keep a leading U+FEFF, which is part of a logged value, not a byte order mark', async () => {
    const edge: CallPattern = {
      ...orders,
      callerX509SubjectCN: '\uFEFFclient',
      examplePaths: ['\uFEFF/a'],
    };
    expect(await decodeSummary(encodeSummary([edge]))).toEqual([edge]);
  });

  it('keep times before 1970 and counters that cross 32 bits', async () => {
    const firstSeen = Date.UTC(1969, 11, 31, 23, 0, 0, 1);
    const early: CallPattern = {
      ...orders,
      hour: '1969-12-31T23',
      firstSeen,
      lastSeen: firstSeen + 3_599_998,
      bytesSent: 2 ** 32,
      bytesReceived: 2 ** 32 - 1,
      durationSumMs: 2 ** 52 + 1,
    };
    expect(await decodeSummary(encodeSummary([early]))).toEqual([early]);
  });

  it('write a valid file with every column for zero patterns', async () => {
    const bytes = encodeSummary([]);
    expect(await decodeSummary(bytes)).toEqual([]);
    const metadata = parquetMetadata(new Uint8Array(bytes).buffer);
    expect(metadata.num_rows).toBe(0n);
    expect(parquetSchema(metadata).children.map((column) => column.element.name)).toEqual(
      SUMMARY_COLUMNS.map((column) => column.name),
    );
  });

  it('decode a file held in a view into a larger buffer', async () => {
    const bytes = encodeSummary([orders]);
    const larger = new Uint8Array(bytes.length + 16);
    larger.set(bytes, 8);
    expect(await decodeSummary(larger.subarray(8, 8 + bytes.length))).toEqual([orders]);
  });

  it('store timestamps as INT64 TIMESTAMP_MILLIS and compress pages with SNAPPY', () => {
    const metadata = parquetMetadata(new Uint8Array(encodeSummary([orders])).buffer);
    const firstSeen = metadata.schema.find((element) => element.name === 'firstSeen');
    expect(firstSeen).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' });
    const codecs = metadata.row_groups.flatMap((group) =>
      group.columns.map((chunk) => chunk.meta_data?.codec),
    );
    expect(new Set(codecs)).toEqual(new Set(['SNAPPY']));
  });
});

describe('encodeSummary', () => {
  it('rejects a counter that is not a safe integer, naming the field', () => {
    expect(() => encodeSummary([{ ...orders, requests: 1.5 }])).toThrow(/pattern 0 requests/);
    expect(() => encodeSummary([{ ...orders, bytesSent: 2 ** 53 }])).toThrow(RangeError);
  });

  it('rejects a pattern whose hour is not the UTC hour of its firstSeen', () => {
    expect(() => encodeSummary([orders, { ...orders, hour: '2025-03-04T06' }])).toThrow(
      /pattern 1 hour "2025-03-04T06" is not the UTC hour of its firstSeen \("2025-03-04T05"\)/,
    );
  });
});
