/**
 * Seeded virtual populations for dose questions: a scenario of the study spec (`questions.scenarios`)
 * made into subjects. Every quantity is drawn from its own stream of uniforms keyed by (seed, name)
 * (`streamFor`), so the same seed gives the same subjects in every scenario, at every dose and for
 * every model (common random numbers; `streamFor` of ../pkpd/random.ts):
 *   - each covariate the scenario names, from the stream of its column name (upper case), one uniform
 *     u per subject: uniform [a, b] → a + (b − a)·u; share p → 1 when u < p, else 0; normal (m, sd) →
 *     m + sd·Φ⁻¹(u), truncated to `range` by inversion (u mapped into [Φ(a′), Φ(b′)]) so that a subject
 *     keeps its rank whatever the mean, SD or range; values → the value at ⌊u·count⌋;
 *   - every covariate the scenario leaves out, resampled JOINTLY from the trial's subjects (whole
 *     covariate vectors of one subject, so that correlations such as WT–HT are kept), the subject
 *     picked by the stream "subjects:resample";
 *   - each random effect a standard normal z from the stream "eta:<name>" (a simulator's
 *     `randomEffects`, e.g. "pk.cl" for η of CL, `etaName`), which the simulator scales by its ω.
 * Changing a range or a share moves the same subjects; changing a model's Ω rescales the same z.
 * The names are chosen so that EstData's preset (a uniform body weight and a 0/1 share; η of CL, V,
 * KA, BASE, IC50, KOUT) draws exactly the numbers the EstData-only code drew (streams named by the
 * covariate columns, "eta:pk.cl", …).
 */
import { normalCdf, normalQuantile, streamFor, type Rng } from '../pkpd/random';
import type { CovariateDistribution, ScenarioSpec } from '../study/study-spec';
import { DoseSettingsError } from './errors';

/** The stream that picks the trial subject whose covariates a virtual subject takes. */
export const RESAMPLE_STREAM = 'subjects:resample';

/** The random-effect name of parameter P of a stage: "pk.cl", "pd.base" (its stream is "eta:" + this). */
export function etaName(stage: 'pk' | 'pd', parameter: string): string {
  return `${stage}.${parameter.toLowerCase()}`;
}

/** Covariate vectors of a trial's subjects, for resampling. */
export interface TrialCovariates {
  /** Upper-case column names. */
  columns: string[];
  /** One vector per subject, in `columns` order (NaN where missing). */
  rows: Float64Array[];
}

/** The covariates of subjects as bound by a study (src/study/study-data.ts: by upper-case column name). */
export function trialCovariates(subjects: readonly { covariates: Readonly<Record<string, number>> }[]): TrialCovariates {
  const columns = [...new Set(subjects.flatMap((s) => Object.keys(s.covariates)))].map((c) => c.toUpperCase());
  const rows = subjects.map((s) => Float64Array.from(columns, (c) => s.covariates[c] ?? Number.NaN));
  return { columns, rows };
}

export type CovariateSource = 'uniform' | 'normal' | 'share' | 'values' | 'resampled';

export interface VirtualPopulation {
  size: number;
  seed: number;
  /** The scenario's name. */
  scenario: string;
  /** Covariates by upper-case column name, each of length `size`. */
  covariates: Record<string, Float64Array>;
  /** Where each covariate came from. */
  sources: Record<string, CovariateSource>;
  /** The trial subject each virtual subject's resampled covariates came from (null: nothing resampled). */
  trialIndex: Int32Array | null;
  /** Standard-normal draws per random-effect name (each of length `size`). */
  random: Record<string, Float64Array>;
}

export interface PopulationRequest {
  size: number;
  seed: number;
  scenario: Pick<ScenarioSpec, 'covariates'> & { name?: string };
  /** The trial's subjects, for the covariates the scenario leaves out. */
  trial?: TrialCovariates;
  /** Columns the model needs: each must come from the scenario or the trial. */
  required?: readonly string[];
  /** Names of the standard-normal random effects to draw (a simulator's `randomEffects`). */
  randomEffects: readonly string[];
}

/** One uniform in (0, 1) — never 0 — for inversion. */
function openUniform(rng: Rng): number {
  return rng.uniform() + 2 ** -33;
}

function checkDistribution(d: CovariateDistribution, where: string): void {
  const finite = (xs: readonly number[]): boolean => xs.every((x) => Number.isFinite(x));
  if ('uniform' in d) {
    const [a, b] = d.uniform;
    if (!(finite(d.uniform) && a <= b))
      throw new DoseSettingsError(`${where}: a uniform range must be [low, high] with low ≤ high, got [${a}, ${b}].`);
  } else if ('normal' in d) {
    const [m, sd] = d.normal;
    if (!(finite(d.normal) && sd > 0))
      throw new DoseSettingsError(`${where}: a normal distribution needs a finite mean and an SD > 0, got [${m}, ${sd}].`);
    if (d.range && !(finite(d.range) && d.range[0] < d.range[1] && m >= d.range[0] && m <= d.range[1])) {
      throw new DoseSettingsError(
        `${where}: the range of a normal distribution must be [low, high] around its mean ${m}, got [${d.range.join(', ')}].`,
      );
    }
  } else if ('share' in d) {
    if (!(d.share >= 0 && d.share <= 1)) throw new DoseSettingsError(`${where}: a share must lie in [0, 1], got ${d.share}.`);
  } else if (!(d.values.length > 0 && finite(d.values))) {
    throw new DoseSettingsError(`${where}: a list of values needs at least one number.`);
  }
}

/** Draws `size` values of a distribution from its stream (see the file comment). */
function drawCovariate(d: CovariateDistribution, rng: Rng, size: number): Float64Array {
  const out = new Float64Array(size);
  if ('uniform' in d) {
    const [a, b] = d.uniform;
    for (let i = 0; i < size; i++) out[i] = a + (b - a) * rng.uniform();
  } else if ('share' in d) {
    for (let i = 0; i < size; i++) out[i] = rng.uniform() < d.share ? 1 : 0;
  } else if ('normal' in d) {
    const [m, sd] = d.normal;
    const lo = d.range ? normalCdf((d.range[0] - m) / sd) : 0;
    const hi = d.range ? normalCdf((d.range[1] - m) / sd) : 1;
    for (let i = 0; i < size; i++) {
      const x = m + sd * normalQuantile(lo + (hi - lo) * openUniform(rng));
      out[i] = d.range ? Math.min(d.range[1], Math.max(d.range[0], x)) : x;
    }
  } else {
    const n = d.values.length;
    for (let i = 0; i < size; i++) out[i] = d.values[Math.min(n - 1, Math.floor(rng.uniform() * n))];
  }
  return out;
}

function sourceOf(d: CovariateDistribution): CovariateSource {
  return 'uniform' in d ? 'uniform' : 'normal' in d ? 'normal' : 'share' in d ? 'share' : 'values';
}

export function drawPopulation(request: PopulationRequest): VirtualPopulation {
  const { size, seed, trial } = request;
  const name = request.scenario.name ?? 'scenario';
  if (!(Number.isInteger(size) && size > 0))
    throw new DoseSettingsError(`The virtual population needs a positive whole number of subjects, got ${size}.`);
  const given = request.scenario.covariates === 'resample' ? {} : request.scenario.covariates;
  const covariates: Record<string, Float64Array> = {};
  const sources: Record<string, CovariateSource> = {};
  for (const [column, d] of Object.entries(given)) {
    const key = column.toUpperCase();
    checkDistribution(d, `Scenario "${name}", ${key}`);
    covariates[key] = drawCovariate(d, streamFor(seed, key), size);
    sources[key] = sourceOf(d);
  }
  let trialIndex: Int32Array | null = null;
  const left = trial ? trial.columns.filter((c) => !(c in covariates)) : [];
  if (trial && left.length > 0) {
    if (trial.rows.length === 0) throw new DoseSettingsError(`Scenario "${name}": the trial has no subjects to resample covariates from.`);
    const rng = streamFor(seed, RESAMPLE_STREAM);
    trialIndex = new Int32Array(size);
    const n = trial.rows.length;
    for (let i = 0; i < size; i++) trialIndex[i] = Math.min(n - 1, Math.floor(rng.uniform() * n));
    for (const column of left) {
      const c = trial.columns.indexOf(column);
      covariates[column] = Float64Array.from(trialIndex, (j) => trial.rows[j][c]);
      sources[column] = 'resampled';
    }
  }
  for (const column of request.required ?? []) {
    const key = column.toUpperCase();
    if (!(key in covariates)) {
      throw new DoseSettingsError(
        `Scenario "${name}": the model needs the covariate ${key}, which the scenario does not give${trial ? ' and the trial does not have' : ''}. Give it in questions.scenarios (e.g. "${key}": { "uniform": [a, b] }).`,
      );
    }
    if (sources[key] === 'resampled' && covariates[key].some((x) => Number.isNaN(x))) {
      throw new DoseSettingsError(
        `Scenario "${name}": ${key} is missing for some trial subjects and cannot be resampled; give its distribution in the scenario.`,
      );
    }
  }
  const random: Record<string, Float64Array> = {};
  for (const effect of request.randomEffects) {
    const rng = streamFor(seed, `eta:${effect}`);
    const z = new Float64Array(size);
    for (let i = 0; i < size; i++) z[i] = rng.normal();
    random[effect] = z;
  }
  return { size, seed, scenario: name, covariates, sources, trialIndex, random };
}

/** A covariate of a population by name (any case); throws a DoseSettingsError when it has none. */
export function covariateOf(population: VirtualPopulation, column: string): Float64Array {
  const values = population.covariates[column.toUpperCase()];
  if (!values)
    throw new DoseSettingsError(`The virtual population of scenario "${population.scenario}" has no covariate ${column.toUpperCase()}.`);
  return values;
}
