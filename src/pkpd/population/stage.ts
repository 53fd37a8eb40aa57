/**
 * One stage of the sequential population fit as a FOCE problem (../foce.ts): the subjects'
 * observations of one endpoint, the structural engine's plans (one per segment between resets,
 * ../structural), the stage's parameter model (parameter-model.ts) and the residual error.
 *
 * Observations used: PK — those after the first dose of their segment (before it the model predicts
 * no drug; a steady-state dose at or before the time counts as dosed), and with log-scale error only
 * DV > 0; PD — every one (with log-scale error, DV > 0). What is left out is counted, with a reason.
 * An observation below the limit of quantification (`StudyObservations.blq`, its value the limit) is
 * used as censored: the FOCE problem's `censored` flags it, and its likelihood is Beal's M3, the
 * probability Φ((LLOQ − f)/√r) of a value below the limit (on the log scale for an exponential error).
 *
 * Residual error, per endpoint: `log` (exponential: the model is fitted to ln DV with an additive
 * SD, as the EstData-only fit did) or `natural` (additive and/or proportional, FOCE-I; their variances add, or with
 * `combined: "sum-of-sds"` their SDs: ../residual-error.ts). The spec's
 * `model.error` chooses the form and gives starting SDs (estimated); without it PK is exponential
 * (0.3) and PD proportional (0.15), or additive and proportional when some responses are ≤ 0. On the log scale a
 * prediction is floored at 1e-6 × the smallest positive observation, so that a subject whose
 * prediction is still 0 (an absorption lag longer than the first sample) costs a large but finite
 * objective rather than an undefined one.
 */
import type { StudySubject } from '../../study/study-data';
import type { ResidualCombination, ResidualErrorSpec } from '../../study/study-spec';
import { PkpdDataError, PkpdParameterError } from '../errors';
import {
  FoceObjective,
  foceFitSteps,
  objectiveValues,
  startPoint,
  type CancelSignal,
  type FitControl,
  type FoceParameters,
  type FoceProblem,
  type FoceResult,
  type SubjectAnswer,
  type SubjectRequest,
  type ThetaSpec,
} from '../foce';
import { mapRequests, type Steps } from '../optimizer';
import type { DoseEvent } from '../structural/doses';
import type { ParameterValues, Prediction, StructuralModel, StructuralPlan } from '../structural/structural-model';
import { covariateVector, individualFromTypical, typicalValues, type StageModel } from './parameter-model';

export type Endpoint = 'pk' | 'pd';

/** The residual error model of an endpoint, with initial SDs. */
export interface ResidualChoice {
  /** 'log': exponential error (fitted to ln DV, `additive` is its SD); 'natural': additive and/or proportional. */
  scale: 'log' | 'natural';
  additive?: number;
  proportional?: number;
  /** 'sum-of-sds': SD = additive + proportional·|f| (../residual-error.ts); absent: the variances add. */
  combined?: ResidualCombination;
}

export interface StageSegment {
  plan: StructuralPlan;
  out: Prediction;
  /** The prediction object a one-segment subject hands the engine, its endpoint's array swapped for the caller's. */
  direct: Prediction;
  doses: DoseEvent[];
  times: Float64Array;
}

export interface StageSubject {
  subject: StudySubject;
  z: Float64Array;
  segments: StageSegment[];
  /** Observations used, in time order (natural scale), with their lines. */
  times: Float64Array;
  dv: Float64Array;
  lines: Int32Array;
  /** 1 where the used observation is below the limit of quantification (`dv` holds the limit): M3. */
  blq: Uint8Array;
  /** Limit of quantification of each used observation where known (the file's LLOQ, or a censored one's value), else 0. */
  lloq: Float64Array;
  /** The subject's PK values in a PD stage (the individual PK parameters it is conditioned on); empty in a PK stage. */
  values: ParameterValues;
  /**
   * The engine's parameters in its order (`engine.parameters`), what a prediction hands it: a PD
   * stage's PK values from `values`, the stage's own parameters rewritten for each prediction.
   */
  vector: Float64Array;
  /** `typicalValues` of the stage model at θ `typicalTheta` (NaN until the first prediction). */
  typical: Float64Array;
  typicalTheta: Float64Array;
}

export interface StageData {
  endpoint: Endpoint;
  engine: StructuralModel;
  model: StageModel;
  residual: ResidualChoice;
  subjects: StageSubject[];
  /** Where each of the stage model's parameters sits among the engine's (`engine.parameters`). */
  slots: Int32Array;
  /** Lower bound of predictions on the log scale. */
  floor: number;
  excluded: { count: number; reasons: string[] };
  /** Used observations below the limit of quantification (censored, M3). */
  censored: number;
}

/** The residual error of an endpoint from the spec (`model.error.pk`/`.pd`) or the defaults. */
export function residualChoice(endpoint: Endpoint, spec: ResidualErrorSpec | undefined, dv: readonly number[]): ResidualChoice {
  if (spec) {
    const { additive, proportional, exponential, combined } = spec;
    if (exponential !== undefined && exponential > 0) {
      if ((additive ?? 0) > 0 || (proportional ?? 0) > 0 || combined !== undefined) {
        throw new PkpdDataError(
          `model.error.${endpoint}: an exponential error cannot be combined with additive or proportional error here; give exponential alone, or additive and/or proportional.`,
        );
      }
      return { scale: 'log', additive: exponential };
    }
    const choice: ResidualChoice = { scale: 'natural' };
    if (additive !== undefined && additive > 0) choice.additive = additive;
    if (proportional !== undefined && proportional > 0) choice.proportional = proportional;
    if (combined === 'sum-of-sds') choice.combined = combined;
    return choice;
  }
  if (endpoint === 'pk') return { scale: 'log', additive: 0.3 };
  if (dv.every((v) => v > 0)) return { scale: 'natural', proportional: 0.15 };
  // Responses at or below zero: a proportional error alone would give them no variance.
  const sorted = dv.map(Math.abs).sort((a, b) => a - b);
  const typical = sorted[Math.floor(sorted.length / 2)] || 1;
  return { scale: 'natural', additive: 0.1 * typical, proportional: 0.1 };
}

/** Whether a dose of `doses` comes before time t (a steady-state dose: at or before it): PK observations before are not fitted. */
export function firstDosed(doses: readonly DoseEvent[], t: number): boolean {
  for (const d of doses) {
    if (d.time < t) return true;
    if (d.steadyState && d.time <= t) return true;
  }
  return false;
}

export interface StageDataOptions {
  endpoint: Endpoint;
  engine: StructuralModel;
  model: StageModel;
  residual: ResidualChoice;
  /** The subject's PK parameters (a PD stage: individual PK parameters, IPP). */
  pkValues?: (subject: StudySubject) => ParameterValues;
}

/** The stage's data: plans per segment, the observations used, the covariate vectors. */
export function stageData(subjects: readonly StudySubject[], options: StageDataOptions): StageData {
  const { endpoint, engine, model, residual } = options;
  const log = residual.scale === 'log';
  let beforeDose = 0;
  let nonPositive = 0;
  const out: StageSubject[] = [];
  let smallest = Infinity;
  let censored = 0;
  for (const subject of subjects) {
    const obs = subject[endpoint];
    if (obs.times.length === 0) continue;
    const segments: StageSegment[] = [];
    const times: number[] = [];
    const dv: number[] = [];
    const lines: number[] = [];
    const blq: number[] = [];
    const lloq: number[] = [];
    subject.segments.forEach((segment, s) => {
      const segTimes: number[] = [];
      for (let j = 0; j < obs.times.length; j++) {
        if (obs.segment[j] !== s) continue;
        const t = obs.times[j];
        const y = obs.values[j];
        if (endpoint === 'pk' && !firstDosed(segment.doses, t)) {
          beforeDose++;
          continue;
        }
        if (log && !(y > 0)) {
          nonPositive++;
          continue;
        }
        segTimes.push(t);
        times.push(t);
        dv.push(y);
        lines.push(obs.lines[j]);
        blq.push(obs.blq[j]);
        lloq.push(obs.lloq[j] > 0 ? obs.lloq[j] : obs.blq[j] === 1 ? y : 0);
        if (obs.blq[j] === 1) censored++;
        if (y > 0) smallest = Math.min(smallest, y);
      }
      if (segTimes.length === 0) return;
      const plan = engine.prepare(segment.doses, endpoint === 'pk' ? { pk: segTimes } : { pd: segTimes });
      const n = segTimes.length;
      const pred: Prediction =
        endpoint === 'pk' ? { pk: new Float64Array(n), pd: new Float64Array(0) } : { pk: new Float64Array(0), pd: new Float64Array(n) };
      segments.push({ plan, out: pred, direct: { pk: pred.pk, pd: pred.pd }, doses: segment.doses, times: Float64Array.from(segTimes) });
    });
    if (segments.length === 0) continue;
    const values: ParameterValues = options.pkValues ? { ...options.pkValues(subject) } : {};
    out.push({
      subject,
      z: covariateVector(model, subject.covariates),
      segments,
      times: Float64Array.from(times),
      dv: Float64Array.from(dv),
      lines: Int32Array.from(lines),
      blq: Uint8Array.from(blq),
      lloq: Float64Array.from(lloq),
      values,
      // A value the engine needs that neither the stage nor the PK values give is NaN: its check fails as a missing one would.
      vector: Float64Array.from(engine.parameters, (name) => values[name] ?? Number.NaN),
      typical: new Float64Array(model.parameters.length),
      typicalTheta: new Float64Array(model.thetas.length).fill(Number.NaN),
    });
  }
  const what = endpoint === 'pk' ? 'concentration' : 'response';
  const reasons: string[] = [];
  if (beforeDose > 0)
    reasons.push(
      `${beforeDose} ${what} observation(s) before the first dose of their subject (or occasion): the model predicts no drug there`,
    );
  if (nonPositive > 0) reasons.push(`${nonPositive} ${what} observation(s) ≤ 0, which a log-scale (exponential) error cannot use`);
  if (out.length === 0) {
    throw new PkpdDataError(
      `No usable ${what} observations${reasons.length ? ` (${reasons.join('; ')})` : ''}; the ${endpoint.toUpperCase()} model cannot be fitted.`,
    );
  }
  return {
    endpoint,
    engine,
    model,
    residual,
    subjects: out,
    slots: Int32Array.from(model.parameters, (name) => {
      const k = engine.parameters.indexOf(name);
      if (k < 0) throw new Error(`stageData: the structural model has no parameter ${name} of the stage model`);
      return k;
    }),
    floor: Number.isFinite(smallest) ? smallest * 1e-6 : 1e-300,
    excluded: { count: beforeDose + nonPositive, reasons },
    censored,
  };
}

/** Predictions of subject i at its used observations, on the natural scale; false when the parameters are invalid. */
export function predictSubject(data: StageData, i: number, values: ParameterValues, out: Float64Array): boolean {
  // A missing value is NaN, which the engine refuses as it would refuse the missing one.
  return predictSubjectVector(
    data,
    i,
    Float64Array.from(data.engine.parameters, (name) => values[name] ?? Number.NaN),
    out,
  );
}

/** `predictSubject` with the values in the engine's order (`StageSubject.vector`): the fitting loop's path. */
export function predictSubjectVector(data: StageData, i: number, values: Float64Array, out: Float64Array): boolean {
  const d = data.subjects[i];
  const pk = data.endpoint === 'pk';
  try {
    if (d.segments.length === 1) {
      // One segment: the engine writes straight into `out`.
      const segment = d.segments[0];
      const into = segment.direct;
      if (pk) into.pk = out;
      else into.pd = out;
      data.engine.predictVector(segment.plan, values, into);
      return true;
    }
    let o = 0;
    for (const segment of d.segments) {
      data.engine.predictVector(segment.plan, values, segment.out);
      const src = pk ? segment.out.pk : segment.out.pd;
      for (let j = 0; j < src.length; j++) out[o++] = src[j];
    }
  } catch (error) {
    if (error instanceof PkpdParameterError) return false;
    throw error;
  }
  return true;
}

/** Whether two θ vectors hold the same numbers (0 and −0 differ; NaN never matches). */
function sameTheta(a: Float64Array, b: ArrayLike<number>): boolean {
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x !== y || (x === 0 && 1 / x !== 1 / y)) return false;
  }
  return true;
}

/** Initial values of the FOCE problem: θ by name (natural scale), ω and residual SDs. */
export interface StageStart {
  theta: Readonly<Record<string, number>>;
  omega?: number;
  residual?: { additive?: number; proportional?: number };
}

/** The estimated parameters of the stage's FOCE problem with their initial values from `start`. */
export function stageParameters(data: StageData, start: StageStart): FoceParameters {
  const { model, residual } = data;
  const thetas: ThetaSpec[] = model.thetas.map((t) => {
    const initial = t.fixed ? (t.fixedValue as number) : start.theta[t.name];
    if (initial === undefined || !Number.isFinite(initial)) throw new Error(`No starting value for θ ${t.name}.`);
    return { name: t.name, initial, transform: t.transform, fixed: t.fixed };
  });
  const etas = model.etas.map((name) => {
    const fixed = model.fixedOmega[name];
    return fixed !== undefined ? { name, initialSd: fixed, fixed: true } : { name, initialSd: start.omega ?? 0.3 };
  });
  const r = start.residual ?? residual;
  const residualSpec: FoceProblem['residual'] = {};
  if (residual.additive !== undefined) residualSpec.additive = r.additive ?? residual.additive;
  if (residual.proportional !== undefined) residualSpec.proportional = r.proportional ?? residual.proportional;
  if (residual.combined) residualSpec.combined = residual.combined;
  return { thetas, etas, residual: residualSpec };
}

export function stageProblem(data: StageData, start: StageStart): FoceProblem {
  const { model, residual } = data;
  const log = residual.scale === 'log';
  const floor = data.floor;
  const slots = data.slots;
  return {
    ...stageParameters(data, start),
    observations: data.subjects.map((d) => (log ? Float64Array.from(d.dv, Math.log) : d.dv)),
    ...(data.censored > 0 ? { censored: data.subjects.map((d) => d.blq) } : {}),
    predict: (theta, eta, i, out) => {
      const d = data.subjects[i];
      // θ changes once per objective evaluation, η within it: the θ part is kept per subject.
      if (!sameTheta(d.typicalTheta, theta)) {
        typicalValues(model, theta, d.z, d.typical);
        d.typicalTheta.set(theta);
      }
      individualFromTypical(model, d.typical, eta, slots, d.vector);
      if (!predictSubjectVector(data, i, d.vector, out)) {
        out.fill(Number.NaN);
        return;
      }
      if (log) {
        for (let j = 0; j < out.length; j++) {
          const c = out[j];
          out[j] = Math.log(c >= floor ? c : Math.max(c, floor));
        }
      }
    },
  };
}

/** A stage's objective evaluation: the request and the objective that answers it in the thread. */
export interface StageRequest {
  readonly objective: FoceObjective;
  readonly request: SubjectRequest;
}

/**
 * The candidate with the lowest objective (the first of equals; the first when none is finite), every
 * candidate scored as the EstData-only fit scored its grid — inner modes to 20 iterations from η = 0 —
 * in one batch of points (the objective is the same function whichever candidate its problem starts
 * from: a start only sets the starting point).
 */
export function* bestStartSteps(
  data: StageData,
  candidates: readonly StageStart[],
  signal: CancelSignal | undefined,
): Steps<StageRequest, SubjectAnswer, StageStart> {
  if (candidates.length === 1) return candidates[0];
  const objective = new FoceObjective(stageProblem(data, candidates[0]), signal);
  objective.innerMaxIterations = 20;
  const points = candidates.map((c) => startPoint(stageParameters(data, c)));
  const ofvs = yield* mapRequests(objectiveValues(objective, points, false), (request) => ({ objective, request }));
  let best = candidates[0];
  let bestOfv = Infinity;
  candidates.forEach((c, i) => {
    if (ofvs[i] < bestOfv) {
      bestOfv = ofvs[i];
      best = c;
    }
  });
  return best;
}

/** The stage's FOCE-I fit from `start` as steps (../foce.ts `foceFitSteps`). */
export function stageFitSteps(data: StageData, start: StageStart, control: FitControl): Steps<StageRequest, SubjectAnswer, FoceResult> {
  const objective = new FoceObjective(stageProblem(data, start), control.signal);
  return mapRequests(foceFitSteps(objective, control), (request) => ({ objective, request }));
}
