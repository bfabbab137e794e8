// report.html in a real browser (Debian's Chromium driven by playwright-core): it loads nothing,
// logs no error, draws the sample network, sorts its tables, and runs no script from the logs.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../cli/analyze.ts';

const CHROMIUM = '/usr/bin/chromium';
const SAMPLE = 'sample-logs/access-logs';
const ARTIFACTS = 'test-artifacts';
const ACCOUNT = '111122223333';

// sample-logs/README.md, "The network" and "Who calls what".
const SERVICE_IDS = [
  'svc-05531d0bdc8fb97d0', // order
  'svc-0f23bbff8d9d088c6', // inventory
  'svc-0bcbf1bccea267be0', // payment
  'svc-0a40974812b61bafb', // catalog
  'svc-07776768fcf5f4119', // user
  'svc-02c1c9a18060c4b0c', // cart
  'svc-00b00ed61b4b05a1d', // shipping
];
const CALLERS = [
  `arn:aws:iam::${ACCOUNT}:role/order-service-role`,
  `arn:aws:iam::${ACCOUNT}:role/cart-service-role`,
  `arn:aws:iam::${ACCOUNT}:role/shipping-service-role`,
  `arn:aws:iam::${ACCOUNT}:role/storefront-bff-role`,
  `arn:aws:iam::${ACCOUNT}:user/ops/reporting-bot`,
  'arn:aws:iam::444455556666:role/partner-catalog-sync',
  `arn:aws:iam::${ACCOUNT}:role/warehouse-scanner-role`,
  'anonymous@vpc-0f1e2d3c4b5a69788', // storefront-ssr, unsigned
  `arn:aws:iam::${ACCOUNT}:role/legacy-batch-role`,
];

const HOSTILE_PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/<img src=x onerror=window.__pwned=1>`;
const HOSTILE_PATH = '/api/v1/products/<script>window.__pwned=2</script>';
const CATALOG = `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/svc-0a40974812b61bafb`;

/** Valid Lattice log lines whose principal and path try to run script in the report. */
function hostileLines(): string {
  const line = (startTime: string, responseCode: number, denied: boolean) =>
    JSON.stringify({
      startTime,
      duration: 12,
      requestMethod: 'GET',
      requestPath: HOSTILE_PATH,
      protocol: 'HTTP/1.1',
      responseCode,
      serviceArn: CATALOG,
      serviceNetworkArn: `arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:servicenetwork/sn-0a1b2c3d4e5f60718`,
      sourceVpcId: 'vpc-0a13314c17f463072',
      callerPrincipal: HOSTILE_PRINCIPAL,
      userAgent: '"><svg onload=window.__pwned=3>',
      authDeniedReason: denied ? 'Service' : '-',
    });
  return `${[
    line('2026-11-20T12:00:00Z', 200, false),
    line('2026-11-20T12:01:00Z', 200, false),
    line('2026-11-20T12:02:00Z', 403, true),
  ].join('\n')}\n`;
}

/** The little of the page's globals these tests read; the project compiles without the DOM lib. */
interface BrowserGlobals {
  __pwned?: unknown;
  document: { body: { innerText: string } };
}

interface Visit {
  page: Page;
  url: string;
  requests: string[];
  consoleErrors: string[];
  dialogs: string[];
}

let work: string;
let browser: Browser;
let sampleReport: string;
let hostileReport: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the report browser test needs it. ` +
        'Install it with `apt-get install -y chromium` (.ci/run does this when it is missing).',
    );
  }
  work = await mkdtemp(join(tmpdir(), 'lattice-lens-browser-'));
  await runAnalyze([SAMPLE], { out: join(work, 'sample'), minRequests: 5 });
  sampleReport = join(work, 'sample', 'report.html');
  const hostileLog = join(work, 'hostile.log');
  await writeFile(hostileLog, hostileLines());
  await runAnalyze([SAMPLE, hostileLog], { out: join(work, 'hostile'), minRequests: 5 });
  hostileReport = join(work, 'hostile', 'report.html');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function visit(file: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1160 } });
  const url = pathToFileURL(resolve(file)).href;
  const visited: Visit = { page, url, requests: [], consoleErrors: [], dialogs: [] };
  page.on('request', (request) => visited.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') visited.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => visited.consoleErrors.push(error.message));
  page.on('dialog', async (dialog) => {
    visited.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return visited;
}

/** The service ids of the overview table, top to bottom. */
function overviewOrder(page: Page): Promise<string[]> {
  return page.$$eval('#overview tbody tr td:first-child', (cells) =>
    cells.map((cell) => cell.textContent ?? ''),
  );
}

describe('report.html of the sample logs in Chromium', () => {
  let sample: Visit;

  beforeAll(async () => {
    sample = await visit(sampleReport);
  });

  it('requests nothing but the document itself', () => {
    expect(sample.requests).toEqual([sample.url]);
  });

  it('logs no console error (a CSP refusal of its own style or script would be one)', () => {
    expect(sample.consoleErrors).toEqual([]);
  });

  it('draws one graph node per caller and per service of the sample network', async () => {
    const callers = await sample.page.$$eval('svg.graph g.caller', (nodes) =>
      nodes.map((node) => node.getAttribute('data-id')),
    );
    const services = await sample.page.$$eval('svg.graph g.target text.name', (nodes) =>
      nodes.map((node) => node.textContent),
    );
    expect([...callers].sort()).toEqual([...CALLERS].sort());
    expect([...services].sort()).toEqual([...SERVICE_IDS].sort());
  });

  it('marks the traffic that auth denied on the graph', async () => {
    const denied = await sample.page.$$eval('svg.graph g.edge.denied-only', (edges) =>
      edges.map(
        (edge) => `${edge.getAttribute('data-caller')} → ${edge.getAttribute('data-target')}`,
      ),
    );
    expect(denied).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/legacy-batch-role → arn:aws:vpc-lattice:us-east-1:${ACCOUNT}:service/svc-0bcbf1bccea267be0`,
    ]);
    const partly = await sample.page.$$eval('svg.graph g.edge.partly-denied', (edges) =>
      edges.map((edge) => edge.getAttribute('data-caller')),
    );
    expect(partly).toEqual([`arn:aws:iam::${ACCOUNT}:role/cart-service-role`]);
  });

  it('shows the nightly 403 storm on the payment timeline as a spike', async () => {
    const spikes = await sample.page.$$eval(
      'svg.timeline g.timeline-row[data-service$="svc-0bcbf1bccea267be0"] rect.spike',
      (bars) => bars.map((bar) => bar.getAttribute('data-period')),
    );
    expect(spikes.length).toBeGreaterThan(0);
    expect(spikes.every((period) => period?.endsWith('T02'))).toBe(true);
  });

  it('sorts a table by the clicked header, numbers busiest first, then reversed', async () => {
    const { page } = sample;
    const requests = page.locator('#overview th', { hasText: 'requests' }).locator('button');
    await requests.click();
    expect(
      await page.locator('#overview th', { hasText: 'requests' }).getAttribute('aria-sort'),
    ).toBe('descending');
    const busiestFirst = await overviewOrder(page);
    expect(busiestFirst[0]).toBe('svc-0a40974812b61bafb'); // catalog, 1,120 requests
    expect(busiestFirst.at(-1)).toBe('svc-00b00ed61b4b05a1d'); // shipping, 104
    await requests.click();
    expect(await overviewOrder(page)).toEqual([...busiestFirst].reverse());
  });

  it('sorts a text column alphabetically', async () => {
    const { page } = sample;
    await page.locator('#overview th', { hasText: 'service' }).locator('button').click();
    expect(await overviewOrder(page)).toEqual([...SERVICE_IDS].sort());
  });

  it('writes a screenshot of the first screen as a test artifact', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1160 } });
    await page.goto(sample.url);
    const shot = await page.screenshot({ path: join(ARTIFACTS, 'report.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'report-full.png'), fullPage: true });
    await page.close();
    // A PNG, and not a blank one: a white page compresses to a few kilobytes.
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    expect(shot.byteLength).toBeGreaterThan(50_000);
  });
});

describe('report.html with a script-bearing principal and path in the logs', () => {
  let hostile: Visit;

  beforeAll(async () => {
    hostile = await visit(hostileReport);
  });

  it('runs none of it: no global set, no dialog, no console error', async () => {
    expect(
      await hostile.page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned),
    ).toBe(undefined);
    expect(hostile.dialogs).toEqual([]);
    expect(hostile.consoleErrors).toEqual([]);
  });

  it('makes no request for the injected <img src=x>', () => {
    expect(hostile.requests).toEqual([hostile.url]);
  });

  it('shows the principal and the path as the literal text they are', async () => {
    const text = await hostile.page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).document.body.innerText,
    );
    expect(text).toContain(HOSTILE_PRINCIPAL);
    expect(text).toContain(HOSTILE_PATH);
    const node = hostile.page.locator('svg.graph g.caller').filter({
      has: hostile.page.locator('text.name', { hasText: 'role/<img src=x' }),
    });
    expect(await node.getAttribute('data-id')).toBe(HOSTILE_PRINCIPAL);
  });

  it('stays inert when its rows are sorted and its details opened', async () => {
    const { page } = hostile;
    for (const button of await page.locator('#svc-0a40974812b61bafb th button').all()) {
      await button.click();
    }
    for (const summary of await page.locator('details > summary').all()) await summary.click();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).toBe(
      undefined,
    );
    expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(hostile.dialogs).toEqual([]);
    expect(hostile.requests).toEqual([hostile.url]);
  });
});
