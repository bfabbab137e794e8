// Specification of learning value segments from traffic within one service.
import { describe, expect, it } from 'vitest';
import { learnPathTemplates, type ObservedPathTemplate } from '../../../shared/paths/index.ts';

const NAMES = Array.from(
  { length: 300 },
  (_, i) => `user${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}x`,
);

function users(count: number, suffix: string, requests = 3): ObservedPathTemplate[] {
  return NAMES.slice(0, count).map((name) => ({ template: `/users/${name}${suffix}`, requests }));
}

describe('learnPathTemplates', () => {
  it('generalizes many rare values before the same suffix', () => {
    const learned = learnPathTemplates(users(300, '/orders'));
    expect(learned.size).toBe(300);
    expect(new Set(learned.values())).toEqual(new Set(['/users/{var}/orders']));
  });

  it('generalizes the values across suffixes of the same shape, then keeps distinct suffixes', () => {
    const learned = learnPathTemplates([
      ...users(150, '/orders'),
      ...users(150, '/profile'),
      ...users(150, '/orders/{id}'),
    ]);
    expect(new Set(learned.values())).toEqual(
      new Set(['/users/{var}/orders', '/users/{var}/profile', '/users/{var}/orders/{id}']),
    );
  });

  it('keeps a small fixed set of routes literal', () => {
    const learned = learnPathTemplates([
      { template: '/api/v1/orders', requests: 5000 },
      { template: '/api/v2/orders', requests: 7000 },
      { template: '/api/v1/health', requests: 100 },
    ]);
    expect([...learned]).toEqual([
      ['/api/v1/health', '/api/v1/health'],
      ['/api/v1/orders', '/api/v1/orders'],
      ['/api/v2/orders', '/api/v2/orders'],
    ]);
  });

  it('keeps values literal when fewer than minDistinct follow a prefix', () => {
    const learned = learnPathTemplates(users(19, '/orders'));
    for (const [template, generalized] of learned) expect(generalized).toBe(template);
  });

  it('keeps a value that carries more than maxShare of the requests literal, and generalizes the rare rest', () => {
    const observed = users(30, '/orders', 1);
    observed.push({ template: '/users/admin/orders', requests: 100 });
    const learned = learnPathTemplates(observed);
    expect(learned.get('/users/admin/orders')).toBe('/users/admin/orders');
    expect(learned.get(observed[0]?.template ?? '')).toBe('/users/{var}/orders');
  });

  it('keeps values literal when fewer than minDistinct rare ones remain beside busy routes', () => {
    const observed = users(19, '/orders', 1);
    observed.push({ template: '/users/admin/orders', requests: 100 });
    const learned = learnPathTemplates(observed);
    for (const [template, generalized] of learned) expect(generalized).toBe(template);
  });

  it('honours minDistinct and maxShare options', () => {
    const observed = users(5, '/orders');
    expect(
      learnPathTemplates(observed, { minDistinct: 5, maxShare: 0.2 }).get(
        observed[0]?.template ?? '',
      ),
    ).toBe('/users/{var}/orders');
    expect(
      learnPathTemplates(observed, { minDistinct: 5, maxShare: 0.1 }).get(
        observed[0]?.template ?? '',
      ),
    ).toBe(observed[0]?.template);
  });

  it('generalizes successive positions, each under the prefix generalized so far', () => {
    const observed = NAMES.slice(0, 40).flatMap((user, u) =>
      NAMES.slice(100, 130).map((file, f) => ({
        template: `/files/${user}/${file}.pdf`,
        requests: 1 + ((u + f) % 3),
      })),
    );
    const learned = learnPathTemplates(observed);
    expect(new Set(learned.values())).toEqual(new Set(['/files/{var}/{var}']));
  });

  it('does not count placeholders as distinct values', () => {
    const learned = learnPathTemplates([
      { template: '/orders/{id}', requests: 1000 },
      { template: '/orders/pending', requests: 10 },
    ]);
    expect(learned.get('/orders/pending')).toBe('/orders/pending');
  });

  it('compares templates of the same segment count only', () => {
    const observed = users(30, '');
    observed.push({ template: '/users', requests: 1 });
    const learned = learnPathTemplates(observed);
    expect(learned.get('/users')).toBe('/users');
    expect(learned.get('/users/usera0x')).toBe('/users/{var}');
  });

  it('sums the requests of a template listed twice', () => {
    const observed = users(30, '/orders', 1);
    observed.push({ template: '/users/usera0x/orders', requests: 9 });
    // usera0x now carries 10 of 39 requests, more than 20 %.
    expect(learnPathTemplates(observed).get('/users/usera0x/orders')).toBe('/users/usera0x/orders');
  });

  it('counts a value with a trailing slash among its siblings, and keeps the slash', () => {
    // 19 values without the slash are too few to generalize; the one with it makes 20.
    const observed = [...users(19, '/orders'), { template: '/users/zed/orders/', requests: 3 }];
    const learned = learnPathTemplates(observed);
    expect(learned.get('/users/zed/orders/')).toBe('/users/{var}/orders/');
    expect(learned.get('/users/usera0x/orders')).toBe('/users/{var}/orders');
    expect(learnPathTemplates(users(30, '/')).get('/users/usera0x/')).toBe('/users/{var}/');
  });

  it('never generalizes an empty segment, and keeps it in place', () => {
    const observed = users(30, '//orders');
    expect(learnPathTemplates(observed).get('/users/usera0x//orders')).toBe('/users/{var}//orders');
  });

  it('maps the root and an empty input', () => {
    expect([...learnPathTemplates([{ template: '/', requests: 3 }])]).toEqual([['/', '/']]);
    expect(learnPathTemplates([]).size).toBe(0);
  });

  it('rejects negative or non-finite request counts, naming the template', () => {
    expect(() => learnPathTemplates([{ template: '/a', requests: -1 }])).toThrow(/"\/a"/);
    expect(() => learnPathTemplates([{ template: '/a', requests: Number.NaN }])).toThrow(
      RangeError,
    );
  });

  it('rejects options out of range', () => {
    expect(() => learnPathTemplates([], { minDistinct: 1 })).toThrow(RangeError);
    expect(() => learnPathTemplates([], { maxShare: 0 })).toThrow(RangeError);
    expect(() => learnPathTemplates([], { maxShare: 1.5 })).toThrow(RangeError);
  });
});
