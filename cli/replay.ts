// `lattice-lens replay`: access-log files sent to a Firehose delivery stream, one entry per record
// as Lattice sends them, to backfill history or exercise a deployment with real traffic.
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { Command } from 'commander';
import { createFirehoseClient, putRecordBatchSender } from '../shared/aws/index.ts';
import { formatRejection, type RejectedLine } from '../shared/log/index.ts';
import {
  deliveryStreamNameOf,
  type ReplayOptions,
  type ReplayReport,
  readLogLines,
  replayRecords,
  type SendRecordBatch,
} from '../shared/replay/index.ts';
import { noValidRecordsError } from './no-valid-records.ts';
import { positiveInteger } from './options.ts';
import { CheckFailedError, jsonText } from './output.ts';
import { UsageError } from './usage-error.ts';

/** How many rejected lines the result lists (all are counted). */
const KEPT_REJECTIONS = 20;
const SHOWN_REJECTIONS = 5;

export interface ReplayCommandOptions {
  stream: string;
  region?: string;
  maxAttempts?: number;
}

export interface ReplayResult extends ReplayReport {
  stream: string;
  inputs: string[];
  /** Lines that were not access-log entries: counted and listed, never sent. */
  rejectedLines: number;
  rejections: RejectedLine[];
}

/** Replays `inputs` through `send`; runReplay builds `send` from the options. */
export async function replayWith(
  inputs: string[],
  stream: string,
  send: SendRecordBatch,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  let rejectedLines = 0;
  const rejections: RejectedLine[] = [];
  async function* entries(): AsyncGenerator<Uint8Array> {
    for await (const line of readLogLines(inputs)) {
      if (!line.ok) {
        rejectedLines++;
        if (rejections.length < KEPT_REJECTIONS) rejections.push(line.rejected);
        continue;
      }
      // The entry's own bytes plus a newline: Firehose concatenates records as they are, so a
      // stream without the transform still writes JSON lines (the transform trims it anyway).
      yield Buffer.from(`${line.text}\n`, 'utf8');
    }
  }
  const report = await replayRecords(entries(), send, options);
  if (report.records === 0) {
    throw noValidRecordsError(inputs, rejectedLines, rejections[0]);
  }
  return { stream, inputs, ...report, rejectedLines, rejections };
}

/** Replays to the stream with a Firehose client (credentials and region from the usual places). */
export async function runReplay(
  inputs: string[],
  options: ReplayCommandOptions,
  dependencies: { client?: FirehoseClient; sleep?: (ms: number) => Promise<void> } = {},
): Promise<ReplayResult> {
  const stream = deliveryStreamNameOf(options.stream);
  if (stream === undefined) {
    throw new UsageError(
      `--stream ${JSON.stringify(options.stream)} is not a Firehose stream name or ARN (1-64 of A-Z a-z 0-9 _ . -)`,
    );
  }
  const client =
    dependencies.client ??
    createFirehoseClient(options.region === undefined ? {} : { region: options.region });
  try {
    return await replayWith(inputs, stream, putRecordBatchSender(client, stream), {
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      ...(dependencies.sleep === undefined ? {} : { sleep: dependencies.sleep }),
    });
  } finally {
    if (dependencies.client === undefined) client.destroy();
  }
}

export function formatReplay(result: ReplayResult): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `Sent ${n(result.sent)} of ${n(result.records)} record(s) to ${result.stream} in ${n(result.calls)} PutRecordBatch call(s)` +
      (result.resent > 0 ? `, ${n(result.resent)} re-sent after a failure` : '') +
      '.',
  ];
  if (result.rejectedLines > 0) {
    lines.push(`${n(result.rejectedLines)} line(s) are not access-log entries and were not sent:`);
    for (const rejection of result.rejections.slice(0, SHOWN_REJECTIONS)) {
      lines.push(`  rejected ${formatRejection(rejection)}`);
    }
    if (result.rejectedLines > SHOWN_REJECTIONS) {
      lines.push(`  … and ${n(result.rejectedLines - SHOWN_REJECTIONS)} more`);
    }
  }
  if (result.failed > 0)
    lines.push(`${n(result.failed)} record(s) failed: ${failureCodes(result)}.`);
  if (result.stoppedBy !== undefined) {
    lines.push(
      `Stopped early, so ${n(result.notAttempted ?? 0)} more record(s) were not attempted: ${result.stoppedBy}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function failureCodes(result: ReplayResult): string {
  return Object.entries(result.failures)
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ');
}

export function replayCommand(): Command {
  return new Command('replay')
    .description(
      'Send access-log files to a Firehose delivery stream, one entry per record, as Lattice does.',
    )
    .argument('<logs...>', 'access-log files or directories (JSON lines, plain or gzip)')
    .requiredOption('--stream <name|arn>', 'the Firehose delivery stream')
    .option('--region <region>', 'the stream’s AWS region (default: from the AWS configuration)')
    .option(
      '--max-attempts <n>',
      'calls a record may take part in before it counts as failed',
      positiveInteger,
      5,
    )
    .option('--json', 'print a machine-readable result on stdout', false)
    .addHelpText(
      'after',
      `
Lines that are not access-log entries are reported and not sent. Records Firehose reports failed
are re-sent alone, with backoff; the exit code is 1 if any remain failed. A call that keeps
failing (no such stream, no permission) stops the replay; the records after it are counted as
not attempted.

Examples:
  $ lattice-lens replay --stream lattice-lens-access-logs sample-logs/access-logs
  $ lattice-lens replay --stream arn:aws:firehose:us-east-1:111122223333:deliverystream/lattice-lens-access-logs logs/ --json`,
    )
    .action(
      async (
        inputs: string[],
        options: { stream: string; region?: string; maxAttempts: number; json: boolean },
      ) => {
        const result = await runReplay(inputs, options);
        process.stdout.write(options.json ? jsonText(result) : formatReplay(result));
        if (result.failed > 0) {
          const isStopped = result.stoppedBy !== undefined;
          throw new CheckFailedError(
            `${result.failed} record(s) not accepted by ${result.stream}${isStopped ? '' : ` after ${options.maxAttempts} attempt(s)`}: ${failureCodes(result)}` +
              (isStopped
                ? `; stopped early, ${result.notAttempted ?? 0} more record(s) not attempted`
                : ''),
          );
        }
      },
    );
}
