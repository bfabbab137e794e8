// fast-check generators of access-log lines: realistic records in any key order, their textual
// mutations (the inputs the fast parse path must hand to the strict parser), and hostile bytes.
import fc from 'fast-check';

/**
 * How many cases a fuzz or differential property runs. CI keeps the default (each suite well under
 * 20 s on 2 cores); FUZZ_RUNS_SCALE=10 (or more) makes a long local run.
 */
export function fuzzRuns(defaultRuns: number): number {
  const scale = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
  return Math.max(1, Math.round(defaultRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** One `"key":value` member of a JSON object, value already JSON text. */
export type Member = readonly [key: string, valueJson: string];

const json = (value: unknown) => JSON.stringify(value);
const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const ABSENT = ['"-"', '"null"', '""', 'null'];
const ACCOUNTS = ['111122223333', '444455556666', '000000000000'];

const timestamp = fc.oneof(
  {
    weight: 60,
    arbitrary: fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => json(`${d.toISOString().slice(0, 19)}Z`)),
  },
  {
    weight: 2,
    arbitrary: fc
      .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
      .map((d) => json(d.toISOString())),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        pick('Z', '.5Z', '.123Z', '.123456Z', '+00:00', '+01:00', '', 'z'),
      )
      .map(([y, mo, d, h, mi, s, tail]) => {
        const two = (n: number) => String(n).padStart(2, '0');
        return json(
          `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${tail}`,
        );
      }),
  },
  { weight: 1, arbitrary: pick(...ABSENT, '1763633730', '"2026-11-20 10:15:30"', '"yesterday"') },
);

const count = fc.oneof(
  { weight: 80, arbitrary: fc.nat({ max: 100_000 }).map(json) },
  { weight: 1, arbitrary: pick(...ABSENT) },
  {
    weight: 2,
    arbitrary: pick(
      '"42"',
      '"007"',
      '-1',
      '-0',
      '1.5',
      '1.0',
      '1e3',
      '1E+2',
      '9007199254740993',
      '999999999999999',
      '1000000000000000',
      '"1e3"',
      'true',
      '[]',
      '{}',
    ),
  },
);

const method = fc.oneof(
  {
    weight: 30,
    arbitrary: pick('"GET"', '"POST"', '"PUT"', '"DELETE"', '"PATCH"', '"get"', '"Post"'),
  },
  {
    weight: 1,
    arbitrary: pick('"-"', '"null"', '""', 'null', '"G ET"', '"GÉT"', '7', '"\\u0047ET"'),
  },
);

const pathSegment = fc.oneof(
  pick('api', 'v1', 'v2', 'orders', 'users', 'preferences', 'sku-10036', 'items', ''),
  fc.nat({ max: 99_999_999 }).map(String),
  fc.uuid(),
  pick(
    '.',
    '..',
    '%2e%2e',
    '{id}',
    '%7Bid%7D',
    'a%2Fb',
    'caf%C3%A9',
    '%ZZ',
    '%',
    'café',
    'jane.doe@example.com',
  ),
  pick('2026-11-20', 'dGhpcyBpcyBhIHRlc3Qgc3RyaW5n', 'deadbeef', '01ARZ3NDEKTSV4RRFFQ69G5FAV'),
  fc.string({ maxLength: 6 }).filter((s) => !s.includes('/')),
);

const requestPath = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .tuple(
        fc.array(pathSegment, { minLength: 0, maxLength: 5 }),
        pick('', '', '?x=1', '#frag', '?fields=summary&x=/a', '/'),
      )
      .map(([segments, tail]) => json(`/${segments.join('/')}${tail}`)),
  },
  { weight: 1, arbitrary: pick('"-"', '"orders/1"', '""', 'null', '"http://h/x"', '42') },
);

const responseCode = fc.oneof(
  { weight: 30, arbitrary: pick(200, 201, 204, 301, 400, 403, 403, 404, 500, 503, 101).map(json) },
  {
    weight: 1,
    arbitrary: pick(
      '"200"',
      '"403"',
      '99',
      '600',
      '200.0',
      '2e2',
      '"abc"',
      '-',
      '"-"',
      'null',
      '-200',
    ),
  },
);

const serviceArn = fc.oneof(
  {
    weight: 30,
    arbitrary: fc
      .tuple(
        pick('aws', 'aws-cn', 'aws-us-gov'),
        pick('us-east-1', 'eu-west-1'),
        pick(...ACCOUNTS),
        pick('0a1b2c3d4e5f60718', '0f23bbff8d9d088c6', '1'),
      )
      .map(([partition, region, account, id]) =>
        json(`arn:${partition}:vpc-lattice:${region}:${account}:service/svc-${id}`),
      ),
  },
  {
    weight: 1,
    arbitrary: pick(
      ...ABSENT,
      '"arn:aws:vpc-lattice:us-east-1:1234:service/svc-1"',
      '"svc-1"',
      '"arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0A"',
    ),
  },
);

const resourceConfigurationArn = fc.oneof(
  {
    weight: 30,
    arbitrary: pick(...ACCOUNTS).map((a) =>
      json(`arn:aws:vpc-lattice:us-east-1:${a}:resourceconfiguration/rcfg-0123456789abcdef0`),
    ),
  },
  { weight: 1, arbitrary: pick(...ABSENT, '"rcfg-1"') },
);

const sessionName = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{8,32}$/),
  pick('job-42', 'a', 'user@example.com', 'x=y,z', 'bad:colon', 'bad/slash', 'bad space', ''),
);

const callerPrincipal = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(pick(...ACCOUNTS), pick('order-service-role', 'reporting', 'bad role'), sessionName)
      .map(([a, r, s]) => json(`arn:aws:sts::${a}:assumed-role/${r}/${s}`)),
  },
  {
    weight: 2,
    arbitrary: pick(...ACCOUNTS).map((a) => json(`arn:aws:iam::${a}:role/service-role/checkout`)),
  },
  { weight: 1, arbitrary: pick(...ACCOUNTS).map((a) => json(`arn:aws:iam::${a}:user/alice`)) },
  { weight: 1, arbitrary: pick(...ACCOUNTS).map((a) => json(`arn:aws:iam::${a}:root`)) },
  { weight: 1, arbitrary: pick(...ACCOUNTS).map(json) },
  {
    weight: 2,
    arbitrary: pick(
      ...ABSENT,
      '"anonymous"',
      '"arn:aws:sts::111122223333:federated-user/bob"',
      '"arn:aws:sts::111122223333:assumed-role/r/"',
      '"ec2.amazonaws.com"',
      '12',
      '{}',
    ),
  },
);

const sourceVpcArn = fc.oneof(
  pick(...ACCOUNTS).map((a) => json(`arn:aws:ec2:us-east-1:${a}:vpc/vpc-0a13314c17f463072`)),
  pick(
    ...ABSENT,
    '"arn:aws:ec2:us-east-1:1:vpc/vpc-1"',
    '"vpc-1"',
    '"arn:aws:ec2:us-east-1:111122223333:subnet/s-1"',
  ),
);

const text = fc.oneof(
  { weight: 40, arbitrary: fc.string({ maxLength: 12 }).map(json) },
  { weight: 10, arbitrary: pick(...ABSENT) },
  {
    weight: 1,
    arbitrary: pick(
      '12',
      'true',
      '[]',
      '{"a":1}',
      '"tab\\there"',
      '"\\u00e9t\\u00e9"',
      '"\\ud800"',
    ),
  },
);

const anyJson = fc.oneof(
  text,
  count,
  pick(
    '{}',
    '[]',
    '{"a":"b","c":1}',
    '[1,"2",null]',
    '{"a":{"b":[{}]}}',
    '[[[[[]]]]]',
    '-1.5e-300',
    '1e400',
    'false',
  ),
);

/** Value generators of the fields the fast path reads or checks, by Lattice name. */
const SERVICE_VALUES: Record<string, fc.Arbitrary<string>> = {
  startTime: timestamp,
  duration: count,
  requestToTargetDuration: count,
  responseFromTargetDuration: count,
  requestMethod: method,
  requestPath,
  protocol: fc.oneof(pick('"HTTP/1.1"', '"HTTP/2"'), text),
  responseCode,
  grpcResponseCode: count,
  bytesReceived: count,
  bytesSent: count,
  userAgent: text,
  serverNameIndication: text,
  sourceIpPort: text,
  targetIpPort: text,
  sourceVpcId: fc.oneof(pick('"vpc-0a13314c17f463072"', '"vpc-0ab8df3c96a4f345f"'), text),
  sourceVpcArn,
  serviceNetworkArn: fc.oneof(
    pick(json('arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0a1b2c3d4e5f60718')),
    text,
  ),
  serviceArn,
  callerPrincipal,
  callerPrincipalTags: anyJson,
  callerX509SubjectCN: fc.oneof(pick('"-"', '"-"', '"device-17"'), text),
  callerX509IssuerOU: text,
  authDeniedReason: fc.oneof(pick('"-"', '"-"', '"Service"', '"Network"'), text),
  failureReason: text,
  requestId: fc.uuid().map(json),
};

const RESOURCE_VALUES: Record<string, fc.Arbitrary<string>> = {
  startTime: timestamp,
  endTime: fc.oneof(timestamp, text),
  serviceNetworkArn: SERVICE_VALUES.serviceNetworkArn as fc.Arbitrary<string>,
  sourceVpcArn,
  sourceVpcId: SERVICE_VALUES.sourceVpcId as fc.Arbitrary<string>,
  resourceConfigurationArn,
  protocol: fc.oneof(pick('"TCP"'), text),
  destinationIpPort: fc.oneof(pick('"10.0.0.1:5432"', '"[::1]:443"', '"10.0.0.1"'), text),
  resourceIpPort: fc.oneof(pick('"10.0.0.2:5432"'), text),
  sentBytes: count,
  receivedBytes: count,
};

const unknownKey = pick(
  'resolvedUser',
  'listenerId',
  'hostHeader',
  'newField2027',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '0',
  '12',
  'x-y_z',
);

/** The members of one record: a subset of the known fields (required ones most often) in random order. */
function recordMembers(
  values: Record<string, fc.Arbitrary<string>>,
  required: readonly string[],
): fc.Arbitrary<Member[]> {
  const keys = Object.keys(values);
  return fc
    .record({
      present: fc.subarray(keys, { minLength: 0 }),
      isComplete: fc.nat({ max: 9 }).map((n) => n < 8),
      extra: fc.array(fc.tuple(unknownKey, anyJson), { maxLength: 3 }),
      seed: fc.nat(),
    })
    .chain(({ present, isComplete, extra, seed }) => {
      const chosen = new Set(present);
      if (isComplete) for (const key of required) chosen.add(key);
      const ordered = [...chosen];
      // A deterministic shuffle from the seed, so fast-check can shrink the case.
      let s = seed;
      for (let i = ordered.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) >>> 0;
        const j = s % (i + 1);
        [ordered[i], ordered[j]] = [ordered[j] as string, ordered[i] as string];
      }
      return fc
        .tuple(
          ...ordered.map((key) =>
            (values[key] as fc.Arbitrary<string>).map((v): Member => [key, v]),
          ),
        )
        .map((members) => [...members, ...extra]);
    });
}

export const serviceMembers = recordMembers(SERVICE_VALUES, [
  'startTime',
  'serviceArn',
  'requestMethod',
  'requestPath',
  'responseCode',
]);
export const resourceMembers = recordMembers(RESOURCE_VALUES, [
  'startTime',
  'resourceConfigurationArn',
]);
export const recordMembersArbitrary = fc.oneof(
  { weight: 4, arbitrary: serviceMembers },
  { weight: 1, arbitrary: resourceMembers },
);

export function lineOf(members: readonly Member[]): string {
  return `{${members.map(([key, value]) => `${json(key)}:${value}`).join(',')}}`;
}

/** Textual changes to a line: each either keeps it valid JSON with other spellings, or breaks it. */
export type Mutation = (line: string, members: readonly Member[]) => string;

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>((line) => line),
  fc.constant<Mutation>((line) => line.replace(/":/, '": ')),
  fc.constant<Mutation>((line) => ` ${line}`),
  fc.constant<Mutation>((line) => `${line} `),
  fc.constant<Mutation>((line) => `\ufeff${line}`),
  fc.constant<Mutation>((line) => line.replace(/,/g, ' ,\t')),
  fc.nat().map(
    (n): Mutation =>
      (line) =>
        line.slice(0, n % (line.length + 1)),
  ),
  fc.nat().map(
    (n): Mutation =>
      (line, members) => {
        if (members.length === 0) return line;
        const [key, value] = members[n % members.length] as Member;
        return `${line.slice(0, -1)},${json(key)}:${value}}`;
      },
  ),
  fc.nat().map(
    (n): Mutation =>
      (line, members) => {
        if (members.length === 0) return line;
        const [key, value] = members[n % members.length] as Member;
        return line.replace(`${json(key)}:${value}`, `${json(key)}:"-",${json(key)}:${value}`);
      },
  ),
  fc.nat().map(
    (n): Mutation =>
      (line) => {
        // An escape for a plain character inside a string, e.g. "GET" → "\u0047ET".
        const quotes = [...line.matchAll(/"[A-Za-z]/g)];
        const at = quotes[n % Math.max(1, quotes.length)];
        if (at === undefined) return line;
        const i = at.index + 1;
        return `${line.slice(0, i)}\\u${line.charCodeAt(i).toString(16).padStart(4, '0')}${line.slice(i + 1)}`;
      },
  ),
  fc
    .tuple(
      fc.nat(),
      pick('\t', '\u0000', '\u001f', '\\', '"', '\u2028', '\ud800', 'é', '\r', '\u007f'),
    )
    .map(
      ([n, char]): Mutation =>
        (line) => {
          const i = n % (line.length + 1);
          return `${line.slice(0, i)}${char}${line.slice(i)}`;
        },
    ),
  fc.nat().map(
    (n): Mutation =>
      (line) => {
        const i = n % Math.max(1, line.length);
        return `${line.slice(0, i)}${line.slice(i + 1)}`;
      },
  ),
  fc.constant<Mutation>((line) => line.replace(/:(\d+)([,}])/, ':"$1"$2')),
  fc.constant<Mutation>((line) => line.replace(/:(\d+)([,}])/, ':$1.0$2')),
  fc.constant<Mutation>((line) => line.replace(/"-"/, 'null')),
  fc.constant<Mutation>((line) => line.replace(/\//, '\\/')),
  fc.constant<Mutation>((line) => `[${line}]`),
  fc.constant<Mutation>((line) => `${line}${line}`),
);

/** A line: a generated record, sometimes mutated. */
export const accessLogLine: fc.Arbitrary<{ members: Member[]; clean: string; line: string }> = fc
  .tuple(recordMembersArbitrary, fc.array(mutations, { maxLength: 2 }), fc.boolean())
  .map(([members, changes, isMutated]) => {
    const clean = lineOf(members);
    const line = isMutated ? changes.reduce((text, change) => change(text, members), clean) : clean;
    return { members, clean, line: line.replace(/\n/g, '') };
  });

/** Bytes nobody should send, but someone will. */
export const hostileLine: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.json({ maxDepth: 4 }),
    fc.nat({ max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.nat({ max: 3000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
    fc.constantFrom(
      '{"__proto__":{"polluted":true},"startTime":"2026-11-20T10:15:30Z"}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"__proto__":null}',
      '{"responseCode":1e999}',
      '{"duration":-1e-999}',
      '{"bytesSent":123456789012345678901234567890}',
      'null',
      'true',
      '"string"',
      '[]',
      '{',
      '}',
      '{"a":"\\ud800"}',
    ),
    fc.nat({ max: 200_000 }).map((n) => `{"requestPath":"/${'a'.repeat(n)}"}`),
  )
  .map((line) => line.replace(/\n/g, ' '));

/** Random bytes, sometimes mostly printable, sometimes invalid UTF-8. */
export const hostileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc
    .array(
      fc.constantFrom(
        0x7b,
        0x7d,
        0x22,
        0x3a,
        0x2c,
        0x5c,
        0x0a,
        0x0d,
        0x61,
        0x31,
        0xc3,
        0xa9,
        0xff,
        0xfe,
        0xef,
        0xbb,
        0xbf,
        0x1f,
        0x8b,
      ),
      { maxLength: 600 },
    )
    .map((bytes) => Uint8Array.from(bytes)),
);
