// Specification of parseAccessLogStream: any byte stream, plain or gzip, split into lines exactly
// as the source has them, however the bytes are chunked.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedLine } from '../../../shared/log/index.ts';
import {
  CorruptInputError,
  MAX_LINE_CHARS,
  parseAccessLogStream,
  parseAccessLogStreamBatches,
} from '../../../shared/log/index.ts';
import { cutBytes } from '../fuzz/chunked-bytes.ts';

const SERVICE_ARN = 'arn:aws:vpc-lattice:eu-west-1:111122223333:service/svc-0a1b2c3d4e5f60718';

function line(path: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    startTime: '2026-11-20T10:15:30Z',
    serviceArn: SERVICE_ARN,
    requestMethod: 'GET',
    requestPath: path,
    responseCode: 200,
    ...extra,
  });
}

async function* chunksOf(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

async function collect(stream: AsyncIterable<ParsedLine>): Promise<ParsedLine[]> {
  const out: ParsedLine[] = [];
  for await (const parsed of stream) out.push(parsed);
  return out;
}

function paths(results: ParsedLine[]): string[] {
  return results.map((r) => {
    if (!r.ok) return `rejected: ${r.rejected.reason}`;
    return r.record.kind === 'service' ? r.record.requestPath : r.record.resourceConfigurationArn;
  });
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseAccessLogStream', () => {
  it('yields one result per non-blank line, located by source and 1-based line', async () => {
    const text = `${line('/a')}\n\n${line('/b')}\nnot json\n`;
    const results = await collect(parseAccessLogStream(chunksOf(utf8(text)), 'stream-1'));
    expect(results.map((r) => (r.ok ? r.location : r.rejected.location))).toEqual([
      { source: 'stream-1', line: 1 },
      { source: 'stream-1', line: 3 },
      { source: 'stream-1', line: 4 },
    ]);
  });

  it('parses a last line that has no newline', async () => {
    const results = await collect(
      parseAccessLogStream(chunksOf(utf8(`${line('/a')}\n${line('/b')}`)), 's'),
    );
    expect(paths(results)).toEqual(['/a', '/b']);
  });

  it('yields nothing for an empty stream', async () => {
    expect(await collect(parseAccessLogStream(chunksOf(), 's'))).toEqual([]);
    expect(await collect(parseAccessLogStream(chunksOf(new Uint8Array(0)), 's'))).toEqual([]);
  });

  it('joins a line split across a chunk boundary', async () => {
    const bytes = utf8(`${line('/first')}\n${line('/second')}\n`);
    const middleOfSecond = bytes.indexOf(0x0a) + 40;
    const results = await collect(
      parseAccessLogStream(chunksOf(...cutBytes(bytes, [middleOfSecond])), 's'),
    );
    expect(paths(results)).toEqual(['/first', '/second']);
  });

  it('joins a multi-byte UTF-8 character split across a chunk boundary', async () => {
    const bytes = utf8(`${line('/caf\u00e9/\u{1f600}')}\n`);
    const e = bytes.indexOf(0xc3); // the first byte of é
    const emoji = bytes.indexOf(0xf0); // the first of the emoji's four bytes
    const results = await collect(
      parseAccessLogStream(
        chunksOf(...cutBytes(bytes, [e + 1, emoji + 1, emoji + 2, emoji + 3])),
        's',
      ),
    );
    expect(paths(results)).toEqual(['/caf\u00e9/\u{1f600}']);
  });

  it('handles a CRLF split between chunks', async () => {
    const bytes = utf8(`${line('/a')}\r\n${line('/b')}\r\n`);
    const results = await collect(
      parseAccessLogStream(chunksOf(...cutBytes(bytes, [bytes.indexOf(0x0a)])), 's'),
    );
    expect(paths(results)).toEqual(['/a', '/b']);
  });

  it('gives the same results however the bytes are chunked', async () => {
    const text = `\ufeff${line('/a')}\r\n\n${line('/\u00fcber', { userAgent: '\u{1f680} x' })}\n[1]\n{"cut":\n${line('/z')}`;
    const bytes = utf8(text);
    const whole = await collect(parseAccessLogStream(chunksOf(bytes), 's'));
    expect(whole).toHaveLength(5);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }),
        async (offsets) => {
          const pieces = await collect(
            parseAccessLogStream(chunksOf(...cutBytes(bytes, offsets)), 's'),
          );
          expect(pieces).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same results in batches: the lines each chunk completes, then the last line', async () => {
    const bytes = utf8(`${line('/a')}\n${line('/b')}\n\n${line('/c')}`);
    const pieces = cutBytes(bytes, [10, bytes.indexOf(0x0a) + 5]);
    const batches: ParsedLine[][] = [];
    for await (const batch of parseAccessLogStreamBatches(chunksOf(...pieces), 's')) {
      batches.push(batch);
    }
    expect(batches.map((b) => b.length)).toEqual([1, 1, 1]);
    expect(batches.flat()).toEqual(await collect(parseAccessLogStream(chunksOf(bytes), 's')));
  });

  describe('gzip', () => {
    const text = `${line('/a')}\n${line('/b')}\n`;

    it('is detected by its magic bytes and decompressed', async () => {
      const results = await collect(parseAccessLogStream(chunksOf(gzipSync(utf8(text))), 'x.log'));
      expect(paths(results)).toEqual(['/a', '/b']);
    });

    it('is detected when the two magic bytes arrive in separate chunks', async () => {
      const gz = gzipSync(utf8(text));
      const results = await collect(
        parseAccessLogStream(chunksOf(...cutBytes(gz, [1, 2, 3])), 's'),
      );
      expect(paths(results)).toEqual(['/a', '/b']);
    });

    it('reads concatenated gzip members as one stream', async () => {
      const members = Buffer.concat([
        gzipSync(utf8(`${line('/a')}\n`)),
        gzipSync(utf8(`${line('/b')}\n`)),
      ]);
      const results = await collect(parseAccessLogStream(chunksOf(members), 's'));
      expect(paths(results)).toEqual(['/a', '/b']);
    });

    it('keeps line numbers of the decompressed text', async () => {
      const results = await collect(
        parseAccessLogStream(chunksOf(gzipSync(utf8(`\n\n${line('/c')}\n`))), 's'),
      );
      expect(results[0]).toMatchObject({ ok: true, location: { source: 's', line: 3 } });
    });

    it('throws CorruptInputError naming the source when the data is damaged', async () => {
      const gz = gzipSync(utf8(text));
      const damaged = Buffer.from(gz);
      damaged.fill(0xff, 12, 30);
      const reading = collect(parseAccessLogStream(chunksOf(damaged), 'logs/damaged.gz'));
      await expect(reading).rejects.toThrow(CorruptInputError);
      await expect(
        collect(parseAccessLogStream(chunksOf(damaged), 'logs/damaged.gz')),
      ).rejects.toThrow(/^logs\/damaged\.gz: corrupt or truncated gzip data \(/);
    });

    it('throws CorruptInputError when the stream is truncated', async () => {
      const gz = gzipSync(utf8(text));
      const truncated = gz.subarray(0, gz.length - 10);
      const error = await collect(parseAccessLogStream(chunksOf(truncated), 'cut.gz')).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(CorruptInputError);
      expect(error).toMatchObject({
        source: 'cut.gz',
        message: 'cut.gz: corrupt or truncated gzip data (unexpected end of file)',
      });
    });

    it('passes on an error of the underlying stream as it is, not as corruption', async () => {
      const gz = gzipSync(utf8(text.repeat(500)));
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield gz.subarray(0, 100);
        throw new Error('connection reset');
      }
      const error = await collect(parseAccessLogStream(failing(), 's')).catch((e) => e);
      expect(error).not.toBeInstanceOf(CorruptInputError);
      expect(error).toMatchObject({ message: 'connection reset' });
    });

    it('throws CorruptInputError when garbage follows the gzip data', async () => {
      const withGarbage = Buffer.concat([gzipSync(utf8(text)), Buffer.from('not gzip')]);
      await expect(collect(parseAccessLogStream(chunksOf(withGarbage), 's'))).rejects.toThrow(
        CorruptInputError,
      );
    });
  });

  describe('an overlong line', () => {
    it('is rejected without being kept, and the lines after it still parse', async () => {
      const long = 'x'.repeat(MAX_LINE_CHARS + 10);
      const bytes = utf8(`${line('/a')}\n${long}\n${line('/b')}\n`);
      const pieces = cutBytes(
        bytes,
        Array.from({ length: 40 }, (_, i) => i * 65_536),
      );
      const results = await collect(parseAccessLogStream(chunksOf(...pieces), 's'));
      expect(results.map((r) => (r.ok ? r.location.line : r.rejected.location.line))).toEqual([
        1, 2, 3,
      ]);
      expect(results[1]).toEqual({
        ok: false,
        rejected: {
          location: { source: 's', line: 2 },
          reason: expect.stringMatching(/^line is longer than 1048576 characters/),
        },
      });
    });

    it('is rejected when it is the last line', async () => {
      const bytes = utf8(`${line('/a')}\n${'y'.repeat(MAX_LINE_CHARS + 1)}`);
      const results = await collect(
        parseAccessLogStream(chunksOf(...cutBytes(bytes, [1000, 600_000])), 's'),
      );
      expect(results.map((r) => r.ok)).toEqual([true, false]);
    });
  });

  it('closes its source when the reader stops early', async () => {
    let isClosed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield utf8(`${line('/again')}\n`);
      } finally {
        isClosed = true;
      }
    }
    for await (const parsed of parseAccessLogStream(source(), 's')) {
      expect(parsed.ok).toBe(true);
      break;
    }
    expect(isClosed).toBe(true);
  });

  it('passes on an error of the underlying stream', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield utf8(`${line('/a')}\n`);
      throw new Error('connection reset');
    }
    await expect(collect(parseAccessLogStream(failing(), 's'))).rejects.toThrow('connection reset');
  });
});
