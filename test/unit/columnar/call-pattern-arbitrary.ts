// fast-check generator of valid CallPatterns for the summary encode/decode properties.
import fc from 'fast-check';
import type { CallerKind } from '../../../shared/identity/types.ts';
import type { CallPattern } from '../../../shared/patterns/types.ts';
import { counterArbitraries } from '../patterns/pattern-field-arbitraries.ts';

// Any code point except lone surrogates, which UTF-8 (and so Parquet) cannot hold.
const text = fc.string({ unit: 'binary', maxLength: 24 });
const counter = fc.oneof(
  fc.nat({ max: 1000 }),
  fc.maxSafeNat(),
  fc.constant(Number.MAX_SAFE_INTEGER),
);
const texts = fc.array(text, { maxLength: 4 });
const callerKinds: CallerKind[] = ['role', 'user', 'root', 'principal', 'anonymous'];

export const callPatternArbitrary: fc.Arbitrary<CallPattern> = fc
  .record({
    recordKind: fc.constantFrom<CallPattern['recordKind']>('service', 'resource'),
    serviceNetworkArn: text,
    serviceArn: text,
    callerPrincipal: text,
    callerKind: fc.constantFrom(...callerKinds),
    callerAccount: text,
    callerX509SubjectCN: text,
    requestMethod: text,
    pathTemplate: text,
    sourceVpcId: text,
    ...counterArbitraries(counter),
    firstSeen: fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2099, 11, 31) }),
    lastSeenAfterMs: fc.nat({ max: 3_600_000 }),
    examplePaths: texts,
    sessionNames: texts,
  })
  .map(({ lastSeenAfterMs, ...fields }) => ({
    ...fields,
    hour: new Date(fields.firstSeen).toISOString().slice(0, 13),
    lastSeen: fields.firstSeen + lastSeenAfterMs,
  }));
