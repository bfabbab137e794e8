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
import { encodeLine } from './encode-line.ts';
import {
  appendDerivedFields,
  deriveFields,
  partitionKeysOf,
  toSingleLine,
} from './enrich-record.ts';
import { FastEnricher } from './fast-enrich.ts';
import { fitResponse, MAX_RESPONSE_BYTES, type ResponseSlot } from './response-budget.ts';
import { SplicedSlot } from './spliced-slot.ts';
import type { PartitionKeys, TransformFailure } from './types.ts';

export interface TransformOptions {
  /** The most the serialized response may weigh, in bytes (default: Lambda's limit, less a margin). */
  maxResponseBytes?: number;
  /**
   * false: every entry through the strict parser and deriveFields, the reference the fast path
   * (fast-enrich.ts) is tested against. Default true.
   */
  fastPath?: boolean;
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
  // One per invocation: what it learns and remembers is about this batch, and bounded.
  const enricher = options.fastPath === false ? undefined : new FastEnricher();
  for (let index = 0; index < records.length; index++) {
    const input = records[index] as FirehoseTransformationEventRecord;
    const outcome = transformRecord(input, enricher);
    slots.push(outcome.slot);
    if ('failure' in outcome) {
      failureAt[index] = { recordId: input.recordId, ...outcome.failure };
    } else {
      countRequest(counts, outcome.serviceId, outcome.isAuthDenied);
    }
  }

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
  | { slot: ResponseSlot; serviceId: string; isAuthDenied: boolean };

function transformRecord(
  input: FirehoseTransformationEventRecord,
  enricher: FastEnricher | undefined,
): RecordOutcome {
  const decoded = decodeRecordData(input.data);
  if (!decoded.ok) return failedOutcome(input, { kind: decoded.kind, reason: decoded.reason });
  const { text } = decoded;
  const fast = enricher?.enrich(text);
  if (fast !== undefined) {
    const { start, end, metadata } = fast;
    // `data` is the base64 of the text itself when it is ASCII: only what changes is encoded.
    const slot =
      decoded.isAscii && start === 0 && typeof input.data === 'string'
        ? new SplicedSlot(
            input as FirehoseTransformationEventRecord & { data: string },
            text,
            end,
            fast.derivedTail,
            metadata,
            fast.partitionKeysBytes,
          )
        : okSlot(
            input,
            `${text.slice(start, end - 1)}${fast.derivedTail}`,
            text,
            metadata.partitionKeys,
          );
    return { serviceId: fast.serviceId, isAuthDenied: fast.isAuthDenied, slot };
  }
  const parsed = parseAccessLogLine(text, { source: `record ${input.recordId}`, line: 1 });
  if (parsed === undefined)
    return failedOutcome(input, { kind: 'empty', reason: 'record holds no text' });
  if (!parsed.ok) {
    const { reason, field } = parsed.rejected;
    return failedOutcome(input, {
      kind: 'invalid',
      reason: describeInvalid(text, reason),
      ...(field === undefined ? {} : { field }),
    });
  }

  enricher?.learn(text);
  const derived = deriveFields(parsed.record);
  const partitionKeys = partitionKeysOf(parsed.record, derived);
  const line = appendDerivedFields(text, parsed.record, derived);
  return {
    serviceId: derived.serviceId,
    isAuthDenied: derived.isAuthDenied,
    slot: okSlot(input, line, text, partitionKeys),
  };
}

/** `ProcessingFailed` with the original data, untouched. */
function failedRecord(
  input: FirehoseTransformationEventRecord,
): FirehoseTransformationResultRecord {
  return { recordId: input.recordId, result: 'ProcessingFailed', data: input.data };
}

function failedOutcome(
  input: FirehoseTransformationEventRecord,
  failure: Omit<TransformFailure, 'recordId'>,
): RecordOutcome {
  return { slot: { current: failedRecord(input), level: 'failed' }, failure };
}

/** An enriched `Ok` record, with its plain and failed forms for the response budget. */
function okSlot(
  input: FirehoseTransformationEventRecord,
  line: string,
  text: string,
  partitionKeys: PartitionKeys,
): ResponseSlot {
  const { recordId } = input;
  return {
    current: { recordId, result: 'Ok', data: encodeLine(line), metadata: { partitionKeys } },
    level: 'enriched',
    plain: () => ({
      recordId,
      result: 'Ok',
      data: encodeLine(toSingleLine(text)),
      metadata: { partitionKeys },
    }),
    failed: () => failedRecord(input),
  };
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
