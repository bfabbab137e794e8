// Specification of replayRecords: every record offered once, only failed ones re-sent, bounded
// retries with growing waits (an injected sleep: no real waiting), and a stop when calls keep failing.
import { describe, expect, it } from 'vitest';
import {
  type RecordFailure,
  replayRecords,
  type SendRecordBatch,
} from '../../../shared/replay/index.ts';

const record = (text: string) => Buffer.from(`${text}\n`);
const textOf = (bytes: Uint8Array) => Buffer.from(bytes).toString().trimEnd();
const records = (count: number) => Array.from({ length: count }, (_, i) => record(`r${i}`));

/** A sender that records each call and answers with `answer(call number, record text)`. */
function fakeSender(answer: (call: number, text: string) => RecordFailure | undefined | 'throw') {
  const calls: string[][] = [];
  const send: SendRecordBatch = async (batch) => {
    const texts = batch.map(textOf);
    calls.push(texts);
    const outcomes = texts.map((text) => answer(calls.length, text));
    if (outcomes.includes('throw'))
      throw Object.assign(new Error('boom'), { name: 'ServiceUnavailableException' });
    return outcomes as (RecordFailure | undefined)[];
  };
  return { send, calls };
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('replayRecords', () => {
  it('sends everything in as few calls as the limits allow when Firehose takes it all', async () => {
    const { send, calls } = fakeSender(() => undefined);
    const { sleep, waits } = recordingSleep();
    const report = await replayRecords(records(1_234), send, { sleep });
    expect(calls.map((c) => c.length)).toEqual([500, 500, 234]);
    expect(report).toEqual({
      records: 1_234,
      sent: 1_234,
      failed: 0,
      calls: 3,
      resent: 0,
      failures: {},
    });
    expect(waits).toEqual([]);
  });

  it('re-sends only the records whose response entry has an ErrorCode', async () => {
    const throttled = new Set(['r1', 'r3']);
    const { send, calls } = fakeSender((call, text) =>
      call === 1 && throttled.has(text)
        ? { code: 'ServiceUnavailableException', message: 'Slow down.' }
        : undefined,
    );
    const { sleep, waits } = recordingSleep();
    const report = await replayRecords(records(5), send, { sleep });
    expect(calls).toEqual([
      ['r0', 'r1', 'r2', 'r3', 'r4'],
      ['r1', 'r3'],
    ]);
    expect(report).toMatchObject({ records: 5, sent: 5, failed: 0, calls: 2, resent: 2 });
    expect(waits).toEqual([200]);
  });

  it('waits longer before each further attempt, up to the cap', async () => {
    const { send } = fakeSender((_, text) =>
      text === 'r0' ? { code: 'InternalFailure' } : undefined,
    );
    const { sleep, waits } = recordingSleep();
    await replayRecords(records(2), send, {
      sleep,
      maxAttempts: 7,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
    });
    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('gives up on a record after maxAttempts calls and reports it by error code', async () => {
    const { send, calls } = fakeSender((_, text) =>
      text === 'r2' ? { code: 'ServiceUnavailableException' } : undefined,
    );
    const { sleep, waits } = recordingSleep();
    const report = await replayRecords(records(4), send, { sleep, maxAttempts: 3 });
    expect(calls).toEqual([['r0', 'r1', 'r2', 'r3'], ['r2'], ['r2']]);
    expect(report).toEqual({
      records: 4,
      sent: 3,
      failed: 1,
      calls: 3,
      resent: 2,
      failures: { ServiceUnavailableException: 1 },
    });
    expect(waits).toHaveLength(2);
  });

  it('goes on with the next batch after giving up on records of one', async () => {
    const { send, calls } = fakeSender((_, text) =>
      text === 'r0' ? { code: 'InternalFailure' } : undefined,
    );
    const { sleep } = recordingSleep();
    const report = await replayRecords(records(501), send, { sleep, maxAttempts: 2 });
    expect(calls.map((c) => c.length)).toEqual([500, 1, 1]);
    expect(report).toMatchObject({ sent: 500, failed: 1, failures: { InternalFailure: 1 } });
  });

  it('retries a call that throws, and succeeds when it recovers', async () => {
    const { send, calls } = fakeSender((call) => (call === 1 ? 'throw' : undefined));
    const { sleep } = recordingSleep();
    const report = await replayRecords(records(3), send, { sleep });
    expect(calls).toHaveLength(2);
    expect(report).toMatchObject({ sent: 3, failed: 0, resent: 3 });
  });

  describe('when a call still throws on its last attempt', () => {
    it('makes no further call, and counts the rest of the input as not attempted', async () => {
      const { send, calls } = fakeSender(() => 'throw');
      const { sleep } = recordingSleep();
      const report = await replayRecords(records(2_000), send, { sleep, maxAttempts: 2 });
      expect(calls.map((c) => c.length)).toEqual([500, 500]);
      // The record batching read ahead for the next batch is not counted as attempted.
      expect(report).toEqual({
        records: 500,
        sent: 0,
        failed: 500,
        calls: 2,
        resent: 500,
        failures: { ServiceUnavailableException: 500 },
        stoppedBy: 'ServiceUnavailableException: boom',
        notAttempted: 1_500,
      });
    });

    it('keeps the records of earlier batches sent, and the counts add up to the input', async () => {
      const { send, calls } = fakeSender((call, text) =>
        call >= 2 ? 'throw' : text === 'r1' ? { code: 'InternalFailure' } : undefined,
      );
      const { sleep } = recordingSleep();
      const report = await replayRecords(records(1_234), send, { sleep, maxAttempts: 3 });
      // The first batch, the re-send of r1 (which throws, as does its last attempt), then a stop.
      expect(calls.map((c) => c.length)).toEqual([500, 1, 1]);
      expect(report).toMatchObject({
        records: 500,
        sent: 499,
        failed: 1,
        failures: { ServiceUnavailableException: 1 },
        notAttempted: 734,
      });
      expect(report.sent + report.failed).toBe(report.records);
      expect(report.records + (report.notAttempted ?? 0)).toBe(1_234);
    });

    it('reports none not attempted when the call that stops it carried the last records', async () => {
      const { send } = fakeSender(() => 'throw');
      const report = await replayRecords(records(3), send, {
        sleep: async () => {},
        maxAttempts: 1,
      });
      expect(report).toMatchObject({ records: 3, sent: 0, failed: 3, notAttempted: 0 });
    });

    it('still counts a record over 1,000 KiB after the stop as failed, RecordTooLarge', async () => {
      const { send, calls } = fakeSender(() => 'throw');
      const huge = new Uint8Array(1000 * 1024 + 1);
      const report = await replayRecords(
        [...records(500), record('next'), huge, record('last')],
        send,
        { sleep: async () => {}, maxAttempts: 1 },
      );
      expect(calls).toHaveLength(1);
      expect(report).toMatchObject({
        records: 501,
        sent: 0,
        failed: 501,
        failures: { ServiceUnavailableException: 500, RecordTooLarge: 1 },
        notAttempted: 2,
      });
    });
  });

  it('counts every record sent or failed when some of every batch fail to the end', async () => {
    const { send, calls } = fakeSender((_, text) =>
      Number(text.slice(1)) % 100 === 0 ? { code: 'ServiceUnavailableException' } : undefined,
    );
    const report = await replayRecords(records(1_234), send, {
      sleep: async () => {},
      maxAttempts: 2,
    });
    expect(calls.map((c) => c.length)).toEqual([500, 5, 500, 5, 234, 3]);
    // No stop: nothing is left unattempted, and neither key of a stop is there.
    expect(report).toEqual({
      records: 1_234,
      sent: 1_221,
      failed: 13,
      calls: 6,
      resent: 13,
      failures: { ServiceUnavailableException: 13 },
    });
  });

  it('never sends a record over 1,000 KiB and counts it failed as RecordTooLarge', async () => {
    const { send, calls } = fakeSender(() => undefined);
    const huge = new Uint8Array(1000 * 1024 + 1);
    const report = await replayRecords([record('a'), huge, record('b')], send, {
      sleep: async () => {},
    });
    expect(calls).toEqual([['a', 'b']]);
    expect(report).toMatchObject({
      records: 3,
      sent: 2,
      failed: 1,
      failures: { RecordTooLarge: 1 },
    });
  });

  it('re-sends records a short response leaves unconfirmed', async () => {
    let call = 0;
    const sent: number[] = [];
    const send: SendRecordBatch = async (batch) => {
      call++;
      sent.push(batch.length);
      return call === 1 ? [undefined] : batch.map(() => undefined);
    };
    const report = await replayRecords(records(3), send, { sleep: async () => {} });
    expect(sent).toEqual([3, 2]);
    expect(report).toMatchObject({ sent: 3, failed: 0 });
  });
});
