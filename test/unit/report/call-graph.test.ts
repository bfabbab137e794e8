import { describe, expect, it } from 'vitest';
import { buildCallGraph } from '../../../shared/report/index.ts';
import {
  BATCH_ROLE,
  hourlyPatterns,
  ORDER_ROLE,
  ORDERS,
  PARTNER_ROLE,
  PAYMENTS,
  times,
} from './traffic.ts';

const traffic = [
  ...times(30, '2026-11-20T10:00:00Z', { caller: ORDER_ROLE, service: PAYMENTS }),
  ...times(5, '2026-11-20T11:00:00Z', { caller: ORDER_ROLE, service: PAYMENTS }),
  ...times(12, '2026-11-20T02:00:00Z', { caller: BATCH_ROLE, service: PAYMENTS, denied: true }),
  ...times(8, '2026-11-20T10:00:00Z', { caller: PARTNER_ROLE, service: ORDERS }),
  ...times(4, '2026-11-20T10:00:00Z', { sourceVpcId: 'vpc-0f1e2d3c4b5a69788', service: ORDERS }),
];

describe('buildCallGraph', () => {
  const graph = buildCallGraph(hourlyPatterns(traffic));

  it('has one node per caller, naming unsigned callers by their source VPC', () => {
    expect(graph.callers.map((c) => c.id).sort()).toEqual(
      [BATCH_ROLE, ORDER_ROLE, PARTNER_ROLE, 'anonymous@vpc-0f1e2d3c4b5a69788'].sort(),
    );
  });

  it('has one node per service, labelled with its service id', () => {
    expect(graph.targets.map((t) => t.label).sort()).toEqual([
      'svc-0aaaaaaaaaaaaaaa1',
      'svc-0bbbbbbbbbbbbbbb2',
    ]);
  });

  it('sums requests and auth denials of a caller → service pair over every hour', () => {
    const edge = (caller: string) => graph.edges.find((e) => e.caller === caller);
    expect(edge(ORDER_ROLE)).toEqual({
      caller: ORDER_ROLE,
      target: PAYMENTS,
      requests: 35,
      authDenied: 0,
    });
    expect(edge(BATCH_ROLE)).toMatchObject({ requests: 12, authDenied: 12 });
  });

  it('marks a caller from another account than the service as cross-account', () => {
    const crossAccount = graph.callers.filter((c) => c.isCrossAccount).map((c) => c.id);
    expect(crossAccount).toEqual([PARTNER_ROLE]);
  });

  it('puts the callers of one service next to each other', () => {
    const order = graph.callers.map((c) => c.id);
    const paymentCallers = [ORDER_ROLE, BATCH_ROLE].map((id) => order.indexOf(id)).sort();
    expect(Math.abs((paymentCallers[1] ?? 0) - (paymentCallers[0] ?? 0))).toBe(1);
  });

  it('lays out the same graph whatever order the patterns come in', () => {
    const reversed = buildCallGraph([...hourlyPatterns(traffic)].reverse());
    expect(reversed).toEqual(graph);
  });

  it('is empty for no traffic', () => {
    expect(buildCallGraph([])).toEqual({ callers: [], targets: [], edges: [] });
  });
});
