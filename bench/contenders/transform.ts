// The Firehose transformation handler on a full-size event: ~6 MB of base64 access-log records,
// the most one synchronous Lambda invocation accepts. Warm invocations, as Firehose keeps one busy.
// The enriched response of such an event outgrows Lambda's 6 MB response limit, so the handler
// returns its last records as ProcessingFailed (Firehose then writes them under errors/): every
// record is handled and counted; `groups` reports how many came back Ok per invocation.
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { handler } from '../../functions/transform/handler.ts';
import { generateAccessLogLines } from '../../sample-logs/generator.ts';
import { reportRun } from './report-run.ts';

/** Lambda's synchronous payload limit is 6 MiB; stay a little under it. */
const EVENT_BYTES = Number(process.env.EVENT_BYTES ?? 6 * 1024 * 1024 - 64 * 1024);
const WARMUPS = 3;
const INVOCATIONS = 10;

function buildEvent(): { event: FirehoseTransformationEvent; dataBytes: number } {
  const records: FirehoseTransformationEvent['records'] = [];
  let size = 200;
  let dataBytes = 0;
  for (const line of generateAccessLogLines({
    seed: 11,
    requests: 10_000,
    start: new Date('2026-11-20T10:00:00Z'),
    hours: 0.25,
  })) {
    const data = Buffer.from(line).toString('base64');
    const record = {
      recordId: `49655293839417205123409847519876216403${String(records.length).padStart(18, '0')}`,
      approximateArrivalTimestamp: 1_795_170_053_581 + records.length,
      data,
    };
    const recordSize = JSON.stringify(record).length + 1;
    if (size + recordSize > EVENT_BYTES) break;
    size += recordSize;
    dataBytes += line.length;
    records.push(record);
  }
  const event: FirehoseTransformationEvent = {
    invocationId: '5959e0b4-18f9-4bec-8dac-61e5dd71a07b',
    deliveryStreamArn:
      'arn:aws:firehose:us-east-1:111122223333:deliverystream/lattice-lens-access-logs',
    region: 'us-east-1',
    records,
  };
  return { event, dataBytes };
}

const { event, dataBytes } = buildEvent();
// The Lambda runtime hands the handler a parsed event; parse a fresh copy per invocation as it does.
const text = JSON.stringify(event);
for (let i = 0; i < WARMUPS; i++) await handler(JSON.parse(text));

const events = Array.from({ length: INVOCATIONS }, () => JSON.parse(text));
let okRecords = 0;
let returned = 0;
const started = performance.now();
const startedCpu = process.cpuUsage();
for (const each of events) {
  const result = await handler(each);
  returned += result.records.length;
  okRecords += result.records.filter((record) => record.result === 'Ok').length;
}
if (returned !== event.records.length * INVOCATIONS) {
  throw new Error(`expected every record back, got ${returned}`);
}
reportRun({
  name: 'transform',
  bytes: dataBytes * INVOCATIONS,
  lines: event.records.length * INVOCATIONS,
  groups: okRecords / INVOCATIONS,
  started,
  startedCpu,
});
