/**
 * Headless dose commands:
 * - 'doses-mechanistic' { csvText, fileName, decoding?, specText?, specName?, seed?, nVirtual? }: the
 *   dose questions of the study spec (its `questions`: scenario and regimen names, criterion, targets,
 *   units) answered from the population model the spec describes, fitted to the file
 *   (src/dose/study-questions.ts), with 20-draw parameter-uncertainty bands; on more than one thread
 *   (`--threads N`, else the cores) the virtual subjects and the replicates are simulated on a pool of
 *   workers (workers/dose-pool.ts), with the same numbers. Without a spec, the
 *   EstData preset (public/demo/EstData.study.json) — the challenge's five questions, as before. The
 *   inputs are read by doses-inputs.ts, which the Node runner also uses to refuse bad inputs before
 *   it starts a browser.
 * - 'doses-network' { csvText, fileName, decoding?, specText?, specName?, encoder, mode?, qubits?, layers?, seed?, nVirtual?, epochs? }:
 *   trains the network as the `train` command does on the reference split (early stopping on the
 *   validation subjects; test subjects never read) and answers the study's questions with it through
 *   the engine every model uses (src/dose/network-questions.ts `answerNetworkStudyQuestions`);
 *   without a spec, the EstData preset's five questions. `seed` seeds both the training and the
 *   virtual population.
 * - 'doses-hybrid' { as doses-network }: a hybrid model (the encoder as the covariate model of the
 *   study's mechanistic model, src/model/mechanistic) fitted on the reference split's development
 *   subjects, its questions answered by the study engine as the mechanistic model's are (the network
 *   runs once per virtual subject; steady state exact; every regimen of the spec, infusions
 *   included), with 20-draw parameter-uncertainty bands (θ, Ω; the network held).
 */
import { maxOf } from '../../data/min-max';
import { createSplitView, referenceSplit } from '../../data/splits/index';
import { studyGrouping } from '../../data/splits/split';
import { answersReport, curveSummaries, resultsDigest } from '../../dose/answers-report';
import { type DoseAnswer, type DoseQuestionsResult, toHeadlessAnswers } from '../../dose/dose-questions';
import type { QuestionsSpec } from '../../study/study-spec';
import { answerNetworkStudyQuestions } from '../../dose/network-questions';
import { answerFittedStudyQuestions, answerStudyDoseQuestions } from '../../dose/study-questions';
import { disposeModel, trainPkPd } from '../../model/index';
import { disposeHybridModel, hybridDerivedCovariates } from '../../model/mechanistic/hybrid-model';
import { trainHybrid } from '../../model/mechanistic/hybrid-run';
import { sharedDosePool } from '../../../workers/dose-pool';
import { sharedFitPool } from '../../../workers/fit-pool';
import { type DataFileArgs, datasetOf } from '../data-file';
import { registerHeadlessCommand } from '../registry';
import { type DosesInputArgs, readDosesInputs } from './doses-inputs';
import { hybridOptions, trainConfig, trainingOptions, useBackend } from './train';

interface DosesArgs extends DataFileArgs {
  seed?: number;
  nVirtual?: number;
}

type StudyDosesArgs = DosesArgs & DosesInputArgs;

interface NetworkDosesArgs extends DosesArgs, DosesInputArgs {
  encoder: string;
  mode?: string;
  qubits?: number;
  layers?: number;
  epochs?: number;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** The seed and virtual-subject count given on the command line, as changes to the spec's questions. */
function questionChanges(input: Pick<DosesArgs, 'seed' | 'nVirtual'>): Partial<QuestionsSpec> {
  return {
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    ...(input.nVirtual !== undefined ? { virtualSubjects: input.nVirtual } : {}),
  };
}

/** The run settings every dose report prints (each adds its grid steps). */
function runSettings(result: Pick<DoseQuestionsResult, 'settings' | 'endpoint' | 'criterion'>): Record<string, unknown> {
  return {
    n_virtual: result.settings.questions.virtualSubjects,
    seed: result.settings.questions.seed,
    endpoint: result.endpoint,
    criterion: result.criterion,
  };
}

/** The answers' steady-state checks in one line of the report. */
function steadyStateSummary(answers: readonly Pick<DoseAnswer, 'steadyState'>[]): Record<string, unknown> {
  const checks = answers.flatMap((a) => (a.steadyState ? [a.steadyState] : []));
  return {
    method: checks[0]?.method ?? null,
    ok: checks.filter((c) => c.ok).length,
    checked: checks.length,
    worst_relative_difference: checks.length > 0 ? maxOf(checks.map((c) => c.worstRelativeDifference)) : null,
  };
}

/** The study's dose questions answered by the population model fitted to the file (the preset's for EstData). */
registerHeadlessCommand('doses-mechanistic', async (args) => {
  const input = args as StudyDosesArgs;
  // On more than one thread the fit workers start while the inputs are read, as the fit command's.
  const fitPool = sharedFitPool();
  const { spec, source } = readDosesInputs(input);
  const pool = sharedDosePool();
  const result = await answerStudyDoseQuestions(
    datasetOf(input),
    spec,
    { questions: questionChanges(input) },
    { pool, fitStudy: fitPool ? (d, s, c) => fitPool.fitStudy(d, s, c) : undefined },
  ).finally(() => pool?.release());
  const { fit } = result;
  return {
    model: 'mechanistic',
    study: spec.name,
    spec: source,
    structure: { pk: fit.pk?.label ?? `${fit.model.pk.route} ${fit.model.pk.compartments}-compartment (fixed)`, pd: fit.pd?.label ?? null },
    pk_compartments: fit.model.pk.compartments,
    question: result.question,
    units: result.units,
    answers: answersReport(result),
    curves: curveSummaries(result),
    notes: [...result.notes, ...fit.notes],
    uncertainty: result.uncertainty,
    seconds: round(result.timing.totalSeconds, 2),
    timing_seconds: {
      fit: round(result.timing.fitSeconds, 2),
      questions: round(result.timing.questionsSeconds, 2),
      uncertainty: round(result.timing.uncertaintySeconds, 2),
    },
    settings: {
      ...runSettings(result),
      grid_steps: result.settings.gridSteps,
    },
    backend: fitPool
      ? `cpu (pure TypeScript: the fit split by subject across ${fitPool.size} fit workers, the simulations on the dose workers)`
      : 'cpu (pure TypeScript, headless Chromium main thread)',
    dose_workers: pool ? pool.size : 0,
    fit_workers: fitPool ? fitPool.size : 0,
    results_digest: resultsDigest(result),
  };
});

/** The study's dose questions (the preset's for EstData) answered by a network trained on the file's reference split. */
registerHeadlessCommand('doses-network', async (args) => {
  const input = args as NetworkDosesArgs;
  const { spec, source } = readDosesInputs(input);
  const config = trainConfig({ ...input, split: 'reference' });
  const started = performance.now();
  const dataset = datasetOf(input);
  const choice = await useBackend(config.backend);
  const view = createSplitView(dataset, referenceSplit(dataset, config.split_seed, studyGrouping(dataset, spec)));
  const trained = await trainPkPd(view, trainingOptions(config, spec));
  const trainedAt = performance.now();
  try {
    const result = await answerNetworkStudyQuestions(trained.model, view.development, spec, {
      questions: questionChanges(input),
      trainingSubjects: view.train,
    });
    const gridSteps = [...new Set(Object.values(result.settings.gridSteps))];
    return {
      model: config.encoder,
      study: spec.name,
      spec: source,
      config,
      question: result.question,
      units: result.units,
      answers: toHeadlessAnswers(result),
      curves: curveSummaries(result),
      seconds: round((performance.now() - started) / 1000, 2),
      timing_seconds: { train: round((trainedAt - started) / 1000, 2), questions: round(result.seconds, 2) },
      backend: { name: choice.backend, adapter: choice.adapter, reason: choice.reason },
      metrics: { val: trained.validation },
      settings: {
        ...runSettings(result),
        grid_step: gridSteps.length === 1 ? gridSteps[0] : result.settings.gridSteps,
      },
      plans: result.plans,
      steady_state: steadyStateSummary(result.answers),
      extrapolation: result.extrapolation.map((e) => ({
        scenario: e.scenario,
        regimen: e.regimen,
        dose: e.dose,
        ...(result.units.amount === 'mg' ? { dose_mg: e.dose } : {}),
        furthest: e.features.slice(0, 5).map((f) => ({ feature: `${f.branch}:${f.feature}`, beyond_range_widths: round(f.beyond, 3) })),
      })),
    };
  } finally {
    disposeModel(trained.model);
  }
});

/** The study's dose questions (the preset's for EstData) answered by a hybrid model fitted on the file's reference split. */
registerHeadlessCommand('doses-hybrid', async (args) => {
  const input = args as NetworkDosesArgs;
  const { spec, source } = readDosesInputs(input);
  const config = trainConfig({ ...input, split: 'reference', head: 'mechanistic' });
  const started = performance.now();
  const dataset = datasetOf(input);
  const choice = await useBackend(config.backend);
  const view = createSplitView(dataset, referenceSplit(dataset, config.split_seed, studyGrouping(dataset, spec)));
  const trained = await trainHybrid(view, spec, hybridOptions(config));
  const { model } = trained.fit;
  const trainedAt = performance.now();
  try {
    const pool = sharedDosePool();
    const result = await answerFittedStudyQuestions(
      trained.fit.fit,
      model.spec,
      { questions: questionChanges(input), simulator: { derived: hybridDerivedCovariates(model) } },
      { pool },
    ).finally(() => pool?.release());
    return {
      model: config.encoder,
      head: 'mechanistic',
      study: spec.name,
      spec: source,
      config: { ...config, mode: null },
      structure: { pk: trained.fit.fit.pk?.label ?? null, pd: trained.fit.fit.pd?.label ?? null },
      shifted: model.shifted,
      inputs: model.inputs.columns,
      question: result.question,
      units: result.units,
      answers: answersReport(result),
      curves: curveSummaries(result),
      notes: [...result.notes, ...trained.fit.notes],
      uncertainty: result.uncertainty,
      seconds: round((performance.now() - started) / 1000, 2),
      timing_seconds: {
        train: round((trainedAt - started) / 1000, 2),
        questions: round(result.timing.questionsSeconds, 2),
        uncertainty: round(result.timing.uncertaintySeconds, 2),
      },
      backend: { name: choice.backend, adapter: choice.adapter, reason: choice.reason },
      metrics: { val: trained.validation },
      settings: {
        ...runSettings(result),
        grid_steps: result.settings.gridSteps,
      },
      steady_state: steadyStateSummary(result.answers),
    };
  } finally {
    disposeHybridModel(model);
  }
});
