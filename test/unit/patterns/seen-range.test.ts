// Specification of seenRange: the first and last time over any number of patterns.
import { describe, expect, it } from 'vitest';
import { seenRange } from '../../../shared/patterns/seen-range.ts';

describe('seenRange', () => {
  it('takes the earliest firstSeen and the latest lastSeen', () => {
    expect(
      seenRange([
        { firstSeen: 30, lastSeen: 40 },
        { firstSeen: 10, lastSeen: 20 },
        { firstSeen: 25, lastSeen: 50 },
      ]),
    ).toEqual({ first: 10, last: 50 });
  });

  it('is empty (+Infinity, -Infinity) for no items', () => {
    expect(seenRange([])).toEqual({
      first: Number.POSITIVE_INFINITY,
      last: Number.NEGATIVE_INFINITY,
    });
  });

  it('handles more items than a spread into Math.min could pass as arguments', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => ({ firstSeen: i, lastSeen: i + 1 }));
    expect(seenRange(many)).toEqual({ first: 0, last: 500_000 });
    expect(() => Math.min(...many.map((p) => p.firstSeen))).toThrow(RangeError);
  });
});
