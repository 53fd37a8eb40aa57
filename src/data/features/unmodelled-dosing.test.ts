/**
 * What the network features read and refuse: infusions as the zero-order inputs they are (the
 * exposures as the unit-dose shape convolved with the infusion), resets as a restart of the history
 * (each occasion from its own start), additional doses (ADDL) as the plain doses they are; doses at
 * steady state (SS), whose history the file does not hold, are refused.
 */
import { describe, expect, it } from 'vitest';
import { UnmodelledDosingError } from '../unmodelled-dosing';
import { buildDatasetFeatures } from './dataset-features';
import { historyFeatures } from './history';
import { createFeatureModel, fitFeatureModel } from './model';
import type { FeatureSpec } from './spec';
import { readSubjectRecords } from './subject-records';
import { csvDataset, loadRealStudy, naiveShapeSum } from './test-support';
import { studyFeatureOptions } from './study-features';

const FIXED: Partial<FeatureSpec> = { eliminationRate: 0.05, pkShape: { ka: 1, alpha: 0.1, rho: 0.5 } };
const HEADER = 'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW,RATE,SS,II,ADDL';
const ORAL = [
  '1,0,.,1,1,10,1,0,70,0,0,0,0',
  '1,2,0.5,0,0,0,2,1,70,0,0,0,0',
  '1,24,.,1,1,10,1,0,70,0,0,0,0',
  '1,26,0.6,0,0,0,2,1,70,0,0,0,0',
];

function refusal(run: () => unknown): UnmodelledDosingError {
  try {
    run();
  } catch (error) {
    if (error instanceof UnmodelledDosingError) return error;
    throw error;
  }
  throw new Error('expected an UnmodelledDosingError');
}

describe('the features refuse doses at steady state', () => {
  it('naming file, line and subject, in fitting, building and reading', () => {
    const dataset = csvDataset([HEADER, ...ORAL, '2,0,.,1,1,10,1,0,60,0,1,24,0', '2,2,0.4,0,0,0,2,1,60,0,0,0,0'], 'study.csv');
    const fit = refusal(() => fitFeatureModel(dataset, { dvid: 1, ...FIXED }, [0, 1]));
    expect(fit.name).toBe('UnmodelledDosingError');
    expect(fit.message).toBe(
      'study.csv has doses at steady state (SS): 1 steady-state dose, first on line 6, subject 2. The network features cannot model these yet: reading them as oral doses given at once would be wrong, so nothing was computed. The data can still be explored.',
    );
    const model = fitFeatureModel(dataset, { dvid: 1, ...FIXED }, [0]);
    expect(() => buildDatasetFeatures(dataset, model, [0, 1])).toThrow(UnmodelledDosingError);
    expect(() => readSubjectRecords(dataset, 1, 1)).toThrow(UnmodelledDosingError);
    // Subject 1 alone has only oral doses.
    expect(buildDatasetFeatures(dataset, model, [0]).nRows).toBe(2);
  });
});

describe('the features read infusions as infusions', () => {
  const model = createFeatureModel({ dvid: 1, covariates: [], bodyWeight: null, ...FIXED });
  const column = (rows: Float64Array, name: string, i: number): number => rows[i * model.names.length + model.names.indexOf(name)];
  /** The exposures of an infusion of A over D from t0: the bolus shape summed over 4000 slices of the infusion. */
  const sliced = (t: number, t0: number, A: number, D: number, shape: (doses: { t: number; a: number }[], t: number) => number): number => {
    const n = 4000;
    return shape(
      Array.from({ length: n }, (_, i) => ({ t: t0 + ((i + 0.5) * D) / n, a: A / n })),
      t,
    );
  };
  const expoK = (doses: { t: number; a: number }[], t: number): number =>
    doses.filter((d) => d.t < t).reduce((sum, d) => sum + d.a * Math.exp(-0.05 * (t - d.t)), 0);
  const expoPk = (doses: { t: number; a: number }[], t: number): number => naiveShapeSum(doses, t, 0.05, FIXED.pkShape as never);

  it('gives the exposures of the zero-order input during and after the infusion, counting the dose at its start', () => {
    const times = [0.5, 1.5, 2, 3, 30, 31];
    const rows = historyFeatures(model, { doses: { times: [0, 24], amounts: [10, 10], durations: [2, 10] } }, times);
    times.forEach((t, i) => {
      const want = (shape: typeof expoK): number => sliced(t, 0, 10, 2, shape) + (t > 24 ? sliced(t, 24, 10, 10, shape) : 0);
      expect(column(rows, 'EXPO_K', i)).toBeCloseTo(want(expoK), 5);
      expect(column(rows, 'EXPO_PK', i)).toBeCloseTo(want(expoPk), 5);
    });
    expect(column(rows, 'N_DOSES', 0)).toBe(1);
    expect(column(rows, 'TSLD', 5)).toBe(7);
    // a bolus is an infusion of no duration
    const bolus = historyFeatures(model, { doses: { times: [0, 24], amounts: [10, 10] } }, times);
    expect(historyFeatures(model, { doses: { times: [0, 24], amounts: [10, 10], durations: [0, 0] } }, times)).toEqual(bolus);
  });
});

describe('the features restart the history at a reset', () => {
  it('each occasion as a record of its own: its doses only, its times from its start', () => {
    const model = createFeatureModel({ dvid: 1, covariates: [], bodyWeight: null, ...FIXED });
    const both = historyFeatures(model, { doses: { times: [0, 100, 112], amounts: [10, 20, 20] }, resets: [100] }, [2, 50, 100, 102, 130]);
    const first = historyFeatures(model, { doses: { times: [0], amounts: [10] }, armDose: 20 }, [2, 50]);
    const second = historyFeatures(model, { doses: { times: [0, 12], amounts: [20, 20] }, armDose: 20 }, [0, 2, 30]);
    expect(both).toEqual(Float64Array.from([...first, ...second]));
  });

  it('reads a file’s new occasion (TIME restarting) as a reset, not a reset before any dose', () => {
    const restart = csvDataset([HEADER, ...ORAL, '1,0,.,1,1,10,1,0,70,0,0,0,0', '1,2,0.5,0,0,0,2,1,70,0,0,0,0'], 'occasions.csv');
    const model = fitFeatureModel(restart, { dvid: 1, ...FIXED }, [0]);
    const set = buildDatasetFeatures(restart, model, [0]);
    const at = (row: number, name: string): number => set.matrix[row * set.nFeatures + set.names.indexOf(name)];
    expect(set.nRows).toBe(3);
    // the third observation, 2 h into the new occasion, sees its one dose only
    expect([at(2, 'TIME'), at(2, 'N_DOSES'), at(2, 'CUM_DOSE')]).toEqual([2, 1, 10]);
    expect([at(1, 'TIME'), at(1, 'N_DOSES')]).toEqual([26, 2]);
    const resetFirst = csvDataset([HEADER, '1,0,.,4,1,10,1,0,70,0,0,0,0', ...ORAL.slice(1)]);
    expect(fitFeatureModel(resetFirst, { dvid: 1, ...FIXED }, [0]).trainingSubjects).toBe(1);
  });

  it('reads mavoglurant.csv (infusions, two occasions) through its spec', () => {
    const { dataset, spec } = loadRealStudy('mavoglurant', 'mavoglurant');
    const all = dataset.subjects.map((_, s) => s);
    const model = fitFeatureModel(dataset, { ...studyFeatureOptions(spec, dataset).pk, dvid: 1 }, all);
    expect(model.k).not.toBeNull();
    const set = buildDatasetFeatures(dataset, model, all);
    expect(set.nRows + set.excluded.nonPositive).toBe(dataset.subjects.reduce((n, s) => n + s.pkCount, 0));
    expect(set.matrix.every(Number.isFinite)).toBe(true);
  });
});

describe('the features read additional doses (ADDL) as the doses they stand for', () => {
  it('gives the same features as the doses written out', () => {
    const written = csvDataset([HEADER, ...ORAL, '1,48,.,1,1,10,1,0,70,0,0,0,0', '1,50,0.7,0,0,0,2,1,70,0,0,0,0']);
    const addl = csvDataset([
      HEADER,
      '1,0,.,1,1,10,1,0,70,0,0,24,2',
      '1,2,0.5,0,0,0,2,1,70,0,0,0,0',
      '1,26,0.6,0,0,0,2,1,70,0,0,0,0',
      '1,50,0.7,0,0,0,2,1,70,0,0,0,0',
    ]);
    const model = fitFeatureModel(written, { dvid: 1, ...FIXED }, [0]);
    expect(fitFeatureModel(addl, { dvid: 1, ...FIXED }, [0])).toEqual(model);
    const fromAddl = buildDatasetFeatures(addl, model, [0]);
    const fromWritten = buildDatasetFeatures(written, model, [0]);
    expect(fromAddl.matrix).toEqual(fromWritten.matrix);
    expect(Array.from(fromAddl.rows.time)).toEqual([2, 26, 50]);
  });
});
