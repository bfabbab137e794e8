// Auth-failure metrics: the spike rule (and, with the transform, the CloudWatch form of the counts).
export { findSpikes, SPIKE_RULE, type SpikeRule } from './spike-rule.ts';
