// Robustness of aggregation over a byte stream (aggregateLogs over parseAccessLogStream, which takes
// the fast path) on hostile input: no exception escapes but a CorruptInputError for damaged gzip,
// every non-blank line is counted once (records + rejected = lines), the result equals the strict
// path's, and nothing leaks onto Object.prototype.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CorruptInputError,
  MAX_LINE_CHARS,
  type ParsedLine,
  parseAccessLogStream,
} from '../../../shared/log/index.ts';
import { callPatternOf } from '../../../shared/patterns/index.ts';
import { aggregateLogs } from '../../../shared/pipeline/index.ts';
import { accessLogLine, fuzzRuns, hostileBytes, hostileLine } from './access-log-arbitraries.ts';
import { chunksOf } from './chunked-bytes.ts';
import { referencePatternSet } from './reference-aggregation.ts';

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** The lines parseAccessLogStream must account for: every line that is not blank. */
function countedLines(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.filter(
    (line) => line.length > MAX_LINE_CHARS || !/^\ufeff?[\t\n\v\f\r ]*$/.test(line),
  ).length;
}

async function strictAggregate(lines: AsyncIterable<ParsedLine>) {
  const set = referencePatternSet();
  let records = 0;
  let rejectedLines = 0;
  for await (const line of lines) {
    if (line.ok) {
      records++;
      set.add(callPatternOf(line.record));
    } else {
      rejectedLines++;
    }
  }
  return { patterns: set.toArray(), records, rejectedLines };
}

/** Text of generated, mutated and hostile lines, joined by LF or CRLF, sometimes with garbage. */
const logText = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: accessLogLine.map(({ line }) => line) },
        { weight: 1, arbitrary: hostileLine },
        { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '\ufeff', '\r') },
      ),
      { maxLength: 30 },
    ),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([lines, newline]) => lines.join(newline));

describe('aggregation of a hostile byte stream', () => {
  afterAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts every non-blank line once, as the strict path does, however the bytes are cut', async () => {
    await fc.assert(
      fc.asyncProperty(logText, fc.array(fc.nat(), { maxLength: 8 }), async (text, cuts) => {
        const bytes = new TextEncoder().encode(text);
        const result = await aggregateLogs(parseAccessLogStream(chunksOf(bytes, cuts), 'f.log'));
        expect(result.records + result.rejectedLines).toBe(countedLines(bytes));
        const strict = await strictAggregate(parseAccessLogStream(chunksOf(bytes, cuts), 'f.log'));
        expect({
          patterns: result.patterns,
          records: result.records,
          rejectedLines: result.rejectedLines,
        }).toEqual(strict);
      }),
      { numRuns: fuzzRuns(600) },
    );
  });

  it('survives random bytes, invalid UTF-8 included, plain or gzipped', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileBytes,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (raw, isGzip, cuts) => {
          const bytes = isGzip ? new Uint8Array(gzipSync(raw)) : raw;
          try {
            const result = await aggregateLogs(
              parseAccessLogStream(chunksOf(bytes, cuts), 'b.bin'),
            );
            expect(result.records + result.rejectedLines).toBe(countedLines(raw));
          } catch (error) {
            // Plain bytes that happen to start with the gzip magic are read as (corrupt) gzip.
            expect(error).toBeInstanceOf(CorruptInputError);
            expect(!isGzip && raw[0] === 0x1f && raw[1] === 0x8b).toBe(true);
          }
        },
      ),
      { numRuns: fuzzRuns(600) },
    );
  });

  it('fails a truncated or corrupted gzip stream with a CorruptInputError, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          accessLogLine.map(({ line }) => line),
          { minLength: 1, maxLength: 20 },
        ),
        fc.nat(),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { nil: undefined }),
        async (lines, cut, flip) => {
          const whole = new Uint8Array(gzipSync(`${lines.join('\n')}\n`));
          const damaged = whole.slice(0, 10 + (cut % Math.max(1, whole.length - 10)));
          if (flip !== undefined) {
            const at = 10 + (flip[0] % Math.max(1, damaged.length - 10));
            damaged[at] = (damaged[at] as number) ^ flip[1];
          }
          try {
            const result = await aggregateLogs(parseAccessLogStream(chunksOf(damaged, []), 'd.gz'));
            // A flip may leave a stream that still inflates (in stored blocks, say): then every
            // line it yields is counted.
            expect(result.records + result.rejectedLines).toBeGreaterThanOrEqual(0);
          } catch (error) {
            expect(error).toBeInstanceOf(CorruptInputError);
          }
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('rejects an overlong line and goes on with the next', async () => {
    const valid = JSON.stringify({
      startTime: '2026-11-20T10:15:30Z',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
      requestMethod: 'GET',
      requestPath: '/a',
      responseCode: 200,
    });
    const text = `${valid}\n{"requestPath":"/${'a'.repeat(MAX_LINE_CHARS)}"}\n${valid}\n`;
    const result = await aggregateLogs(
      parseAccessLogStream(chunksOf(new TextEncoder().encode(text), [100, 70_000, 900_000]), 'o'),
    );
    expect(result.records).toBe(2);
    expect(result.rejectedLines).toBe(1);
    expect(result.rejections[0]?.location.line).toBe(2);
  });
});
