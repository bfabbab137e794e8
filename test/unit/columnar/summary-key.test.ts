import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByHour, parseSummaryKey, summaryKey } from '../../../shared/columnar/index.ts';
import type { CallPattern } from '../../../shared/patterns/types.ts';
import { callPatternArbitrary } from './call-pattern-arbitrary.ts';

const hours = fc
  .integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2099, 11, 31, 23) })
  .map((ms) => new Date(ms).toISOString().slice(0, 13));
const safeNames = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/);

describe('summaryKey', () => {
  it('lays a summary out under its Hive-style (dt, hour) partition', () => {
    expect(summaryKey('2025-03-04T05', 'a1b2c3.d4')).toBe(
      'summaries/dt=2025-03-04/hour=05/a1b2c3.d4.parquet',
    );
  });

  it.each([
    ['a day without an hour', '2025-03-04'],
    ['an hour 24', '2025-03-04T24'],
    ['a day that does not exist', '2025-02-30T01'],
    ['a single-digit hour', '2025-03-04T5'],
    ['minutes', '2025-03-04T05:00'],
    ['a space instead of T', '2025-03-04 05'],
    ['the empty string', ''],
  ])('rejects %s as the hour', (_, hour) => {
    expect(() => summaryKey(hour, 'name')).toThrow(/is not a UTC hour YYYY-MM-DDTHH/);
  });

  it.each([
    ['a path separator', 'a/b'],
    ['a parent reference', '..'],
    ['a leading dot, which Athena would skip', '.hidden'],
    ['a leading underscore, which Athena would skip', '_SUCCESS'],
    ['a space', 'a b'],
    ['a non-ASCII letter', 'naïve'],
    ['the empty string', ''],
    ['more than 200 characters', 'a'.repeat(201)],
  ])('rejects a name with %s', (_, name) => {
    expect(() => summaryKey('2025-03-04T05', name)).toThrow(/is not a safe file name/);
  });
});

describe('parseSummaryKey', () => {
  it('reads back the parts of any key summaryKey makes', () => {
    fc.assert(
      fc.property(hours, safeNames, (hour, name) => {
        expect(parseSummaryKey(summaryKey(hour, name))).toEqual({
          dt: hour.slice(0, 10),
          hour,
          name,
        });
      }),
    );
  });

  it.each([
    ['a log object key', 'logs/service=svc-1/dt=2025-03-04/hour=05/part-1.gz'],
    ['another extension', 'summaries/dt=2025-03-04/hour=05/a.json'],
    ['a prefix before summaries/', 'out/summaries/dt=2025-03-04/hour=05/a.parquet'],
    ['a nested folder', 'summaries/dt=2025-03-04/hour=05/x/a.parquet'],
    ['an impossible date', 'summaries/dt=2025-13-01/hour=05/a.parquet'],
    ['an impossible hour', 'summaries/dt=2025-03-04/hour=25/a.parquet'],
    ['a hidden file', 'summaries/dt=2025-03-04/hour=05/.a.parquet'],
    ['no name', 'summaries/dt=2025-03-04/hour=05/.parquet'],
  ])('returns undefined for %s', (_, key) => {
    expect(parseSummaryKey(key)).toBeUndefined();
  });
});

describe('groupByHour', () => {
  it('groups patterns by hour, hours ascending, input order kept within an hour', () => {
    fc.assert(
      fc.property(fc.array(callPatternArbitrary, { maxLength: 30 }), (patterns) => {
        const groups = groupByHour(patterns);
        const hoursInOrder = [...groups.keys()];
        expect(hoursInOrder).toEqual([...new Set(patterns.map((p) => p.hour))].sort());
        for (const [hour, group] of groups) {
          expect(group).toEqual(patterns.filter((p: CallPattern) => p.hour === hour));
        }
      }),
    );
  });
});
