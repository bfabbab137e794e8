// Specification of ByteLineFeeder: a byte reader takes the lines it can, the text path gets every
// other line whole and in order, and line numbers stay the stream's, however the bytes are chunked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLineFeeder, type ByteLineReader } from '../../../shared/log/byte-lines.ts';
import { fuzzRuns } from '../fuzz/access-log-arbitraries.ts';
import { cutBytes } from '../fuzz/chunked-bytes.ts';

/** A reader of the lines that start with `R`, into `read`; any other line is the text path's. */
class PrefixReader implements ByteLineReader {
  readonly input: Uint8Array;
  readonly readLines: string[] = [];
  stoppedAtLine = false;
  lines = 0;

  constructor(inputBytes = 64) {
    this.input = new Uint8Array(inputBytes);
  }

  read(from: number, to: number): number {
    let at = from;
    for (;;) {
      const newline = this.input.indexOf(0x0a, at);
      if (newline === -1 || newline >= to) {
        this.stoppedAtLine = false;
        return at;
      }
      if (this.input[at] !== 0x52) {
        this.stoppedAtLine = true;
        return at;
      }
      this.readLines.push(new TextDecoder().decode(this.input.subarray(at, newline)));
      this.lines++;
      at = newline + 1;
    }
  }

  learn(): void {}
}

/** Feeds `chunks` through a feeder; the text path's lines come back numbered as it counts them. */
function feed(reader: PrefixReader, chunks: readonly Uint8Array[], isStreamStart = false) {
  const textLines: string[] = [];
  let textBytes: number[] = [];
  let line = 0;
  const toText = (bytes: Uint8Array) => {
    for (const byte of bytes) {
      if (byte === 0x0a) {
        line++;
        textLines.push(`${line}:${new TextDecoder().decode(Uint8Array.from(textBytes))}`);
        textBytes = [];
      } else {
        textBytes.push(byte);
      }
    }
  };
  const feeder = new ByteLineFeeder(reader, isStreamStart, toText, (count) => {
    expect(textBytes, 'lines are skipped only between whole text lines').toEqual([]);
    line += count;
  });
  for (const chunk of chunks) feeder.push(chunk);
  feeder.end();
  if (textBytes.length > 0) {
    line++;
    textLines.push(`${line}:${new TextDecoder().decode(Uint8Array.from(textBytes))}`);
  }
  return { textLines, lines: line };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('ByteLineFeeder', () => {
  it('gives the reader its lines and the text path the others, numbered as in the stream', () => {
    const reader = new PrefixReader();
    const { textLines, lines } = feed(reader, [utf8('R1\nt2\nR3\nR4\nt5\nt6\nR7\n')]);
    expect(reader.readLines).toEqual(['R1', 'R3', 'R4', 'R7']);
    expect(textLines).toEqual(['2:t2', '5:t5', '6:t6']);
    expect(lines).toBe(7);
  });

  it('keeps a line split across chunks for the reader', () => {
    const reader = new PrefixReader();
    const { textLines } = feed(reader, [utf8('R1\nR2 sp'), utf8('lit\nt3'), utf8('\n')]);
    expect(reader.readLines).toEqual(['R1', 'R2 split']);
    expect(textLines).toEqual(['3:t3']);
  });

  it('hands an unfinished last line to the text path', () => {
    const reader = new PrefixReader();
    const { textLines } = feed(reader, [utf8('R1\nR2 without newline')]);
    expect(reader.readLines).toEqual(['R1']);
    expect(textLines).toEqual(['2:R2 without newline']);
  });

  it('hands a line longer than it keeps across chunks to the text path, whole', () => {
    const reader = new PrefixReader(256 * 1024);
    const long = `R${'x'.repeat(200 * 1024)}`;
    const bytes = utf8(`R1\n${long}\nR3\n`);
    const { textLines } = feed(reader, cutBytes(bytes, [10, 70_000, 140_000, 190_000]));
    expect(reader.readLines).toEqual(['R1', 'R3']);
    expect(textLines).toEqual([`2:${long}`]);
  });

  it('lets the text path see the start of a stream first, where a BOM may be', () => {
    const reader = new PrefixReader();
    const { textLines } = feed(reader, [utf8('R\nR2\nR3\n')], true);
    // The first line has two bytes: the text path also takes the second to see three.
    expect(textLines).toEqual(['1:R', '2:R2']);
    expect(reader.readLines).toEqual(['R3']);
  });

  it('takes chunks larger than the reader input', () => {
    const reader = new PrefixReader(16);
    const text = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? `t${i}` : `R${i}`)).join('\n');
    const { textLines, lines } = feed(reader, [utf8(`${text}\n`)]);
    expect(lines).toBe(50);
    expect(reader.readLines).toHaveLength(33);
    expect(textLines).toHaveLength(17);
  });

  it('hands every line to one of the two, in order and numbered, however the bytes are chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.string({ unit: 'binary-ascii', maxLength: 40 })), {
          maxLength: 30,
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (specs, cuts, hasFinalNewline, isStreamStart) => {
          const lines = specs.map(
            ([isReaders, body]) => `${isReaders ? 'R' : 't'}${body.replace(/\n/g, '')}`,
          );
          const text = lines.join('\n') + (hasFinalNewline && lines.length > 0 ? '\n' : '');
          // A small input: lines longer than it keeps across chunks go to the text path.
          const reader = new PrefixReader(48);
          const { textLines, lines: counted } = feed(
            reader,
            cutBytes(utf8(text), cuts),
            isStreamStart,
          );
          const numbered = textLines.map((entry) => Number(entry.slice(0, entry.indexOf(':'))));
          for (const [i, n] of numbered.entries()) {
            expect(textLines[i]).toBe(`${n}:${lines[n - 1]}`);
          }
          const readersLines = lines.filter((_, i) => !numbered.includes(i + 1));
          expect(reader.readLines).toEqual(readersLines);
          expect(readersLines.every((line) => line.startsWith('R'))).toBe(true);
          expect(counted).toBe(lines.length);
        },
      ),
      { numRuns: fuzzRuns(500) },
    );
  });
});
