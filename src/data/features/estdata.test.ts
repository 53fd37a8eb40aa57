import { describe, expect, it } from 'vitest';
import type { Dataset } from '../types';
import { DVID_PD, DVID_PK } from '../types';
import { referenceSplit } from '../splits/split';
import { buildDatasetFeatures, type FeatureSet } from './dataset-features';
import { fitFeatureModel } from './model';
import { referenceFeatureSpec } from './spec';
import { estDataFeatures, loadEstData } from './test-support';
import { emptyEventRecords } from '../event-records';

const data = loadEstData();
const all = data.subjects.map((_, s) => s);
const split = referenceSplit(data);
/** EstData's feature options, from its preset (BW and COMED, per kg by BW). */
const estData = estDataFeatures();

function value(set: FeatureSet, subjectId: string, time: number, name: string): number {
  const row = Array.from(set.rows.time).findIndex((t, i) => t === time && data.subjects[set.rows.subject[i]].id === subjectId);
  if (row < 0) throw new Error(`no row for ${subjectId} at ${time}`);
  return set.matrix[row * set.nFeatures + set.names.indexOf(name)];
}

describe('features on EstData', () => {
  it('the reference spec gives the 21 reference features for every observation', () => {
    const pk = buildDatasetFeatures(data, fitFeatureModel(data, { ...estData.pk, ...referenceFeatureSpec(DVID_PK) }, all), all);
    const pd = buildDatasetFeatures(data, fitFeatureModel(data, { ...estData.pd!, ...referenceFeatureSpec(DVID_PD) }, all), all);
    expect(pk.nFeatures).toBe(21);
    expect(pk.nRows).toBe(36 * 24);
    expect(pd.nRows).toBe(48 * 25);
    expect(pk.target).toBe('DV');
    // Reference convention: the trough at 24 h of subject 16 already counts the 24 h dose.
    expect(value(pk, '16', 24, 'N_DOSES')).toBe(2);
    expect(value(pk, '16', 24, 'TSLD')).toBe(0);
    expect(value(pk, '16', 24, 'DECAY_HL24H')).toBe(1);
  });

  it("the preset's features on the reference split: k from the training subjects, half-life 125–160 h", () => {
    const model = fitFeatureModel(data, { ...estData.pk, dvid: DVID_PK }, split.train);
    expect(model.trainingSubjects).toBe(42);
    expect(model.kFit!.subjects).toBe(30); // 42 training subjects less 12 placebo
    expect(model.kFit!.points).toBe(30 * 7); // 504 … 1176 h after the last dose at 480 h
    expect(model.k!).toBeCloseTo(0.004821, 6);
    expect(model.kFit!.halfLifeH).toBeGreaterThan(125);
    expect(model.kFit!.halfLifeH).toBeLessThan(160);
    // PK shape: Tmax-scale absorption and a distribution phase of a few hours.
    expect(model.shape!.ka).toBeGreaterThan(0.5);
    expect(model.shape!.ka).toBeLessThan(1.5);
    expect(Math.LN2 / model.shape!.alpha).toBeGreaterThan(3);
    expect(Math.LN2 / model.shape!.alpha).toBeLessThan(12);
    expect(model.shapeFit!.residualSd).toBeLessThan(0.35);
    expect(model.notes).toEqual([]);
    expect(model.names).toHaveLength(27);
  });

  it("the preset's PK and PD features: pre-dose troughs, log PK, baseline PD, no NaN", () => {
    const pkModel = fitFeatureModel(data, { ...estData.pk, dvid: DVID_PK }, split.train);
    const pk = buildDatasetFeatures(data, pkModel, split.train);
    expect(pk.nRows).toBe(30 * 24);
    expect(pk.target).toBe('ln(DV)');
    expect(pk.excluded.nonPositive).toBe(0);
    expect(value(pk, '13', 24, 'N_DOSES')).toBe(1);
    expect(value(pk, '13', 24, 'TSLD')).toBe(24);
    expect(pk.matrix.every(Number.isFinite)).toBe(true);
    // ln of the exposure per kg tracks ln PK closely (correlation over the training rows).
    expect(correlation(column(pk, 'LN_EXPO_PK_PER_KG'), Array.from(pk.rows.target))).toBeGreaterThan(0.95);

    const pdModel = fitFeatureModel(data, { ...estData.pd!, dvid: DVID_PD }, split.train);
    const pd = buildDatasetFeatures(data, pdModel, [...split.train, ...split.val]);
    expect(pdModel.names).toHaveLength(29);
    expect(pd.nRows).toBe(45 * 25);
    expect(value(pd, '16', 480, 'BASELINE_PD')).toBeCloseTo(6.26763, 10);
    expect(value(pd, '16', 480, 'BASELINE_PD_MISSING')).toBe(0);
    expect(value(pd, '1', 0, 'BASELINE_PD')).toBeCloseTo(18.6174, 10);
    expect(pd.matrix.every(Number.isFinite)).toBe(true);
  });

  it('builds features for a 100k-row file (timed in bench/ingest.ts)', () => {
    const big = syntheticDataset(2000);
    expect(big.rowCount).toBe(100_000);
    const model = fitFeatureModel(
      big,
      { dvid: DVID_PK, eliminationRate: 0.005, pkShape: { ka: 1, alpha: 0.1, rho: 0.7 } },
      big.subjects.map((_, s) => s),
    );
    const set = buildDatasetFeatures(
      big,
      model,
      big.subjects.map((_, s) => s),
    );
    expect(set.nRows).toBe(2000 * 29);
    expect(set.matrix.every(Number.isFinite)).toBe(true);
  });
});

function column(set: FeatureSet, name: string): number[] {
  const f = set.names.indexOf(name);
  return Array.from({ length: set.nRows }, (_, i) => set.matrix[i * set.nFeatures + f]);
}

function correlation(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i] - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

/** 50 records per subject: 21 daily doses and 29 PK observations, built directly as columns. */
function syntheticDataset(subjects: number): Dataset {
  const obsTimes = [
    1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 400, 480, 481, 482, 484, 488, 492, 504, 552, 600, 672, 840, 1008, 1176, 1344,
  ];
  const perSubject = 21 + obsTimes.length;
  const n = subjects * perSubject;
  const records = emptyEventRecords(n);
  const bw = new Float64Array(n);
  const rows: { t: number; dose: boolean }[] = [
    ...Array.from({ length: 21 }, (_, j) => ({ t: j * 24, dose: true })),
    ...obsTimes.map((t) => ({ t, dose: false })),
  ].sort((a, b) => a.t - b.t || Number(b.dose) - Number(a.dose));
  let k = 0;
  const list = [];
  for (let s = 0; s < subjects; s++) {
    list.push({
      id: String(s + 1),
      firstRecord: k,
      recordCount: perSubject,
      baseline: { BW: 50 + (s % 50) },
      armDose: 3,
      doseCount: 21,
      pkCount: obsTimes.length,
      pdCount: 0,
    });
    for (const row of rows) {
      records.subject[k] = s;
      records.time[k] = row.t;
      records.evid[k] = row.dose ? 1 : 0;
      records.mdv[k] = row.dose ? 1 : 0;
      records.amt[k] = row.dose ? 3 : 0;
      records.dv[k] = row.dose ? Number.NaN : 0.1 + (k % 7) * 0.01;
      records.dvid[k] = row.dose ? 0 : 1;
      records.sourceLine[k] = k + 2;
      bw[k] = 50 + (s % 50);
      k++;
    }
  }
  return {
    fileName: 'big.csv',
    rowCount: n,
    format: { delimiter: ',', hadByteOrderMark: false, inferredEvents: false, decimalComma: false, columns: [] },
    records,
    covariates: [{ name: 'BW', kind: 'subject', values: bw, binary: false }],
    subjects: list,
    observationTypes: [1],
  };
}
