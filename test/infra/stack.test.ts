// The LatticeLens stack, resource by resource: what is created and the properties a security review
// reads first (public access, TLS, encryption, retention, auth types, alarm wiring), plus the
// contracts the stack shares with the functions (prefixes, partition keys, env vars, metrics).
import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LatticeLensStack } from '../../infra/lattice-lens-stack.ts';
import { SUMMARY_COLUMNS, SUMMARY_PARTITIONS } from '../../shared/columnar/schema.ts';
import { SPIKE_RULE } from '../../shared/metrics/spike-rule.ts';
import { transformRecords } from '../../shared/transform/index.ts';
import { getAtt, logicalIdOf, SUBSCRIBED, synthTemplate } from './lattice-lens-app.ts';

let stack: LatticeLensStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthTemplate({ ...SUBSCRIBED, alarmEmail: 'secops@example.com' }));
});

const PERIOD_SECONDS = SPIKE_RULE.periodMinutes * 60;
const BLOCK_ALL = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

function resourceOf(construct: Parameters<typeof logicalIdOf>[0]) {
  return template.toJSON().Resources[logicalIdOf(construct)];
}

/** The bucket policy statements of a bucket. */
function bucketPolicyOf(bucketId: string): unknown[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
    (policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const DENY_WITHOUT_TLS = (bucketId: string) => ({
  Effect: 'Deny',
  Action: 's3:*',
  Principal: { AWS: '*' },
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  Resource: [
    { 'Fn::GetAtt': [bucketId, 'Arn'] },
    { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
  ],
});

describe('the data bucket', () => {
  it('is private, encrypted, versioned, owner-enforced and retained on stack deletion', () => {
    const bucket = resourceOf(stack.storage.bucket);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ],
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
  });

  it('denies every request without TLS, and TLS below 1.2', () => {
    const bucketId = logicalIdOf(stack.storage.bucket);
    const statements = bucketPolicyOf(bucketId);
    expect(statements).toContainEqual(DENY_WITHOUT_TLS(bucketId));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      }),
    );
    // Nothing in the bucket policy allows anyone anything: access is by the roles' own grants.
    expect(statements.filter((s) => (s as { Effect: string }).Effect === 'Allow')).toEqual([]);
  });

  it('sends its server access logs to the access log bucket', () => {
    expect(resourceOf(stack.storage.bucket).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(stack.storage.accessLogsBucket) },
      LogFilePrefix: 'lattice-lens/',
    });
  });

  it('expires raw logs and failed records after the log retention, summaries later, policies never', () => {
    const rules = resourceOf(stack.storage.bucket).Properties.LifecycleConfiguration.Rules as {
      Prefix?: string;
      ExpirationInDays?: number;
      NoncurrentVersionExpiration?: { NoncurrentDays: number };
      AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
      Status: string;
    }[];
    const byPrefix = (prefix: string) => rules.filter((rule) => rule.Prefix === prefix);
    expect(byPrefix('logs/')).toEqual([
      expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' }),
    ]);
    expect(byPrefix('errors/')).toEqual([expect.objectContaining({ ExpirationInDays: 30 })]);
    expect(byPrefix('summaries/')).toEqual([expect.objectContaining({ ExpirationInDays: 400 })]);
    expect(byPrefix('athena-results/')).toEqual([
      expect.objectContaining({ ExpirationInDays: 30 }),
    ]);
    const policies = byPrefix('policies/');
    expect(policies).toHaveLength(1);
    expect(policies[0]?.ExpirationInDays).toBeUndefined();
    expect(policies[0]?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 365 });
    // No rule without a prefix expires objects: that would reach policies/ too.
    expect(
      rules.filter((rule) => rule.Prefix === undefined && rule.ExpirationInDays !== undefined),
    ).toEqual([]);
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
  });

  it('takes its retention periods from the context', () => {
    const { stack: other, template: otherTemplate } = synthTemplate({
      logRetentionDays: '7',
      summaryRetentionDays: '90',
    });
    const rules = otherTemplate.toJSON().Resources[logicalIdOf(other.storage.bucket)].Properties
      .LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number }[];
    const days = Object.fromEntries(rules.map((rule) => [rule.Prefix, rule.ExpirationInDays]));
    expect(days['logs/']).toBe(7);
    expect(days['errors/']).toBe(7);
    expect(days['summaries/']).toBe(90);
  });
});

describe('the access log bucket', () => {
  it('is private, encrypted with SSE-S3 (the only kind log delivery supports), TLS-only, retained', () => {
    const bucketId = logicalIdOf(stack.storage.accessLogsBucket);
    const bucket = template.toJSON().Resources[bucketId];
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(BLOCK_ALL);
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 90 }),
    ]);
    expect(bucket.DeletionPolicy).toBe('Retain');
    const statements = bucketPolicyOf(bucketId);
    expect(statements).toContainEqual(DENY_WITHOUT_TLS(bucketId));
    // The only grant: S3 log delivery, for the data bucket of this account.
    expect(statements.filter((s) => (s as { Effect: string }).Effect === 'Allow')).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: {
          ArnLike: { 'aws:SourceArn': getAtt(stack.storage.bucket, 'Arn') },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }),
    ]);
  });
});

describe('the Firehose delivery stream', () => {
  let stream: ReturnType<typeof resourceOf>;
  beforeAll(() => {
    stream = resourceOf(stack.ingest.deliveryStream);
  });

  it('is encrypted at rest and delivers GZIP objects into the bucket with its own role', () => {
    expect(stream.Properties.DeliveryStreamType).toBe('DirectPut');
    expect(stream.Properties.DeliveryStreamEncryptionConfigurationInput).toEqual({
      KeyType: 'AWS_OWNED_CMK',
    });
    const destination = stream.Properties.ExtendedS3DestinationConfiguration;
    expect(destination.BucketARN).toEqual(getAtt(stack.storage.bucket, 'Arn'));
    expect(destination.CompressionFormat).toBe('GZIP');
    expect(destination.RoleARN).toEqual(getAtt(stack.ingest.node.findChild('DeliveryRole'), 'Arn'));
  });

  it('partitions by the transform’s keys under logs/, failed records under errors/', () => {
    const destination = stream.Properties.ExtendedS3DestinationConfiguration;
    expect(destination.DynamicPartitioningConfiguration).toEqual({
      Enabled: true,
      RetryOptions: { DurationInSeconds: 300 },
    });
    expect(destination.Prefix).toBe(
      'logs/service=!{partitionKeyFromLambda:service}/dt=!{partitionKeyFromLambda:dt}/hour=!{partitionKeyFromLambda:hour}/',
    );
    expect(destination.ErrorOutputPrefix).toBe(
      'errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
    );
  });

  it('names exactly the partition keys the transform returns for the sample event', () => {
    const event = JSON.parse(
      readFileSync(
        new URL('../../sample-logs/events/firehose-transformation-event.json', import.meta.url),
        'utf8',
      ),
    ) as FirehoseTransformationEvent;
    const returned = new Set<string>();
    for (const record of transformRecords(event.records).records) {
      for (const key of Object.keys(record.metadata?.partitionKeys ?? {})) returned.add(key);
    }
    const prefix: string = stream.Properties.ExtendedS3DestinationConfiguration.Prefix;
    const named = [...prefix.matchAll(/!\{partitionKeyFromLambda:([^}]+)\}/g)].map((m) => m[1]);
    expect(new Set(named)).toEqual(returned);
  });

  it('buffers at least 64 MiB and 60 s, the floor with dynamic partitioning', () => {
    const hints = stream.Properties.ExtendedS3DestinationConfiguration.BufferingHints;
    expect(hints.SizeInMBs).toBeGreaterThanOrEqual(64);
    expect(hints.SizeInMBs).toBeLessThanOrEqual(128);
    expect(hints.IntervalInSeconds).toBeGreaterThanOrEqual(60);
    expect(hints.IntervalInSeconds).toBeLessThanOrEqual(900);
  });

  it('runs the transform as its Lambda processor', () => {
    const processing = stream.Properties.ExtendedS3DestinationConfiguration.ProcessingConfiguration;
    expect(processing.Enabled).toBe(true);
    expect(processing.Processors).toHaveLength(1);
    expect(processing.Processors[0].Type).toBe('Lambda');
    expect(processing.Processors[0].Parameters).toContainEqual({
      ParameterName: 'LambdaArn',
      ParameterValue: getAtt(stack.functions.transform, 'Arn'),
    });
    const buffer = processing.Processors[0].Parameters.find(
      (p: { ParameterName: string }) => p.ParameterName === 'BufferSizeInMBs',
    );
    // The transform's response must fit Lambda's 6 MB payload: input batches stay small.
    expect(Number(buffer.ParameterValue)).toBeLessThanOrEqual(3);
  });

  it('logs delivery errors to its own log group, and keeps the tag log delivery needs', () => {
    expect(stream.Properties.ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions).toEqual({
      Enabled: true,
      LogGroupName: { Ref: logicalIdOf(stack.ingest.logGroup) },
      LogStreamName: { Ref: logicalIdOf(stack.ingest.node.findChild('S3Delivery')) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
    });
    expect(stream.Properties.Tags).toContainEqual({ Key: 'LogDeliveryEnabled', Value: 'true' });
  });
});

describe('access log subscriptions', () => {
  it('subscribes each configured service network (service logs) and service to the stream', () => {
    const subscriptions = template.findResources('AWS::VpcLattice::AccessLogSubscription');
    const byResource = Object.fromEntries(
      Object.values(subscriptions).map((s) => [s.Properties.ResourceIdentifier, s.Properties]),
    );
    const streamArn = getAtt(stack.ingest.deliveryStream, 'Arn');
    expect(byResource).toEqual({
      'sn-0123456789abcdef0': {
        ResourceIdentifier: 'sn-0123456789abcdef0',
        DestinationArn: streamArn,
        ServiceNetworkLogType: 'SERVICE',
      },
      'arn:aws:vpc-lattice:eu-west-1:111122223333:servicenetwork/sn-0fedcba9876543210': {
        ResourceIdentifier:
          'arn:aws:vpc-lattice:eu-west-1:111122223333:servicenetwork/sn-0fedcba9876543210',
        DestinationArn: streamArn,
        ServiceNetworkLogType: 'SERVICE',
      },
      'svc-0a1b2c3d4e5f60718': {
        ResourceIdentifier: 'svc-0a1b2c3d4e5f60718',
        DestinationArn: streamArn,
      },
    });
  });

  it('creates none without context, and says so in a synth warning', () => {
    const { stack: bare, template: bareTemplate } = synthTemplate();
    bareTemplate.resourceCountIs('AWS::VpcLattice::AccessLogSubscription', 0);
    const warnings = bare.node.metadata.filter((entry) => entry.type === 'aws:cdk:warning');
    expect(JSON.stringify(warnings)).toContain('serviceNetworks');
  });
});

describe('the functions', () => {
  const CONTRACT = {
    transform: {
      METRICS_NAMESPACE: 'LatticeLens',
      POWERTOOLS_SERVICE_NAME: 'lattice-lens-transform',
    },
    aggregate: { BUCKET_NAME: 'bucket', LOGS_PREFIX: 'logs/' },
    suggest: { BUCKET_NAME: 'bucket', WINDOW_DAYS: '14', MIN_REQUESTS: '5', MIN_DAYS: '1' },
    download: { BUCKET_NAME: 'bucket', PRESIGN_SECONDS: '300' },
  } as const;

  for (const name of ['transform', 'aggregate', 'suggest', 'download'] as const) {
    it(`${name}: Node.js 22 on arm64, ESM bundle, its contract environment`, () => {
      const fn = resourceOf(stack.functions[name]);
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      const expected = Object.fromEntries(
        Object.entries(CONTRACT[name]).map(([key, value]) => [
          key,
          value === 'bucket' ? { Ref: logicalIdOf(stack.storage.bucket) } : value,
        ]),
      );
      expect(fn.Properties.Environment.Variables).toMatchObject({
        ...expected,
        NODE_OPTIONS: '--enable-source-maps',
      });
    });
  }

  it('suggest takes its window, thresholds and organization from the context', () => {
    const { stack: other, template: otherTemplate } = synthTemplate({
      windowDays: '30',
      minRequests: '20',
      minDays: '3',
      orgId: 'o-a1b2c3d4e5',
      schedule: 'cron(0 6 * * ? *)',
    });
    const fn = otherTemplate.toJSON().Resources[logicalIdOf(other.functions.suggest)];
    expect(fn.Properties.Environment.Variables).toMatchObject({
      WINDOW_DAYS: '30',
      MIN_REQUESTS: '20',
      MIN_DAYS: '3',
      ORG_ID: 'o-a1b2c3d4e5',
    });
    otherTemplate.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
    });
  });

  it('aggregate runs on every object Firehose creates under logs/, and only there', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf(stack.storage.bucket) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'logs/' }] } },
            LambdaFunctionArn: getAtt(stack.functions.aggregate, 'Arn'),
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: getAtt(stack.functions.aggregate, 'Arn'),
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: getAtt(stack.storage.bucket, 'Arn'),
    });
  });

  it('aggregate retries twice, then parks the event in an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf(stack.functions.aggregate) },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: getAtt(stack.functions.aggregateFailures, 'Arn') },
      },
    });
    expect(resourceOf(stack.functions.aggregateFailures).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(stack.functions.aggregateFailures) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sqs:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: getAtt(stack.functions.aggregateFailures, 'Arn'),
          },
        ],
      },
    });
  });

  it('suggest runs on the default daily schedule, invoked only by its rule', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: getAtt(stack.functions.suggest, 'Arn') })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: getAtt(stack.functions.suggest, 'Arn'),
      Principal: 'events.amazonaws.com',
      SourceArn: getAtt(stack.functions.schedule, 'Arn'),
    });
  });

  it('download is reachable only through a function URL with AWS_IAM auth', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: getAtt(stack.functions.download, 'Arn'),
    });
    // No resource policy opens it: no public invoke and no URL permission for everyone.
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    for (const permission of permissions) {
      expect(permission.Properties.Principal).not.toBe('*');
      expect(permission.Properties.FunctionUrlAuthType).toBeUndefined();
    }
  });

  it('every function log group keeps a month of logs', () => {
    for (const name of ['transform', 'aggregate', 'suggest', 'download'] as const) {
      const logGroup = stack.functions.node.findChild(
        `${name[0]?.toUpperCase()}${name.slice(1)}Logs`,
      );
      expect(resourceOf(logGroup).Properties.RetentionInDays).toBe(30);
    }
  });
});

describe('alarms', () => {
  const topic = () => ({ Ref: logicalIdOf(stack.monitoring.topic) });
  const total = (metricName: string) => ({ Namespace: 'LatticeLens', MetricName: metricName });

  it('anomaly detection on total AuthDenied: m1 and ANOMALY_DETECTION_BAND(m1, bandWidth)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'm1',
          ReturnData: true,
          MetricStat: { Metric: total('AuthDenied'), Period: PERIOD_SECONDS, Stat: 'Sum' },
        },
        Match.objectLike({
          Id: 'ad1',
          ReturnData: true,
          Expression: `ANOMALY_DETECTION_BAND(m1, ${SPIKE_RULE.bandWidth})`,
        }),
      ],
      ThresholdMetricId: 'ad1',
      ComparisonOperator: 'GreaterThanUpperThreshold',
      EvaluationPeriods: 1,
    });
  });

  it('a static threshold and a floor on total AuthDenied, both from SPIKE_RULE', () => {
    for (const threshold of [SPIKE_RULE.threshold, SPIKE_RULE.minimum]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...total('AuthDenied'),
        Dimensions: Match.absent(),
        Statistic: 'Sum',
        Period: PERIOD_SECONDS,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
    }
  });

  it('notifies once per spike: threshold OR (anomaly AND floor), the report’s rule', () => {
    const composite = resourceOf(stack.monitoring.spikeAlarm);
    expect(composite.Properties.AlarmActions).toEqual([topic()]);
    const rule = JSON.stringify(composite.Properties.AlarmRule);
    const arnOf = (id: string) =>
      JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.monitoring.node.findChild(id)), 'Arn'] });
    const parts = composite.Properties.AlarmRule['Fn::Join'][1] as unknown[];
    expect(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))).toEqual([
      '(ALARM("',
      arnOf('AuthDeniedThreshold'),
      '") OR (ALARM("',
      arnOf('AuthDeniedAnomaly'),
      '") AND ALARM("',
      arnOf('AuthDeniedFloor'),
      '")))',
    ]);
    expect(rule).toContain('OR');
    // The parts do not notify on their own (no double e-mail for one spike).
    for (const id of ['AuthDeniedThreshold', 'AuthDeniedAnomaly', 'AuthDeniedFloor']) {
      const alarm = resourceOf(stack.monitoring.node.findChild(id));
      expect(alarm.Properties.AlarmActions ?? []).toEqual([]);
    }
  });

  it('one Metrics Insights alarm watches every service’s AuthDenied (GROUP BY ServiceId)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'q1',
          ReturnData: true,
          Period: PERIOD_SECONDS,
          Expression:
            'SELECT SUM(AuthDenied) FROM SCHEMA("LatticeLens", ServiceId) GROUP BY ServiceId ORDER BY SUM() DESC',
        },
      ],
      Threshold: SPIKE_RULE.threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic()],
    });
  });

  it('pipeline health pages too: transform failures, parked aggregate events, function errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...total('TransformFailures'),
      Threshold: 1,
      AlarmActions: [topic()],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: getAtt(stack.functions.aggregateFailures, 'QueueName'),
        },
      ],
      AlarmActions: [topic()],
    });
    for (const name of ['transform', 'aggregate', 'suggest', 'download'] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack.functions[name]) } }],
        AlarmActions: [topic()],
      });
    }
  });
});

describe('the alarm topic', () => {
  it('is encrypted with a rotating key CloudWatch may use, and refuses publishing without TLS', () => {
    const topic = resourceOf(stack.monitoring.topic);
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const key = template.toJSON().Resources[keyId];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: logicalIdOf(stack.monitoring.topic) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('e-mails the address from the context, and nobody without one', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
      TopicArn: { Ref: logicalIdOf(stack.monitoring.topic) },
    });
    synthTemplate().template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('the dashboard', () => {
  it('shows requests, 403s per service, transform failures, function errors and throttles', () => {
    const body = JSON.stringify(resourceOf(stack.monitoring.dashboard).Properties.DashboardBody);
    for (const text of [
      '\\"Requests\\"',
      '\\"AuthDenied\\"',
      'GROUP BY ServiceId',
      '\\"TransformFailures\\"',
      '\\"Errors\\"',
      '\\"Throttles\\"',
      'ExecuteProcessing.Success',
    ]) {
      expect(body).toContain(text);
    }
    for (const name of ['transform', 'aggregate', 'suggest', 'download'] as const) {
      expect(body).toContain(JSON.stringify({ Ref: logicalIdOf(stack.functions[name]) }));
    }
  });
});

describe('Athena over the summaries', () => {
  it('a Glue table whose columns are the summary schema, partitioned by dt and hour', () => {
    const table = resourceOf(stack.catalog.table).Properties.TableInput;
    expect(table.StorageDescriptor.Columns).toEqual(
      SUMMARY_COLUMNS.map((column) => ({
        Name: column.name,
        Type: column.type,
        Comment: column.description,
      })),
    );
    expect(table.PartitionKeys).toEqual(
      SUMMARY_PARTITIONS.map((partition) => ({
        Name: partition.name,
        Type: partition.type,
        Comment: partition.description,
      })),
    );
    expect(table.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(table.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: logicalIdOf(stack.storage.bucket) }, '/summaries/']],
    });
    // Glue rejects a column comment over 255 characters.
    for (const column of [...table.StorageDescriptor.Columns, ...table.PartitionKeys]) {
      expect(column.Comment.length).toBeLessThanOrEqual(255);
    }
  });

  it('finds partitions by projection: dt a date, hour a two-digit integer 00–23', () => {
    const parameters = resourceOf(stack.catalog.table).Properties.TableInput.Parameters;
    expect(parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': 'NOW-400DAYS,NOW+1DAYS',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's own ${column} placeholders.
    const partitionPath = '/summaries/dt=${dt}/hour=${hour}/';
    expect(parameters['storage.location.template']).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: logicalIdOf(stack.storage.bucket) }, partitionPath]],
    });
  });

  it('a workgroup that enforces an encrypted result location in the bucket', () => {
    expect(resourceOf(stack.catalog.workGroup).Properties).toMatchObject({
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: {
            'Fn::Join': [
              '',
              ['s3://', { Ref: logicalIdOf(stack.storage.bucket) }, '/athena-results/'],
            ],
          },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
        },
      },
    });
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'lattice_lens' }),
    });
  });
});

describe('outputs', () => {
  it('name what an operator needs after deploy', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    expect(outputs).toEqual(
      expect.arrayContaining([
        'BucketName',
        'DeliveryStreamArn',
        'DownloadUrl',
        'AlarmTopicArn',
        'AthenaWorkGroup',
        'GlueDatabase',
        'AggregateFailureQueueUrl',
      ]),
    );
  });
});
