// The four Lambda functions, each bundled from functions/<name>/handler.ts with esbuild (no Docker),
// each with a role of its own that allows exactly what its handler does, and their triggers: S3
// notifications → aggregate, a schedule → suggest, a function URL (AWS_IAM) → download. The
// transform is wired to Firehose in ingest.ts.
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE } from '../shared/metrics/emf.ts';
import {
  LOGS_PREFIX,
  POLICIES_PREFIX,
  SUMMARIES_PREFIX,
} from '../shared/pipeline/bucket-layout.ts';

export const FUNCTION_NAMES = ['transform', 'aggregate', 'suggest', 'download'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Seconds a presigned download URL stays valid (PRESIGN_SECONDS). */
export const PRESIGN_SECONDS = 300;

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface FunctionsProps {
  bucket: s3.Bucket;
  schedule: string;
  windowDays: number;
  minRequests: number;
  minDays: number;
  orgId?: string;
}

export class Functions extends Construct {
  readonly transform: nodejs.NodejsFunction;
  readonly aggregate: nodejs.NodejsFunction;
  readonly suggest: nodejs.NodejsFunction;
  readonly download: nodejs.NodejsFunction;
  /** Where an aggregate invocation goes after its retries: the S3 event, to be replayed. */
  readonly aggregateFailures: sqs.Queue;
  readonly downloadUrl: lambda.FunctionUrl;
  readonly schedule: events.Rule;
  private readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { bucket } = props;
    this.bucket = bucket;

    // The transform never touches S3: Firehose hands it records and writes what it returns. Its
    // metrics are EMF log lines, so it needs no CloudWatch permission either.
    this.transform = this.function('transform', {
      description:
        'Firehose transform: validate and enrich access-log records, partition keys, 403 metrics',
      memorySize: 512,
      timeout: Duration.minutes(2),
      environment: { METRICS_NAMESPACE: DEFAULT_METRICS_NAMESPACE },
      statements: [],
    });

    this.aggregateFailures = new sqs.Queue(this, 'AggregateFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.aggregateFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the failure destination of the aggregate function: it holds S3 events that failed every retry until an operator replays them. A DLQ for it has nothing to catch.',
    });

    this.aggregate = this.function('aggregate', {
      description: 'Turn one access-log object under logs/ into a Parquet call-pattern summary',
      memorySize: 1024,
      timeout: Duration.minutes(5),
      environment: { BUCKET_NAME: bucket.bucketName, LOGS_PREFIX },
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadAccessLogs',
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${LOGS_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'WriteSummaries',
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects(`${SUMMARIES_PREFIX}*`)],
        }),
      ],
      objectPrefixes: [LOGS_PREFIX, SUMMARIES_PREFIX],
      // S3 invokes asynchronously: two more tries, then the event is parked for replay, not lost.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.aggregateFailures),
    });
    bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.LambdaDestination(this.aggregate),
      { prefix: LOGS_PREFIX },
    );
    acknowledgeNotificationsHandler(Stack.of(this));

    this.suggest = this.function('suggest', {
      description:
        'Read the summaries of the window, write suggested auth policies, evidence and the report',
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: {
        BUCKET_NAME: bucket.bucketName,
        WINDOW_DAYS: String(props.windowDays),
        MIN_REQUESTS: String(props.minRequests),
        MIN_DAYS: String(props.minDays),
        ...(props.orgId === undefined ? {} : { ORG_ID: props.orgId }),
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'ListSummaries',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${SUMMARIES_PREFIX}*`] } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadSummaries',
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${SUMMARIES_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'WritePolicies',
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects(`${POLICIES_PREFIX}*`)],
        }),
      ],
      objectPrefixes: [SUMMARIES_PREFIX, POLICIES_PREFIX],
      retryAttempts: 2,
    });
    this.schedule = new events.Rule(this, 'SuggestSchedule', {
      description: 'Suggest auth policies from the latest window of summaries',
      schedule: events.Schedule.expression(props.schedule),
      targets: [new targets.LambdaFunction(this.suggest, { retryAttempts: 2 })],
    });

    this.download = this.function('download', {
      description: 'List, fetch and presign suggested policies (function URL, AWS_IAM auth)',
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: { BUCKET_NAME: bucket.bucketName, PRESIGN_SECONDS: String(PRESIGN_SECONDS) },
      statements: [
        // The handler reads known keys and never lists. This grant is what makes S3 answer a
        // missing key (no suggestion run yet, no report) with 404 NoSuchKey instead of 403
        // (GetObject/HeadObject API reference, "Permissions"); scoped by prefix, S3 has been
        // observed to honour it for keys under that prefix (kopia/kopia#3072).
        new iam.PolicyStatement({
          sid: 'ListPolicies',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${POLICIES_PREFIX}*`] } },
        }),
        // Presigned URLs are signed with this role, so this one grant also bounds what they open.
        new iam.PolicyStatement({
          sid: 'ReadPolicies',
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${POLICIES_PREFIX}*`)],
        }),
      ],
      objectPrefixes: [POLICIES_PREFIX],
    });
    this.downloadUrl = this.download.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
    });

    for (const fn of [this.transform, this.aggregate, this.suggest, this.download]) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x is the runtime the handlers are built (esbuild target node22) and tested for; moving to a newer Node.js line is a deliberate upgrade, not a drift.',
      });
    }
  }

  private function(name: FunctionName, options: FunctionOptions): nodejs.NodejsFunction {
    const id = capitalize(name);
    // A log group per function, made here rather than on first write, so it has a retention and
    // the role can be scoped to it instead of to every log group (no managed policy).
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `lattice-lens ${name} function: only what its handler uses`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    for (const statement of options.statements) role.addToPolicy(statement);
    acknowledgeObjectWildcards(role, this.bucket, options.objectPrefixes ?? []);

    return new nodejs.NodejsFunction(this, id, {
      entry: `${REPO_ROOT}functions/${name}/handler.ts`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: options.description,
      memorySize: options.memorySize,
      timeout: options.timeout,
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: `lattice-lens-${name}`,
        // Stack traces point into handler.ts, not into the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...options.environment,
      },
      ...(options.retryAttempts === undefined ? {} : { retryAttempts: options.retryAttempts }),
      ...(options.maxEventAge === undefined ? {} : { maxEventAge: options.maxEventAge }),
      ...(options.onFailure === undefined ? {} : { onFailure: options.onFailure }),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        // Some bundled CommonJS dependencies call require() for Node built-ins; ESM has none.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The AWS SDK is bundled, not taken from the runtime: the versions in package-lock.json
        // are the ones the tests ran against.
        externalModules: [],
      },
    });
  }
}

interface FunctionOptions {
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  statements: iam.PolicyStatement[];
  /** Prefixes whose `prefix*` object grants in `statements` are acknowledged to cdk-nag. */
  objectPrefixes?: readonly string[];
  retryAttempts?: number;
  maxEventAge?: Duration;
  onFailure?: lambda.IDestination;
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * S3 notifications are configured by a singleton custom resource of aws-cdk-lib (there is no
 * CloudFormation property that merges them into a bucket). Its role carries the AWS managed basic
 * execution policy; the construct offers no way to replace it.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (handler === undefined) return;
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The aws-cdk-lib bucket-notifications custom resource (deploy time only, sets the logs/ → aggregate notification) creates its own role with the AWS basic execution policy, which only allows writing its CloudWatch logs; the construct exposes no way to replace it.',
  });
}

/**
 * cdk-nag reports every `*` in a resource; ours are object keys under one prefix of one bucket,
 * the narrowest grant for keys that are only known at run time.
 */
export function acknowledgeObjectWildcards(
  role: iam.IRole,
  bucket: s3.Bucket,
  prefixes: readonly string[],
): void {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  for (const prefix of prefixes) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`,
      reason: `Object keys under ${prefix} are written at run time (partitioned by service, day and hour); the grant is limited to that one prefix of the lattice-lens bucket.`,
    });
  }
}
