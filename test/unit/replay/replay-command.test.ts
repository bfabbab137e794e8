// Specification of `lattice-lens replay` against a mocked Firehose client (aws-sdk-client-mock:
// Firehose has no local equivalent, so this is the one place mocks stand in for AWS). Real log
// files in, PutRecordBatch calls out: limits, the bytes sent, partial failures, giving up.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
  ResourceNotFoundException,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckFailedError } from '../../../cli/output.ts';
import { replayCommand, runReplay } from '../../../cli/replay.ts';
import { UsageError } from '../../../cli/usage-error.ts';
import { CorruptInputError } from '../../../shared/log/index.ts';

const LOGS = new URL('../../../sample-logs/access-logs/', import.meta.url).pathname;
const WITH_MALFORMED = join(LOGS, '2026/11/20/service-network-access-12.log'); // 662 + 4 bad
const GZIPPED = join(LOGS, '2026/11/21/service-network-access-18.log'); // 713, gzip named .log

const firehose = mockClient(FirehoseClient);
const noSleep = async () => {};

/** The records of each PutRecordBatch call the mock received, as text. */
function sentCalls(): string[][] {
  return firehose
    .commandCalls(PutRecordBatchCommand)
    .map(
      (call) =>
        (call.args[0].input as PutRecordBatchCommandInput).Records?.map((r) =>
          Buffer.from(r.Data as Uint8Array).toString('utf8'),
        ) ?? [],
    );
}

/** Firehose's answer: every record taken, except those `isFailed` picks. */
function answer(isFailed: (text: string, call: number) => boolean = () => false) {
  let call = 0;
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
    call++;
    const entries = (input.Records ?? []).map((r) =>
      isFailed(Buffer.from(r.Data as Uint8Array).toString('utf8'), call)
        ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
        : { RecordId: `id-${call}` },
    );
    return {
      FailedPutCount: entries.filter((e) => 'ErrorCode' in e).length,
      RequestResponses: entries,
    };
  });
}

describe('lattice-lens replay', () => {
  beforeEach(() => firehose.reset());

  it('sends every valid line of the sample logs, 500 records at most per call', async () => {
    answer();
    const client = new FirehoseClient({ region: 'us-east-1' });
    const result = await runReplay(
      [LOGS],
      { stream: 'lattice-lens-access-logs' },
      { client, sleep: noSleep },
    );
    expect(result).toMatchObject({
      records: 4_000,
      sent: 4_000,
      failed: 0,
      rejectedLines: 4,
      resent: 0,
    });
    const calls = sentCalls();
    expect(calls.length).toBe(result.calls);
    expect(calls.length).toBe(8);
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(500);
      expect(call.reduce((sum, r) => sum + Buffer.byteLength(r), 0)).toBeLessThanOrEqual(
        4 * 1024 * 1024,
      );
    }
    for (const input of firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input)) {
      expect((input as PutRecordBatchCommandInput).DeliveryStreamName).toBe(
        'lattice-lens-access-logs',
      );
    }
  });

  it('sends each entry’s own bytes plus a newline, in file order, and no malformed line', async () => {
    answer();
    const client = new FirehoseClient({});
    const result = await runReplay(
      [WITH_MALFORMED],
      { stream: 'logs' },
      { client, sleep: noSleep },
    );
    const lines = (await readFile(WITH_MALFORMED, 'utf8')).split('\n').filter((l) => l !== '');
    const sent = sentCalls().flat();
    expect(sent).toHaveLength(662);
    expect(sent.every((r) => r.endsWith('}\n') && r.indexOf('\n') === r.length - 1)).toBe(true);
    const valid = lines.filter((line) => sent.includes(`${line}\n`));
    expect(valid).toHaveLength(662);
    expect(sent).toEqual(valid.map((line) => `${line}\n`));
    expect(result.rejectedLines).toBe(4);
    expect(result.rejections.map((r) => r.location.source)).toEqual(Array(4).fill(WITH_MALFORMED));
  });

  it('reads a gzipped log by its magic bytes and sends the decompressed lines', async () => {
    answer();
    const client = new FirehoseClient({});
    await runReplay([GZIPPED], { stream: 'logs' }, { client, sleep: noSleep });
    const lines = gunzipSync(await readFile(GZIPPED))
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(sentCalls().flat()).toEqual(lines.map((line) => `${line}\n`));
  });

  it('re-sends only the records a call reported failed', async () => {
    answer(
      (text, call) =>
        call === 1 && (text.includes('"bytesSent":2933,') || text.includes('/api/v1/users/')),
    );
    const client = new FirehoseClient({});
    const sleep = vi.fn(noSleep);
    const result = await runReplay([WITH_MALFORMED], { stream: 'logs' }, { client, sleep });
    const [first = [], second = [], ...rest] = sentCalls();
    const failedInFirst = first.filter(
      (t) => t.includes('"bytesSent":2933,') || t.includes('/api/v1/users/'),
    );
    expect(failedInFirst.length).toBeGreaterThan(0);
    expect(second).toEqual(failedInFirst);
    expect(rest.map((c) => c.length)).toEqual([162]);
    expect(result).toMatchObject({ sent: 662, failed: 0, resent: failedInFirst.length, calls: 3 });
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('gives up after the attempts allowed and reports the records still failed', async () => {
    const isUsers = (text: string) => text.includes('/api/v1/users/');
    answer(isUsers);
    const client = new FirehoseClient({});
    const result = await runReplay(
      [WITH_MALFORMED],
      { stream: 'logs', maxAttempts: 3 },
      { client, sleep: noSleep },
    );
    const calls = sentCalls();
    const [first = [], , , fourth = []] = calls;
    const usersOfFirst = first.filter(isUsers);
    const usersOfSecond = fourth.filter(isUsers);
    // Each batch: one full call, then two re-sends of only its failed records.
    expect(calls).toEqual([
      first,
      usersOfFirst,
      usersOfFirst,
      fourth,
      usersOfSecond,
      usersOfSecond,
    ]);
    const failed = usersOfFirst.length + usersOfSecond.length;
    expect(result).toMatchObject({
      sent: 662 - failed,
      failed,
      calls: 6,
      failures: { ServiceUnavailableException: failed },
    });
  });

  /** Firehose's answer when the stream does not exist: every call throws. */
  function noSuchStream() {
    firehose
      .on(PutRecordBatchCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'Firehose nope not found', $metadata: {} }),
      );
  }

  it('stops at the first batch when the stream does not exist, counting the rest as not attempted', async () => {
    noSuchStream();
    const client = new FirehoseClient({});
    const result = await runReplay(
      [LOGS],
      { stream: 'nope', maxAttempts: 2 },
      { client, sleep: noSleep },
    );
    expect(sentCalls()).toHaveLength(2);
    expect(result).toMatchObject({
      records: 500,
      sent: 0,
      failed: 500,
      failures: { ResourceNotFoundException: 500 },
      stoppedBy: 'ResourceNotFoundException: Firehose nope not found',
      notAttempted: 3_500,
      // The whole input is read, so every malformed line is counted too.
      rejectedLines: 4,
    });
    expect(result.sent + result.failed).toBe(result.records);
    expect(result.records + (result.notAttempted ?? 0)).toBe(4_000);
  });

  it('takes a stream ARN and sends to the stream it names', async () => {
    answer();
    const client = new FirehoseClient({});
    await runReplay(
      [GZIPPED],
      { stream: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/lattice-lens-access-logs' },
      { client, sleep: noSleep },
    );
    const input = firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0]
      .input as PutRecordBatchCommandInput;
    expect(input.DeliveryStreamName).toBe('lattice-lens-access-logs');
  });

  it('refuses a stream that is neither a name nor a stream ARN, before reading anything', async () => {
    for (const stream of ['', 'has space', 'a'.repeat(65), 'arn:aws:s3:::bucket']) {
      await expect(runReplay([LOGS], { stream })).rejects.toThrow(UsageError);
    }
    expect(sentCalls()).toEqual([]);
  });

  describe('on input without access-log entries', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'replay-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('is a usage error naming the first rejected line, and sends nothing', async () => {
      answer();
      const file = join(dir, 'not-logs.txt');
      await writeFile(file, 'hello\n\nworld\n');
      const client = new FirehoseClient({});
      await expect(runReplay([file], { stream: 'logs' }, { client })).rejects.toThrow(
        /no valid access-log records .*2 line\(s\) rejected, first: .*not-logs.txt:1: not valid JSON/,
      );
      expect(sentCalls()).toEqual([]);
    });

    it('fails on a corrupt gzip file with CorruptInputError naming it', async () => {
      answer();
      const gzip = await readFile(GZIPPED);
      const file = join(dir, 'cut.log');
      await writeFile(file, gzip.subarray(0, gzip.length / 2));
      const client = new FirehoseClient({});
      await expect(
        runReplay([file], { stream: 'logs' }, { client, sleep: noSleep }),
      ).rejects.toThrow(CorruptInputError);
    });

    it('sends CRLF and byte-order-marked lines without the CR or the mark', async () => {
      answer();
      const line = (await readFile(WITH_MALFORMED, 'utf8')).split('\n')[0] ?? '';
      const file = join(dir, 'windows.log');
      await writeFile(file, `\ufeff${line}\r\n${line}\r\n`);
      const client = new FirehoseClient({});
      await runReplay([file], { stream: 'logs' }, { client, sleep: noSleep });
      expect(sentCalls().flat()).toEqual([`${line}\n`, `${line}\n`]);
    });
  });

  describe('as a command', () => {
    afterEach(() => vi.restoreAllMocks());

    async function run(args: string[]) {
      const output: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        output.push(String(chunk));
        return true;
      });
      const command = replayCommand().exitOverride();
      const outcome = await command.parseAsync(['node', 'replay', ...args]).then(
        () => undefined,
        (error: unknown) => error,
      );
      vi.restoreAllMocks();
      return { output: output.join(''), error: outcome };
    }

    it('prints what was sent, and the rejected lines', async () => {
      answer();
      const { output, error } = await run(['--stream', 'logs', WITH_MALFORMED]);
      expect(error).toBeUndefined();
      expect(output).toMatch(
        /^Sent 662 of 662 record\(s\) to logs in 2 PutRecordBatch call\(s\)\./,
      );
      expect(output).toContain('4 line(s) are not access-log entries and were not sent:');
    });

    it('prints JSON with --json', async () => {
      answer();
      const { output } = await run(['--stream', 'logs', '--json', WITH_MALFORMED]);
      expect(JSON.parse(output)).toMatchObject({
        stream: 'logs',
        records: 662,
        sent: 662,
        failed: 0,
        rejectedLines: 4,
      });
    });

    it('says how many records it did not attempt, and why, when it stopped early', async () => {
      noSuchStream();
      const { output, error } = await run(['--stream', 'nope', '--max-attempts', '1', LOGS]);
      const lines = output.trimEnd().split('\n');
      expect(lines[0]).toBe('Sent 0 of 500 record(s) to nope in 1 PutRecordBatch call(s).');
      expect(lines.slice(-2)).toEqual([
        '500 record(s) failed: ResourceNotFoundException ×500.',
        'Stopped early, so 3,500 more record(s) were not attempted: ResourceNotFoundException: Firehose nope not found.',
      ]);
      expect(error).toBeInstanceOf(CheckFailedError);
      expect((error as Error).message).toBe(
        '500 record(s) not accepted by nope: ResourceNotFoundException ×500; stopped early, 3500 more record(s) not attempted',
      );
    });

    it('has stoppedBy and notAttempted in --json only when it stopped early', async () => {
      noSuchStream();
      const stopped = JSON.parse(
        (await run(['--stream', 'nope', '--max-attempts', '1', '--json', LOGS])).output,
      );
      expect(stopped).toMatchObject({
        records: 500,
        sent: 0,
        failed: 500,
        stoppedBy: 'ResourceNotFoundException: Firehose nope not found',
        notAttempted: 3_500,
      });
      firehose.reset();
      answer();
      const finished = JSON.parse((await run(['--stream', 'logs', '--json', LOGS])).output);
      expect(finished).toMatchObject({ records: 4_000, sent: 4_000, failed: 0 });
      expect(finished).not.toHaveProperty('stoppedBy');
      expect(finished).not.toHaveProperty('notAttempted');
    });

    it('fails the check (exit 1) after printing when records remain failed', async () => {
      answer((text) => text.includes('/api/v1/users/'));
      const { output, error } = await run([
        '--stream',
        'logs',
        '--max-attempts',
        '1',
        '--json',
        WITH_MALFORMED,
      ]);
      const printed = JSON.parse(output) as { failed: number };
      expect(printed.failed).toBeGreaterThan(0);
      expect(error).toBeInstanceOf(CheckFailedError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^${printed.failed} record\\(s\\) not accepted by logs after 1 attempt\\(s\\): ServiceUnavailableException ×${printed.failed}$`,
        ),
      );
    });
  });
});
