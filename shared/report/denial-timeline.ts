// Auth denials (403 with an authDeniedReason) per service and period over the window, with the
// periods the alarm rule (shared/metrics findSpikes) would call spikes.
import { findSpikes, SPIKE_RULE, type SpikeRule } from '../metrics/index.ts';
import { type CallPattern, HOUR_MS, hourStartMs } from '../patterns/index.ts';
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

/** Auth denials and requests of one service, by the index of their hour. */
interface HourlySums {
  authDenied: number[];
  requests: number[];
}

/**
 * A denial timeline fed one pattern at a time, so that the report builds it in the one pass it
 * makes over the patterns. Sums are kept per service and hour: a window has a few hundred hours,
 * each parsed once.
 */
export class DenialTimelineBuilder {
  readonly #rule: SpikeRule;
  readonly #periodHours: number;
  readonly #hourStarts: number[] = [];
  readonly #hourIndex = new Map<string, number>();
  readonly #byService = new Map<string, HourlySums>();
  // Patterns come sorted by key, so a pattern's hour and service are most often the ones before.
  #lastHour: string | undefined;
  #lastHourIndex = 0;
  #serviceArn: string | undefined;
  #sums: HourlySums | undefined;

  /**
   * @throws RangeError for a rule period that is not a whole number of hours.
   */
  constructor(rule: SpikeRule = SPIKE_RULE) {
    const periodHours = rule.periodMinutes / 60;
    if (!Number.isInteger(periodHours) || periodHours < 1) {
      throw new RangeError(
        `denialTimeline: the spike rule period (${rule.periodMinutes} min) must be a whole number of hours`,
      );
    }
    this.#rule = rule;
    this.#periodHours = periodHours;
  }

  /**
   * @throws RangeError for a service pattern without an hour (merged over a window).
   */
  add(p: CallPattern): void {
    if (p.recordKind !== 'service') return;
    if (p.hour !== this.#lastHour) {
      let index = this.#hourIndex.get(p.hour);
      if (index === undefined) {
        const start = hourStartMs(p.hour);
        if (Number.isNaN(start)) {
          throw new RangeError(
            `denialTimeline: needs hourly patterns, got hour ${JSON.stringify(p.hour)}`,
          );
        }
        index = this.#hourStarts.length;
        this.#hourStarts.push(start);
        this.#hourIndex.set(p.hour, index);
      }
      this.#lastHour = p.hour;
      this.#lastHourIndex = index;
    }
    let sums = this.#sums;
    if (sums === undefined || p.serviceArn !== this.#serviceArn) {
      sums = this.#byService.get(p.serviceArn);
      if (sums === undefined) {
        sums = { authDenied: [], requests: [] };
        this.#byService.set(p.serviceArn, sums);
      }
      this.#serviceArn = p.serviceArn;
      this.#sums = sums;
    }
    const h = this.#lastHourIndex;
    while (sums.authDenied.length <= h) {
      sums.authDenied.push(0);
      sums.requests.push(0);
    }
    sums.authDenied[h] = (sums.authDenied[h] ?? 0) + p.authDenied;
    sums.requests[h] = (sums.requests[h] ?? 0) + p.requests;
  }

  build(): DenialTimeline {
    const periodHours = this.#periodHours;
    const hourStarts = this.#hourStarts;
    if (hourStarts.length === 0) return { periods: [], periodHours, services: [] };
    const periodMs = periodHours * HOUR_MS;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const start of hourStarts) {
      first = Math.min(first, start);
      last = Math.max(last, start);
    }
    const origin = Math.floor(first / periodMs) * periodMs;
    const length = Math.floor((last - origin) / periodMs) + 1;
    const periods = Array.from({ length }, (_, i) =>
      new Date(origin + i * periodMs).toISOString().slice(0, 13),
    );
    const periodOfHour = hourStarts.map((start) => Math.floor((start - origin) / periodMs));
    const services = [...this.#byService.keys()].sort().map((serviceArn) => {
      const authDenied: number[] = new Array(length).fill(0);
      const requests: number[] = new Array(length).fill(0);
      const sums = this.#byService.get(serviceArn) ?? { authDenied: [], requests: [] };
      sums.authDenied.forEach((denied, hour) => {
        const i = periodOfHour[hour] ?? 0;
        authDenied[i] = (authDenied[i] ?? 0) + denied;
        requests[i] = (requests[i] ?? 0) + (sums.requests[hour] ?? 0);
      });
      return {
        serviceArn,
        serviceId: serviceIdOf(serviceArn),
        authDenied,
        requests,
        spikes: findSpikes(authDenied, this.#rule),
        totalAuthDenied: authDenied.reduce((sum, n) => sum + n, 0),
      };
    });
    return { periods, periodHours, services };
  }
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
  const builder = new DenialTimelineBuilder(rule);
  for (const p of patterns) builder.add(p);
  return builder.build();
}
