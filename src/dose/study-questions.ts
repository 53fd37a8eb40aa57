/**
 * A study's dose questions from its data: the population model the spec describes is fitted
 * (src/pkpd/population `fitStudy`), and the spec's `questions` are answered from the fit
 * (dose-questions.ts) on virtual subjects whose left-out covariates are resampled from the trial's
 * subjects, with parameter-uncertainty bands from models drawn from the fit's covariance (20 by
 * default). `answerStudyQuestionsForModel` answers them from a known model — the truth of a
 * simulation study — on the same virtual subjects.
 *
 * With a pool (`StudyDoseControl.pool`, dose-pool.ts), the virtual subjects are simulated in ranges on
 * its workers and the replicates run in parallel, with the same numbers; without one (or a pool of
 * one), everything runs in this thread.
 */
import type { Dataset } from '../data/types';
import { fitStudy, type StudyFitControl, type StudyFitResult, type StudyPopulationModel } from '../pkpd/population/fit-study';
import { createRng } from '../pkpd/random';
import type { QuestionsSpec, StudySpec } from '../study/study-spec';
import {
  addParameterUncertainty,
  answerDoseQuestions,
  type DoseControl,
  type DoseEngineOptions,
  type DoseQuestionsResult,
  type UncertaintySummary,
} from './dose-questions';
import { PooledStudySimulator, replicateRunner, type DoseJobRunner } from './dose-pool';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { drawStudyModel } from './parameter-uncertainty';
import { StudyDoseSimulator, type StudySimulatorOptions } from './study-simulator';
import { trialCovariates, type TrialCovariates } from './virtual-population';

export interface StudyDoseOptions extends Omit<DoseEngineOptions, 'units' | 'trial'> {
  /** Replaces parts of the spec's questions (e.g. virtualSubjects, seed). */
  questions?: Partial<QuestionsSpec>;
  simulator?: StudySimulatorOptions;
  /** Models drawn from the fit's covariance for the bands (default 20; 0: none). */
  uncertainty?: { replicates?: number; seed?: number };
}

export interface StudyDoseControl extends DoseControl {
  /** Workers for the simulations (dose-pool.ts); absent or of size 1: this thread. */
  pool?: DoseJobRunner | null;
  /** Fits the study elsewhere (a pool of fit workers, workers/fit-pool.ts, with the same results); absent: `fitStudy` in this thread. */
  fitStudy?: (dataset: Dataset, spec: StudySpec, control: StudyFitControl) => Promise<StudyFitResult>;
}

export interface StudyDoseResult extends DoseQuestionsResult {
  fit: StudyFitResult;
  model: StudyPopulationModel;
  uncertainty: UncertaintySummary;
  timing: { fitSeconds: number; questionsSeconds: number; uncertaintySeconds: number; totalSeconds: number };
}

/** The spec's questions with the caller's replacements; a DoseSettingsError when the spec has none. */
export function studyQuestions(spec: StudySpec, replace: Partial<QuestionsSpec> = {}): QuestionsSpec {
  if (!spec.questions) {
    throw new DoseSettingsError(
      `The study spec "${spec.name}" asks no dose questions: add a "questions" section (endpoint, criterion, targets, regimens, scenarios).`,
    );
  }
  return { ...spec.questions, ...replace };
}

/** The units the answers are given in, from the spec. */
export function studyUnits(spec: StudySpec, endpoint: 'pk' | 'pd'): NonNullable<DoseEngineOptions['units']> {
  return { time: spec.units.time, amount: spec.units.amount, endpoint: endpoint === 'pk' ? spec.units.concentration : spec.units.response };
}

const UNCERTAINTY_NOTE =
  'typical values, covariate effects and between-subject SDs drawn jointly from each stage’s covariance (PK and PD draws independent); same virtual subjects';

/** Fits the study and answers its dose questions (see the file comment). */
export async function answerStudyDoseQuestions(
  dataset: Dataset,
  spec: StudySpec,
  options: StudyDoseOptions = {},
  control: StudyDoseControl = {},
): Promise<StudyDoseResult> {
  const started = performance.now();
  studyQuestions(spec, options.questions);
  const fitControl: StudyFitControl = {
    signal: control.signal,
    onProgress: (p) =>
      control.onProgress?.({ stage: 'fit', done: p.iteration, total: 0, message: `${p.stage}, iteration ${p.iteration}`, fit: p }),
  };
  const fit = control.fitStudy ? await control.fitStudy(dataset, spec, fitControl) : fitStudy(dataset, spec, fitControl);
  const fitSeconds = (performance.now() - started) / 1000;
  const result = await answerFittedStudyQuestions(fit, spec, options, control);
  return { ...result, timing: { ...result.timing, fitSeconds, totalSeconds: result.timing.totalSeconds + fitSeconds } };
}

/**
 * A fitted study's dose questions (the fit's `fitSeconds` is 0 here): virtual subjects' left-out
 * covariates resampled from the fit's subjects, bands from models drawn from the fit's covariance.
 * A hybrid model passes its network as derived covariates in `options.simulator`.
 */
export async function answerFittedStudyQuestions(
  fit: StudyFitResult,
  spec: StudySpec,
  options: StudyDoseOptions = {},
  control: StudyDoseControl = {},
): Promise<StudyDoseResult> {
  const pool = control.pool && control.pool.size > 1 ? control.pool : null;
  try {
    return await answerFitted(fit, spec, options, control, pool);
  } catch (error) {
    // Cancelled between jobs: the pool's workers are idle, and end all the same.
    if (pool && error instanceof DoseSearchCancelledError) pool.cancel(error);
    throw error;
  }
}

async function answerFitted(
  fit: StudyFitResult,
  spec: StudySpec,
  options: StudyDoseOptions,
  control: DoseControl,
  pool: DoseJobRunner | null,
): Promise<StudyDoseResult> {
  const started = performance.now();
  const questions = studyQuestions(spec, options.questions);
  const derived = new Set(options.simulator?.derived?.outputs ?? []);
  const trial = trialCovariates(
    fit.study.subjects.map((s) => ({ covariates: Object.fromEntries(Object.entries(s.covariates).filter(([c]) => !derived.has(c))) })),
  );
  const simulator = new StudyDoseSimulator(spec, fit.model, questions.endpoint, options.simulator);
  const result = await answerDoseQuestions(
    pool ? new PooledStudySimulator(simulator, pool) : simulator,
    questions,
    { ...options, units: studyUnits(spec, questions.endpoint), trial },
    control,
  );
  const answered = performance.now();
  const requested = options.uncertainty?.replicates ?? 20;
  const rng = createRng(options.uncertainty?.seed ?? questions.seed + 7919);
  const replicates: StudyDoseSimulator[] = [];
  for (let r = 0; r < requested; r++) {
    const model = drawStudyModel(fit, rng);
    if (model) replicates.push(new StudyDoseSimulator(spec, model, questions.endpoint, options.simulator));
  }
  const uncertainty = await addParameterUncertainty(
    result,
    replicates,
    requested,
    UNCERTAINTY_NOTE,
    { trial, ...(pool ? { runReplicate: replicateRunner(pool, replicates, simulator, control.signal) } : {}) },
    control,
  );
  const finished = performance.now();
  return {
    ...result,
    fit,
    model: fit.model,
    uncertainty,
    timing: {
      fitSeconds: 0,
      questionsSeconds: (answered - started) / 1000,
      uncertaintySeconds: (finished - answered) / 1000,
      totalSeconds: (finished - started) / 1000,
    },
  };
}

/**
 * The questions answered from a known model of the study (e.g. the truth of a simulation), on the
 * virtual subjects of `trial` (the same subjects as a fit of that trial's data gets).
 */
export async function answerStudyQuestionsForModel(
  spec: StudySpec,
  model: StudyPopulationModel,
  options: StudyDoseOptions & { trial?: TrialCovariates } = {},
  control: DoseControl = {},
): Promise<DoseQuestionsResult> {
  const questions = studyQuestions(spec, options.questions);
  const simulator = new StudyDoseSimulator(spec, model, questions.endpoint, options.simulator);
  return await answerDoseQuestions(simulator, questions, { ...options, units: studyUnits(spec, questions.endpoint) }, control);
}
