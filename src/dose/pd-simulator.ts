/**
 * The contract every dose search runs against: a simulator that takes a whole virtual population,
 * a dosing interval and a batch of dose amounts, and returns each subject's PD over the LAST dosing
 * interval at steady state on a fine grid. Batched on purpose — a network simulator can push
 * subjects × amounts × grid times through one forward pass — and free to be synchronous (the
 * mechanistic model) or asynchronous (TF.js, a worker).
 */
import type { CancelSignal } from '../pkpd/foce';
import { DoseSettingsError } from './errors';
import type { VirtualPopulation } from './virtual-population';

export type { CancelSignal };

/** A regular regimen: `amount` mg every `interval` h. */
export interface Regimen {
  amount: number;
  interval: number;
}

export interface SteadyStateRequest {
  population: VirtualPopulation;
  /** Dosing interval τ (h): 24 daily, 168 weekly. */
  interval: number;
  /** Dose amounts (mg), simulated on the same subjects. */
  amounts: readonly number[];
  /** Largest spacing of the output grid (h); the grid is 0, τ/P, …, τ with P = ⌈τ / gridStep⌉. */
  gridStep: number;
  /** Return full profiles [subject × grid point] as well as per-subject maxima. */
  keepProfiles?: boolean;
  /** Run the steady-state check for every amount (costs extra simulation). */
  checkSteadyState?: boolean;
  signal?: CancelSignal;
}

/**
 * How close the returned interval is to true steady state: the worst relative difference
 * |R_a(t) − R_b(t)| / R_b(t) over the checked subjects and grid times, between the last two
 * simulated intervals (a simulator that runs a dose history forward) or between a long cold-start
 * simulation and the returned interval (a simulator that solves for the periodic state directly).
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
  /** Largest PD over the grid of the last interval, per subject. */
  maxPd: Float64Array;
  /** PD on the grid, [subject * grid.length + k], when keepProfiles was asked for. */
  profiles?: Float64Array;
  steadyState?: SteadyStateCheck;
}

export interface SteadyStateBatch {
  interval: number;
  /** Grid times since the last dose, 0 … τ inclusive. */
  grid: Float64Array;
  /** One result per requested amount, in order. */
  results: SteadyStateResult[];
}

export interface PdSimulator {
  /** Short description for reports, e.g. "mechanistic 2-compartment / indirect response". */
  readonly label: string;
  /** Names of the standard-normal random effects it reads from `population.random`. */
  readonly randomEffects: readonly string[];
  simulate(request: SteadyStateRequest): SteadyStateBatch | Promise<SteadyStateBatch>;
}

/** Refuses a dosing interval that is not a positive number of hours. */
export function checkInterval(interval: number): void {
  if (!(interval > 0)) throw new DoseSettingsError(`The dosing interval must be positive, got ${interval} h.`);
}

/** Refuses a request a simulator cannot answer: the interval, the grid step and the amounts, in the words of the dose settings. */
export function checkSteadyStateRequest({
  interval,
  gridStep,
  amounts,
}: Pick<SteadyStateRequest, 'interval' | 'gridStep' | 'amounts'>): void {
  checkInterval(interval);
  if (!(gridStep > 0)) throw new DoseSettingsError(`The grid step must be positive, got ${gridStep} h.`);
  for (const a of amounts) {
    if (!(a >= 0) || !Number.isFinite(a)) throw new DoseSettingsError(`Dose amounts must be non-negative numbers, got ${a} mg.`);
  }
}

/** The output grid for an interval: P + 1 equally spaced times with spacing ≤ gridStep. */
export function intervalGrid(interval: number, gridStep: number): Float64Array {
  const panels = Math.max(1, Math.ceil(interval / gridStep - 1e-9));
  return Float64Array.from({ length: panels + 1 }, (_, k) => (interval * k) / panels);
}
