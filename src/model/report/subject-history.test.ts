import { describe, expect, it } from 'vitest';
import { buildDatasetFeatures } from '../../data/features/dataset-features';
import { historyFeatures } from '../../data/features/history';
import { fitFeatureModel } from '../../data/features/model';
import type { FeatureSpec } from '../../data/features/spec';
import { csvDataset, estDataFeatures, loadEstData } from '../../data/features/test-support';
import { referenceSplit } from '../../data/splits/split';
import type { Dataset } from '../../data/types';
import { DVID_PD, DVID_PK } from '../../data/types';
import { subjectHistory } from './subject-history';

// Subject 1's BW changes over time (a time-varying covariate), with a missing value at 24 h.
const TRIAL = csvDataset([
  'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW,COMED',
  '1,0,.,1,1,10,1,0,80,1',
  '1,0,9.5,0,0,0,3,2,80,1',
  '1,2,0.5,0,0,0,2,1,81,1',
  '1,24,.,1,1,10,1,0,.,1',
  '1,24,0.2,0,0,0,2,1,83,1',
  '1,30,6,0,0,0,3,2,.,1',
  '2,0,11,0,0,0,3,2,60,0',
  '2,24,10.5,0,0,0,3,2,60,0',
]);

/** The history features at each subject's observation times, stacked like buildDatasetFeatures' rows. */
function historyRows(
  dataset: Dataset,
  dvid: number,
  subjects: readonly number[],
  train: readonly number[],
  options: Omit<FeatureSpec, 'dvid'>,
): { fromHistory: number[]; fromDataset: number[] } {
  const model = fitFeatureModel(dataset, { ...options, dvid }, train);
  const set = buildDatasetFeatures(dataset, model, subjects);
  const fromHistory = subjects.flatMap((s) => {
    const times = Array.from(set.rows.time).filter((_, i) => set.rows.subject[i] === s);
    return Array.from(historyFeatures(model, subjectHistory(dataset, s).at(times), times));
  });
  return { fromHistory, fromDataset: Array.from(set.matrix) };
}

describe('a subject’s history inputs', () => {
  it('give the observation features at the observation times (time-varying covariate, missing values)', () => {
    expect(TRIAL.covariates.find((c) => c.name === 'BW')?.kind).toBe('time-varying');
    for (const dvid of [DVID_PK, DVID_PD]) {
      const { fromHistory, fromDataset } = historyRows(TRIAL, dvid, [0, 1], [0, 1], { covariates: ['BW', 'COMED'], bodyWeight: 'BW' });
      expect(fromDataset.length).toBeGreaterThan(0);
      expect(fromHistory).toEqual(fromDataset);
    }
  });

  it('give the observation features of EstData’s validation subjects', () => {
    const data = loadEstData();
    const split = referenceSplit(data);
    const features = estDataFeatures();
    for (const dvid of [DVID_PK, DVID_PD]) {
      const { fromHistory, fromDataset } = historyRows(data, dvid, split.val, split.train, dvid === DVID_PK ? features.pk : features.pd!);
      expect(fromDataset.length).toBeGreaterThan(100);
      expect(fromHistory).toEqual(fromDataset);
    }
  });

  it('step a time-varying covariate at the records (missing → the subject’s first value), and list the usable doses', () => {
    const history = subjectHistory(TRIAL, 0);
    expect(history.doses).toEqual([
      { time: 0, amount: 10 },
      { time: 24, amount: 10 },
    ]);
    const inputs = history.at([0, 1, 2, 23, 24, 40]);
    expect(Array.from(inputs.covariates?.BW as Float64Array)).toEqual([80, 80, 81, 81, 83, 80]);
    expect(inputs.covariates?.COMED).toBe(1);
    expect(inputs.baselinePd).toBe(9.5);
    expect(inputs.armDose).toBe(10);
    expect(() => history.at([2, 1])).toThrow(/ascending/);
  });
});
