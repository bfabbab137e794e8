import fc from 'fast-check';
import { snappyUncompress } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { maxCompressedLength, snappyCompress } from '../../../shared/columnar/snappy-compress.ts';

function compress(input: Uint8Array): Uint8Array {
  const output = new Uint8Array(maxCompressedLength(input.length));
  return output.subarray(0, snappyCompress(input, output, 0));
}

/** Decompresses with hyparquet's reader, which checks the stated length. */
function uncompress(compressed: Uint8Array, length: number): Uint8Array {
  const output = new Uint8Array(length);
  snappyUncompress(compressed, output);
  return output;
}

// Bytes from a small alphabet repeat, so the compressor finds copies as well as literals.
const repetitive = fc
  .array(fc.constantFrom(0, 1, 2, 97, 98, 255), { maxLength: 3000 })
  .map((bytes) => Uint8Array.from(bytes));

describe('snappyCompress', () => {
  it('gives back any bytes through a standard Snappy decoder', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), repetitive), (input) => {
        expect(uncompress(compress(input), input.length)).toEqual(input);
      }),
    );
  });

  it('starts with the uncompressed length as a varint', () => {
    const compressed = compress(new Uint8Array(300));
    expect([...compressed.subarray(0, 2)]).toEqual([0xac, 0x02]);
  });

  it('writes an empty input as its zero length alone', () => {
    expect([...compress(new Uint8Array(0))]).toEqual([0]);
  });

  it('copies across more than 64 KiB, where offsets no longer fit 16 bits', () => {
    const period = new Uint8Array(70_000).map((_, i) => (i * 7919) % 251);
    const input = new Uint8Array(300_000).map((_, i) => period[i % period.length] as number);
    const compressed = compress(input);
    // Buffer.equals: element-wise toEqual takes seconds on 300 KB.
    expect(Buffer.from(uncompress(compressed, input.length)).equals(input)).toBe(true);
  });

  it('shrinks repeated data and stays within the bound on random data', () => {
    const zeros = new Uint8Array(100_000);
    expect(compress(zeros).length).toBeLessThan(5_000);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1000, maxLength: 5000 }), (input) => {
        expect(compress(input).length).toBeLessThanOrEqual(maxCompressedLength(input.length));
      }),
    );
  });

  it('keeps compressing correctly over many calls, as its reused hash tables wrap around', () => {
    // Each call moves the tables' epoch on by at least 64 KiB: 2^31 is passed after ~33,000.
    const inputs = [0, 1, 2].map((seed) =>
      new TextEncoder().encode(`/orders/${seed}/items/${seed}/orders/${seed}/items`),
    );
    for (let call = 0; call < 40_000; call++) {
      const input = inputs[call % inputs.length] as Uint8Array;
      const back = uncompress(compress(input), input.length);
      if (!Buffer.from(back).equals(input)) throw new Error(`call ${call} did not round-trip`);
    }
  });

  it('writes after outputStart without touching the bytes before it', () => {
    const input = new TextEncoder().encode('abcabcabcabcabcabcabcabcabcabc');
    const output = new Uint8Array(8 + maxCompressedLength(input.length)).fill(9);
    const end = snappyCompress(input, output, 8);
    expect([...output.subarray(0, 8)]).toEqual([9, 9, 9, 9, 9, 9, 9, 9]);
    expect(uncompress(output.subarray(8, end), input.length)).toEqual(input);
  });
});
