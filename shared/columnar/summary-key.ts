// The Hive-style object key layout of summaries: summaries/dt=YYYY-MM-DD/hour=HH/<name>.parquet,
// which Athena (Glue partitions or projection) and DuckDB hive_partitioning read as (dt, hour).
import { hourStartMs } from '../patterns/hour.ts';

/** The parts of a summary object key; `hour` is `YYYY-MM-DDTHH`, as in CallPattern. */
export interface SummaryKeyParts {
  dt: string;
  hour: string;
  name: string;
}

const HOUR = /^(\d{4}-\d{2}-\d{2})T(\d{2})$/;
// Athena and Hive skip objects whose name starts with `_` or `.`, so such a summary would be
// silently missing from queries: only an alphanumeric first character is allowed.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const KEY = /^summaries\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/([^/]+)\.parquet$/;

/** Whether `hour` is a real UTC hour written `YYYY-MM-DDTHH`. */
export function isSummaryHour(hour: string): boolean {
  return HOUR.test(hour) && utcHourOf(hourStartMs(hour)) === hour;
}

/** The UTC hour (`YYYY-MM-DDTHH`) of an epoch-milliseconds instant, or '' if it has none. */
export function utcHourOf(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 13);
}

/** Whether `name` can be the file name of a summary (without `.parquet`). */
export function isSafeSummaryName(name: string): boolean {
  return SAFE_NAME.test(name);
}

/** The object key of the summary `name` for the UTC hour `hour` (`YYYY-MM-DDTHH`). */
export function summaryKey(hour: string, name: string): string {
  const match = HOUR.exec(hour);
  if (!match || !isSummaryHour(hour)) {
    throw new RangeError(
      `summaryKey: hour ${JSON.stringify(hour)} is not a UTC hour YYYY-MM-DDTHH`,
    );
  }
  if (!isSafeSummaryName(name)) {
    throw new RangeError(
      `summaryKey: name ${JSON.stringify(name)} is not a safe file name ` +
        '([A-Za-z0-9._-], 1-200 characters, starting with a letter or digit)',
    );
  }
  return `summaries/dt=${match[1]}/hour=${match[2]}/${name}.parquet`;
}

/** The parts of a summary object key, or undefined if `key` is not one. */
export function parseSummaryKey(key: string): SummaryKeyParts | undefined {
  const match = KEY.exec(key);
  if (!match) return undefined;
  const [, dt = '', hh = '', name = ''] = match;
  const hour = `${dt}T${hh}`;
  if (!isSummaryHour(hour) || !isSafeSummaryName(name)) return undefined;
  return { dt, hour, name };
}
