/**
 * The dose to recommend for one patient: the smallest dose on the regimen's grid (step, 2·step, …,
 * max; default 60 steps) whose posterior probability of meeting the study's criterion
 * (`questions.criterion`: below/above/within a threshold or range, throughout the interval, at its
 * trough or on its average) at steady state is at least the chosen level.
 *
 * The posterior samples (posterior-sampling.ts) become a virtual population of the dose questions
 * (../dose/virtual-population.ts): the patient's covariates for every member and the sampled η as
 * the standard-normal draws η/ω the simulator scales back by ω. The steady state and the criterion
 * are the dose questions' own: ../dose/study-simulator.ts `StudyDoseSimulator.successRanges` (the
 * exact periodic steady state of the mechanistic models, each sample's doses meeting the criterion
 * found by bisection on the grid, ../dose/criterion.ts `meets`), on the default grid of the
 * interval (../dose/steady-state.ts `defaultGridStep`). The probability of a dose is the share of
 * samples whose range contains it.
 *
 * `recommendRegimen` also chooses the interval among the regimen's candidates (`interval` and
 * `intervals`): each interval's smallest dose reaching the level, and of those the smallest amount
 * per day (dose × 24 h ÷ the interval in hours); amounts per day equal to 1e-9 relative → the longer
 * interval (fewer doses).
 */
import type { DoseRoute } from '../pkpd/structural/doses';
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import { defaultGridStep, type DosingRegimen } from '../dose/steady-state';
import { StudyDoseSimulator } from '../dose/study-simulator';
import { etaName, type VirtualPopulation } from '../dose/virtual-population';
import type { Criterion, StudySpec } from '../study/study-spec';
import { HOURS_PER } from '../study/units';
import type { PatientRecord, PatientRegimen } from './patient-record';
import type { PatientPosterior } from './map-estimate';
import type { PosteriorSamples } from './posterior-sampling';

export interface DoseRecommendation {
  regimen: { interval: number; route: 'oral' | 'iv'; duration?: number };
  /** The smallest dose on the grid reaching `target`; null when none does. */
  dose: number | null;
  /** Its posterior probability of meeting the criterion (the highest on the grid when no dose reaches the target). */
  probability: number;
  target: number;
  criterion: Criterion;
  endpoint: 'pk' | 'pd';
  /** The grid and each dose's probability. */
  doses: number[];
  probabilities: number[];
  samples: number;
}

/** The regimen of the engine for a patient's regimen. */
export function dosingRegimen(regimen: PatientRegimen): DosingRegimen {
  const route: DoseRoute = regimen.route === 'oral' ? 'oral' : regimen.duration !== undefined ? 'infusion' : 'bolus';
  const out: DosingRegimen = { interval: regimen.interval, route };
  if (route === 'infusion') out.duration = regimen.duration;
  return out;
}

/** The posterior samples as a virtual population of the dose questions (see the header). */
export function samplePopulation(posterior: PatientPosterior, samples: PosteriorSamples, model: StudyPopulationModel): VirtualPopulation {
  const size = samples.eta.length;
  const covariates: Record<string, Float64Array> = {};
  const sources: VirtualPopulation['sources'] = {};
  for (const [c, x] of Object.entries(posterior.record.covariates)) {
    covariates[c] = new Float64Array(size).fill(x);
    sources[c] = 'values';
  }
  const random: Record<string, Float64Array> = {};
  const stageOf = (name: string): 'pk' | 'pd' => (['CL', 'V', 'KA', 'TLAG', 'Q', 'V2'].includes(name) ? 'pk' : 'pd');
  posterior.etaNames.forEach((name, k) => {
    const sd = model.omega[name] as number;
    random[etaName(stageOf(name), name)] = Float64Array.from(samples.eta, (eta) => eta[k] / sd);
  });
  return { size, seed: 0, scenario: 'patient', covariates, sources, trialIndex: null, random };
}

export interface RecommendOptions {
  /** Overrides the record's regimen. */
  regimen?: PatientRegimen;
  /** Overrides the record's probability. */
  probability?: number;
  /** Overrides the spec's criterion / endpoint. */
  criterion?: Criterion;
  endpoint?: 'pk' | 'pd';
}

interface Setting {
  regimen: PatientRegimen;
  criterion: Criterion;
  endpoint: 'pk' | 'pd';
  target: number;
  simulator: StudyDoseSimulator;
  population: VirtualPopulation;
  timeUnit: StudySpec['units']['time'];
}

function setting(
  spec: StudySpec,
  model: StudyPopulationModel,
  posterior: PatientPosterior,
  samples: PosteriorSamples,
  options: RecommendOptions,
): Setting {
  const record: PatientRecord = posterior.record;
  const regimen = options.regimen ?? record.regimen;
  if (!regimen) throw new Error('regimen: the patient record gives no regimen to recommend a dose for (interval, route, step).');
  const criterion = options.criterion ?? spec.questions?.criterion;
  const endpoint = options.endpoint ?? spec.questions?.endpoint;
  if (!criterion || !endpoint)
    throw new Error('questions.criterion: the model gives no target (questions.endpoint and questions.criterion).');
  const target = options.probability ?? record.probability;
  const simulator = new StudyDoseSimulator(spec, model, endpoint);
  const population = samplePopulation(posterior, samples, model);
  return { regimen, criterion, endpoint, target, simulator, population, timeUnit: spec.units.time };
}

export function recommendDose(
  spec: StudySpec,
  model: StudyPopulationModel,
  posterior: PatientPosterior,
  samples: PosteriorSamples,
  options: RecommendOptions = {},
): DoseRecommendation {
  const s = setting(spec, model, posterior, samples, options);
  return recommendAt(s, s.regimen.interval);
}

/** The recommendation at one interval of the setting's regimen. */
function recommendAt(s: Setting, interval: number): DoseRecommendation {
  const { criterion, endpoint, target, simulator, population } = s;
  const regimen: PatientRegimen = { ...s.regimen, interval };
  const steps = Math.max(1, Math.floor((regimen.max ?? 60 * regimen.step) / regimen.step + 1e-9));
  const doses = Array.from({ length: steps }, (_, i) => Number(((i + 1) * regimen.step).toPrecision(12)));
  const engineRegimen = dosingRegimen(regimen);
  const ranges = simulator.successRanges(population, engineRegimen, defaultGridStep(regimen.interval, s.timeUnit), doses, criterion);
  const n = population.size;
  const probabilities = doses.map((_, g) => {
    let hits = 0;
    for (let i = 0; i < n; i++) if (ranges.first[i] <= g && g <= ranges.last[i]) hits++;
    return hits / n;
  });
  const index = probabilities.findIndex((p) => p >= target);
  const shown: DoseRecommendation['regimen'] = { interval: regimen.interval, route: regimen.route };
  if (regimen.duration !== undefined) shown.duration = regimen.duration;
  return {
    regimen: shown,
    dose: index >= 0 ? doses[index] : null,
    probability: index >= 0 ? probabilities[index] : Math.max(...probabilities),
    target,
    criterion,
    endpoint,
    doses,
    probabilities,
    samples: n,
  };
}

/** One candidate interval: its smallest dose reaching the level, or null (then the highest probability on its grid). */
export interface IntervalOption {
  interval: number;
  dose: number | null;
  probability: number;
  /** Amount per 24 h at that dose (dose × 24 h ÷ the interval in hours); null without a dose. */
  perDay: number | null;
}

export interface RegimenRecommendation extends DoseRecommendation {
  /** Every candidate interval, shortest first. */
  options: IntervalOption[];
}

/** The candidate intervals of a regimen: `interval` and `intervals`, each once, shortest first. */
export function candidateIntervals(regimen: PatientRegimen): number[] {
  return [...new Set([regimen.interval, ...(regimen.intervals ?? [])])].sort((a, b) => a - b);
}

/**
 * The index of the option to recommend: the smallest amount per day among those with a dose, ties
 * (1e-9 relative) → the longer interval; when none has a dose, the option at `fallback` (the regimen's interval).
 */
export function chooseInterval(options: readonly IntervalOption[], fallback: number): number {
  const perDay = options.map((o) => o.perDay ?? Infinity);
  const best = Math.min(...perDay);
  if (!Number.isFinite(best)) return options.findIndex((o) => o.interval === fallback);
  let chosen = -1;
  options.forEach((o, i) => {
    if (perDay[i] - best <= 1e-9 * best && (chosen < 0 || o.interval > options[chosen].interval)) chosen = i;
  });
  return chosen;
}

/**
 * The recommendation with the interval chosen (see the header): the chosen interval's result, with
 * every candidate's in `options`. When no interval reaches the level, the regimen's own `interval`.
 */
export function recommendRegimen(...args: Parameters<typeof recommendDose>): RegimenRecommendation {
  const [spec, model, posterior, samples, options = {}] = args;
  const s = setting(spec, model, posterior, samples, options);
  const hours = HOURS_PER[s.timeUnit];
  const results = candidateIntervals(s.regimen).map((interval) => recommendAt(s, interval));
  const intervalOptions: IntervalOption[] = results.map((r) => ({
    interval: r.regimen.interval,
    dose: r.dose,
    probability: r.probability,
    perDay: r.dose === null ? null : (r.dose * 24) / (r.regimen.interval * hours),
  }));
  const chosen = chooseInterval(intervalOptions, s.regimen.interval);
  return { ...results[chosen], options: intervalOptions };
}
