// The transform's fast path (fast-enrich.ts, base64 splicing, arithmetic response sizes) against
// the reference path (strict parser, deriveFields, JSON splice, full re-encoding): for generated
// and mutated entries in one batch, both answer Firehose with the same records, byte for byte,
// and report the same failures and counts.
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateAccessLogLines } from '../../../sample-logs/generator.ts';
import { FastEnricher } from '../../../shared/transform/fast-enrich.ts';
import { transformRecords } from '../../../shared/transform/index.ts';
import { fuzzRuns } from '../fuzz/access-log-arbitraries.ts';
import { RESOURCE_CONFIGURATION_ARN, recordOfBytes, recordOfText } from './firehose-records.ts';

const GENERATED = [
  ...generateAccessLogLines({
    seed: 21,
    requests: 300,
    start: new Date('2026-11-20T10:00:00Z'),
    hours: 2,
  }),
];

const RESOURCE_ENTRY = JSON.stringify({
  startTime: '2026-11-20T10:15:30.250Z',
  endTime: '2026-11-20T10:15:31Z',
  serviceNetworkArn:
    'arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0a1b2c3d4e5f60718',
  sourceVpcArn: 'arn:aws:ec2:us-east-1:444455556666:vpc/vpc-0f1e2d3c4b5a69788',
  resourceConfigurationArn: RESOURCE_CONFIGURATION_ARN,
  protocol: 'TCP',
  destinationIpPort: '10.0.0.5:5432',
  sentBytes: 120,
  receivedBytes: '-',
});

type Entry = Record<string, unknown>;

/** Ways an entry can differ from the compact layout the fast path learns first. */
const MUTATIONS: Record<string, (text: string) => string> = {
  none: (text) => text,
  // A `\u` escape in a string: same value, different text.
  escapedPath: (text) =>
    text.replace(
      /"requestPath":"\/(.)/,
      (_, c: string) => `"requestPath":"/\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    ),
  escapedPrincipal: (text) => text.replace(/"callerPrincipal":"a/, '"callerPrincipal":"\\u0061'),
  reorderedKeys: (text) => {
    const { startTime, ...rest } = JSON.parse(text) as Entry;
    return JSON.stringify({ ...rest, startTime });
  },
  numberAsString: (text) => text.replace(/"responseCode":(\d+)/, '"responseCode":"$1"'),
  durationAsString: (text) => text.replace(/"duration":(\d+)/, '"duration":"$1"'),
  duplicateKey: (text) =>
    `${text.slice(0, -1)},"callerPrincipal":"arn:aws:iam::123456789012:user/dup"}`,
  duplicateServiceArn: (text) =>
    `${text.slice(0, -1)},"serviceArn":"arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0bcbf1bccea267be0"}`,
  protoKey: (text) => `${text.slice(0, -1)},"__proto__":{"polluted":true}}`,
  protoFirst: (text) => `{"__proto__":"x",${text.slice(1)}`,
  spaces: (text) => JSON.stringify(JSON.parse(text), null, 1),
  spaceAfterColons: (text) => text.replace(/":/g, '": '),
  trailingNewline: (text) => `${text}\n`,
  trailingCrlf: (text) => `${text}\r\n`,
  leadingSpace: (text) => ` ${text}`,
  unsigned: (text) => text.replace(/"callerPrincipal":"[^"]*"/, '"callerPrincipal":"-"'),
  nullPrincipal: (text) => text.replace(/"callerPrincipal":"[^"]*"/, '"callerPrincipal":null'),
  nullStringPrincipal: (text) =>
    text.replace(/"callerPrincipal":"[^"]*"/, '"callerPrincipal":"null"'),
  emptyPrincipal: (text) => text.replace(/"callerPrincipal":"[^"]*"/, '"callerPrincipal":""'),
  bareAccount: (text) =>
    text.replace(/"callerPrincipal":"[^"]*"/, '"callerPrincipal":"111122223333"'),
  chinaPartition: (text) =>
    text
      .replace(/arn:aws:vpc-lattice/g, 'arn:aws-cn:vpc-lattice')
      .replace(/"callerPrincipal":"[^"]*"/, '"callerPrincipal":"111122223333"'),
  oddPrincipal: (text) =>
    text.replace(
      /"callerPrincipal":"[^"]*"/,
      '"callerPrincipal":"arn:aws:sts::111122223333:federated-user/bob"',
    ),
  noSourceVpcArn: (text) => text.replace(/"sourceVpcArn":"[^"]*"/, '"sourceVpcArn":"-"'),
  noSourceVpcId: (text) => text.replace(/"sourceVpcId":"[^"]*"/, '"sourceVpcId":"-"'),
  denied: (text) =>
    text
      .replace(/"responseCode":\d+/, '"responseCode":403')
      .replace(/"authDeniedReason":"[^"]*"/, '"authDeniedReason":"Service"'),
  deniedByTarget: (text) =>
    text
      .replace(/"responseCode":\d+/, '"responseCode":403')
      .replace(/"authDeniedReason":"[^"]*"/, '"authDeniedReason":"-"'),
  queryString: (text) => text.replace(/"requestPath":"([^"]*)"/, '"requestPath":"$1?page=2#top"'),
  percentPath: (text) =>
    text.replace(/"requestPath":"([^"]*)"/, '"requestPath":"/caf%C3%A9/12345/%7Bid%7D"'),
  uuidPath: (text) =>
    text.replace(
      /"requestPath":"([^"]*)"/,
      '"requestPath":"/orders/0F8FAD5B-D9CB-469F-A165-70867728950E/items/"',
    ),
  nonAsciiAgent: (text) => text.replace(/"userAgent":"[^"]*"/, '"userAgent":"Zoë’s client ☃ 🚀"'),
  nonAsciiPath: (text) => text.replace(/"requestPath":"([^"]*)"/, '"requestPath":"/café/ü/1"'),
  millisTime: (text) => text.replace(/"startTime":"([^"Z]*)Z"/, '"startTime":"$1.999Z"'),
  offsetTime: (text) => text.replace(/"startTime":"([^"Z]*)Z"/, '"startTime":"$1+00:00"'),
  invalidDate: (text) => text.replace(/"startTime":"\d{4}-\d\d/, '"startTime":"2026-13'),
  leapSecond: (text) => text.replace(/"startTime":"([^"]{17})\d\dZ"/, '"startTime":"$160Z"'),
  replayed: (text) =>
    `${text.slice(0, -1)},"latticeLens":{"serviceId":"stale","isAuthDenied":true}}`,
  replayedFirst: (text) => `{"latticeLens":{"serviceId":"stale"},${text.slice(1)}`,
  unknownNested: (text) => `${text.slice(0, -1)},"newAwsField":{"a":{"b":[1,{"c":null}]}}}`,
  unknownScalar: (text) => `${text.slice(0, -1)},"z":1e400,"y":-0.0,"x":"\\ud83d\\ude80"}`,
  wrongType: (text) => text.replace(/"bytesSent":\d+/, '"bytesSent":"many"'),
  missingServiceArn: (text) => text.replace(/"serviceArn":"[^"]*",?/, ''),
  notLattice: (text) => text.replace(/"serviceArn":"[^"]*"/, '"serviceArn":"arn:aws:s3:::bucket"'),
  lowerMethod: (text) => text.replace(/"requestMethod":"[A-Z]+"/, '"requestMethod":"get"'),
  dashMethod: (text) => text.replace(/"requestMethod":"[A-Z]+"/, '"requestMethod":"-"'),
  truncated: (text) => text.slice(0, Math.floor(text.length / 2)),
  cutBrace: (text) => text.slice(0, -1),
  twoEntries: (text) => `${text}\n${text}`,
  array: (text) => `[${text}]`,
  resource: () => RESOURCE_ENTRY,
  resourceWithResourcePort: () =>
    RESOURCE_ENTRY.replace(
      '"destinationIpPort":"10.0.0.5:5432"',
      '"resourceIpPort":"[fd00::1]:6379"',
    ),
  resourceUnsigned: () => RESOURCE_ENTRY.replace(/"sourceVpcArn":"[^"]*"/, '"sourceVpcArn":"-"'),
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

/** A record's data: text (UTF-8), text behind a byte order mark, or base64 that is not canonical. */
type Encoding = 'utf8' | 'bom' | 'strayBits';

function recordOf(
  text: string,
  encoding: Encoding,
  index: number,
): FirehoseTransformationEventRecord {
  const recordId = `49655293839417205123409847519876216403${String(index).padStart(18, '0')}`;
  if (encoding === 'bom') {
    return recordOfBytes(
      recordId,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    );
  }
  const record = recordOfText(recordId, text);
  if (encoding === 'strayBits' && record.data.endsWith('=')) {
    // Padded base64 whose unused low bits are set: still valid base64, decoding to the same bytes.
    const at = record.data.indexOf('=') - 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const value = alphabet.indexOf(record.data.charAt(at)) | 1;
    record.data = `${record.data.slice(0, at)}${alphabet.charAt(value)}${record.data.slice(at + 1)}`;
  }
  return record;
}

const recordSpec = fc.record({
  entry: fc.integer({ min: 0, max: GENERATED.length - 1 }),
  mutation: fc.oneof(
    { weight: 3, arbitrary: fc.constant('none') },
    { weight: 7, arbitrary: fc.constantFrom(...MUTATION_NAMES) },
  ),
  encoding: fc.oneof(
    { weight: 8, arbitrary: fc.constant<Encoding>('utf8') },
    { weight: 1, arbitrary: fc.constantFrom<Encoding>('bom', 'strayBits') },
  ),
});

function batchOf(specs: { entry: number; mutation: string; encoding: Encoding }[]) {
  return specs.map(({ entry, mutation, encoding }, index) => {
    const mutate = MUTATIONS[mutation] as (text: string) => string;
    return recordOf(mutate(GENERATED[entry] as string), encoding, index);
  });
}

function expectSameAnswer(records: FirehoseTransformationEventRecord[], maxResponseBytes?: number) {
  const budget = maxResponseBytes === undefined ? {} : { maxResponseBytes };
  const fast = transformRecords(records, budget);
  const reference = transformRecords(records, { ...budget, fastPath: false });
  // Byte for byte: same results, same data strings, same partition keys, in the same order.
  expect(fast.records).toEqual(reference.records);
  expect(fast.failures).toEqual(reference.failures);
  expect(fast.counts).toEqual(reference.counts);
  expect(fast.plainRecords).toBe(reference.plainRecords);
  // And as JSON: each Ok line parses to the same object (original members plus latticeLens).
  fast.records.forEach((record, i) => {
    if (record.result !== 'Ok') return;
    const decode = (data: string | undefined) =>
      JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8')) as unknown;
    expect(decode(record.data)).toEqual(decode(reference.records[i]?.data));
  });
  return fast;
}

describe('the transform fast path', () => {
  it('reads generated entries once it has learned their layout from an accepted one', () => {
    const enricher = new FastEnricher();
    expect(enricher.enrich(GENERATED[0] as string)).toBeUndefined();
    enricher.learn(GENERATED[0] as string);
    const read = GENERATED.filter((text) => enricher.enrich(text) !== undefined).length;
    expect(read).toBe(GENERATED.length);
  });

  it('leaves an entry that already carries derived fields to the strict path', () => {
    const enricher = new FastEnricher();
    const replayed = MUTATIONS.replayed as (text: string) => string;
    // Offered a replayed entry, it learns no layout with the latticeLens key.
    enricher.learn(replayed(GENERATED[0] as string));
    expect(enricher.enrich(replayed(GENERATED[1] as string))).toBeUndefined();
    enricher.learn(GENERATED[0] as string);
    expect(enricher.enrich(GENERATED[1] as string)).toBeDefined();
    expect(enricher.enrich(replayed(GENERATED[1] as string))).toBeUndefined();
  });
});

describe('the transform fast path, against the reference path', () => {
  it('answers the same for generated entries, unchanged, in one batch', () => {
    const fast = expectSameAnswer(GENERATED.map((text, i) => recordOfText(`r${i}`, text)));
    expect(fast.failures).toEqual([]);
  });

  for (const name of MUTATION_NAMES) {
    it(`answers the same for an entry changed by ${name}, before and after the layout is learned`, () => {
      const mutate = MUTATIONS[name] as (text: string) => string;
      const texts = [
        mutate(GENERATED[0] as string),
        GENERATED[1] as string,
        mutate(GENERATED[2] as string),
        mutate(GENERATED[3] as string),
      ];
      expectSameAnswer(texts.map((text, i) => recordOf(text, 'utf8', i)));
      expectSameAnswer(texts.map((text, i) => recordOf(text, 'bom', i)));
      expectSameAnswer(texts.map((text, i) => recordOf(text, 'strayBits', i)));
    });
  }

  it('answers the same for any batch of generated and mutated entries', () => {
    fc.assert(
      fc.property(fc.array(recordSpec, { maxLength: 40 }), (specs) => {
        expectSameAnswer(batchOf(specs));
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('answers the same when the response budget forces plain and failed records', () => {
    fc.assert(
      fc.property(
        fc.array(recordSpec, { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        (specs, share) => {
          const records = batchOf(specs);
          const full = JSON.stringify({ records: transformRecords(records).records }).length;
          expectSameAnswer(records, Math.floor(full * share));
        },
      ),
      { numRuns: fuzzRuns(100) },
    );
  });
});
