// Specification of the auth-failure counts and their EMF form (aws-contracts.md §9): names,
// namespace, dimensions, zeros, and the 100-metrics-per-directive limit.
import { describe, expect, it } from 'vitest';
import {
  buildAuthFailureEmf,
  buildEmfDocuments,
  countRequest,
  countTransformFailures,
  emptyAuthFailureCounts,
  MAX_METRICS_PER_DOCUMENT,
} from '../../../shared/metrics/index.ts';

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}
type Document = Record<string, unknown> & {
  _aws: { Timestamp: number; CloudWatchMetrics: Directive[] };
};

const parse = (documents: string[]) => documents.map((d) => JSON.parse(d) as Document);
const options = { namespace: 'LatticeLens', timestamp: 1795170100000 };

describe('auth-failure counts', () => {
  it('count requests and auth denials in total and per service, in first-seen order', () => {
    const counts = emptyAuthFailureCounts();
    countRequest(counts, 'svc-b', false);
    countRequest(counts, 'svc-a', true);
    countRequest(counts, 'svc-b', true);
    countTransformFailures(counts, 2);
    expect(counts).toEqual({
      requests: 3,
      authDenied: 2,
      transformFailures: 2,
      services: new Map([
        ['svc-b', { requests: 2, authDenied: 1 }],
        ['svc-a', { requests: 1, authDenied: 1 }],
      ]),
    });
  });
});

describe('buildAuthFailureEmf', () => {
  const counts = emptyAuthFailureCounts();
  countRequest(counts, 'svc-0a40974812b61bafb', false);
  countRequest(counts, 'svc-0a40974812b61bafb', true);
  countRequest(counts, 'rcfg-0123456789abcdef0', false);
  countTransformFailures(counts, 1);
  const documents = parse(buildAuthFailureEmf(counts, options));

  it('writes the totals first, without dimensions, with all three metrics', () => {
    expect(documents[0]).toEqual({
      _aws: {
        Timestamp: 1795170100000,
        CloudWatchMetrics: [
          {
            Namespace: 'LatticeLens',
            Dimensions: [[]],
            Metrics: [
              { Name: 'Requests', Unit: 'Count' },
              { Name: 'AuthDenied', Unit: 'Count' },
              { Name: 'TransformFailures', Unit: 'Count' },
            ],
          },
        ],
      },
      Requests: 3,
      AuthDenied: 1,
      TransformFailures: 1,
    });
  });

  it('then one document per service with dimension ServiceId, zeros included', () => {
    expect(documents.slice(1)).toEqual([
      {
        _aws: {
          Timestamp: 1795170100000,
          CloudWatchMetrics: [
            {
              Namespace: 'LatticeLens',
              Dimensions: [['ServiceId']],
              Metrics: [
                { Name: 'Requests', Unit: 'Count' },
                { Name: 'AuthDenied', Unit: 'Count' },
              ],
            },
          ],
        },
        ServiceId: 'svc-0a40974812b61bafb',
        Requests: 2,
        AuthDenied: 1,
      },
      expect.objectContaining({ ServiceId: 'rcfg-0123456789abcdef0', Requests: 1, AuthDenied: 0 }),
    ]);
  });

  it('uses the namespace it is given', () => {
    const [total] = parse(buildAuthFailureEmf(counts, { ...options, namespace: 'Staging' }));
    expect(total?._aws.CloudWatchMetrics[0]?.Namespace).toBe('Staging');
  });

  it('emits zero totals for a batch with nothing in it', () => {
    expect(parse(buildAuthFailureEmf(emptyAuthFailureCounts(), options))).toEqual([
      expect.objectContaining({ Requests: 0, AuthDenied: 0, TransformFailures: 0 }),
    ]);
  });

  it('keeps every document within the EMF limits however many services a batch has', () => {
    const many = emptyAuthFailureCounts();
    for (let i = 0; i < 1_000; i++) countRequest(many, `svc-${i}`, i % 3 === 0);
    const emitted = parse(buildAuthFailureEmf(many, options));
    expect(emitted).toHaveLength(1_001);
    for (const document of emitted) {
      const [directive] = document._aws.CloudWatchMetrics;
      expect(directive?.Metrics.length).toBeLessThanOrEqual(MAX_METRICS_PER_DOCUMENT);
      expect(directive?.Dimensions.every((set) => set.length <= 30)).toBe(true);
      // CloudWatch Logs events (and so EMF documents) are at most 256 KB.
      expect(JSON.stringify(document).length).toBeLessThan(256 * 1024);
    }
    const perService = emitted.slice(1);
    expect(perService.reduce((sum, d) => sum + (d.Requests as number), 0)).toBe(1_000);
    expect(perService.reduce((sum, d) => sum + (d.AuthDenied as number), 0)).toBe(334);
  });
});

describe('buildEmfDocuments', () => {
  it('splits a directive of more than 100 metrics into several documents', () => {
    const metrics = Array.from({ length: 250 }, (_, i) => ({
      name: `M${i}`,
      unit: 'Count' as const,
      value: i,
    }));
    const documents = parse(
      buildEmfDocuments({ ...options, dimensions: { ServiceId: 'svc-1' }, metrics }),
    );
    expect(documents.map((d) => d._aws.CloudWatchMetrics[0]?.Metrics.length)).toEqual([
      100, 100, 50,
    ]);
    for (const document of documents) {
      expect(document.ServiceId).toBe('svc-1');
      for (const { Name } of document._aws.CloudWatchMetrics[0]?.Metrics ?? []) {
        expect(document[Name]).toBe(Number(Name.slice(1)));
      }
    }
  });

  it('writes exactly 100 metrics as one document', () => {
    const metrics = Array.from({ length: 100 }, (_, i) => ({
      name: `M${i}`,
      unit: 'Count' as const,
      value: 1,
    }));
    expect(buildEmfDocuments({ ...options, dimensions: {}, metrics })).toHaveLength(1);
  });
});
