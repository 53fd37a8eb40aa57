import { add, tidy } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSubjectRecords } from '../data/features/subject-records';
import { estDataSpec, loadEstData } from '../data/features/test-support';
import { referenceSplit } from '../data/splits/split';
import { createSplitView } from '../data/splits/view';
import type { Dataset, EventRecords } from '../data/types';
import { DVID_PD } from '../data/types';
import {
  branchFor,
  CASCADE_FEATURE,
  cascadeColumn,
  disposeModel,
  observationInputs,
  observationRows,
  predictHistories,
  predictObservations,
} from './pkpd-model';
import { useCpuBackend } from './test-support';
import { evaluateFinal, type PkPdTrainingOptions, type PkPdTrainingResult, trainPkPd } from './train-pkpd';

const data = loadEstData();
const split = referenceSplit(data);

const SMALL: Omit<PkPdTrainingOptions, 'mode' | 'encoder'> = {
  study: estDataSpec(),
  architecture: { hidden: 8, depth: 1, dropout: 0.2 },
  training: { epochs: 3, batchSize: 256, learningRate: 3e-3 },
  seed: 1,
};

let cascade: PkPdTrainingResult;

beforeAll(async () => {
  await useCpuBackend();
  cascade = await trainPkPd(createSplitView(data, split), {
    ...SMALL,
    mode: 'cascade',
    encoder: 'mlp',
    classification: { thresholdNgMl: 3.3 },
  });
});

afterAll(() => disposeModel(cascade.model));

describe('modes', () => {
  it('cascade: the PD network gets the PK network’s prediction for the same subject and time, not zeros', () => {
    const model = cascade.model;
    const pd = branchFor(model, 'pd')!.branch;
    expect(pd.cascadeInput).toBe(true);
    expect(pd.featureScaler.names.at(-1)).toBe(CASCADE_FEATURE);
    expect(pd.network.config.architecture.nInputs).toBe(pd.featureModel.names.length + 1);

    // the column trained on: the final PK network's predictions at the PD training rows, with spread
    const trainColumn = cascade.cascadeInputs!.train;
    const { inputs } = observationInputs(model, pd, data, split.train, pd.targets[0]);
    expect(Array.from(cascadeColumn(model, inputs.pk!, inputs.rows))).toEqual(Array.from(trainColumn));
    const mean = trainColumn.reduce((a, b) => a + b, 0) / trainColumn.length;
    const sd = Math.sqrt(trainColumn.reduce((a, b) => a + (b - mean) ** 2, 0) / trainColumn.length);
    expect(sd).toBeGreaterThan(0.1);

    // same subject and time: where PK was observed at a PD row's time, the column equals the PK prediction there
    const pdRows = observationRows(data, pd.featureModel, pd.targets[0], split.train);
    const pkPred = predictObservations({ ...model, branches: [branchFor(model, 'pk')!.branch] }, data, split.train).pk!;
    const pkAt = new Map<string, number>();
    pkPred.subject.forEach((s, i) => pkAt.set(`${s}@${pkPred.time[i]}`, pkPred.predictedZ[i]));
    let matched = 0;
    pdRows.rows.subject.forEach((s, i) => {
      const z = pkAt.get(`${s}@${pdRows.rows.time[i]}`);
      if (z === undefined) return;
      matched += 1;
      expect(trainColumn[i]).toBeCloseTo(z, 5);
    });
    expect(matched).toBeGreaterThan(500);
  });

  it('cascade: PD predictions move when the PK network changes', () => {
    const model = cascade.model;
    const before = predictObservations(model, data, split.val).pd!.predicted;
    const pkNet = branchFor(model, 'pk')!.branch.network;
    const saved = pkNet.parameters.snapshot();
    const head = pkNet.parameters.get('head/pk/fc2/bias').variable;
    head.assign(tidy(() => add(head, 1)));
    const after = predictObservations(model, data, split.val).pd!.predicted;
    pkNet.parameters.restore(saved);
    saved.forEach((t) => t.dispose());
    expect(after.some((v, i) => Math.abs(v - before[i]) > 1e-4)).toBe(true);
  });

  it('validation metrics in z-units and ng/mL, predictions in observation units, classification probabilities', () => {
    const { pk, pd } = cascade.validation;
    for (const m of [pk!, pd!]) {
      expect(m.n).toBeGreaterThan(60);
      for (const v of [m.rmse_z, m.mae_z, m.rmse, m.mae]) expect(v).toBeGreaterThan(0);
    }
    // the validation loss that chose the checkpoint is the reported z-unit MSE (same rows, same model)
    expect(pk!.rmse_z ** 2).toBeCloseTo(cascade.training.pk!.bestLoss, 5);
    expect(pd!.rmse_z ** 2).toBeCloseTo(cascade.training.pd!.bestLoss, 5);
    const predictions = predictObservations(cascade.model, data, split.val);
    expect(predictions.pk!.predicted.every((v) => v > 0)).toBe(true); // exp of the log target
    const probability = predictions.pd!.probabilityMet!;
    expect(probability.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(predictions.pk!.probabilityMet).toBeNull();
  });

  it('MC dropout: seeded mean and SD over 30 samples; a deterministic pass has no SD', () => {
    const a = predictObservations(cascade.model, data, split.val, { mcDropout: true, seed: 4 }).pd!;
    const b = predictObservations(cascade.model, data, split.val, { mcDropout: true, seed: 4 }).pd!;
    expect(Array.from(a.predicted)).toEqual(Array.from(b.predicted));
    expect(a.sd!.every((s) => s >= 0)).toBe(true);
    expect(Math.max(...a.sd!)).toBeGreaterThan(0);
    expect(predictObservations(cascade.model, data, split.val).pd!.sd).toBeNull();
  });

  it('dose histories give the same predictions as the observed rows (the dose-optimisation path)', () => {
    const s = split.val[0];
    const records = readSubjectRecords(data, s, DVID_PD);
    const times = Array.from(records.observations, (k) => data.records.time[k]);
    const subject = data.subjects[s];
    const viaHistory = predictHistories(
      cascade.model,
      [
        {
          doses: { times: records.doseTimes, amounts: records.doseAmounts },
          covariates: { BW: subject.baseline.BW, COMED: subject.baseline.COMED },
          armDose: subject.armDose,
          baselinePd: records.baselinePd,
        },
      ],
      times,
    ).pd!;
    const observed = predictObservations(cascade.model, data, [s]).pd!;
    expect(viaHistory.predicted.length).toBe(observed.predicted.length);
    viaHistory.predicted.forEach((v, i) => expect(v).toBeCloseTo(observed.predicted[i], 5));
  });

  it('multitask: one shared encoder with a PK and a PD head, loss on whichever target a row has', async () => {
    const result = await trainPkPd(createSplitView(data, split), { ...SMALL, mode: 'multitask', encoder: 'moe' });
    const model = result.model;
    expect(model.branches).toHaveLength(1);
    expect(model.branches[0].targets.map((t) => t.name)).toEqual(['pk', 'pd']);
    expect(model.branches[0].targets[0].logTarget).toBe(true);
    expect(result.validation.pk!.n).toBeGreaterThan(60);
    expect(result.validation.pd!.n).toBeGreaterThan(60);
    expect(result.training.pkpd!.expertUsage).toHaveLength(1);
    disposeModel(model);
  });

  it('independent: two networks without a cascade column', async () => {
    const result = await trainPkPd(createSplitView(data, split), {
      ...SMALL,
      mode: 'independent',
      encoder: 'resmlp',
      training: { ...SMALL.training, epochs: 1 },
    });
    expect(result.model.branches.map((b) => [b.name, b.cascadeInput])).toEqual([
      ['pk', false],
      ['pd', false],
    ]);
    expect(result.cascadeInputs).toBeNull();
    const pd = branchFor(result.model, 'pd')!.branch;
    const direct = observationInputs(result.model, pd, data, split.val, pd.targets[0]);
    expect(direct.inputs.pk).toBeNull();
    disposeModel(result.model);
  });
});

/** A copy of the dataset whose test-subject records throw on any read while `locked.value` is true. */
function lockedDataset(dataset: Dataset, test: readonly number[], locked: { value: boolean }): Dataset {
  const mask = new Uint8Array(dataset.records.time.length);
  for (const s of test) mask.fill(1, dataset.subjects[s].firstRecord, dataset.subjects[s].firstRecord + dataset.subjects[s].recordCount);
  const wrap = <T extends Float64Array | Int32Array | Uint8Array>(array: T, what: string): T =>
    new Proxy(array, {
      get(target, prop) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) {
          if (locked.value && mask[Number(prop)] === 1)
            throw new Error(`read of a test subject's record (${what}) before the final evaluation`);
          return target[Number(prop)];
        }
        if (prop === 'length') return target.length;
        if (!locked.value) {
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        throw new Error(`unchecked whole-array access ${String(prop)} on ${what}`);
      },
    });
  const records = Object.fromEntries(
    Object.entries(dataset.records).map(([k, v]) => [k, wrap(v, `records.${k}`)]),
  ) as unknown as EventRecords;
  const testSet = new Set(test);
  const subjects = new Proxy(dataset.subjects, {
    get(target, prop, receiver) {
      if (locked.value && typeof prop === 'string' && /^\d+$/.test(prop) && testSet.has(Number(prop)))
        throw new Error(`read of test subject ${prop} before the final evaluation`);
      return Reflect.get(target, prop, receiver);
    },
  });
  return { ...dataset, records, subjects, covariates: dataset.covariates.map((c) => ({ ...c, values: wrap(c.values, c.name) })) };
}

describe('test subjects', () => {
  it('are not reachable before the final evaluation; evaluateFinal is the one way to them', async () => {
    const locked = { value: true };
    const guarded = lockedDataset(data, split.test, locked);
    const firstTestRecord = data.subjects[split.test[0]].firstRecord;
    expect(() => guarded.records.dv[firstTestRecord]).toThrow(/before the final evaluation/); // the guard works
    const view = createSplitView(guarded, split);
    const calls: string[] = [];
    const spied = Object.freeze({
      ...view,
      finalEvaluation: (purpose: Parameters<typeof view.finalEvaluation>[0]) => {
        calls.push('finalEvaluation');
        locked.value = false;
        return view.finalEvaluation(purpose);
      },
    });
    const result = await trainPkPd(spied, { ...SMALL, mode: 'cascade', encoder: 'resmlp-moe', training: { ...SMALL.training, epochs: 2 } });
    expect(calls).toEqual([]);
    expect(result.validation.pd!.n).toBe(75);
    // the development data holds no test records at all
    for (const s of split.test) expect(view.development.subjects[s].recordCount).toBe(0);
    expect(() => predictObservations(result.model, view.development, split.test)).toThrow(/withheld/);

    expect(locked.value).toBe(true);
    const final = evaluateFinal(result.model, spied);
    expect(calls).toEqual(['finalEvaluation']);
    expect(final.metrics.pd!.n).toBe(3 * 25);
    expect(final.metrics.pk!.n).toBe(3 * 24);
    expect(new Set(final.predictions.pd!.subject)).toEqual(new Set(split.test));
    disposeModel(result.model);
  });
});
