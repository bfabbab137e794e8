// The ingest path: VPC Lattice access log subscriptions → a Firehose delivery stream whose Lambda
// processor (the transform) validates each record and names its partition, → S3 under
// logs/service=…/dt=…/hour=…/, failed records under errors/ (aws-contracts.md §3, §6, §7).
import { ArnFormat, Aws, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { ERRORS_PREFIX, LOGS_PREFIX } from '../shared/pipeline/bucket-layout.ts';
import { acknowledgeObjectWildcards } from './functions.ts';

/** The S3 key layout of delivered logs: the transform's partition keys (service, dt, hour). */
export const LOGS_KEY_PREFIX = `${LOGS_PREFIX}service=!{partitionKeyFromLambda:service}/dt=!{partitionKeyFromLambda:dt}/hour=!{partitionKeyFromLambda:hour}/`;
/** Failed records by failure kind and arrival day; required when dynamic partitioning is on. */
export const ERRORS_KEY_PREFIX = `${ERRORS_PREFIX}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;

/**
 * S3 buffering. With dynamic partitioning Firehose rejects a size hint under 64 MiB and an interval
 * under 60 s (aws-cdk-lib aws-kinesisfirehose `bufferingSize`/`bufferingInterval` docs; Firehose
 * developer guide, "Buffer data for dynamic partitioning"). Each service-hour partition is its own
 * buffer, so at typical volumes the interval, not the size, closes an object: 5 minutes keeps
 * summaries fresh without a flood of tiny objects.
 */
export const S3_BUFFERING = { sizeInMBs: 64, intervalInSeconds: 300 } as const;

/**
 * The transform's input batches. Its response (the records plus derived fields, base64) must fit
 * Lambda's 6 MB payload limit; 1 MB of input leaves ample room (§6).
 */
export const PROCESSOR_BUFFERING = { sizeInMBs: 1, intervalInSeconds: 60 } as const;

export interface IngestProps {
  bucket: s3.Bucket;
  transform: lambda.IFunction;
  /** Service networks and services whose access logs are subscribed. */
  serviceNetworks: readonly string[];
  services: readonly string[];
}

export class Ingest extends Construct {
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly logGroup: logs.LogGroup;
  readonly subscriptions: vpclattice.CfnAccessLogSubscription[] = [];

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { bucket, transform } = props;

    this.logGroup = new logs.LogGroup(this, 'DeliveryLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const s3DeliveryStream = new logs.LogStream(this, 'S3Delivery', {
      logGroup: this.logGroup,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stack = Stack.of(this);
    const logStreamArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${this.logGroup.logGroupName}:log-stream:${s3DeliveryStream.logStreamName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const role = new iam.Role(this, 'DeliveryRole', {
      // Confused-deputy guard from the Firehose guide: only this account's streams assume it.
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Aws.ACCOUNT_ID } },
      }),
      description: 'lattice-lens Firehose stream: invoke the transform, write logs/ and errors/',
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'InvokeTransform',
        actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        resources: [transform.functionArn],
      }),
      new iam.PolicyStatement({
        sid: 'LocateBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'DeliverObjects',
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: [
          bucket.arnForObjects(`${LOGS_PREFIX}*`),
          bucket.arnForObjects(`${ERRORS_PREFIX}*`),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'WriteDeliveryErrors',
        actions: ['logs:PutLogEvents'],
        resources: [logStreamArn],
      }),
    ];
    for (const statement of statements) role.addToPolicy(statement);
    acknowledgeObjectWildcards(role, bucket, [LOGS_PREFIX, ERRORS_PREFIX]);

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamType: 'DirectPut',
      // Records at rest inside Firehose are encrypted; AWS-owned keys cost nothing and need no
      // key policy for the log delivery service that writes into the stream.
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: LOGS_KEY_PREFIX,
        errorOutputPrefix: ERRORS_KEY_PREFIX,
        compressionFormat: 'GZIP',
        bufferingHints: S3_BUFFERING,
        dynamicPartitioningConfiguration: {
          enabled: true,
          retryOptions: { durationInSeconds: 300 },
        },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: transform.functionArn },
                { parameterName: 'NumberOfRetries', parameterValue: '3' },
                {
                  parameterName: 'BufferSizeInMBs',
                  parameterValue: String(PROCESSOR_BUFFERING.sizeInMBs),
                },
                {
                  parameterName: 'BufferIntervalInSeconds',
                  parameterValue: String(PROCESSOR_BUFFERING.intervalInSeconds),
                },
              ],
            },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: this.logGroup.logGroupName,
          logStreamName: s3DeliveryStream.logStreamName,
        },
      },
    });
    // The role's policy must exist before Firehose first tries to deliver or invoke.
    this.deliveryStream.node.addDependency(role);
    // Log delivery (the service behind access log subscriptions) writes only to streams tagged
    // LogDeliveryEnabled=true and adds the tag itself when it subscribes (CloudWatch Logs guide,
    // "Logs sent to Firehose"). Declaring it keeps a later stack update from removing it.
    Tags.of(this.deliveryStream).add('LogDeliveryEnabled', 'true');

    // A service network subscription carries its services' HTTP access logs (SERVICE, not the
    // TCP resource-configuration logs), the records policies are suggested from (§1, §3).
    for (const identifier of props.serviceNetworks) this.subscribe(identifier, 'SERVICE');
    for (const identifier of props.services) this.subscribe(identifier);
  }

  private subscribe(resourceIdentifier: string, serviceNetworkLogType?: 'SERVICE'): void {
    // The id (sn-…/svc-…) names the construct, so an ARN and its id cannot both be subscribed.
    const resourceId = resourceIdentifier.slice(resourceIdentifier.lastIndexOf('/') + 1);
    this.subscriptions.push(
      new vpclattice.CfnAccessLogSubscription(this, `Subscription-${resourceId}`, {
        resourceIdentifier,
        destinationArn: this.deliveryStream.attrArn,
        ...(serviceNetworkLogType === undefined ? {} : { serviceNetworkLogType }),
      }),
    );
  }
}
