// Specification of batchRecords: PutRecordBatch calls as full as Firehose's limits allow, in order.
import { describe, expect, it } from 'vitest';
import { batchRecords, PUT_RECORD_BATCH_LIMITS } from '../../../shared/replay/index.ts';

const bytes = (size: number, fill = 0x61) => new Uint8Array(size).fill(fill);

async function collect(records: Uint8Array[], limits = PUT_RECORD_BATCH_LIMITS) {
  const batches: Uint8Array[][] = [];
  for await (const batch of batchRecords(records, limits)) batches.push(batch);
  return batches;
}

describe('batchRecords', () => {
  it('uses Firehose’s limits: 500 records, 4 MiB per call, 1,000 KiB per record', () => {
    expect(PUT_RECORD_BATCH_LIMITS).toEqual({
      maxRecords: 500,
      maxBatchBytes: 4 * 1024 * 1024,
      maxRecordBytes: 1000 * 1024,
    });
  });

  it('puts at most 500 small records in one call', async () => {
    const batches = await collect(Array.from({ length: 1_201 }, () => bytes(100)));
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
  });

  it('starts a new call before the data would pass 4 MiB', async () => {
    // 100 KiB records: 40 make exactly 4,000 KiB, a 41st would pass 4 MiB (4,096 KiB).
    const batches = await collect(Array.from({ length: 100 }, () => bytes(100 * 1024)));
    expect(batches.map((b) => b.length)).toEqual([40, 40, 20]);
    for (const batch of batches) {
      expect(batch.reduce((sum, r) => sum + r.byteLength, 0)).toBeLessThanOrEqual(4 * 1024 * 1024);
    }
  });

  it('fills a call up to exactly 4 MiB', async () => {
    const batches = await collect(
      Array.from({ length: 8 }, () => bytes(1024 * 1024)),
      {
        ...PUT_RECORD_BATCH_LIMITS,
        maxRecordBytes: 1024 * 1024,
      },
    );
    expect(batches.map((b) => b.length)).toEqual([4, 4]);
  });

  it('sends records of the largest allowed size, one 1,000 KiB record among small ones', async () => {
    const records = [bytes(10), bytes(1000 * 1024), bytes(10)];
    const batches = await collect(records);
    expect(batches.map((b) => b.length)).toEqual([3]);
    expect(batches.flat().every((r, i) => r === records[i])).toBe(true);
  });

  it('keeps the input order across calls', async () => {
    const records = Array.from({ length: 1_100 }, (_, i) => bytes(1, i % 256));
    expect((await collect(records)).flat()).toEqual(records);
  });

  it('yields nothing for no records', async () => {
    expect(await collect([])).toEqual([]);
  });

  it('refuses a record over 1,000 KiB: no call could carry it', async () => {
    await expect(collect([bytes(1000 * 1024 + 1)])).rejects.toThrow(RangeError);
  });
});
