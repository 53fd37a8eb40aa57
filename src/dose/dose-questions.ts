/**
 * The dose questions of a study (its spec's `questions`): per scenario × regimen × target, the dose
 * on the regimen's grid at which the target share of virtual subjects meets the criterion over the
 * last dosing interval at steady state. Any steady-state simulator answers them (steady-state.ts: the
 * study's population model, study-simulator.ts; a trained network). Pure and worker-ready: progress
 * callback, cancel signal, no DOM.
 *
 * Per scenario, one virtual population (virtual-population.ts: the same subjects — common random
 * numbers — at every dose, for every regimen and for every model); per scenario × regimen one
 * memoised dose–response (dose-response.ts) on the grid step, step, …, max (max: 60 steps unless the
 * spec says; doubled up to `maxExtensions` (2) times while the highest target is not reached).
 *
 * How success moves with the dose decides the search. With a "below" or "above" criterion and an
 * endpoint that moves one way with the dose (the simulator's `direction`), success RISES with the dose
 * (an inhibited response kept below a level, a concentration kept above one) or FALLS (a
 * concentration kept below a ceiling):
 *   rising   the smallest grid dose whose success share reaches the target, by bisection (as the
 *            EstData questions always were), its grid neighbours checked; MCTS beside it (mcts.ts);
 *   falling  the LARGEST grid dose that still reaches the target — the same searches on the grid read
 *            downwards (the grid is never extended: larger doses only do worse);
 * A "within" criterion is not monotone in dose (too little drug, then too much): every grid dose is
 * evaluated and the answer is the smallest one reaching the target, else the dose with the highest
 * share, flagged (the grid is extended while that best dose is its largest). MCTS runs beside it.
 *
 * The curve (every grid dose, for plots, bands and the monotonicity check by fraction and by subject
 * in the expected direction): the doses the searches did not simulate come from each subject's range
 * of successful doses where the simulator gives one (`RangeSimulator.successRanges`: exact for the
 * mechanistic models, whose endpoint moves one way with the dose, and ≈ 2 log2(grid) simulations per
 * subject instead of one per dose), accepted only when every subject's range agrees with every dose
 * the searches simulated; otherwise, or with `simulateEveryDose`, each grid dose is simulated. MCTS
 * then reads the curve.
 *
 * Steady state is the simulator's (the mechanistic ones: exact), checked at each answer. A loading
 * dose changes nothing at steady state (the answer's notes say so): the answers are maintenance
 * doses. Bands from parameter uncertainty: `addParameterUncertainty` (models drawn from a fit's
 * covariance, each answering on the same virtual subjects).
 */
import type { FitProgress } from '../pkpd/foce';
import type { AmountUnit, Criterion, QuestionsSpec, RegimenSpec, TimeUnit } from '../study/study-spec';
import { describeCriterion } from './criterion';
import { DoseResponse, type DosePoint, type MonotonicityReport, type SuccessDirection } from './dose-response';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { bisectDoseGrid, checkNeighbours, doseGrid, type NeighbourCheck } from './grid-search';
import { mctsDoseGrid, type MctsOptions } from './mcts';
import { answerSpread, bandPoint } from './percentiles';
import {
  defaultGridStep,
  type CancelSignal,
  type DosingRegimen,
  type SteadyStateCheck,
  type SteadyStateRequest,
  type SteadyStateSimulator,
} from './steady-state';
import { drawPopulation, type TrialCovariates, type VirtualPopulation } from './virtual-population';

/** Grid doses of a regimen whose spec gives no `max`. */
export const DEFAULT_GRID_STEPS = 60;

export interface DoseEngineOptions {
  /** The spec's time and amount units, and the endpoint's unit (labels, the default grid; default h, mg). */
  units?: { time?: TimeUnit; amount?: AmountUnit; endpoint?: string };
  /** The trial's subjects, for the covariates a scenario leaves out. */
  trial?: TrialCovariates;
  /** Spacing of the steady-state grid in the time unit (default: `defaultGridStep` of each interval). */
  gridStep?: number;
  /** Which search gives the answer (default 'bisection'; a "within" criterion is always scanned); the other is reported beside it. */
  method?: 'bisection' | 'mcts';
  /** MCTS settings, or false to skip it (only with method 'bisection'). */
  mcts?: MctsOptions | false;
  /** 'full' (default): every grid dose for the curve; 'search': only what the searches evaluated. */
  curve?: 'full' | 'search';
  /**
   * Simulate every grid dose of a full curve (default false: the doses the searches did not simulate
   * come from each subject's range of successful doses where the simulator gives them — see fillCurve).
   */
  simulateEveryDose?: boolean;
  /** Doublings of a regimen's grid maximum when the highest target is not reached (default 2). */
  maxExtensions?: number;
  /** Check steady state at each answer (default true). */
  checkSteadyState?: boolean;
}

export interface DoseControl {
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

export interface AnswerUncertainty {
  replicates: number;
  /** 5th, 50th and 95th percentiles (nearest rank: grid doses) of the answer over replicates (Infinity where the target was not reached). */
  p05: number;
  median: number;
  p95: number;
  notReached: number;
}

export interface DoseAnswer {
  scenario: string;
  target: number;
  regimen: string;
  /**
   * The answer, in the spec's amount unit: the smallest grid dose whose success share reaches the
   * target (falling success: the largest); null when none does — except for a "within" criterion,
   * which then gives the dose with the highest share (reached false).
   */
  dose: number | null;
  unit: string;
  fraction: number | null;
  successes: number | null;
  /** Virtual subjects. */
  n: number;
  /** Wilson 95% interval of the fraction at the answer (Monte-Carlo error). */
  ci: [number, number] | null;
  reached: boolean;
  direction: SuccessDirection;
  /** What gave the answer. */
  method: 'bisection' | 'mcts' | 'scan';
  /** Bisection (or, for "within", the scan of the grid). */
  search: { dose: number | null; evaluations: number };
  mcts: { dose: number | null; certified: boolean; iterations: number; evaluations: number } | null;
  /** The search and MCTS give the same dose (true when MCTS was skipped). */
  searchesAgree: boolean;
  /** The answer's grid neighbours in the search's order (falling: `below` is the next larger dose). */
  neighbours: NeighbourCheck;
  /** Of the whole scenario × regimen dose–response (every evaluated dose). */
  monotonicity: MonotonicityReport;
  steadyState: SteadyStateCheck | null;
  /** What a reader must know: "target not reached", "highest share (target not reached)", "non-monotone", … */
  flags: string[];
  /** Spread of the answer over models drawn from the fit's uncertainty (addParameterUncertainty). */
  uncertainty?: AnswerUncertainty;
}

export interface DoseResponseCurve {
  scenario: string;
  regimen: string;
  interval: number;
  route: DosingRegimen['route'];
  duration?: number;
  /** Spacing of the steady-state grid (time unit). */
  gridStep: number;
  direction: SuccessDirection;
  grid: number[];
  points: DosePoint[];
  /** Band of the success fraction over parameter-uncertainty replicates, at each grid dose. */
  band?: { dose: number; p05: number; median: number; p95: number }[];
}

export interface ResolvedDoseSettings {
  questions: QuestionsSpec;
  /** Grid spacing per regimen name. */
  gridSteps: Record<string, number>;
  method: 'bisection' | 'mcts';
  mcts: MctsOptions | false;
  curve: 'full' | 'search';
  simulateEveryDose: boolean;
  maxExtensions: number;
  checkSteadyState: boolean;
}

export interface DoseQuestionsResult {
  simulator: string;
  endpoint: 'pk' | 'pd';
  criterion: Criterion;
  /** The question in words, e.g. "pd below 3.3 ng/mL throughout the last dosing interval at steady state". */
  question: string;
  units: { time: TimeUnit; amount: string; endpoint: string };
  answers: DoseAnswer[];
  curves: DoseResponseCurve[];
  notes: string[];
  settings: ResolvedDoseSettings;
  seconds: number;
}

/** The regimen the steady state depends on: IV with a duration is an infusion, else a bolus. */
export function dosingRegimen(regimen: Pick<RegimenSpec, 'interval' | 'route' | 'duration'>): DosingRegimen {
  if (regimen.route === 'oral') return { interval: regimen.interval, route: 'oral' };
  return regimen.duration !== undefined && regimen.duration > 0
    ? { interval: regimen.interval, route: 'infusion', duration: regimen.duration }
    : { interval: regimen.interval, route: 'bolus' };
}

/** How success moves with the dose for a criterion and an endpoint direction (unknown: rising). */
export function successDirection(criterion: Criterion, endpoint: SteadyStateSimulator['direction']): SuccessDirection {
  if (criterion.rule === 'within') return 'not monotone';
  if (!endpoint) return 'rising';
  const up = endpoint === 'increasing';
  return (criterion.rule === 'above') === up ? 'rising' : 'falling';
}

function checkQuestions(q: QuestionsSpec, options: DoseEngineOptions): void {
  if (q.targets.length === 0) throw new DoseSettingsError('The questions need at least one target share.');
  for (const t of q.targets) if (!(t > 0 && t <= 1)) throw new DoseSettingsError(`Targets are shares of subjects in (0, 1], got ${t}.`);
  if (q.regimens.length === 0 || q.scenarios.length === 0)
    throw new DoseSettingsError('The questions need at least one regimen and one scenario.');
  const c = q.criterion;
  if (c.rule === 'within' ? !(c.range[0] < c.range[1]) : !Number.isFinite(c.threshold)) {
    throw new DoseSettingsError(`The criterion needs a finite threshold or a range [low, high] with low < high.`);
  }
  for (const r of q.regimens) {
    if (!(r.step > 0)) throw new DoseSettingsError(`Regimen "${r.name}": the dose step must be positive, got ${r.step}.`);
    if (options.gridStep !== undefined && !(options.gridStep > 0 && options.gridStep <= r.interval)) {
      throw new DoseSettingsError(`The grid step must lie in (0, ${r.interval}] (the interval of "${r.name}"), got ${options.gridStep}.`);
    }
  }
  if (options.method === 'mcts' && options.mcts === false)
    throw new DoseSettingsError('MCTS cannot be both the answer method and switched off.');
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

interface Pending extends Omit<DoseAnswer, 'monotonicity' | 'steadyState' | 'flags'> {
  consistent: boolean;
}

/** Answers a study's dose questions with any steady-state simulator. */
export async function answerDoseQuestions(
  simulator: SteadyStateSimulator & { covariates?: readonly string[] },
  questions: QuestionsSpec,
  options: DoseEngineOptions = {},
  control: DoseControl = {},
): Promise<DoseQuestionsResult> {
  const started = performance.now();
  checkQuestions(questions, options);
  const time = options.units?.time ?? 'h';
  const amountUnit = options.units?.amount ?? 'mg';
  const endpointUnit = options.units?.endpoint ?? '';
  const settings: ResolvedDoseSettings = {
    questions,
    gridSteps: Object.fromEntries(questions.regimens.map((r) => [r.name, options.gridStep ?? defaultGridStep(r.interval, time)])),
    method: options.method ?? 'bisection',
    mcts: options.mcts ?? {},
    curve: options.curve ?? 'full',
    simulateEveryDose: options.simulateEveryDose ?? false,
    maxExtensions: options.maxExtensions ?? 2,
    checkSteadyState: options.checkSteadyState ?? true,
  };
  const { criterion, targets } = questions;
  const direction = successDirection(criterion, simulator.direction);
  const notes: string[] = [];
  if (direction === 'falling') {
    notes.push(
      'Success falls as the dose rises (the endpoint must stay below a level it rises towards, or above one it falls from): each answer is the largest grid dose that still reaches the target.',
    );
  }
  if (direction === 'not monotone') {
    notes.push(
      'A "within" criterion is not monotone in dose: every grid dose is evaluated; where no dose reaches a target, the answer is the dose with the highest share, flagged.',
    );
  }
  for (const r of questions.regimens) {
    if (r.loading !== undefined && r.loading !== 1) {
      notes.push(
        `Regimen "${r.name}": a loading dose (×${r.loading}) changes how fast steady state is reached, not the steady state; the answers are maintenance doses.`,
      );
    }
  }
  const answers: DoseAnswer[] = [];
  const curves: DoseResponseCurve[] = [];
  const total = questions.scenarios.length * questions.regimens.length;
  let done = 0;
  const topTarget = Math.max(...targets);
  for (const scenario of questions.scenarios) {
    const population = drawPopulation({
      size: questions.virtualSubjects,
      seed: questions.seed,
      scenario,
      trial: options.trial,
      required: simulator.covariates,
      randomEffects: simulator.randomEffects,
    });
    for (const spec of questions.regimens) {
      if (control.signal?.aborted) throw new DoseSearchCancelledError();
      control.onProgress?.({ stage: 'questions', done, total, message: `${scenario.name}, ${spec.name}` });
      const regimen = dosingRegimen(spec);
      const gridStep = settings.gridSteps[spec.name];
      const dr = new DoseResponse(simulator, population, regimen, { criterion, gridStep, signal: control.signal });
      const grid = await searchGrid(dr, spec, direction, topTarget, settings.maxExtensions);
      const searches: TargetSearch[] = [];
      for (const target of targets) searches.push(await searchTarget(dr, grid, target, direction));
      // The curve before MCTS, so that MCTS reads it (same numbers, none simulated twice).
      const ranges =
        settings.curve === 'full'
          ? await fillCurve(dr, simulator, grid, direction !== 'not monotone' && !settings.simulateEveryDose, control.signal)
          : undefined;
      const pending: Pending[] = [];
      for (const search of searches) {
        pending.push(
          await finishTarget(dr, search, settings, questions.seed, { scenario: scenario.name, regimen: spec.name, unit: amountUnit }),
        );
      }
      const monotonicity = dr.monotonicity(direction);
      const checks = new Map<number, SteadyStateCheck | undefined>();
      for (const { consistent, ...a } of pending) {
        let steadyState: SteadyStateCheck | null = null;
        if (settings.checkSteadyState && a.dose !== null) {
          if (!checks.has(a.dose)) checks.set(a.dose, await dr.steadyStateAt(a.dose));
          steadyState = checks.get(a.dose) ?? null;
        }
        answers.push({ ...a, monotonicity, steadyState, flags: flagsOf(a, consistent, monotonicity, steadyState) });
      }
      const curve: DoseResponseCurve = {
        scenario: scenario.name,
        regimen: spec.name,
        interval: spec.interval,
        route: regimen.route,
        gridStep,
        direction,
        grid,
        points: dr.curve(),
      };
      if (regimen.duration !== undefined) curve.duration = regimen.duration;
      if (ranges) curveRanges.set(curve, ranges);
      curves.push(curve);
      done++;
    }
  }
  control.onProgress?.({ stage: 'questions', done, total, message: 'done' });
  return {
    simulator: simulator.label,
    endpoint: questions.endpoint,
    criterion,
    question: `${questions.endpoint} ${describeCriterion(criterion, endpointUnit)}`,
    units: { time, amount: amountUnit, endpoint: endpointUnit },
    answers,
    curves,
    notes,
    settings,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The regimen's dose grid, extended (doubled up to `extensions` times) while the highest target is out of reach. */
async function searchGrid(
  dr: DoseResponse,
  regimen: RegimenSpec,
  direction: SuccessDirection,
  topTarget: number,
  extensions: number,
): Promise<number[]> {
  let max = regimen.max ?? Number((DEFAULT_GRID_STEPS * regimen.step).toFixed(10));
  let grid = doseGrid({ step: regimen.step, max });
  if (direction === 'falling') return grid;
  for (let k = 0; k < extensions; k++) {
    if (direction === 'rising') {
      if ((await dr.fractionAt(grid[grid.length - 1])) >= topTarget) break;
    } else {
      const points = await dr.at(grid);
      if (points.some((p) => p.fraction >= topTarget)) break;
      const best = points.reduce((a, p) => (p.fraction > a.fraction ? p : a), points[0]);
      if (best.dose !== grid[grid.length - 1]) break;
    }
    max *= 2;
    grid = doseGrid({ step: regimen.step, max });
  }
  return grid;
}

/**
 * Every grid dose of the curve: from each subject's range of successful doses where the simulator
 * gives them (`RangeSimulator`, ≈ 2 log2(grid) simulations per subject instead of one per dose),
 * checked subject by subject against the doses the searches simulated; else, or when any subject
 * disagrees, by simulating each dose.
 */
async function fillCurve(
  dr: DoseResponse,
  simulator: SteadyStateSimulator,
  grid: number[],
  fromRanges: boolean,
  signal?: CancelSignal,
): Promise<SuccessRanges | undefined> {
  if (fromRanges && isRangeSimulator(simulator)) {
    const ranges = await simulator.successRanges(dr.population, dr.regimen, dr.options.gridStep, grid, dr.options.criterion, signal);
    if (dr.fillFromRanges(grid, ranges.first, ranges.last)) return ranges;
  }
  await dr.at(grid);
  return undefined;
}

/** Each curve's subject ranges (when they made it), the first guess of the uncertainty replicates. */
const curveRanges = new WeakMap<DoseResponseCurve, SuccessRanges>();

function isRangeSimulator(simulator: SteadyStateSimulator): simulator is RangeSimulator {
  return typeof (simulator as Partial<RangeSimulator>).successRanges === 'function';
}

interface TargetSearch {
  target: number;
  direction: SuccessDirection;
  /** The grid in the search's order (falling: descending). */
  order: number[];
  index: number;
  dose: number | null;
  evaluations: number;
  neighbours: NeighbourCheck;
}

/** One target's search on a scenario × regimen dose–response: bisection, or the scan of "within" (see the file comment). */
async function searchTarget(dr: DoseResponse, grid: number[], target: number, direction: SuccessDirection): Promise<TargetSearch> {
  const order = direction === 'falling' ? [...grid].reverse() : grid;
  if (direction === 'not monotone') {
    const points = await dr.at(grid);
    let index = points.findIndex((p) => p.fraction >= target);
    const dose = index >= 0 ? grid[index] : null;
    const below = index > 0 ? { dose: grid[index - 1], fraction: points[index - 1].fraction } : null;
    const above = index >= 0 && index + 1 < grid.length ? { dose: grid[index + 1], fraction: points[index + 1].fraction } : null;
    const neighbours = { below, above, consistent: index < 0 || below === null || below.fraction < target };
    // None reaches the target: the dose with the highest share (the smallest of equals), flagged.
    if (index < 0) index = points.reduce((b, p, k) => (p.fraction > points[b].fraction ? k : b), 0);
    return { target, direction, order, index, dose, evaluations: grid.length, neighbours };
  }
  const bis = counting(dr.fractionAt);
  const b = await bisectDoseGrid(order, target, bis.fractionAt);
  const neighbours = await checkNeighbours(order, b.index, target, dr.fractionAt);
  return { target, direction, order, index: b.index, dose: b.dose, evaluations: bis.count(), neighbours };
}

/** MCTS beside the search, and the answer. */
async function finishTarget(
  dr: DoseResponse,
  search: TargetSearch,
  settings: ResolvedDoseSettings,
  seed: number,
  where: { scenario: string; regimen: string; unit: string },
): Promise<Pending> {
  const { target, direction, order } = search;
  let mcts: DoseAnswer['mcts'] = null;
  let mctsIndex = -1;
  if (settings.mcts !== false) {
    const m = await mctsDoseGrid(order, target, counting(dr.fractionAt).fractionAt, { seed, ...settings.mcts });
    mcts = { dose: m.dose, certified: m.certified, iterations: m.iterations, evaluations: m.evaluations };
    mctsIndex = m.index;
  }
  const useMcts = settings.method === 'mcts';
  const index = useMcts ? mctsIndex : search.index;
  const dose = index >= 0 ? order[index] : null;
  const point = dose !== null ? (dr.get(dose) ?? (await dr.at([dose]))[0]) : null;
  return {
    scenario: where.scenario,
    target,
    regimen: where.regimen,
    dose: point ? point.dose : null,
    unit: where.unit,
    fraction: point ? point.fraction : null,
    successes: point ? point.successes : null,
    n: dr.population.size,
    ci: point ? point.ci : null,
    reached: point !== null && point.fraction >= target,
    direction,
    method: useMcts ? 'mcts' : direction === 'not monotone' ? 'scan' : 'bisection',
    search: { dose: search.dose, evaluations: search.evaluations },
    mcts,
    searchesAgree: mcts === null || mcts.dose === search.dose,
    neighbours: search.neighbours,
    consistent: search.neighbours.consistent,
  };
}

function flagsOf(
  a: Omit<Pending, 'consistent'>,
  consistent: boolean,
  monotonicity: MonotonicityReport,
  steadyState: SteadyStateCheck | null,
): string[] {
  const flags: string[] = [];
  if (!a.reached) flags.push(a.dose === null ? 'target not reached on the grid' : 'highest share (target not reached)');
  if (a.direction === 'falling') flags.push('largest dose (success falls with dose)');
  if (!monotonicity.monotone || monotonicity.subjectReversals > 0) flags.push('non-monotone');
  if (!consistent) flags.push('grid neighbours inconsistent');
  if (!a.searchesAgree) flags.push('searches disagree');
  if (steadyState && !steadyState.ok) flags.push('steady state not reached');
  return flags;
}

/** Each subject's range of successful grid indices [first, last] (first > last: none). */
export interface SuccessRanges {
  first: Int32Array;
  last: Int32Array;
}

/**
 * A simulator that also gives each subject's range of successful grid doses (for the curves and the
 * uncertainty replicates): in this thread, or split by subject over a pool of workers (dose-pool.ts).
 */
export interface RangeSimulator extends SteadyStateSimulator {
  successRanges(
    population: VirtualPopulation,
    regimen: DosingRegimen,
    gridStep: number,
    doses: readonly number[],
    criterion: Criterion,
    signal?: SteadyStateRequest['signal'],
    /** Ranges of a similar model: a starting guess that changes nothing but the time taken. */
    guess?: SuccessRanges,
  ): SuccessRanges | Promise<SuccessRanges>;
  readonly covariates?: readonly string[];
}

export interface UncertaintySummary {
  /** Replicates asked for and made (a draw fails only without a covariance matrix). */
  requested: number;
  made: number;
  note: string;
}

/** What one uncertainty replicate computes: each curve's subject ranges on its scenario's virtual subjects. */
export interface ReplicateWork {
  /** The virtual population of each scenario, by name (the same subjects for every replicate). */
  populations: Record<string, VirtualPopulation>;
  /** The result's curves, in order; `guess`: the fitted model's ranges (a close model: fewer simulations, same ranges). */
  curves: { scenario: string; regimen: DosingRegimen; gridStep: number; grid: number[]; guess?: SuccessRanges }[];
  criterion: Criterion;
}

/** One replicate model's ranges over every curve, in curve order: in this thread, or in a pool worker (dose-pool.ts). */
export async function replicateRanges(simulator: RangeSimulator, work: ReplicateWork, signal?: CancelSignal): Promise<SuccessRanges[]> {
  const out: SuccessRanges[] = [];
  for (const c of work.curves) {
    const population = work.populations[c.scenario];
    out.push(await simulator.successRanges(population, c.regimen, c.gridStep, c.grid, work.criterion, signal, c.guess));
  }
  return out;
}

export interface UncertaintyOptions extends Pick<DoseEngineOptions, 'trial'> {
  /**
   * Runs replicate r's work elsewhere — a pool of workers (study-questions.ts), every replicate at
   * once, the results read in replicate order. Absent: `replicateRanges` in this thread, one replicate after another.
   */
  runReplicate?: (replicate: number, work: ReplicateWork) => Promise<SuccessRanges[]>;
}

/**
 * Adds parameter-uncertainty bands to a result: each replicate model answers the questions on the
 * same virtual subjects over the same grids — the whole curve from each subject's range of
 * successful doses (`successRanges`, starting from the fitted model's ranges), the answer by the
 * result's rule (rising: the smallest grid dose reaching the target; falling: the largest; "within":
 * the smallest, Infinity when none). The replicates are independent: with `runReplicate` they run in
 * parallel; the bands are made from their ranges in replicate order either way, so they are the same.
 */
export async function addParameterUncertainty(
  result: DoseQuestionsResult,
  replicates: readonly RangeSimulator[],
  requested: number,
  note: string,
  options: UncertaintyOptions = {},
  control: DoseControl = {},
): Promise<UncertaintySummary> {
  if (requested <= 0) return { requested, made: 0, note: 'not requested' };
  if (replicates.length === 0) return { requested, made: 0, note: 'the fit has no covariance matrix; no uncertainty band' };
  const { questions } = result.settings;
  const total = replicates.length * result.curves.length;
  let done = 0;
  const report = (): void =>
    control.onProgress?.({
      stage: 'uncertainty',
      done,
      total,
      message: done < total ? `replicate ${Math.floor(done / result.curves.length) + 1} of ${replicates.length}` : 'done',
    });
  // Every replicate draws nothing: the populations are the scenarios' (the same structure, so the same draws for every model).
  const populations: Record<string, VirtualPopulation> = {};
  for (const scenario of questions.scenarios) {
    if (!result.curves.some((c) => c.scenario === scenario.name)) continue;
    populations[scenario.name] = drawPopulation({
      size: questions.virtualSubjects,
      seed: questions.seed,
      scenario,
      trial: options.trial,
      required: replicates[0].covariates,
      randomEffects: replicates[0].randomEffects,
    });
  }
  const work: ReplicateWork = {
    populations,
    criterion: result.criterion,
    curves: result.curves.map((curve) => {
      const regimen: DosingRegimen = { interval: curve.interval, route: curve.route };
      if (curve.duration !== undefined) regimen.duration = curve.duration;
      const guess = curveRanges.get(curve);
      return { scenario: curve.scenario, regimen, gridStep: curve.gridStep, grid: curve.grid, ...(guess ? { guess } : {}) };
    }),
  };
  report();
  let ranges: SuccessRanges[][];
  const run = options.runReplicate;
  if (run) {
    ranges = await Promise.all(
      replicates.map(async (_, r) => {
        const made = await run(r, work);
        done += result.curves.length;
        report();
        return made;
      }),
    );
  } else {
    ranges = [];
    for (const simulator of replicates) {
      if (control.signal?.aborted) throw new DoseSearchCancelledError();
      ranges.push(await replicateRanges(simulator, work, control.signal));
      done += result.curves.length;
      report();
    }
  }
  const fractions = result.curves.map((c) => c.grid.map(() => [] as number[]));
  const doses = new Map<string, number[]>();
  for (const replicate of ranges) {
    result.curves.forEach((curve, c) => {
      const { first, last } = replicate[c];
      const size = work.populations[curve.scenario].size;
      const G = curve.grid.length;
      const change = new Int32Array(G + 1);
      for (let i = 0; i < first.length; i++) {
        if (first[i] > last[i]) continue;
        change[first[i]]++;
        change[last[i] + 1]--;
      }
      let running = 0;
      const curveFractions = curve.grid.map((_, k) => {
        running += change[k];
        return running / size;
      });
      curveFractions.forEach((f, k) => fractions[c][k].push(f));
      for (const target of questions.targets) {
        let hit = -1;
        if (curve.direction === 'falling') {
          for (let k = G - 1; k >= 0 && hit < 0; k--) if (curveFractions[k] >= target) hit = k;
        } else hit = curveFractions.findIndex((f) => f >= target);
        const key = `${curve.scenario}|${curve.regimen}|${target}`;
        if (!doses.has(key)) doses.set(key, []);
        doses.get(key)!.push(hit >= 0 ? curve.grid[hit] : Infinity);
      }
    });
  }
  result.curves.forEach((curve, c) => (curve.band = curve.grid.map((dose, k) => bandPoint(dose, fractions[c][k]))));
  for (const a of result.answers) a.uncertainty = answerSpread(doses.get(`${a.scenario}|${a.regimen}|${a.target}`) ?? []);
  return { requested, made: replicates.length, note };
}

/** An answer in the headless runner's JSON shape (the design's, with the unit; `dose_mg` when the unit is mg). */
export interface HeadlessDoseAnswer {
  scenario: string;
  target: number;
  regimen: string;
  dose: number | null;
  unit: string;
  dose_mg?: number | null;
  fraction: number | null;
  ci?: [number, number];
  reached: boolean;
  flags?: string[];
}

export function toHeadlessAnswers(result: Pick<DoseQuestionsResult, 'answers'>): HeadlessDoseAnswer[] {
  return result.answers.map((a) => ({
    scenario: a.scenario,
    target: a.target,
    regimen: a.regimen,
    dose: a.dose,
    unit: a.unit,
    ...(a.unit === 'mg' ? { dose_mg: a.dose } : {}),
    fraction: a.fraction,
    ...(a.ci ? { ci: a.ci } : {}),
    reached: a.reached,
    ...(a.flags.length > 0 ? { flags: a.flags } : {}),
  }));
}
