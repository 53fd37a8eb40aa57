import { describe, expect, it } from 'vitest';
import { curveGrid } from './curve-grid';
import { sampleQuantiles } from './quantiles';

describe('sample quantiles', () => {
  it('interpolate between order statistics, element by element', () => {
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

describe('curve grid', () => {
  it('spans 0 to the last required time evenly and keeps every required time once', () => {
    expect(curveGrid(5, [8, 3, 3])).toEqual([0, 2, 3, 4, 6, 8]);
    expect(curveGrid(3, [])).toEqual([0]);
    expect(() => curveGrid(1, [1])).toThrow(/at least 2/);
  });
});
