/**
 * Population PK by FOCE-I: oral absorption, one or two compartments, body-weight power models on
 * CL (and Q) and V (and V2), optional COMED factor on CL, log-normal η on CL and V (optionally
 * ka), log-additive residual error (the model is fitted to log concentrations).
 *
 * Starting values, unless given: a coarse grid over CL and V (ka 1/h, exponents 1) scored by the
 * FOCE objective itself; for two compartments, a small grid of V1/V2 splits and Q around the
 * one-compartment solution (pass a one-compartment fit's estimates as `initial` to reuse it).
 */
import { individualPk, type PkEtaName, type PkEtas, type PkFixedEffects } from './covariates';
import { PkpdDataError } from './errors';
import { fitFoce, FoceObjective, type CancelSignal, type FitControl, type FoceProblem, type FoceResult, type ThetaSpec } from './foce';
import { evaluatePlan, oralUnitResponse, planSuperposition, type PkParameters, type SuperpositionPlan } from './pk-model';
import type { PkPopulation } from './population-model';
import type { PkpdSubject } from './subject-data';
import type { ObservationFit } from './observation-fit';
import { minOf } from '../data/min-max';

export interface PkModelOptions {
  compartments: 1 | 2;
  /** Estimate a COMED factor on CL (otherwise fixed at 1). */
  comedOnCl?: boolean;
  /** Between-subject variability on ka as well as CL and V. */
  etaOnKa?: boolean;
  /** Two compartments: scale Q and V2 by body weight too (default true). */
  peripheralAllometry?: boolean;
  /** Starting values (all estimated parameters need one for the grid search to be skipped). */
  initial?: Partial<PkFixedEffects>;
  initialOmega?: Partial<Record<PkEtaName, number>>;
  initialSigma?: number;
}

export interface PkIndividual {
  id: string;
  bw: number;
  comed: number;
  eta: PkEtas;
  /** Individual parameters from the empirical Bayes estimates (typical values where no PK data). */
  parameters: PkParameters;
}

export interface PkFitResult {
  options: PkModelOptions;
  estimates: PkPopulation;
  foce: FoceResult;
  individuals: PkIndividual[];
  observations: ObservationFit[];
  /** Observations left out: DV ≤ 0 or before the first dose. */
  excludedObservations: number;
}

interface PkSubjectData {
  subject: PkpdSubject;
  plan: SuperpositionPlan;
  times: Float64Array;
  dv: Float64Array;
}

function prepare(subjects: readonly PkpdSubject[]): { data: PkSubjectData[]; excluded: number } {
  let excluded = 0;
  const data: PkSubjectData[] = [];
  for (const subject of subjects) {
    if (subject.pk.times.length === 0) continue;
    const firstDose = minOf(subject.doses.map((d) => d.time));
    const times: number[] = [];
    const dv: number[] = [];
    subject.pk.times.forEach((t, j) => {
      const y = subject.pk.values[j];
      if (y > 0 && t > firstDose) {
        times.push(t);
        dv.push(y);
      } else excluded++;
    });
    if (times.length === 0) continue;
    data.push({ subject, plan: planSuperposition(subject.doses, times), times: Float64Array.from(times), dv: Float64Array.from(dv) });
  }
  if (data.length === 0)
    throw new PkpdDataError(
      'The file has no usable PK observations (a positive DV with DVID 1 after a dose), so the PK model cannot be fitted. Load a file with PK concentrations measured after the doses, or check its DVID column.',
    );
  return { data, excluded };
}

interface Layout {
  thetas: ThetaSpec[];
  etaNames: PkEtaName[];
}

function layout(options: PkModelOptions, start: PkFixedEffects): Layout {
  const thetas: ThetaSpec[] = [
    { name: 'CL', initial: start.cl, transform: 'log' },
    { name: 'V', initial: start.v, transform: 'log' },
    { name: 'ka', initial: start.ka, transform: 'log' },
    { name: 'Q', initial: start.q ?? 1, transform: 'log', fixed: options.compartments === 1 },
    { name: 'V2', initial: start.v2 ?? 1, transform: 'log', fixed: options.compartments === 1 },
    { name: 'beta_CL', initial: start.betaCl, transform: 'identity' },
    { name: 'beta_V', initial: start.betaV, transform: 'identity' },
    { name: 'COMED_CL', initial: options.comedOnCl ? start.comedOnCl : 1, transform: 'log', fixed: !options.comedOnCl },
  ];
  const etaNames: PkEtaName[] = options.etaOnKa ? ['cl', 'v', 'ka'] : ['cl', 'v'];
  return { thetas, etaNames };
}

function fixedFromTheta(options: PkModelOptions, theta: ArrayLike<number>): PkFixedEffects {
  const fixed: PkFixedEffects = {
    compartments: options.compartments,
    cl: theta[0],
    v: theta[1],
    ka: theta[2],
    betaCl: theta[5],
    betaV: theta[6],
    comedOnCl: theta[7],
  };
  if (options.compartments === 2) {
    fixed.q = theta[3];
    fixed.v2 = theta[4];
    if (options.peripheralAllometry === false) fixed.peripheralAllometry = false;
  }
  return fixed;
}

function etaRecord(names: readonly PkEtaName[], eta: ArrayLike<number>): PkEtas {
  const out: PkEtas = {};
  names.forEach((n, k) => (out[n] = eta[k]));
  return out;
}

function buildProblem(
  data: PkSubjectData[],
  options: PkModelOptions,
  start: PkFixedEffects,
  omega: Partial<Record<PkEtaName, number>>,
  sigma: number,
): FoceProblem {
  const { thetas, etaNames } = layout(options, start);
  return {
    thetas,
    etas: etaNames.map((name) => ({ name, initialSd: omega[name] ?? 0.3 })),
    residual: { additive: sigma },
    observations: data.map((d) => Float64Array.from(d.dv, Math.log)),
    predict: (theta, eta, i, out) => {
      const d = data[i];
      const p = individualPk(fixedFromTheta(options, theta), d.subject, etaRecord(etaNames, eta));
      evaluatePlan(d.plan, oralUnitResponse(p), out);
      for (let j = 0; j < out.length; j++) out[j] = Math.log(out[j]);
    },
  };
}

const DEFAULT_START: PkFixedEffects = { compartments: 1, cl: 1, v: 10, ka: 1, betaCl: 1, betaV: 1, comedOnCl: 1 };

/** Rough clearance scale: total dose over the trapezoidal AUC of each subject's profile (median). */
function clearanceScale(data: PkSubjectData[]): number {
  const values: number[] = [];
  for (const d of data) {
    let auc = 0;
    let prevT = minOf(d.subject.doses.map((x) => x.time));
    let prevC = 0;
    d.times.forEach((t, j) => {
      auc += ((t - prevT) * (prevC + d.dv[j])) / 2;
      prevT = t;
      prevC = d.dv[j];
    });
    const dose = d.subject.doses.filter((x) => x.time < d.times[d.times.length - 1]).reduce((a, x) => a + x.amount, 0);
    if (auc > 0 && dose > 0) values.push(dose / auc);
  }
  values.sort((a, b) => a - b);
  return values.length ? values[Math.floor(values.length / 2)] : 1;
}

function bestStart(
  data: PkSubjectData[],
  options: PkModelOptions,
  candidates: PkFixedEffects[],
  omega: Partial<Record<PkEtaName, number>>,
  sigma: number,
  signal: CancelSignal | undefined,
): PkFixedEffects {
  let best = candidates[0];
  let bestOfv = Infinity;
  for (const c of candidates) {
    const objective = new FoceObjective(buildProblem(data, options, c, omega, sigma), signal);
    objective.innerMaxIterations = 20;
    const ofv = objective.value(objective.x0);
    if (ofv < bestOfv) {
      bestOfv = ofv;
      best = c;
    }
  }
  return best;
}

function startingValues(
  data: PkSubjectData[],
  options: PkModelOptions,
  omega: Partial<Record<PkEtaName, number>>,
  sigma: number,
  signal: CancelSignal | undefined,
): PkFixedEffects {
  const given = options.initial ?? {};
  const base: PkFixedEffects = { ...DEFAULT_START, ...given, compartments: options.compartments };
  const needsGrid = given.cl === undefined || given.v === undefined;
  let start = base;
  if (needsGrid) {
    const cl0 = clearanceScale(data);
    const oneCmt: PkModelOptions = { ...options, compartments: 1 };
    const candidates: PkFixedEffects[] = [];
    for (const fc of [0.5, 1, 2]) {
      for (const halfLife of [3, 10, 30, 100, 300]) {
        const cl = cl0 * fc;
        candidates.push({ ...base, compartments: 1, cl, v: (cl * halfLife) / Math.LN2 });
      }
    }
    start = { ...bestStart(data, oneCmt, candidates, omega, sigma, signal), compartments: options.compartments };
  }
  if (options.compartments === 2 && (given.q === undefined || given.v2 === undefined)) {
    const candidates: PkFixedEffects[] = [];
    for (const split of [0.2, 0.4, 0.7]) {
      for (const qRatio of [1, 4, 16]) {
        candidates.push({ ...start, v: start.v * split, v2: start.v * (1 - split) * 1.5, q: start.cl * qRatio });
      }
    }
    start = bestStart(data, options, candidates, omega, sigma, signal);
  }
  return start;
}

/**
 * The FOCE problem behind `fitPopulationPk` with the given starting values (for likelihood
 * profiles, custom drivers and checks of the approximation).
 */
export function pkFoceProblem(subjects: readonly PkpdSubject[], options: PkModelOptions): FoceProblem {
  const { data } = prepare(subjects);
  const start: PkFixedEffects = { ...DEFAULT_START, ...options.initial, compartments: options.compartments };
  return buildProblem(data, options, start, options.initialOmega ?? {}, options.initialSigma ?? 0.3);
}

/** Fits the population PK model to the subjects' PK observations. */
export function fitPopulationPk(subjects: readonly PkpdSubject[], options: PkModelOptions, control: FitControl = {}): PkFitResult {
  const { data, excluded } = prepare(subjects);
  const omega = options.initialOmega ?? {};
  const sigma = options.initialSigma ?? 0.3;
  const start = startingValues(data, options, omega, sigma, control.signal);
  const problem = buildProblem(data, options, start, omega, sigma);
  const foce = fitFoce(problem, { ...control, stage: control.stage ?? `PK ${options.compartments}-compartment` });
  const { etaNames } = layout(options, start);
  const fixed = fixedFromTheta(options, foce.theta);
  const omegaEst: Partial<Record<PkEtaName, number>> = {};
  etaNames.forEach((n, k) => (omegaEst[n] = foce.omegaSd[k]));
  const etaBySubject = new Map<PkpdSubject, Float64Array>();
  data.forEach((d, i) => etaBySubject.set(d.subject, foce.etas[i]));
  const individuals = subjects.map((s) => {
    const eta = etaRecord(etaNames, etaBySubject.get(s) ?? new Float64Array(etaNames.length));
    return { id: s.id, bw: s.bw, comed: s.comed, eta, parameters: individualPk(fixed, s, eta) };
  });
  const observations = data.map((d, i) => {
    const diag = foce.diagnostics[i];
    return {
      id: d.subject.id,
      times: d.times,
      dv: d.dv,
      pred: diag.pred.map(Math.exp),
      ipred: diag.ipred.map(Math.exp),
      iwres: diag.iwres,
      cwres: diag.cwres,
    };
  });
  return {
    options,
    estimates: { fixed, omega: omegaEst, sigmaLog: foce.sigmaAdditive },
    foce,
    individuals,
    observations,
    excludedObservations: excluded,
  };
}
