// The lattice-lens bucket (raw logs, failed records, summaries, policies, Athena results) and the
// bucket that receives its server access logs. Private, TLS-only, encrypted, versioned, and each
// prefix expires on its own clock.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ERRORS_PREFIX,
  LOGS_PREFIX,
  POLICIES_PREFIX,
  SUMMARIES_PREFIX,
} from '../shared/pipeline/bucket-layout.ts';

/** Athena writes query results here; the workgroup enforces it. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

export interface StorageProps {
  /** Days logs/ and errors/ are kept. */
  logRetentionDays: number;
  /** Days summaries/ are kept. */
  summaryRetentionDays: number;
}

export class Storage extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    // The access log target does not log itself (that would log each delivery of a log); cdk-nag
    // S1 accepts a bucket that is itself a server access log destination.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Server access log delivery supports SSE-S3 only as the target's default encryption.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Bucket → IBucket trips exactOptionalPropertyTypes on an optional property of the CDK types.
      serverAccessLogsBucket: this.accessLogsBucket as s3.IBucket,
      serverAccessLogsPrefix: 'lattice-lens/',
      lifecycleRules: lifecycleRules(props),
      // Access logs and suggested policies are evidence: a stack deletion must not take them along.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/**
 * Raw logs and failed records are re-derivable evidence of limited worth once summarized; summaries
 * feed the suggestion window; policies are the product and are kept, old versions for a year so a
 * change can be traced. Noncurrent versions elsewhere go after a week: versioning is there to undo
 * mistakes, not to double storage.
 */
function lifecycleRules(props: StorageProps): s3.LifecycleRule[] {
  const noncurrentDays = Duration.days(7);
  return [
    {
      id: 'expire-raw-logs',
      prefix: LOGS_PREFIX,
      expiration: Duration.days(props.logRetentionDays),
      noncurrentVersionExpiration: noncurrentDays,
    },
    {
      id: 'expire-failed-records',
      prefix: ERRORS_PREFIX,
      expiration: Duration.days(props.logRetentionDays),
      noncurrentVersionExpiration: noncurrentDays,
    },
    {
      id: 'expire-summaries',
      prefix: SUMMARIES_PREFIX,
      expiration: Duration.days(props.summaryRetentionDays),
      noncurrentVersionExpiration: noncurrentDays,
    },
    {
      id: 'keep-policies',
      prefix: POLICIES_PREFIX,
      noncurrentVersionExpiration: Duration.days(365),
    },
    {
      id: 'expire-athena-results',
      prefix: ATHENA_RESULTS_PREFIX,
      expiration: Duration.days(30),
      noncurrentVersionExpiration: Duration.days(1),
    },
    { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
  ];
}
