// The one lattice-lens stack: storage, the four functions, the ingest path from VPC Lattice, the
// alarms and dashboard, and the Athena catalog, configured by LatticeLensConfig.
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Catalog } from './catalog.ts';
import { CONTEXT_KEYS, type LatticeLensConfig } from './config.ts';
import { Functions } from './functions.ts';
import { Ingest } from './ingest.ts';
import { Monitoring } from './monitoring.ts';
import { Storage } from './storage.ts';

export interface LatticeLensStackProps extends StackProps {
  config: LatticeLensConfig;
}

export class LatticeLensStack extends Stack {
  readonly storage: Storage;
  readonly functions: Functions;
  readonly ingest: Ingest;
  readonly monitoring: Monitoring;
  readonly catalog: Catalog;

  constructor(scope: Construct, id: string, props: LatticeLensStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.storage = new Storage(this, 'Storage', {
      logRetentionDays: config.logRetentionDays,
      summaryRetentionDays: config.summaryRetentionDays,
    });
    const { bucket } = this.storage;

    this.functions = new Functions(this, 'Functions', {
      bucket,
      schedule: config.schedule,
      windowDays: config.windowDays,
      minRequests: config.minRequests,
      minDays: config.minDays,
      ...(config.orgId === undefined ? {} : { orgId: config.orgId }),
    });

    this.ingest = new Ingest(this, 'Ingest', {
      bucket,
      transform: this.functions.transform,
      serviceNetworks: config.serviceNetworks,
      services: config.services,
    });
    if (config.serviceNetworks.length === 0 && config.services.length === 0) {
      Annotations.of(this).addWarningV2(
        'lattice-lens:no-subscriptions',
        `No access log subscription: pass -c ${CONTEXT_KEYS.serviceNetworks}=sn-… (or -c ${CONTEXT_KEYS.services}=svc-…), or point a subscription at the DeliveryStreamArn output yourself.`,
      );
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      ...(config.alarmEmail === undefined ? {} : { alarmEmail: config.alarmEmail }),
      functions: {
        transform: this.functions.transform,
        aggregate: this.functions.aggregate,
        suggest: this.functions.suggest,
        download: this.functions.download,
      },
      deliveryStream: this.ingest.deliveryStream,
      aggregateFailures: this.functions.aggregateFailures,
    });

    this.catalog = new Catalog(this, 'Catalog', {
      bucket,
      summaryRetentionDays: config.summaryRetentionDays,
    });

    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'DeliveryStreamArn', { value: this.ingest.deliveryStream.attrArn });
    new CfnOutput(this, 'DownloadUrl', { value: this.functions.downloadUrl.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.catalog.workGroupName });
    new CfnOutput(this, 'GlueDatabase', { value: this.catalog.databaseName });
    new CfnOutput(this, 'AggregateFailureQueueUrl', {
      value: this.functions.aggregateFailures.queueUrl,
    });
  }
}
