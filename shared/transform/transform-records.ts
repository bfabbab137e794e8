// The Firehose data-transformation contract (aws-contracts.md §6) over plain data: every input
// record comes back exactly once, in order, as `Ok` (the entry plus derived fields, one JSON line,
// partition keys) or `ProcessingFailed` (the original data, untouched). Never `Dropped`.
import type {
  FirehoseTransformationEventRecord,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { parseAccessLogLine } from '../log/index.ts';
import {
  type AuthFailureCounts,
  countRequest,
  countTransformFailures,
  emptyAuthFailureCounts,
} from '../metrics/index.ts';
import { decodeRecordData } from './decode-record.ts';
import {
  appendDerivedFields,
  deriveFields,
  partitionKeysOf,
  toSingleLine,
} from './enrich-record.ts';
import { fitResponse, MAX_RESPONSE_BYTES, type ResponseSlot } from './response-budget.ts';
import type { DerivedFields, TransformFailure } from './types.ts';

export interface TransformOptions {
  /** The most the serialized response may weigh, in bytes (default: Lambda's limit, less a margin). */
  maxResponseBytes?: number;
}

export interface TransformBatch {
  /** One per input record, same order, same recordIds. */
  records: FirehoseTransformationResultRecord[];
  /** Why each `ProcessingFailed` record failed, in input order. */
  failures: TransformFailure[];
  /** Requests and auth denials of the valid entries, total and per service, plus failures. */
  counts: AuthFailureCounts;
  /** `Ok` records sent without derived fields to keep the response under the size limit. */
  plainRecords: number;
}

export function transformRecords(
  records: readonly FirehoseTransformationEventRecord[],
  options: TransformOptions = {},
): TransformBatch {
  const counts = emptyAuthFailureCounts();
  // Indexed like the input: recordIds come from outside and are not trusted to be unique.
  const failureAt: (TransformFailure | undefined)[] = [];
  const slots: ResponseSlot[] = [];
  records.forEach((input, index) => {
    const outcome = transformRecord(input);
    slots.push(outcome.slot);
    if ('failure' in outcome) {
      failureAt[index] = { recordId: input.recordId, ...outcome.failure };
    } else {
      countRequest(counts, outcome.derived.serviceId, outcome.derived.isAuthDenied);
    }
  });

  for (const index of fitResponse(slots, options.maxResponseBytes ?? MAX_RESPONSE_BYTES)) {
    failureAt[index] = {
      recordId: (records[index] as FirehoseTransformationEventRecord).recordId,
      kind: 'response-too-large',
      reason:
        'valid entry, but the Lambda response could not carry it within its 6 MB limit; ' +
        'lower the Firehose processing buffer size',
    };
  }

  const failures = failureAt.filter((failure) => failure !== undefined);
  countTransformFailures(counts, failures.length);
  return {
    records: slots.map((slot) => slot.current),
    failures,
    counts,
    plainRecords: slots.filter((slot) => slot.level === 'plain').length,
  };
}

type RecordOutcome =
  | { slot: ResponseSlot; failure: Omit<TransformFailure, 'recordId'> }
  | { slot: ResponseSlot; derived: DerivedFields };

function transformRecord(input: FirehoseTransformationEventRecord): RecordOutcome {
  const { recordId } = input;
  const failed = (): FirehoseTransformationResultRecord => ({
    recordId,
    result: 'ProcessingFailed',
    data: input.data,
  });
  const fail = (failure: Omit<TransformFailure, 'recordId'>): RecordOutcome => ({
    slot: { current: failed(), level: 'failed' },
    failure,
  });

  const decoded = decodeRecordData(input.data);
  if (!decoded.ok) return fail({ kind: decoded.kind, reason: decoded.reason });
  const parsed = parseAccessLogLine(decoded.text, { source: `record ${recordId}`, line: 1 });
  if (parsed === undefined) return fail({ kind: 'empty', reason: 'record holds no text' });
  if (!parsed.ok) {
    const { reason, field } = parsed.rejected;
    return fail({
      kind: 'invalid',
      reason: describeInvalid(decoded.text, reason),
      ...(field === undefined ? {} : { field }),
    });
  }

  const derived = deriveFields(parsed.record);
  const partitionKeys = partitionKeysOf(parsed.record, derived);
  const line = appendDerivedFields(decoded.text, parsed.record, derived);
  return {
    derived,
    slot: {
      current: { recordId, result: 'Ok', data: encodeLine(line), metadata: { partitionKeys } },
      level: 'enriched',
      plain: () => ({
        recordId,
        result: 'Ok',
        data: encodeLine(toSingleLine(decoded.text)),
        metadata: { partitionKeys },
      }),
      failed,
    },
  };
}

/** Firehose concatenates records as they are (§6): each `Ok` record carries its own newline. */
function encodeLine(line: string): string {
  return Buffer.from(`${line}\n`, 'utf8').toString('base64');
}

/**
 * The parser's reason, plus the likely cause when a record holds several lines: Lattice sends one
 * entry per Firehose record (§3), so several are a producer concatenating entries.
 */
function describeInvalid(text: string, reason: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '').length;
  return lines > 1
    ? `${reason} (the record holds ${lines} lines; expected one access-log entry per record)`
    : reason;
}
