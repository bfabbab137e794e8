// Keeps the transform's response under Lambda's payload limit. Firehose invokes the function
// synchronously, and Lambda caps a synchronous response at 6 MB, the same as the request (Firehose
// developer guide, "Transform source data", checked with the search tool). Derived fields and
// partition keys make the response larger than the request, so a full batch could not come back:
// Lambda would fail the invocation and Firehose would send the whole batch to errors/.
import type { FirehoseTransformationResultRecord } from 'aws-lambda';
import type { PartitionKeys } from './types.ts';

/**
 * Lambda's synchronous payload limit (6 MiB) less a margin for what we cannot count (the
 * runtime's framing). Firehose's own buffer hint is at most 3 MB (default 1 MB), so real batches
 * stay far below this; it matters for a batch invoked directly or a hint set near its maximum.
 */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 - 16 * 1024;

/** `{"records":[` … `]}` around the comma-separated records. */
const ENVELOPE_BYTES = '{"records":[]}'.length;

/** One record of the response, with the smaller forms it can fall back to. */
export interface ResponseSlot {
  current: FirehoseTransformationResultRecord;
  /** Ok without the derived fields: the original entry, its newline and partition keys. */
  plain?: () => FirehoseTransformationResultRecord;
  /** ProcessingFailed with the original data: never larger than the request's record. */
  failed?: () => FirehoseTransformationResultRecord;
  level: 'enriched' | 'plain' | 'failed';
  /** responseRecordBytes of `current`, `plain()` and `failed()`, when known without building them. */
  bytes?: number;
  plainBytes?: number;
  failedBytes?: number;
}

/** Characters JSON.stringify writes as they are, one byte each in UTF-8. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The UTF-8 size of JSON.stringify(text), without building it for the usual plain ASCII. */
export function jsonStringBytes(text: string): number {
  return PLAIN_JSON_TEXT.test(text) ? text.length + 2 : Buffer.byteLength(JSON.stringify(text));
}

/**
 * The serialized size of one response record, in bytes: JSON.stringify of the record, counted
 * member by member. A record is built by the transform in one shape (recordId, result, data,
 * metadata.partitionKeys); any other shape is measured by serializing it.
 */
export function responseRecordBytes(record: FirehoseTransformationResultRecord): number {
  const { recordId, result, data, metadata } = record;
  const partitionKeys = metadata?.partitionKeys;
  if (
    typeof recordId !== 'string' ||
    // A failed record returns its input's data as it came, which need not be a string.
    (data !== undefined && typeof data !== 'string') ||
    hasOtherMembers(record) ||
    (metadata !== undefined && Object.keys(metadata).length !== 1) ||
    (metadata !== undefined && typeof partitionKeys !== 'object')
  ) {
    return Buffer.byteLength(JSON.stringify(record));
  }
  // `{"recordId":` … `,"result":` … `}`: 23 bytes besides the two values.
  let bytes = 23 + jsonStringBytes(recordId) + jsonStringBytes(result);
  // data is base64 (ASCII, nothing to escape). `,"data":""` is the 10 bytes it adds besides its
  // characters; JSON.stringify leaves out a member whose value is undefined.
  if (data !== undefined) bytes += data.length + 10;
  if (partitionKeys !== undefined) {
    // `,"metadata":{"partitionKeys":{` … `}}`: 32 bytes; each member `"key":value` plus a comma.
    bytes += 32;
    let members = 0;
    for (const key in partitionKeys) {
      if (!Object.hasOwn(partitionKeys, key)) continue;
      const value = partitionKeys[key];
      if (typeof value !== 'string') return Buffer.byteLength(JSON.stringify(record));
      bytes += jsonStringBytes(key) + 1 + jsonStringBytes(value);
      members++;
    }
    if (members > 1) bytes += members - 1;
  }
  return bytes;
}

const RECORD_MEMBERS = new Set(['recordId', 'result', 'data', 'metadata']);

function hasOtherMembers(record: FirehoseTransformationResultRecord): boolean {
  for (const key in record) {
    if (Object.hasOwn(record, key) && !RECORD_MEMBERS.has(key)) return true;
  }
  return false;
}

/**
 * Steps records down, last first, until the response fits `budget`: first enriched `Ok` records
 * lose their derived fields (still `Ok`, still partitioned), then, only if that is not enough,
 * `Ok` records become `ProcessingFailed` with their original data (kept under errors/, never
 * lost). Returns the indexes of the records failed for size, ascending. Mutates `slots`.
 *
 * A slot whose sizes are known (`bytes`, `plainBytes`, `failedBytes`) is stepped by its numbers
 * and its record built once, in its final form: at the request limit most records step down twice.
 */
export function fitResponse(slots: ResponseSlot[], budget: number = MAX_RESPONSE_BYTES): number[] {
  let total = ENVELOPE_BYTES + Math.max(0, slots.length - 1);
  const sizes = new Float64Array(slots.length);
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as ResponseSlot;
    const size = slot.bytes ?? responseRecordBytes(slot.current);
    sizes[i] = size;
    total += size;
  }
  if (total <= budget) return [];

  // Slots stepped by their known size whose record is not built yet (1 in isUnbuilt).
  const unbuilt: number[] = [];
  const isUnbuilt = new Uint8Array(slots.length);
  for (let i = slots.length - 1; i >= 0 && total > budget; i--) {
    const slot = slots[i] as ResponseSlot;
    if (slot.level !== 'enriched' || slot.plain === undefined) continue;
    step(slot, i, 'plain', slot.plainBytes);
  }
  const failedForSize: number[] = [];
  for (let i = slots.length - 1; i >= 0 && total > budget; i--) {
    const slot = slots[i] as ResponseSlot;
    if (slot.level === 'failed' || slot.failed === undefined) continue;
    step(slot, i, 'failed', slot.failedBytes);
    failedForSize.push(i);
  }
  for (const i of unbuilt) {
    if (isUnbuilt[i] === 0) continue;
    const slot = slots[i] as ResponseSlot;
    const next = build(slot, slot.level);
    if (next !== undefined) slot.current = next;
  }
  return failedForSize.reverse();

  function step(
    slot: ResponseSlot,
    index: number,
    level: ResponseSlot['level'],
    knownBytes: number | undefined,
  ): void {
    let size = knownBytes;
    if (size === undefined) {
      const next = build(slot, level) as FirehoseTransformationResultRecord;
      slot.current = next;
      size = responseRecordBytes(next);
      isUnbuilt[index] = 0;
    } else if (isUnbuilt[index] === 0) {
      // Built at the end, once its final level is known (a plain record may still fail).
      isUnbuilt[index] = 1;
      unbuilt.push(index);
    }
    total += size - (sizes[index] as number);
    sizes[index] = size;
    slot.level = level;
  }
}

/** The record of `slot` at `level`, called as a method of the slot (a slot may be a class). */
function build(
  slot: ResponseSlot,
  level: ResponseSlot['level'],
): FirehoseTransformationResultRecord | undefined {
  if (level === 'plain') return slot.plain?.();
  if (level === 'failed') return slot.failed?.();
  return undefined;
}

/** `{"recordId":` … `,"result":` … `}`: the bytes of a record besides its two values. */
const SHELL_BYTES = 23;
/** `,"data":""` besides the base64 characters. */
const DATA_MEMBER_BYTES = 10;
/** `,"metadata":{"partitionKeys":{` … `}}` besides the members. */
const METADATA_BYTES = 32;

/** The bytes of an `Ok` record the transform builds, from the sizes of its parts. */
export function okRecordBytes(
  recordIdBytes: number,
  dataLength: number,
  partitionKeysBytes: number,
): number {
  return (
    SHELL_BYTES +
    recordIdBytes +
    4 +
    dataLength +
    DATA_MEMBER_BYTES +
    METADATA_BYTES +
    partitionKeysBytes
  );
}

/** The bytes of the members of `partitionKeys` in its JSON: `"service":…,"dt":…,"hour":…`. */
export function partitionKeysBytes(partitionKeys: PartitionKeys): number {
  // `"service":`, `"dt":`, `"hour":` and the two commas between them.
  return (
    10 +
    jsonStringBytes(partitionKeys.service) +
    5 +
    jsonStringBytes(partitionKeys.dt) +
    7 +
    jsonStringBytes(partitionKeys.hour) +
    2
  );
}

/** The bytes of a `ProcessingFailed` record carrying `dataLength` base64 characters. */
export function failedRecordBytes(recordIdBytes: number, dataLength: number): number {
  return SHELL_BYTES + recordIdBytes + 18 + dataLength + DATA_MEMBER_BYTES;
}
