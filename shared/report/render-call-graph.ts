// The call graph as inline SVG: callers on the left, services on the right, one curve per
// caller → service pair, as wide as its traffic, red and dashed where auth denied it.
import type { CallerNode, CallGraph, TargetNode } from './call-graph.ts';
import { shortCaller, truncate } from './callers.ts';
import { escapeHtml as e } from './escape-html.ts';
import { coordinate as c, count } from './format.ts';

const WIDTH = 1040;
const CALLER_WIDTH = 320;
const TARGET_WIDTH = 270;
const TARGET_X = WIDTH - TARGET_WIDTH - 1;
const NODE_HEIGHT = 44;
const NODE_GAP = 14;
const TOP = 34;
const PADDING = 12;
/** DejaVu Sans Mono / ui-monospace at 12px is 7.2px a character: labels are cut to fit. */
const CALLER_CHARS = Math.floor((CALLER_WIDTH - 2 * PADDING) / 7.2);
const TARGET_CHARS = Math.floor((TARGET_WIDTH - 2 * PADDING) / 7.2);
const MIN_EDGE = 1.5;
const MAX_EDGE = 14;

export interface GraphAnnotations {
  /** Review items per service ARN, shown on the service node. */
  reviewByTarget: ReadonlyMap<string, number>;
  /** Section anchor per service ARN, for a link from the node to its policy. */
  anchorByTarget: ReadonlyMap<string, string>;
}

function nodeTop(index: number, count: number, height: number): number {
  const column = count * NODE_HEIGHT + (count - 1) * NODE_GAP;
  return TOP + (height - TOP - column) / 2 + index * (NODE_HEIGHT + NODE_GAP);
}

/** Where the k-th of n edges meets a node: spread over its height so curves do not pile up. */
function portY(top: number, k: number, n: number): number {
  return top + (NODE_HEIGHT * (k + 1)) / (n + 1);
}

function edgeWidth(requests: number, max: number): number {
  // Square root: a 100× busier edge is 10× wider, so quiet callers stay visible.
  return MIN_EDGE + (MAX_EDGE - MIN_EDGE) * Math.sqrt(requests / max);
}

function callerNode(node: CallerNode, top: number): string {
  const { name, where } = shortCaller(node.id);
  const classes = [
    'node',
    'caller',
    node.callerKind === 'anonymous' ? 'anonymous' : '',
    node.isCrossAccount ? 'cross-account' : '',
    node.authDenied > 0 ? 'has-denials' : '',
  ].filter((x) => x !== '');
  const meta = [
    truncate(where, 21),
    `${count(node.requests)} req`,
    node.isCrossAccount ? 'cross-account' : '',
  ].filter((x) => x !== '');
  const tip = `${node.id}\n${node.callerKind} · ${count(node.requests)} requests · ${count(node.authDenied)} auth-denied${node.isCrossAccount ? ' · cross-account' : ''}`;
  return `<g class="${classes.join(' ')}" data-id="${e(node.id)}"><title>${e(tip)}</title>
<rect x="1" y="${c(top)}" width="${CALLER_WIDTH}" height="${NODE_HEIGHT}" rx="6"/>
<text class="name" x="${PADDING + 1}" y="${c(top + 18)}">${e(truncate(name, CALLER_CHARS))}</text>
<text class="meta" x="${PADDING + 1}" y="${c(top + 34)}">${e(meta.join(' · '))}${node.authDenied > 0 ? ` · <tspan class="deny">${count(node.authDenied)} denied</tspan>` : ''}</text>
</g>`;
}

function targetNode(node: TargetNode, top: number, annotations: GraphAnnotations): string {
  const review = annotations.reviewByTarget.get(node.id) ?? 0;
  const anchor = annotations.anchorByTarget.get(node.id);
  const classes = [
    'node',
    'target',
    node.recordKind,
    node.authDenied > 0 ? 'has-denials' : '',
  ].filter((x) => x !== '');
  const meta = [
    node.recordKind === 'resource' ? 'resource config' : '',
    `${count(node.requests)} req`,
  ].filter((x) => x !== '');
  const tip = `${node.id}\n${count(node.requests)} requests · ${count(node.authDenied)} auth-denied · ${count(review)} to review`;
  const body = `<title>${e(tip)}</title>
<rect x="${TARGET_X}" y="${c(top)}" width="${TARGET_WIDTH}" height="${NODE_HEIGHT}" rx="6"/>
<text class="name" x="${TARGET_X + PADDING}" y="${c(top + 18)}">${e(truncate(node.label, TARGET_CHARS))}</text>
<text class="meta" x="${TARGET_X + PADDING}" y="${c(top + 34)}">${e(meta.join(' · '))}${node.authDenied > 0 ? ` · <tspan class="deny">${count(node.authDenied)} denied</tspan>` : ''}${review > 0 ? ` · <tspan class="warn">${count(review)} to review</tspan>` : ''}</text>`;
  const group = `<g class="${classes.join(' ')}" data-id="${e(node.id)}">${body}</g>`;
  return anchor === undefined ? group : `<a href="#${e(anchor)}">${group}</a>`;
}

/** The SVG of a call graph; empty graphs get a one-line note instead. */
export function renderCallGraph(graph: CallGraph, annotations: GraphAnnotations): string {
  if (graph.edges.length === 0) return '<p class="muted">No traffic in the window.</p>';
  const rows = Math.max(graph.callers.length, graph.targets.length);
  const height = TOP + rows * NODE_HEIGHT + (rows - 1) * NODE_GAP + 2;
  const callerTop = new Map(
    graph.callers.map((n, i) => [n.id, nodeTop(i, graph.callers.length, height)]),
  );
  const targetTop = new Map(
    graph.targets.map((n, i) => [n.id, nodeTop(i, graph.targets.length, height)]),
  );

  // Ports: a caller's edges leave it in the order of their targets, and arrive in caller order.
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  const listOf = (map: Map<string, string[]>, id: string) => {
    const list = map.get(id) ?? [];
    map.set(id, list);
    return list;
  };
  // graph.edges is sorted by caller rank, then target rank: both port orders fall out of it.
  for (const edge of graph.edges) {
    listOf(outgoing, edge.caller).push(edge.target);
    listOf(incoming, edge.target).push(edge.caller);
  }

  const max = graph.edges.reduce((most, edge) => Math.max(most, edge.requests), 0);
  const x1 = CALLER_WIDTH + 1;
  const x2 = TARGET_X;
  const xm = (x1 + x2) / 2;
  const curves: string[] = [];
  const labels: string[] = [];
  for (const edge of graph.edges) {
    const out = outgoing.get(edge.caller) ?? [];
    const inc = incoming.get(edge.target) ?? [];
    const y1 = portY(callerTop.get(edge.caller) ?? 0, out.indexOf(edge.target), out.length);
    const y2 = portY(targetTop.get(edge.target) ?? 0, inc.indexOf(edge.caller), inc.length);
    const d = `M${c(x1)} ${c(y1)}C${c(xm)} ${c(y1)} ${c(xm)} ${c(y2)} ${c(x2)} ${c(y2)}`;
    const width = edgeWidth(edge.requests, max);
    const isDeniedOnly = edge.authDenied === edge.requests;
    const tip = `${edge.caller} → ${edge.target}\n${count(edge.requests)} requests · ${count(edge.authDenied)} auth-denied`;
    const kind = isDeniedOnly
      ? 'edge denied-only'
      : edge.authDenied > 0
        ? 'edge partly-denied'
        : 'edge';
    let body = `<path class="${isDeniedOnly ? 'denied' : 'answered'}" d="${d}" stroke-width="${c(width)}"/>`;
    if (edge.authDenied > 0 && !isDeniedOnly) {
      const deniedWidth = Math.max(MIN_EDGE, (width * edge.authDenied) / edge.requests);
      body += `<path class="denied" d="${d}" stroke-width="${c(deniedWidth)}"/>`;
    }
    curves.push(
      `<g class="${kind}" data-caller="${e(edge.caller)}" data-target="${e(edge.target)}" data-requests="${edge.requests}" data-auth-denied="${edge.authDenied}"><title>${e(tip)}</title>${body}</g>`,
    );
    if (edge.authDenied > 0) {
      // The middle of this symmetric cubic is the midpoint of its ends.
      labels.push(
        `<text class="edge-label" x="${c(xm)}" y="${c((y1 + y2) / 2 - 4)}">${count(edge.authDenied)} denied</text>`,
      );
    }
  }

  return `<svg class="graph" viewBox="0 0 ${WIDTH} ${c(height)}" width="${WIDTH}" height="${c(height)}" role="img" aria-labelledby="graph-title">
<title id="graph-title">Callers and the services they call: ${graph.callers.length} callers, ${graph.targets.length} targets, ${graph.edges.length} caller-service pairs</title>
<text class="column" x="1" y="14">CALLERS (${graph.callers.length})</text>
<text class="column" x="${TARGET_X}" y="14">SERVICES (${graph.targets.length})</text>
${curves.join('\n')}
${graph.callers.map((n) => callerNode(n, callerTop.get(n.id) ?? 0)).join('\n')}
${graph.targets.map((n) => targetNode(n, targetTop.get(n.id) ?? 0, annotations)).join('\n')}
${labels.join('\n')}
</svg>`;
}
