// The self-contained HTML report: an overview, the call graph, the 403 timeline, and per service
// the suggested policy with its evidence, review list and call patterns. One file, no requests.
import { SPIKE_RULE, type SpikeRule } from '../metrics/index.ts';
import type { CallPattern } from '../patterns/index.ts';
import type {
  ReviewItem,
  ReviewReason,
  ServicePolicy,
  StatementEvidence,
} from '../policy/index.ts';
import { CallGraphBuilder } from './call-graph.ts';
import { callerIdOf } from './callers.ts';
import { contentSecurityPolicy } from './content-security-policy.ts';
import { type DenialTimeline, DenialTimelineBuilder } from './denial-timeline.ts';
import { escapeHtml as e } from './escape-html.ts';
import { count, percent } from './format.ts';
import { renderCallGraph } from './render-call-graph.ts';
import { renderDenialTimeline } from './render-denial-timeline.ts';
import { REPORT_STYLE } from './report-style.ts';
import { type Column, SORT_SCRIPT, sortableTable } from './sortable-table.ts';

export interface ReportInput {
  policies: readonly ServicePolicy[];
  /** The hourly call patterns of the window, as aggregated or decoded from summaries. */
  patterns: readonly CallPattern[];
  /** When the report was made; the caller passes it so the output stays reproducible. */
  generatedAt?: string;
  /** The rule that marks 403 spikes (default: the one the alarms use). */
  spikeRule?: SpikeRule;
}

const REASONS: Record<ReviewReason, { label: string; tone: 'deny' | 'warn' }> = {
  'auth-denied-only': { label: 'denied only', tone: 'deny' },
  'partly-auth-denied': { label: 'partly denied', tone: 'deny' },
  'auth-denied-allowed': { label: 'denied, now allowed', tone: 'deny' },
  'cross-account': { label: 'cross-account', tone: 'warn' },
  'anonymous-grant': { label: 'anonymous grant', tone: 'warn' },
  'seen-once': { label: 'seen once', tone: 'warn' },
  rare: { label: 'rare', tone: 'warn' },
};

/**
 * Log text as code that may wrap after `/` and `:` (ARNs, paths) rather than mid-word. The
 * escaped text holds no `/` or `:` of its own (entities are `&…;`), so the <wbr> stay outside them.
 */
function code(text: string): string {
  return `<code>${e(text).replace(/[/:]/g, '$&<wbr>')}</code>`;
}

function codes(values: readonly string[]): string {
  return values.map(code).join('<br>');
}

/** A resource ARN of the service, shown as its path: the service part is the same on every line. */
function resourcePath(resource: string, serviceArn: string): string {
  return resource.startsWith(serviceArn) ? resource.slice(serviceArn.length) : resource;
}

function badge(text: string, tone: 'deny' | 'warn' | 'ok'): string {
  return `<span class="badge ${tone}">${e(text)}</span>`;
}

/** `2026-11-20T10:15:30.000Z` → `2026-11-20 10:15 UTC`: minutes are enough to review. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function whenMs(epochMs: number): string {
  return when(new Date(epochMs).toISOString());
}

const PATTERN_COLUMNS: Column<CallPattern>[] = [
  { header: 'caller', cell: (p) => code(callerIdOf(p)) },
  { header: 'method', cell: (p) => e(p.requestMethod) },
  { header: 'path template', cell: (p) => code(p.pathTemplate) },
  { header: 'requests', cell: (p) => count(p.requests), value: (p) => p.requests },
  { header: '2xx', cell: (p) => count(p.status2xx), value: (p) => p.status2xx },
  {
    header: 'auth denied',
    cell: (p) => count(p.authDenied),
    value: (p) => p.authDenied,
    className: (p) => (p.authDenied > 0 ? 'deny' : ''),
  },
  { header: 'other 4xx', cell: (p) => count(p.other4xx), value: (p) => p.other4xx },
  { header: '5xx', cell: (p) => count(p.status5xx), value: (p) => p.status5xx },
  { header: 'last seen', cell: (p) => whenMs(p.lastSeen), value: (p) => p.lastSeen },
  { header: 'example paths', cell: (p) => codes(p.examplePaths) },
];

function reviewTable(review: readonly ReviewItem[]): string {
  if (review.length === 0) return '<p class="ok">Nothing to review.</p>';
  const rows = review
    .map((r) => {
      const reason = REASONS[r.reason] ?? { label: r.reason, tone: 'warn' as const };
      return `<tr><td>${badge(reason.label, reason.tone)}</td><td>${code(r.caller)}</td><td class="n">${count(r.requests)}</td><td class="n${r.authDenied > 0 ? ' deny' : ''}">${count(r.authDenied)}</td><td>${codes(r.access)}</td><td>${e(r.detail)}</td></tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table class="review"><thead><tr><th>reason</th><th>caller</th><th class="n">granted requests</th><th class="n">auth denied</th><th>access</th><th>detail</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

function statementRow(s: StatementEvidence, serviceArn: string): string {
  const callers = s.callers
    .filter((c) => c.sessionNames.length > 0)
    .map(
      (c) =>
        `<li class="muted">sessions: ${c.sessionNames.map((n) => `<code>${e(n)}</code>`).join(', ')}</li>`,
    )
    .join('');
  return `<tr><td>${e(s.sid)}${s.isRare ? ` ${badge('rare', 'warn')}` : ''}</td><td>${codes(s.principals)}${s.sourceVpcs.length > 0 ? `<br><span class="muted">from</span> ${codes(s.sourceVpcs)}` : ''}${callers === '' ? '' : `<ul class="sessions">${callers}</ul>`}</td><td>${codes(s.methods)}</td><td>${codes(s.resources.map((r) => resourcePath(r, serviceArn)))}</td><td class="n">${count(s.requests)}</td><td class="n">${s.daysSeen}</td><td>${e(when(s.firstSeen))}<br>${e(when(s.lastSeen))}</td><td>${codes(s.examplePaths)}</td></tr>`;
}

function statementsTable(statements: readonly StatementEvidence[], serviceArn: string): string {
  if (statements.length === 0) {
    return '<p class="deny">No successful traffic: the suggested policy allows nobody.</p>';
  }
  return `<div class="scroll"><table class="statements"><thead><tr><th>sid</th><th>principals</th><th>methods</th><th>resource paths</th><th class="n">requests</th><th class="n">days</th><th>first / last seen</th><th>example paths</th></tr></thead><tbody>
${statements.map((s) => statementRow(s, serviceArn)).join('\n')}
</tbody></table></div>`;
}

function serviceFlags(policy: ServicePolicy, spikes: number): string[] {
  const { evidence } = policy;
  const flags: string[] = [];
  if (evidence.statements.length === 0) flags.push(badge('allows nobody', 'deny'));
  if (evidence.totals.authDenied > 0) {
    flags.push(badge(`${count(evidence.totals.authDenied)} auth-denied`, 'deny'));
  }
  if (spikes > 0) flags.push(badge(`${spikes} 403 spike${spikes === 1 ? '' : 's'}`, 'deny'));
  if (evidence.review.length > 0) flags.push(badge(`${evidence.review.length} to review`, 'warn'));
  if (evidence.exceedsSizeLimit) flags.push(badge('over the size limit', 'deny'));
  else if (evidence.coarsening.length > 0) flags.push(badge('coarsened', 'warn'));
  return flags;
}

function serviceSection(policy: ServicePolicy, spikes: number): string {
  const { evidence } = policy;
  const steps = evidence.coarsening
    .map((c) => (c.depth === undefined ? c.step : `${c.step} (depth ${c.depth})`))
    .join(', then ');
  const coarsening = evidence.exceedsSizeLimit
    ? `<p class="deny">Over the ${count(evidence.sizeLimit)}-character size limit${steps === '' ? '' : ` even after ${e(steps)}`}: PutAuthPolicy will reject this policy. Name its callers more broadly by hand, for example Principal <code>*</code> with an <code>aws:PrincipalOrgID</code> condition.</p>`
    : steps === ''
      ? ''
      : `<p class="warn">Coarsened to fit ${count(evidence.sizeLimit)} characters: ${e(steps)}.</p>`;
  // The table reads in the policy's terms: the window's patterns, paths as the policy generalized them.
  const rows = policy.windowPatterns;
  return `<article class="service" id="${e(policy.serviceId)}">
<header><h3>${e(policy.serviceId)}</h3>${serviceFlags(policy, spikes).join(' ')}
<p class="muted">${code(policy.serviceArn)}</p>
<p class="muted">${e(when(evidence.window.from))} → ${e(when(evidence.window.to))} · ${count(evidence.totals.requests)} requests from ${count(evidence.totals.callers)} caller(s), ${count(evidence.totals.grantedRequests)} answered (evidence), ${count(evidence.totals.authDenied)} auth-denied · policy ${count(evidence.policySize)} of ${count(evidence.sizeLimit)} characters</p></header>
${coarsening}
<h4>Review before enforcing</h4>
${reviewTable(evidence.review)}
<h4>Suggested statements</h4>
${statementsTable(evidence.statements, policy.serviceArn)}
<h4>Call patterns</h4>
${sortableTable(PATTERN_COLUMNS, rows, `${count(rows.length)} call pattern(s) over the window, paths as the policy generalizes them. Click a header to sort.`)}
<details><summary>Policy document</summary><pre>${e(JSON.stringify(policy.policy, null, 2))}</pre>
<p class="muted">Apply with <code>aws vpc-lattice put-auth-policy --resource-identifier ${e(policy.serviceId)} --policy file://policies/${e(policy.serviceId)}.json</code></p></details>
</article>`;
}

function overviewTable(
  policies: readonly ServicePolicy[],
  spikesByService: ReadonlyMap<string, number>,
): string {
  const columns: Column<ServicePolicy>[] = [
    {
      header: 'service',
      cell: (p) => `<a href="#${e(p.serviceId)}"><code>${e(p.serviceId)}</code></a>`,
    },
    {
      header: 'requests',
      cell: (p) => count(p.evidence.totals.requests),
      value: (p) => p.evidence.totals.requests,
    },
    {
      header: 'callers',
      cell: (p) => count(p.evidence.totals.callers),
      value: (p) => p.evidence.totals.callers,
    },
    {
      header: 'auth denied',
      cell: (p) =>
        p.evidence.totals.authDenied === 0
          ? '0'
          : `${count(p.evidence.totals.authDenied)} <span class="muted">(${percent(p.evidence.totals.authDenied, p.evidence.totals.requests)})</span>`,
      value: (p) => p.evidence.totals.authDenied,
      className: (p) => (p.evidence.totals.authDenied > 0 ? 'deny' : ''),
    },
    {
      header: '403 spikes',
      cell: (p) => count(spikesByService.get(p.serviceArn) ?? 0),
      value: (p) => spikesByService.get(p.serviceArn) ?? 0,
      className: (p) => ((spikesByService.get(p.serviceArn) ?? 0) > 0 ? 'deny' : ''),
    },
    {
      header: 'statements',
      cell: (p) => count(p.evidence.statements.length),
      value: (p) => p.evidence.statements.length,
    },
    {
      header: 'to review',
      cell: (p) => count(p.evidence.review.length),
      value: (p) => p.evidence.review.length,
      className: (p) => (p.evidence.review.length > 0 ? 'warn' : ''),
    },
    {
      header: 'policy size',
      cell: (p) => `${count(p.evidence.policySize)} / ${count(p.evidence.sizeLimit)}`,
      value: (p) => p.evidence.policySize,
    },
    {
      header: 'notes',
      cell: (p) =>
        serviceFlags(p, 0)
          .filter((flag) => !flag.includes('auth-denied') && !flag.includes('to review'))
          .join(' '),
    },
  ];
  return sortableTable(
    columns,
    policies,
    'One suggested auth policy per service. Click a header to sort.',
  );
}

function spikeCounts(timeline: DenialTimeline): Map<string, number> {
  return new Map(timeline.services.map((s) => [s.serviceArn, s.spikes.filter(Boolean).length]));
}

export function renderReport(input: ReportInput): string {
  const rule = input.spikeRule ?? SPIKE_RULE;
  const { patterns } = input;
  const timelineBuilder = new DenialTimelineBuilder(rule);
  const graphBuilder = new CallGraphBuilder();
  // One pass over what may be 176k patterns for the totals, the timeline and the graph.
  let requests = 0;
  let authDenied = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const pattern of patterns) {
    requests += pattern.requests;
    authDenied += pattern.authDenied;
    if (pattern.firstSeen < first) first = pattern.firstSeen;
    if (pattern.lastSeen > last) last = pattern.lastSeen;
    timelineBuilder.add(pattern);
    graphBuilder.add(pattern);
  }
  const timeline = timelineBuilder.build();
  const spikes = spikeCounts(timeline);
  const anchors = new Map(input.policies.map((p) => [p.serviceArn, p.serviceId]));
  const graph = graphBuilder.build();
  const reviewByTarget = new Map(
    input.policies.map((p) => [p.serviceArn, p.evidence.review.length]),
  );

  const totals = {
    requests,
    authDenied,
    review: input.policies.reduce((sum, p) => sum + p.evidence.review.length, 0),
    statements: input.policies.reduce((sum, p) => sum + p.evidence.statements.length, 0),
    spikes: [...spikes.values()].reduce((sum, n) => sum + n, 0),
  };
  const window = patterns.length === 0 ? 'no traffic' : `${whenMs(first)} → ${whenMs(last)}`;
  const generated = input.generatedAt === undefined ? '' : ` · generated ${e(input.generatedAt)}`;
  const stat = (label: string, value: number, tone = '') =>
    `<div${tone === '' ? '' : ` class="${tone}"`}><dt>${label}</dt><dd>${count(value)}</dd></div>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(REPORT_STYLE, SORT_SCRIPT)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>lattice-lens report</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header class="top"><div class="inner">
<h1>lattice-lens <span>· auth policy review</span></h1>
<p>${window}${generated}</p>
<dl class="stats">
${stat('services', input.policies.length)}
${stat('callers', graph.callers.length)}
${stat('requests', totals.requests)}
${stat('auth-denied', totals.authDenied, totals.authDenied > 0 ? 'deny' : '')}
${stat('403 spikes', totals.spikes, totals.spikes > 0 ? 'deny' : '')}
${stat('to review', totals.review, totals.review > 0 ? 'warn' : '')}
${stat('statements', totals.statements)}
</dl>
</div></header>
<nav><div class="inner"><a href="#graph">Call graph</a><a href="#timeline">403 timeline</a><a href="#policies">Policies</a></div></nav>
<main>
<section id="graph">
<h2>Call graph</h2>
<p class="legend"><span class="answered">answered requests (width ∝ √requests)</span><span class="denied">denied by auth (403)</span><span class="cross">cross-account caller</span><span class="anon">anonymous (unsigned) caller</span></p>
${renderCallGraph(graph, { reviewByTarget, anchorByTarget: anchors })}
</section>
<section id="timeline">
<h2>403 timeline</h2>
<p class="legend"><span class="bar">auth denials per ${timeline.periodHours === 1 ? 'hour' : `${timeline.periodHours} hours`}</span><span class="spike">spike: the alarm rule fires (≥ ${count(rule.threshold)}, or ≥ ${count(rule.minimum)} and above mean + ${rule.bandWidth}σ of the last ${rule.baselinePeriods} periods)</span><span class="threshold">static threshold</span></p>
${renderDenialTimeline(timeline, rule, anchors)}
</section>
<section id="policies">
<h2>Policies</h2>
<p class="lead">Suggested least-privilege auth policies, from observed traffic only: a request the service answered proves a need; an auth denial proves nothing and is listed for review.</p>
<div id="overview">${overviewTable(input.policies, spikes)}</div>
${input.policies.length === 0 ? '<p class="muted">No service traffic: no policy to suggest.</p>' : input.policies.map((p) => serviceSection(p, spikes.get(p.serviceArn) ?? 0)).join('\n')}
</section>
</main>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
