// Auth denials (403 with an authDeniedReason) per service and period over the window, with the
// periods the alarm rule (shared/metrics findSpikes) would call spikes.
import { findSpikes, SPIKE_RULE, type SpikeRule } from '../metrics/index.ts';
import type { CallPattern } from '../patterns/index.ts';
import { serviceIdOf } from './callers.ts';

export interface ServiceDenials {
  serviceArn: string;
  serviceId: string;
  /** Auth denials per period, one entry per period of the timeline. */
  authDenied: number[];
  /** All requests per period, to tell a storm from a share of normal traffic. */
  requests: number[];
  /** The spike rule's verdict per period. */
  spikes: boolean[];
  totalAuthDenied: number;
}

export interface DenialTimeline {
  /** Start of each period, `YYYY-MM-DDTHH` (UTC), consecutive, first to last seen. */
  periods: string[];
  periodHours: number;
  /** Every service with traffic in the window, sorted by ARN. */
  services: ServiceDenials[];
}

const HOUR_MS = 3_600_000;

function hourStart(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}

/**
 * The timeline of auth denials from hourly call patterns. Periods follow the spike rule
 * (`periodMinutes`, a whole number of hours, since patterns are hourly) and are aligned to UTC
 * midnight, as CloudWatch aligns alarm periods to the epoch.
 * @throws RangeError for a pattern without an hour (merged over a window), or a rule period
 * that is not a whole number of hours.
 */
export function denialTimeline(
  patterns: readonly CallPattern[],
  rule: SpikeRule = SPIKE_RULE,
): DenialTimeline {
  const periodHours = rule.periodMinutes / 60;
  if (!Number.isInteger(periodHours) || periodHours < 1) {
    throw new RangeError(
      `denialTimeline: the spike rule period (${rule.periodMinutes} min) must be a whole number of hours`,
    );
  }
  const periodMs = periodHours * HOUR_MS;
  const service = patterns.filter((p) => p.recordKind === 'service');
  // A window has a few hundred hours and up to hundreds of thousands of patterns: each hour is
  // parsed once.
  const hourStarts = new Map<string, number>();
  const hourStartOf = (hour: string): number => {
    let start = hourStarts.get(hour);
    if (start === undefined) {
      start = hourStart(hour);
      hourStarts.set(hour, start);
    }
    return start;
  };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of service) {
    const start = hourStartOf(p.hour);
    if (Number.isNaN(start)) {
      throw new RangeError(
        `denialTimeline: needs hourly patterns, got hour ${JSON.stringify(p.hour)}`,
      );
    }
    first = Math.min(first, start);
    last = Math.max(last, start);
  }
  if (service.length === 0) return { periods: [], periodHours, services: [] };

  const origin = Math.floor(first / periodMs) * periodMs;
  const length = Math.floor((last - origin) / periodMs) + 1;
  const periods = Array.from({ length }, (_, i) =>
    new Date(origin + i * periodMs).toISOString().slice(0, 13),
  );
  const byService = new Map<string, { authDenied: number[]; requests: number[] }>();
  for (const p of service) {
    let series = byService.get(p.serviceArn);
    if (series === undefined) {
      series = { authDenied: new Array(length).fill(0), requests: new Array(length).fill(0) };
      byService.set(p.serviceArn, series);
    }
    const i = Math.floor((hourStartOf(p.hour) - origin) / periodMs);
    series.authDenied[i] = (series.authDenied[i] ?? 0) + p.authDenied;
    series.requests[i] = (series.requests[i] ?? 0) + p.requests;
  }
  const services = [...byService.keys()].sort().map((serviceArn) => {
    const series = byService.get(serviceArn) ?? { authDenied: [], requests: [] };
    return {
      serviceArn,
      serviceId: serviceIdOf(serviceArn),
      authDenied: series.authDenied,
      requests: series.requests,
      spikes: findSpikes(series.authDenied, rule),
      totalAuthDenied: series.authDenied.reduce((sum, n) => sum + n, 0),
    };
  });
  return { periods, periodHours, services };
}
