import { describe, expect, it } from 'vitest';
import type { BranchProgress } from '../train-pkpd';
import { experimentFraction } from './progress';

const at = (branch: BranchProgress['branch'], epoch: number, epochs: number): BranchProgress => ({
  branch,
  epoch,
  epochs,
  trainLoss: 1,
  valLoss: 1,
  auxLoss: 0,
  lr: 1e-3,
  elapsedMs: 0,
  etaMs: 0,
  bestEpoch: epoch,
});

describe('experiment progress', () => {
  it('counts finished runs, then the current run branch by branch', () => {
    expect(experimentFraction(0, 4, 'cascade', null)).toBe(0);
    expect(experimentFraction(1, 4, 'cascade', null)).toBe(0.25);
    // run 2 of 4, PK done with half of PD's epochs: (1 + (1 + 0.5) / 2) / 4
    expect(experimentFraction(1, 4, 'cascade', at('pd', 50, 100))).toBeCloseTo(0.4375, 12);
    expect(experimentFraction(0, 2, 'independent', at('pk', 10, 100))).toBeCloseTo(0.025, 12);
    // multitask: one network per run
    expect(experimentFraction(0, 2, 'multitask', at('pkpd', 50, 100))).toBeCloseTo(0.25, 12);
    expect(experimentFraction(1, 2, 'multitask', at('pkpd', 100, 100))).toBe(1);
  });
});
