// Firehose data-transformation Lambda: decode the event, transform its records (shared/transform),
// log each failed record, emit the batch's request and auth-denial metrics once, return every record.
import { Logger } from '@aws-lambda-powertools/logger';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { buildAuthFailureEmf, DEFAULT_METRICS_NAMESPACE } from '../../shared/metrics/index.ts';
import { type TransformFailure, transformRecords } from '../../shared/transform/index.ts';

/** The structured logger the handler writes to (Powertools Logger in Lambda). */
export interface TransformLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface TransformHandlerOptions {
  log: TransformLog;
  /** Writes one EMF document as one log line. */
  writeMetric: (document: string) => void;
  /** CloudWatch namespace of the metrics. */
  namespace: string;
  /** Epoch ms, the timestamp of the metrics. */
  now: () => number;
  /** Response size limit, for tests; defaults to Lambda's. */
  maxResponseBytes?: number;
}

export type FirehoseTransformFunction = (
  event: FirehoseTransformationEvent,
) => Promise<FirehoseTransformationResult>;

export function createTransformHandler(
  options: TransformHandlerOptions,
): FirehoseTransformFunction {
  const { log } = options;
  return async (event) => {
    if (!Array.isArray(event?.records)) {
      // Not a Firehose event at all: fail the invocation rather than answer with no records.
      throw new TypeError('expected a Firehose transformation event with a records array');
    }
    const batch = transformRecords(
      event.records,
      options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes },
    );

    const context = {
      invocationId: event.invocationId,
      deliveryStreamArn: event.deliveryStreamArn,
    };
    // A record that could not be read gets its own line: each has its own reason. Records failed
    // for the response size share one reason and are the last valid records of the batch, so they
    // get one line: thousands of identical warnings per invocation would cost more than the
    // transform itself (a Powertools line is tens of µs) and bury the records that need a look.
    const failedForSize: TransformFailure[] = [];
    for (const failure of batch.failures) {
      if (failure.kind === 'response-too-large') failedForSize.push(failure);
      else safely(() => log.warn('record failed transformation', { ...context, ...failure }));
    }
    const firstForSize = failedForSize[0];
    const lastForSize = failedForSize.at(-1);
    if (firstForSize !== undefined && lastForSize !== undefined) {
      safely(() =>
        log.warn('records failed for the response size', {
          ...context,
          kind: firstForSize.kind,
          reason: firstForSize.reason,
          records: failedForSize.length,
          firstRecordId: firstForSize.recordId,
          lastRecordId: lastForSize.recordId,
        }),
      );
    }
    safely(() =>
      log.info('batch transformed', {
        ...context,
        records: batch.records.length,
        ok: batch.records.length - batch.failures.length,
        processingFailed: batch.failures.length,
        withoutDerivedFields: batch.plainRecords,
        services: batch.counts.services.size,
      }),
    );

    // Metrics are a side channel: whatever goes wrong there, Firehose still gets its records.
    try {
      const documents = buildAuthFailureEmf(batch.counts, {
        namespace: options.namespace,
        timestamp: options.now(),
      });
      for (const document of documents) options.writeMetric(document);
    } catch (error) {
      safely(() => log.error('metrics not emitted', { ...context, error: describeError(error) }));
    }

    return { records: batch.records };
  };
}

/** Runs a log call whose failure must not fail the batch (a broken logger has nowhere to report). */
function safely(write: () => void): void {
  try {
    write();
  } catch {
    // Deliberately ignored: returning every record to Firehose matters more than one log line.
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// Module scope, so a warm Lambda reuses them. The service name comes from POWERTOOLS_SERVICE_NAME.
const logger = new Logger();

/** The Lambda entry point. */
export const handler: FirehoseTransformFunction = createTransformHandler({
  log: logger,
  // EMF is read from the function's log stream; one write per document keeps each on its own line
  // (a log event), as Powertools Metrics does with its own Console.
  writeMetric: (document) => {
    process.stdout.write(`${document}\n`);
  },
  namespace: process.env.METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE,
  now: Date.now,
});
