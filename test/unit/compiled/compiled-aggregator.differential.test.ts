// The compiled line aggregator against the text path: on generated logs whose lines share a few key
// layouts (as a real log's do), mixed with mutated and resource lines, aggregation with it gives
// exactly what aggregation without it gives (patterns, counts, rejections with their line
// numbers), however the bytes are chunked or compressed; and it does read a good part of such a log.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { SERVICE_FIELDS } from '../../../shared/log/fields.ts';
import { parseAccessLogStream, scanAccessLogStream } from '../../../shared/log/index.ts';
import { Aggregation, aggregateLogs } from '../../../shared/pipeline/aggregate-logs.ts';
import {
  accessLogLine,
  fuzzRuns,
  lineOf,
  type Member,
  resourceMembers,
  serviceMembers,
} from '../fuzz/access-log-arbitraries.ts';
import { chunksOf } from '../fuzz/chunked-bytes.ts';

const json = (value: unknown) => JSON.stringify(value);
const ACCOUNTS = ['111122223333', '444455556666'];
const SERVICES = [
  'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a1b2c3d4e5f60718',
  'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0f23bbff8d9d088c6',
  'arn:aws-cn:vpc-lattice:cn-north-1:444455556666:service/svc-0a1b2c3d4e5f60718',
];
const segment = fc.oneof(
  fc.constantFrom('api', 'v1', 'orders', 'items', '', 'a%2Fb', '%7Bid%7D', '.', 'deadbeef'),
  fc.nat().map(String),
  fc.uuid(),
  fc.nat({ max: 50 }).map((n) => `sku-${n}`),
);
const sessionName = fc.stringMatching(/^[\w+=,.@-]{1,12}$/);

/**
 * Values Lattice writes, valid and plain (no escapes): the lines the compiled reader reads. Each
 * key's values vary the way a real log's do, so that grouping, callers and templates are tried.
 */
const CLEAN_VALUES = new Map<string, fc.Arbitrary<string>>(
  Object.entries({
    startTime: fc
      .tuple(fc.integer({ min: 1_790_000_000_000, max: 1_790_200_000_000 }), fc.boolean())
      .map(([ms, hasMillis]) => {
        const iso = new Date(ms).toISOString();
        return json(hasMillis ? iso : iso.replace(/\.\d{3}Z$/, 'Z'));
      }),
    duration: fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.constant('"-"')),
    bytesReceived: fc.oneof(fc.nat().map(String), fc.constant('"-"'), fc.constant('null')),
    bytesSent: fc.nat({ max: 1e9 }).map(String),
    requestMethod: fc.constantFrom('"GET"', '"POST"', '"DELETE"', '"get"', '"PROPFIND"'),
    requestPath: fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.constantFrom('', '?x=1', '#f'))
      .map(([segments, tail]) => json(`/${segments.join('/')}${tail}`)),
    responseCode: fc.constantFrom('200', '204', '301', '400', '403', '404', '500', '503'),
    serviceArn: fc.constantFrom(...SERVICES.map(json)),
    serviceNetworkArn: fc.constantFrom(
      json('arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0a1b2c3d4e5f60718'),
      '"-"',
    ),
    callerPrincipal: fc.oneof(
      fc.constantFrom('"-"', 'null', json('ec2.amazonaws.com'), ...ACCOUNTS.map(json)),
      fc
        .tuple(fc.constantFrom(...ACCOUNTS), fc.constantFrom('orders', 'cart'), sessionName)
        .map(([a, role, s]) => json(`arn:aws:sts::${a}:assumed-role/${role}/${s}`)),
      fc
        .tuple(fc.constantFrom(...ACCOUNTS), sessionName)
        .map(([a, name]) => json(`arn:aws:iam::${a}:user/${name}`)),
      fc.constantFrom(...ACCOUNTS).map((a) => json(`arn:aws:iam::${a}:root`)),
    ),
    callerX509SubjectCN: fc.constantFrom('"-"', '"device-1"', '"device-2"'),
    sourceVpcId: fc.constantFrom('"-"', '"vpc-0a13314c17f463072"', '"vpc-0ab8df3c96a4f345f"'),
    sourceVpcArn: fc.oneof(
      fc.constant('"-"'),
      fc
        .constantFrom(...ACCOUNTS)
        .map((a) => json(`arn:aws:ec2:us-east-1:${a}:vpc/vpc-0a13314c17f463072`)),
    ),
    authDeniedReason: fc.constantFrom('"-"', '"-"', '"Service"', '"Network"'),
  }),
);

/** Plain values of the fields without values of their own above, by check. */
const CLEAN_BY_CHECK = new Map<string, fc.Arbitrary<string>>([
  ['text', fc.oneof(fc.stringMatching(/^[ !#-[\]-~]{0,12}$/).map(json), fc.constant('"-"'))],
  ['count', fc.nat({ max: 1000 }).map(String)],
  ['json', fc.constantFrom('{}', '{"team":"a"}', '"-"', '[1,"b"]')],
]);

/** Clean values for every key of a layout (a key nobody knows: a plain string). */
function cleanValuesOf(layout: readonly Member[]): fc.Arbitrary<Member[]> {
  return fc.tuple(
    ...layout.map(([key]) => {
      const check = SERVICE_FIELDS.get(key);
      const values =
        CLEAN_VALUES.get(key) ??
        (check === undefined ? fc.constant('"x"') : CLEAN_BY_CHECK.get(check)) ??
        fc.constant('"x"');
      return values.map((v): Member => [key, v]);
    }),
  );
}

/** A line in the layout (key order) of `layout`, with the values of `values` where it has them. */
function inLayout(layout: readonly Member[], values: readonly Member[]): string {
  const drawn = new Map(values);
  return lineOf(layout.map(([key, value]): Member => [key, drawn.get(key) ?? value]));
}

/**
 * Lines of a few service layouts, most with clean values drawn per line, some with the fuzz
 * generators' values (often invalid); now and then a line of any layout, mutated or not, a
 * resource line (which only the text path reads) or a blank one.
 */
const sharedLayoutLog = fc.array(serviceMembers, { minLength: 1, maxLength: 5 }).chain((layouts) =>
  fc.array(
    fc.oneof(
      {
        weight: 12,
        arbitrary: fc
          .nat({ max: layouts.length - 1 })
          .chain((n) =>
            cleanValuesOf(layouts[n] as Member[]).map((values) =>
              inLayout(layouts[n] as Member[], values),
            ),
          ),
      },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.nat({ max: layouts.length - 1 }), serviceMembers)
          .map(([n, values]) => inLayout(layouts[n] as Member[], values)),
      },
      { weight: 2, arbitrary: accessLogLine.map(({ line }) => line) },
      { weight: 1, arbitrary: resourceMembers.map(lineOf) },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', '\ufeff') },
    ),
    { minLength: 5, maxLength: 80 },
  ),
);

/** aggregateLogs, with the compiled reader; also how many lines it read, and its flushes. */
async function compiledAggregate(chunks: AsyncIterable<Uint8Array>) {
  const aggregation = new Aggregation();
  const reader = aggregation.byteReader;
  if (reader === undefined) throw new Error('an Aggregation reads with the compiled reader');
  const flush = vi.spyOn(reader, 'flush');
  await scanAccessLogStream(chunks, 'fuzz.log', aggregation);
  const result = { patterns: aggregation.patterns(), ...aggregation.takeTally() };
  return { result, compiledLines: reader.lines, flushes: flush.mock.calls.length };
}

describe('the compiled line aggregator', () => {
  it('aggregates as the text path does, however the log is chunked or compressed', async () => {
    let lines = 0;
    let compiledLines = 0;
    await fc.assert(
      fc.asyncProperty(
        sharedLayoutLog,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        async (log, cuts, newline, isGzip) => {
          const plain = new TextEncoder().encode(`${log.join(newline)}${newline}`);
          const bytes = isGzip ? new Uint8Array(gzipSync(plain)) : plain;
          const expected = await aggregateLogs(
            parseAccessLogStream(chunksOf(bytes, cuts), 'fuzz.log'),
            { compiled: false },
          );
          const actual = await compiledAggregate(chunksOf(bytes, cuts));
          expect(actual.result).toEqual(expected);
          lines += log.length;
          compiledLines += actual.compiledLines;
        },
      ),
      { numRuns: fuzzRuns(600) },
    );
    // Generated values are often invalid, escaped or not ASCII, all the text path's; still, the
    // property must not hold vacuously (about 30 % of the lines are the compiled reader's).
    expect(compiledLines).toBeGreaterThan(lines / 5);
  });

  it('aggregates a log with more distinct values than its tables hold as the text path does', async () => {
    // 40,000 requests over 60 hours: 12,000 distinct (hour, caller) groups, thousands of distinct
    // path segments, a session name per request: the module fills its tables and flushes
    // several times in one chunk.
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const account = ACCOUNTS[i % 2] as string;
      const callers = [
        `arn:aws:iam::${account}:user/user-${i % 211}`,
        `arn:aws:sts::${account}:assumed-role/orders/session-${i}`,
        account,
        '-',
      ];
      lines.push(
        json({
          startTime: new Date(
            1_790_000_000_000 + Math.floor(i / 667) * 3_600_000 + i,
          ).toISOString(),
          duration: i % 97,
          requestMethod: i % 7 === 0 ? 'POST' : 'GET',
          requestPath: `/items/sku-${i % 3000}/parts/${i}?page=${i % 5}`,
          responseCode: [200, 403, 404, 503][i % 4],
          bytesSent: i * 1000,
          sourceVpcId: i % 3 === 0 ? '-' : 'vpc-0a13314c17f463072',
          sourceVpcArn: `arn:aws:ec2:us-east-1:${account}:vpc/vpc-0a13314c17f463072`,
          serviceArn: SERVICES[i % 3],
          callerPrincipal: callers[i % 4],
          authDeniedReason: i % 8 === 1 ? 'Service' : '-',
        }),
      );
    }
    const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const expected = await aggregateLogs(parseAccessLogStream(chunksOf(bytes, []), 'big.log'), {
      compiled: false,
    });
    const actual = await compiledAggregate(chunksOf(bytes, []));
    expect(actual.result).toEqual(expected);
    expect(expected.patterns.length).toBeGreaterThan(12_000);
    // All but the first line, which shows the text path the layout.
    expect(actual.compiledLines).toBe(lines.length - 1);
    expect(actual.flushes).toBeGreaterThan(2);
  });
});
