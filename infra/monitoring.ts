// 403 spike alarms, pipeline health alarms, the SNS topic they notify, and the dashboard. The spike
// alarms implement SPIKE_RULE (shared/metrics/spike-rule.ts), the rule the report's timeline marks
// spikes with, so a spike on the page is a spike in the inbox.
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_METRICS_NAMESPACE,
  METRIC_NAMES,
  SERVICE_DIMENSION,
} from '../shared/metrics/emf.ts';
import { SPIKE_RULE } from '../shared/metrics/spike-rule.ts';

const PERIOD = Duration.minutes(SPIKE_RULE.periodMinutes);

/**
 * One alarm over every service's AuthDenied series. A Metrics Insights query alarm whose query
 * returns several series (GROUP BY) evaluates each one as a contributor, so a service that appears
 * later is watched without a redeploy (CloudWatch user guide, "Create a CloudWatch alarm based on a
 * Metrics Insights query" and "Create an alarm based on a Multi Time Series Metrics Insights
 * query"). A query returns at most 500 series; ORDER BY keeps the 500 with the most denials.
 */
export const PER_SERVICE_QUERY = `SELECT SUM(${METRIC_NAMES.authDenied}) FROM SCHEMA("${DEFAULT_METRICS_NAMESPACE}", ${SERVICE_DIMENSION}) GROUP BY ${SERVICE_DIMENSION} ORDER BY SUM() DESC`;

export interface MonitoringProps {
  alarmEmail?: string;
  functions: Record<'transform' | 'aggregate' | 'suggest' | 'download', lambda.IFunction>;
  deliveryStream: firehose.CfnDeliveryStream;
  aggregateFailures: sqs.IQueue;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly spikeAlarm: cloudwatch.CompositeAlarm;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    // CloudWatch cannot publish to a topic encrypted with the AWS-managed aws/sns key, so the
    // topic has its own key that lets CloudWatch encrypt the messages it publishes.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'lattice-lens alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'lattice-lens alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    const notify = new actions.SnsAction(this.topic);

    const authDenied = totalMetric(METRIC_NAMES.authDenied);
    const requests = totalMetric(METRIC_NAMES.requests);
    const transformFailures = totalMetric(METRIC_NAMES.transformFailures);

    // SPIKE_RULE, part 1: this many denials in a period is a spike whatever came before.
    const threshold = new cloudwatch.Alarm(this, 'AuthDeniedThreshold', {
      alarmDescription: `Auth denials (HTTP 403 with authDeniedReason) reached ${SPIKE_RULE.threshold} in ${SPIKE_RULE.periodMinutes} minutes, all services.`,
      metric: authDenied,
      threshold: SPIKE_RULE.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // SPIKE_RULE, part 2: above the learned band of the metric's history (aws-contracts.md §9).
    const anomaly = new cloudwatch.CfnAlarm(this, 'AuthDeniedAnomaly', {
      alarmDescription: `Auth denials above the anomaly band (${SPIKE_RULE.bandWidth} standard deviations), all services.`,
      metrics: [
        {
          id: 'm1',
          returnData: true,
          metricStat: {
            metric: { namespace: DEFAULT_METRICS_NAMESPACE, metricName: METRIC_NAMES.authDenied },
            period: PERIOD.toSeconds(),
            stat: 'Sum',
          },
        },
        {
          id: 'ad1',
          returnData: true,
          expression: `ANOMALY_DETECTION_BAND(m1, ${SPIKE_RULE.bandWidth})`,
          label: 'AuthDenied (expected)',
        },
      ],
      thresholdMetricId: 'ad1',
      comparisonOperator: 'GreaterThanUpperThreshold',
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    });
    // SPIKE_RULE, part 3: below `minimum` denials a period is noise, whatever the band says.
    const floor = new cloudwatch.Alarm(this, 'AuthDeniedFloor', {
      alarmDescription: `Auth denials reached the spike minimum of ${SPIKE_RULE.minimum} in a period (input of the spike alarm, no action of its own).`,
      metric: authDenied,
      threshold: SPIKE_RULE.minimum,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // The three parts notify once, through this composite: threshold OR (anomaly AND floor), the
    // same predicate findSpikes applies to the report's timeline.
    this.spikeAlarm = new cloudwatch.CompositeAlarm(this, 'AuthDeniedSpike', {
      alarmDescription: `403 spike by SPIKE_RULE: at least ${SPIKE_RULE.threshold} auth denials in ${SPIKE_RULE.periodMinutes} minutes, or at least ${SPIKE_RULE.minimum} and above the anomaly band.`,
      alarmRule: cloudwatch.AlarmRule.anyOf(
        cloudwatch.AlarmRule.fromAlarm(threshold, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.allOf(
          cloudwatch.AlarmRule.fromAlarm(anomaly, cloudwatch.AlarmState.ALARM),
          cloudwatch.AlarmRule.fromAlarm(floor, cloudwatch.AlarmState.ALARM),
        ),
      ),
    });
    this.spikeAlarm.addAlarmAction(notify);
    this.spikeAlarm.addOkAction(notify);

    const perService = new cloudwatch.CfnAlarm(this, 'AuthDeniedPerService', {
      alarmDescription: `A service received at least ${SPIKE_RULE.threshold} auth denials in ${SPIKE_RULE.periodMinutes} minutes (each service is a contributor).`,
      metrics: [
        { id: 'q1', returnData: true, expression: PER_SERVICE_QUERY, period: PERIOD.toSeconds() },
      ],
      threshold: SPIKE_RULE.threshold,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
      alarmActions: [this.topic.topicArn],
      okActions: [this.topic.topicArn],
    });

    // Pipeline health: lost work must page someone, not wait for a dashboard visit.
    const health: cloudwatch.Alarm[] = [
      new cloudwatch.Alarm(this, 'TransformFailuresAlarm', {
        alarmDescription:
          'The transform marked records ProcessingFailed; Firehose wrote them under errors/.',
        metric: transformFailures,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'AggregateFailuresAlarm', {
        alarmDescription:
          'S3 events the aggregate function failed on after its retries are waiting in the failure queue.',
        metric: props.aggregateFailures.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const [name, fn] of Object.entries(props.functions)) {
      health.push(
        new cloudwatch.Alarm(this, `${name}Errors`, {
          alarmDescription: `The ${name} function failed invocations.`,
          metric: fn.metricErrors({
            period: Duration.minutes(15),
            statistic: cloudwatch.Stats.SUM,
          }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    for (const alarm of health) alarm.addAlarmAction(notify);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-lattice-lens`,
      defaultInterval: Duration.days(7),
    });
    const deliveryStreamName = props.deliveryStream.ref;
    const functions = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests and auth denials (all services)',
        left: [requests],
        right: [authDenied],
        rightAnnotations: [
          { value: SPIKE_RULE.threshold, label: 'spike threshold', color: '#d62728' },
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Auth denials (403) per service',
        left: [
          new cloudwatch.MathExpression({
            expression: PER_SERVICE_QUERY,
            label: '',
            period: PERIOD,
            usingMetrics: {},
          }),
        ],
        leftAnnotations: [{ value: SPIKE_RULE.threshold, label: 'per-service alarm' }],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Transform failures and Firehose delivery',
        left: [transformFailures],
        right: [
          firehoseMetric(deliveryStreamName, 'ExecuteProcessing.Success'),
          firehoseMetric(deliveryStreamName, 'DeliveryToS3.Success'),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        left: functions.map(([name, fn]) =>
          fn.metricErrors({ label: name, period: Duration.minutes(5), statistic: 'Sum' }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles',
        left: functions.map(([name, fn]) =>
          fn.metricThrottles({ label: name, period: Duration.minutes(5), statistic: 'Sum' }),
        ),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [
          this.spikeAlarm,
          threshold,
          cloudwatch.Alarm.fromAlarmArn(this, 'AnomalyRef', anomaly.attrArn),
          floor,
          cloudwatch.Alarm.fromAlarmArn(this, 'PerServiceRef', perService.attrArn),
          ...health,
        ],
        width: 24,
      }),
    );
  }
}

/** A lattice-lens metric summed over the spike period, across all services (no dimensions). */
function totalMetric(metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: DEFAULT_METRICS_NAMESPACE,
    metricName,
    statistic: cloudwatch.Stats.SUM,
    period: PERIOD,
  });
}

function firehoseMetric(deliveryStreamName: string, metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Firehose',
    metricName,
    dimensionsMap: { DeliveryStreamName: deliveryStreamName },
    statistic: cloudwatch.Stats.AVERAGE,
    period: Duration.minutes(5),
  });
}
