import { describe, expect, it } from 'vitest';
import { predictionCorrector } from './pc-vpc';
import { binPercentiles, summariseVpc, vpcLayout } from './vpc';

const stratum = [{ label: 'all', groups: ['all'] }];

describe('prediction correction of a VPC (Bergstrand 2011)', () => {
  it('dose-normalises by hand: pcDV = DV · PRED_bin / PRED, PRED_bin the median PRED of the bin', () => {
    // Bin at t = 1: doses 10 and 20 (PRED 1 and 2, median 1.5); bin at t = 2: PRED 2, 4, 8 (median 4).
    const times = Float64Array.of(1, 1, 2, 2, 2);
    const dv = Float64Array.of(1.2, 1.8, 3, 2, 10);
    const pred = Float64Array.of(1, 2, 2, 4, 8);
    const c = predictionCorrector(vpcLayout('pk', stratum, [0, 0, 0, 0, 0], times, dv), pred);
    expect(c.correction).toBe('proportional');
    expect(c.binPred).toEqual([[1.5, 4]]);
    const expected = [1.2 * 1.5, (1.8 * 1.5) / 2, (3 * 4) / 2, 2, (10 * 4) / 8];
    Array.from(c.layout.observed).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 14));
    // The simulations are corrected by the same factors.
    const sim = Float64Array.of(1, 2, 2, 4, 8);
    expect(Array.from(c.correct(sim))).toEqual([1.5, 1.5, 4, 4, 4]);
  });

  it('removes the spread of dose from data exactly proportional to dose: every corrected value is the bin’s typical one', () => {
    const doses = [5, 10, 20, 40];
    const times = Float64Array.from(doses.flatMap(() => [1, 4]));
    const pred = Float64Array.from(doses.flatMap((d) => [0.3 * d, 0.1 * d]));
    const c = predictionCorrector(vpcLayout('pk', stratum, new Int32Array(8), times, pred), pred);
    const target = summariseVpc(c.layout, [binPercentiles(c.layout, c.correct(pred))]);
    expect(target.strata[0].bins.map((b) => b.observed.p05)).toEqual([0.3 * 15, 0.1 * 15].map((v) => expect.closeTo(v, 12)));
    expect(target.strata[0].bins.map((b) => b.observed.p95 - b.observed.p05)).toEqual([0, 0].map(() => expect.closeTo(0, 12)));
  });

  it('corrects additively where some PRED ≤ 0 (a change from baseline): pcDV = DV + PRED_bin − PRED', () => {
    const c = predictionCorrector(vpcLayout('pd', stratum, [0, 0], Float64Array.of(1, 1), Float64Array.of(0, 3)), Float64Array.of(-1, 1));
    expect(c.correction).toBe('additive');
    expect(c.binPred).toEqual([[0]]);
    expect(Array.from(c.layout.observed)).toEqual([1, 2]);
  });
});
