// Athena over the Parquet summaries: a Glue database and table whose columns are the summary schema
// itself (shared/columnar/schema.ts), partitions found by projection (no crawler, no MSCK REPAIR),
// and a workgroup that enforces an encrypted result location in the lattice-lens bucket.
import { Aws, Size, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SUMMARY_COLUMNS, SUMMARY_PARTITIONS } from '../shared/columnar/schema.ts';
import { SUMMARIES_PREFIX } from '../shared/pipeline/bucket-layout.ts';
import { ATHENA_RESULTS_PREFIX } from './storage.ts';

export const SUMMARIES_TABLE = 'summaries';

/** A guard on a runaway query's bill; summaries are small, so an honest query stays far below. */
export const BYTES_SCANNED_CUTOFF = Size.gibibytes(10);

export interface CatalogProps {
  bucket: s3.Bucket;
  /** Days of summaries kept, so projection never lists days that cannot exist. */
  summaryRetentionDays: number;
}

export class Catalog extends Construct {
  readonly databaseName: string;
  readonly workGroupName: string;
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly workGroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, props: CatalogProps) {
    super(scope, id);
    const { bucket } = props;
    const stackName = Stack.of(this).stackName;
    // Glue names are lowercase with underscores; one database per stack, so two deployments in one
    // account and region do not collide.
    this.databaseName = stackName
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    this.workGroupName = stackName;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: this.databaseName,
        description: 'lattice-lens: call-pattern summaries of VPC Lattice access logs',
      },
    });

    const summaries = `s3://${bucket.bucketName}/${SUMMARIES_PREFIX}`;
    const [dt, hour] = SUMMARY_PARTITIONS;
    this.table = new glue.CfnTable(this, 'SummariesTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: SUMMARIES_TABLE,
        description: 'One row per call pattern per hour; see shared/columnar/schema.ts',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          [`projection.${dt.name}.type`]: 'date',
          [`projection.${dt.name}.format`]: 'yyyy-MM-dd',
          // A day of margin past NOW: a partition that does not exist costs nothing to project.
          [`projection.${dt.name}.range`]: `NOW-${props.summaryRetentionDays}DAYS,NOW+1DAYS`,
          [`projection.${dt.name}.interval`]: '1',
          [`projection.${dt.name}.interval.unit`]: 'DAYS',
          [`projection.${hour.name}.type`]: 'integer',
          [`projection.${hour.name}.range`]: '0,23',
          [`projection.${hour.name}.digits`]: '2',
          'storage.location.template': `${summaries}${dt.name}=\${${dt.name}}/${hour.name}=\${${hour.name}}/`,
        },
        partitionKeys: SUMMARY_PARTITIONS.map((partition) => ({
          name: partition.name,
          type: partition.type,
          comment: partition.description,
        })),
        storageDescriptor: {
          location: summaries,
          columns: SUMMARY_COLUMNS.map((column) => ({
            name: column.name,
            type: column.type,
            comment: column.description,
          })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
          },
        },
      },
    });
    this.table.node.addDependency(this.database);

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'lattice-lens: query the call-pattern summaries',
      state: 'ENABLED',
      // Query history is not worth keeping past the stack; without this, deletion fails on it.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Clients cannot override the result location or its encryption.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF.toBytes(),
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
  }
}
