import { describe, expect, it } from 'vitest';
import { timeGrouping } from './time-grouping';

describe('timeGrouping', () => {
  it('uses exact times when there are few distinct times', () => {
    const g = timeGrouping([4, 0, 1, 1, 4, Number.NaN, 2]);
    expect(g.binned).toBe(false);
    expect(g.times).toEqual([0, 1, 2, 4]);
    expect(g.groupOf(2)).toBe(2);
    expect(g.groupOf(3)).toBe(-1);
    expect(g.groupOf(Number.NaN)).toBe(-1);
  });

  it('uses exact times up to 60 distinct times', () => {
    const times = Array.from({ length: 60 }, (_, i) => i * 0.5);
    expect(timeGrouping(times).binned).toBe(false);
    expect(timeGrouping([...times, 100]).binned).toBe(true);
  });

  it('bins many distinct times into quantile bins represented by their median time', () => {
    // 120 distinct times 0..119, 4 bins → 30 times each: [0,30) [30,60) [60,90) [90,120)
    const times = Array.from({ length: 120 }, (_, i) => 119 - i);
    const g = timeGrouping(times, { binCount: 4 });
    expect(g.binned).toBe(true);
    expect(g.lowerEdges).toEqual([0, 30, 60, 90]);
    expect(g.times).toEqual([14.5, 44.5, 74.5, 104.5]);
    expect(g.groupOf(29.9)).toBe(0);
    expect(g.groupOf(30)).toBe(1);
    expect(g.groupOf(1000)).toBe(3);
    expect(g.groupOf(-1)).toBe(-1);
  });

  it('makes about 30 bins by default and merges bins that tied times would leave empty', () => {
    const many = Array.from({ length: 300 }, (_, i) => i);
    expect(timeGrouping(many).times).toHaveLength(30);
    // Half the observations at time 0: the quantile edges there collapse into one bin.
    const tied = [...Array.from({ length: 100 }, () => 0), ...Array.from({ length: 100 }, (_, i) => i + 1)];
    const g = timeGrouping(tied, { binCount: 10 });
    expect(g.lowerEdges).toEqual([0, 1, 21, 41, 61, 81]);
    expect(g.times[0]).toBe(0);
    expect(g.times[1]).toBe(10.5);
  });
});
