/**
 * Maximum a posteriori (MAP, "Bayesian forecasting") random effects of one patient under a fixed
 * population model (a published model, population-model.ts, or the app's FOCE fit), and the Laplace
 * approximation of the posterior around the mode.
 *
 * The objective is the exact −2 log posterior of η up to a constant (no linearisation, no FOCE):
 *   OFV(η) = Σ_obs [(y − f)² / r + log r] + Σ_BLQ −2 log Φ((LOQ − f) / √r) + ηᵀ Ω⁻¹ η
 * with the residual variance r of the model's error as the population fit defines it
 * (../pkpd/residual-error.ts `residualVariance`, ../pkpd/population/stage.ts): on the log scale
 * (exponential error) y = ln DV, f = ln of the prediction (floored at 1e-6 × the smallest level) and
 * r = σ²; on the natural scale r = σ_add² + σ_prop² f², or (σ_add + σ_prop |f|)² when the SDs add,
 * evaluated at the individual prediction. Below-LOQ levels enter by Beal's
 * M3 likelihood. PK and PD η are estimated jointly (the exact joint posterior; the population fit
 * is sequential, but a fixed model's joint posterior needs no such split).
 *
 * Predictions come from the float64 structural engine (../pkpd/structural) with the parameter model
 * of the fit (../pkpd/population/parameter-model.ts: θ, covariate effects, log-normal η; IMAX on the
 * logit scale). The mode is found by the repository's BFGS (../pkpd/optimizer.ts) with central
 * finite-difference gradients; its covariance is 2 H⁻¹, H the finite-difference Hessian of OFV at the
 * mode. Without levels the posterior is the prior: η = 0, covariance Ω.
 */
import type { StudyPopulationModel, ResidualValues } from '../pkpd/population/fit-study';
import { covariateVector, individualValues, populationStages, stageTheta, type StageModel } from '../pkpd/population/parameter-model';
import { centralGradient, finiteDifferenceHessian, minimizeBfgs } from '../pkpd/optimizer';
import { inverseSpd } from '../pkpd/linalg';
import { PkpdParameterError } from '../pkpd/errors';
import type { DoseEvent } from '../pkpd/structural/doses';
import { createStructuralModel, type ParameterValues, type StructuralModel } from '../pkpd/structural/structural-model';
import type { ModelParameter, StudySpec } from '../study/study-spec';
import { logNormalCdf } from '../pkpd/random';
import { residualVariance } from '../pkpd/residual-error';
import { HOURS_PER } from '../study/units';
import { describePatientProblems, patientDoseEvents, type PatientRecord } from './patient-record';
import { recordInModelUnits } from './record-units';

/** A problem of the patient against the model (a covariate the model needs, an endpoint it lacks). */
export class PatientDataError extends Error {
  override readonly name = 'PatientDataError';
}

interface EndpointData {
  endpoint: 'pk' | 'pd';
  residual: ResidualValues;
  /** Values (natural scale; the LOQ for BLQ). */
  values: Float64Array;
  blq: Uint8Array;
  /** Lower bound of predictions on the log scale. */
  floor: number;
}

/** The patient's posterior over η under a population model: the objective and predictions. */
export class PatientPosterior {
  /** η names (PK stage's, then PD stage's), with their prior SDs. */
  readonly etaNames: ModelParameter[];
  readonly omega: Float64Array;
  readonly doses: DoseEvent[];
  readonly engine: StructuralModel;
  readonly nObservations: number;
  /** The record in the model's units (record-units.ts; the record given when it has no units of its own). */
  readonly record: PatientRecord;
  private readonly stages: StageModel[];
  private readonly thetas: number[][];
  private readonly z: Float64Array[];
  /** Index of each stage's η in the full η vector. */
  private readonly etaIndex: Int32Array[];
  private readonly plan;
  private readonly endpoints: EndpointData[];
  private readonly scratch: Float64Array[];
  /** Objective evaluations so far. */
  evaluations = 0;

  constructor(
    readonly spec: StudySpec,
    readonly model: StudyPopulationModel,
    given: PatientRecord,
  ) {
    const inModelUnits = recordInModelUnits(given, spec);
    if (!inModelUnits.ok) throw new PatientDataError(`${describePatientProblems(inModelUnits.problems)}.`);
    const record = inModelUnits.record;
    this.record = record;
    const { pk, pd } = populationStages(spec, model);
    this.stages = pd ? [pk, pd] : [pk];
    this.thetas = this.stages.map((s) => stageTheta(model.theta, s));
    const needed = [...new Set(this.stages.flatMap((s) => s.effects.map((e) => e.column)))];
    for (const c of needed) {
      const x = record.covariates[c];
      if (x === undefined) throw new PatientDataError(`covariates.${c}: the model needs this covariate; give the patient's value.`);
      const power = this.stages.some((s) => s.effects.some((e) => e.column === c && e.form === 'power'));
      if (power && !(x > 0)) throw new PatientDataError(`covariates.${c}: a power effect needs a positive value, got ${x}.`);
    }
    this.z = this.stages.map((s) => covariateVector(s, record.covariates));
    this.etaNames = [];
    const omega: number[] = [];
    this.etaIndex = this.stages.map((s) =>
      Int32Array.from(
        s.etas.flatMap((name) => {
          const sd = model.omega[name] ?? 0;
          if (!(sd > 0)) return [-1];
          this.etaNames.push(name);
          omega.push(sd);
          return [this.etaNames.length - 1];
        }),
      ),
    );
    this.omega = Float64Array.from(omega);
    this.scratch = this.stages.map((s) => new Float64Array(s.etas.length));
    this.engine = createStructuralModel(model.pd ? { pk: model.pk, pd: model.pd } : { pk: model.pk }, {
      hoursPerTimeUnit: HOURS_PER[spec.units.time],
    });
    this.doses = patientDoseEvents(record);
    const pkObs = record.observations.filter((o) => o.endpoint === 'pk');
    const pdObs = record.observations.filter((o) => o.endpoint === 'pd');
    if (pdObs.length > 0 && !model.pd)
      throw new PatientDataError('observations: the model has no PD part, so response ("pd") levels cannot be used.');
    this.endpoints = [];
    for (const [endpoint, obs] of [
      ['pk', pkObs],
      ['pd', pdObs],
    ] as const) {
      if (obs.length === 0) continue;
      const residual = model.residual[endpoint];
      if (!residual) throw new PatientDataError(`The model has no residual error for the ${endpoint.toUpperCase()} endpoint.`);
      if (residual.scale === 'log') {
        obs.forEach((o) => {
          if (!(o.value > 0))
            throw new PatientDataError(
              `observations: a ${endpoint} level of ${o.value} at time ${o.time} cannot be used with an exponential (log-scale) error.`,
            );
        });
      }
      const smallest = Math.min(...obs.map((o) => o.value).filter((v) => v > 0));
      this.endpoints.push({
        endpoint,
        residual,
        values: Float64Array.from(obs, (o) => o.value),
        blq: Uint8Array.from(obs, (o) => (o.blq ? 1 : 0)),
        floor: Number.isFinite(smallest) ? smallest * 1e-6 : 1e-300,
      });
    }
    this.nObservations = pkObs.length + pdObs.length;
    this.plan = this.engine.prepare(this.doses, {
      pk: Float64Array.from(pkObs, (o) => o.time),
      pd: model.pd ? Float64Array.from(pdObs, (o) => o.time) : [],
    });
  }

  /** Individual parameters (data units) at η (the full vector, `etaNames` order). */
  parameters(eta: ArrayLike<number>): ParameterValues {
    const values: ParameterValues = {};
    this.stages.forEach((s, k) => {
      const e = this.scratch[k];
      const index = this.etaIndex[k];
      for (let j = 0; j < e.length; j++) e[j] = index[j] >= 0 ? eta[index[j]] : 0;
      individualValues(s, this.thetas[k], e, this.z[k], values);
    });
    return values;
  }

  /** Predictions at the patient's levels (natural scale), or null where the parameters are invalid. */
  predictAtLevels(eta: ArrayLike<number>): { pk: Float64Array; pd: Float64Array } | null {
    try {
      return this.engine.predict(this.plan, this.parameters(eta));
    } catch (error) {
      if (error instanceof PkpdParameterError) return null;
      throw error;
    }
  }

  /** Predictions at any times (a new plan: for curves and next levels). */
  predictAt(eta: ArrayLike<number>, times: { pk?: ArrayLike<number>; pd?: ArrayLike<number> }, doses: readonly DoseEvent[] = this.doses) {
    const plan = this.engine.prepare(doses, { pk: times.pk ?? [], pd: this.model.pd ? (times.pd ?? []) : [] });
    return this.engine.predict(plan, this.parameters(eta));
  }

  /** −2 log p(y | η) − 2 log p(η), up to a constant (see the header); Infinity where undefined. */
  objective(eta: ArrayLike<number>): number {
    this.evaluations++;
    let total = 0;
    for (let k = 0; k < this.omega.length; k++) total += (eta[k] * eta[k]) / (this.omega[k] * this.omega[k]);
    if (this.endpoints.length === 0) return total;
    const prediction = this.predictAtLevels(eta);
    if (!prediction) return Infinity;
    for (const d of this.endpoints) {
      const f = d.endpoint === 'pk' ? prediction.pk : prediction.pd;
      total += endpointTerm(d, f);
    }
    return Number.isFinite(total) ? total : Infinity;
  }
}

/** Σ [(y − f)²/r + log r] + Σ_BLQ −2 log Φ((LOQ − f)/√r) of one endpoint's levels. */
function endpointTerm(d: EndpointData, prediction: Float64Array): number {
  const { residual, values, blq } = d;
  const log = residual.scale === 'log';
  let total = 0;
  for (let j = 0; j < values.length; j++) {
    const p = prediction[j];
    const f = log ? Math.log(Math.max(p, d.floor)) : p;
    const y = log ? Math.log(values[j]) : values[j];
    const r = residualVariance(residual, f);
    if (!(r > 0) || !Number.isFinite(r)) return Infinity;
    if (blq[j] === 1) total -= 2 * logNormalCdf((y - f) / Math.sqrt(r));
    else total += ((y - f) * (y - f)) / r + Math.log(r);
  }
  return total;
}

export interface MapEstimate {
  etaNames: ModelParameter[];
  eta: Float64Array;
  /** The objective at the mode (−2 log posterior up to a constant). */
  ofv: number;
  /** Laplace covariance of η (k × k, row-major): 2 H⁻¹ at the mode; Ω without levels. */
  covariance: Float64Array;
  /** Individual parameters at the mode (data units). */
  individual: ParameterValues;
  /** Typical parameters of the patient (η = 0, its covariates). */
  typical: ParameterValues;
  converged: boolean;
  message: string;
  evaluations: number;
}

export interface MapOptions {
  /** Starting η (default 0). */
  start?: ArrayLike<number>;
  /** BFGS stops when the objective falls by less than this twice in a row (default 1e-10). */
  tolerance?: number;
}

/** The MAP η and its Laplace covariance (see the header). */
export function mapEstimate(posterior: PatientPosterior, options: MapOptions = {}): MapEstimate {
  const k = posterior.etaNames.length;
  const before = posterior.evaluations;
  const prior = (): Float64Array => {
    const c = new Float64Array(k * k);
    for (let i = 0; i < k; i++) c[i * k + i] = posterior.omega[i] ** 2;
    return c;
  };
  const zero = new Float64Array(k);
  const typical = posterior.parameters(zero);
  if (posterior.nObservations === 0 || k === 0) {
    return {
      etaNames: posterior.etaNames,
      eta: zero,
      ofv: posterior.objective(zero),
      covariance: prior(),
      individual: posterior.parameters(zero),
      typical,
      converged: true,
      message: posterior.nObservations === 0 ? 'no levels: the a priori prediction (η = 0)' : 'no random effects',
      evaluations: posterior.evaluations - before,
    };
  }
  const f = (x: Float64Array): number => posterior.objective(x);
  let x0 = Float64Array.from(options.start ?? zero);
  if (!Number.isFinite(f(x0))) x0 = zero;
  const result = minimizeBfgs({ value: f, gradient: (x) => centralGradient(f, x, 1e-5) }, x0, {
    fTolerance: options.tolerance ?? 1e-10,
    maxIterations: 500,
    maxStep: 1,
  });
  const hess = finiteDifferenceHessian(f, result.x, result.f, 1e-3);
  const inv = inverseSpd(hess, k);
  const covariance = inv ? inv.map((v) => 2 * v) : prior();
  return {
    etaNames: posterior.etaNames,
    eta: result.x,
    ofv: result.f,
    covariance,
    individual: posterior.parameters(result.x),
    typical,
    converged: result.converged && inv !== null,
    message: inv ? result.message : `${result.message}; the Hessian at the mode is not positive definite (covariance: the prior)`,
    evaluations: posterior.evaluations - before,
  };
}
