// Groups records into PutRecordBatch calls within Firehose's limits: at most 500 records and
// 4 MiB per call, at most 1,000 KiB per record (Firehose API reference, PutRecordBatch and Record:
// "1,000 KB before base64 encoding, up to 4 MB for the entire request"; 4 MiB as the brief sets).

export interface BatchLimits {
  maxRecords: number;
  /** Raw data bytes of one call, before base64. */
  maxBatchBytes: number;
  /** Raw data bytes of one record, before base64. */
  maxRecordBytes: number;
}

export const PUT_RECORD_BATCH_LIMITS: BatchLimits = {
  maxRecords: 500,
  maxBatchBytes: 4 * 1024 * 1024,
  maxRecordBytes: 1000 * 1024,
};

/**
 * Yields `records` in order, in batches as full as the limits allow. Every record must already fit
 * `maxRecordBytes` (the caller sets larger ones aside: no call could carry them).
 */
export async function* batchRecords(
  records: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: BatchLimits = PUT_RECORD_BATCH_LIMITS,
): AsyncGenerator<Uint8Array[]> {
  let batch: Uint8Array[] = [];
  let bytes = 0;
  for await (const record of records) {
    if (record.byteLength > limits.maxRecordBytes) {
      throw new RangeError(
        `a record of ${record.byteLength} bytes exceeds the ${limits.maxRecordBytes}-byte limit`,
      );
    }
    if (batch.length === limits.maxRecords || bytes + record.byteLength > limits.maxBatchBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += record.byteLength;
  }
  if (batch.length > 0) yield batch;
}
