import { describe, expect, it } from 'vitest';
import { experimentFraction, type RunEpoch } from './progress';

const at = (step: number, steps: number, epoch: number, epochs: number): RunEpoch => ({
  branch: `step${step}`,
  step,
  steps,
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
  it('counts finished runs, then the current run training by training', () => {
    expect(experimentFraction(0, 4, null)).toBe(0);
    expect(experimentFraction(1, 4, null)).toBe(0.25);
    // run 2 of 4, PK done with half of PD's epochs: (1 + (1 + 0.5) / 2) / 4
    expect(experimentFraction(1, 4, at(2, 2, 50, 100))).toBeCloseTo(0.4375, 12);
    expect(experimentFraction(0, 2, at(1, 2, 10, 100))).toBeCloseTo(0.025, 12);
    // multitask: one network per run
    expect(experimentFraction(0, 2, at(1, 1, 50, 100))).toBeCloseTo(0.25, 12);
    expect(experimentFraction(1, 2, at(1, 1, 100, 100))).toBe(1);
    // a hybrid fit's three rounds: round 3 half done is (2 + 0.5) / 3 of the run
    expect(experimentFraction(0, 1, at(3, 3, 5, 10))).toBeCloseTo(2.5 / 3, 12);
  });
});
