/**
 * The contract every dose search runs against: a simulator that takes a whole virtual population,
 * the shape of a regimen (dosing interval, route, infusion duration) and a batch of dose amounts,
 * and returns, per subject, summaries of the questions' endpoint — the drug concentration (PK) or
 * the response (PD) — over the LAST dosing interval at steady state, on a grid of that interval:
 *   max, min  the largest and smallest grid value ("throughout" criteria);
 *   trough    the value just before the next dose (at τ, the engine's left limit);
 *   average   the mean over the interval (exact from the closed form where a simulator can, else
 *             `gridAverage`: composite Simpson's rule over the grid).
 * Batched on purpose — a network simulator pushes subjects × amounts × grid times through one
 * forward pass — and free to be synchronous (the mechanistic models) or asynchronous (TF.js).
 *
 * The grid (`regimenGrid`): P + 1 equally spaced times 0, τ/P, …, τ. Its spacing is the caller's
 * `gridStep` (P = ⌈τ / gridStep⌉) or, by default (`defaultGridStep`), 0.25 h in the spec's time unit,
 * with at least 96 and at most 2000 panels: τ/96 for intervals shorter than 24 h, τ/2000 for
 * intervals longer than 500 h. After an IV bolus the concentration jumps at the dose: the grid's
 * first time is then 1e-6 τ after it (the peak, not the trough before the dose, which is at τ).
 */
import type { CancelSignal } from '../data/cancel';
import type { DoseRoute } from '../pkpd/structural/doses';
import type { TimeUnit } from '../study/study-spec';
import { HOURS_PER } from '../study/units';
import { DoseSettingsError } from './errors';
import type { VirtualPopulation } from './virtual-population';

export type { CancelSignal };

/** The part of a regimen its steady state depends on besides the amount: τ, route, infusion duration. */
export interface DosingRegimen {
  /** Dosing interval τ, in the questions' time unit. */
  interval: number;
  route: DoseRoute;
  /** Infusion duration (infusions only). */
  duration?: number;
}

/** A regimen of oral doses every `interval` (the EstData regimens). */
export const oralEvery = (interval: number): DosingRegimen => ({ interval, route: 'oral' });

export type EndpointSummary = 'max' | 'min' | 'trough' | 'average';

export interface SteadyStateRequest {
  population: VirtualPopulation;
  regimen: DosingRegimen;
  /** Dose amounts, simulated on the same subjects. */
  amounts: readonly number[];
  /** Largest spacing of the output grid (see the file comment). */
  gridStep: number;
  /** The summaries to return (default ['max']). */
  summaries?: readonly EndpointSummary[];
  /** Return full profiles [subject × grid point] as well. */
  keepProfiles?: boolean;
  /** Run the steady-state check for every amount (costs extra simulation). */
  checkSteadyState?: boolean;
  signal?: CancelSignal;
}

/**
 * How close the returned interval is to true steady state: the worst relative difference between
 * the last two simulated intervals (a simulator that runs a dose history forward) or between a long
 * simulation from a drug-free start and the returned interval (a simulator that solves for the
 * periodic state directly).
 */
export interface SteadyStateCheck {
  method: string;
  worstRelativeDifference: number;
  tolerance: number;
  ok: boolean;
  subjectsChecked: number;
  /** Dosing intervals simulated from the first dose in the check. */
  intervalsSimulated: number;
  detail?: string;
}

export interface SteadyStateResult {
  amount: number;
  /** Per subject, each summary asked for (see the file comment). */
  max?: Float64Array;
  min?: Float64Array;
  trough?: Float64Array;
  average?: Float64Array;
  /** The endpoint on the grid, [subject * grid.length + k], when keepProfiles was asked for. */
  profiles?: Float64Array;
  steadyState?: SteadyStateCheck;
}

export interface SteadyStateBatch {
  regimen: DosingRegimen;
  /** Grid times since the latest dose, 0 … τ inclusive. */
  grid: Float64Array;
  /** One result per requested amount, in order. */
  results: SteadyStateResult[];
}

export interface SteadyStateSimulator {
  /** Short description for reports, e.g. "oral 2-compartment, indirect (inhibit-production)". */
  readonly label: string;
  /** Names of the standard-normal random effects it reads from `population.random`. */
  readonly randomEffects: readonly string[];
  /** The summaries it can give (default: only 'max'). */
  readonly summaries?: readonly EndpointSummary[];
  /**
   * How the endpoint moves with the dose, when the simulator knows it: 'increasing' (a
   * concentration, a stimulated response) or 'decreasing' (an inhibited response). Unknown: the
   * searches assume that success rises with the dose.
   */
  readonly direction?: 'increasing' | 'decreasing';
  simulate(request: SteadyStateRequest): SteadyStateBatch | Promise<SteadyStateBatch>;
}

/** Refuses a dosing interval that is not a positive number. */
export function checkInterval(interval: number): void {
  if (!(interval > 0 && Number.isFinite(interval))) throw new DoseSettingsError(`The dosing interval must be positive, got ${interval}.`);
}

/** Refuses a request a simulator cannot answer: the regimen, the grid step and the amounts, in the words of the dose settings. */
export function checkSteadyStateRequest({
  regimen,
  gridStep,
  amounts,
}: Pick<SteadyStateRequest, 'regimen' | 'gridStep' | 'amounts'>): void {
  checkInterval(regimen.interval);
  if (regimen.route === 'infusion' && !(regimen.duration !== undefined && regimen.duration > 0 && regimen.duration <= regimen.interval)) {
    throw new DoseSettingsError(
      `An infusion regimen needs a duration between 0 and the interval (${regimen.interval}), got ${regimen.duration}.`,
    );
  }
  if (!(gridStep > 0)) throw new DoseSettingsError(`The grid step must be positive, got ${gridStep}.`);
  for (const a of amounts) {
    if (!(a >= 0) || !Number.isFinite(a)) throw new DoseSettingsError(`Dose amounts must be zero or positive numbers, got ${a}.`);
  }
}

/** The output grid for an interval: P + 1 equally spaced times, P = ⌈τ / gridStep⌉. */
export function intervalGrid(interval: number, gridStep: number): Float64Array {
  const panels = Math.max(1, Math.ceil(interval / gridStep - 1e-9));
  return Float64Array.from({ length: panels + 1 }, (_, k) => (interval * k) / panels);
}

/** Where the grid starts after a bolus, as a fraction of τ (beyond the engine's same-time tolerance of 1e-9). */
export const BOLUS_OFFSET = 1e-6;

/** The grid of a regimen: `intervalGrid`, its first time moved just after the dose for a bolus (see the file comment). */
export function regimenGrid(regimen: DosingRegimen, gridStep: number): Float64Array {
  const grid = intervalGrid(regimen.interval, gridStep);
  if (regimen.route === 'bolus') grid[0] = BOLUS_OFFSET * regimen.interval;
  return grid;
}

const GRID_HOURS = 0.25;
const MIN_PANELS = 96;
const MAX_PANELS = 2000;

/** The default grid spacing of an interval in `timeUnit`: 0.25 h, at least 96 and at most 2000 panels (file comment). */
export function defaultGridStep(interval: number, timeUnit: TimeUnit = 'h'): number {
  checkInterval(interval);
  const step = GRID_HOURS / HOURS_PER[timeUnit];
  const panels = Math.min(MAX_PANELS, Math.max(MIN_PANELS, Math.ceil(interval / step - 1e-9)));
  return interval / panels;
}

/**
 * Weights w of the mean over the interval of values on an equally spaced grid of `points` (≥ 1):
 * mean ≈ Σ w_k f_k by composite Simpson's rule (with the 3/8 rule on the last three panels when their
 * number is odd; the trapezoid for one panel). Exact for cubics; error O(h⁴) for a smooth profile,
 * O(h²) locally where the profile has a kink (an infusion's end).
 */
export function gridAverageWeights(points: number): Float64Array {
  const panels = points - 1;
  const w = new Float64Array(points);
  if (panels < 1) {
    w[0] = 1;
    return w;
  }
  if (panels === 1) {
    w[0] = w[1] = 0.5;
    return w;
  }
  const simpsonPanels = panels % 2 === 0 ? panels : panels - 3;
  if (simpsonPanels > 0) {
    w[0] += 1 / 3;
    for (let k = 1; k < simpsonPanels; k++) w[k] += (k % 2 === 1 ? 4 : 2) / 3;
    w[simpsonPanels] += 1 / 3;
  }
  if (simpsonPanels < panels) {
    const s = simpsonPanels;
    w[s] += 3 / 8;
    w[s + 1] += 9 / 8;
    w[s + 2] += 9 / 8;
    w[s + 3] += 3 / 8;
  }
  for (let k = 0; k < points; k++) w[k] /= panels;
  return w;
}

const averageWeights = new Map<number, Float64Array>();

/** `gridAverageWeights`, kept per grid size. */
export function cachedAverageWeights(points: number): Float64Array {
  let w = averageWeights.get(points);
  if (!w) {
    w = gridAverageWeights(points);
    if (averageWeights.size > 16) averageWeights.clear();
    averageWeights.set(points, w);
  }
  return w;
}

/** The mean over the interval of values on an equally spaced grid of `points` at `offset` (see gridAverageWeights). */
export function gridAverage(values: ArrayLike<number>, offset: number, points: number): number {
  const w = cachedAverageWeights(points);
  let sum = 0;
  for (let k = 0; k < points; k++) sum += w[k] * values[offset + k];
  return sum;
}

/** Writes subject i's summaries of a profile on the grid into the result's arrays that exist. */
export function summariseProfile(values: ArrayLike<number>, offset: number, points: number, result: SteadyStateResult, i: number): void {
  if (result.max || result.min) {
    let max = -Infinity;
    let min = Infinity;
    for (let k = 0; k < points; k++) {
      const v = values[offset + k];
      if (Number.isNaN(v)) {
        max = Number.NaN;
        min = Number.NaN;
        break;
      }
      if (v > max) max = v;
      if (v < min) min = v;
    }
    if (result.max) result.max[i] = max;
    if (result.min) result.min[i] = min;
  }
  if (result.trough) result.trough[i] = values[offset + points - 1];
  if (result.average) result.average[i] = gridAverage(values, offset, points);
}

/** An empty result for `size` subjects with the summaries asked for (and room for profiles). */
export function emptyResult(amount: number, size: number, summaries: readonly EndpointSummary[], profilePoints = 0): SteadyStateResult {
  const result: SteadyStateResult = { amount };
  for (const s of summaries) result[s] = new Float64Array(size);
  if (profilePoints > 0) result.profiles = new Float64Array(size * profilePoints);
  return result;
}
