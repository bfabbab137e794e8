// A small deterministic gzip encoder (LZ77 + fixed-Huffman deflate) for the committed samples.
// Node's zlib may emit different bytes across zlib builds and CPUs; this encoder never does.

const WINDOW_SIZE = 32_768;
const WINDOW_MASK = WINDOW_SIZE - 1;
const HASH_SIZE = 1 << 15;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MAX_CHAIN = 64;

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];

function reverseBits(code: number, length: number): number {
  let reversed = 0;
  for (let i = 0; i < length; i++) reversed = (reversed << 1) | ((code >>> i) & 1);
  return reversed;
}

/** Fixed literal/length Huffman codes (RFC 1951 §3.2.6), bit-reversed for LSB-first output. */
const LITERAL_CODE = new Uint16Array(288);
const LITERAL_BITS = new Uint8Array(288);
for (let symbol = 0; symbol < 288; symbol++) {
  let code: number;
  let bits: number;
  if (symbol < 144) [code, bits] = [0x30 + symbol, 8];
  else if (symbol < 256) [code, bits] = [0x190 + symbol - 144, 9];
  else if (symbol < 280) [code, bits] = [symbol - 256, 7];
  else [code, bits] = [0xc0 + symbol - 280, 8];
  LITERAL_CODE[symbol] = reverseBits(code, bits);
  LITERAL_BITS[symbol] = bits;
}

const LENGTH_SYMBOL = new Uint8Array(MAX_MATCH + 1);
for (let index = 0; index < LENGTH_BASE.length; index++) {
  const base = LENGTH_BASE[index] ?? 0;
  const end = index === LENGTH_BASE.length - 1 ? MAX_MATCH + 1 : (LENGTH_BASE[index + 1] ?? 0);
  for (let length = base; length < end; length++) LENGTH_SYMBOL[length] = index;
}

const DISTANCE_SYMBOL = new Uint8Array(WINDOW_SIZE + 1);
for (let index = 0; index < DISTANCE_BASE.length; index++) {
  const base = DISTANCE_BASE[index] ?? 0;
  const end =
    index === DISTANCE_BASE.length - 1 ? WINDOW_SIZE + 1 : (DISTANCE_BASE[index + 1] ?? 0);
  for (let distance = base; distance < end; distance++) DISTANCE_SYMBOL[distance] = index;
}

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc = (CRC_TABLE[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Gzips `input` into one fixed-Huffman deflate block with greedy LZ77 matching. The bytes depend
 * only on the input: mtime 0, no file name, OS byte 3 (Unix, as Firehose writes).
 */
export function gzipDeterministic(input: Uint8Array): Buffer {
  const n = input.length;
  // Worst case is every byte a 9-bit literal; 32 bytes cover header, end code and trailer.
  const out = Buffer.alloc(10 + Math.ceil((n * 9) / 8) + 32);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  let position = 10;
  let bitBuffer = 0;
  let bitCount = 0;
  const writeBits = (value: number, count: number): void => {
    bitBuffer |= value << bitCount;
    bitCount += count;
    while (bitCount >= 8) {
      out[position++] = bitBuffer & 0xff;
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
  };
  const writeSymbol = (symbol: number): void => {
    writeBits(LITERAL_CODE[symbol] ?? 0, LITERAL_BITS[symbol] ?? 0);
  };

  writeBits(1, 1); // BFINAL: this is the only block
  writeBits(1, 2); // BTYPE 01: fixed Huffman codes

  const head = new Int32Array(HASH_SIZE).fill(-1);
  const previous = new Int32Array(WINDOW_SIZE).fill(-1);
  const hashAt = (i: number): number =>
    (((input[i] ?? 0) << 10) ^ ((input[i + 1] ?? 0) << 5) ^ (input[i + 2] ?? 0)) & (HASH_SIZE - 1);
  const insert = (i: number): void => {
    const hash = hashAt(i);
    previous[i & WINDOW_MASK] = head[hash] ?? -1;
    head[hash] = i;
  };

  let i = 0;
  while (i < n) {
    let bestLength = 0;
    let bestDistance = 0;
    if (i + MIN_MATCH <= n) {
      const maxLength = Math.min(MAX_MATCH, n - i);
      let candidate = head[hashAt(i)] ?? -1;
      let chain = MAX_CHAIN;
      while (candidate >= 0 && i - candidate < WINDOW_SIZE && chain-- > 0) {
        if (input[candidate + bestLength] === input[i + bestLength]) {
          let length = 0;
          while (length < maxLength && input[candidate + length] === input[i + length]) length++;
          if (length > bestLength) {
            bestLength = length;
            bestDistance = i - candidate;
            if (length === maxLength) break;
          }
        }
        const next = previous[candidate & WINDOW_MASK] ?? -1;
        if (next >= candidate) break;
        candidate = next;
      }
      insert(i);
    }
    if (bestLength >= MIN_MATCH) {
      const lengthIndex = LENGTH_SYMBOL[bestLength] ?? 0;
      writeSymbol(257 + lengthIndex);
      writeBits(bestLength - (LENGTH_BASE[lengthIndex] ?? 0), LENGTH_EXTRA[lengthIndex] ?? 0);
      const distanceIndex = DISTANCE_SYMBOL[bestDistance] ?? 0;
      writeBits(reverseBits(distanceIndex, 5), 5);
      writeBits(
        bestDistance - (DISTANCE_BASE[distanceIndex] ?? 0),
        DISTANCE_EXTRA[distanceIndex] ?? 0,
      );
      for (let j = i + 1; j < i + bestLength && j + MIN_MATCH <= n; j++) insert(j);
      i += bestLength;
    } else {
      writeSymbol(input[i] ?? 0);
      i++;
    }
  }
  writeSymbol(256);
  if (bitCount > 0) writeBits(0, 8 - bitCount);

  out.writeUInt32LE(crc32(input), position);
  out.writeUInt32LE(n >>> 0, position + 4);
  return out.subarray(0, position + 8);
}
