import { describe, expect, it } from 'vitest';
import type { Dataset } from '../types';
import { buildDatasetFeatures, targetToDv } from './dataset-features';
import { historyFeatures } from './history';
import { createFeatureModel, fitFeatureModel, parseFeatureModel } from './model';
import { regimenDoses, regimenFeatures } from './regimen';
import type { FeatureSpec } from './spec';
import { csvDataset } from './test-support';

const TRIAL = csvDataset([
  'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW,COMED,DOSE',
  '1,0,.,1,1,10,1,0,80,1,10',
  '1,0,9.5,0,0,0,3,2,80,1,10',
  '1,2,0.5,0,0,0,2,1,80,1,10',
  '1,2,8.0,0,0,0,3,2,80,1,10',
  '1,24,.,1,1,10,1,0,80,1,10',
  '1,24,0.2,0,0,0,2,1,80,1,10',
  '1,24,6,0,0,0,3,2,80,1,10',
  '1,48,0,0,0,0,2,1,80,1,10',
  '2,0,11,0,0,0,3,2,60,0,0',
  '2,24,10.5,0,0,0,3,2,60,0,0',
  '3,0,.,1,1,5,1,0,.,0,5',
  '3,4,0.3,0,0,0,2,1,.,0,5',
  '3,4,7,0,0,0,3,2,.,0,5',
]);
const ALL = [0, 1, 2];
/** The file's covariates, the first the body weight (the feature code's defaults name none), and fixed rates. */
const COVARIATES = { covariates: ['BW', 'COMED'], bodyWeight: 'BW' } as const;
const FIXED: Partial<FeatureSpec> = { ...COVARIATES, eliminationRate: 0.01, pkShape: { ka: 1, alpha: 0.1, rho: 0.5 } };

function column(set: { names: string[]; matrix: Float64Array; nFeatures: number }, name: string): number[] {
  const f = set.names.indexOf(name);
  if (f < 0) throw new Error(`no column ${name}`);
  return Array.from({ length: set.matrix.length / set.nFeatures }, (_, i) => set.matrix[i * set.nFeatures + f]);
}

describe('features for the observations of a dataset', () => {
  it('PK rows: log target, DV ≤ 0 excluded and counted, row facts', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 1, ...FIXED }, ALL);
    const set = buildDatasetFeatures(TRIAL, model, ALL);
    expect(set.nRows).toBe(3);
    expect(set.excluded.nonPositive).toBe(1);
    expect(set.target).toBe('ln(DV)');
    expect(Array.from(set.rows.subject)).toEqual([0, 0, 2]);
    expect(Array.from(set.rows.time)).toEqual([2, 24, 4]);
    expect(Array.from(set.rows.sourceLine)).toEqual([4, 7, 13]);
    expect(Array.from(set.rows.dv)).toEqual([0.5, 0.2, 0.3]);
    expect(Array.from(set.rows.target)).toEqual([Math.log(0.5), Math.log(0.2), Math.log(0.3)]);
    expect(targetToDv(model, set.rows.target[0])).toBeCloseTo(0.5, 14);
    expect(column(set, 'N_DOSES')).toEqual([1, 1, 1]); // the trough at 24 is before the 24 h dose
    expect(column(set, 'TSLD')).toEqual([2, 24, 4]);
    expect(column(set, 'DOSE')).toEqual([10, 10, 5]);
    expect(set.names).not.toContain('BASELINE_PD');
  });

  it('missing covariates: record → subject → training median (of training subjects only)', () => {
    const all = fitFeatureModel(TRIAL, { dvid: 1, ...FIXED }, ALL);
    expect(all.covariateMedians).toEqual({ BW: 70, COMED: 0 });
    expect(column(buildDatasetFeatures(TRIAL, all, [2]), 'BW')).toEqual([70]);
    const one = fitFeatureModel(TRIAL, { dvid: 1, ...FIXED }, [0]);
    expect(one.covariateMedians).toEqual({ BW: 80, COMED: 1 });
    expect(column(buildDatasetFeatures(TRIAL, one, [2]), 'BW')).toEqual([80]);
  });

  it('PD rows: raw target, baseline PD (pre-dose, placebo at 0, missing → training median + indicator)', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 2, ...FIXED }, ALL);
    expect(model.baselinePdMedian).toBe((9.5 + 11) / 2);
    const set = buildDatasetFeatures(TRIAL, model, ALL);
    expect(set.target).toBe('DV');
    expect(set.nRows).toBe(6);
    expect(Array.from(set.rows.target)).toEqual([9.5, 8, 6, 11, 10.5, 7]);
    expect(column(set, 'BASELINE_PD')).toEqual([9.5, 9.5, 9.5, 11, 11, 10.25]);
    expect(column(set, 'BASELINE_PD_MISSING')).toEqual([0, 0, 0, 0, 0, 1]);
    expect(column(set, 'N_DOSES')).toEqual([0, 1, 1, 0, 0, 1]);
    expect(column(set, 'TSLD')).toEqual([0, 2, 24, 0, 24, 4]);
    const reference = fitFeatureModel(TRIAL, { dvid: 2, ...FIXED, doseTimeConvention: 'dose-counted' }, ALL);
    const counted = buildDatasetFeatures(TRIAL, reference, ALL);
    expect(column(counted, 'N_DOSES')).toEqual([1, 1, 2, 0, 0, 1]);
    expect(column(counted, 'BASELINE_PD')).toEqual(column(set, 'BASELINE_PD')); // the baseline ignores the convention
  });

  it('options switch columns: no baseline, log target for PD, per-kg copies', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 2, ...FIXED, baselinePd: false, logTarget: true, perKgDoseFeatures: true }, ALL);
    const set = buildDatasetFeatures(TRIAL, model, ALL);
    expect(set.names).not.toContain('BASELINE_PD');
    expect(set.names).toContain('CUM_DOSE_PER_KG');
    expect(set.rows.target[0]).toBeCloseTo(Math.log(9.5), 14);
  });

  it('matches the core for the same dose history (adapter = core)', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 2, ...FIXED, perKgDoseFeatures: true }, ALL);
    const set = buildDatasetFeatures(TRIAL, model, [0]);
    const core = historyFeatures(
      model,
      { doses: { times: [0, 24], amounts: [10, 10] }, covariates: { BW: 80, COMED: 1 }, armDose: 10, baselinePd: 9.5 },
      [0, 2, 24],
    );
    expect(Array.from(set.matrix)).toEqual(Array.from(core));
  });

  it('a model survives JSON and rebuilds identical features', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 2, ...FIXED }, ALL);
    const back = parseFeatureModel(JSON.parse(JSON.stringify(model)));
    expect(Array.from(buildDatasetFeatures(TRIAL, back, ALL).matrix)).toEqual(Array.from(buildDatasetFeatures(TRIAL, model, ALL).matrix));
    expect(() => parseFeatureModel({ ...model, names: ['X'] })).toThrow(/do not match/);
    expect(() => parseFeatureModel({ version: 2 })).toThrow(/not a feature model/);
  });

  it('falls back without terminal-phase PK: superposition left out with a note', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 2 }, ALL);
    expect(model.k).toBeNull();
    expect(model.names).not.toContain('EXPO_K');
    expect(model.notes.join(' ')).toMatch(/elimination rate could not be estimated/);
  });

  it('drops covariates the file lacks, with a note', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 1, ...FIXED, covariates: ['BW', 'SEX'] }, ALL);
    expect(model.spec.covariates).toEqual(['BW']);
    expect(model.notes.join(' ')).toMatch(/SEX/);
  });

  it('refuses subjects without records and empty training sets', () => {
    const model = fitFeatureModel(TRIAL, { dvid: 1, ...FIXED }, ALL);
    const emptied: Dataset = { ...TRIAL, subjects: TRIAL.subjects.map((s, i) => (i === 1 ? { ...s, recordCount: 0 } : s)) };
    expect(() => buildDatasetFeatures(emptied, model, [1])).toThrow(/no records/);
    expect(() => fitFeatureModel(TRIAL, { dvid: 1 }, [])).toThrow(/no training subjects/);
  });
});

describe('features for simulated regimens', () => {
  const model = createFeatureModel(
    { dvid: 2, ...COVARIATES, eliminationRate: 0.0048, pkShape: { ka: 0.9, alpha: 0.116, rho: 0.76 } },
    { covariateMedians: { BW: 70.5, COMED: 0.5 }, baselinePdMedian: 8.8, logExposureFloor: 5e-5 },
  );

  it('regimenDoses lays out the dose history', () => {
    const d = regimenDoses({ amount: 50, intervalH: 168, doses: 20 });
    expect(d.times.length).toBe(20);
    expect(d.times[19]).toBe(19 * 168);
    expect(Array.from(d.amounts).every((a) => a === 50)).toBe(true);
    expect(() => regimenDoses({ amount: 1, intervalH: 0, doses: 2 })).toThrow();
  });

  it('once weekly 50 mg for 20 weeks through the same columns, one block per virtual subject', () => {
    const times = Array.from({ length: 337 }, (_, i) => 19 * 168 + i * 0.5);
    const subjects = [{ covariates: { BW: 70, COMED: 0 }, baselinePd: 10 }, { covariates: { BW: 120, COMED: 1 } }];
    const m = regimenFeatures(model, { amount: 50, intervalH: 168, doses: 20 }, subjects, times);
    expect(m.names).toEqual(model.names);
    expect(m.nRows).toBe(2 * times.length);
    const one = historyFeatures(
      model,
      { doses: regimenDoses({ amount: 50, intervalH: 168, doses: 20 }), covariates: subjects[1].covariates, armDose: 50 },
      times,
    );
    expect(Array.from(m.matrix.subarray(times.length * m.nFeatures))).toEqual(Array.from(one));
    const at = (row: number, name: string): number => m.matrix[row * m.nFeatures + model.names.indexOf(name)];
    expect(at(0, 'DOSE')).toBe(50);
    expect(at(0, 'N_DOSES')).toBe(19); // the trough at the 20th dose time comes before it
    expect(at(1, 'N_DOSES')).toBe(20);
    expect(at(times.length, 'BASELINE_PD_MISSING')).toBe(1);
    expect(at(times.length, 'BASELINE_PD')).toBe(8.8);
    expect(at(0, 'EXPO_K_PER_KG') / at(times.length, 'EXPO_K_PER_KG')).toBeCloseTo(120 / 70, 12);
  });
});

describe('body weight missing for every training subject', () => {
  it('leaves the per-kg features out with a note', () => {
    const noBw = csvDataset([
      'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW',
      '1,0,.,1,1,10,1,0,.',
      '1,2,0.5,0,0,0,2,1,.',
      '2,0,.,1,1,10,1,0,70',
      '2,2,0.4,0,0,0,2,1,70',
    ]);
    const model = fitFeatureModel(noBw, { dvid: 1, ...FIXED, perKgDoseFeatures: true }, [0]);
    expect(model.spec.bodyWeight).toBeNull();
    expect(model.names.some((n) => n.endsWith('_PER_KG'))).toBe(false);
    expect(model.notes.join(' ')).toMatch(/per-kg features left out/);
    expect(buildDatasetFeatures(noBw, model, [0, 1]).matrix.every(Number.isFinite)).toBe(true);
  });
});
