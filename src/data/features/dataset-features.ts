/** Adapter: feature rows for the observations of a Dataset, one per usable observation of the model's target endpoint. */
import type { Dataset } from '../types';
import { writeHistoryFeatures } from './history';
import { type FeatureModel, targetSelector } from './spec';
import { readSubjectRecords, refuseFeatureDosing, type SubjectRecords } from './subject-records';

/** Per-row facts, columnar, aligned with the matrix rows. */
export interface FeatureRows {
  /** Index into Dataset.subjects. */
  subject: Int32Array;
  time: Float64Array;
  /** Observed value as in the file. */
  dv: Float64Array;
  /** Model target: ln(DV) when the model's logTarget is on, else DV. */
  target: Float64Array;
  /** 1-based file line of the observation. */
  sourceLine: Int32Array;
  /** Index into Dataset.records. */
  record: Int32Array;
}

export interface FeatureSet {
  names: string[];
  dvid: number;
  nRows: number;
  nFeatures: number;
  /** Row-major [nRows × nFeatures]. */
  matrix: Float64Array;
  rows: FeatureRows;
  target: 'ln(DV)' | 'DV';
  /** Observations left out: DV ≤ 0 with a log target. */
  excluded: { nonPositive: number };
}

/**
 * Feature rows for every usable observation (EVID 0, MDV 0, finite DV) of the model's target (its
 * endpoint's DVID and/or CMT, else DVID 1 for PK and 2 for PD) of the given subjects, subject by subject in the order given, record order within a subject. Covariates
 * per record: the record's value, else the subject's first value, else the training median. Infusions
 * and resets are read (history.ts); subjects with steady-state doses are refused (UnmodelledDosingError).
 */
export function buildDatasetFeatures(dataset: Dataset, model: FeatureModel, subjects: readonly number[]): FeatureSet {
  refuseFeatureDosing(dataset, subjects);
  const { dvid, logTarget, covariates, bodyWeight } = model.spec;
  const { time, dv, sourceLine } = dataset.records;
  const names = bodyWeight !== null && !covariates.includes(bodyWeight) ? [...covariates, bodyWeight] : covariates;
  const columns = names.map((name) => dataset.covariates.find((c) => c.name === name)?.values);
  const perSubject: { s: number; rec: SubjectRecords; kept: Int32Array }[] = [];
  let nRows = 0;
  let nonPositive = 0;
  for (const s of subjects) {
    const rec = readSubjectRecords(dataset, s, targetSelector(model.spec), targetSelector(model.spec, 'pd'));
    let kept = rec.observations;
    if (logTarget) {
      const positive = kept.filter((k) => dv[k] > 0);
      nonPositive += kept.length - positive.length;
      kept = positive;
    }
    perSubject.push({ s, rec, kept });
    nRows += kept.length;
  }
  const nF = model.names.length;
  const matrix = new Float64Array(nRows * nF);
  const rows: FeatureRows = {
    subject: new Int32Array(nRows),
    time: new Float64Array(nRows),
    dv: new Float64Array(nRows),
    target: new Float64Array(nRows),
    sourceLine: new Int32Array(nRows),
    record: new Int32Array(nRows),
  };
  let offset = 0;
  for (const { s, rec, kept } of perSubject) {
    const n = kept.length;
    if (n === 0) continue;
    const info = dataset.subjects[s];
    const times = new Float64Array(n);
    const cov: Record<string, Float64Array> = {};
    names.forEach((name) => {
      cov[name] = new Float64Array(n).fill(info.baseline[name] ?? Number.NaN);
    });
    for (let i = 0; i < n; i++) {
      const k = kept[i];
      times[i] = time[k];
      const row = offset + i;
      rows.subject[row] = s;
      rows.time[row] = time[k];
      rows.dv[row] = dv[k];
      rows.target[row] = logTarget ? Math.log(dv[k]) : dv[k];
      rows.sourceLine[row] = sourceLine[k];
      rows.record[row] = k;
      for (let c = 0; c < names.length; c++) {
        const values = columns[c];
        if (values !== undefined && !Number.isNaN(values[k])) cov[names[c]][i] = values[k];
      }
    }
    writeHistoryFeatures(
      model,
      {
        doses: { times: rec.doseTimes, amounts: rec.doseAmounts, ...(rec.doseDurations ? { durations: rec.doseDurations } : {}) },
        ...(rec.resetTimes ? { resets: rec.resetTimes } : {}),
        covariates: cov,
        armDose: info.armDose,
        baselinePd: rec.baselinePd,
      },
      times,
      matrix,
      offset,
    );
    offset += n;
  }
  return {
    names: [...model.names],
    dvid,
    nRows,
    nFeatures: nF,
    matrix,
    rows,
    target: logTarget ? 'ln(DV)' : 'DV',
    excluded: { nonPositive },
  };
}

/** Inverse of the target transform: predictions on the target scale back to DV units. */
export function targetToDv(model: FeatureModel, target: number): number {
  return model.spec.logTarget ? Math.exp(target) : target;
}
