// The hour call patterns are keyed on.

/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** The UTC hour (`YYYY-MM-DDTHH`) an epoch-millisecond instant falls in. */
export function hourOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 13);
}
