/**
 * The challenge's dose questions as one table: scenario (base: BW 50–100 kg and COMED at the trial's
 * share; bw70_140; no_comed) × target (90%, 75% of subjects with PD < 3.3 ng/mL throughout the last
 * interval at steady state) × regimen (daily in 0.5 mg steps, weekly in 5 mg steps). Every setting
 * can be changed. Pure and worker-ready: progress callback, cancel signal, no DOM.
 *
 * Per scenario × regimen, one virtual population (the same subjects — common random numbers — in
 * every scenario, at every dose and for every model) and one memoised dose–response; per target,
 * bisection on the dose grid (the answer) with its neighbours checked, MCTS on the same grid
 * (reported beside it, or the answer when `method: 'mcts'`), then the whole grid for the
 * dose–response curve and its monotonicity, and the steady-state check at the answer.
 */
import type { Dataset } from '../data/types';
import type { FitProgress } from '../pkpd/foce';
import { answerSpread, bandPoint } from './percentiles';
import { fitPkpd, type PkpdFitOptions, type PkpdFitResult } from '../pkpd/pkpd-fit';
import type { PopulationModel } from '../pkpd/population-model';
import { createRng } from '../pkpd/random';
import { DEFAULT_THRESHOLD } from './criterion';
import { DoseResponse, type DosePoint, type MonotonicityReport } from './dose-response';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { bisectDoseGrid, checkNeighbours, doseGrid, type NeighbourCheck } from './grid-search';
import { mctsDoseGrid, type MctsOptions } from './mcts';
import { MechanisticPdSimulator, type MechanisticSimulatorOptions } from './mechanistic-simulator';
import { drawPopulationModel } from './parameter-uncertainty';
import type { CancelSignal, PdSimulator, SteadyStateCheck } from './pd-simulator';
import { datasetComedShare, drawPopulation, type VirtualPopulation } from './virtual-population';

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
  /** Output grid of the last interval (h, default 0.25; at most 0.5); the integration panels are the same. */
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

export interface DoseQuestionControl {
  onProgress?: (progress: DoseProgress) => void;
  signal?: CancelSignal;
}

export interface DoseProgress {
  stage: 'fit' | 'questions' | 'uncertainty';
  /** Units done and total in this stage (scenario × regimen curves; fit iterations are open-ended). */
  done: number;
  total: number;
  message: string;
  fit?: FitProgress;
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
  /** Spread of the answer over models drawn from the fit's uncertainty (answerFiveQuestions with replicates). */
  uncertainty?: AnswerUncertainty;
}

export interface AnswerUncertainty {
  replicates: number;
  /** 5th, 50th and 95th percentiles (nearest rank: grid doses) of the answer over replicates (Infinity where the target was not reached). */
  p05: number;
  median: number;
  p95: number;
  notReached: number;
}

export interface DoseResponseCurve {
  scenario: string;
  regimen: string;
  interval: number;
  grid: number[];
  points: DosePoint[];
  /** Band of the success fraction over parameter-uncertainty replicates, at each grid dose. */
  band?: { dose: number; p05: number; median: number; p95: number }[];
}

export interface DoseQuestionsResult {
  simulator: string;
  answers: DoseAnswer[];
  curves: DoseResponseCurve[];
  settings: Required<Omit<DoseQuestionOptions, 'mcts'>> & { mcts: MctsOptions | false };
  seconds: number;
}

/** The design's headless JSON answer shape. */
export interface HeadlessDoseAnswer {
  scenario: string;
  target: number;
  regimen: string;
  dose_mg: number | null;
  fraction: number | null;
  ci?: [number, number];
}

function settingsOf(options: DoseQuestionOptions): DoseQuestionsResult['settings'] {
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
  if (s.method === 'mcts' && s.mcts === false) throw new DoseSettingsError('MCTS cannot be both the answer method and switched off.');
  if (!(s.gridStep > 0 && s.gridStep <= 0.5)) throw new DoseSettingsError(`The grid step must lie in (0, 0.5] h, got ${s.gridStep}.`);
  for (const t of s.targets) if (!(t > 0 && t <= 1)) throw new DoseSettingsError(`Targets are fractions in (0, 1], got ${t}.`);
  if (!(s.threshold > 0)) throw new DoseSettingsError(`The PD threshold must be positive, got ${s.threshold}.`);
  return s;
}

function populationFor(
  settings: DoseQuestionsResult['settings'],
  scenario: ScenarioSpec,
  randomEffects: readonly string[],
): VirtualPopulation {
  return drawPopulation({
    size: settings.nVirtual,
    seed: settings.seed,
    scenario: { bwRange: scenario.bwRange, comedShare: scenario.comedShare === 'trial' ? settings.trialComedShare : scenario.comedShare },
    randomEffects,
  });
}

/** Counts the distinct doses a search asks for. */
function counting(fractionAt: (dose: number) => Promise<number>): { fractionAt: (dose: number) => Promise<number>; count: () => number } {
  const seen = new Set<number>();
  return {
    fractionAt: (dose) => {
      seen.add(dose);
      return fractionAt(dose);
    },
    count: () => seen.size,
  };
}

/** Answers the dose questions with any steady-state PD simulator. */
export async function answerDoseQuestions(
  simulator: PdSimulator,
  options: DoseQuestionOptions = {},
  control: DoseQuestionControl = {},
): Promise<DoseQuestionsResult> {
  const started = performance.now();
  const settings = settingsOf(options);
  const answers: DoseAnswer[] = [];
  const curves: DoseResponseCurve[] = [];
  const total = settings.scenarios.length * settings.regimens.length;
  let done = 0;
  const topTarget = Math.max(...settings.targets);
  for (const scenario of settings.scenarios) {
    const population = populationFor(settings, scenario, simulator.randomEffects);
    for (const regimen of settings.regimens) {
      if (control.signal?.aborted) throw new DoseSearchCancelledError();
      control.onProgress?.({ stage: 'questions', done, total, message: `${scenario.name}, ${regimen.name}` });
      const dr = new DoseResponse(simulator, population, regimen.interval, {
        threshold: settings.threshold,
        gridStep: settings.gridStep,
        signal: control.signal,
      });
      let max = regimen.max;
      let grid = doseGrid({ step: regimen.step, max });
      for (let k = 0; k < settings.maxExtensions && (await dr.fractionAt(grid[grid.length - 1])) < topTarget; k++) {
        max *= 2;
        grid = doseGrid({ step: regimen.step, max });
      }
      const pending: Omit<DoseAnswer, 'monotonicity' | 'steadyState'>[] = [];
      for (const target of settings.targets) {
        const bis = counting(dr.fractionAt);
        const b = await bisectDoseGrid(grid, target, bis.fractionAt);
        const neighbours = await checkNeighbours(grid, b.index, target, dr.fractionAt);
        let mcts: DoseAnswer['mcts'] = null;
        let mctsIndex = -1;
        if (settings.mcts !== false) {
          const m = await mctsDoseGrid(grid, target, counting(dr.fractionAt).fractionAt, { seed: settings.seed, ...settings.mcts });
          mcts = { dose_mg: m.dose, certified: m.certified, iterations: m.iterations, evaluations: m.evaluations };
          mctsIndex = m.index;
        }
        const index = settings.method === 'mcts' ? mctsIndex : b.index;
        const point = index >= 0 ? dr.get(grid[index])! : null;
        pending.push({
          scenario: scenario.name,
          target,
          regimen: regimen.name,
          dose_mg: point ? point.dose : null,
          fraction: point ? point.fraction : null,
          ci: point ? point.ci : null,
          reached: point !== null,
          method: settings.method,
          bisection: { dose_mg: b.dose, evaluations: bis.count() },
          mcts,
          searchesAgree: mcts === null || mcts.dose_mg === b.dose,
          neighbours,
        });
      }
      if (settings.curve === 'full') await dr.at(grid);
      const monotonicity = dr.monotonicity();
      const checks = new Map<number, SteadyStateCheck | undefined>();
      for (const a of pending) {
        let steadyState: SteadyStateCheck | null = null;
        if (settings.checkSteadyState && a.dose_mg !== null) {
          if (!checks.has(a.dose_mg)) checks.set(a.dose_mg, await dr.steadyStateAt(a.dose_mg));
          steadyState = checks.get(a.dose_mg) ?? null;
        }
        answers.push({ ...a, monotonicity, steadyState });
      }
      curves.push({ scenario: scenario.name, regimen: regimen.name, interval: regimen.interval, grid, points: dr.curve() });
      done++;
    }
  }
  control.onProgress?.({ stage: 'questions', done, total, message: 'done' });
  return { simulator: simulator.label, answers, curves, settings, seconds: (performance.now() - started) / 1000 };
}

/** The dose questions for a known population model (e.g. the truth of a simulation study). */
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

export interface UncertaintySummary {
  /** Replicates asked for and made (a draw fails only without a covariance matrix). */
  requested: number;
  made: number;
  note: string;
}

/**
 * Adds parameter-uncertainty bands to a result: each replicate model answers the questions on the
 * same virtual subjects over the same grids (full curves from per-subject bisection, smallest grid
 * dose reaching each target).
 */
export function addParameterUncertainty(
  result: DoseQuestionsResult,
  fit: PkpdFitResult,
  options: UncertaintyOptions & { simulator?: MechanisticSimulatorOptions },
  control: DoseQuestionControl = {},
): UncertaintySummary {
  const requested = options.replicates ?? 0;
  if (requested <= 0) return { requested, made: 0, note: 'not requested' };
  const rng = createRng(options.seed ?? result.settings.seed + 7919);
  const models: PopulationModel[] = [];
  for (let r = 0; r < requested; r++) {
    const m = drawPopulationModel(fit, rng);
    if (m) models.push(m);
  }
  if (models.length === 0) return { requested, made: 0, note: 'the fit has no covariance matrix; no uncertainty band' };
  const settings = result.settings;
  const total = models.length * result.curves.length;
  let done = 0;
  const fractions = result.curves.map((c) => c.grid.map(() => [] as number[]));
  const doses = new Map<string, number[]>();
  const populations = new Map<string, VirtualPopulation>();
  for (const model of models) {
    const simulator = new MechanisticPdSimulator(model, options.simulator);
    for (let c = 0; c < result.curves.length; c++) {
      const curve = result.curves[c];
      control.onProgress?.({
        stage: 'uncertainty',
        done,
        total,
        message: `replicate ${Math.floor(done / result.curves.length) + 1} of ${models.length}`,
      });
      const scenario = settings.scenarios.find((s) => s.name === curve.scenario)!;
      let population = populations.get(scenario.name);
      if (!population) {
        population = populationFor(settings, scenario, simulator.randomEffects);
        populations.set(scenario.name, population);
      }
      // Per-subject bisection (exact for the mechanistic model, see successIndices): the whole curve.
      const first = simulator.successIndices(population, curve.interval, curve.grid, settings.threshold, settings.gridStep, control.signal);
      const counts = new Int32Array(curve.grid.length + 1);
      for (const k of first) counts[k]++;
      let cumulative = 0;
      const curveFractions = curve.grid.map((_, k) => {
        cumulative += counts[k];
        return cumulative / population.size;
      });
      curveFractions.forEach((f, k) => fractions[c][k].push(f));
      for (const target of settings.targets) {
        const hit = curveFractions.findIndex((f) => f >= target);
        const key = `${curve.scenario}|${curve.regimen}|${target}`;
        if (!doses.has(key)) doses.set(key, []);
        doses.get(key)!.push(hit >= 0 ? curve.grid[hit] : Infinity);
      }
      done++;
    }
  }
  result.curves.forEach((curve, c) => (curve.band = curve.grid.map((dose, k) => bandPoint(dose, fractions[c][k]))));
  for (const a of result.answers) a.uncertainty = answerSpread(doses.get(`${a.scenario}|${a.regimen}|${a.target}`) ?? []);
  control.onProgress?.({ stage: 'uncertainty', done, total, message: 'done' });
  return {
    requested,
    made: models.length,
    note: 'fixed effects and between-subject SDs drawn jointly from each fit’s covariance (PK and PD draws independent); same virtual subjects',
  };
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

/**
 * Fits the mechanistic population PK/PD model to a dataset (fitPkpd) and answers the dose
 * questions from it, with parameter-uncertainty bands from 20 models drawn from the fit's
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
  const result = await answerDoseQuestions(
    new MechanisticPdSimulator(fit.model, options.simulator),
    { ...options, trialComedShare: options.trialComedShare ?? datasetComedShare(dataset) },
    control,
  );
  const answered = performance.now();
  const uncertainty = addParameterUncertainty(
    result,
    fit,
    { replicates: 20, ...options.uncertainty, simulator: options.simulator },
    control,
  );
  const finished = performance.now();
  return {
    ...result,
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

/** The answers in the design's headless JSON shape. */
export function toHeadlessAnswers(result: DoseQuestionsResult): HeadlessDoseAnswer[] {
  return result.answers.map((a) => ({
    scenario: a.scenario,
    target: a.target,
    regimen: a.regimen,
    dose_mg: a.dose_mg,
    fraction: a.fraction,
    ...(a.ci ? { ci: a.ci } : {}),
  }));
}
