import { describe, expect, it } from 'vitest';
import { summarise } from './summary';

describe('summarise', () => {
  it('computes mean, sample sd and geometric statistics', () => {
    const s = summarise([1, 2, 4]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(7 / 3, 12);
    // deviations: -4/3, -1/3, 5/3 → ss = (16 + 1 + 25) / 9 = 42/9; var = 21/9
    expect(s.sd).toBeCloseTo(Math.sqrt(21 / 9), 12);
    expect(s.geoMean).toBeCloseTo(2, 12);
    // log values: 0, ln2, 2 ln2 → sd = ln2
    expect(s.geoSd).toBeCloseTo(2, 12);
    expect(s.nNonPositive).toBe(0);
  });

  it('keeps values ≤ 0 in the mean but not in the geometric mean, and counts them', () => {
    const s = summarise([0, -2, 8, 2]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2);
    expect(s.geoMean).toBeCloseTo(4, 12);
    expect(s.nPositive).toBe(2);
    expect(s.nNonPositive).toBe(2);
  });

  it('gives NaN for what cannot be computed', () => {
    const one = summarise([5]);
    expect(one.mean).toBe(5);
    expect(one.sd).toBeNaN();
    expect(one.geoSd).toBeNaN();
    const none = summarise([Number.NaN, 0]);
    expect(none.n).toBe(1);
    expect(none.geoMean).toBeNaN();
    expect(summarise([]).mean).toBeNaN();
  });
});
