// The only place AWS SDK clients are built; the rest of shared/ sees plain interfaces.

export {
  createFirehoseClient,
  type FirehoseClientOptions,
  firehoseClient,
  putRecordBatchSender,
} from './firehose.ts';
export { createS3Client, type S3ClientOptions, s3Client } from './s3.ts';
export { S3ObjectStore } from './s3-object-store.ts';
