// Algebraic properties of path templating and learning, checked with fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePath,
  learnPathTemplates,
  pathTemplateToResourcePattern,
  requestPathOf,
  templatePath,
} from '../../../shared/paths/index.ts';
import { matchesWildcard } from '../../../shared/policy/wildcard.ts';

// Paths built from the pieces that stress templating: escapes (valid, invalid, partial UTF-8),
// dots, slashes, braces, placeholders, query and fragment marks, and value-like segments.
const pathPiece = fc.oneof(
  fc.constantFrom(
    '/',
    '//',
    '.',
    '..',
    '%',
    '%2',
    '%25',
    '%2F',
    '%2f',
    '%2E',
    '%3F',
    '%23',
    '%7B',
    '%7D',
    '%C3',
    '%A9',
    '%C3%A9',
    '%E2%82%AC',
    '%F0%9F%98%80',
    '%FF',
    '%ED%A0%80',
    '%00',
    '?',
    '#',
    '{',
    '}',
    '{id}',
    '{var}',
    '{x}',
    '*',
    ' ',
    'é',
    '@',
    'a',
    'v1',
    '42',
    'deadbeef01',
    '2026-11-20',
    'alice@example.com',
    '3f2a1b4c-9d8e-4f7a-b6c5-d4e3f2a1b0c9',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    'V1StGXR8_Z5jdHi6B-myT',
    'http://h',
  ),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const rawPath = fc.array(pathPiece, { maxLength: 14 }).map((pieces) => pieces.join(''));

describe('templatePath properties', () => {
  it('is deterministic: no state carries over from one path to the next', () => {
    fc.assert(
      fc.property(fc.array(rawPath, { maxLength: 10 }), (paths) => {
        const forward = paths.map((path) => templatePath(path));
        const backward = [...paths].reverse().map((path) => templatePath(path));
        expect(backward.reverse()).toEqual(forward);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(rawPath, (path) => {
        const template = templatePath(path);
        expect(templatePath(template)).toBe(template);
      }),
      { numRuns: 2000 },
    );
  });

  it('always starts with / and never holds ? or #', () => {
    fc.assert(
      fc.property(rawPath, (path) => {
        const template = templatePath(path);
        expect(template.startsWith('/')).toBe(true);
        expect(template).not.toMatch(/[?#]/);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds only well-formed, upper-case escapes', () => {
    fc.assert(
      fc.property(rawPath, (path) => {
        expect(templatePath(path)).not.toMatch(/%(?![0-9A-F]{2})/);
      }),
      { numRuns: 2000 },
    );
  });

  // The property the policy generator relies on: the resource granted for a template matches
  // every request path it stands for, whether Lattice compares the path as sent or decoded.
  it('gives a resource pattern that matches the path part it came from, as sent and decoded', () => {
    fc.assert(
      fc.property(rawPath, (path) => {
        const part = requestPathOf(path);
        const sent = part.startsWith('/') ? part : `/${part}`;
        const pattern = pathTemplateToResourcePattern(templatePath(path));
        expect(matchesWildcard(pattern, sent), `${pattern} vs ${sent}`).toBe(true);
        expect(matchesWildcard(pattern, decodePath(sent)), `${pattern} vs decoded`).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('gives resource patterns without ?', () => {
    fc.assert(
      fc.property(rawPath, (path) => {
        expect(pathTemplateToResourcePattern(templatePath(path))).not.toContain('?');
      }),
    );
  });
});

const observedTemplates = fc.array(
  fc.record({
    template: fc
      .array(fc.constantFrom('users', 'orders', 'a', 'b', 'c', '{id}', 'x1', 'x2'), {
        minLength: 0,
        maxLength: 3,
      })
      .map((segments) => `/${segments.join('/')}`),
    requests: fc.integer({ min: 0, max: 50 }),
  }),
  { maxLength: 60 },
);

describe('learnPathTemplates properties', () => {
  it('does not depend on input order', () => {
    fc.assert(
      fc.property(
        observedTemplates,
        fc.integer({ min: 2, max: 4 }),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        (observed, minDistinct, maxShare) => {
          const options = { minDistinct, maxShare };
          const forward = learnPathTemplates(observed, options);
          const backward = learnPathTemplates([...observed].reverse(), options);
          const shuffled = learnPathTemplates(
            [...observed].sort((x, y) => x.requests - y.requests),
            options,
          );
          expect([...backward]).toEqual([...forward]);
          expect([...shuffled]).toEqual([...forward]);
        },
      ),
    );
  });

  it('maps every input template, and only those', () => {
    fc.assert(
      fc.property(observedTemplates, (observed) => {
        const learned = learnPathTemplates(observed, { minDistinct: 2 });
        expect(new Set(learned.keys())).toEqual(new Set(observed.map((o) => o.template)));
      }),
    );
  });

  it('changes only whole segments into {var}: the trailing slash and empty segments stay', () => {
    const shaped = fc.array(
      fc.record({
        template: fc
          .array(fc.constantFrom('users', 'a', 'b', 'c', '', '{id}', 'x1', 'x2'), {
            minLength: 1,
            maxLength: 4,
          })
          .map((segments) => `/${segments.join('/')}`),
        requests: fc.integer({ min: 0, max: 50 }),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(shaped, (observed) => {
        for (const [template, learned] of learnPathTemplates(observed, { minDistinct: 2 })) {
          const before = template.split('/');
          const after = learned.split('/');
          expect(after.length).toBe(before.length);
          after.forEach((segment, i) => {
            if (segment !== before[i]) expect(segment).toBe('{var}');
            if (before[i] === '') expect(segment).toBe('');
          });
        }
      }),
    );
  });

  it('keeps a small fixed set literal', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { minLength: 1, maxLength: 19 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 19, maxLength: 19 }),
        (names, requests) => {
          const observed = names.map((name, i) => ({
            template: `/api/${name}/orders`,
            requests: requests[i] ?? 1,
          }));
          for (const [template, learned] of learnPathTemplates(observed)) {
            expect(learned).toBe(template);
          }
        },
      ),
    );
  });

  it('generalizes a large set of rare values', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{2,9}$/), {
          minLength: 40,
          maxLength: 200,
        }),
        (names) => {
          const observed = names.map((name, i) => ({
            template: `/users/${name}/orders`,
            requests: 1 + (i % 2),
          }));
          const total = observed.reduce((sum, o) => sum + o.requests, 0);
          // Every value is rare: none above the default maxShare (5%) of the requests.
          fc.pre(Math.max(...observed.map((o) => o.requests)) <= 0.05 * total);
          for (const learned of learnPathTemplates(observed).values()) {
            expect(learned).toBe('/users/{var}/orders');
          }
        },
      ),
    );
  });
});
