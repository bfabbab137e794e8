// Where things live in the lattice-lens bucket. The CDK stack, the functions and the CLI agree on
// these prefixes; the aggregate function uses them to tell log objects from everything else.

/** Firehose writes access logs here (dynamic partitioning: service=…/dt=…/hour=…/). Env LOGS_PREFIX. */
export const LOGS_PREFIX = 'logs/';
/** Firehose writes the records the transform marked ProcessingFailed here. */
export const ERRORS_PREFIX = 'errors/';
/** The aggregate function writes Parquet call-pattern summaries here. */
export const SUMMARIES_PREFIX = 'summaries/';
/** The suggest function writes policies, evidence, the report and the manifest here. */
export const POLICIES_PREFIX = 'policies/';
/** The manifest of the latest suggestions, the download function's table of contents. */
export const MANIFEST_KEY = `${POLICIES_PREFIX}latest.json`;
export const REPORT_KEY = `${POLICIES_PREFIX}report.html`;

export function policyKeyOf(serviceId: string): string {
  return `${POLICIES_PREFIX}${serviceId}.json`;
}

export function evidenceKeyOf(serviceId: string): string {
  return `${POLICIES_PREFIX}${serviceId}.evidence.json`;
}

/** Whether an object is an access log to aggregate, and if not, why it is left alone. */
export type LogObjectVerdict = { isLog: true } | { isLog: false; reason: string };

/**
 * Decides whether the object at `key` is an access log. Our own outputs and Firehose's error
 * output are never logs, even when the logs prefix is configured wider (`''`), so a summary written
 * into the bucket can never trigger another aggregation.
 */
export function classifyObjectKey(key: string, logsPrefix: string = LOGS_PREFIX): LogObjectVerdict {
  if (key.startsWith(ERRORS_PREFIX)) {
    return { isLog: false, reason: `records Firehose failed to process (${ERRORS_PREFIX})` };
  }
  for (const prefix of [SUMMARIES_PREFIX, POLICIES_PREFIX]) {
    if (key.startsWith(prefix)) return { isLog: false, reason: `lattice-lens output (${prefix})` };
  }
  if (!key.startsWith(logsPrefix)) {
    return { isLog: false, reason: `outside the logs prefix ${JSON.stringify(logsPrefix)}` };
  }
  // The S3 console makes zero-byte "folder" objects ending in `/`: nothing to read in them.
  if (key.endsWith('/')) return { isLog: false, reason: 'a folder marker, not a log object' };
  return { isLog: true };
}
