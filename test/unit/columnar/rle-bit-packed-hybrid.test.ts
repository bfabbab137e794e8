import fc from 'fast-check';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { describe, expect, it } from 'vitest';
import { ByteSink } from '../../../shared/columnar/byte-sink.ts';
import {
  bitWidthFor,
  writeRleBitPackedHybrid,
} from '../../../shared/columnar/rle-bit-packed-hybrid.ts';

function encode(values: readonly number[], bitWidth: number): Uint8Array {
  const sink = new ByteSink(1);
  writeRleBitPackedHybrid(sink, Int32Array.from(values), values.length, bitWidth);
  return sink.bytes.slice(0, sink.length);
}

/** Decodes with hyparquet's reader. */
function decode(bytes: Uint8Array, bitWidth: number, count: number): number[] {
  const output = new Array<number>(count);
  const reader = {
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    offset: 0,
  };
  readRleBitPackedHybrid(reader, bitWidth, output, bytes.length);
  return output;
}

// Values below 2^bitWidth, in runs of random length: both run kinds and their boundaries.
const encodable = fc.integer({ min: 1, max: 24 }).chain((bitWidth) =>
  fc.tuple(
    fc.constant(bitWidth),
    fc
      .array(
        fc.tuple(fc.integer({ min: 0, max: 2 ** bitWidth - 1 }), fc.integer({ min: 1, max: 20 })),
        { maxLength: 40 },
      )
      .map((runs) => runs.flatMap(([value, length]) => Array<number>(length).fill(value))),
  ),
);

describe('writeRleBitPackedHybrid', () => {
  it('gives back any values below 2^bitWidth through hyparquet', () => {
    fc.assert(
      fc.property(encodable, ([bitWidth, values]) => {
        expect(decode(encode(values, bitWidth), bitWidth, values.length)).toEqual(values);
      }),
    );
  });

  it('writes a long run as one RLE run: header, then the value in whole bytes', () => {
    expect([...encode(Array<number>(50).fill(300), 9)]).toEqual([50 << 1, 0x2c, 0x01]);
  });

  it('bit-packs short runs in groups of 8, least significant bit first', () => {
    // One group: header (1 << 1) | 1, then 8 values of 1 bit.
    expect([...encode([1, 0, 1, 1, 0, 0, 0, 1], 1)]).toEqual([0b11, 0b10001101]);
  });

  it('pads the last bit-packed group with zeros', () => {
    expect([...encode([3, 2, 1], 2)]).toEqual([0b11, 0b00_01_10_11, 0]);
  });

  it('starts a new bit-packed run after 63 groups, keeping headers to one byte', () => {
    const values = Array.from({ length: 64 * 8 }, (_, i) => i % 2);
    const bytes = encode(values, 1);
    expect(bytes[0]).toBe((63 << 1) | 1);
    expect(bytes[64]).toBe((1 << 1) | 1);
    expect(decode(bytes, 1, values.length)).toEqual(values);
  });

  it('rejects bit widths it cannot pack', () => {
    expect(() => encode([0], 0)).toThrow(RangeError);
    expect(() => encode([0], 25)).toThrow(RangeError);
  });
});

describe('bitWidthFor', () => {
  it('gives the bits that hold every index below the dictionary size, at least 1', () => {
    expect([1, 2, 3, 4, 5, 256, 257, 300].map(bitWidthFor)).toEqual([1, 1, 2, 2, 3, 8, 9, 9]);
  });
});
