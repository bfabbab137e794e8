// The Firehose client: built here and nowhere else, and the PutRecordBatch call as the plain
// sender shared/replay expects (one outcome per record, in request order).
import {
  FirehoseClient,
  type FirehoseClientConfig,
  PutRecordBatchCommand,
} from '@aws-sdk/client-firehose';
import type { RecordFailure, SendRecordBatch } from '../replay/index.ts';

export interface FirehoseClientOptions {
  region?: string;
  /** A custom endpoint (LocalStack); unset for AWS itself. */
  endpoint?: string;
}

/** A new Firehose client; region and credentials from the usual AWS chain unless given. */
export function createFirehoseClient(options: FirehoseClientOptions = {}): FirehoseClient {
  const config: FirehoseClientConfig = {};
  if (options.region !== undefined) config.region = options.region;
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  return new FirehoseClient(config);
}

let shared: FirehoseClient | undefined;

/** The client of this process, built on first use and kept by a warm Lambda container. */
export function firehoseClient(): FirehoseClient {
  shared ??= createFirehoseClient();
  return shared;
}

/**
 * PutRecordBatch on `streamName` as a SendRecordBatch. Firehose answers 200 even when records
 * failed: each failed record has an ErrorCode in its RequestResponses entry (same order as the
 * request), which is what shared/replay re-sends.
 */
export function putRecordBatchSender(client: FirehoseClient, streamName: string): SendRecordBatch {
  return async (records) => {
    const output = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: streamName,
        Records: records.map((data) => ({ Data: data })),
      }),
    );
    const responses = output.RequestResponses ?? [];
    // With no entries at all, FailedPutCount 0 still says every record was taken.
    if (responses.length === 0 && output.FailedPutCount === 0) return records.map(() => undefined);
    return responses.map((entry): RecordFailure | undefined =>
      entry.ErrorCode === undefined
        ? undefined
        : {
            code: entry.ErrorCode,
            ...(entry.ErrorMessage === undefined ? {} : { message: entry.ErrorMessage }),
          },
    );
  };
}
