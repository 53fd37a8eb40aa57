import { describe, expect, it } from 'vitest';
import { gridAverage } from '../dose/steady-state';
import { readRealDatasetCsv } from '../testing/fixture-files';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { libraryModel, MODEL_LIBRARY, readLibraryModel } from './model-library';
import type { PatientRecord } from './patient-record';
import { readPatientFile, VANCOMYCIN_PATIENT_PATH } from './test-support';

describe('the model library', () => {
  it('lists the illustrative example first, then published models, with unique ids', () => {
    expect(MODEL_LIBRARY[0]).toMatchObject({ id: 'estdata-published', published: false });
    expect(MODEL_LIBRARY.slice(1).every((m) => m.published)).toBe(true);
    expect(new Set(MODEL_LIBRARY.map((m) => m.id)).size).toBe(MODEL_LIBRARY.length);
    expect(libraryModel('phenobarbital-grasela1985')?.drug).toBe('phenobarbital');
    expect(libraryModel('no-such-model')).toBeUndefined();
  });

  it.each(MODEL_LIBRARY.map((m) => [m.id, m] as const))('%s reads and makes a fixed population model with a question', (_, entry) => {
    const { spec, model } = readLibraryModel(entry);
    expect(spec.questions).toBeDefined();
    expect(Object.keys(model.theta).length).toBeGreaterThan(0);
    expect(Object.values(model.omega).every((w) => w !== undefined && w > 0)).toBe(true);
  });
});

/**
 * Phenobarbital (Grasela & Donn 1985; the NONMEM example model): NONMEM's individual estimates
 * (post hoc η of the FOCE-INTERACTION run, the .phi file) of all 59 neonates, as printed in Pharmpy's
 * example model src/pharmpy/internals/example_models/pheno.phi (commit 048953cdf0de9d1f1a04c674ac5a20c30d99f2fe):
 * ID, ETA(1) (CL), ETA(2) (V). NONMEM prints 6 significant digits; its inner optimisation stops
 * near 1e-6. The MAP of this library reproduces every η within 5e-6 (measured: 1.4e-6 at worst).
 */
const NONMEM_PHI: readonly (readonly [number, number, number])[] = [
  [1, -4.38608e-2, 5.43031e-3],
  [2, -1.66321e-1, -1.31833e-1],
  [3, 9.59341e-2, 1.30868e-1],
  [4, -9.154e-3, 1.73881e-2],
  [5, 1.02019e-1, 2.835e-1],
  [6, -1.94174e-2, 9.98391e-2],
  [7, 4.59455e-2, 5.90723e-2],
  [8, -2.42701e-2, -1.89351e-1],
  [9, -2.48536e-1, -9.18718e-2],
  [10, 9.54493e-3, 1.20523e-2],
  [11, 6.61505e-2, 2.93685e-1],
  [12, -3.02358e-2, 7.47892e-2],
  [13, -9.45016e-2, -1.47433e-1],
  [14, 7.68198e-2, -1.05604e-1],
  [15, 2.00515e-2, 6.6265e-2],
  [16, -8.60352e-2, 2.32597e-2],
  [17, -6.71379e-2, -3.08586e-2],
  [18, 3.37255e-1, 3.55324e-2],
  [19, 3.25789e-2, -2.84101e-2],
  [20, 3.58875e-3, -8.06127e-2],
  [21, -6.02329e-2, -5.28538e-2],
  [22, -4.46869e-3, -5.73436e-2],
  [23, 5.19919e-2, -2.12941e-1],
  [24, 1.3751e-1, -4.11091e-3],
  [25, 2.32824e-2, 3.02636e-1],
  [26, -3.9069e-2, -1.19442e-1],
  [27, -4.49559e-2, -2.6332e-1],
  [28, 7.75957e-4, 8.32311e-2],
  [29, 3.15022e-3, 1.27516e-2],
  [30, 4.96542e-2, 8.09323e-2],
  [31, -5.54798e-4, -9.96142e-2],
  [32, 6.18637e-2, 3.32738e-1],
  [33, -3.81564e-2, -6.76415e-2],
  [34, -3.80173e-2, -1.84137e-1],
  [35, -1.56617e-1, -2.08753e-1],
  [36, 1.14558e-1, -5.3036e-2],
  [37, -8.4045e-3, 2.60042e-2],
  [38, 1.4492e-1, 8.16464e-2],
  [39, 8.33196e-2, -1.53804e-2],
  [40, 3.91511e-4, 7.80624e-2],
  [41, 1.89658e-2, 1.1203e-1],
  [42, 1.12715e-1, 3.83786e-1],
  [43, -1.72971e-3, -1.67583e-1],
  [44, 4.2068e-2, 6.65977e-2],
  [45, 1.20518e-2, 3.76002e-2],
  [46, 9.33902e-5, 1.06617e-2],
  [47, -9.77529e-3, -5.83055e-2],
  [48, -2.29005e-1, 3.39576e-2],
  [49, 8.95913e-3, 9.23121e-2],
  [50, -5.09872e-2, -1.92569e-1],
  [51, -2.72721e-3, 2.25657e-1],
  [52, 1.15824e-1, -2.04269e-1],
  [53, -5.47919e-2, -6.63337e-2],
  [54, -1.23689e-1, -2.39678e-1],
  [55, 4.7215e-2, 1.86615e-1],
  [56, -9.48672e-4, -1.08123e-2],
  [57, 1.59293e-2, -1.72129e-2],
  [58, -5.2344e-3, -1.22552e-1],
  [59, -7.66775e-2, -9.56961e-2],
];

/** The neonates of test-data/real/pheno_sd.csv (ID, TIME, AMT, WT, APGR, DV, MDV, EVID) as patient records: IV bolus doses, levels. */
function phenoPatients(): Map<number, PatientRecord> {
  const rows = readRealDatasetCsv('pheno_sd')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number));
  const patients = new Map<number, PatientRecord>();
  for (const [id, time, amt, wt, apgr, dv, , evid] of rows) {
    let p = patients.get(id);
    if (!p) {
      // The model's Apgar effect: V × (1 + θ3) when APGR < 5, the 0/1 column APGRLT5.
      p = { covariates: { WT: wt, APGRLT5: apgr < 5 ? 1 : 0 }, doses: [], observations: [], probability: 0.9 };
      patients.set(id, p);
    }
    if (evid === 1) p.doses.push({ time, amount: amt, route: 'iv', count: 1 });
    else p.observations.push({ time, endpoint: 'pk', value: dv, blq: false });
  }
  return patients;
}

describe('phenobarbital (Grasela & Donn 1985): NONMEM’s individual estimates of all 59 neonates', () => {
  const entry = libraryModel('phenobarbital-grasela1985')!;
  const patients = phenoPatients();

  function mapEtas(spec: ReturnType<typeof readLibraryModel>['spec'], model: ReturnType<typeof readLibraryModel>['model']) {
    return NONMEM_PHI.map(([id]) => {
      const map = mapEstimate(new PatientPosterior(spec, model, patients.get(id)!));
      expect(map.etaNames).toEqual(['CL', 'V']);
      expect(map.converged).toBe(true);
      return map.eta;
    });
  }

  it('reproduces every η of the .phi file within 5e-6', () => {
    const { spec, model } = readLibraryModel(entry);
    expect(patients.size).toBe(59);
    const etas = mapEtas(spec, model);
    NONMEM_PHI.forEach(([id, cl, v], i) => {
      expect(Math.abs(etas[i][0] - cl), `ID ${id} η CL`).toBeLessThan(5e-6);
      expect(Math.abs(etas[i][1] - v), `ID ${id} η V`).toBeLessThan(5e-6);
    });
  });

  it('the tolerance catches a wrong value: CL 1 % off moves some η by far more than 5e-6', () => {
    const { spec, model } = readLibraryModel(entry);
    const wrong = {
      ...model,
      theta: Object.fromEntries(Object.entries(model.theta).map(([k, x]) => [k, k.startsWith('CL') ? x * 1.01 : x])),
    };
    expect(Object.keys(model.theta).some((k) => k.startsWith('CL'))).toBe(true);
    const etas = mapEtas(spec, wrong);
    const worst = Math.max(...NONMEM_PHI.map(([, cl], i) => Math.abs(etas[i][0] - cl)));
    expect(worst).toBeGreaterThan(1e-3);
  });
});

/**
 * Vancomycin (Goti et al. 2018): posologyr's vancomycin case study (vignettes/case_study_vancomycin.Rmd,
 * github.com/levenc/posologyr at commit 0217819d92e77d741e19ad7f7e5a514efd8c0dd7), patient B
 * (test-data/patients/vancomycin-posologyr.patient.json). Its printed MAP η (ETA_Cl, ETA_Vc, ETA_Vp;
 * 8 significant digits, 0.1080, 0.0465, 0.0687 at 4) and AUC₀₋₂₄ and AUC₂₄₋₄₈ at that η (mg·h/L,
 * 4 decimals; rxode2 integrates d/dt(AUC) = Cc). Measured: η within 7.2e-7 (the gap is the ODE
 * solver's tolerance in posologyr: its predictions carry ~1e-6 relative error); AUCs at the printed η
 * within 3.3e-5, i.e. the printed digits.
 */
describe('vancomycin (Goti 2018): posologyr’s MAP η and AUCs of its case study', () => {
  const entry = libraryModel('vancomycin-goti2018')!;
  const record = readPatientFile(VANCOMYCIN_PATIENT_PATH);
  const PRINTED_ETA = [0.10796053, 0.04652873, 0.06865759];
  const PRINTED_AUC = [336.4356, 387.1362];
  /** AUC₀₋₂₄ and AUC₂₄₋₄₈ at η: 24 × the mean of the engine's concentrations on a 0.01 h grid (Simpson; kinks at nodes). */
  function aucs(posterior: PatientPosterior, eta: ArrayLike<number>): number[] {
    const c = posterior.predictAt(eta, { pk: Float64Array.from({ length: 4801 }, (_, i) => i / 100) }).pk;
    return [24 * gridAverage(c, 0, 2401), 24 * gridAverage(c, 2400, 2401)];
  }

  it('reproduces the printed η to 1e-6 (to the 4 printed digits) and the printed AUCs to their 4 decimals', () => {
    const { spec, model } = readLibraryModel(entry);
    expect(model.residual.pk).toEqual({ scale: 'natural', additive: 3.4, proportional: 0.227, combined: 'sum-of-sds' });
    expect(spec.model.covariateRanges).toEqual({ CLCREAT: [4, 150], WT: [33, 255], DIAL: [0, 1] });
    const posterior = new PatientPosterior(spec, model, record);
    const map = mapEstimate(posterior);
    expect(map.etaNames).toEqual(['CL', 'V', 'V2']);
    expect(map.converged).toBe(true);
    map.eta.forEach((e, k) => {
      expect(Math.abs(e - PRINTED_ETA[k]), `η ${map.etaNames[k]}`).toBeLessThan(1e-6);
      expect(e.toFixed(4)).toBe(PRINTED_ETA[k].toFixed(4));
    });
    aucs(posterior, PRINTED_ETA).forEach((auc, k) => expect(Math.abs(auc - PRINTED_AUC[k])).toBeLessThan(5e-5));
    // At the engine's own η the AUCs move by less than 1e-4.
    aucs(posterior, map.eta).forEach((auc, k) => expect(Math.abs(auc - PRINTED_AUC[k])).toBeLessThan(1e-4));
  });

  it('the error form matters: with the variances added instead, η moves by more than 1e-3', () => {
    const { spec, model } = readLibraryModel(entry);
    const variances = { ...model, residual: { pk: { ...model.residual.pk!, combined: 'sum-of-variances' as const } } };
    const map = mapEstimate(new PatientPosterior(spec, variances, record));
    expect(Math.max(...Array.from(map.eta, (e, k) => Math.abs(e - PRINTED_ETA[k])))).toBeGreaterThan(1e-3);
  });
});
