/**
 * Networks trained through a study spec on the real public files (test-data/real, test-data/specs):
 * theophylline (a single oral dose per subject, PK only) trains, predicts a concentration that does
 * not step at 24 h, and answers the spec's question; phenobarbital (IV boluses) answers its question;
 * mavoglurant (IV infusions over two occasions) trains, and its infusion questions are refused with a
 * message saying why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRealStudy } from '../data/features/test-support';
import { createSplitView, type SplitView } from '../data/splits/view';
import { answerNetworkStudyQuestions } from '../dose/network-questions';
import { describeClassification, studyClassification } from './classification';
import { disposeModel, type PkPdModel, predictHistories } from './pkpd-model';
import { useCpuBackend } from './test-support';
import { trainPkPd, type PkPdTrainingOptions } from './train-pkpd';
import { splitOf } from './training-config';

const theophylline = loadRealStudy('theo_sd', 'theophylline');
const small: Omit<PkPdTrainingOptions, 'study'> = {
  mode: 'cascade',
  encoder: 'mlp',
  architecture: { hidden: 16, depth: 1 },
  training: { epochs: 40, batchSize: 32, learningRate: 1e-2 },
  seed: 3,
};

let view: SplitView;
let model: PkPdModel;
/** The same network on the reference's windows (24 … 168 h, which assume daily dosing). */
let daily: PkPdModel;

beforeAll(async () => {
  await useCpuBackend();
  view = createSplitView(theophylline.dataset, splitOf(theophylline.dataset, 'reference', theophylline.spec));
  model = (await trainPkPd(view, { ...small, study: theophylline.spec, classification: studyClassification(theophylline.spec) })).model;
  daily = (await trainPkPd(view, { ...small, study: theophylline.spec, features: { pk: { dosingScale: undefined } } })).model;
}, 120_000);

afterAll(() => {
  disposeModel(model);
  disposeModel(daily);
});

/** Largest step between neighbouring times around 24 h relative to the steps beside it. */
function stepAt24(m: PkPdModel): { step: number; local: number } {
  const times = Float64Array.from({ length: 61 }, (_, i) => 21 + i * 0.1); // 21 … 27 h
  const pk = predictHistories(m, [{ doses: { times: [0], amounts: [320] }, covariates: { WT: 70 } }], times).pk!.predicted;
  const i24 = times.findIndex((t) => Math.abs(t - 24) < 1e-9);
  const step = Math.abs(pk[i24 + 1] - pk[i24]);
  let local = 0;
  for (let i = 1; i < times.length; i++) if (i !== i24 + 1) local = Math.max(local, Math.abs(pk[i] - pk[i - 1]));
  return { step, local };
}

describe('a network of theophylline through its spec', () => {
  it('is a PK network on the spec’s covariate, endpoint (CMT 2) and dosing scale, with the spec’s criterion as its head', () => {
    expect(model.branches.map((b) => b.name)).toEqual(['pk']);
    const fm = model.branches[0].featureModel;
    expect(fm.spec.covariates).toEqual(['WT']);
    expect(fm.spec.bodyWeight).toBe('WT');
    expect(fm.spec.endpoints).toEqual({ pk: { cmt: 2, name: 'Theophylline' } });
    expect(fm.dosingInterval?.rule).toBe('observation span after a single dose');
    expect(fm.spec.windowsH[0]).toBeGreaterThan(24);
    expect(model.classification).not.toBeNull();
    expect(describeClassification(model.classification!)).toBe('Theophylline within 10–20 mg/L');
    expect(model.branches[0].network.config.classification).toBe(true);
  });

  it('predicts a concentration that does not step at 24 h (the daily windows made it step)', () => {
    const scaled = stepAt24(model);
    expect(scaled.step).toBeLessThanOrEqual(2 * scaled.local);
    const reference = stepAt24(daily);
    expect(reference.step).toBeGreaterThan(2 * reference.local);
  });

  it('answers the spec’s question (within 10–20 mg/L on average, every 12 h and every 8 h)', async () => {
    const result = await answerNetworkStudyQuestions(model, view.development, theophylline.spec, {
      questions: { virtualSubjects: 30 },
      trainingSubjects: view.train,
    });
    expect(result.question).toBe('pk within 10–20 mg/L on average over the dosing interval at steady state');
    expect(result.answers).toHaveLength(2 * 2 * 3);
    expect(new Set(result.answers.map((a) => a.scenario))).toEqual(new Set(['trial', 'WT 70–86 kg']));
    expect(new Set(result.answers.map((a) => a.regimen))).toEqual(new Set(['every 12 h', 'every 8 h']));
    for (const a of result.answers) {
      expect(a.unit).toBe('mg');
      expect(a.method).toBe('scan');
      expect(a.dose === null || a.dose % 50 === 0).toBe(true);
    }
    expect(result.answers.some((a) => a.dose !== null)).toBe(true);
  });
});

describe('a network of phenobarbital (repeated IV boluses)', () => {
  it('trains through its spec and answers its question (trough within 15–40 mg/L) for IV boluses', async () => {
    const { dataset, spec } = loadRealStudy('pheno_sd', 'phenobarbital');
    const phenoView = createSplitView(dataset, splitOf(dataset, 'reference', spec));
    const { model: pheno } = await trainPkPd(phenoView, { ...small, training: { ...small.training, epochs: 10 }, study: spec });
    try {
      expect(pheno.branches.map((b) => b.name)).toEqual(['pk']);
      expect(pheno.branches[0].featureModel.dosingInterval?.rule).toBe('median interval between doses');
      const result = await answerNetworkStudyQuestions(pheno, phenoView.development, spec, {
        questions: { virtualSubjects: 20, scenarios: [spec.questions!.scenarios[0]] },
        trainingSubjects: phenoView.train,
      });
      expect(result.question).toBe('pk within 15–40 mg/L at the trough (just before the next dose) at steady state');
      expect(result.answers).toHaveLength(2 * 2);
      expect(result.curves.map((c) => c.route)).toEqual(['bolus', 'bolus']);
      for (const a of result.answers) expect(a.dose === null || Math.abs(a.dose / 0.25 - Math.round(a.dose / 0.25)) < 1e-9).toBe(true);
    } finally {
      disposeModel(pheno);
    }
  }, 60_000);
});

describe('a network of mavoglurant (IV infusions over two occasions)', () => {
  it('trains through its spec, and refuses its infusion questions saying why and what to do', async () => {
    const { dataset, spec } = loadRealStudy('mavoglurant', 'mavoglurant');
    const mavoView = createSplitView(dataset, splitOf(dataset, 'reference', spec));
    const { model: mavo, validation } = await trainPkPd(mavoView, { ...small, training: { ...small.training, epochs: 5 }, study: spec });
    try {
      expect(mavo.branches.map((b) => b.name)).toEqual(['pk']);
      expect(mavo.branches[0].featureModel.spec.covariates).toEqual(['WT']);
      expect(validation.pk?.n).toBeGreaterThan(0);
      await expect(answerNetworkStudyQuestions(mavo, mavoView.development, spec, { trainingSubjects: mavoView.train })).rejects.toThrow(
        'Networks cannot answer for the regimen "20-min infusion every 12 h": it is an infusion (over 0.3333), and the networks\' features read every dose as given at once — they have no infusion input. Answer it with the population model, or remove the regimen from the networks\' run.',
      );
    } finally {
      disposeModel(mavo);
    }
  }, 60_000);
});
