// Lines read below text: a compiled reader (shared/compiled/) reads whole lines straight from the
// bytes of a stream, and every line it does not read goes on to the text path (decoding, splitting,
// the fast and strict parsers) exactly as if the reader were not there, with its own line number.

/** Reads whole access-log lines from bytes; hands back any line it cannot read. */
export interface ByteLineReader {
  /** Where the bytes to read are copied before `read`: a view that stays valid. */
  readonly input: Uint8Array;
  /**
   * Reads the whole lines of input[from, to) until one it does not read. Returns where it
   * stopped: at a line for the text path when `stoppedAtLine`, else where no whole line is left.
   */
  read(from: number, to: number): number;
  readonly stoppedAtLine: boolean;
  /** Lines read so far. */
  readonly lines: number;
  /** Learns a key layout the text path's fast parser has learned (AccessLogLineScanner.learn). */
  learn(keys: readonly string[]): void;
}

/**
 * The longest incomplete line kept for the reader across chunks; a longer one goes to the text
 * path, which holds lines up to MAX_LINE_CHARS and reports longer ones.
 */
const MAX_CARRY_BYTES = 64 * 1024;
/** At the start of a stream the text path sees the first bytes, which may be a BOM. */
const BOM_BYTES = 3;

/**
 * Feeds the chunks of one stream to a ByteLineReader and the lines it hands back to the text path
 * (`toText`, bytes that always end with a whole line), telling the text path how many lines the
 * reader took in between (`skipLines`) so that its line numbers stay the stream's.
 */
export class ByteLineFeeder {
  readonly #reader: ByteLineReader;
  readonly #toText: (bytes: Uint8Array) => void;
  readonly #skipLines: (count: number) => void;
  /** Bytes of an incomplete line at the start of the reader's input. */
  #carry = 0;
  /** Bytes the text path must see before the reader reads (a BOM check at the stream's start). */
  #textBytesFirst: number;
  /** The text path has the start of the current line: the rest of it goes there too. */
  #isTextLine = false;

  constructor(
    reader: ByteLineReader,
    isStreamStart: boolean,
    toText: (bytes: Uint8Array) => void,
    skipLines: (count: number) => void,
  ) {
    this.#reader = reader;
    this.#toText = toText;
    this.#skipLines = skipLines;
    this.#textBytesFirst = isStreamStart ? BOM_BYTES : 0;
  }

  push(chunk: Uint8Array): void {
    const input = this.#reader.input;
    let offset = 0;
    while (offset < chunk.byteLength) {
      if (this.#isTextLine) {
        const newline = chunk.indexOf(0x0a, offset);
        const end = newline === -1 ? chunk.byteLength : newline + 1;
        this.#toText(chunk.subarray(offset, end));
        this.#isTextLine = newline === -1;
        offset = end;
        continue;
      }
      const taken = Math.min(input.byteLength - this.#carry, chunk.byteLength - offset);
      input.set(chunk.subarray(offset, offset + taken), this.#carry);
      offset += taken;
      const end = this.#carry + taken;
      const rest = this.#readLines(input, end);
      // Half the input at most, so that a chunk always has room after what is carried.
      if (end - rest > Math.min(MAX_CARRY_BYTES, input.byteLength >> 1)) {
        this.#toText(input.subarray(rest, end));
        this.#isTextLine = true;
        this.#carry = 0;
      } else {
        input.copyWithin(0, rest, end);
        this.#carry = end - rest;
      }
    }
  }

  /** Ends the stream: an unfinished last line goes to the text path. */
  end(): void {
    if (this.#carry > 0) this.#toText(this.#reader.input.subarray(0, this.#carry));
    this.#carry = 0;
  }

  /** Reads the whole lines of input[0, end); returns where the incomplete rest starts. */
  #readLines(input: Uint8Array, end: number): number {
    const reader = this.#reader;
    let at = 0;
    while (at < end) {
      if (this.#textBytesFirst <= 0) {
        const before = reader.lines;
        at = reader.read(at, end);
        if (reader.lines > before) this.#skipLines(reader.lines - before);
        if (!reader.stoppedAtLine) return at;
      }
      const newline = input.indexOf(0x0a, at);
      if (newline === -1 || newline >= end) return at;
      this.#toText(input.subarray(at, newline + 1));
      this.#textBytesFirst -= newline + 1 - at;
      at = newline + 1;
    }
    return at;
  }
}
