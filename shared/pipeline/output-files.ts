// The files one analysis writes, as key → bytes, so the CLI (filesystem) and the functions (S3) write the same.
import { encodeSummary, groupByHour, summaryKey } from '../columnar/index.ts';
import type { CallPattern } from '../patterns/index.ts';
import { type GenerateOptions, generatePolicies, type ServicePolicy } from '../policy/index.ts';
import { renderReport } from '../report/index.ts';

export interface OutputFile {
  key: string;
  body: string | Uint8Array;
  contentType: string;
}

/**
 * Parquet summaries of hourly patterns, one object per hour, named `<name>.parquet`, hour by hour:
 * each is encoded when asked for, so a caller can write one while the next is encoded.
 */
export function* summaryFiles(
  patterns: readonly CallPattern[],
  name: string,
): Generator<OutputFile> {
  for (const [hour, hourly] of groupByHour(patterns)) {
    yield {
      key: summaryKey(hour, name),
      body: encodeSummary(hourly),
      contentType: 'application/vnd.apache.parquet',
    };
  }
}

export interface Suggestions {
  policies: ServicePolicy[];
  files: OutputFile[];
}

export interface SuggestionOptions extends GenerateOptions {
  /** Shown in the report when given; left out by default so the same input gives the same bytes. */
  generatedAt?: string;
}

/** Policies, evidence and the report for the hourly patterns of a window. */
export function suggestionFiles(
  patterns: readonly CallPattern[],
  options: SuggestionOptions = {},
): Suggestions {
  const { generatedAt, ...generateOptions } = options;
  const policies = generatePolicies(patterns, generateOptions);
  const files: OutputFile[] = [];
  for (const policy of policies) {
    files.push({
      key: `policies/${policy.serviceId}.json`,
      body: policy.policyText,
      contentType: 'application/json',
    });
    files.push({
      key: `policies/${policy.serviceId}.evidence.json`,
      body: `${JSON.stringify(policy.evidence, null, 2)}\n`,
      contentType: 'application/json',
    });
  }
  files.push({
    key: 'report.html',
    // Hourly patterns, not merged ones: the report draws the 403 timeline from them.
    body: renderReport({
      policies,
      patterns,
      ...(generatedAt === undefined ? {} : { generatedAt }),
    }),
    contentType: 'text/html; charset=utf-8',
  });
  return { policies, files };
}
