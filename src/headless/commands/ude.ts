/**
 * Headless command 'ude' { csvText, fileName, decoding?, specText?, specName?, epochs?, backend? } —
 * EXPERIMENTAL (src/model/mechanistic/ude.ts, docs/ude.md): the study's mechanistic model and the same
 * model with a universal-ODE term in its indirect response, fitted on the training subjects of the
 * reference split (src/data/splits; the study as `train` reads it: `trainStudy`) and compared on
 * subjects neither saw. The training subjects are split once more, every fifth (file order) stopping
 * the network early; FOCE-I fits all of them. Printed:
 *   { experimental: true, study, structure, pd_rmse: { mechanistic, ude, subjects, observations } on
 *     the validation subjects, pd_rmse_test: the same on the withheld test subjects (evaluated once, at
 *     the end), periodicity: { intervals, relative_difference, converged, ... } of the trained UDE under
 *     the spec's first non-infusion regimen (default every 24 h) at the training subjects' median dose,
 *     for the validation subjects' typical parameters, training: { epochs, best_epoch, stopped, ... },
 *     seconds, backend }.
 * Predictions are typical (every η = 0), as `evaluate` compares the mechanistic models. The TF.js
 * backend defaults to 'cpu': the UDE's sequential loop is thousands of tiny ops, where the per-op
 * overhead of the other backends costs more than their arithmetic saves (Node: 0.93 s vs 1.3 s on wasm
 * for the same pass).
 */
import { createSplitView, DEFAULT_SPLIT_SEED, referenceSplit } from '../../data/splits/index';
import { studyGrouping } from '../../data/splits/split';
import { FINAL_EVALUATION } from '../../data/splits/view';
import type { ObservedAndPredicted } from '../../model/mechanistic/hybrid-evaluation';
import { typicalValues } from '../../model/mechanistic/hybrid-evaluation';
import { disposeUdeModel, udePeriodicity } from '../../model/mechanistic/ude';
import { fitUde, mechanisticTypical, pdRmse, udeTypical, type UdeFitResult } from '../../model/mechanistic/ude-fit';
import { median } from '../../pkpd/population/parameter-model';
import { isBackendRequest } from '../../platform/compute-backend';
import { bindStudy, type StudySubject } from '../../study/study-data';
import { type DataFileArgs, datasetOf } from '../data-file';
import { registerHeadlessCommand } from '../registry';
import { trainStudy, useBackend } from './train';

export interface UdeArgs extends DataFileArgs {
  specText?: string;
  specName?: string;
  epochs?: number;
  backend?: string;
}

/** Default epochs of the command (one full-batch Adam step each; early stopping usually ends sooner). */
export const UDE_EPOCHS = 150;

const round = (x: number, digits = 4): number | null => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

function comparison(result: UdeFitResult, subjects: readonly StudySubject[]): Record<string, unknown> {
  const count = (p: ObservedAndPredicted | null): number => p?.observed.length ?? 0;
  const ude = udeTypical(result, subjects);
  return {
    mechanistic: round(pdRmse(mechanisticTypical(result, subjects))),
    ude: round(pdRmse(ude)),
    subjects: subjects.filter((s) => s.pd.times.length > 0).map((s) => s.id),
    observations: count(ude),
  };
}

registerHeadlessCommand('ude', async (raw) => {
  const input = raw as UdeArgs;
  const started = performance.now();
  const epochs = input.epochs ?? UDE_EPOCHS;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 2000) throw new Error(`epochs must be an integer from 1 to 2000, got ${epochs}`);
  const request = input.backend ?? 'cpu';
  if (!isBackendRequest(request)) throw new Error(`unknown backend "${request}"`);
  const choice = await useBackend(request);
  const dataset = datasetOf(input);
  const spec = trainStudy(input, dataset);
  const split = referenceSplit(dataset, DEFAULT_SPLIT_SEED, studyGrouping(dataset, spec));
  const view = createSplitView(dataset, split);
  const ids = (indices: readonly number[]): Set<string> => new Set(indices.map((i) => dataset.subjects[i].id));
  const study = bindStudy(view.development, spec);
  const trainIds = [...ids(view.train)].filter((id) => study.subjects.some((s) => s.id === id));
  const result = fitUde(study, {
    trainIds: trainIds.filter((_, i) => i % 5 !== 4),
    stopIds: trainIds.filter((_, i) => i % 5 === 4),
    epochs,
  });
  try {
    const validationIds = ids(view.val);
    const validation = study.subjects.filter((s) => validationIds.has(s.id));
    const final = view.finalEvaluation(FINAL_EVALUATION);
    const testIds = new Set(final.test.map((i) => final.dataset.subjects[i].id));
    const test = bindStudy(final.dataset, spec).subjects.filter((s) => testIds.has(s.id));
    const regimen = spec.questions?.regimens.find((r) => r.route === 'oral' || r.duration === undefined);
    const amounts = study.subjects
      .filter((s) => trainIds.includes(s.id))
      .flatMap((s) => s.segments.flatMap((g) => g.doses.map((d) => d.amount)))
      .filter((a) => a > 0);
    const amount = median(amounts);
    const interval = regimen?.interval ?? 24;
    const route = (regimen?.route ?? result.model.structure.pk.route) === 'oral' ? 'oral' : 'bolus';
    const periodicSubjects = validation.length > 0 ? validation : study.subjects.slice(0, 1);
    const { values } = typicalValues(
      spec,
      result.population,
      periodicSubjects.map((s) => s.covariates),
    );
    const periodic = udePeriodicity(result.model, values, { amount, interval, route }, { maxIntervals: 200 });
    const best = result.history[result.bestEpoch];
    return {
      experimental: true,
      study: spec.name,
      structure: { pk: result.fit.pk?.label ?? null, pd: result.fit.pd?.label ?? null },
      pd_rmse: comparison(result, validation),
      pd_rmse_test: comparison(result, test),
      periodicity: {
        intervals: periodic.intervals,
        relative_difference: round(periodic.relativeDifference, 3),
        converged: periodic.converged,
        tolerance: 1e-3,
        interval,
        amount,
        route,
        subjects: periodicSubjects.map((s) => s.id),
      },
      training: {
        subjects: result.counts,
        epochs_run: result.history.length - 1,
        best_epoch: result.bestEpoch,
        stopped: result.stopped,
        loss_at_start: { train: round(result.history[0].train), stop: round(result.history[0].stop) },
        loss_at_best: { train: round(best.train), stop: round(best.stop) },
        c_ref: round(result.model.cRef),
        max_step: result.model.grid.maxStep,
        split: split.rule,
      },
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
      backend: { name: choice.backend, adapter: choice.adapter, reason: choice.reason },
    };
  } finally {
    disposeUdeModel(result.model);
  }
});
