// The hour call patterns are keyed on.

/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** The UTC hour (`YYYY-MM-DDTHH`) an epoch-millisecond instant falls in. */
export function hourOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 13);
}

/**
 * The epoch milliseconds at which the UTC hour `YYYY-MM-DDTHH` starts. Date.parse reads it, and
 * leniently (hour 24 is the next day's 00): text from outside is checked first (isSummaryHour).
 */
export function hourStartMs(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}
