// Sends records to a Firehose stream in PutRecordBatch calls, re-sending only the records a call
// reports failed (a response entry with an ErrorCode), with bounded retries and backoff.
// Plain data and an injected sender and sleep: no SDK here, and tests run without real waits.
import { type BatchLimits, batchRecords, PUT_RECORD_BATCH_LIMITS } from './batch-records.ts';

/** Why Firehose did not take one record: its ErrorCode and ErrorMessage. */
export interface RecordFailure {
  code: string;
  message?: string;
}

/**
 * One PutRecordBatch call: the outcome of each record, in request order, `undefined` when
 * accepted. Throws when the call as a whole fails (after the SDK's own retries).
 */
export type SendRecordBatch = (
  records: readonly Uint8Array[],
) => Promise<readonly (RecordFailure | undefined)[]>;

export interface ReplayOptions {
  limits?: BatchLimits;
  /** Calls a record may take part in, the first included (default 5). */
  maxAttempts?: number;
  /** Wait before the first re-send, doubled for each later one (default 200 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts (default 5 s). */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called after each batch is settled, for progress. */
  onBatch?: (report: Readonly<ReplayReport>) => void;
}

export interface ReplayReport {
  /** Records offered. */
  records: number;
  /** Accepted by Firehose. */
  sent: number;
  /** Still not accepted after every attempt, or never sendable (too large). */
  failed: number;
  /** PutRecordBatch calls made, re-sends included. */
  calls: number;
  /** Records sent again after a failure (a record re-sent twice counts twice). */
  resent: number;
  /** Failed records by the error code of their last attempt (`RecordTooLarge` for oversized). */
  failures: Record<string, number>;
  /** Set when a whole call still failed on its last attempt: replay stopped there. */
  stoppedBy?: string;
}

const MISSING_RESPONSE_ENTRY: RecordFailure = { code: 'MissingResponseEntry' };

const DEFAULTS = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function replayRecords(
  records: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  send: SendRecordBatch,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  const limits = options.limits ?? PUT_RECORD_BATCH_LIMITS;
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULTS.maxAttempts);
  const baseDelayMs = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
  const sleep = options.sleep ?? defaultSleep;
  const report: ReplayReport = {
    records: 0,
    sent: 0,
    failed: 0,
    calls: 0,
    resent: 0,
    failures: {},
  };
  const fail = (code: string, count: number) => {
    report.failed += count;
    report.failures[code] = (report.failures[code] ?? 0) + count;
  };

  // Records no call can carry are reported, not sent and not fatal to the rest.
  async function* sendable(): AsyncGenerator<Uint8Array> {
    for await (const record of records) {
      report.records++;
      if (record.byteLength > limits.maxRecordBytes) fail('RecordTooLarge', 1);
      else yield record;
    }
  }

  for await (const batch of batchRecords(sendable(), limits)) {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        // Exponential, no jitter: one CLI process, so there is no herd of clients to spread out.
        await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 2)));
        report.resent += pending.length;
      }
      report.calls++;
      let outcomes: readonly (RecordFailure | undefined)[];
      try {
        outcomes = await send(pending);
      } catch (error) {
        if (attempt < maxAttempts) continue;
        // The call itself keeps failing (no such stream, no permission, no network): every
        // later call would too, so stop rather than walk the rest of the input.
        fail(errorCodeOf(error), pending.length);
        report.stoppedBy = errorMessageOf(error);
        options.onBatch?.(report);
        return report;
      }
      const retry: Uint8Array[] = [];
      const lastCodes: string[] = [];
      pending.forEach((record, i) => {
        // A response shorter than the request leaves records unconfirmed: send them again
        // (Firehose delivery is at least once anyway) rather than count them as sent.
        const outcome = i < outcomes.length ? outcomes[i] : MISSING_RESPONSE_ENTRY;
        if (outcome === undefined) {
          report.sent++;
        } else {
          retry.push(record);
          lastCodes.push(outcome.code);
        }
      });
      if (retry.length > 0 && attempt >= maxAttempts) {
        for (const code of lastCodes) fail(code, 1);
        break;
      }
      pending = retry;
    }
    options.onBatch?.(report);
  }
  return report;
}

function errorCodeOf(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

function errorMessageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
