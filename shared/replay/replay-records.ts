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
  /** Records read and attempted (in a call, or failed as too large): always `sent + failed`. */
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
  /**
   * With `stoppedBy`: the records after the stop, read and counted but never in a call, so that
   * `records + notAttempted` is every record of the input.
   */
  notAttempted?: number;
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
      if (record.byteLength > limits.maxRecordBytes) {
        report.records++;
        fail('RecordTooLarge', 1);
      } else {
        yield record;
      }
    }
  }

  // A sendable record is counted when its batch is attempted, not when read: batching reads one
  // record ahead, and that record belongs to the next batch, which a stop may never attempt.
  for await (const batch of batchRecords(sendable(), limits)) {
    if (report.stoppedBy !== undefined) {
      report.notAttempted = (report.notAttempted ?? 0) + batch.length;
      continue;
    }
    report.records += batch.length;
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
        // later call would too, so make no more. The rest of the input is still read, only to
        // count it: reading local files is cheap next to a call, and the report then says how
        // much of the input was never sent.
        fail(errorCodeOf(error), pending.length);
        report.stoppedBy = errorMessageOf(error);
        report.notAttempted = 0;
        break;
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
