// Auth-failure metrics: the spike rule, the per-invocation counts and their CloudWatch (EMF) form.
export type { AuthFailureCounts, ServiceRequestCounts } from './auth-failure-counts.ts';
export {
  countRequest,
  countTransformFailures,
  emptyAuthFailureCounts,
} from './auth-failure-counts.ts';
export type { AuthFailureEmfOptions, EmfDocumentInput, EmfMetric } from './emf.ts';
export {
  buildAuthFailureEmf,
  buildEmfDocuments,
  DEFAULT_METRICS_NAMESPACE,
  MAX_METRICS_PER_DOCUMENT,
  METRIC_NAMES,
  SERVICE_DIMENSION,
} from './emf.ts';
export { findSpikes, SPIKE_RULE, type SpikeRule } from './spike-rule.ts';
