import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CallPattern,
  CallPatternTable,
  mergePatternLists,
  mergeSortedPatterns,
  packPatterns,
  unpackPatterns,
} from '../../../shared/patterns/index.ts';
import { counterArbitraries, exampleListArbitrary } from './pattern-field-arbitraries.ts';

// Few values per key field, so lists share keys; NUL and prefixes, where field-by-field order
// and the order of joined key strings could part.
const field = fc.constantFrom('', 'a', 'ab', 'a\u0000', 'a\u0000b', 'b', '\u00e9', '\u{1f600}');
const count = fc.nat({ max: 1_000_000 });
const sortedDistinct = exampleListArbitrary(4);

const pattern: fc.Arbitrary<CallPattern> = fc
  .record({
    hour: fc.constantFrom('2026-11-20T10', '2026-11-20T11'),
    recordKind: fc.constantFrom('service' as const, 'resource' as const),
    serviceNetworkArn: field,
    serviceArn: field,
    callerPrincipal: field,
    callerKind: fc.constantFrom('role' as const, 'anonymous' as const),
    callerAccount: field,
    callerX509SubjectCN: field,
    requestMethod: field,
    pathTemplate: field,
    sourceVpcId: field,
    ...counterArbitraries(count),
    firstSeen: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
    lastSeen: fc.integer({ min: 1_800_000_000_000, max: 1_900_000_000_000 }),
    examplePaths: sortedDistinct,
    sessionNames: sortedDistinct,
  })
  .map((p) => ({ ...p }));

/** A list as a thread's aggregation gives it: one pattern per key, sorted by key. */
const sortedList = fc.array(pattern, { maxLength: 30 }).map((list) => mergePatternLists([list]));

/** The same without NUL in any key string, as mergeSortedPatterns requires. */
const withoutNul = (p: CallPattern): CallPattern =>
  Object.fromEntries(
    Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? v.replaceAll('\u0000', '~') : v]),
  ) as unknown as CallPattern;
const sortedPlainList = fc
  .array(pattern.map(withoutNul), { maxLength: 30 })
  .map((list) => mergePatternLists([list]));

describe('CallPatternTable.addPacked', () => {
  it('gives what adding the patterns one by one gives, whatever was added before', () => {
    fc.assert(
      fc.property(sortedList, sortedList, (a, b) => {
        const table = new CallPatternTable();
        for (const p of a) table.add(p);
        table.addPacked(structuredClone(packPatterns(b)));
        expect(table.toArray()).toEqual(mergePatternLists([a, b]));
      }),
      { numRuns: 300 },
    );
  });

  it("takes another table's pack: the patterns of both, as if all were added to one", () => {
    fc.assert(
      fc.property(sortedList, sortedList, (a, b) => {
        const other = new CallPatternTable();
        for (const p of [...b].reverse()) other.add(p);
        const table = new CallPatternTable();
        for (const p of a) table.add(p);
        table.addPacked(structuredClone(other.packSorted()));
        expect(table.toArray()).toEqual(mergePatternLists([a, b]));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the packed patterns unchanged', () => {
    fc.assert(
      fc.property(sortedList, sortedList, (a, b) => {
        const packed = packPatterns(b);
        const before = structuredClone(packed);
        const table = new CallPatternTable();
        table.addPacked(packed);
        for (const p of a) table.add(p);
        expect(packed).toEqual(before);
      }),
    );
  });
});

describe('CallPatternTable.packSorted', () => {
  it('packs the patterns in key order, as toArray lists them', () => {
    fc.assert(
      fc.property(sortedList, (list) => {
        const table = new CallPatternTable();
        for (const p of [...list].reverse()) table.add(p);
        expect(unpackPatterns(structuredClone(table.packSorted()))).toEqual(table.toArray());
      }),
      { numRuns: 300 },
    );
  });
});

describe('mergeSortedPatterns', () => {
  it('merges two sorted lists as one table holding both would list them', () => {
    fc.assert(
      fc.property(sortedPlainList, sortedPlainList, (a, b) => {
        const expected = mergePatternLists([a, b]);
        expect(mergeSortedPatterns(structuredClone(a), b)).toEqual(expected);
        expect(mergeSortedPatterns(structuredClone(b), a)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the second list unchanged', () => {
    fc.assert(
      fc.property(sortedPlainList, sortedPlainList, (a, b) => {
        const before = structuredClone(b);
        mergeSortedPatterns(structuredClone(a), b);
        expect(b).toEqual(before);
      }),
    );
  });
});

describe('packPatterns', () => {
  it('unpacks to equal patterns, in order, with the fields in CallPattern order', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 20 }), (patterns) => {
        const unpacked = unpackPatterns(structuredClone(packPatterns(patterns)));
        expect(unpacked).toEqual(patterns);
        for (const [k, p] of unpacked.entries()) {
          expect(Object.keys(p)).toEqual(Object.keys(patterns[k] as CallPattern));
        }
      }),
    );
  });
});
