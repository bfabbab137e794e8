// Scheduled suggestion (EventBridge): merge the summaries of the last WINDOW_DAYS days and write
// policies, evidence, the report and policies/latest.json (shared/pipeline suggestForWindow).
import { Logger } from '@aws-lambda-powertools/logger';
import type { ScheduledEvent } from 'aws-lambda';
import { S3ObjectStore, s3Client } from '../../shared/aws/index.ts';
import { type SuggestionsManifest, suggestForWindow } from '../../shared/pipeline/index.ts';
import { isOrganizationId } from '../../shared/policy/index.ts';
import type { ObjectStore } from '../../shared/store/index.ts';

/** The structured logger the handler writes to (Powertools Logger in Lambda). */
export interface SuggestLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface SuggestHandlerOptions {
  store: ObjectStore;
  /** Env WINDOW_DAYS, default 14. */
  windowDays: number;
  /** Env MIN_REQUESTS, default 5 (as `analyze --min-requests`). */
  minRequests: number;
  /** Env MIN_DAYS, default 1 (as `analyze --min-days`). */
  minDays?: number;
  /** Env ORG_ID, none by default (as `analyze --org-id`). */
  orgId?: string;
  log: SuggestLog;
  /** The window's end when the event carries no time (a manual invocation). */
  now: () => Date;
}

export const DEFAULT_WINDOW_DAYS = 14;
export const DEFAULT_MIN_REQUESTS = 5;
export const DEFAULT_MIN_DAYS = 1;

/** A missing or malformed environment variable: the function is misconfigured, not the data. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export interface SuggestConfig {
  bucket: string;
  windowDays: number;
  minRequests: number;
  minDays: number;
  orgId?: string;
}

/**
 * Reads BUCKET_NAME, WINDOW_DAYS, MIN_REQUESTS, MIN_DAYS and ORG_ID.
 * @throws ConfigurationError naming the variable.
 */
export function suggestConfigFromEnv(env: Record<string, string | undefined>): SuggestConfig {
  const bucket = env.BUCKET_NAME?.trim();
  if (!bucket) throw new ConfigurationError('BUCKET_NAME is not set: the bucket to read and write');
  return {
    bucket,
    windowDays: positiveIntegerEnv(env, 'WINDOW_DAYS', DEFAULT_WINDOW_DAYS),
    minRequests: positiveIntegerEnv(env, 'MIN_REQUESTS', DEFAULT_MIN_REQUESTS),
    minDays: positiveIntegerEnv(env, 'MIN_DAYS', DEFAULT_MIN_DAYS),
    ...orgIdEnv(env),
  };
}

function orgIdEnv(env: Record<string, string | undefined>): { orgId?: string } {
  const orgId = env.ORG_ID?.trim();
  if (orgId === undefined || orgId === '') return {};
  if (!isOrganizationId(orgId)) {
    throw new ConfigurationError(
      `ORG_ID is ${JSON.stringify(orgId)}: expected an AWS Organizations id such as o-a1b2c3d4e5`,
    );
  }
  return { orgId };
}

function positiveIntegerEnv(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`${name} is ${JSON.stringify(text)}: expected a whole number ≥ 1`);
  }
  return value;
}

export type SuggestFunction = (event: Partial<ScheduledEvent>) => Promise<SuggestionsManifest>;

export function createSuggestHandler(options: SuggestHandlerOptions): SuggestFunction {
  return async (event) => {
    const end = windowEnd(event, options.now);
    const result = await suggestForWindow(options.store, {
      end,
      days: options.windowDays,
      minRequests: options.minRequests,
      ...(options.minDays === undefined ? {} : { minDays: options.minDays }),
      ...(options.orgId === undefined ? {} : { orgId: options.orgId }),
    });
    for (const key of result.skippedKeys) {
      options.log.warn('object under summaries/ is not a summary; not read', { objectKey: key });
    }
    for (const { serviceId, policySize, sizeLimit } of result.oversized) {
      options.log.warn(
        'suggested policy is over the auth-policy size limit; PutAuthPolicy would reject it',
        {
          service: serviceId,
          policySize,
          sizeLimit,
        },
      );
    }
    const { manifest } = result;
    options.log.info('policies suggested', {
      window: manifest.window,
      summaries: manifest.summaries,
      service: manifest.services.map((s) => s.serviceId),
      review: manifest.services.reduce((sum, s) => sum + s.review, 0),
      written: result.writtenKeys.length,
    });
    return manifest;
  };
}

/** The schedule's event time; now for an invocation without one. */
function windowEnd(event: Partial<ScheduledEvent> | undefined, now: () => Date): Date {
  const time = event?.time;
  if (time === undefined) return now();
  const end = new Date(time);
  if (typeof time !== 'string' || Number.isNaN(end.getTime())) {
    throw new TypeError(`event time ${JSON.stringify(time)} is not an ISO 8601 date`);
  }
  return end;
}

// Module scope, so a warm Lambda reuses them. The service name comes from POWERTOOLS_SERVICE_NAME.
const logger = new Logger();
let configured: SuggestFunction | undefined;

/**
 * The Lambda entry point. Env: BUCKET_NAME, WINDOW_DAYS (default 14), MIN_REQUESTS (default 5),
 * MIN_DAYS (default 1), ORG_ID (optional).
 */
export const handler: SuggestFunction = async (event) => {
  // Configured on first use, so a misconfiguration fails each invocation with a clear message.
  if (configured === undefined) {
    const config = suggestConfigFromEnv(process.env);
    configured = createSuggestHandler({
      store: new S3ObjectStore(s3Client(), config.bucket),
      windowDays: config.windowDays,
      minRequests: config.minRequests,
      minDays: config.minDays,
      ...(config.orgId === undefined ? {} : { orgId: config.orgId }),
      log: logger,
      now: () => new Date(),
    });
  }
  return await configured(event);
};
