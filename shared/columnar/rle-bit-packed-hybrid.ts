// Parquet's RLE/bit-packed hybrid encoding, used for dictionary indexes and for the definition and
// repetition levels of list columns.
import type { ByteSink } from './byte-sink.ts';

// A run this long is cheaper as one RLE run than inside bit-packed groups of 8.
const MIN_RLE_RUN = 8;
// Keeps a bit-packed run's header to one byte (groups << 1 | 1), as parquet-mr does.
const MAX_GROUPS_PER_RUN = 63;

/** The bit width that holds every value below `distinct` (at least 1, as Arrow writes it). */
export function bitWidthFor(distinct: number): number {
  return Math.max(1, 32 - Math.clz32(distinct - 1));
}

/**
 * Appends values[0, count) in the hybrid encoding, without a length prefix. Runs of 8 or more
 * equal values become RLE runs, the rest bit-packed groups of 8 (the last padded with zeros).
 * @param bitWidth 1 to 24; every value must be below 2^bitWidth.
 */
export function writeRleBitPackedHybrid(
  sink: ByteSink,
  values: Int32Array,
  count: number,
  bitWidth: number,
): void {
  if (bitWidth < 1 || bitWidth > 24) throw new RangeError(`bit width ${bitWidth} is not 1 to 24`);
  const valueBytes = (bitWidth + 7) >>> 3;
  // Every run but the last covers at least 8 values and costs at most a 5-byte header plus
  // max(bitWidth, valueBytes) bytes.
  const bytes = sink.reserve((Math.ceil(count / MIN_RLE_RUN) + 2) * (bitWidth + 5));
  let at = sink.length;
  let groupsHeaderAt = -1;
  let groups = 0;
  let i = 0;
  while (i < count) {
    const value = values[i] as number;
    let runEnd = i + 1;
    while (runEnd < count && values[runEnd] === value) runEnd++;
    if (runEnd - i >= MIN_RLE_RUN) {
      if (groupsHeaderAt >= 0) bytes[groupsHeaderAt] = (groups << 1) | 1;
      groupsHeaderAt = -1;
      let header = (runEnd - i) * 2;
      while (header >= 0x80) {
        bytes[at++] = (header & 0x7f) | 0x80;
        header >>>= 7;
      }
      bytes[at++] = header;
      for (let b = 0; b < valueBytes; b++) bytes[at++] = (value >>> (8 * b)) & 0xff;
      i = runEnd;
      continue;
    }
    if (groupsHeaderAt < 0 || groups === MAX_GROUPS_PER_RUN) {
      if (groupsHeaderAt >= 0) bytes[groupsHeaderAt] = (groups << 1) | 1;
      groupsHeaderAt = at++;
      groups = 0;
    }
    // 8 values of bitWidth bits fill exactly bitWidth bytes, least significant bit first.
    let buffer = 0;
    let bufferBits = 0;
    const groupEnd = i + 8;
    for (; i < groupEnd; i++) {
      buffer |= (i < count ? (values[i] as number) : 0) << bufferBits;
      bufferBits += bitWidth;
      while (bufferBits >= 8) {
        bytes[at++] = buffer & 0xff;
        buffer >>>= 8;
        bufferBits -= 8;
      }
    }
    groups++;
  }
  if (groupsHeaderAt >= 0) bytes[groupsHeaderAt] = (groups << 1) | 1;
  sink.length = at;
}
