// A response slot for an entry the fast path read from ASCII text: its three forms (enriched,
// plain, failed) are built on demand from the input's own base64 (encode-line.ts), by methods
// rather than closures, so a batch of thousands holds one small object a record, and an
// oversized batch never encodes the enriched form of records it steps down.
import type {
  FirehoseTransformationEventRecord,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { withBase64Tail } from './encode-line.ts';
import type { PartitionMetadata } from './fast-enrich.ts';
import {
  failedRecordBytes,
  jsonStringBytes,
  okRecordBytes,
  type ResponseSlot,
} from './response-budget.ts';

export class SplicedSlot implements ResponseSlot {
  level: ResponseSlot['level'] = 'enriched';
  readonly bytes: number;
  readonly plainBytes: number;
  readonly failedBytes: number;
  readonly #input: FirehoseTransformationEventRecord & { data: string };
  readonly #metadata: PartitionMetadata;
  readonly #enrichedGroups: number;
  readonly #enrichedRest: string;
  readonly #plainGroups: number;
  readonly #plainRest: string;
  #current: FirehoseTransformationResultRecord | undefined;

  /**
   * `input.data` is the base64 of `text`, ASCII, whose entry is `text[0, end)` with its closing
   * brace at `end - 1`; the enriched line replaces that brace with `derivedTail`.
   */
  constructor(
    input: FirehoseTransformationEventRecord & { data: string },
    text: string,
    end: number,
    derivedTail: string,
    metadata: PartitionMetadata,
    partitionKeysBytes: number,
  ) {
    this.#input = input;
    this.#metadata = metadata;
    // base64(text[0, cut) + tail) is data's first ⌊cut/3⌋ groups plus the base64 of the rest.
    this.#enrichedGroups = Math.floor((end - 1) / 3);
    this.#enrichedRest = `${text.slice(this.#enrichedGroups * 3, end - 1)}${derivedTail}\n`;
    this.#plainGroups = Math.floor(end / 3);
    this.#plainRest = `${text.slice(this.#plainGroups * 3, end)}\n`;
    const idBytes = jsonStringBytes(input.recordId);
    const restBytes = Buffer.byteLength(this.#enrichedRest, 'utf8');
    const enrichedLength = this.#enrichedGroups * 4 + Math.ceil(restBytes / 3) * 4;
    this.bytes = okRecordBytes(idBytes, enrichedLength, partitionKeysBytes);
    this.plainBytes = okRecordBytes(idBytes, Math.ceil((end + 1) / 3) * 4, partitionKeysBytes);
    this.failedBytes = failedRecordBytes(idBytes, input.data.length);
  }

  /** The record in its current form, built on first use. */
  get current(): FirehoseTransformationResultRecord {
    if (this.#current === undefined) {
      this.#current =
        this.level === 'enriched'
          ? this.#ok(withBase64Tail(this.#input.data, this.#enrichedGroups, this.#enrichedRest))
          : this.level === 'plain'
            ? this.plain()
            : this.failed();
    }
    return this.#current;
  }

  set current(record: FirehoseTransformationResultRecord) {
    this.#current = record;
  }

  plain(): FirehoseTransformationResultRecord {
    return this.#ok(withBase64Tail(this.#input.data, this.#plainGroups, this.#plainRest));
  }

  failed(): FirehoseTransformationResultRecord {
    return { recordId: this.#input.recordId, result: 'ProcessingFailed', data: this.#input.data };
  }

  #ok(data: string): FirehoseTransformationResultRecord {
    return { recordId: this.#input.recordId, result: 'Ok', data, metadata: this.#metadata };
  }
}
