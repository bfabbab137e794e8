// The S3 client: built here and nowhere else. Lambda handlers share one per container
// (s3Client()); tests and the CLI build their own for a local server (createS3Client()).
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3ClientOptions {
  /** A custom endpoint (s3rver, MinIO, LocalStack); unset for AWS itself. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

// S3-compatible servers need the region only for signing; any value works.
const LOCAL_REGION = 'us-east-1';

/** A new S3 client. For a custom endpoint, path-style addressing and checksums only when required. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const config: S3ClientConfig = {};
  if (options.region !== undefined) config.region = options.region;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (options.endpoint !== undefined) {
    config.endpoint = options.endpoint;
    config.region ??= process.env.AWS_REGION ?? LOCAL_REGION;
    // Local servers have no bucket subdomains, and s3rver (3.x) does not understand the CRC32
    // checksums the SDK adds by default since 2025 (aws-contracts.md §11). AWS keeps the defaults.
    config.forcePathStyle = true;
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new S3Client(config);
}

let shared: S3Client | undefined;

/**
 * The client of this process, built on first use and kept for every later invocation of a warm
 * Lambda container. Honours AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (the SDK's own variables) as a
 * custom endpoint.
 */
export function s3Client(): S3Client {
  if (shared === undefined) {
    const endpoint = process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL;
    shared = createS3Client(endpoint ? { endpoint } : {});
  }
  return shared;
}
