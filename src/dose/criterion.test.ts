import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, profileMaxima, subjectSucceeds, successFraction, successMask, wilsonInterval } from './criterion';

describe('success criterion', () => {
  it('needs PD below the threshold at every grid time of the interval', () => {
    const below = [5, 4, 3.2, 3.1, 3.29, 3.0];
    expect(subjectSucceeds(below, DEFAULT_THRESHOLD)).toBe(false); // starts above
    expect(subjectSucceeds([3.2, 3.1, 3.29, 3.0, 3.2], 3.3)).toBe(true);
    // Dipping below once is not enough (the reference system's flaw).
    expect(subjectSucceeds([3.5, 3.0, 2.5, 3.0, 3.5], 3.3)).toBe(false);
    // Equal to the threshold is not below it; NaN fails.
    expect(subjectSucceeds([3.0, 3.3, 3.0], 3.3)).toBe(false);
    expect(subjectSucceeds([3.0, NaN, 3.0], 3.3)).toBe(false);
    // A window of a laid-out profile matrix.
    const two = [3.0, 3.1, 3.2, 3.0, 3.4, 3.0];
    expect(subjectSucceeds(two, 3.3, 0, 3)).toBe(true);
    expect(subjectSucceeds(two, 3.3, 3, 3)).toBe(false);
    expect(subjectSucceeds([], 3.3)).toBe(false);
  });

  it('agrees with the per-subject maximum over the grid', () => {
    const profiles = Float64Array.of(3.0, 3.1, 3.2, /**/ 3.0, 3.4, 3.0, /**/ 1, 2, 3.29, /**/ 3.3, 1, 1);
    const maxima = profileMaxima(profiles, 3);
    expect(Array.from(maxima)).toEqual([3.2, 3.4, 3.29, 3.3]);
    const mask = successMask(maxima, 3.3);
    expect(Array.from(mask)).toEqual([1, 0, 1, 0]);
    for (let i = 0; i < 4; i++) expect(mask[i] === 1).toBe(subjectSucceeds(profiles, 3.3, 3 * i, 3));
    const f = successFraction(mask);
    expect(f).toMatchObject({ successes: 2, n: 4, fraction: 0.5 });
  });

  it('gives Wilson score intervals', () => {
    // Reference values (Wilson 1927; e.g. R binom::binom.wilson).
    const close = (a: [number, number], b: [number, number]): void => {
      expect(a[0]).toBeCloseTo(b[0], 4);
      expect(a[1]).toBeCloseTo(b[1], 4);
    };
    close(wilsonInterval(0, 10), [0, 0.27753]);
    close(wilsonInterval(5, 10), [0.23659, 0.76341]);
    close(wilsonInterval(90, 100), [0.82563, 0.94477]);
    close(wilsonInterval(10, 10), [0.72247, 1]);
    // ≈ ±1.9 percentage points near 90% with 1000 virtual subjects.
    const [lo, hi] = wilsonInterval(900, 1000);
    expect(hi - lo).toBeGreaterThan(0.035);
    expect(hi - lo).toBeLessThan(0.04);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});
