// Helpers for the transform specs: Firehose records from text or bytes, and decoding of results.
import { readFileSync } from 'node:fs';
import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';

export const SERVICE_ARN =
  'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0a40974812b61bafb';
export const RESOURCE_CONFIGURATION_ARN =
  'arn:aws:vpc-lattice:us-east-1:111122223333:resourceconfiguration/rcfg-0123456789abcdef0';

/** A minimal valid service entry: what the validator requires, plus a signed caller. */
export const MINIMAL_ENTRY = {
  startTime: '2026-11-20T10:15:30Z',
  serviceArn: SERVICE_ARN,
  requestMethod: 'GET',
  requestPath: '/api/v1/orders/8812',
  responseCode: 200,
  callerPrincipal: 'arn:aws:sts::111122223333:assumed-role/order-service-role/task-1',
};

export function recordOfText(recordId: string, text: string): FirehoseTransformationEventRecord {
  return recordOfBytes(recordId, Buffer.from(text, 'utf8'));
}

export function recordOfBytes(
  recordId: string,
  bytes: Uint8Array,
): FirehoseTransformationEventRecord {
  return {
    recordId,
    approximateArrivalTimestamp: 1795170053581,
    data: Buffer.from(bytes).toString('base64'),
  };
}

export function recordOfEntry(
  recordId: string,
  entry: Record<string, unknown>,
): FirehoseTransformationEventRecord {
  return recordOfText(recordId, JSON.stringify(entry));
}

export function decodeData(record: FirehoseTransformationResultRecord): string {
  if (record.data === undefined) throw new Error(`record ${record.recordId} has no data`);
  return Buffer.from(record.data, 'base64').toString('utf8');
}

export function eventOf(records: FirehoseTransformationEventRecord[]): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/lattice-lens',
    region: 'us-east-1',
    records,
  };
}

export function sampleFirehoseEvent(): FirehoseTransformationEvent {
  const url = new URL(
    '../../../sample-logs/events/firehose-transformation-event.json',
    import.meta.url,
  );
  return JSON.parse(readFileSync(url, 'utf8')) as FirehoseTransformationEvent;
}
