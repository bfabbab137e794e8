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
import { appendToBase64, encodeLine, withBase64Tail } from './encode-line.ts';
import {
  appendDerivedFields,
  deriveFields,
  partitionKeysOf,
  toSingleLine,
} from './enrich-record.ts';
import { FastEnricher } from './fast-enrich.ts';
import {
  failedRecordBytes,
  fitResponse,
  jsonStringBytes,
  MAX_RESPONSE_BYTES,
  okRecordBytes,
  type ResponseSlot,
} from './response-budget.ts';
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
  const { text } = decoded;
  const fast = enricher?.enrich(text);
  if (fast !== undefined) {
    const { start, end, metadata } = fast;
    if (decoded.isAscii && start === 0) {
      // `data` is the base64 of the text itself: re-encode only what changes (encode-line.ts).
      const data = input.data;
      // The plain form (the entry as it came, one newline) is built only if the response is too
      // large: keep the few characters it needs, not the text.
      const plainGroups = Math.floor(end / 3);
      const plainRest = `${text.slice(plainGroups * 3, end)}\n`;
      const enriched = appendToBase64(data, text, end - 1, `${fast.derivedTail}\n`);
      const idBytes = jsonStringBytes(recordId);
      return {
        serviceId: fast.serviceId,
        isAuthDenied: fast.isAuthDenied,
        slot: {
          current: { recordId, result: 'Ok', data: enriched, metadata },
          level: 'enriched',
          // Sizes from lengths: the response budget steps records without building them.
          bytes: okRecordBytes(idBytes, enriched.length, fast.partitionKeysBytes),
          // The base64 of the entry's `end` characters and a newline.
          plainBytes: okRecordBytes(idBytes, Math.ceil((end + 1) / 3) * 4, fast.partitionKeysBytes),
          failedBytes: failedRecordBytes(idBytes, data.length),
          plain: () => ({
            recordId,
            result: 'Ok',
            data: withBase64Tail(data, plainGroups, plainRest),
            metadata,
          }),
          failed,
        },
      };
    }
    const line = `${text.slice(start, end - 1)}${fast.derivedTail}`;
    return {
      serviceId: fast.serviceId,
      isAuthDenied: fast.isAuthDenied,
      slot: okSlot(recordId, line, text, metadata.partitionKeys, failed),
    };
  }
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

  enricher?.learn(decoded.text);
  const derived = deriveFields(parsed.record);
  const partitionKeys = partitionKeysOf(parsed.record, derived);
  const line = appendDerivedFields(decoded.text, parsed.record, derived);
  return {
    serviceId: derived.serviceId,
    isAuthDenied: derived.isAuthDenied,
    slot: okSlot(recordId, line, decoded.text, partitionKeys, failed),
  };
}

/** An enriched `Ok` record, with its plain and failed forms for the response budget. */
function okSlot(
  recordId: string,
  line: string,
  text: string,
  partitionKeys: PartitionKeys,
  failed: () => FirehoseTransformationResultRecord,
): ResponseSlot {
  return {
    current: { recordId, result: 'Ok', data: encodeLine(line), metadata: { partitionKeys } },
    level: 'enriched',
    plain: () => ({
      recordId,
      result: 'Ok',
      data: encodeLine(toSingleLine(text)),
      metadata: { partitionKeys },
    }),
    failed,
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
