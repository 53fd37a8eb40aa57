/**
 * Seeded virtual populations for dose questions. Every quantity is drawn from its own stream of
 * standard draws keyed by (seed, name), so the same seed gives the same subjects in every scenario,
 * at every dose and for every model (common random numbers): BW = lo + (hi − lo)·u_BW, COMED = 1
 * when u_COMED < share, and each random effect is a standard normal z that the simulator scales by
 * its own SD (η = ω·z). Changing the BW range or the COMED share moves the same subjects; changing
 * the model's Ω rescales the same z.
 */
import { createRng } from '../pkpd/random';
import type { Dataset } from '../data/types';
import { DoseSettingsError } from './errors';
import { maxOf, minOf } from '../data/min-max';

export interface PopulationScenario {
  /** Body weight is uniform over [lo, hi) kg. */
  bwRange: readonly [number, number];
  /** Probability of COMED = 1 (0 when COMED is not allowed). */
  comedShare: number;
}

export interface VirtualPopulation {
  size: number;
  seed: number;
  scenario: PopulationScenario;
  /** Body weight (kg) per subject. */
  bw: Float64Array;
  /** COMED (0/1) per subject. */
  comed: Uint8Array;
  /** Standard-normal draws per random-effect name (each of length `size`). */
  random: Record<string, Float64Array>;
}

/** FNV-1a hash of a stream name. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** An independent random stream for (seed, name). */
export function streamFor(seed: number, name: string): ReturnType<typeof createRng> {
  return createRng((hashName(name) ^ Math.imul(Math.floor(seed) >>> 0, 0x9e3779b1)) >>> 0);
}

export interface PopulationRequest {
  size: number;
  seed: number;
  scenario: PopulationScenario;
  /** Names of the standard-normal random effects to draw (a simulator's `randomEffects`). */
  randomEffects: readonly string[];
}

export function drawPopulation(request: PopulationRequest): VirtualPopulation {
  const { size, seed, scenario } = request;
  if (!(Number.isInteger(size) && size > 0))
    throw new DoseSettingsError(`The virtual population needs a positive whole number of subjects, got ${size}.`);
  const [lo, hi] = scenario.bwRange;
  if (!(lo > 0 && hi >= lo)) throw new DoseSettingsError(`The body-weight range must be positive and ordered, got ${lo}–${hi} kg.`);
  if (!(scenario.comedShare >= 0 && scenario.comedShare <= 1)) {
    throw new DoseSettingsError(`The COMED share must lie in [0, 1], got ${scenario.comedShare}.`);
  }
  const bw = new Float64Array(size);
  const comed = new Uint8Array(size);
  const bwRng = streamFor(seed, 'BW');
  const comedRng = streamFor(seed, 'COMED');
  for (let i = 0; i < size; i++) {
    bw[i] = lo + (hi - lo) * bwRng.uniform();
    comed[i] = comedRng.uniform() < scenario.comedShare ? 1 : 0;
  }
  const random: Record<string, Float64Array> = {};
  for (const name of request.randomEffects) {
    const rng = streamFor(seed, `eta:${name}`);
    const z = new Float64Array(size);
    for (let i = 0; i < size; i++) z[i] = rng.normal();
    random[name] = z;
  }
  return { size, seed, scenario: { bwRange: [lo, hi], comedShare: scenario.comedShare }, bw, comed, random };
}

/** Share of subjects with COMED = 1 in a dataset (0 when it has no COMED column). */
export function datasetComedShare(dataset: Dataset): number {
  if (!dataset.covariates.some((c) => c.name === 'COMED') || dataset.subjects.length === 0) return 0;
  let n = 0;
  let yes = 0;
  for (const s of dataset.subjects) {
    const v = s.baseline.COMED;
    if (v === 0 || v === 1) {
      n++;
      yes += v;
    }
  }
  return n > 0 ? yes / n : 0;
}

/** Observed body-weight range of a dataset, or null without a BW column. */
export function datasetBwRange(dataset: Dataset): [number, number] | null {
  const values = dataset.subjects.map((s) => s.baseline.BW).filter((v) => v > 0);
  if (values.length === 0) return null;
  return [minOf(values), maxOf(values)];
}
