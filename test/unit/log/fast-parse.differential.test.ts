// The fast parse path against the strict one: on generated and mutated access-log lines, the fast
// path either leaves a line to the strict parser or reads exactly what the strict parser reads,
// and aggregation through it gives exactly the result of callPatternOf over strict records.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessLogLineScanner, type FastAccessLogRecord } from '../../../shared/log/fast-parse.ts';
import {
  type AccessLogRecord,
  type ParsedLine,
  parseAccessLogLine,
  parseAccessLogStream,
  type RejectedLine,
} from '../../../shared/log/index.ts';
import {
  CallPatternBuilder,
  CallPatternTable,
  callPatternOf,
} from '../../../shared/patterns/index.ts';
import { aggregateLogs } from '../../../shared/pipeline/index.ts';
import { accessLogLine, fuzzRuns, hostileLine } from '../fuzz/access-log-arbitraries.ts';
import { chunksOf } from '../fuzz/chunked-bytes.ts';
import { referencePatternSet } from '../fuzz/reference-aggregation.ts';

const at = { source: 'differential.log', line: 1 };

/** The strict parser's record, or undefined when it rejects the line (or it is blank). */
function strictRecord(line: string): AccessLogRecord | undefined {
  const parsed = parseAccessLogLine(line, at);
  return parsed?.ok === true ? parsed.record : undefined;
}

/** The fast path's reading of `line` after it learned the layout of `teacher` (if strict-valid). */
function fastRecord(teacher: string, line: string): FastAccessLogRecord | undefined {
  const scanner = new AccessLogLineScanner();
  if (strictRecord(teacher) !== undefined) scanner.learn(teacher);
  const end = line.endsWith('\r') ? line.length - 1 : line.length;
  return scanner.scan(line, 0, end);
}

/** The fields of the strict record that a fast record carries, as the fast record names them. */
function projection(record: AccessLogRecord, fast: FastAccessLogRecord): Record<string, unknown> {
  const fields = Object.keys(fast).filter((key) => key !== 'startMs');
  const projected: Record<string, unknown> = Object.fromEntries(
    fields.map((key) => [key, (record as unknown as Record<string, unknown>)[key]]),
  );
  projected.startMs = Date.parse(record.startTime);
  return projected;
}

/** Aggregation as it was before the fast path: strict records, callPatternOf, PatternSet. */
async function referenceAggregate(lines: AsyncIterable<ParsedLine>) {
  const set = referencePatternSet();
  let records = 0;
  let rejectedLines = 0;
  const rejections: RejectedLine[] = [];
  for await (const line of lines) {
    if (line.ok) {
      records++;
      set.add(callPatternOf(line.record));
    } else {
      rejectedLines++;
      if (rejections.length < 100) rejections.push(line.rejected);
    }
  }
  return { patterns: set.toArray(), records, rejectedLines, rejections };
}

describe('the fast parse path', () => {
  it('reads a line exactly as the strict parser does, or leaves it to the strict parser', () => {
    let fastLines = 0;
    fc.assert(
      fc.property(accessLogLine, ({ clean, line }) => {
        const fast = fastRecord(clean, line);
        if (fast === undefined) return;
        fastLines++;
        const record = strictRecord(line);
        expect(record, 'the strict parser rejects a line the fast path read').toBeDefined();
        expect({ ...fast }).toEqual(projection(record as AccessLogRecord, fast));
      }),
      { numRuns: fuzzRuns(3000) },
    );
    // Most generated lines are clean and valid: the property must not hold vacuously.
    expect(fastLines).toBeGreaterThan(fuzzRuns(3000) / 10);
  });

  it('never reads hostile input, which the strict parser judges', () => {
    const teacher = JSON.stringify({
      startTime: '2026-11-20T10:15:30Z',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
      requestMethod: 'GET',
      requestPath: '/a',
      responseCode: 200,
    });
    fc.assert(
      fc.property(hostileLine, (line) => {
        const fast = fastRecord(teacher, line);
        if (fast !== undefined) expect(strictRecord(line)).toBeDefined();
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('builds the call pattern callPatternOf builds, and its key ids', () => {
    // One builder and table across cases, as in a real aggregation: its memo tables must not
    // carry anything from one line into the next.
    const table = new CallPatternTable();
    const builder = new CallPatternBuilder(table.ids);
    fc.assert(
      fc.property(accessLogLine, ({ clean, line }) => {
        const fast = fastRecord(clean, line);
        if (fast === undefined) return;
        const expected = callPatternOf(strictRecord(line) as AccessLogRecord);
        const built = builder.patternOf(fast);
        expect({
          ...built,
          examplePaths: [...built.examplePaths],
          sessionNames: [...built.sessionNames],
        }).toEqual(expected);
        expect([...builder.key]).toEqual([...table.keyOf(expected)]);
      }),
      { numRuns: fuzzRuns(3000) },
    );
  });

  it('aggregates a stream as the strict path does, however it is chunked or compressed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(accessLogLine, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        async (lines, cuts, newline, isGzip) => {
          const text = lines.map(({ line }) => line).join(newline);
          const plain = new TextEncoder().encode(text);
          const bytes = isGzip ? new Uint8Array(gzipSync(plain)) : plain;
          const expected = await referenceAggregate(
            parseAccessLogStream(chunksOf(bytes, cuts), 'fuzz.log'),
          );
          const actual = await aggregateLogs(
            parseAccessLogStream(chunksOf(bytes, cuts), 'fuzz.log'),
          );
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: fuzzRuns(400) },
    );
  });

  it('reads the lines Lattice writes and leaves unusual spellings to the strict parser', () => {
    const record = {
      startTime: '2026-11-20T10:15:30.250Z',
      duration: 23,
      requestMethod: 'get',
      requestPath: '/api/v1/orders/8812?expand=items',
      responseCode: 403,
      bytesSent: '-',
      sourceVpcArn: 'arn:aws:ec2:us-east-1:444455556666:vpc/vpc-0aa11bb22cc33dd44',
      serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
      callerPrincipal: 'arn:aws:sts::444455556666:assumed-role/checkout-task/7f3c2a',
      callerPrincipalTags: { team: 'checkout' },
      authDeniedReason: 'Service',
    };
    const line = JSON.stringify(record);
    const scanner = new AccessLogLineScanner();
    scanner.learn(line);
    expect(scanner.scan(line, 0, line.length)).toMatchObject({
      kind: 'service',
      startMs: Date.parse(record.startTime),
      requestMethod: 'get',
      bytesSent: undefined,
      callerPrincipal: record.callerPrincipal,
      authDeniedReason: 'Service',
    });
    const unusual = [
      line.replace('"get"', '"\\u0067et"'),
      line.replace('"duration":23', '"duration":"23"'),
      line.replace('"duration":23,', ''),
      line.replace('{', '{"duration":1,'),
      line.replace(':', ': '),
      line.replace('"responseCode":403', '"responseCode":403.0'),
      line.replace('"checkout"', '{"nested":["deep"]}'),
      line.replace('10:15:30.250Z', '10:15:30.25Z'),
      line.replace('"get"', '"-"'),
      line.replace('2026-11-20', '2026-02-30'),
    ];
    for (const text of unusual) expect(scanner.scan(text, 0, text.length), text).toBeUndefined();
  });
});
