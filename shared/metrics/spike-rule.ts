// The one definition of a 403 spike, shared by the CloudWatch alarms (infra/) and the report timeline.

export interface SpikeRule {
  /** Length of one evaluation period, in minutes (the alarm period and the timeline bucket). */
  periodMinutes: number;
  /** Static threshold: this many auth denials in one period is a spike whatever came before. */
  threshold: number;
  /**
   * Anomaly band width in standard deviations (CloudWatch ANOMALY_DETECTION_BAND(m, N)); locally
   * approximated by mean + N·stddev of the trailing `baselinePeriods`.
   */
  bandWidth: number;
  baselinePeriods: number;
  /** Below this many denials a period is never a spike: noise, not an attack. */
  minimum: number;
}

export const SPIKE_RULE: SpikeRule = {
  periodMinutes: 60,
  threshold: 50,
  bandWidth: 3,
  baselinePeriods: 24,
  minimum: 10,
};

/** Periods needed before the band means anything. */
const MIN_BASELINE = 3;

/**
 * Marks the periods of a series of auth-denial counts that are spikes: over the static threshold,
 * or (at least `minimum`) above the band of the trailing baseline.
 */
export function findSpikes(counts: readonly number[], rule: SpikeRule = SPIKE_RULE): boolean[] {
  return counts.map((count, i) => {
    if (count >= rule.threshold) return true;
    if (count < rule.minimum) return false;
    const baseline = counts.slice(Math.max(0, i - rule.baselinePeriods), i);
    if (baseline.length < MIN_BASELINE) return false;
    const mean = baseline.reduce((sum, c) => sum + c, 0) / baseline.length;
    const variance = baseline.reduce((sum, c) => sum + (c - mean) ** 2, 0) / baseline.length;
    // Counts are Poisson-like: a flat baseline still has sqrt(mean) of noise, so never a zero band.
    const spread = Math.max(Math.sqrt(variance), Math.sqrt(mean));
    return count > mean + rule.bandWidth * spread;
  });
}
