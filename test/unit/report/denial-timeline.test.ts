import { describe, expect, it } from 'vitest';
import { findSpikes, SPIKE_RULE } from '../../../shared/metrics/index.ts';
import { denialTimeline } from '../../../shared/report/index.ts';
import { BATCH_ROLE, hourlyPatterns, ORDER_ROLE, ORDERS, PAYMENTS, times } from './traffic.ts';

// Quiet denials every hour for a day, then a storm at 02:00 the next night.
const quiet = Array.from({ length: 24 }, (_, h) =>
  times(2, `2026-11-20T${String(h).padStart(2, '0')}:10:00Z`, {
    caller: BATCH_ROLE,
    service: PAYMENTS,
    denied: true,
  }),
).flat();
const storm = times(40, '2026-11-21T02:00:00Z', {
  caller: BATCH_ROLE,
  service: PAYMENTS,
  denied: true,
});
const orders = times(3, '2026-11-21T05:00:00Z', { caller: ORDER_ROLE, service: ORDERS });

describe('denialTimeline', () => {
  const timeline = denialTimeline(hourlyPatterns([...quiet, ...storm, ...orders]));

  it('has one period per hour from the first to the last hour seen, gaps included', () => {
    expect(timeline.periodHours).toBe(1);
    expect(timeline.periods).toHaveLength(24 + 6);
    expect(timeline.periods[0]).toBe('2026-11-20T00');
    expect(timeline.periods.at(-1)).toBe('2026-11-21T05');
  });

  it('counts auth denials per service and period, zero where there were none', () => {
    const payments = timeline.services.find((s) => s.serviceArn === PAYMENTS);
    expect(payments?.authDenied.slice(0, 24)).toEqual(new Array(24).fill(2));
    expect(payments?.authDenied.slice(24)).toEqual([0, 0, 40, 0, 0, 0]);
    expect(payments?.totalAuthDenied).toBe(88);
    const orderService = timeline.services.find((s) => s.serviceArn === ORDERS);
    expect(orderService?.authDenied.every((n) => n === 0)).toBe(true);
    expect(orderService?.requests.at(-1)).toBe(3);
  });

  it('marks spikes exactly as the alarm rule (findSpikes) does', () => {
    for (const service of timeline.services) {
      expect(service.spikes).toEqual(findSpikes(service.authDenied, SPIKE_RULE));
    }
    const payments = timeline.services.find((s) => s.serviceArn === PAYMENTS);
    expect(
      payments?.spikes.flatMap((isSpike, i) => (isSpike ? [timeline.periods[i]] : [])),
    ).toEqual(['2026-11-21T02']);
  });

  it('groups hours into the rule period when the rule uses longer periods', () => {
    const twoHourly = denialTimeline(hourlyPatterns(storm), { ...SPIKE_RULE, periodMinutes: 120 });
    expect(twoHourly.periods).toEqual(['2026-11-21T02']);
    expect(twoHourly.periodHours).toBe(2);
  });

  it('rejects a rule period that hourly patterns cannot be split into', () => {
    expect(() =>
      denialTimeline(hourlyPatterns(storm), { ...SPIKE_RULE, periodMinutes: 90 }),
    ).toThrow(/whole number of hours/);
  });

  it('rejects patterns merged over a window: they have no hour to place', () => {
    const merged = hourlyPatterns(storm).map((p) => ({ ...p, hour: '' }));
    expect(() => denialTimeline(merged)).toThrow(/needs hourly patterns/);
  });

  it('is empty for no traffic', () => {
    expect(denialTimeline([])).toEqual({ periods: [], periodHours: 1, services: [] });
  });
});
