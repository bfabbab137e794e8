// S3-triggered aggregation: for each new access-log object, write its hourly call-pattern
// summaries (shared/pipeline summarizeLogObject). Other keys are logged and left alone.
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { S3ObjectStore, s3Client } from '../../shared/aws/index.ts';
import { formatRejection } from '../../shared/log/index.ts';
import {
  classifyObjectKey,
  decodeS3EventKey,
  LOGS_PREFIX,
  type LogObjectSummary,
  summarizeLogObject,
} from '../../shared/pipeline/index.ts';
import type { ObjectStore } from '../../shared/store/index.ts';

/** The structured logger the handler writes to (Powertools Logger in Lambda). */
export interface AggregateLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface AggregateHandlerOptions {
  /** The store of the bucket an event record names. */
  storeFor: (bucket: string) => ObjectStore;
  /** Only keys under this prefix are access logs (env LOGS_PREFIX, default `logs/`). */
  logsPrefix: string;
  log: AggregateLog;
}

export interface AggregateEventResult {
  summarized: LogObjectSummary[];
  ignored: { bucket: string; key: string; reason: string }[];
}

/** Some log objects of the event could not be summarized; Lambda retries the whole event. */
export class LogObjectsFailedError extends Error {
  override name = 'LogObjectsFailedError';

  constructor(
    readonly failures: { bucket: string; key: string; error: unknown }[],
    total: number,
  ) {
    super(
      `${failures.length} of ${total} S3 event record(s) failed: ` +
        failures.map((f) => `s3://${f.bucket}/${f.key}: ${describeError(f.error)}`).join('; '),
    );
  }
}

/** How many rejected lines one log line shows; the count is always complete. */
const LOGGED_REJECTIONS = 5;

export type AggregateFunction = (event: S3Event) => Promise<AggregateEventResult>;

export function createAggregateHandler(options: AggregateHandlerOptions): AggregateFunction {
  const { log } = options;
  return async (event) => {
    if (!Array.isArray(event?.Records)) {
      throw new TypeError('expected an S3 event notification with a Records array');
    }
    const result: AggregateEventResult = { summarized: [], ignored: [] };
    const failures: { bucket: string; key: string; error: unknown }[] = [];
    // One record after another: each holds at most one object's patterns in memory. A failed
    // record does not stop the rest; the retry rewrites their summaries to the same bytes.
    for (const record of event.Records) {
      let target: { bucket: string; key: string; etag: string | undefined };
      try {
        target = targetOf(record);
      } catch (error) {
        log.error('S3 event record unreadable', { error: describeError(error) });
        failures.push({ bucket: '?', key: '?', error });
        continue;
      }
      const { bucket, key, etag } = target;
      const reason = ignoreReason(record, key, options.logsPrefix);
      if (reason !== undefined) {
        log.info('object ignored', { bucket, objectKey: key, reason });
        result.ignored.push({ bucket, key, reason });
        continue;
      }
      try {
        const summary = await summarizeLogObject(
          options.storeFor(bucket),
          etag === undefined ? { key } : { key, etag },
        );
        result.summarized.push(summary);
        const attributes = {
          bucket,
          objectKey: key,
          etag: summary.etag,
          service: summary.services,
          records: summary.records,
          rejectedLines: summary.rejectedLines,
          summaries: summary.summaryKeys,
        };
        if (summary.rejectedLines > 0) {
          log.warn('log object summarized with rejected lines', {
            ...attributes,
            rejections: summary.rejections.slice(0, LOGGED_REJECTIONS).map(formatRejection),
          });
        } else {
          log.info('log object summarized', attributes);
        }
      } catch (error) {
        log.error('log object failed', {
          bucket,
          objectKey: key,
          etag,
          error: describeError(error),
        });
        failures.push({ bucket, key, error });
      }
    }
    if (failures.length > 0) throw new LogObjectsFailedError(failures, event.Records.length);
    return result;
  };
}

function targetOf(record: S3EventRecord) {
  const bucket = record?.s3?.bucket?.name;
  const encodedKey = record?.s3?.object?.key;
  if (typeof bucket !== 'string' || typeof encodedKey !== 'string') {
    throw new TypeError('S3 event record has no s3.bucket.name or s3.object.key');
  }
  const etag = record.s3.object.eTag;
  return { bucket, key: decodeS3EventKey(encodedKey), etag: etag === '' ? undefined : etag };
}

function ignoreReason(record: S3EventRecord, key: string, logsPrefix: string): string | undefined {
  if (typeof record.eventName === 'string' && !record.eventName.startsWith('ObjectCreated:')) {
    return `not an ObjectCreated event (${record.eventName})`;
  }
  const verdict = classifyObjectKey(key, logsPrefix);
  return verdict.isLog ? undefined : verdict.reason;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// Module scope, so a warm Lambda reuses them. The service name comes from POWERTOOLS_SERVICE_NAME.
const logger = new Logger();

/** The Lambda entry point. Env: LOGS_PREFIX (default `logs/`). */
export const handler: AggregateFunction = createAggregateHandler({
  storeFor: (bucket) => new S3ObjectStore(s3Client(), bucket),
  logsPrefix: process.env.LOGS_PREFIX ?? LOGS_PREFIX,
  log: logger,
});
