import { describe, expect, it } from 'vitest';
import { curveGrid } from './curve-grid';

describe('curve grid', () => {
  it('spans 0 to the last required time, holds every required time once, ascending', () => {
    expect(curveGrid(3, [5, 1, 5])).toEqual([0, 1, 2.5, 5]);
    expect(curveGrid(5, [8, 3, 3])).toEqual([0, 2, 3, 4, 6, 8]);
    expect(curveGrid(2, [])).toEqual([0]);
    expect(() => curveGrid(1, [1])).toThrow(/at least 2/);
  });

  it('takes a subject with 200,000 records (no spread of the times into a call)', () => {
    const required = Array.from({ length: 200_000 }, (_, i) => i * 0.5);
    const grid = curveGrid(120, required);
    expect(grid[0]).toBe(0);
    expect(grid.at(-1)).toBe(99_999.5);
    expect(grid.length).toBeGreaterThanOrEqual(200_000);
  });
});
