/**
 * The challenge's five dose questions in their original settings — scenario (BW range × COMED
 * share) × target × regimen (daily, weekly oral doses), PD below a threshold throughout the last
 * interval — translated into a study's questions and answered by the engine of dose-questions.ts.
 * A compatibility layer for what still speaks in these settings: the Doses tab and its worker, and
 * the network simulator (network-questions.ts), until they move onto the study spec. New code uses
 * dose-questions.ts and study-questions.ts (the EstData preset, public/demo/EstData.study.json, asks
 * the same questions).
 *
 * `answerFiveQuestions` fits the EstData-only mechanistic model (`fitPkpd`, whose fit summary and
 * diagnostics the Doses tab shows) and answers with its simulator (mechanistic-simulator.ts); the
 * same numbers as `answerStudyDoseQuestions` on the preset (dose-questions.test.ts).
 */
import type { Dataset } from '../data/types';
import { fitPkpd, type PkpdFitOptions, type PkpdFitResult } from '../pkpd/pkpd-fit';
import type { PopulationModel } from '../pkpd/population-model';
import { createRng } from '../pkpd/random';
import type { QuestionsSpec, ScenarioSpec as StudyScenarioSpec } from '../study/study-spec';
import { belowThroughout, DEFAULT_THRESHOLD } from './criterion';
import {
  addParameterUncertainty as addUncertainty,
  answerDoseQuestions as answerStudyQuestions,
  type AnswerUncertainty,
  type DoseAnswer as StudyDoseAnswer,
  type DoseControl,
  type DoseProgress,
  type DoseQuestionsResult as StudyQuestionsResult,
  type DoseResponseCurve,
  type UncertaintySummary,
} from './dose-questions';
import type { MonotonicityReport } from './dose-response';
import { DoseSettingsError } from './errors';
import type { NeighbourCheck } from './grid-search';
import type { MctsOptions } from './mcts';
import { MechanisticPdSimulator, type MechanisticSimulatorOptions } from './mechanistic-simulator';
import { drawPopulationModel } from './parameter-uncertainty';
import type { SteadyStateCheck, SteadyStateSimulator } from './steady-state';
import { datasetComedShare } from './virtual-population';

export type { DoseProgress, DoseResponseCurve, UncertaintySummary, AnswerUncertainty };
export type DoseQuestionControl = DoseControl;

export interface ScenarioSpec {
  name: string;
  bwRange: [number, number];
  /** COMED probability, or 'trial' for the trial's share. */
  comedShare: number | 'trial';
}

export interface RegimenSpec {
  name: string;
  /** Dosing interval (h). */
  interval: number;
  /** Dose step of the grid (mg). */
  step: number;
  /** Largest dose of the initial grid (mg); doubled up to `maxExtensions` times if the target is not reached. */
  max: number;
}

export const DEFAULT_SCENARIOS: ScenarioSpec[] = [
  { name: 'base', bwRange: [50, 100], comedShare: 'trial' },
  { name: 'bw70_140', bwRange: [70, 140], comedShare: 'trial' },
  { name: 'no_comed', bwRange: [50, 100], comedShare: 0 },
];

export const DEFAULT_REGIMENS: RegimenSpec[] = [
  { name: 'daily', interval: 24, step: 0.5, max: 30 },
  { name: 'weekly', interval: 168, step: 5, max: 300 },
];

export const DEFAULT_TARGETS = [0.9, 0.75];

export interface DoseQuestionOptions {
  /** Virtual subjects per scenario (default 1000). */
  nVirtual?: number;
  /** Seed of the virtual population (default 1). */
  seed?: number;
  /** PD threshold (ng/mL, default 3.3). */
  threshold?: number;
  targets?: number[];
  scenarios?: ScenarioSpec[];
  regimens?: RegimenSpec[];
  /** The trial's COMED share, used by scenarios with comedShare 'trial' (default 0.5). */
  trialComedShare?: number;
  /** Output grid of the last interval (h, default 0.25; at most 0.5). */
  gridStep?: number;
  /** Which search gives the answer (default 'bisection'); the other is reported beside it. */
  method?: 'bisection' | 'mcts';
  /** MCTS settings, or false to skip it (only with method 'bisection'). */
  mcts?: MctsOptions | false;
  /** 'full' (default): every grid dose up to the grid's end for the curve; 'search': only what the searches evaluated. */
  curve?: 'full' | 'search';
  /** Doublings of a regimen's grid maximum when the highest target is not reached (default 2). */
  maxExtensions?: number;
  /** Check steady state at each answer (default true). */
  checkSteadyState?: boolean;
}

export interface DoseAnswer {
  scenario: string;
  target: number;
  regimen: string;
  /** Smallest grid dose whose success fraction reaches the target; null when none up to the grid's end does. */
  dose_mg: number | null;
  fraction: number | null;
  /** Wilson 95% interval of the fraction at the answer (Monte-Carlo error). */
  ci: [number, number] | null;
  reached: boolean;
  method: 'bisection' | 'mcts';
  bisection: { dose_mg: number | null; evaluations: number };
  mcts: { dose_mg: number | null; certified: boolean; iterations: number; evaluations: number } | null;
  /** Bisection and MCTS give the same dose (true when MCTS was skipped). */
  searchesAgree: boolean;
  neighbours: NeighbourCheck;
  /** Of the whole scenario × regimen dose–response (every evaluated dose). */
  monotonicity: MonotonicityReport;
  steadyState: SteadyStateCheck | null;
  /** Spread of the answer over models drawn from the fit's uncertainty. */
  uncertainty?: AnswerUncertainty;
}

export interface DoseQuestionsResult {
  simulator: string;
  answers: DoseAnswer[];
  curves: DoseResponseCurve[];
  settings: Required<Omit<DoseQuestionOptions, 'mcts'>> & { mcts: MctsOptions | false };
  seconds: number;
}

export function settingsOf(options: DoseQuestionOptions): DoseQuestionsResult['settings'] {
  const s = {
    nVirtual: options.nVirtual ?? 1000,
    seed: options.seed ?? 1,
    threshold: options.threshold ?? DEFAULT_THRESHOLD,
    targets: options.targets ?? DEFAULT_TARGETS,
    scenarios: options.scenarios ?? DEFAULT_SCENARIOS,
    regimens: options.regimens ?? DEFAULT_REGIMENS,
    trialComedShare: options.trialComedShare ?? 0.5,
    gridStep: options.gridStep ?? 0.25,
    method: options.method ?? 'bisection',
    mcts: options.mcts ?? {},
    curve: options.curve ?? 'full',
    maxExtensions: options.maxExtensions ?? 2,
    checkSteadyState: options.checkSteadyState ?? true,
  };
  if (!(s.gridStep > 0 && s.gridStep <= 0.5)) throw new DoseSettingsError(`The grid step must lie in (0, 0.5] h, got ${s.gridStep}.`);
  if (!(s.threshold > 0)) throw new DoseSettingsError(`The PD threshold must be positive, got ${s.threshold}.`);
  return s;
}

/** A challenge scenario as a study scenario: BW uniform over its range, COMED with its share. */
export function challengeScenario(scenario: ScenarioSpec, trialComedShare: number): StudyScenarioSpec {
  const [lo, hi] = scenario.bwRange;
  if (!(lo > 0 && hi >= lo)) throw new DoseSettingsError(`The body-weight range must be positive and ordered, got ${lo}–${hi} kg.`);
  const share = scenario.comedShare === 'trial' ? trialComedShare : scenario.comedShare;
  return { name: scenario.name, covariates: { BW: { uniform: [lo, hi] }, COMED: { share } } };
}

/** The challenge's settings as a study's questions (PD below the threshold throughout; oral regimens). */
export function challengeQuestions(settings: DoseQuestionsResult['settings']): QuestionsSpec {
  return {
    endpoint: 'pd',
    criterion: belowThroughout(settings.threshold),
    targets: settings.targets,
    regimens: settings.regimens.map((r) => ({ name: r.name, interval: r.interval, route: 'oral', step: r.step, max: r.max })),
    scenarios: settings.scenarios.map((s) => challengeScenario(s, settings.trialComedShare)),
    virtualSubjects: settings.nVirtual,
    seed: settings.seed,
  };
}

function challengeAnswer(a: StudyDoseAnswer): DoseAnswer {
  const answer: DoseAnswer = {
    scenario: a.scenario,
    target: a.target,
    regimen: a.regimen,
    dose_mg: a.dose,
    fraction: a.fraction,
    ci: a.ci,
    reached: a.reached,
    method: a.method === 'mcts' ? 'mcts' : 'bisection',
    bisection: { dose_mg: a.search.dose, evaluations: a.search.evaluations },
    mcts: a.mcts
      ? { dose_mg: a.mcts.dose, certified: a.mcts.certified, iterations: a.mcts.iterations, evaluations: a.mcts.evaluations }
      : null,
    searchesAgree: a.searchesAgree,
    neighbours: a.neighbours,
    monotonicity: a.monotonicity,
    steadyState: a.steadyState,
  };
  if (a.uncertainty) answer.uncertainty = a.uncertainty;
  return answer;
}

/** The engine's result in the challenge's shape. */
export function challengeResult(result: StudyQuestionsResult, settings: DoseQuestionsResult['settings']): DoseQuestionsResult {
  return {
    simulator: result.simulator,
    answers: result.answers.map(challengeAnswer),
    curves: result.curves,
    settings,
    seconds: result.seconds,
  };
}

/** Answers the challenge's dose questions with any steady-state PD simulator (oral doses, hours, mg). */
export async function answerDoseQuestions(
  simulator: SteadyStateSimulator,
  options: DoseQuestionOptions = {},
  control: DoseQuestionControl = {},
): Promise<DoseQuestionsResult> {
  const settings = settingsOf(options);
  const result = await answerStudyQuestions(simulator, challengeQuestions(settings), engineOptions(settings), control);
  return challengeResult(result, settings);
}

function engineOptions(settings: DoseQuestionsResult['settings']) {
  return {
    units: { time: 'h' as const, amount: 'mg' as const, endpoint: 'ng/mL' },
    gridStep: settings.gridStep,
    method: settings.method,
    mcts: settings.mcts,
    curve: settings.curve,
    maxExtensions: settings.maxExtensions,
    checkSteadyState: settings.checkSteadyState,
  };
}

/** The dose questions for a known EstData-only population model (e.g. the truth of a simulation study). */
export function answerFiveQuestionsForModel(
  model: PopulationModel,
  options: DoseQuestionOptions & { simulator?: MechanisticSimulatorOptions } = {},
  control: DoseQuestionControl = {},
): Promise<DoseQuestionsResult> {
  return answerDoseQuestions(new MechanisticPdSimulator(model, options.simulator), options, control);
}

export interface UncertaintyOptions {
  /** Models drawn from the fit's covariance (default 20 in answerFiveQuestions; 0 for no band). */
  replicates?: number;
  seed?: number;
}

export interface FiveQuestionsResult extends DoseQuestionsResult {
  model: PopulationModel;
  fit: PkpdFitResult;
  uncertainty: UncertaintySummary;
  timing: { fitSeconds: number; questionsSeconds: number; uncertaintySeconds: number; totalSeconds: number };
}

export interface FiveQuestionsOptions extends DoseQuestionOptions {
  fit?: PkpdFitOptions;
  simulator?: MechanisticSimulatorOptions;
  uncertainty?: UncertaintyOptions;
}

const UNCERTAINTY_NOTE =
  'fixed effects and between-subject SDs drawn jointly from each fit’s covariance (PK and PD draws independent); same virtual subjects';

/**
 * Fits the EstData-only mechanistic population PK/PD model to a dataset (fitPkpd) and answers the
 * dose questions from it, with parameter-uncertainty bands from 20 models drawn from the fit's
 * covariance (options.uncertainty.replicates; 0 turns them off). The trial's COMED share comes from
 * the dataset unless given.
 */
export async function answerFiveQuestions(
  dataset: Dataset,
  options: FiveQuestionsOptions = {},
  control: DoseQuestionControl = {},
): Promise<FiveQuestionsResult> {
  const started = performance.now();
  const fit = fitPkpd(dataset, options.fit ?? {}, {
    signal: control.signal,
    onProgress: (p) =>
      control.onProgress?.({ stage: 'fit', done: p.iteration, total: 0, message: `${p.stage}, iteration ${p.iteration}`, fit: p }),
  });
  const fitted = performance.now();
  const settings = settingsOf({ ...options, trialComedShare: options.trialComedShare ?? datasetComedShare(dataset) });
  const result = await answerStudyQuestions(
    new MechanisticPdSimulator(fit.model, options.simulator),
    challengeQuestions(settings),
    engineOptions(settings),
    control,
  );
  const answered = performance.now();
  const requested = options.uncertainty?.replicates ?? 20;
  const rng = createRng(options.uncertainty?.seed ?? settings.seed + 7919);
  const replicates: MechanisticPdSimulator[] = [];
  for (let r = 0; r < requested; r++) {
    const model = drawPopulationModel(fit, rng);
    if (model) replicates.push(new MechanisticPdSimulator(model, options.simulator));
  }
  const uncertainty = addUncertainty(result, replicates, requested, UNCERTAINTY_NOTE, {}, control);
  const finished = performance.now();
  return {
    ...challengeResult(result, settings),
    model: fit.model,
    fit,
    uncertainty,
    timing: {
      fitSeconds: (fitted - started) / 1000,
      questionsSeconds: (answered - fitted) / 1000,
      uncertaintySeconds: (finished - answered) / 1000,
      totalSeconds: (finished - started) / 1000,
    },
  };
}
