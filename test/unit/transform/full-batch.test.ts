// Full batches: an event at Lambda's 6 MB request limit and one at Firehose's largest processing
// buffer (3 MB), ~1.4 kB generated entries with malformed ones among them. Every record comes back
// once, the counts add up, and the response fits Lambda's 6 MB response limit.
import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { generateSampleEntries, type SampleEntry } from '../../../sample-logs/generator.ts';
import { transformRecords } from '../../../shared/transform/index.ts';
import { eventOf, recordOfText } from './firehose-records.ts';

const MB = 1024 * 1024;
const LAMBDA_PAYLOAD_LIMIT = 6 * MB;

/** Generated entries as Firehose records, as many as fit an event of `eventBytes`. */
function batchOf(eventBytes: number) {
  const entries: { entry: SampleEntry; record: FirehoseTransformationEventRecord }[] = [];
  let bytes = JSON.stringify(eventOf([])).length;
  for (const entry of generateSampleEntries({
    seed: 6,
    requests: 10_000,
    start: new Date('2026-11-20T00:00:00Z'),
    hours: 24,
    malformedEvery: 100,
  })) {
    const record = recordOfText(
      `49655293839417205123409847519876216403${entries.length}`,
      entry.line,
    );
    const size = JSON.stringify(record).length + 1;
    if (bytes + size > eventBytes) break;
    bytes += size;
    entries.push({ entry, record });
  }
  const event = eventOf(entries.map((e) => e.record));
  const malformed = entries.filter((e) => e.entry.kind === 'malformed').length;
  const denied = entries.filter((e) => e.entry.kind === 'request' && e.entry.isAuthDenied).length;
  return { entries, event, malformed, denied, requests: entries.length - malformed };
}

describe('transformRecords on a full 6 MB batch (the Lambda request limit)', () => {
  const { entries, event, malformed, denied, requests } = batchOf(LAMBDA_PAYLOAD_LIMIT);
  const batch = transformRecords(event.records);

  it('is a real full batch: within 16 kB of 6 MB, thousands of records', () => {
    const size = JSON.stringify(event).length;
    expect(size).toBeGreaterThan(LAMBDA_PAYLOAD_LIMIT - 16 * 1024);
    expect(size).toBeLessThanOrEqual(LAMBDA_PAYLOAD_LIMIT);
    expect(entries.length).toBeGreaterThan(3_000);
    expect(malformed).toBeGreaterThan(20);
  });

  it('returns every recordId once, in order, and nothing Dropped', () => {
    expect(batch.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(batch.records.every((r) => r.result === 'Ok' || r.result === 'ProcessingFailed')).toBe(
      true,
    );
  });

  it('answers within Lambda’s 6 MB response limit', () => {
    expect(Buffer.byteLength(JSON.stringify({ records: batch.records }))).toBeLessThanOrEqual(
      LAMBDA_PAYLOAD_LIMIT,
    );
  });

  it('fails the malformed entries as invalid, and valid ones only as far as the size forces', () => {
    const invalid = batch.failures.filter((f) => f.kind === 'invalid');
    expect(invalid).toHaveLength(malformed);
    const forSize = batch.failures.filter((f) => f.kind === 'response-too-large');
    const ok = batch.records.filter((r) => r.result === 'Ok');
    expect(ok.length + invalid.length + forSize.length).toBe(entries.length);
    // Each Ok record answers with more than it came with (result, partition keys, newline), so
    // at the request limit some valid records cannot come back Ok: they go to errors/, intact.
    expect(ok.length).toBeGreaterThan(0);
    expect(forSize.length).toBeGreaterThan(0);
    const failedForSize = new Set(forSize.map((f) => f.recordId));
    batch.records.forEach((record, i) => {
      if (failedForSize.has(record.recordId)) expect(record.data).toBe(event.records[i]?.data);
    });
  });

  it('counts every valid request and auth denial, whatever its response form', () => {
    expect(batch.counts.requests).toBe(requests);
    expect(batch.counts.authDenied).toBe(denied);
    expect(denied).toBeGreaterThan(0);
    expect(batch.counts.transformFailures).toBe(batch.failures.length);
    const perService = [...batch.counts.services.values()];
    expect(perService.reduce((sum, s) => sum + s.requests, 0)).toBe(requests);
    expect(perService.reduce((sum, s) => sum + s.authDenied, 0)).toBe(denied);
  });
});

describe('transformRecords on a 3 MB batch (the largest Firehose processing buffer)', () => {
  const { entries, event, malformed, requests } = batchOf(3 * MB);
  const batch = transformRecords(event.records);

  it('returns every valid entry Ok with its derived fields, and only the malformed failed', () => {
    expect(entries.length).toBeGreaterThan(1_500);
    expect(batch.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(batch.plainRecords).toBe(0);
    expect(batch.failures.map((f) => f.kind)).toEqual(Array(malformed).fill('invalid'));
    expect(batch.records.filter((r) => r.result === 'Ok')).toHaveLength(requests);
    expect(Buffer.byteLength(JSON.stringify({ records: batch.records }))).toBeLessThan(
      LAMBDA_PAYLOAD_LIMIT,
    );
  });
});
