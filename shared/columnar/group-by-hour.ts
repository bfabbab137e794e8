// Splits call patterns by their UTC hour, so each summary file holds exactly one (dt, hour) partition.
import type { CallPattern } from '../patterns/types.ts';

/** Patterns grouped by `hour`, hours in ascending order, input order kept within an hour. */
export function groupByHour(patterns: Iterable<CallPattern>): Map<string, CallPattern[]> {
  const byHour = new Map<string, CallPattern[]>();
  for (const pattern of patterns) {
    const group = byHour.get(pattern.hour);
    if (group) group.push(pattern);
    else byHour.set(pattern.hour, [pattern]);
  }
  return new Map([...byHour].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
