// Raw Snappy block compression, the format of Parquet's SNAPPY codec, written straight into the
// caller's buffer. hyparquet-writer's snappyCompress appends byte by byte through a growing
// DataView and measured 20-80 MB/s on summary pages: slower than all the rest of the encoding.
// The algorithm is the reference one (google/snappy CompressFragment) without its 64 KiB blocks.

// A copy reaches back at most this far: its offset is stored in 16 bits.
const MAX_OFFSET = 65_535;
const MAX_HASH_BITS = 14;
const MIN_HASH_BITS = 8;
// The match search reads 4 bytes ahead and stops this far before the end.
const INPUT_MARGIN = 15;

// One table per size, reused across calls without clearing: entries hold `epoch + position`,
// and each call raises the epoch past every earlier entry by more than MAX_OFFSET, so stale
// entries fail the offset check the search makes anyway. Clearing a 16K-entry table per page
// cost more than compressing a small page.
const hashTables: Int32Array[] = [];
let epoch = MAX_OFFSET + 1;
// Entries must stay within int32.
const MAX_EPOCH = 2 ** 31 - 1;

/** The most bytes `snappyCompress` can write for `length` input bytes (Snappy's bound). */
export function maxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

/**
 * Compresses `input` as one raw Snappy block into `output` from `outputStart`, which must have
 * `maxCompressedLength(input.length)` bytes free.
 * @returns the offset in `output` just after the compressed bytes.
 */
export function snappyCompress(input: Uint8Array, output: Uint8Array, outputStart: number): number {
  const end = input.length;
  let op = writeVarint(output, outputStart, end);
  let nextEmit = 0;
  if (end >= INPUT_MARGIN) {
    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    const { table, shift } = hashTableFor(end);
    const tableBase = epoch;
    epoch += end + MAX_OFFSET + 1;
    const ipLimit = end - INPUT_MARGIN;
    let ip = 1;
    let nextHash = Math.imul(view.getInt32(ip, true), 0x1e35a7bd) >>> shift;
    search: for (;;) {
      // Skip faster through data that does not compress: one more byte per 32 misses.
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const hash = nextHash;
        nextIp = ip + (skip++ >>> 5);
        if (nextIp > ipLimit) break search;
        nextHash = Math.imul(view.getInt32(nextIp, true), 0x1e35a7bd) >>> shift;
        candidate = (table[hash] as number) - tableBase;
        table[hash] = tableBase + ip;
      } while (
        ip - candidate > MAX_OFFSET ||
        view.getInt32(ip, true) !== view.getInt32(candidate, true)
      );

      op = emitLiteral(input, nextEmit, ip, output, op);
      // Emit copies while the bytes right after a copy match again.
      do {
        const matchStart = ip;
        let matched = 4;
        while (
          ip + matched + 4 <= end &&
          view.getInt32(ip + matched, true) === view.getInt32(candidate + matched, true)
        ) {
          matched += 4;
        }
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        op = emitCopy(output, op, matchStart - candidate, matched);
        nextEmit = ip;
        if (ip >= ipLimit) break search;
        table[Math.imul(view.getInt32(ip - 1, true), 0x1e35a7bd) >>> shift] = tableBase + ip - 1;
        const hash = Math.imul(view.getInt32(ip, true), 0x1e35a7bd) >>> shift;
        candidate = (table[hash] as number) - tableBase;
        table[hash] = tableBase + ip;
      } while (
        ip - candidate <= MAX_OFFSET &&
        view.getInt32(ip, true) === view.getInt32(candidate, true)
      );
      nextHash = Math.imul(view.getInt32(++ip, true), 0x1e35a7bd) >>> shift;
    }
  }
  if (nextEmit < end) op = emitLiteral(input, nextEmit, end, output, op);
  return op;
}

function writeVarint(output: Uint8Array, start: number, value: number): number {
  let op = start;
  let rest = value;
  while (rest >= 0x80) {
    output[op++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  output[op++] = rest;
  return op;
}

function hashTableFor(length: number): { table: Int32Array; shift: number } {
  let bits = MIN_HASH_BITS;
  while (bits < MAX_HASH_BITS && 1 << bits < length) bits++;
  if (epoch + length + MAX_OFFSET + 1 > MAX_EPOCH) {
    for (const table of hashTables) table?.fill(0);
    epoch = MAX_OFFSET + 1;
  }
  let table = hashTables[bits];
  if (table === undefined) {
    table = new Int32Array(1 << bits);
    hashTables[bits] = table;
  }
  return { table, shift: 32 - bits };
}

function emitLiteral(
  input: Uint8Array,
  from: number,
  to: number,
  output: Uint8Array,
  outputStart: number,
): number {
  let op = outputStart;
  const n = to - from - 1;
  if (n < 60) {
    output[op++] = n << 2;
  } else if (n < 0x100) {
    output[op++] = 60 << 2;
    output[op++] = n;
  } else if (n < 0x10000) {
    output[op++] = 61 << 2;
    output[op++] = n & 0xff;
    output[op++] = n >>> 8;
  } else if (n < 0x1000000) {
    output[op++] = 62 << 2;
    output[op++] = n & 0xff;
    output[op++] = (n >>> 8) & 0xff;
    output[op++] = n >>> 16;
  } else {
    output[op++] = 63 << 2;
    output[op++] = n & 0xff;
    output[op++] = (n >>> 8) & 0xff;
    output[op++] = (n >>> 16) & 0xff;
    output[op++] = n >>> 24;
  }
  // Short literals are the common case, where a subarray and set() cost more than the loop.
  if (to - from < 32) {
    for (let i = from; i < to; i++) output[op++] = input[i] as number;
    return op;
  }
  output.set(input.subarray(from, to), op);
  return op + (to - from);
}

function emitCopy(output: Uint8Array, outputStart: number, offset: number, length: number): number {
  let op = outputStart;
  let rest = length;
  // Copies of at most 64 bytes each, keeping the last one at least 4 bytes long.
  while (rest >= 68) {
    op = emitCopyUpTo64(output, op, offset, 64);
    rest -= 64;
  }
  if (rest > 64) {
    op = emitCopyUpTo64(output, op, offset, 60);
    rest -= 60;
  }
  return emitCopyUpTo64(output, op, offset, rest);
}

function emitCopyUpTo64(
  output: Uint8Array,
  outputStart: number,
  offset: number,
  length: number,
): number {
  let op = outputStart;
  if (length < 12 && offset < 2048) {
    output[op++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    output[op++] = offset & 0xff;
  } else {
    output[op++] = 2 | ((length - 1) << 2);
    output[op++] = offset & 0xff;
    output[op++] = offset >>> 8;
  }
  return op;
}
