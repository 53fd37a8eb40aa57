/**
 * Headless dose commands:
 * - 'doses-mechanistic' { csvText, fileName, decoding?, seed?, nVirtual? }: the five questions from the
 *   mechanistic population model fitted to the file;
 * - 'doses-network' { csvText, fileName, decoding?, encoder, mode?, qubits?, layers?, seed?, nVirtual?, epochs? }:
 *   trains the network as the `train` command does on the reference split (early stopping on the
 *   validation subjects; test subjects never read) and answers the five questions with it. `seed`
 *   seeds both the training and the virtual population.
 */
import { maxOf } from '../../data/min-max';
import { createSplitView, referenceSplit } from '../../data/splits/index';
import { answerFiveQuestions, type DoseResponseCurve, toHeadlessAnswers } from '../../dose/five-questions';
import { answerNetworkDoseQuestions } from '../../dose/network-questions';
import { disposeModel, trainPkPd } from '../../model/index';
import { type DataFileArgs, datasetOf } from '../data-file';
import { registerHeadlessCommand } from '../registry';
import { trainConfig, trainingOptions, useBackend } from './train';

interface DosesArgs extends DataFileArgs {
  seed?: number;
  nVirtual?: number;
}

interface NetworkDosesArgs extends DosesArgs {
  encoder: string;
  mode?: string;
  qubits?: number;
  layers?: number;
  epochs?: number;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** Per scenario × regimen: the doses evaluated, and the highest success fraction among them with its smallest dose (why a target was not reached). */
function curveSummaries(curves: readonly DoseResponseCurve[]): unknown[] {
  return curves.map((c) => {
    const best = c.points.reduce((a, p) => (p.fraction > a.fraction ? p : a), c.points[0]);
    return {
      scenario: c.scenario,
      regimen: c.regimen,
      doses_evaluated: c.points.length,
      highest_dose_mg: maxOf(c.points.map((p) => p.dose)),
      best_fraction: best ? round(best.fraction, 4) : null,
      best_at_mg: best ? best.dose : null,
    };
  });
}

/** The five dose questions answered by the mechanistic population model fitted to the file. */
registerHeadlessCommand('doses-mechanistic', async (args) => {
  const input = args as DosesArgs;
  const result = await answerFiveQuestions(datasetOf(input), { seed: input.seed, nVirtual: input.nVirtual });
  const fit = result.fit;
  return {
    model: 'mechanistic',
    pk_compartments: fit.pk.options.compartments,
    answers: toHeadlessAnswers(result),
    curves: curveSummaries(result.curves),
    seconds: Number(result.timing.totalSeconds.toFixed(2)),
    timing_seconds: result.timing,
    settings: { n_virtual: result.settings.nVirtual, seed: result.settings.seed, threshold: result.settings.threshold },
    backend: 'cpu (pure TypeScript, headless Chromium main thread)',
  };
});

/** The five dose questions answered by a network trained on the file's reference split. */
registerHeadlessCommand('doses-network', async (args) => {
  const input = args as NetworkDosesArgs;
  const { seed, nVirtual } = input;
  const config = trainConfig({ ...input, split: 'reference' });
  const started = performance.now();
  const dataset = datasetOf(input);
  const choice = await useBackend(config.backend);
  const view = createSplitView(dataset, referenceSplit(dataset, config.split_seed));
  const trained = await trainPkPd(view, trainingOptions(config));
  const trainedAt = performance.now();
  try {
    const result = await answerNetworkDoseQuestions(trained.model, view.development, { seed, nVirtual, trainingSubjects: view.train });
    const checks = result.answers.flatMap((a) => (a.steadyState ? [a.steadyState] : []));
    return {
      model: config.encoder,
      config,
      answers: toHeadlessAnswers(result),
      curves: curveSummaries(result.curves),
      seconds: round((performance.now() - started) / 1000, 2),
      timing_seconds: { train: round((trainedAt - started) / 1000, 2), questions: round(result.seconds, 2) },
      backend: { name: choice.backend, adapter: choice.adapter, reason: choice.reason },
      metrics: { val: trained.validation },
      settings: {
        n_virtual: result.settings.nVirtual,
        seed: result.settings.seed,
        threshold: result.settings.threshold,
        grid_step: result.settings.gridStep,
      },
      plans: result.plans,
      steady_state: {
        method: checks[0]?.method ?? null,
        ok: checks.filter((c) => c.ok).length,
        checked: checks.length,
        worst_relative_difference: checks.length > 0 ? maxOf(checks.map((c) => c.worstRelativeDifference)) : null,
      },
      extrapolation: result.extrapolation.map((e) => ({
        scenario: e.scenario,
        regimen: e.regimen,
        dose_mg: e.dose,
        furthest: e.features.slice(0, 5).map((f) => ({ feature: `${f.branch}:${f.feature}`, beyond_range_widths: round(f.beyond, 3) })),
      })),
    };
  } finally {
    disposeModel(trained.model);
  }
});
