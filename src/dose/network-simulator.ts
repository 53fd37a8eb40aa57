/**
 * A trained PK/PD network (PkPdModel) as a steady-state simulator of one endpoint — the response (PD,
 * the default) or the concentration (PK), as the study's questions ask. A network is a function of
 * dose-history features, so each virtual subject gets a real dose history — the regimen from t = 0:
 * doses at 0, τ, …, Kτ — and PD is predicted on the grid of the last interval [(K−1)τ, Kτ]. With the
 * pre-dose convention both ends of that interval are troughs (the dose at Kτ, the next interval's
 * first, is not yet counted at Kτ), as at the start of the interval.
 *
 * How many intervals (the plan): the history features forget the past at known rates — the window
 * sums after the longest window, the superposition exposures at their slowest rate k — so after
 * M = max(longest window, ln(1/tol)/k) hours every one is within `tol` of its steady state. Both
 * compared intervals must start after M: K = ⌈M/τ⌉ + 2. The absolute-time features (TIME, TIME²,
 * ln(1+TIME), last dose time, doses so far, cumulative dose) never settle and leave the trial's
 * range in long histories, so K is capped, by default, where the last interval would end after the
 * training subjects' last observation (the plan says when the cap binds). Whether the network's
 * prediction is then periodic is checked, not assumed: the steady-state check compares PD over
 * interval K with interval K−1 for a spread of subjects (relative to PD, or to 10% of the median
 * training baseline where a prediction comes near 0); `extrapolation` lists the features that
 * leave their training range.
 *
 * Covariates: every covariate of the model's features, by column name, from the virtual population
 * (`covariates` lists them, so that the population draws them from the scenario or resamples them
 * from the trial); a covariate the population lacks takes the training median. Baseline PD (when the
 * model uses it) is conditioned on the covariates that define the model's strata — its 0/1 covariates
 * (network-context.ts: the model's 0/1 covariates): the training subjects' empirical distribution among those
 * with the subject's values, at the quantile Φ(z) of the subject's standard-normal draw
 * `population.random['network.baselinePd']` — the same subject has the same baseline at every dose
 * (common random numbers) and keeps its quantile when a scenario changes its stratum. (Drawing the
 * baseline jointly with all resampled covariates would tie it to the trial subject picked, which a
 * scenario that sets a covariate by distribution breaks; conditioning on the strata keeps it valid
 * for any scenario.)
 *
 * Summaries: max, min, trough (the value at τ, before the next dose is counted) and average (the
 * mean over the grid, `gridAverageWeights`) of the endpoint over the last interval. Regimens: oral
 * doses (a study of oral doses) or IV boluses (a study of IV doses) — the route the network learned
 * from; a network has no infusion input and refuses infusion regimens.
 *
 * Deterministic: dropout off. (MC dropout does not fit this criterion: its masks are drawn per row,
 * so a sampled profile is not one thinned network, and its maximum over the grid picks up the mask
 * noise of every grid time. Bands come from ensembles, see network-questions.ts.)
 */
import { type DoseHistory, type HistoryInputs, writeHistoryFeatures, writeSubjectHistoryFeatures } from '../data/features/history';
import type { FeatureModel } from '../data/features/spec';
import { INFERENCE } from '../model/layers';
import { fromTargetScale } from '../model/metrics';
import { type Branch, branchFor, branchOutputs, type BranchTarget, type PkPdModel } from '../model/pkpd-model';
import { normalCdf } from '../pkpd/random';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import type { NetworkTrainingContext } from './network-context';
import {
  checkInterval,
  checkSteadyStateRequest,
  type EndpointSummary,
  gridAverageWeights,
  intervalGrid,
  regimenGrid,
  type DosingRegimen,
  type SteadyStateBatch,
  type SteadyStateCheck,
  type SteadyStateRequest,
  type SteadyStateResult,
  type SteadyStateSimulator,
} from './steady-state';
import type { VirtualPopulation } from './virtual-population';

/** The population's random-effect name for the baseline-PD quantile. */
export const BASELINE_PD_EFFECT = 'network.baselinePd';

export interface NetworkSimulatorOptions {
  /** The endpoint simulated (default 'pd'). */
  endpoint?: 'pk' | 'pd';
  /** The route of the doses the network learned from: 'oral' (default) or 'iv' (boluses). */
  route?: 'oral' | 'iv';
  /** How the endpoint moves with the dose, when known (the study's PK: increasing). */
  direction?: 'increasing' | 'decreasing';
  /** Dosing intervals K (≥ 2) instead of the plan's. */
  intervals?: number;
  /** Cap K where the last interval would end after the training subjects' last observation (default true). */
  capAtTrainingTime?: boolean;
  /** Tolerance of the steady-state check and of the memory rule (default 0.01). */
  tolerance?: number;
  /** Subjects compared in the steady-state check, spread over the population (default 16). */
  checkSubjects?: number;
  /**
   * The questions' threshold of a "below throughout" criterion: each subject is first predicted on a
   * coarse sub-grid (every ~4 h) and predicted on the rest of the grid only when it stays below the
   * threshold there. Success (max < threshold) is exact; the max of a failing subject is then the
   * sub-grid's maximum. Used only when the max alone is asked for, without profiles.
   */
  screenThreshold?: number;
}

export interface HistoryPlan {
  interval: number;
  /** K: doses at 0, τ, …, Kτ; the last interval is [(K−1)τ, Kτ]. */
  intervals: number;
  /** Hours after which every history feature is within the tolerance of its steady state. */
  memoryHours: number;
  /** K of the memory rule, ⌈memoryHours/τ⌉ + 2. */
  memoryIntervals: number;
  limitedBy: 'memory' | 'training time span' | 'fixed';
  lastIntervalStart: number;
  /** Largest observation time of the training subjects (h). */
  trainingTimeSpan: number;
}

export interface NetworkSteadyStateBatch extends SteadyStateBatch {
  plan: HistoryPlan;
}

export interface FeatureExtrapolation {
  branch: string;
  feature: string;
  training: [number, number];
  simulated: [number, number];
  /** How far the simulated values go past the training range, in widths of that range. */
  beyond: number;
}

/** Spacing (h) of the screening sub-grid. */
const SCREEN_SPACING_H = 4;
/** Rows per forward pass. */
const CHUNK_ROWS = 8192;

interface SubjectInputs {
  covariates: Record<string, number>[];
  baselinePd: Float64Array;
}

interface EndpointOutput {
  branch: Branch;
  column: number;
  spec: BranchTarget;
  pk: Branch | null;
}

export class NetworkPdSimulator implements SteadyStateSimulator {
  readonly label: string;
  readonly randomEffects: readonly string[];
  readonly summaries: readonly EndpointSummary[] = ['max', 'min', 'trough', 'average'];
  readonly direction?: 'increasing' | 'decreasing';
  /** The model's covariates by name (as its features name them); the population gives them by upper-case name. */
  readonly covariates: readonly string[];
  readonly endpoint: 'pk' | 'pd';
  private readonly pd: EndpointOutput;
  private readonly tolerance: number;
  private readonly checkSubjects: number;
  private readonly inputs = new WeakMap<VirtualPopulation, SubjectInputs>();
  /** Per dose and grid: the maxima of each population simulated (see maxima). */
  private readonly memo = new Map<string, { population: VirtualPopulation; baseline: Float64Array; maxPd: Float64Array }[]>();
  /** Sorted training baselines per stratum key, and of all subjects under ''. */
  private readonly baselineGroups = new Map<string, Float64Array>();
  /** Smallest value the check divides by (see the file comment). */
  private readonly pdFloor: number;

  constructor(
    readonly model: PkPdModel,
    readonly context: NetworkTrainingContext,
    readonly options: NetworkSimulatorOptions = {},
  ) {
    this.endpoint = options.endpoint ?? 'pd';
    const found = branchFor(model, this.endpoint);
    if (!found)
      throw new DoseSettingsError(
        this.endpoint === 'pd'
          ? 'This network model has no PD network (its study has no response endpoint, or its training was cancelled before the PD network was trained), so it cannot answer questions on the response. Choose another saved model, or train this one again to the end.'
          : 'This network model has no PK network (its training was cancelled before the PK network was trained), so it cannot answer questions on the concentration. Choose another saved model, or train this one again to the end.',
      );
    const pk = found.branch.cascadeInput ? (branchFor(model, 'pk')?.branch ?? null) : null;
    this.pd = { ...found, pk };
    if (options.direction) this.direction = options.direction;
    const names: string[] = [];
    for (const b of model.branches) {
      const spec = b.featureModel.spec;
      for (const name of [...spec.covariates, ...(spec.bodyWeight !== null ? [spec.bodyWeight] : [])])
        if (!names.includes(name)) names.push(name);
    }
    this.covariates = names;
    this.tolerance = options.tolerance ?? 0.01;
    this.checkSubjects = Math.max(1, Math.round(options.checkSubjects ?? 16));
    if (options.intervals !== undefined && !(Number.isInteger(options.intervals) && options.intervals >= 2)) {
      throw new Error(`NetworkDoseSimulator: at least 2 dosing intervals are needed, got ${options.intervals}`);
    }
    const usesBaseline = model.branches.some((b) => b.featureModel.spec.baselinePd);
    this.randomEffects = usesBaseline ? [BASELINE_PD_EFFECT] : [];
    const groups = new Map<string, number[]>([['', []]]);
    for (const b of context.baselines) {
      const key = b.strata.join('|');
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(b.pd);
      if (key !== '') groups.get('')!.push(b.pd);
    }
    for (const [key, values] of groups) this.baselineGroups.set(key, Float64Array.from(values).sort());
    const all = this.baselineGroups.get('')!;
    this.pdFloor = 0.1 * Math.abs(all[Math.floor(all.length / 2)] ?? 0) || 1e-12;
    this.label = `network ${model.encoder} (${model.mode})`;
  }

  /** How many intervals a history of this interval gets, and why. */
  plan(interval: number): HistoryPlan {
    checkInterval(interval);
    const windows = this.model.branches.flatMap((b) => b.featureModel.spec.windowsH);
    const rates = this.model.branches
      .flatMap((b) => [b.featureModel.k, b.featureModel.shape?.alpha, b.featureModel.shape?.ka])
      .filter((r): r is number => typeof r === 'number' && r > 0);
    const memoryHours = Math.max(0, ...windows, rates.length > 0 ? Math.log(1 / this.tolerance) / Math.min(...rates) : 0);
    const memoryIntervals = Math.ceil(memoryHours / interval - 1e-9) + 2;
    const span = this.context.maxTime;
    let intervals = memoryIntervals;
    let limitedBy: HistoryPlan['limitedBy'] = 'memory';
    if (this.options.intervals !== undefined) {
      intervals = this.options.intervals;
      limitedBy = 'fixed';
    } else if ((this.options.capAtTrainingTime ?? true) && memoryIntervals * interval > span) {
      intervals = Math.max(2, Math.floor(span / interval + 1e-9));
      limitedBy = 'training time span';
    }
    return {
      interval,
      intervals,
      memoryHours,
      memoryIntervals,
      limitedBy,
      lastIntervalStart: (intervals - 1) * interval,
      trainingTimeSpan: span,
    };
  }

  /** The regimen's doses: `amount` at 0, τ, …, Kτ. */
  doses(interval: number, amount: number): DoseHistory {
    const k = this.plan(interval).intervals;
    return { times: Float64Array.from({ length: k + 1 }, (_, j) => j * interval), amounts: new Float64Array(k + 1).fill(amount) };
  }

  /** Absolute times of the last interval's grid. */
  lastIntervalTimes(interval: number, gridStep: number): Float64Array {
    const start = this.plan(interval).lastIntervalStart;
    return intervalGrid(interval, gridStep).map((t) => start + t);
  }

  /** What the network is fed for each subject of the population at one amount. */
  histories(population: VirtualPopulation, interval: number, amount: number): HistoryInputs[] {
    const doses = this.doses(interval, amount);
    const inputs = this.subjectInputs(population);
    return Array.from({ length: population.size }, (_, i) => historyOf(inputs, i, doses, amount));
  }

  simulate(request: SteadyStateRequest): NetworkSteadyStateBatch {
    const { population, regimen, amounts, gridStep, signal } = request;
    checkSteadyStateRequest(request);
    const interval = this.regimenInterval(regimen);
    const plan = this.plan(interval);
    // After a bolus the grid starts just after the dose (its peak), as every simulator's (steady-state.ts).
    const grid = regimenGrid(regimen, gridStep);
    const times = grid.map((t) => plan.lastIntervalStart + t);
    const asked = request.summaries ?? ['max'];
    const maxOnly = asked.every((x) => x === 'max');
    const results = amounts.map((amount): SteadyStateResult => {
      const doses = this.doses(interval, amount);
      const keep = request.keepProfiles === true;
      let res: SteadyStateResult;
      if (maxOnly) {
        const { maxPd, profiles } = this.maxima(population, interval, doses, amount, times, keep, signal);
        res = { amount, max: maxPd, profiles };
      } else res = { amount, ...this.summarise(population, doses, amount, times, asked, keep, signal) };
      if (request.checkSteadyState) res.steadyState = this.check(population, doses, amount, plan, grid, signal);
      return res;
    });
    return { regimen, grid, results, plan };
  }

  /** The regimen's interval, when the network can simulate the regimen (see the file comment); else a DoseSettingsError saying why. */
  regimenInterval(regimen: DosingRegimen): number {
    const route = this.options.route ?? 'oral';
    if (regimen.route === 'infusion') {
      throw new DoseSettingsError(
        `A network cannot answer for an infusion regimen (over ${regimen.duration} time units every ${regimen.interval}): its features read every dose as given at once and have no infusion input. Answer infusion regimens with the population model, or ask for IV boluses.`,
      );
    }
    const wanted = route === 'oral' ? 'oral' : 'bolus';
    if (regimen.route !== wanted) {
      throw new DoseSettingsError(
        `This network learned from ${route === 'oral' ? 'oral doses' : 'IV boluses'} and cannot answer for ${regimen.route === 'oral' ? 'oral doses' : 'IV boluses'}: choose a regimen of the study's route (${route}).`,
      );
    }
    return regimen.interval;
  }

  /** Every asked summary of the full deterministic profile of each subject (and the profiles). */
  private summarise(
    population: VirtualPopulation,
    doses: DoseHistory,
    amount: number,
    times: Float64Array,
    asked: readonly EndpointSummary[],
    keepProfiles: boolean,
    signal: SteadyStateRequest['signal'],
  ): Omit<SteadyStateResult, 'amount'> {
    const P = times.length;
    const n = population.size;
    const want = new Set(asked);
    const max = new Float64Array(n).fill(-Infinity);
    const min = new Float64Array(n).fill(Infinity);
    const trough = new Float64Array(n);
    const average = new Float64Array(n);
    const weights = gridAverageWeights(P);
    const profiles = keepProfiles ? new Float64Array(n * P) : undefined;
    this.run(
      population,
      indices(n),
      doses,
      amount,
      times,
      (chunk, values) => {
        chunk.forEach((i, s) => {
          let hi = -Infinity;
          let lo = Infinity;
          let mean = 0;
          for (let k = 0; k < P; k++) {
            const v = values[s * P + k];
            if (profiles) profiles[i * P + k] = v;
            hi = Math.max(hi, v); // NaN stays NaN, and fails
            lo = Math.min(lo, v);
            mean += weights[k] * v;
          }
          max[i] = hi;
          min[i] = lo;
          trough[i] = values[s * P + P - 1];
          average[i] = mean;
        });
      },
      signal,
    );
    const out: Omit<SteadyStateResult, 'amount'> = {};
    if (want.has('max')) out.max = max;
    if (want.has('min')) out.min = min;
    if (want.has('trough')) out.trough = trough;
    if (want.has('average')) out.average = average;
    if (profiles) out.profiles = profiles;
    return out;
  }

  /** Input features of the simulated rows (a spread of up to 64 subjects) outside their training range, furthest first. */
  extrapolation(population: VirtualPopulation, interval: number, amount: number, gridStep: number): FeatureExtrapolation[] {
    const times = this.lastIntervalTimes(interval, gridStep);
    const doses = this.doses(interval, amount);
    const inputs = this.subjectInputs(population);
    const chosen = spread(population.size, 64);
    const out: FeatureExtrapolation[] = [];
    for (const branch of this.model.branches) {
      const fm = branch.featureModel;
      const nF = fm.names.length;
      const raw = new Float64Array(chosen.length * times.length * nF);
      chosen.forEach((i, s) => writeHistoryFeatures(fm, historyOf(inputs, i, doses, amount), times, raw, s * times.length));
      fm.names.forEach((feature, f) => {
        const training = this.context.featureRanges[branch.name]?.[feature];
        if (!training) return;
        let lo = Infinity;
        let hi = -Infinity;
        for (let r = f; r < raw.length; r += nF) {
          lo = Math.min(lo, raw[r]);
          hi = Math.max(hi, raw[r]);
        }
        const width = training[1] - training[0];
        const beyond = Math.max(training[0] - lo, hi - training[1], 0) / (width > 0 ? width : Math.max(1, Math.abs(training[0])));
        if (beyond > 1e-9) out.push({ branch: branch.name, feature, training: [...training], simulated: [lo, hi], beyond });
      });
    }
    return out.sort((a, b) => b.beyond - a.beyond);
  }

  /**
   * Per-subject maxima (and profiles) of the deterministic prediction. Without profiles, subjects
   * identical to one simulated before at the same dose (same index, covariates and baseline — a
   * scenario that only changes one covariate keeps the others) are not simulated again, and the rest are
   * screened when a threshold is set.
   */
  private maxima(
    population: VirtualPopulation,
    interval: number,
    doses: DoseHistory,
    amount: number,
    times: Float64Array,
    keepProfiles: boolean,
    signal: SteadyStateRequest['signal'],
  ): { maxPd: Float64Array; profiles?: Float64Array } {
    const P = times.length;
    const maxPd = new Float64Array(population.size).fill(-Infinity);
    const take =
      (columns: Int32Array, profiles?: Float64Array) =>
      (chunk: Int32Array, pd: Float64Array): void => {
        chunk.forEach((i, s) => {
          for (let c = 0; c < columns.length; c++) {
            const v = pd[s * columns.length + c];
            if (profiles) profiles[i * P + columns[c]] = v;
            maxPd[i] = Math.max(maxPd[i], v); // NaN stays NaN, and fails
          }
        });
      };
    const all = indices(P);
    if (keepProfiles) {
      const profiles = new Float64Array(population.size * P);
      this.run(population, indices(population.size), doses, amount, times, take(all, profiles), signal);
      return { maxPd, profiles };
    }
    const key = `${interval}|${amount}|${P}`;
    const subjects = this.reuse(population, key, maxPd);
    const threshold = this.options.screenThreshold;
    if (threshold === undefined) this.run(population, subjects, doses, amount, times, take(all), signal);
    else {
      const stride = Math.max(1, Math.round(SCREEN_SPACING_H / (times[1] - times[0] || 1)));
      const coarse = all.filter((k) => k % stride === 0 || k === P - 1);
      const rest = all.filter((k) => !(k % stride === 0 || k === P - 1));
      const at = (columns: Int32Array): Float64Array => Float64Array.from(columns, (k) => times[k]);
      this.run(population, subjects, doses, amount, at(coarse), take(coarse), signal);
      const survivors = subjects.filter((i) => maxPd[i] < threshold);
      if (rest.length > 0 && survivors.length > 0) this.run(population, survivors, doses, amount, at(rest), take(rest), signal);
    }
    this.remember(population, key, maxPd);
    return { maxPd };
  }

  /** Fills maxPd for the subjects already simulated under `key`; returns the others. */
  private reuse(population: VirtualPopulation, key: string, maxPd: Float64Array): Int32Array {
    const inputs = this.subjectInputs(population);
    const earlier = this.memo.get(key) ?? [];
    const same = (e: { population: VirtualPopulation; baseline: Float64Array }, i: number): boolean => {
      if (!(i < e.population.size) || !Object.is(e.baseline[i], inputs.baselinePd[i])) return false;
      const theirs = this.subjectInputs(e.population).covariates[i];
      const mine = inputs.covariates[i];
      return this.covariates.every((name) => Object.is(theirs[name], mine[name]));
    };
    const todo: number[] = [];
    for (let i = 0; i < population.size; i++) {
      const hit = earlier.find((e) => same(e, i));
      if (hit) maxPd[i] = hit.maxPd[i];
      else todo.push(i);
    }
    return Int32Array.from(todo);
  }

  private remember(population: VirtualPopulation, key: string, maxPd: Float64Array): void {
    const entries = this.memo.get(key) ?? [];
    if (!entries.some((e) => e.population === population))
      entries.push({ population, baseline: this.subjectInputs(population).baselinePd, maxPd });
    this.memo.set(key, entries);
  }

  /** PD over interval K against interval K−1 for a spread of subjects. */
  private check(
    population: VirtualPopulation,
    doses: DoseHistory,
    amount: number,
    plan: HistoryPlan,
    grid: Float64Array,
    signal: SteadyStateRequest['signal'],
  ): SteadyStateCheck {
    const P = grid.length;
    const chosen = spread(population.size, this.checkSubjects);
    const times = new Float64Array(2 * P);
    grid.forEach((t, k) => {
      times[k] = plan.lastIntervalStart - plan.interval + t;
      times[P + k] = plan.lastIntervalStart + t;
    });
    let worst = 0;
    this.run(
      population,
      chosen,
      doses,
      amount,
      times,
      (chunk, pd) => {
        chunk.forEach((_, s) => {
          for (let k = 0; k < P; k++) {
            const previous = pd[s * 2 * P + k];
            const last = pd[s * 2 * P + P + k];
            const d = Math.abs(last - previous) / Math.max(Math.abs(previous), this.pdFloor);
            worst = Math.max(worst, d);
          }
        });
      },
      signal,
    );
    const cap =
      plan.limitedBy === 'training time span'
        ? `, capped from ${plan.memoryIntervals} at the training time span ${plan.trainingTimeSpan} h`
        : plan.limitedBy === 'fixed'
          ? ' (fixed)'
          : '';
    return {
      method: 'network: last two intervals',
      worstRelativeDifference: worst,
      tolerance: this.tolerance,
      ok: worst <= this.tolerance,
      subjectsChecked: chosen.length,
      intervalsSimulated: plan.intervals,
      detail: `${plan.intervals} intervals of ${plan.interval} h${cap}; feature memory ${plan.memoryHours.toFixed(0)} h; last interval ${plan.lastIntervalStart}–${plan.lastIntervalStart + plan.interval} h`,
    };
  }

  /**
   * PD (observation units) of `subjects` × `times` under one dose history, in chunks of whole
   * subjects: `visit(chunk, pd)` with pd[s * times.length + k] (pd is reused for the next chunk).
   */
  private run(
    population: VirtualPopulation,
    subjects: Int32Array,
    doses: DoseHistory,
    amount: number,
    times: ArrayLike<number>,
    visit: (chunk: Int32Array, pd: Float64Array) => void,
    signal: SteadyStateRequest['signal'],
  ): void {
    const { branch, column, spec, pk: pkBranch } = this.pd;
    const P = times.length;
    if (P === 0) return;
    const inputs = this.subjectInputs(population);
    const perChunk = Math.max(1, Math.floor(CHUNK_ROWS / P));
    // Every subject has the same doses and DOSE: the history columns are written once.
    const rowsOf = (fm: FeatureModel): { fm: FeatureModel; shared: Float64Array; raw: Float64Array } => {
      const shared = new Float64Array(P * fm.names.length);
      writeHistoryFeatures(fm, { doses, armDose: amount }, times, shared);
      return { fm, shared, raw: new Float64Array(perChunk * shared.length) };
    };
    const own = rowsOf(branch.featureModel);
    const pk = pkBranch ? rowsOf(pkBranch.featureModel) : null;
    const T = branch.targets.length;
    const pd = new Float64Array(perChunk * P);
    for (let from = 0; from < subjects.length; from += perChunk) {
      if (signal?.aborted) throw new DoseSearchCancelledError();
      const chunk = subjects.subarray(from, Math.min(subjects.length, from + perChunk));
      chunk.forEach((i, s) => {
        const subject = { covariates: inputs.covariates[i], baselinePd: inputs.baselinePd[i] };
        writeSubjectHistoryFeatures(own.fm, own.shared, subject, own.raw, s * P);
        if (pk) writeSubjectHistoryFeatures(pk.fm, pk.shared, subject, pk.raw, s * P);
      });
      const rows = chunk.length * P;
      const rowInputs = {
        rows,
        own: own.raw.subarray(0, rows * own.fm.names.length),
        pk: pk ? pk.raw.subarray(0, rows * pk.fm.names.length) : null,
      };
      const z = branchOutputs(this.model, branch, rowInputs, INFERENCE);
      for (let r = 0; r < rows; r++) pd[r] = fromTargetScale(z[r * T + column] * spec.scaler.sd + spec.scaler.mean, spec.logTarget);
      visit(chunk, pd);
    }
  }

  private subjectInputs(population: VirtualPopulation): SubjectInputs {
    const cached = this.inputs.get(population);
    if (cached) return cached;
    const z = population.random[BASELINE_PD_EFFECT];
    if (this.randomEffects.length > 0 && !z)
      throw new Error(`NetworkDoseSimulator: the population lacks the ${BASELINE_PD_EFFECT} draws the simulator declares`);
    const out: SubjectInputs = { covariates: [], baselinePd: new Float64Array(population.size).fill(NaN) };
    // By name; a covariate the population lacks is NaN, which the features replace by the training median.
    const columns = this.covariates.map((name) => population.covariates[name.toUpperCase()]);
    const strata = this.context.strata.map((name) => population.covariates[name.toUpperCase()]);
    const all = this.baselineGroups.get('')!;
    for (let i = 0; i < population.size; i++) {
      const covariates: Record<string, number> = {};
      this.covariates.forEach((name, c) => (covariates[name] = columns[c]?.[i] ?? Number.NaN));
      out.covariates.push(covariates);
      if (z) {
        const key = strata.map((values) => (values?.[i] === 1 ? 1 : 0)).join('|');
        const own = this.baselineGroups.get(key);
        const group = own && own.length > 0 ? own : all;
        if (group.length > 0) out.baselinePd[i] = group[Math.min(group.length - 1, Math.floor(normalCdf(z[i]) * group.length))];
      }
    }
    this.inputs.set(population, out);
    return out;
  }
}

function historyOf(inputs: SubjectInputs, i: number, doses: DoseHistory, amount: number): HistoryInputs {
  return { doses, covariates: inputs.covariates[i], armDose: amount, baselinePd: inputs.baselinePd[i] };
}

function indices(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Up to `count` subject indices spread evenly over 0 … n − 1. */
function spread(n: number, count: number): Int32Array {
  const m = Math.min(n, count);
  return Int32Array.from({ length: m }, (_, j) => Math.floor((j * n) / m));
}
