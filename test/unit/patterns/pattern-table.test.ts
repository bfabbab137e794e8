// PatternSet (over CallPatternTable) against the plainest accumulator: patterns keyed by the joined
// key string, merged with mergeInto and sorted with sortPatterns. Same patterns, same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CallPattern,
  type CallPatternKey,
  mergePatternLists,
  PatternSet,
  rekeyPatterns,
} from '../../../shared/patterns/index.ts';
import { detachString } from '../../../shared/patterns/retained-strings.ts';
import { callPatternArbitrary } from '../columnar/call-pattern-arbitrary.ts';
import { referencePatternSet } from '../fuzz/reference-aggregation.ts';

// Few distinct key values, so that many patterns share a key and merge.
const few = (...values: string[]) => fc.constantFrom(...values);
const collidingPattern: fc.Arbitrary<CallPattern> = fc
  .tuple(
    callPatternArbitrary,
    few('svc-a', 'svc-b', ''),
    few('arn:aws:iam::1:role/a', 'anonymous', 'arn:aws:iam::1:role/a\u0001'),
    few('/a/{id}', '/a', '/a/', '/b'),
    few('GET', 'POST'),
  )
  .map(([pattern, serviceArn, callerPrincipal, pathTemplate, requestMethod]) => ({
    ...pattern,
    hour: '2026-11-20T10',
    firstSeen: Date.UTC(2026, 10, 20, 10),
    lastSeen: Date.UTC(2026, 10, 20, 10, 30),
    recordKind: 'service',
    serviceNetworkArn: '',
    serviceArn,
    callerPrincipal,
    callerKind: 'role',
    callerAccount: '1',
    callerX509SubjectCN: '',
    requestMethod,
    pathTemplate,
    sourceVpcId: 'vpc-1',
  }));

function reference(patterns: readonly CallPattern[]): CallPattern[] {
  const set = referencePatternSet();
  for (const pattern of patterns) set.add(pattern);
  return set.toArray();
}

describe('PatternSet', () => {
  it('merges and orders patterns as the joined-key reference does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(collidingPattern, callPatternArbitrary), { maxLength: 40 }),
        (patterns) => {
          const set = new PatternSet();
          set.addAll(patterns);
          expect(set.toArray()).toEqual(reference(patterns));
          expect(set.size).toBe(reference(patterns).length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('orders as the reference with thousands of distinct key strings (sort keys of many words)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(collidingPattern, fc.nat({ max: 9999 }), fc.nat({ max: 9999 })), {
          minLength: 300,
          maxLength: 400,
        }),
        (drawn) => {
          const patterns = drawn.map(([pattern, path, vpc]) => ({
            ...pattern,
            pathTemplate: `/p/${path}`,
            sourceVpcId: `vpc-${vpc}`,
          }));
          const set = new PatternSet();
          set.addAll(patterns);
          expect(set.toArray()).toEqual(reference(patterns));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('never changes the patterns it is given', () => {
    fc.assert(
      fc.property(fc.array(collidingPattern, { maxLength: 10 }), (patterns) => {
        const before = structuredClone(patterns);
        mergePatternLists([patterns, patterns]);
        rekeyPatterns(patterns, (key) => ({ ...key, hour: '' }));
        expect(patterns).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });

  it('rekeys and merges as copying, re-keying and merging one by one does', () => {
    fc.assert(
      fc.property(fc.array(collidingPattern, { maxLength: 30 }), (patterns) => {
        const rekey = (key: CallPatternKey) => ({ ...key, pathTemplate: '/*', hour: '' });
        expect(rekeyPatterns(patterns, rekey)).toEqual(
          reference(patterns.map((pattern) => ({ ...pattern, ...rekey(pattern) }))),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('detachString', () => {
  it('gives back an equal string, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect(detachString(text)).toBe(text);
      }),
    );
    for (const text of ['', '__proto__', '123', '\ud800', 'x'.repeat(100_000)]) {
      expect(detachString(text)).toBe(text);
    }
  });
});
