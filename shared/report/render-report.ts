// The self-contained HTML report: per service, the suggested policy, its evidence and review list.
import type { CallPattern } from '../patterns/index.ts';
import type { ServicePolicy } from '../policy/index.ts';
import { escapeHtml as e } from './escape-html.ts';

export interface ReportInput {
  policies: readonly ServicePolicy[];
  /** Call patterns merged over the window (any granularity). */
  patterns: readonly CallPattern[];
  /** When the report was made; the caller passes it so the output stays reproducible. */
  generatedAt?: string;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.75rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px ui-monospace,monospace}pre{background:#f6f8fa;padding:.75rem;overflow:auto}
.warn{color:#9a6700}.deny{color:#cf222e}.muted{color:#57606a}
`;

function number(n: number): string {
  return n.toLocaleString('en-US');
}

function list(values: readonly string[]): string {
  return values.map((v) => `<code>${e(v)}</code>`).join('<br>');
}

function servicePatterns(patterns: readonly CallPattern[], serviceArn: string): string {
  const rows = patterns
    .filter((p) => p.serviceArn === serviceArn)
    .map(
      (p) =>
        `<tr><td><code>${e(p.callerPrincipal === 'anonymous' ? `anonymous@${p.sourceVpcId}` : p.callerPrincipal)}</code></td>` +
        `<td>${e(p.requestMethod)}</td><td><code>${e(p.pathTemplate)}</code></td>` +
        `<td class="n">${number(p.requests)}</td><td class="n">${number(p.status2xx)}</td>` +
        `<td class="n${p.authDenied > 0 ? ' deny' : ''}">${number(p.authDenied)}</td>` +
        `<td class="n">${number(p.other4xx)}</td><td class="n">${number(p.status5xx)}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th>caller</th><th>method</th><th>path template</th><th>requests</th>
<th>2xx</th><th>auth denied</th><th>other 4xx</th><th>5xx</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function serviceSection(policy: ServicePolicy, patterns: readonly CallPattern[]): string {
  const { evidence } = policy;
  const statements = evidence.statements
    .map(
      (s) =>
        `<tr><td>${e(s.sid)}${s.isRare ? ' <span class="warn">rare</span>' : ''}</td>` +
        `<td>${list(s.principals)}${s.sourceVpcs.length > 0 ? `<br><span class="muted">from</span> ${list(s.sourceVpcs)}` : ''}</td>` +
        `<td>${list(s.methods)}</td><td>${list(s.resources)}</td><td class="n">${number(s.requests)}</td>` +
        `<td>${e(s.firstSeen)}<br>${e(s.lastSeen)}</td><td>${list(s.examplePaths)}</td></tr>`,
    )
    .join('\n');
  const review =
    evidence.review.length === 0
      ? '<p class="muted">Nothing to review.</p>'
      : `<table><thead><tr><th>reason</th><th>caller</th><th>requests</th><th>auth denied</th><th>access</th><th>detail</th></tr></thead><tbody>
${evidence.review
  .map(
    (r) =>
      `<tr><td class="${r.reason === 'auth-denied-only' ? 'deny' : 'warn'}">${e(r.reason)}</td><td><code>${e(r.caller)}</code></td>` +
      `<td class="n">${number(r.requests)}</td><td class="n">${number(r.authDenied)}</td><td>${list(r.access)}</td><td>${e(r.detail)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  const coarsening =
    evidence.coarsening.length === 0
      ? ''
      : `<p class="warn">Coarsened to fit ${number(evidence.sizeLimit)} characters: ${e(evidence.coarsening.map((c) => (c.depth === undefined ? c.step : `${c.step} (depth ${c.depth})`)).join(', then '))}.</p>`;
  return `<section id="${e(policy.serviceId)}">
<h2>${e(policy.serviceId)}</h2>
<p class="muted"><code>${e(policy.serviceArn)}</code> · ${e(evidence.window.from)} → ${e(evidence.window.to)} ·
${number(evidence.totals.requests)} requests, ${number(evidence.totals.grantedRequests)} granted, ${number(evidence.totals.authDenied)} auth-denied ·
policy ${number(evidence.policySize)} / ${number(evidence.sizeLimit)} characters</p>
${coarsening}
<h3>Suggested statements</h3>
${evidence.statements.length === 0 ? '<p class="deny">No successful traffic: the suggested policy allows nobody.</p>' : `<table><thead><tr><th>sid</th><th>principals</th><th>methods</th><th>resources</th><th>requests</th><th>first / last seen</th><th>examples</th></tr></thead><tbody>\n${statements}\n</tbody></table>`}
<h3>Review before enforcing</h3>
${review}
<h3>Call patterns</h3>
${servicePatterns(patterns, policy.serviceArn)}
<details><summary>Policy document</summary><pre>${e(JSON.stringify(policy.policy, null, 2))}</pre></details>
</section>`;
}

export function renderReport(input: ReportInput): string {
  const generated = input.generatedAt === undefined ? '' : ` · generated ${e(input.generatedAt)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lattice-lens report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>lattice-lens: suggested auth policies</h1>
<p class="muted">${input.policies.length} service(s)${generated}</p>
<ul>
${input.policies.map((p) => `<li><a href="#${e(p.serviceId)}">${e(p.serviceId)}</a> · ${p.evidence.statements.length} statement(s), ${p.evidence.review.length} to review</li>`).join('\n')}
</ul>
${input.policies.map((p) => serviceSection(p, input.patterns)).join('\n')}
</body>
</html>
`;
}
