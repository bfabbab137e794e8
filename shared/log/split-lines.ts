// Bytes to lines for the stream parsers: UTF-8 decoding that keeps characters split across
// chunks whole, and line splitting that holds at most one line across chunks.
import { Buffer, isAscii } from 'node:buffer';

const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Largest piece decoded into one string. V8 allocates strings above ~128 KB one by one outside
 * its young generation; measured here, 256 KB pieces decode about ten times slower than 64 KB.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * Decodes a UTF-8 byte stream chunk by chunk exactly as one streaming
 * `new TextDecoder('utf-8')` would (a leading BOM dropped, bad bytes as U+FFFD), but copies
 * all-ASCII chunks (the usual case for access logs) to strings directly, which is much cheaper.
 */
export class Utf8ChunkDecoder {
  // The BOM is dropped by hand at the very start, so the decoder never drops one mid-stream
  // after a reset.
  #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Whether the decoder may hold the start of a character from the previous chunk. */
  #isPending = false;
  /** The first bytes of the stream while fewer than three are known; undefined afterwards. */
  #head: number[] | undefined;

  /**
   * `isStreamStart` false for bytes that continue a stream elsewhere (a byte range of a file
   * after its first): a BOM there is text, as it would be to one decoder reading the whole file.
   */
  constructor(isStreamStart = true) {
    this.#head = isStreamStart ? [] : undefined;
  }

  /** Decodes `chunk` in pieces of at most PIECE_BYTES, handing each piece's text to `onText`. */
  decodeEach(chunk: Uint8Array, onText: (text: string) => void): void {
    for (let offset = 0; offset < chunk.byteLength; offset += PIECE_BYTES) {
      onText(this.decode(chunk.subarray(offset, offset + PIECE_BYTES)));
    }
  }

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.#head !== undefined) {
      const head = this.#head;
      let used = 0;
      while (head.length < BOM.length && used < bytes.byteLength)
        head.push(bytes[used++] as number);
      if (head.length < BOM.length) return '';
      this.#head = undefined;
      const isBom = head.every((byte, index) => byte === BOM[index]);
      const rest = bytes.subarray(used);
      bytes = isBom ? rest : concat(Uint8Array.from(head), rest);
    }
    if (bytes.byteLength === 0) return '';
    if (isAscii(bytes)) {
      // A character left incomplete by the previous chunk ends here: the decoder would write
      // U+FFFD for it before this ASCII byte, which is what flushing it writes.
      const flushed = this.#isPending ? this.#decoder.decode() : '';
      this.#isPending = false;
      return (
        flushed + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
      );
    }
    this.#isPending = true;
    return this.#decoder.decode(bytes, { stream: true });
  }

  /** The text still held at the end of the stream. */
  end(): string {
    const head = this.#head;
    this.#head = undefined;
    const held =
      head === undefined || head.length === 0
        ? ''
        : this.#decoder.decode(Uint8Array.from(head), { stream: true });
    return held + this.#decoder.decode();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}

/**
 * Receives each line as `text[start, end)` (without its `\n`), with its 1-based number;
 * `isOverlong` when the line was longer than the limit and was not kept (text is then empty).
 */
export type LineHandler = (
  text: string,
  start: number,
  end: number,
  line: number,
  isOverlong: boolean,
) => void;

/** Splits decoded text into lines across chunk boundaries, holding at most `maxLineChars`. */
export class LineSplitter {
  #carry = '';
  #isOverlong = false;
  #line = 0;

  constructor(
    readonly maxLineChars: number,
    readonly onLine: LineHandler,
  ) {}

  /** Lines handed over so far (blank and overlong ones included). */
  get lines(): number {
    return this.#line;
  }

  /**
   * Counts `count` lines that another reader took from the stream (see byte-lines.ts), between
   * whole lines: nothing is carried when it is called.
   */
  skipLines(count: number): void {
    this.#line += count;
  }

  push(text: string): void {
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      if (this.#carry === '') {
        this.#take(text, start, newline);
      } else {
        const line = this.#carry + text.slice(start, newline);
        this.#carry = '';
        this.#take(line, 0, line.length);
      }
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (!this.#isOverlong) {
      this.#carry = start === 0 ? this.#carry + text : this.#carry + text.slice(start);
      if (this.#carry.length > this.maxLineChars) {
        this.#isOverlong = true;
        this.#carry = '';
      }
    }
  }

  /** Ends the stream: `rest` is the decoder's last text. */
  finish(rest: string): void {
    const last = this.#carry + rest;
    this.#carry = '';
    if (last !== '' || this.#isOverlong) this.#take(last, 0, last.length);
  }

  #take(text: string, start: number, end: number): void {
    this.#line++;
    if (this.#isOverlong || end - start > this.maxLineChars) {
      this.#isOverlong = false;
      this.onLine('', 0, 0, this.#line, true);
      return;
    }
    this.onLine(text, start, end, this.#line, false);
  }
}
