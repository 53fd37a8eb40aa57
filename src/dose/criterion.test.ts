import { describe, expect, it } from 'vitest';
import type { Criterion } from '../study/study-spec';
import {
  belowThroughout,
  criterionSummaries,
  DEFAULT_THRESHOLD,
  describeCriterion,
  meets,
  successFraction,
  successMask,
  wilsonInterval,
} from './criterion';
import { emptyResult, summariseProfile } from './steady-state';

/** The result of a simulator for profiles laid out [subject × points], summarised as a simulator does. */
function summarised(profiles: number[], points: number) {
  const n = profiles.length / points;
  const result = emptyResult(1, n, ['max', 'min', 'trough', 'average']);
  for (let i = 0; i < n; i++) summariseProfile(profiles, i * points, points, result, i);
  return result;
}

describe('success criterion', () => {
  it('below throughout: PD below the threshold at every grid time of the interval', () => {
    const c = belowThroughout(DEFAULT_THRESHOLD);
    const profiles = [
      [5, 4, 3.2, 3.1, 3.29], // starts above
      [3.2, 3.1, 3.29, 3.0, 3.2],
      [3.5, 3.0, 2.5, 3.0, 3.5], // dipping below once is not enough (the reference system's flaw)
      [3.0, 3.3, 3.0, 3.0, 3.0], // equal to the threshold is not below it
      [3.0, NaN, 3.0, 3.0, 3.0], // NaN fails
    ];
    const mask = successMask(summarised(profiles.flat(), 5), c, 5);
    expect(Array.from(mask)).toEqual([0, 1, 0, 0, 0]);
    expect(successFraction(mask)).toMatchObject({ successes: 1, n: 5, fraction: 0.2 });
    expect(criterionSummaries(c)).toEqual(['max']);
  });

  it('above and within, throughout, at the trough and on average', () => {
    // Three subjects on a 5-point grid (4 panels: Simpson's weights 1 4 2 4 1 / 12).
    const profiles = [
      [8, 6, 5, 6, 7], // min 5, trough 7, average (8 + 24 + 10 + 24 + 7)/12 = 6.0833
      [12, 9, 8, 9, 11], // min 8, max 12, trough 11
      [4, 3, 2, 3, 4], // all low
    ].flat();
    const result = summarised(profiles, 5);
    expect(result.average![0]).toBeCloseTo(73 / 12, 12);
    const check = (c: Criterion, expected: number[]): void => {
      expect(Array.from(successMask(result, c, 3)), JSON.stringify(c)).toEqual(expected);
    };
    check({ rule: 'above', threshold: 5, window: 'throughout' }, [0, 1, 0]); // 5 is not above 5
    check({ rule: 'above', threshold: 6.5, window: 'trough' }, [1, 1, 0]);
    check({ rule: 'above', threshold: 6, window: 'average' }, [1, 1, 0]);
    check({ rule: 'within', range: [5, 12], window: 'throughout' }, [1, 1, 0]); // bounds included
    check({ rule: 'within', range: [5, 10], window: 'throughout' }, [1, 0, 0]);
    check({ rule: 'within', range: [7, 11], window: 'trough' }, [1, 1, 0]);
    check({ rule: 'within', range: [2, 6], window: 'average' }, [0, 0, 1]);
    check({ rule: 'below', threshold: 7.5, window: 'trough' }, [1, 0, 1]);
    expect(criterionSummaries({ rule: 'within', range: [1, 2], window: 'throughout' })).toEqual(['min', 'max']);
    expect(criterionSummaries({ rule: 'above', threshold: 1, window: 'throughout' })).toEqual(['min']);
    expect(criterionSummaries({ rule: 'within', range: [1, 2], window: 'average' })).toEqual(['average']);
    expect(meets({ rule: 'within', range: [1, 2], window: 'trough' }, NaN, NaN)).toBe(false);
  });

  it('says which summary a simulator failed to give', () => {
    const result = emptyResult(1, 2, ['max']);
    expect(() => successMask(result, { rule: 'above', threshold: 1, window: 'throughout' }, 2)).toThrow(/no min summary/);
  });

  it('is described in words with its unit', () => {
    expect(describeCriterion(belowThroughout(3.3), 'ng/mL')).toBe('below 3.3 ng/mL throughout the last dosing interval at steady state');
    expect(describeCriterion({ rule: 'within', range: [15, 40], window: 'trough' }, 'mg/L')).toBe(
      'within 15–40 mg/L at the trough (just before the next dose) at steady state',
    );
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
