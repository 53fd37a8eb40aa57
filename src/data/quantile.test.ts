import { describe, expect, it } from 'vitest';
import { nearestRank, quantileOfSorted, sampleQuantiles } from './quantile';

describe('quantiles', () => {
  it('interpolate between order statistics (type 7)', () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([1, 2, 3, 4], 0.05)).toBeCloseTo(1.15, 12);
    expect(quantileOfSorted([7], 0.95)).toBe(7);
    expect(quantileOfSorted([], 0.5)).toBeNaN();
    // Next to a value that is not finite (a target never reached), the nearest order statistic.
    expect(quantileOfSorted([1, 2, Infinity], 0.9)).toBe(Infinity);
    expect(quantileOfSorted([1, 2, Infinity], 0.6)).toBe(2);
  });

  it('take the nearest rank: a value of the sample', () => {
    const doses = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(doses, 0.05)).toBe(10);
    expect(nearestRank(doses, 0.5)).toBe(50);
    expect(nearestRank(doses, 0.95)).toBe(100);
    expect(nearestRank([], 0.5)).toBeNaN();
  });

  it('interpolate element by element over samples', () => {
    // element 0: 1..5 in shuffled order; element 1: constant
    const samples = [
      [3, 7],
      [1, 7],
      [5, 7],
      [2, 7],
      [4, 7],
    ];
    const [q0, q25, q50, q975, q1] = sampleQuantiles(samples, [0, 0.25, 0.5, 0.975, 1]);
    expect(Array.from(q0)).toEqual([1, 7]);
    expect(Array.from(q25)).toEqual([2, 7]);
    expect(Array.from(q50)).toEqual([3, 7]);
    expect(q975[0]).toBeCloseTo(4.9, 12);
    expect(Array.from(q1)).toEqual([5, 7]);
  });

  it('reject probabilities outside [0, 1] and empty samples', () => {
    expect(() => sampleQuantiles([[1]], [1.5])).toThrow(/\[0, 1\]/);
    expect(() => sampleQuantiles([], [0.5])).toThrow(/no samples/);
  });
});
