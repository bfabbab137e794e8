// The call graph of the report: callers → services (and resource configurations), with the
// requests and auth denials on each edge, in a deterministic order that keeps edges short.
import { accountOfArn } from '../identity/index.ts';
import type { CallPattern } from '../patterns/index.ts';
import { callerIdOf, serviceIdOf } from './callers.ts';

export interface CallerNode {
  id: string;
  callerKind: string;
  callerAccount: string;
  requests: number;
  authDenied: number;
  /** Calls at least one target owned by another account than its own. */
  isCrossAccount: boolean;
}

export interface TargetNode {
  /** The service ARN (or resource configuration ARN). */
  id: string;
  /** The service id (`svc-…`) or resource configuration id. */
  label: string;
  recordKind: 'service' | 'resource';
  requests: number;
  authDenied: number;
}

export interface CallEdge {
  caller: string;
  target: string;
  requests: number;
  authDenied: number;
}

export interface CallGraph {
  /** Top to bottom. */
  callers: CallerNode[];
  /** Top to bottom. */
  targets: TargetNode[];
  /** Sorted by caller position, then target position. */
  edges: CallEdge[];
}

/** Barycenter sweeps: a few are enough for the tens of nodes a service network has. */
const SWEEPS = 4;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders one column by the request-weighted mean position of its neighbours in the other
 * column (the barycenter heuristic for fewer crossings); ties by id, so the order is total
 * and the same for the same input.
 */
function orderByBarycenter<T extends { id: string }>(
  nodes: readonly T[],
  neighbours: (id: string) => readonly { id: string; weight: number }[],
  position: ReadonlyMap<string, number>,
): T[] {
  const center = new Map<string, number>();
  for (const node of nodes) {
    let sum = 0;
    let weight = 0;
    for (const n of neighbours(node.id)) {
      sum += (position.get(n.id) ?? 0) * n.weight;
      weight += n.weight;
    }
    center.set(node.id, weight === 0 ? 0 : sum / weight);
  }
  return [...nodes].sort(
    (a, b) => (center.get(a.id) ?? 0) - (center.get(b.id) ?? 0) || compareText(a.id, b.id),
  );
}

function positions(nodes: readonly { id: string }[]): Map<string, number> {
  return new Map(nodes.map((node, i) => [node.id, i]));
}

/**
 * A call graph fed one pattern at a time, so that the report builds it in the one pass it makes
 * over the patterns. Nodes and edges are created on their first pattern; edges keep that order.
 */
export class CallGraphBuilder {
  readonly #callers = new Map<string, CallerNode>();
  readonly #targets = new Map<string, TargetNode>();
  readonly #edges = new Map<string, CallEdge>();
  // Per service ARN and per caller, so that no ARN is parsed and no key string built twice.
  readonly #targetAccounts = new Map<string, string | undefined>();
  readonly #edgesByCaller = new Map<string, Map<string, CallEdge>>();
  // Patterns come sorted by key, so most have the caller and service of the one before: they
  // add to the same nodes and edge, with no caller id built or looked up (176k patterns of a
  // large window).
  #last: CallPattern | undefined;
  #caller: CallerNode | undefined;
  #target: TargetNode | undefined;
  #edge: CallEdge | undefined;

  add(p: CallPattern): void {
    const last = this.#last;
    let caller = this.#caller;
    let target = this.#target;
    let edge = this.#edge;
    if (
      last === undefined ||
      caller === undefined ||
      target === undefined ||
      edge === undefined ||
      p.serviceArn !== last.serviceArn ||
      p.callerPrincipal !== last.callerPrincipal ||
      p.callerKind !== last.callerKind ||
      p.sourceVpcId !== last.sourceVpcId ||
      p.callerAccount !== last.callerAccount
    ) {
      caller = this.#callerOf(p);
      target = this.#targetOf(p);
      edge = this.#edgeOf(caller.id, p.serviceArn);
      this.#last = p;
      this.#caller = caller;
      this.#target = target;
      this.#edge = edge;
    }
    caller.requests += p.requests;
    caller.authDenied += p.authDenied;
    target.requests += p.requests;
    target.authDenied += p.authDenied;
    edge.requests += p.requests;
    edge.authDenied += p.authDenied;
  }

  build(): CallGraph {
    return layOut(this.#callers, this.#targets, this.#edges);
  }

  /** The caller of a pattern, marked cross-account if the pattern is. */
  #callerOf(p: CallPattern): CallerNode {
    const callerId = callerIdOf(p);
    let caller = this.#callers.get(callerId);
    if (caller === undefined) {
      caller = {
        id: callerId,
        callerKind: p.callerKind,
        callerAccount: p.callerAccount,
        requests: 0,
        authDenied: 0,
        isCrossAccount: false,
      };
      this.#callers.set(callerId, caller);
    }
    let targetAccount = this.#targetAccounts.get(p.serviceArn);
    if (targetAccount === undefined && !this.#targetAccounts.has(p.serviceArn)) {
      targetAccount = accountOfArn(p.serviceArn);
      this.#targetAccounts.set(p.serviceArn, targetAccount);
    }
    if (
      p.callerAccount !== '' &&
      targetAccount !== undefined &&
      p.callerAccount !== targetAccount
    ) {
      caller.isCrossAccount = true;
    }
    return caller;
  }

  #targetOf(p: CallPattern): TargetNode {
    let target = this.#targets.get(p.serviceArn);
    if (target === undefined) {
      target = {
        id: p.serviceArn,
        label: serviceIdOf(p.serviceArn),
        recordKind: p.recordKind,
        requests: 0,
        authDenied: 0,
      };
      this.#targets.set(p.serviceArn, target);
    }
    return target;
  }

  #edgeOf(callerId: string, serviceArn: string): CallEdge {
    let callerEdges = this.#edgesByCaller.get(callerId);
    if (callerEdges === undefined) {
      callerEdges = new Map();
      this.#edgesByCaller.set(callerId, callerEdges);
    }
    let edge = callerEdges.get(serviceArn);
    if (edge === undefined) {
      edge = { caller: callerId, target: serviceArn, requests: 0, authDenied: 0 };
      callerEdges.set(serviceArn, edge);
      this.#edges.set(`${callerId}\u0000${serviceArn}`, edge);
    }
    return edge;
  }
}

/** The graph of every call pattern (hourly or merged): who calls what, how much, how denied. */
export function buildCallGraph(patterns: readonly CallPattern[]): CallGraph {
  const builder = new CallGraphBuilder();
  for (const p of patterns) builder.add(p);
  return builder.build();
}

/** Orders the nodes so that edges stay short, and the edges by the nodes they join. */
function layOut(
  callers: ReadonlyMap<string, CallerNode>,
  targets: ReadonlyMap<string, TargetNode>,
  edges: ReadonlyMap<string, CallEdge>,
): CallGraph {
  const byCaller = new Map<string, { id: string; weight: number }[]>();
  const byTarget = new Map<string, { id: string; weight: number }[]>();
  const neighboursOf = (map: typeof byCaller, id: string) => {
    const list = map.get(id) ?? [];
    map.set(id, list);
    return list;
  };
  for (const edge of edges.values()) {
    neighboursOf(byCaller, edge.caller).push({ id: edge.target, weight: edge.requests });
    neighboursOf(byTarget, edge.target).push({ id: edge.caller, weight: edge.requests });
  }

  // Start from the busiest services on top, then let each column follow the other.
  let targetOrder = [...targets.values()].sort(
    (a, b) => b.requests - a.requests || compareText(a.id, b.id),
  );
  let callerOrder = [...callers.values()];
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    callerOrder = orderByBarycenter(
      callerOrder,
      (id) => byCaller.get(id) ?? [],
      positions(targetOrder),
    );
    targetOrder = orderByBarycenter(
      targetOrder,
      (id) => byTarget.get(id) ?? [],
      positions(callerOrder),
    );
  }

  const callerAt = positions(callerOrder);
  const targetAt = positions(targetOrder);
  const orderedEdges = [...edges.values()].sort(
    (a, b) =>
      (callerAt.get(a.caller) ?? 0) - (callerAt.get(b.caller) ?? 0) ||
      (targetAt.get(a.target) ?? 0) - (targetAt.get(b.target) ?? 0),
  );
  return { callers: callerOrder, targets: targetOrder, edges: orderedEdges };
}
