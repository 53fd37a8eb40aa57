import { describe, expect, it } from 'vitest';
import { historyFeatures, type HistoryInputs, writeSubjectHistoryFeatures } from '../data/features/history';
import { createFeatureModel } from '../data/features/model';
import type { FeatureSpec } from '../data/features/spec';

/** Seeded uniform numbers in [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHAPE = { ka: 1.3, alpha: 0.21, rho: 0.4 };
const SPECS: Partial<FeatureSpec>[] = [
  {},
  { doseTimeConvention: 'dose-counted' },
  { pkShape: 'none' },
  { superposition: false },
  { logExposure: false, baselinePd: false },
  { bodyWeight: null, covariates: ['COMED'] },
  { covariates: ['COMED', 'AGE'], bodyWeight: 'WT', perKgDoseFeatures: false },
  { windowsH: [12, 12, 36], decayHalfLivesH: [] },
];

describe('writeSubjectHistoryFeatures', () => {
  it('equals writeHistoryFeatures row by row for subjects sharing a dose history and DOSE', () => {
    const random = uniform(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    for (const [m, extra] of SPECS.entries()) {
      const model = createFeatureModel(
        { dvid: 2, eliminationRate: 0.013, pkShape: SHAPE, perKgDoseFeatures: true, baselinePd: true, ...extra },
        { covariateMedians: { BW: 71, WT: 68, COMED: 0.5, AGE: 40 }, baselinePdMedian: 8.5, logExposureFloor: 1e-4 },
      );
      for (let trial = 0; trial < 25; trial++) {
        const nDoses = Math.floor(random() * 12);
        const doses = {
          times: Array.from({ length: nDoses }, () => Math.round(random() * 40) * 12),
          amounts: Array.from({ length: nDoses }, () => pick([0, Number.NaN, 1 + random() * 100, 5])),
        };
        const times = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pick([Math.round(random() * 40) * 12, random() * 500]));
        const covariate = (): number | number[] =>
          pick([40 + random() * 100, Number.NaN, Array.from(times, () => pick([50 + random() * 60, Number.NaN]))]);
        const subject = (): HistoryInputs => ({
          doses,
          armDose: trial % 3 === 0 ? undefined : 7.5,
          covariates: Object.fromEntries(['BW', 'WT', 'COMED', 'AGE'].filter(() => random() < 0.8).map((name) => [name, covariate()])),
          baselinePd: pick([undefined, Number.NaN, 2 + random() * 10]),
        });
        const shared = historyFeatures(model, subject(), times);
        const other = subject();
        const expected = historyFeatures(model, other, times);
        const nF = model.names.length;
        const offset = 3;
        const out = new Float64Array((offset + times.length) * nF).fill(-1);
        writeSubjectHistoryFeatures(model, shared, other, out, offset);
        expect(out.subarray(0, offset * nF).every((v) => v === -1)).toBe(true);
        const got = out.subarray(offset * nF);
        const mismatch = Array.from(expected).findIndex((v, i) => !Object.is(v, got[i]));
        expect(
          mismatch < 0 ? null : { spec: m, trial, column: model.names[mismatch % nF], expected: expected[mismatch], got: got[mismatch] },
        ).toBeNull();
      }
    }
  });

  it('refuses rows that do not fit', () => {
    const model = createFeatureModel({ dvid: 2, eliminationRate: 0.01, pkShape: 'none' });
    const nF = model.names.length;
    expect(() => writeSubjectHistoryFeatures(model, new Float64Array(2 * nF + 1), {}, new Float64Array(10 * nF))).toThrow(/columns/);
    expect(() => writeSubjectHistoryFeatures(model, new Float64Array(2 * nF), {}, new Float64Array(2 * nF), 1)).toThrow(/too small/);
  });
});
