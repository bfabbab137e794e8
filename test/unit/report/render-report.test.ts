import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePolicies } from '../../../shared/policy/index.ts';
import { renderReport } from '../../../shared/report/index.ts';
import {
  BATCH_ROLE,
  HOSTILE_PATH,
  HOSTILE_PRINCIPAL,
  hourlyPatterns,
  ORDER_ROLE,
  ORDERS,
  PAYMENTS,
  type Request,
  times,
} from './traffic.ts';

const traffic: Request[] = [
  ...times(30, '2026-11-20T10:00:00Z', { caller: ORDER_ROLE, service: PAYMENTS }),
  ...times(20, '2026-11-21T10:00:00Z', { caller: ORDER_ROLE, service: PAYMENTS, method: 'POST' }),
  ...Array.from({ length: 6 }, (_, h) =>
    times(1, `2026-11-20T0${h}:30:00Z`, { caller: BATCH_ROLE, service: PAYMENTS, denied: true }),
  ).flat(),
  ...times(55, '2026-11-20T22:00:00Z', { caller: BATCH_ROLE, service: PAYMENTS, denied: true }),
  ...times(6, '2026-11-20T12:00:00Z', {
    caller: HOSTILE_PRINCIPAL,
    service: ORDERS,
    path: HOSTILE_PATH,
  }),
  ...times(2, '2026-11-20T13:00:00Z', {
    caller: HOSTILE_PRINCIPAL,
    service: ORDERS,
    path: HOSTILE_PATH,
    denied: true,
  }),
];

function report(requests: readonly Request[], generatedAt?: string): string {
  const patterns = hourlyPatterns(requests);
  return renderReport({
    policies: generatePolicies(patterns),
    patterns,
    ...(generatedAt === undefined ? {} : { generatedAt }),
  });
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

function only(html: string, pattern: RegExp): string {
  const matches = [...html.matchAll(pattern)];
  expect(matches).toHaveLength(1);
  return matches[0]?.[1] ?? '';
}

describe('renderReport', () => {
  const html = report(traffic);

  it('renders the same bytes for the same traffic, whatever order it arrives in', () => {
    expect(report([...traffic].reverse())).toBe(html);
  });

  it('shows no time of its own unless one is passed in', () => {
    expect(html).not.toContain('generated');
    expect(report(traffic, '2026-11-22T08:00:00Z')).toContain('generated 2026-11-22T08:00:00Z');
  });

  it('loads nothing: no src, no external link, no CSS url() or @import', () => {
    // Benign traffic only: the hostile principal holds ` src=` as (escaped) text.
    const benign = report(traffic.filter((r) => r.caller !== HOSTILE_PRINCIPAL));
    expect(benign).not.toMatch(/\ssrc\s*=/i);
    expect(benign).not.toMatch(/href="(?!#)/);
    expect(benign).not.toMatch(/url\(|@import/);
  });

  it('admits its one style and one script by hash, and nothing inline otherwise', () => {
    const csp = only(html, /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g);
    const style = only(html, /<style>([\s\S]*?)<\/style>/g);
    const script = only(html, /<script>([\s\S]*?)<\/script>/g);
    expect(csp).toBe(
      `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; base-uri 'none'; form-action 'none'`,
    );
    expect(csp).not.toContain('unsafe');
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it('keeps a hostile principal and path as escaped text everywhere they appear', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>window');
    expect(html.match(/<script/g)).toHaveLength(1);
    // Code cells may wrap after `/` and `:`; the text between the break points is what matters.
    const text = html.replaceAll('<wbr>', '');
    const principal = 'role/&lt;img src=x onerror=window.__pwned=1&gt;';
    // The graph node and edge, the call patterns, the statement and the review list.
    expect(text.split(principal).length - 1).toBeGreaterThanOrEqual(5);
    expect(text).toContain('/api/&lt;script&gt;window.__pwned=2&lt;/script&gt;');
  });

  it('draws a graph node for every caller and service, and marks denied edges', () => {
    for (const id of [ORDER_ROLE, BATCH_ROLE, ORDERS, PAYMENTS]) {
      expect(html).toContain(`data-id="${id}"`);
    }
    expect(html).toContain(`<g class="edge denied-only" data-caller="${BATCH_ROLE}"`);
    expect(html).toContain(`<g class="edge" data-caller="${ORDER_ROLE}"`);
  });

  it('highlights the storm hour as a spike on the service timeline', () => {
    expect(html).toContain(
      `<rect class="bar spike" data-period="2026-11-20T22" data-auth-denied="55"`,
    );
    expect(html).not.toMatch(/class="bar spike" data-period="2026-11-20T0\d"/);
  });

  it('lists each policy with its statements, review list and a sortable table of call patterns', () => {
    expect(html).toContain('<article class="service" id="svc-0bbbbbbbbbbbbbbb2">');
    expect(html).toContain('denied only');
    expect(html.match(/<table class="sortable">/g)?.length).toBe(1 + 2);
  });

  it('says how a policy was coarsened to fit, and when it does not fit at all', () => {
    const patterns = hourlyPatterns(traffic);
    const at = (sizeLimit: number) =>
      renderReport({ policies: generatePolicies(patterns, { sizeLimit }), patterns });
    const exact = generatePolicies(patterns);
    const largest = Math.max(...exact.map((p) => p.evidence.policySize));
    expect(html).not.toContain('Coarsened to fit');
    expect(at(largest - 1)).toMatch(/Coarsened to fit [\d,]+ characters: [a-z]/);
    const overLimit = at(10);
    expect(overLimit).not.toContain('Coarsened to fit');
    expect(overLimit).toContain('Over the 10-character size limit even after');
    expect(overLimit).toContain('PutAuthPolicy will reject this policy');
    expect(overLimit).toContain('over the size limit');
  });

  it('says so when there is no traffic at all', () => {
    const empty = renderReport({ policies: [], patterns: [] });
    expect(empty).toContain('No traffic in the window.');
    expect(empty).toContain('No service traffic: no policy to suggest.');
  });
});
