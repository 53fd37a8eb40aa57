/**
 * Headless command 'evaluate' { csvText, fileName, decoding?, specText?, specName?, external: { csvText, fileName, decoding? },
 * model: 'mechanistic' | encoder, head?: 'direct' | 'mechanistic', mode?, qubits?, layers?, seed?, epochs?, backend? }:
 * external validation. The model is made from the first file exactly as `train` (an encoder) or the
 * population fit (mechanistic) makes it on the reference split — the test subjects withheld until
 * the final evaluation — then applied, unchanged, to every subject of the other file, read through
 * the same study spec. Printed: `metrics` { val, test } on the first file and `external.metrics`
 * { pk, pd } on the other, the keys of `train` (z-units of the first file's training subjects).
 * Predictions are the population's: the direct head's from covariates and dose history, the
 * mechanistic and hybrid models' typical ones (every η = 0), so no observation of an evaluated
 * subject is used.
 */
import { createSplitView, DEFAULT_SPLIT_SEED, referenceSplit } from '../../data/splits/index';
import { studyGrouping } from '../../data/splits/split';
import { FINAL_EVALUATION } from '../../data/splits/view';
import { disposeModel, evaluateFinal, evaluateSubjects, trainPkPd } from '../../model/index';
import { hybridMetrics, hybridScalers, predictTypical } from '../../model/mechanistic/hybrid-evaluation';
import { disposeHybridModel } from '../../model/mechanistic/hybrid-model';
import { evaluateHybrid, evaluateHybridFinal, trainHybrid, type HybridMetrics } from '../../model/mechanistic/hybrid-run';
import { fitStudy } from '../../pkpd/population/fit-study';
import { bindStudy } from '../../study/study-data';
import { type DataFileArgs, datasetOf } from '../data-file';
import { registerHeadlessCommand } from '../registry';
import { hybridOptions, type TrainArgs, trainConfig, trainingOptions, trainStudy, useBackend } from './train';

interface EvaluateArgs extends TrainArgs {
  external: DataFileArgs;
  model: string;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

registerHeadlessCommand('evaluate', async (raw) => {
  const input = raw as EvaluateArgs;
  const started = performance.now();
  const mechanistic = input.model === 'mechanistic';
  const config = trainConfig({ ...input, encoder: mechanistic ? undefined : input.model, split: 'reference' });
  const dataset = datasetOf(input);
  const other = datasetOf(input.external);
  const spec = trainStudy(input, dataset);
  const view = createSplitView(dataset, referenceSplit(dataset, DEFAULT_SPLIT_SEED, studyGrouping(dataset, spec)));
  const ids = (indices: readonly number[]): Set<string> => new Set(indices.map((i) => dataset.subjects[i].id));
  let metrics: { val: HybridMetrics; test: HybridMetrics };
  let external: HybridMetrics;
  let backend: unknown = 'cpu (pure TypeScript)';
  let facts: Record<string, unknown> = {};
  if (mechanistic) {
    const fit = fitStudy(view.development, spec);
    const bound = bindStudy(view.development, spec).subjects;
    const scalers = hybridScalers(bound.filter((s) => ids(view.train).has(s.id)));
    const typical = (subjects: ReturnType<typeof bindStudy>['subjects']): HybridMetrics =>
      hybridMetrics(predictTypical(spec, fit.model, subjects), scalers);
    const final = view.finalEvaluation(FINAL_EVALUATION);
    const testIds = new Set(final.test.map((i) => final.dataset.subjects[i].id));
    metrics = {
      val: typical(bound.filter((s) => ids(view.val).has(s.id))),
      test: typical(bindStudy(final.dataset, spec).subjects.filter((s) => testIds.has(s.id))),
    };
    external = typical(bindStudy(other, spec).subjects);
    facts = { structure: { pk: fit.pk?.label ?? null, pd: fit.pd?.label ?? null }, ofv: round(fit.ofv, 3) };
  } else {
    const choice = await useBackend(config.backend);
    backend = { name: choice.backend, adapter: choice.adapter, reason: choice.reason };
    if (config.head === 'mechanistic') {
      const trained = await trainHybrid(view, spec, hybridOptions(config));
      try {
        metrics = { val: trained.validation, test: evaluateHybridFinal(trained.fit.model, view) };
        external = evaluateHybrid(trained.fit.model, other);
        facts = { shifted: trained.fit.model.shifted, inputs: trained.fit.model.inputs.columns };
      } finally {
        disposeHybridModel(trained.fit.model);
      }
    } else {
      const trained = await trainPkPd(view, trainingOptions(config, spec));
      try {
        metrics = { val: trained.validation, test: evaluateFinal(trained.model, view).metrics };
        external = evaluateSubjects(
          trained.model,
          other,
          other.subjects.map((_, i) => i),
        ).metrics;
      } finally {
        disposeModel(trained.model);
      }
    }
  }
  return {
    model: mechanistic ? 'mechanistic' : config.encoder,
    head: mechanistic ? null : config.head,
    // A hybrid model has no mode (one network gives every parameter).
    config: mechanistic
      ? { csv: config.csv, split: 'reference', split_seed: DEFAULT_SPLIT_SEED }
      : { ...config, mode: config.head === 'mechanistic' ? null : config.mode },
    study: spec.name,
    metrics,
    external: { csv: other.fileName, subjects: other.subjects.length, metrics: external },
    ...facts,
    seconds: round((performance.now() - started) / 1000, 2),
    backend,
  };
});
