import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CallPattern,
  MAX_EXAMPLES,
  mergePatternLists,
  mergePatterns,
  rekeyPatterns,
} from '../../../shared/patterns/index.ts';
import { counterArbitraries, exampleListArbitrary } from './pattern-field-arbitraries.ts';

const KEY = {
  hour: '2026-11-20T10',
  recordKind: 'service',
  serviceNetworkArn:
    'arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0a1b2c3d4e5f60718',
  serviceArn: 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0',
  callerPrincipal: 'arn:aws:iam::111122223333:role/order-service-role',
  callerKind: 'role',
  callerAccount: '111122223333',
  callerX509SubjectCN: '',
  requestMethod: 'GET',
  pathTemplate: '/api/v1/orders/{id}',
  sourceVpcId: 'vpc-0123',
} as const;

const count = fc.nat({ max: 1_000_000 });
const sortedDistinct = exampleListArbitrary(6);

/** Patterns of one key with arbitrary counters, as aggregation produces them. */
const pattern: fc.Arbitrary<CallPattern> = fc
  .record({
    ...counterArbitraries(count),
    firstSeen: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
    span: fc.nat({ max: 86_400_000 }),
    examplePaths: sortedDistinct,
    sessionNames: sortedDistinct,
  })
  .map(({ span, ...counters }) => ({ ...KEY, ...counters, lastSeen: counters.firstSeen + span }));

describe('mergePatterns', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        expect(mergePatterns(a, b)).toEqual(mergePatterns(b, a));
      }),
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(pattern, pattern, pattern, (a, b, c) => {
        expect(mergePatterns(mergePatterns(a, b), c)).toEqual(
          mergePatterns(a, mergePatterns(b, c)),
        );
      }),
    );
  });

  it('adds counters, keeps the extreme times and the maximum duration', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const merged = mergePatterns(a, b);
        expect(merged.requests).toBe(a.requests + b.requests);
        expect(merged.authDenied).toBe(a.authDenied + b.authDenied);
        expect(merged.bytesSent).toBe(a.bytesSent + b.bytesSent);
        expect(merged.firstSeen).toBe(Math.min(a.firstSeen, b.firstSeen));
        expect(merged.lastSeen).toBe(Math.max(a.lastSeen, b.lastSeen));
        expect(merged.durationMaxMs).toBe(Math.max(a.durationMaxMs, b.durationMaxMs));
      }),
    );
  });

  it('keeps at most a few examples, the smallest distinct ones', () => {
    const a = { ...KEY, ...zeroCounters(), examplePaths: ['/b', '/d'] };
    const b = { ...KEY, ...zeroCounters(), examplePaths: ['/a', '/b', '/c'] };
    expect(mergePatterns(a, b).examplePaths).toEqual(['/a', '/b', '/c']);
  });

  it('keeps the smallest distinct examples when one new example comes in', () => {
    const keptList = fc
      .uniqueArray(fc.constantFrom('/a', '/b', '/c', '/d', '/e', '/é', ''), {
        maxLength: MAX_EXAMPLES,
      })
      .map((values) => values.sort());
    fc.assert(
      fc.property(keptList, fc.constantFrom('/a', '/c', '/e', '/f', '', '/é'), (kept, value) => {
        const a = { ...KEY, ...zeroCounters(), examplePaths: kept };
        const b = { ...KEY, ...zeroCounters(), examplePaths: [value] };
        const expected = [...new Set([...kept, value])].sort().slice(0, MAX_EXAMPLES);
        expect(mergePatterns(a, b).examplePaths).toEqual(expected);
      }),
    );
  });
});

describe('mergePatternLists', () => {
  it('gives the same result whatever the grouping and order of the lists', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 12 }), fc.nat(), (patterns, cut) => {
        const at = patterns.length === 0 ? 0 : cut % patterns.length;
        const whole = mergePatternLists([patterns]);
        const split = mergePatternLists([patterns.slice(at), patterns.slice(0, at)]);
        expect(split).toEqual(whole);
      }),
    );
  });

  it('keeps patterns with different keys apart', () => {
    const a = { ...KEY, ...zeroCounters(), requests: 1 };
    const b = { ...a, requestMethod: 'POST' };
    const c = { ...a, hour: '2026-11-20T11' };
    expect(mergePatternLists([[a, b, c, a]]).map((p) => p.requests)).toEqual([2, 1, 1]);
  });
});

describe('rekeyPatterns', () => {
  it('merges patterns whose keys become equal, e.g. dropping the hour for a window', () => {
    const a = { ...KEY, ...zeroCounters(), requests: 2 };
    const b = { ...a, hour: '2026-11-21T03', requests: 5 };
    const merged = rekeyPatterns([a, b], (key) => ({ ...key, hour: '' }));
    expect(merged).toHaveLength(1);
    expect(merged[0]?.requests).toBe(7);
  });
});

function zeroCounters() {
  return {
    requests: 0,
    status1xx: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    authDenied: 0,
    other4xx: 0,
    bytesReceived: 0,
    bytesSent: 0,
    durationSumMs: 0,
    durationMaxMs: 0,
    firstSeen: 1_763_632_800_000,
    lastSeen: 1_763_632_800_000,
    examplePaths: [] as string[],
    sessionNames: [] as string[],
  };
}
