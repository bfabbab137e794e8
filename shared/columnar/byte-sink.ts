// A growable byte buffer for building Parquet pages and metadata: hot loops write into `bytes`
// directly after one `reserve`, instead of paying a bounds check and a call per byte.

const utf8 = new TextEncoder();

export class ByteSink {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more bytes and returns `bytes`, which may be a new, larger array. */
  reserve(extra: number): Uint8Array {
    const needed = this.length + extra;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    return this.bytes;
  }

  byte(value: number): void {
    this.reserve(1)[this.length++] = value;
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length).set(bytes, this.length);
    this.length += bytes.length;
  }

  uint32(value: number): void {
    this.setUint32(this.length, value);
    this.length += 4;
  }

  /** Overwrites 4 bytes at `at` (within `length`, or just reserved) with `value`, little-endian. */
  setUint32(at: number, value: number): void {
    const bytes = this.reserve(at + 4 - this.length);
    bytes[at] = value & 0xff;
    bytes[at + 1] = (value >>> 8) & 0xff;
    bytes[at + 2] = (value >>> 16) & 0xff;
    bytes[at + 3] = value >>> 24;
  }

  /** An unsigned LEB128 varint of a non-negative safe integer. */
  varint(value: number): void {
    const bytes = this.reserve(10);
    let rest = value;
    // Above 31 bits the bitwise operators would truncate, so divide instead.
    while (rest >= 0x80000000) {
      bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    while (rest >= 0x80) {
      bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    bytes[this.length++] = rest;
  }

  /**
   * Appends `text` as UTF-8 and returns its byte length. Lone surrogates become U+FFFD, as
   * TextEncoder writes them.
   */
  utf8(text: string): number {
    const count = text.length;
    // Every UTF-16 code unit takes at most 3 UTF-8 bytes.
    const bytes = this.reserve(count * 3);
    const start = this.length;
    let at = start;
    for (let i = 0; i < count; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        // Rare in summaries (ARNs, ids, paths are ASCII): let the native encoder take the rest.
        at += utf8.encodeInto(text.slice(i), bytes.subarray(at)).written;
        break;
      }
      bytes[at++] = code;
    }
    this.length = at;
    return at - start;
  }
}
