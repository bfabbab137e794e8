import { describe, expect, it } from 'vitest';
import { findSpikes, SPIKE_RULE } from '../../../shared/metrics/index.ts';

describe('findSpikes', () => {
  it('marks a period at or over the static threshold', () => {
    expect(findSpikes([0, SPIKE_RULE.threshold, SPIKE_RULE.threshold - 1])).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('marks a period far above its trailing baseline', () => {
    expect(findSpikes([2, 3, 2, 3, 2, 30])).toEqual([false, false, false, false, false, true]);
  });

  it('never marks a period below the minimum, however quiet the baseline', () => {
    expect(findSpikes([0, 0, 0, SPIKE_RULE.minimum - 1])).toEqual([false, false, false, false]);
  });

  it('does not mark steady traffic', () => {
    expect(findSpikes([20, 22, 21, 20, 22, 21]).some(Boolean)).toBe(false);
  });
});
