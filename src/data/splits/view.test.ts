import { describe, expect, it } from 'vitest';
import type { Dataset, EventRecords } from '../types';
import { DVID_PD, DVID_PK } from '../types';
import { buildDatasetFeatures } from '../features/dataset-features';
import { fitFeatureModel } from '../features/model';
import { fitFeatureScaler, fitTargetScaler } from '../features/scaler';
import type { FeatureSpec } from '../features/spec';
import { estDataFeatures, loadEstData } from '../features/test-support';
import { crossValidationSplits, referenceSplit, type SubjectSplit } from './split';
import { createSplitView, FINAL_EVALUATION } from './view';

const data = loadEstData();
const estData = estDataFeatures();
/** EstData's feature options (its preset: BW and COMED, per kg by BW) for a target. */
const features = (dvid: number): FeatureSpec => ({ ...(dvid === DVID_PK ? estData.pk : estData.pd!), dvid });

type Numeric = Float64Array | Int32Array | Uint8Array;

/**
 * The dataset with every read of a forbidden subject's records (or Subject entry) throwing.
 * Element reads are checked; subarray/slice are checked by range; any other whole-array access
 * (iteration, forEach, map, …) throws, since it could not be checked.
 */
function guarded(dataset: Dataset, forbidden: readonly number[]): Dataset {
  const mask = new Uint8Array(dataset.records.time.length);
  for (const s of forbidden)
    mask.fill(1, dataset.subjects[s].firstRecord, dataset.subjects[s].firstRecord + dataset.subjects[s].recordCount);
  const touches = (from: number, to: number): boolean => mask.subarray(from, to).some((m) => m === 1);
  const wrap = <T extends Numeric>(array: T, what: string): T =>
    new Proxy(array, {
      get(target, prop) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) {
          if (mask[Number(prop)] === 1) throw new Error(`read of a test subject's record ${prop} (${what})`);
          return target[Number(prop)];
        }
        if (prop === 'length') return target.length;
        if (prop === 'subarray' || prop === 'slice') {
          return (begin = 0, end = target.length) => {
            if (touches(begin, end)) throw new Error(`${String(prop)} over a test subject's records (${what})`);
            return (target[prop] as (b: number, e: number) => T).call(target, begin, end);
          };
        }
        throw new Error(`unchecked whole-array access ${String(prop)} on ${what}`);
      },
    });
  const records = Object.fromEntries(
    Object.entries(dataset.records).map(([name, array]) => [name, wrap(array as Numeric, `records.${name}`)]),
  ) as unknown as EventRecords;
  const forbiddenSet = new Set(forbidden);
  const subjects = new Proxy(dataset.subjects, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop) && forbiddenSet.has(Number(prop)))
        throw new Error(`read of test subject ${prop}'s summary`);
      return Reflect.get(target, prop, receiver);
    },
  });
  return {
    ...dataset,
    records,
    subjects,
    covariates: dataset.covariates.map((c) => ({ ...c, values: wrap(c.values, `covariate ${c.name}`) })),
  };
}

/** Everything training does before the final evaluation: k, shape, medians, features, scalers. */
function developAll(dataset: Dataset, train: readonly number[], val: readonly number[]): void {
  for (const dvid of [DVID_PK, DVID_PD]) {
    const model = fitFeatureModel(dataset, { ...features(dvid), perKgDoseFeatures: true }, train);
    expect(model.k).not.toBeNull();
    const trainSet = buildDatasetFeatures(dataset, model, train);
    const valSet = buildDatasetFeatures(dataset, model, val);
    fitFeatureScaler(trainSet.matrix, trainSet.names);
    fitTargetScaler(trainSet.rows.target);
    expect(valSet.nRows).toBeGreaterThan(0);
  }
}

describe('test-subject guard', () => {
  const split = referenceSplit(data);

  it('the guard itself catches reads of test records (sanity check of the harness)', () => {
    const g = guarded(data, split.test);
    expect(() => buildDatasetFeatures(g, fitFeatureModel(data, features(DVID_PK), split.train), split.test)).toThrow(/test subject/);
    expect(() => fitFeatureModel(g, features(DVID_PK), [...split.train, split.test[0]])).toThrow(/test subject/);
    expect(() => Array.from(g.records.dv)).toThrow(/whole-array/);
  });

  it('building the view, fitting k/shape/medians, features and scalers for train/val never reads test subjects', () => {
    for (const s of [split, ...crossValidationSplits(data, { seed: 9 }).slice(0, 2)]) {
      const g = guarded(data, s.test);
      const view = createSplitView(g, s);
      developAll(view.development, view.train, view.val);
      developAll(g, view.train, view.val); // directly on the guarded full dataset too
    }
  });

  it('the development dataset holds no test record, keeps subject indices, and equals the full data elsewhere', () => {
    const view = createSplitView(data, split);
    const dev = view.development;
    const testLines = new Set(
      split.test.flatMap((s) => {
        const { firstRecord, recordCount } = data.subjects[s];
        return Array.from(data.records.sourceLine.subarray(firstRecord, firstRecord + recordCount));
      }),
    );
    expect(dev.rowCount).toBe(data.rowCount - testLines.size);
    expect(Array.from(dev.records.sourceLine).some((line) => testLines.has(line))).toBe(false);
    expect(Array.from(dev.records.subject).some((s) => split.test.includes(s))).toBe(false);
    expect(dev.subjects).toHaveLength(48);
    for (const s of split.test) {
      expect(dev.subjects[s].id).toBe(data.subjects[s].id);
      expect(dev.subjects[s].recordCount).toBe(0);
      expect(dev.subjects[s].armDose).toBeNaN();
      expect(dev.subjects[s].baseline.BW).toBeNaN();
    }
    const model = fitFeatureModel(data, features(DVID_PD), split.train);
    const a = buildDatasetFeatures(dev, model, view.val);
    const b = buildDatasetFeatures(data, model, view.val);
    expect(Array.from(a.matrix)).toEqual(Array.from(b.matrix));
    expect(Array.from(a.rows.sourceLine)).toEqual(Array.from(b.rows.sourceLine));
    expect(() => buildDatasetFeatures(dev, model, split.test)).toThrow(/withheld/);
  });

  it('test subjects come only from an explicit final-evaluation call', () => {
    const view = createSplitView(data, split);
    expect(view.testCount).toBe(3);
    expect(view.testIds).toEqual(['19', '32', '48']);
    expect(Object.keys(view)).not.toContain('test');
    const final = view.finalEvaluation(FINAL_EVALUATION);
    expect(final.dataset).toBe(data);
    expect(final.test.map((s) => data.subjects[s].id)).toEqual(['19', '32', '48']);
    // @ts-expect-error the purpose must be spelled out
    expect(() => view.finalEvaluation()).toThrow(/final evaluation/);
    // @ts-expect-error any other purpose is refused
    expect(() => view.finalEvaluation('early stopping')).toThrow(/final evaluation/);
    expect(Object.isFrozen(view)).toBe(true);
  });

  it('rejects a split made for another dataset', () => {
    const wrong: SubjectSplit = { ...split, roles: split.roles.slice(1) };
    expect(() => createSplitView(data, wrong)).toThrow(/covers 47 subjects/);
  });
});
