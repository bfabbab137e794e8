import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesWildcard, withoutCoveredPatterns } from '../../../shared/policy/wildcard.ts';

describe('matchesWildcard', () => {
  it.each([
    ['/api/*', '/api/v1/orders', true],
    ['/api/*', '/api', false],
    ['/api/*/items', '/api/c1/x/items', true],
    ['/api/?1', '/api/v1', true],
    ['/api/?1', '/api/v10', false],
    ['*', '', true],
    ['', '', true],
    ['/a', '/A', false],
    ['/a*b*c', '/axxbyyc', true],
    ['/a*b*c', '/axxbyy', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(matchesWildcard(pattern, value)).toBe(expected);
  });

  it('matches every string against itself when it has no wildcard', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[*?]/.test(s)),
        (s) => {
          expect(matchesWildcard(s, s)).toBe(true);
        },
      ),
    );
  });

  it('agrees with an anchored regular expression', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*', '?');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 8 }).map((c) => c.join('')),
        fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 10 }).map((c) => c.join('')),
        (pattern, value) => {
          const regex = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
          expect(matchesWildcard(pattern, value)).toBe(regex.test(value));
        },
      ),
    );
  });
});

describe('withoutCoveredPatterns', () => {
  it('drops patterns another one covers and keeps one of two equal patterns', () => {
    expect(withoutCoveredPatterns(['/a/*', '/a/b', '/c', '/a/*'])).toEqual(['/a/*', '/c']);
  });
});
