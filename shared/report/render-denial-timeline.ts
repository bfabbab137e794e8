// The 403 timeline as inline SVG: one row per service with auth denials, a bar per period,
// spikes (by the alarm's rule) in dark red with a marker, the alarm's static threshold dashed.
import type { SpikeRule } from '../metrics/index.ts';
import { HOUR_MS, hourStartMs } from '../patterns/index.ts';
import type { DenialTimeline, ServiceDenials } from './denial-timeline.ts';
import { escapeHtml as e } from './escape-html.ts';
import { coordinate as c, count } from './format.ts';

const WIDTH = 1040;
const LABEL_WIDTH = 250;
const CHART_X = LABEL_WIDTH + 10;
const CHART_WIDTH = WIDTH - CHART_X - 40;
const ROW_HEIGHT = 74;
const BAR_TOP = 16;
const BAR_HEIGHT = 46;
const AXIS_HEIGHT = 22;
const DATE_LABEL_WIDTH = 76;
const HOUR_LABEL_WIDTH = 26;

function periodLabel(period: string, periodHours: number): string {
  const start = hourStartMs(period);
  const end = new Date(start + periodHours * HOUR_MS).toISOString().slice(11, 16);
  return `${period.slice(0, 10)} ${period.slice(11, 13)}:00–${end} UTC`;
}

function row(
  service: ServiceDenials,
  timeline: DenialTimeline,
  rule: SpikeRule,
  top: number,
  anchor: string | undefined,
): string {
  const n = timeline.periods.length;
  const step = CHART_WIDTH / n;
  const gap = step > 4 ? 1 : 0;
  // Each row has its own scale, never below the rule's minimum: a handful of denials stays small.
  const scale = Math.max(rule.minimum, ...service.authDenied);
  const y = (value: number) => top + BAR_TOP + BAR_HEIGHT * (1 - value / scale);
  const spikeCount = service.spikes.filter(Boolean).length;
  const bars: string[] = [];
  service.authDenied.forEach((denied, i) => {
    if (denied === 0) return;
    const isSpike = service.spikes[i] === true;
    const period = timeline.periods[i] ?? '';
    const requests = service.requests[i] ?? 0;
    const tip = `${periodLabel(period, timeline.periodHours)}: ${count(denied)} auth-denied of ${count(requests)} request(s)${isSpike ? ' — spike' : ''}`;
    const x = CHART_X + i * step;
    bars.push(
      `<rect class="${isSpike ? 'bar spike' : 'bar'}" data-period="${period}" data-auth-denied="${denied}" x="${c(x)}" y="${c(y(denied))}" width="${c(Math.max(1, step - gap))}" height="${c(top + BAR_TOP + BAR_HEIGHT - y(denied))}"><title>${e(tip)}</title></rect>`,
    );
    if (isSpike) {
      const mx = x + step / 2;
      const my = y(denied) - 3;
      bars.push(
        `<path class="spike-marker" d="M${c(mx - 4)} ${c(my - 6)}L${c(mx + 4)} ${c(my - 6)}L${c(mx)} ${c(my)}Z"/>`,
      );
    }
  });
  const threshold =
    rule.threshold <= scale
      ? `<line class="threshold" x1="${CHART_X}" x2="${CHART_X + CHART_WIDTH}" y1="${c(y(rule.threshold))}" y2="${c(y(rule.threshold))}"/><text class="axis" x="${CHART_X + CHART_WIDTH + 4}" y="${c(y(rule.threshold) + 4)}">${count(rule.threshold)}</text>`
      : '';
  const name = `<text class="name" x="0" y="${c(top + 30)}">${e(service.serviceId)}</text>`;
  return `<g class="timeline-row" data-service="${e(service.serviceArn)}" data-spikes="${spikeCount}">
${anchor === undefined ? name : `<a href="#${e(anchor)}">${name}</a>`}
<text class="meta" x="0" y="${c(top + 48)}"><tspan class="deny">${count(service.totalAuthDenied)} auth-denied</tspan>${spikeCount > 0 ? ` · <tspan class="spike-text">${spikeCount} spike${spikeCount === 1 ? '' : 's'}</tspan>` : ''}</text>
<line class="baseline" x1="${CHART_X}" x2="${CHART_X + CHART_WIDTH}" y1="${top + BAR_TOP + BAR_HEIGHT}" y2="${top + BAR_TOP + BAR_HEIGHT}"/>
<text class="axis" x="${CHART_X + CHART_WIDTH + 4}" y="${top + BAR_TOP + 4}">${count(scale)}</text>
${threshold}
${bars.join('\n')}
</g>`;
}

/**
 * Day boundaries under the rows: a line and the date at UTC midnights (every few days when the
 * window is long, so labels never overlap), and the hours 06, 12, 18 while they fit.
 */
function axis(timeline: DenialTimeline, bottom: number): string {
  const step = CHART_WIDTH / timeline.periods.length;
  const pixelsPerDay = (24 / timeline.periodHours) * step;
  const dayEvery = Math.max(1, Math.ceil(DATE_LABEL_WIDTH / pixelsPerDay));
  const showHours = pixelsPerDay / 4 >= HOUR_LABEL_WIDTH;
  const ticks: string[] = [];
  let day = 0;
  timeline.periods.forEach((period, i) => {
    const x = CHART_X + i * step;
    const hour = period.slice(11, 13);
    if (hour === '00') {
      if (day++ % dayEvery !== 0) return;
      ticks.push(
        `<line class="day" x1="${c(x)}" x2="${c(x)}" y1="0" y2="${bottom + 4}"/><text class="axis" x="${c(x + 3)}" y="${bottom + 14}">${period.slice(0, 10)}</text>`,
      );
    } else if (showHours && (hour === '06' || hour === '12' || hour === '18')) {
      ticks.push(
        `<line class="hour" x1="${c(x)}" x2="${c(x)}" y1="${bottom}" y2="${bottom + 4}"/><text class="axis hour" x="${c(x)}" y="${bottom + 14}">${hour}h</text>`,
      );
    }
  });
  return ticks.join('\n');
}

/** The timeline section body: the chart, the spikes as a list, and the quiet services. */
export function renderDenialTimeline(
  timeline: DenialTimeline,
  rule: SpikeRule,
  anchorByService: ReadonlyMap<string, string>,
): string {
  const denied = timeline.services.filter((s) => s.totalAuthDenied > 0);
  const quiet = timeline.services.filter((s) => s.totalAuthDenied === 0);
  const quietNote =
    quiet.length === 0
      ? ''
      : `<p class="muted">No auth denials: ${quiet.map((s) => `<code>${e(s.serviceId)}</code>`).join(', ')}.</p>`;
  if (denied.length === 0) {
    return `<p class="ok">No request was denied by an auth policy in the window.</p>${quietNote}`;
  }
  const height = denied.length * ROW_HEIGHT + AXIS_HEIGHT;
  const chart = `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="timeline-title">
<title id="timeline-title">Auth denials per ${timeline.periodHours === 1 ? 'hour' : `${timeline.periodHours} hours`}, ${timeline.periods[0] ?? ''} to ${timeline.periods.at(-1) ?? ''} UTC</title>
${axis(timeline, denied.length * ROW_HEIGHT)}
${denied.map((s, i) => row(s, timeline, rule, i * ROW_HEIGHT, anchorByService.get(s.serviceArn))).join('\n')}
</svg>`;
  const spikes = denied.flatMap((s) =>
    s.spikes.flatMap((isSpike, i) =>
      isSpike
        ? [
            `<li><code>${e(s.serviceId)}</code> ${e(periodLabel(timeline.periods[i] ?? '', timeline.periodHours))}: <strong>${count(s.authDenied[i] ?? 0)}</strong> auth-denied of ${count(s.requests[i] ?? 0)}</li>`,
          ]
        : [],
    ),
  );
  const spikeList =
    spikes.length === 0
      ? '<p class="muted">No period crosses the spike rule.</p>'
      : `<ul class="spikes">\n${spikes.join('\n')}\n</ul>`;
  const history = `<p class="muted">Each row has its own scale (top right). Bars are spikes where the alarm would fire; in the first few periods there is no baseline yet, so only the static threshold of ${count(rule.threshold)} can fire there.</p>`;
  return `${chart}\n${spikeList}\n${history}\n${quietNote}`;
}
