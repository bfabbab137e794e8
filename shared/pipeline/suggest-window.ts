// The scheduled suggestion: the summaries of a window of days, merged, turned into policies,
// evidence and the report under policies/, with the manifest written last.
import { decodeSummary, parseSummaryKey, SummaryFormatError } from '../columnar/index.ts';
import { HOUR_MS, hourStartMs, PatternSet } from '../patterns/index.ts';
import type { ObjectStore } from '../store/index.ts';
import {
  evidenceKeyOf,
  MANIFEST_KEY,
  POLICIES_PREFIX,
  policyKeyOf,
  REPORT_KEY,
  SUMMARIES_PREFIX,
} from './bucket-layout.ts';
import { suggestionFiles } from './output-files.ts';
import type { SuggestionsManifest } from './suggestions-manifest.ts';

const DAY_MS = 24 * HOUR_MS;

export interface SuggestWindowOptions {
  /** The end of the window (the schedule's event time). */
  end: Date;
  /** Length of the window in days (whole days, ≥ 1). */
  days: number;
  /** Statements backed by fewer successful requests are flagged (as `analyze --min-requests`). */
  minRequests?: number;
  /** Statements seen on fewer distinct UTC days are flagged (as `analyze --min-days`). */
  minDays?: number;
  /** Every signed grant also requires `aws:PrincipalOrgID` to be this (as `analyze --org-id`). */
  orgId?: string;
}

export interface SuggestWindowResult {
  manifest: SuggestionsManifest;
  /** Every key written, the manifest last. */
  writtenKeys: string[];
  /** Objects under summaries/ in the window's days whose key is not a summary key: not read. */
  skippedKeys: string[];
  /** Policies over the auth-policy size limit even coarsened, which PutAuthPolicy would reject. */
  oversized: { serviceId: string; policySize: number; sizeLimit: number }[];
}

/** A summary found in the window that cannot be read: the run stops rather than under-grant. */
export class WindowSummaryError extends Error {
  override name = 'WindowSummaryError';

  constructor(
    message: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The `summaries/dt=YYYY-MM-DD/` prefixes of every UTC day that overlaps [from, to). */
export function summaryDayPrefixes(from: number, to: number): string[] {
  const prefixes: string[] = [];
  for (let day = from - (from % DAY_MS); day < to; day += DAY_MS) {
    prefixes.push(`${SUMMARIES_PREFIX}dt=${new Date(day).toISOString().slice(0, 10)}/`);
  }
  return prefixes;
}

/**
 * Merges every summary whose UTC hour overlaps [end − days, end), generates the policies, and
 * writes them with their evidence and the report under policies/, then policies/latest.json.
 * Keys are fixed (policies/<svc-id>.json …), so the latest run replaces the previous one.
 * @throws WindowSummaryError when a summary in the window is unreadable; nothing is written then.
 */
export async function suggestForWindow(
  store: ObjectStore,
  options: SuggestWindowOptions,
): Promise<SuggestWindowResult> {
  const to = options.end.getTime();
  if (!Number.isFinite(to)) throw new RangeError('suggestForWindow: end is not a valid date');
  if (!Number.isInteger(options.days) || options.days < 1) {
    throw new RangeError(`suggestForWindow: days must be a whole number ≥ 1, got ${options.days}`);
  }
  const from = to - options.days * DAY_MS;

  const summaryKeys: string[] = [];
  const skippedKeys: string[] = [];
  for (const prefix of summaryDayPrefixes(from, to)) {
    for (const key of await store.list(prefix)) {
      const parts = parseSummaryKey(key);
      if (parts === undefined) {
        skippedKeys.push(key);
        continue;
      }
      const hourStart = hourStartMs(parts.hour);
      if (hourStart + HOUR_MS > from && hourStart < to) summaryKeys.push(key);
    }
  }

  const patterns = new PatternSet();
  for (const key of summaryKeys) patterns.addAll(await readSummary(store, key));

  const { policies, files } = suggestionFiles(patterns.toArray(), {
    ...(options.minRequests === undefined ? {} : { minRequests: options.minRequests }),
    ...(options.minDays === undefined ? {} : { minDays: options.minDays }),
    ...(options.orgId === undefined ? {} : { orgId: options.orgId }),
  });
  const writtenKeys: string[] = [];
  for (const file of files) {
    // suggestionFiles names the report as analyze lays it out (report.html at the top); in the
    // bucket everything suggest writes lives under policies/.
    const key = file.key.startsWith(POLICIES_PREFIX) ? file.key : `${POLICIES_PREFIX}${file.key}`;
    await store.put(key, file.body, file.contentType);
    writtenKeys.push(key);
  }

  const manifest: SuggestionsManifest = {
    window: {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      days: options.days,
    },
    generatedAt: new Date(to).toISOString(),
    summaries: summaryKeys.length,
    services: policies.map((policy) => ({
      serviceId: policy.serviceId,
      serviceArn: policy.serviceArn,
      policyKey: policyKeyOf(policy.serviceId),
      evidenceKey: evidenceKeyOf(policy.serviceId),
      statements: policy.policy.Statement.length,
      review: policy.evidence.review.length,
      exceedsSizeLimit: policy.evidence.exceedsSizeLimit,
    })),
    reportKey: REPORT_KEY,
  };
  // Last, so the manifest never lists a policy that is not written yet.
  await store.put(MANIFEST_KEY, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  writtenKeys.push(MANIFEST_KEY);
  const oversized = policies
    .filter((policy) => policy.evidence.exceedsSizeLimit)
    .map(({ serviceId, evidence }) => ({
      serviceId,
      policySize: evidence.policySize,
      sizeLimit: evidence.sizeLimit,
    }));
  return { manifest, writtenKeys, skippedKeys, oversized };
}

async function readSummary(store: ObjectStore, key: string) {
  try {
    return await decodeSummary(await store.get(key));
  } catch (error) {
    if (error instanceof SummaryFormatError) {
      throw new WindowSummaryError(`summary ${key} is unreadable: ${error.message}`, key, {
        cause: error,
      });
    }
    throw error;
  }
}
