import { describe, expect, it } from 'vitest';
import { modalAmount } from '../modal-amount';
import { historyFeatures, type HistoryInputs } from './history';
import { createFeatureModel } from './model';
import { referenceFeatureSpec, type FeatureModel, type FeatureSpec } from './spec';
import { naiveShapeSum } from './test-support';

const K = 0.01;
const SHAPE = { ka: 1, alpha: 0.1, rho: 0.5 };
const DOSES = { times: [0, 24, 48, 72], amounts: [10, 10, 10, 10] };
/** Two subject covariates, the first the body weight (the feature code's defaults name none). */
const COVARIATES = { covariates: ['BW', 'COMED'], bodyWeight: 'BW' } as const;

function model(extra: Partial<FeatureSpec> = {}): FeatureModel {
  return createFeatureModel(
    { dvid: 1, ...COVARIATES, eliminationRate: K, pkShape: SHAPE, perKgDoseFeatures: true, baselinePd: true, ...extra },
    { covariateMedians: { BW: 70, COMED: 0.5 }, baselinePdMedian: 9, logExposureFloor: 1e-4 },
  );
}

/** Feature values by name for each requested time. */
function rows(m: FeatureModel, inputs: HistoryInputs, times: number[]): Record<string, number>[] {
  const matrix = historyFeatures(m, inputs, times);
  return times.map((_, i) => Object.fromEntries(m.names.map((name, f) => [name, matrix[i * m.names.length + f]])));
}

const SUBJECT: HistoryInputs = { doses: DOSES, covariates: { BW: 80, COMED: 1 }, baselinePd: 7.5 };

describe('feature layout', () => {
  it('has the reference 21 features in the reference order', () => {
    const m = createFeatureModel({ ...referenceFeatureSpec(2), ...COVARIATES });
    expect(m.names).toEqual([
      'BW',
      'COMED',
      'DOSE',
      'TIME',
      'TSLD',
      'LAST_DOSE_TIME',
      'LAST_DOSE_AMT',
      'N_DOSES',
      'CUM_DOSE',
      'TIME2',
      'LN1P_TIME',
      'DOSE_SUM_24H',
      'DOSE_SUM_48H',
      'DOSE_SUM_72H',
      'DOSE_SUM_96H',
      'DOSE_SUM_120H',
      'DOSE_SUM_144H',
      'DOSE_SUM_168H',
      'DECAY_HL24H',
      'DECAY_HL48H',
      'DECAY_HL72H',
    ]);
    expect(m.descriptions).toHaveLength(21);
  });

  it('adds exposure, log exposure, per-kg and baseline columns when asked', () => {
    const m = model();
    expect(m.names.slice(21)).toEqual([
      'EXPO_K',
      'EXPO_K_PER_KG',
      'EXPO_PK',
      'EXPO_PK_PER_KG',
      'LN_EXPO_K_PER_KG',
      'LN_EXPO_PK_PER_KG',
      'DOSE_PER_KG',
      'LAST_DOSE_AMT_PER_KG',
      'CUM_DOSE_PER_KG',
      'DOSE_SUM_24H_PER_KG',
      'DOSE_SUM_48H_PER_KG',
      'DOSE_SUM_72H_PER_KG',
      'DOSE_SUM_96H_PER_KG',
      'DOSE_SUM_120H_PER_KG',
      'DOSE_SUM_144H_PER_KG',
      'DOSE_SUM_168H_PER_KG',
      'BASELINE_PD',
      'BASELINE_PD_MISSING',
    ]);
  });

  it('names no covariate and no body weight unless the options do (no per-kg columns)', () => {
    const m = createFeatureModel({ dvid: 1, eliminationRate: K, pkShape: SHAPE, perKgDoseFeatures: true });
    expect(m.spec.covariates).toEqual([]);
    expect(m.spec.bodyWeight).toBeNull();
    expect(m.names).not.toContain('BW');
    expect(m.names.some((n) => n.endsWith('_PER_KG'))).toBe(false);
    expect(m.covariateMedians).toEqual({});
  });

  it('drops per-kg features without a body-weight covariate', () => {
    const m = createFeatureModel({
      dvid: 1,
      covariates: ['COMED'],
      bodyWeight: null,
      eliminationRate: K,
      pkShape: SHAPE,
      perKgDoseFeatures: true,
    });
    expect(m.names.some((n) => n.endsWith('_PER_KG'))).toBe(false);
    expect(m.names).toContain('LN_EXPO_K');
    expect(m.names).toContain('LN_EXPO_PK');
  });
});

describe('dose-history features (hand-computed, once-daily 10 mg at 0, 24, 48, 72 h)', () => {
  it('pre-dose convention: an observation at a dose time is a trough before that dose', () => {
    const [r0, r24, r96] = rows(model(), SUBJECT, [0, 24, 96]);
    // t = 0: the dose at 0 is not yet given.
    expect([r0.N_DOSES, r0.CUM_DOSE, r0.LAST_DOSE_TIME, r0.LAST_DOSE_AMT, r0.TSLD]).toEqual([0, 0, 0, 0, 0]);
    expect([r0.DECAY_HL24H, r0.EXPO_K, r0.EXPO_PK, r0.DOSE_SUM_24H]).toEqual([0, 0, 0, 0]);
    // t = 24: only the dose at 0 counts.
    expect([r24.N_DOSES, r24.CUM_DOSE, r24.LAST_DOSE_TIME, r24.LAST_DOSE_AMT, r24.TSLD]).toEqual([1, 10, 0, 10, 24]);
    expect(r24.DECAY_HL24H).toBeCloseTo(0.5, 14);
    expect(r24.DECAY_HL48H).toBeCloseTo(Math.SQRT1_2, 14);
    expect(r24.DECAY_HL72H).toBeCloseTo(2 ** (-1 / 3), 14);
    expect(r24.EXPO_K).toBeCloseTo(10 * Math.exp(-K * 24), 12);
    // Windows are [t − W, t): at 96, W = 24 holds the dose at 72; W = 96 holds all four.
    expect([24, 48, 72, 96, 120, 144, 168].map((w) => r96[`DOSE_SUM_${w}H`])).toEqual([10, 20, 30, 40, 40, 40, 40]);
    expect([r96.N_DOSES, r96.CUM_DOSE, r96.LAST_DOSE_TIME, r96.TSLD]).toEqual([4, 40, 72, 24]);
  });

  it("reference convention ('dose-counted'): the dose at the observation time is already counted", () => {
    const [r0, r24, r96] = rows(model({ doseTimeConvention: 'dose-counted' }), SUBJECT, [0, 24, 96]);
    expect([r0.N_DOSES, r0.CUM_DOSE, r0.LAST_DOSE_TIME, r0.LAST_DOSE_AMT, r0.TSLD]).toEqual([1, 10, 0, 10, 0]);
    expect([r0.DECAY_HL24H, r0.DECAY_HL72H, r0.DOSE_SUM_24H]).toEqual([1, 1, 10]);
    expect(r0.EXPO_K).toBe(10); // a bolus just given
    expect(r0.EXPO_PK).toBeCloseTo(0, 12); // nothing absorbed yet
    expect([r24.N_DOSES, r24.CUM_DOSE, r24.LAST_DOSE_TIME, r24.TSLD, r24.DOSE_SUM_24H, r24.DOSE_SUM_48H]).toEqual([2, 20, 24, 0, 10, 20]);
    expect(r24.EXPO_K).toBeCloseTo(10 + 10 * Math.exp(-K * 24), 12);
    // Windows are (t − W, t]: at 96 the dose at 72 is exactly 24 h old and falls out of the 24 h window.
    expect([24, 48, 72, 96, 120, 144, 168].map((w) => r96[`DOSE_SUM_${w}H`])).toEqual([0, 10, 20, 30, 40, 40, 40]);
  });

  it('windows at their boundaries (t = 216: the doses at 48 and 72 are 168 and 144 h old)', () => {
    const [pre] = rows(model(), SUBJECT, [216]);
    const counted = rows(model({ doseTimeConvention: 'dose-counted' }), SUBJECT, [216])[0];
    expect([pre.DOSE_SUM_144H, pre.DOSE_SUM_168H]).toEqual([10, 20]);
    expect([counted.DOSE_SUM_144H, counted.DOSE_SUM_168H]).toEqual([0, 10]);
    const [inside] = rows(model(), SUBJECT, [215.5]);
    expect([inside.DOSE_SUM_144H, inside.DOSE_SUM_168H]).toEqual([10, 20]);
    const [outside] = rows(model(), SUBJECT, [216.5]);
    expect([outside.DOSE_SUM_144H, outside.DOSE_SUM_168H]).toEqual([0, 10]);
  });

  it('time, covariate, per-kg and baseline columns', () => {
    const [r] = rows(model(), SUBJECT, [50]);
    expect([r.BW, r.COMED, r.DOSE, r.TIME, r.TIME2]).toEqual([80, 1, 10, 50, 2500]);
    expect(r.LN1P_TIME).toBeCloseTo(Math.log(51), 14);
    expect(r.DOSE_PER_KG).toBeCloseTo(10 / 80, 14);
    expect(r.CUM_DOSE_PER_KG).toBeCloseTo(30 / 80, 14);
    expect(r.LAST_DOSE_AMT_PER_KG).toBeCloseTo(10 / 80, 14);
    expect(r.DOSE_SUM_48H_PER_KG).toBeCloseTo(20 / 80, 14);
    expect(r.EXPO_K_PER_KG).toBeCloseTo(r.EXPO_K / 80, 14);
    expect(r.LN_EXPO_K_PER_KG).toBeCloseTo(Math.log(1e-4 + r.EXPO_K / 80), 12);
    expect(r.LN_EXPO_PK_PER_KG).toBeCloseTo(Math.log(1e-4 + r.EXPO_PK / 80), 12);
    expect([r.BASELINE_PD, r.BASELINE_PD_MISSING]).toEqual([7.5, 0]);
  });

  it('placebo (no doses): TSLD = TIME, everything dose-related 0', () => {
    const [r] = rows(model(), { doses: { times: [], amounts: [] }, covariates: { BW: 60, COMED: 0 } }, [36]);
    expect([r.DOSE, r.TSLD, r.LAST_DOSE_TIME, r.LAST_DOSE_AMT, r.N_DOSES, r.CUM_DOSE]).toEqual([0, 36, 0, 0, 0, 0]);
    expect([r.DOSE_SUM_24H, r.DOSE_SUM_168H, r.DECAY_HL24H, r.DECAY_HL72H, r.EXPO_K, r.EXPO_PK]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(r.LN_EXPO_K_PER_KG).toBeCloseTo(Math.log(1e-4), 12);
  });

  it('imputes missing covariates and baseline PD with the training medians (and flags the baseline)', () => {
    const [r] = rows(model(), { doses: DOSES, covariates: { COMED: Number.NaN } }, [30]);
    expect([r.BW, r.COMED, r.BASELINE_PD, r.BASELINE_PD_MISSING]).toEqual([70, 0.5, 9, 1]);
    expect(r.DOSE_PER_KG).toBeCloseTo(10 / 70, 14);
  });

  it('accepts per-time covariates, unsorted times and unsorted doses', () => {
    const m = model();
    const times = [96, 0, 50, 24];
    const a = historyFeatures(m, { ...SUBJECT, covariates: { BW: [80, 80, 80, 80], COMED: 1 } }, times);
    const sorted = historyFeatures(m, SUBJECT, [0, 24, 50, 96]);
    const nF = m.names.length;
    const rowOf = (x: Float64Array, i: number): number[] => Array.from(x.subarray(i * nF, (i + 1) * nF));
    expect(rowOf(a, 0)).toEqual(rowOf(sorted, 3));
    expect(rowOf(a, 1)).toEqual(rowOf(sorted, 0));
    expect(rowOf(a, 2)).toEqual(rowOf(sorted, 2));
    const shuffledDoses = historyFeatures(m, { ...SUBJECT, doses: { times: [48, 0, 72, 24], amounts: [10, 10, 10, 10] } }, [0, 24, 50, 96]);
    expect(Array.from(shuffledDoses)).toEqual(Array.from(sorted));
  });

  it('ignores dose records without a positive amount; DOSE defaults to the modal amount', () => {
    const [r] = rows(model(), { doses: { times: [0, 12, 24], amounts: [5, 0, Number.NaN] }, covariates: { BW: 80 } }, [30]);
    expect([r.N_DOSES, r.CUM_DOSE, r.LAST_DOSE_TIME, r.DOSE]).toEqual([1, 5, 0, 5]);
    expect(modalAmount([3, 3, 10, 10, 1])).toBe(10);
    expect(modalAmount([])).toBe(0);
  });
});

describe('superposition exposure', () => {
  it('EXPO_K equals the closed-form geometric sum for regular dosing', () => {
    const tau = 168;
    const n = 20;
    const a = 50;
    const k = 0.0048;
    const m = createFeatureModel({ dvid: 1, bodyWeight: 'BW', eliminationRate: k, pkShape: 'none', logExposure: false });
    const times = [0.5, 1000, n * tau, n * tau + 100, n * tau + 2000];
    const regimen = { times: Array.from({ length: n }, (_, j) => j * tau), amounts: new Array<number>(n).fill(a) };
    const got = rows(m, { doses: regimen, covariates: { BW: 70 } }, times);
    times.forEach((t, i) => {
      const given = Math.min(n, Math.floor(t / tau - 1e-12) + 1); // pre-dose: doses strictly before t
      const last = (given - 1) * tau;
      const closed = (a * Math.exp(-k * (t - last)) * (1 - Math.exp(-given * k * tau))) / (1 - Math.exp(-k * tau));
      expect(got[i].EXPO_K).toBeCloseTo(closed, 9);
      expect(got[i].EXPO_K_PER_KG).toBeCloseTo(closed / 70, 9);
    });
  });

  it('EXPO_PK equals the one-compartment closed form (ρ = 0) and the naive sum for any shape', () => {
    const k = 0.005;
    const ka = 0.9;
    const tau = 24;
    const n = 21;
    const a = 3;
    const m1 = createFeatureModel({ dvid: 1, eliminationRate: k, pkShape: { ka, alpha: 0.2, rho: 0 } });
    const doses = Array.from({ length: n }, (_, j) => ({ t: j * tau, a }));
    const times = [1, 2, 4, 23.5, 480, 481, 484, 492, 504, 1176];
    const got = rows(m1, { doses: { times: doses.map((d) => d.t), amounts: doses.map((d) => d.a) } }, times);
    times.forEach((t, i) => {
      const given = Math.min(n, Math.ceil(t / tau)); // doses strictly before t
      const dt = t - (given - 1) * tau;
      // Closed form of Σ_j A·ka/(ka−k)(e^{−k(t−jτ)} − e^{−ka(t−jτ)}) over `given` doses.
      const closed =
        ((a * ka) / (ka - k)) *
        ((Math.exp(-k * dt) * (1 - Math.exp(-given * k * tau))) / (1 - Math.exp(-k * tau)) -
          (Math.exp(-ka * dt) * (1 - Math.exp(-given * ka * tau))) / (1 - Math.exp(-ka * tau)));
      expect(got[i].EXPO_PK).toBeCloseTo(closed, 9);
    });
    const shape = { ka: 1.3, alpha: 0.12, rho: 0.7 };
    const m2 = createFeatureModel({ dvid: 1, eliminationRate: k, pkShape: shape });
    const irregular = [
      { t: 0, a: 5 },
      { t: 10, a: 2 },
      { t: 10, a: 1 },
      { t: 37.5, a: 8 },
      { t: 200, a: 4 },
    ];
    const ts = [0, 5, 10, 10.25, 37.5, 40, 199, 200, 201, 700];
    const got2 = rows(m2, { doses: { times: irregular.map((d) => d.t), amounts: irregular.map((d) => d.a) } }, ts);
    ts.forEach((t, i) => {
      expect(got2[i].EXPO_PK).toBeCloseTo(naiveShapeSum(irregular, t, k, shape), 10);
      const expoK = irregular.filter((d) => d.t < t).reduce((s, d) => s + d.a * Math.exp(-k * (t - d.t)), 0);
      expect(got2[i].EXPO_K).toBeCloseTo(expoK, 10);
    });
  });
});
