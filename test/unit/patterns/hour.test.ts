// Specification of the hour patterns are keyed on: `YYYY-MM-DDTHH` in UTC, to and from epoch ms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, hourOf, hourStartMs } from '../../../shared/patterns/index.ts';

describe('hourOf', () => {
  it('names the UTC hour an instant falls in', () => {
    expect(hourOf(Date.parse('2026-11-01T07:59:59.999Z'))).toBe('2026-11-01T07');
    expect(hourOf(Date.parse('2026-11-01T08:00:00.000Z'))).toBe('2026-11-01T08');
  });
});

describe('hourStartMs', () => {
  it('is where the hour hourOf names starts, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const start = hourStartMs(hourOf(ms));
        expect(start).toBeLessThanOrEqual(ms);
        expect(ms - start).toBeLessThan(HOUR_MS);
        expect(start % HOUR_MS).toBe(0);
      }),
    );
  });

  it('is NaN for text Date.parse cannot read as an hour', () => {
    for (const text of ['', '2026-13-01T00', '2026-11-01T25', 'not an hour']) {
      expect(hourStartMs(text), text).toBeNaN();
    }
  });
});
