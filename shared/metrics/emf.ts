// The CloudWatch form of the auth-failure counts: Embedded Metric Format (EMF) documents, one JSON
// log line each, that CloudWatch Logs turns into metrics (aws-contracts.md §9). EMF rather than
// PutMetricData: no API call on the Firehose path (no latency, no throttling, no IAM permission),
// and a metrics outage cannot fail a batch.
import type { AuthFailureCounts } from './auth-failure-counts.ts';

export const DEFAULT_METRICS_NAMESPACE = 'LatticeLens';

/** The metric names the transform emits, and the alarms (infra/) and dashboards read. */
export const METRIC_NAMES = {
  requests: 'Requests',
  authDenied: 'AuthDenied',
  transformFailures: 'TransformFailures',
} as const;

/** The dimension of the per-service series: `svc-…` or `rcfg-…`. */
export const SERVICE_DIMENSION = 'ServiceId';

/** §9: at most 100 metrics in one directive; a document with more is split. */
export const MAX_METRICS_PER_DOCUMENT = 100;

export interface EmfMetric {
  name: string;
  unit: 'Count';
  value: number;
}

export interface EmfDocumentInput {
  namespace: string;
  /** Epoch milliseconds the values belong to (CloudWatch rejects ones > 2 weeks old or 2 h ahead). */
  timestamp: number;
  /** Dimension name → value; none gives the series without dimensions. */
  dimensions: Record<string, string>;
  metrics: readonly EmfMetric[];
}

/**
 * EMF documents (JSON strings, one log line each) for metrics that share dimensions, split so no
 * directive holds more than MAX_METRICS_PER_DOCUMENT metrics. One dimension set per document: a
 * dimension's value is a top-level member, so one document can carry one value of it.
 */
export function buildEmfDocuments(input: EmfDocumentInput): string[] {
  const dimensionNames = Object.keys(input.dimensions);
  const documents: string[] = [];
  for (let start = 0; start < input.metrics.length; start += MAX_METRICS_PER_DOCUMENT) {
    const metrics = input.metrics.slice(start, start + MAX_METRICS_PER_DOCUMENT);
    const document: Record<string, unknown> = {
      _aws: {
        Timestamp: input.timestamp,
        CloudWatchMetrics: [
          {
            Namespace: input.namespace,
            // An empty dimension set is allowed by the EMF specification: the metric without
            // dimensions, which is the batch total here.
            Dimensions: [dimensionNames],
            Metrics: metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
          },
        ],
      },
      ...input.dimensions,
    };
    for (const metric of metrics) document[metric.name] = metric.value;
    documents.push(JSON.stringify(document));
  }
  return documents;
}

export interface AuthFailureEmfOptions {
  namespace: string;
  timestamp: number;
}

/**
 * The documents for one invocation's counts: the totals without dimensions (`Requests`,
 * `AuthDenied`, `TransformFailures`), then one document per service with dimension `ServiceId`
 * (`Requests`, `AuthDenied`). Zeros are emitted too: an alarm must see a quiet period as 0, not
 * as missing data. A failed record has no trustworthy service, so failures are counted in total only.
 */
export function buildAuthFailureEmf(
  counts: AuthFailureCounts,
  options: AuthFailureEmfOptions,
): string[] {
  const base = { namespace: options.namespace, timestamp: options.timestamp };
  const documents = buildEmfDocuments({
    ...base,
    dimensions: {},
    metrics: [
      { name: METRIC_NAMES.requests, unit: 'Count', value: counts.requests },
      { name: METRIC_NAMES.authDenied, unit: 'Count', value: counts.authDenied },
      { name: METRIC_NAMES.transformFailures, unit: 'Count', value: counts.transformFailures },
    ],
  });
  for (const [serviceId, service] of counts.services) {
    documents.push(
      ...buildEmfDocuments({
        ...base,
        dimensions: { [SERVICE_DIMENSION]: serviceId },
        metrics: [
          { name: METRIC_NAMES.requests, unit: 'Count', value: service.requests },
          { name: METRIC_NAMES.authDenied, unit: 'Count', value: service.authDenied },
        ],
      }),
    );
  }
  return documents;
}
