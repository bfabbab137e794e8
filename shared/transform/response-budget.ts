// Keeps the transform's response under Lambda's payload limit. Firehose invokes the function
// synchronously, and Lambda caps a synchronous response at 6 MB, the same as the request (Firehose
// developer guide, "Transform source data", checked with the search tool). Derived fields and
// partition keys make the response larger than the request, so a full batch could not come back:
// Lambda would fail the invocation and Firehose would send the whole batch to errors/.
import type { FirehoseTransformationResultRecord } from 'aws-lambda';

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
}

/** Characters JSON.stringify writes as they are, one byte each in UTF-8. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The UTF-8 size of JSON.stringify(text), without building it for the usual plain ASCII. */
function jsonStringBytes(text: string): number {
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
 */
export function fitResponse(slots: ResponseSlot[], budget: number = MAX_RESPONSE_BYTES): number[] {
  let total = ENVELOPE_BYTES + Math.max(0, slots.length - 1);
  const sizes = slots.map((slot) => responseRecordBytes(slot.current));
  for (const size of sizes) total += size;
  if (total <= budget) return [];

  for (let i = slots.length - 1; i >= 0 && total > budget; i--) {
    const slot = slots[i] as ResponseSlot;
    if (slot.level !== 'enriched' || slot.plain === undefined) continue;
    total = replace(slot, slot.plain(), 'plain', i);
  }
  const failedForSize: number[] = [];
  for (let i = slots.length - 1; i >= 0 && total > budget; i--) {
    const slot = slots[i] as ResponseSlot;
    if (slot.level === 'failed' || slot.failed === undefined) continue;
    total = replace(slot, slot.failed(), 'failed', i);
    failedForSize.push(i);
  }
  return failedForSize.reverse();

  function replace(
    slot: ResponseSlot,
    next: FirehoseTransformationResultRecord,
    level: ResponseSlot['level'],
    index: number,
  ): number {
    const size = responseRecordBytes(next);
    const updated = total - (sizes[index] as number) + size;
    sizes[index] = size;
    slot.current = next;
    slot.level = level;
    return updated;
  }
}
