import { describe, expect, it } from 'vitest';
import { epochsToReach } from './epochs-to-reach';

const curve = (losses: (number | null)[]) => losses.map((valLoss, i) => ({ epoch: i + 1, valLoss }));

describe('epochs to reach a target validation loss', () => {
  it('is the first epoch at or below the target, even if the loss rises again later', () => {
    const history = curve([0.9, 0.6, 0.41, 0.4, 0.45, 0.3]);
    expect(epochsToReach(history, 0.4)).toBe(4);
    expect(epochsToReach(history, 0.5)).toBe(3);
    expect(epochsToReach(history, 0.9)).toBe(1);
  });

  it('is null when the curve never gets there, and skips epochs without a validation loss', () => {
    expect(epochsToReach(curve([0.9, 0.6, 0.5]), 0.49)).toBeNull();
    expect(epochsToReach(curve([null, 0.2, 0.1]), 0.3)).toBe(2);
    expect(epochsToReach([], 1)).toBeNull();
  });
});
