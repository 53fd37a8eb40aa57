/**
 * Population estimation by FOCE with interaction (first-order conditional estimation, the
 * Laplace-type approximation NONMEM calls FOCE INTER), for models with log-normal-style random
 * effects η ~ N(0, Ω), Ω diagonal, and residual variance r = σ_add² + σ_prop² f² (or, with
 * `combined: 'sum-of-sds'`, r = (σ_add + σ_prop |f|)²; ./residual-error.ts) evaluated at the
 * individual prediction (the "interaction").
 *
 * For each subject i, the conditional mode η̂_i minimises
 *   L_i(η) = Σ_j [log(2π r_j) + (y_j − f_j(η))² / r_j(η)] + ηᵀ Ω⁻¹ η
 * (Fisher-scoring Newton steps with a line search, warm-started from the last accepted outer
 * point). The subject's contribution to the objective (−2 log-likelihood) is
 *   OFV_i = L_i(η̂) + log|Ω| + log|Ω⁻¹ + Σ_j a_j g_j g_jᵀ|,  a_j = 1/r_j + ½ (∂r_j/∂f)² / r_j²,
 * where g_j = ∂f_j/∂η at η̂ (forward differences): the Laplace approximation with the expected
 * (Gauss–Newton) Hessian. With r independent of η (additive error, e.g. log-transformed PK) this
 * is NONMEM's FOCE-I objective plus the constant Σ log 2π; for the linear mixed model it is exact.
 *
 * Below-LOQ observations (Beal's M3, `FoceProblem.censored`): an observation flagged censored holds
 * its limit (LLOQ, on the modelled scale) and adds −2 log Φ((LLOQ − f)/√r) to L_i — the probability
 * that the observation lies below the limit — in place of the normal density; in the scoring steps
 * and the Laplace term its weight a_j is the curvature of −log Φ(z) in f, λ(λ + z)(∂z/∂f)² with
 * λ = φ(z)/Φ(z), z = (LLOQ − f)/√r (NONMEM needs LAPLACIAN for M3; this is the same second-order
 * approximation around η̂ with that term's own curvature). IWRES and CWRES are NaN at censored
 * observations; CWRES of the others decorrelate them among themselves.
 *
 * The outer problem — fixed effects (transformed: log, logit or none), log SDs of η and of the
 * residual error — is minimised by BFGS with finite-difference gradients. Standard errors come
 * from the finite-difference Hessian H of the OFV at the optimum: Cov = 2 H⁻¹ on the transformed
 * scale, mapped to the natural scale by the delta method; 95% intervals are back-transformed.
 *
 * One fit, serial or split by subject across workers (issue 16): `foceFitSteps` is the fit written
 * once as a generator that yields `SubjectRequest`s — the per-subject OFVs of subjects [from, to) at a
 * batch of points, each subject's conditional mode started from the accepted modes it carries — and
 * keeps every piece of state (accepted and latest modes, the BFGS) itself. `fitFoce` answers them in
 * the thread (`FoceObjective.subjectValues`); a pool of workers answers the same requests split by
 * subject or by point (`splitRequest`: each worker holds the problem, rebuilt from plain data, and
 * runs the same `subjectValues`), and the totals are summed in subject order by `settle`, so N
 * workers give bit for bit the serial results.
 */
import { FitCancelledError } from './errors';
import { cholesky, choleskyLogDet, choleskySolve, forwardSolve, inverseSpd, symmetricEigen } from './linalg';
import { bfgsSteps, forwardGradientSteps, hessianSteps, runSteps, runStepsAsync, type Steps } from './optimizer';
import type { CancelSignal } from '../data/cancel';
import { combinedVariance, combinedVarianceSlope, type ResidualCombination } from './residual-error';
import { logNormalCdf } from './random';

export type Transform = 'log' | 'logit' | 'identity';

export interface ThetaSpec {
  name: string;
  initial: number;
  transform: Transform;
  fixed?: boolean;
}

export interface EtaSpec {
  name: string;
  /** Initial SD of η (its value when fixed). */
  initialSd: number;
  /** Hold ω at initialSd (a published model's between-subject SD). */
  fixed?: boolean;
}

/** Initial residual SDs; a component that is absent is not in the model. */
export interface ResidualSpec {
  additive?: number;
  proportional?: number;
  /** How the two combine (./residual-error.ts); absent: sum of variances. */
  combined?: ResidualCombination;
}

/** The estimated parameters of a FOCE problem, with their initial values. */
export interface FoceParameters {
  thetas: ThetaSpec[];
  etas: EtaSpec[];
  residual: ResidualSpec;
}

export interface FoceProblem extends FoceParameters {
  /** Observations per subject, on the modelled scale (e.g. log concentration). */
  observations: readonly Float64Array[];
  /**
   * Per subject, 1 where the observation is below the limit of quantification (M3: the observation
   * holds the limit, on the modelled scale); absent (or an empty array for a subject): none censored.
   */
  censored?: readonly Uint8Array[];
  /** Writes the predictions of subject `subject` (same order as its observations) into `out`. */
  predict(theta: Float64Array, eta: Float64Array, subject: number, out: Float64Array): void;
}

export type { CancelSignal };

export interface FitProgress {
  stage: string;
  iteration: number;
  ofv: number;
}

export interface FitControl {
  onProgress?: (progress: FitProgress) => void;
  signal?: CancelSignal;
  /** Label used in progress reports. */
  stage?: string;
  maxIterations?: number;
  /** Compute standard errors (default true). */
  covariance?: boolean;
  /** Relative finite-difference step of the covariance step's Hessian (default 1e-3). */
  hessianStep?: number;
  /** Convergence tolerance of the conditional modes in the covariance step (default 1e-10). */
  covarianceInnerTolerance?: number;
}

export interface ParameterEstimate {
  name: string;
  kind: 'theta' | 'omega' | 'sigma';
  estimate: number;
  /** Standard error on the natural scale (delta method); NaN when not available or fixed. */
  se: number;
  /** Relative standard error, %. */
  rse: number;
  /** 95% interval, back-transformed from the estimation scale. */
  lower: number;
  upper: number;
  fixed: boolean;
}

export interface SubjectDiagnostics {
  /** Population prediction f(θ, 0), modelled scale. */
  pred: Float64Array;
  /** Individual prediction f(θ, η̂). */
  ipred: Float64Array;
  /** (y − IPRED) / √r(IPRED). */
  iwres: Float64Array;
  /** Conditional weighted residuals (FOCE linearisation around η̂). */
  cwres: Float64Array;
}

export interface FoceResult {
  parameters: ParameterEstimate[];
  /** Natural-scale fixed effects, in the order of problem.thetas. */
  theta: Float64Array;
  omegaSd: Float64Array;
  sigmaAdditive: number;
  sigmaProportional: number;
  /** −2 log-likelihood (with constants). */
  ofv: number;
  aic: number;
  bic: number;
  nObservations: number;
  nEstimated: number;
  iterations: number;
  /**
   * The objective's convergence trace: OFV at the starting values, then at each accepted BFGS
   * iteration (non-increasing: each accepted step lowers it). The final `ofv` is the last entry
   * re-evaluated from the accepted modes (equal to it up to the inner tolerance).
   */
  ofvTrace: number[];
  evaluations: number;
  converged: boolean;
  message: string;
  /** Empirical Bayes estimates (conditional modes) per subject. */
  etas: Float64Array[];
  /** 1 − SD(η̂)/ω per η. */
  etaShrinkage: Float64Array;
  /** Covariance of the estimated parameters on the estimation scale, or null if the step failed. */
  covariance: Float64Array | null;
  covarianceNames: string[];
  covarianceMessage: string;
  diagnostics: SubjectDiagnostics[];
  elapsedMs: number;
}

/**
 * Part of an objective evaluation: the OFV of each subject in [from, to) at each point (estimation
 * scale), each subject's conditional mode started from `starts` (its accepted mode: the warm start).
 * Plain data: a pool worker answers it with its own copy of the problem.
 */
export interface SubjectRequest {
  points: Float64Array[];
  from: number;
  to: number;
  /** Starting modes of subjects from … to − 1, (to − from) × nEta. */
  starts: Float64Array;
  /** Return the modes found at the first point (a kept evaluation, whose modes may become the warm starts). */
  modes: boolean;
  innerTolerance: number;
  innerMaxIterations: number;
}

export interface SubjectAnswer {
  /** Per point, the OFV of subjects from … to − 1; after a subject whose OFV is not finite the rest are NaN (not computed). */
  ofv: Float64Array[];
  /** The modes at the first point, (to − from) × nEta, when asked. */
  modes: Float64Array | null;
}

interface Decoded {
  theta: Float64Array;
  omegaVar: Float64Array;
  sa2: number;
  sp2: number;
  combined: ResidualCombination | undefined;
}

interface Work {
  f: Float64Array;
  fTrial: Float64Array;
  fProbe: Float64Array;
  g: Float64Array;
  r: Float64Array;
  etaTrial: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);
const ETA_STEP = 1e-6;
const NO_CENSORING = new Uint8Array(0);

/**
 * A censored observation's terms (M3): −log Φ(z) with z = (y − f)/√r, its slope in f (halved
 * objective, as the scoring steps use) and its curvature λ(λ + z)(∂z/∂f)², λ = φ(z)/Φ(z).
 */
function censoredTerms(y: number, f: number, r: number, dr: number): { minusLogCdf: number; slope: number; weight: number } {
  const sd = Math.sqrt(r);
  const z = (y - f) / sd;
  const logCdf = logNormalCdf(z);
  const lambda = Math.exp(-0.5 * z * z - 0.5 * LOG_2PI - logCdf);
  const dz = -1 / sd - (z * dr) / (2 * r);
  return { minusLogCdf: -logCdf, slope: -lambda * dz, weight: lambda * (lambda + z) * dz * dz };
}

function forward(transform: Transform, value: number): number {
  if (transform === 'log') return Math.log(value);
  if (transform === 'logit') return Math.log(value / (1 - value));
  return value;
}

function backward(transform: Transform, x: number): number {
  if (transform === 'log') return Math.exp(x);
  if (transform === 'logit') return 1 / (1 + Math.exp(-x));
  return x;
}

function derivative(transform: Transform, x: number): number {
  if (transform === 'log') return Math.exp(x);
  if (transform === 'logit') {
    const p = 1 / (1 + Math.exp(-x));
    return p * (1 - p);
  }
  return 1;
}

/** The estimated parameters of a problem: names, transforms, the free θ, and the starting point (estimation scale). */
function parameterLayout(problem: FoceParameters): { names: string[]; transforms: Transform[]; freeTheta: number[]; x0: Float64Array } {
  const names: string[] = [];
  const transforms: Transform[] = [];
  const freeTheta: number[] = [];
  const x: number[] = [];
  problem.thetas.forEach((t, i) => {
    if (t.fixed) return;
    freeTheta.push(i);
    names.push(t.name);
    transforms.push(t.transform);
    x.push(forward(t.transform, t.initial));
  });
  for (const e of problem.etas) {
    if (e.fixed) continue;
    names.push(`omega(${e.name})`);
    transforms.push('log');
    x.push(Math.log(e.initialSd));
  }
  if (problem.residual.additive !== undefined) {
    names.push('sigma(add)');
    transforms.push('log');
    x.push(Math.log(problem.residual.additive));
  }
  if (problem.residual.proportional !== undefined) {
    names.push('sigma(prop)');
    transforms.push('log');
    x.push(Math.log(problem.residual.proportional));
  }
  return { names, transforms, freeTheta, x0: Float64Array.from(x) };
}

/** The problem's starting point on the estimation scale (its initial values transformed). */
export function startPoint(problem: FoceParameters): Float64Array {
  return parameterLayout(problem).x0;
}

/** The FOCE objective and its pieces for one problem; exposed for tests and for custom drivers. */
export class FoceObjective {
  readonly nEta: number;
  readonly names: string[] = [];
  readonly transforms: Transform[] = [];
  readonly x0: Float64Array;
  /** Accepted conditional modes (warm starts). */
  committed: Float64Array[];
  /** Modes of the latest kept evaluation (a line-search trial point), subjects × nEta; valid when latestX is set. */
  private latest: Float64Array;
  /** Where the latest kept evaluation was, or null when it failed (or none was made). */
  private latestX: Float64Array | null = null;
  /** The modes being iterated in subjectValues. */
  private readonly modes: Float64Array[];
  private readonly work: Work[];
  private readonly freeTheta: number[] = [];
  evaluations = 0;
  innerTolerance = 1e-8;
  innerMaxIterations = 60;

  constructor(
    readonly problem: FoceProblem,
    private readonly signal?: CancelSignal,
  ) {
    this.nEta = problem.etas.length;
    const layout = parameterLayout(problem);
    this.names.push(...layout.names);
    this.transforms.push(...layout.transforms);
    this.freeTheta.push(...layout.freeTheta);
    this.x0 = layout.x0;
    const k = this.nEta;
    this.committed = problem.observations.map(() => new Float64Array(k));
    this.latest = new Float64Array(problem.observations.length * k);
    this.modes = problem.observations.map(() => new Float64Array(k));
    this.work = problem.observations.map((y) => ({
      f: new Float64Array(y.length),
      fTrial: new Float64Array(y.length),
      fProbe: new Float64Array(y.length),
      g: new Float64Array(y.length * k),
      r: new Float64Array(y.length),
      etaTrial: new Float64Array(k),
    }));
  }

  decode(x: ArrayLike<number>): Decoded {
    const p = this.problem;
    const theta = Float64Array.from(p.thetas, (t) => t.initial);
    let m = 0;
    for (const i of this.freeTheta) theta[i] = backward(p.thetas[i].transform, x[m++]);
    const omegaVar = new Float64Array(this.nEta);
    for (let e = 0; e < this.nEta; e++) omegaVar[e] = p.etas[e].fixed ? p.etas[e].initialSd ** 2 : Math.exp(2 * x[m++]);
    const sa2 = p.residual.additive !== undefined ? Math.exp(2 * x[m++]) : 0;
    const sp2 = p.residual.proportional !== undefined ? Math.exp(2 * x[m]) : 0;
    return { theta, omegaVar, sa2, sp2, combined: p.residual.combined };
  }

  /** OFV at x, warm-starting every subject from the committed modes (`keep`: its modes may become the warm starts). */
  value(x: ArrayLike<number>, keep = true): number {
    const points = [Float64Array.from(x)];
    return this.settle(points, keep, this.subjectValues(this.request(points, keep)))[0];
  }

  /** Makes the modes of the latest value(x) call the warm starts. */
  accept(x: ArrayLike<number>): void {
    if (!this.holdsLatest(x)) this.value(x);
    this.commit();
  }

  /** Whether the latest kept evaluation was at x (its modes are there to accept). */
  holdsLatest(x: ArrayLike<number>): boolean {
    return this.latestX !== null && this.latestX.every((v, i) => v === x[i]);
  }

  /** The latest kept evaluation's modes become the warm starts. */
  commit(): void {
    const k = this.nEta;
    for (let i = 0; i < this.committed.length; i++) this.committed[i].set(this.latest.subarray(i * k, (i + 1) * k));
  }

  /**
   * The request of an evaluation of every subject at `points` from the committed modes (counted; the
   * cancel signal checked). `keep`: one point, whose modes `settle` keeps for `accept`.
   */
  request(points: Float64Array[], keep: boolean): SubjectRequest {
    if (this.signal?.aborted) throw new FitCancelledError();
    this.evaluations += points.length;
    if (keep) this.latestX = null;
    const k = this.nEta;
    const n = this.committed.length;
    const starts = new Float64Array(n * k);
    this.committed.forEach((eta, i) => starts.set(eta, i * k));
    return {
      points,
      from: 0,
      to: n,
      starts,
      modes: keep,
      innerTolerance: this.innerTolerance,
      innerMaxIterations: this.innerMaxIterations,
    };
  }

  /** The OFV of each point from the answer to `request(points, keep)`: its subjects summed in order (Infinity when one is not finite). */
  settle(points: Float64Array[], keep: boolean, answer: SubjectAnswer): number[] {
    const totals = answer.ofv.map((ofv) => {
      let total = 0;
      for (let i = 0; i < ofv.length; i++) {
        if (!Number.isFinite(ofv[i])) return Infinity;
        total += ofv[i];
      }
      return total;
    });
    if (keep && Number.isFinite(totals[0]) && answer.modes) {
      this.latest.set(answer.modes);
      this.latestX = Float64Array.from(points[0]);
    }
    return totals;
  }

  /**
   * The per-subject OFVs a request asks for, each conditional mode found from its start: the one
   * computation of the objective, in the thread or in a pool worker. At a point where a subject's
   * OFV is not finite the later subjects are not computed (NaN): the total is infinite anyway.
   */
  subjectValues(request: SubjectRequest): SubjectAnswer {
    const { from, to, starts } = request;
    const k = this.nEta;
    this.innerTolerance = request.innerTolerance;
    this.innerMaxIterations = request.innerMaxIterations;
    const ofv = request.points.map((x) => {
      const out = new Float64Array(to - from).fill(Number.NaN);
      const d = this.decode(x);
      for (const v of d.theta) if (!Number.isFinite(v)) return out.fill(Infinity, 0, 1);
      for (let i = from; i < to; i++) {
        const eta = this.modes[i];
        eta.set(starts.subarray((i - from) * k, (i - from + 1) * k));
        out[i - from] = this.subjectOfv(i, d, eta);
        if (!Number.isFinite(out[i - from])) break;
      }
      return out;
    });
    let modes: Float64Array | null = null;
    if (request.modes) {
      // The first point was the last computed only when it is the only one: a kept evaluation has one point.
      if (request.points.length !== 1) throw new Error('subjectValues: modes are returned for a single point');
      modes = new Float64Array((to - from) * k);
      for (let i = from; i < to; i++) modes.set(this.modes[i], (i - from) * k);
    }
    return { ofv, modes };
  }

  private residualVariance(f: Float64Array, r: Float64Array, d: Decoded): boolean {
    for (let j = 0; j < f.length; j++) {
      const v = combinedVariance(d.sa2, d.sp2, d.combined, f[j]);
      if (!(v > 0) || !Number.isFinite(v)) return false;
      r[j] = v;
    }
    return true;
  }

  private censoredOf(i: number): Uint8Array {
    return this.problem.censored?.[i] ?? NO_CENSORING;
  }

  private conditional(i: number, d: Decoded, eta: Float64Array, f: Float64Array, r: Float64Array): number {
    this.problem.predict(d.theta, eta, i, f);
    if (!this.residualVariance(f, r, d)) return Infinity;
    const y = this.problem.observations[i];
    const censored = this.censoredOf(i);
    let l = 0;
    for (let j = 0; j < y.length; j++) {
      if (censored[j] === 1) {
        l += 2 * censoredTerms(y[j], f[j], r[j], 0).minusLogCdf;
        continue;
      }
      const e = y[j] - f[j];
      l += LOG_2PI + Math.log(r[j]) + (e * e) / r[j];
    }
    for (let k = 0; k < this.nEta; k++) l += (eta[k] * eta[k]) / d.omegaVar[k];
    return Number.isFinite(l) ? l : Infinity;
  }

  /** Forward-difference ∂f/∂η into w.g (n × k, row-major) at eta, with w.f already at eta. */
  private sensitivities(i: number, d: Decoded, eta: Float64Array, w: Work): void {
    const n = w.f.length;
    const k = this.nEta;
    for (let e = 0; e < k; e++) {
      const keep = eta[e];
      eta[e] = keep + ETA_STEP;
      this.problem.predict(d.theta, eta, i, w.fProbe);
      eta[e] = keep;
      for (let j = 0; j < n; j++) w.g[j * k + e] = (w.fProbe[j] - w.f[j]) / ETA_STEP;
    }
  }

  /** Gradient of L_i and its expected Hessian (both halved) at the current point. */
  private scoring(i: number, d: Decoded, eta: Float64Array, w: Work, grad: Float64Array, info: Float64Array): void {
    const y = this.problem.observations[i];
    const censored = this.censoredOf(i);
    const k = this.nEta;
    grad.fill(0);
    info.fill(0);
    for (let j = 0; j < y.length; j++) {
      const r = w.r[j];
      const e = y[j] - w.f[j];
      const dr = combinedVarianceSlope(d.sa2, d.sp2, d.combined, w.f[j]);
      let gf = -e / r + 0.5 * dr * (1 / r - (e * e) / (r * r));
      let a = 1 / r + (0.5 * dr * dr) / (r * r);
      if (censored[j] === 1) {
        const terms = censoredTerms(y[j], w.f[j], r, dr);
        gf = terms.slope;
        a = terms.weight;
      }
      for (let p = 0; p < k; p++) {
        const gp = w.g[j * k + p];
        grad[p] += gf * gp;
        for (let q = 0; q <= p; q++) info[p * k + q] += a * gp * w.g[j * k + q];
      }
    }
    for (let p = 0; p < k; p++) {
      grad[p] += eta[p] / d.omegaVar[p];
      info[p * k + p] += 1 / d.omegaVar[p];
      for (let q = 0; q < p; q++) info[q * k + p] = info[p * k + q];
    }
  }

  /** Finds the conditional mode (updating eta in place) and returns the subject's OFV. */
  subjectOfv(i: number, d: Decoded, eta: Float64Array): number {
    const k = this.nEta;
    const w = this.work[i];
    let l = this.conditional(i, d, eta, w.f, w.r);
    if (!Number.isFinite(l)) {
      eta.fill(0);
      l = this.conditional(i, d, eta, w.f, w.r);
      if (!Number.isFinite(l)) return Infinity;
    }
    if (k === 0) return l;
    const grad = new Float64Array(k);
    const info = new Float64Array(k * k);
    let chol: Float64Array | null;
    for (let iteration = 0; ; iteration++) {
      this.sensitivities(i, d, eta, w);
      this.scoring(i, d, eta, w, grad, info);
      chol = cholesky(info, k);
      if (!chol) return Infinity;
      const step = choleskySolve(chol, k, grad);
      let size = 0;
      let slope = 0;
      for (let p = 0; p < k; p++) {
        step[p] = -step[p];
        size = Math.max(size, Math.abs(step[p]));
        slope += 2 * step[p] * grad[p];
      }
      if (size < this.innerTolerance || iteration >= this.innerMaxIterations) break;
      if (size > 3) {
        for (let p = 0; p < k; p++) step[p] *= 3 / size;
        slope *= 3 / size;
      }
      // Below rounding of L the line search cannot judge a step: take the full scoring step.
      const negligible = -slope < 1e-11 * Math.max(1, Math.abs(l));
      let alpha = 1;
      let moved = false;
      for (let trial = 0; trial < 30; trial++) {
        for (let p = 0; p < k; p++) w.etaTrial[p] = eta[p] + alpha * step[p];
        const lt = this.conditional(i, d, w.etaTrial, w.fTrial, w.r);
        if (lt <= l + 1e-4 * alpha * slope || (negligible && Number.isFinite(lt))) {
          eta.set(w.etaTrial);
          w.f.set(w.fTrial);
          l = lt;
          moved = true;
          break;
        }
        alpha *= 0.5;
      }
      // Restore r at the current mode (trial points overwrote it).
      this.residualVariance(w.f, w.r, d);
      if (!moved) break;
    }
    // log|Ω| + log|Ω⁻¹ + Σ a g gᵀ| from the information matrix at the mode.
    let logDetOmega = 0;
    for (let p = 0; p < k; p++) logDetOmega += Math.log(d.omegaVar[p]);
    return l + logDetOmega + choleskyLogDet(chol, k);
  }

  /** PRED, IPRED, IWRES and CWRES at x with the given modes. */
  diagnostics(x: ArrayLike<number>, etas: Float64Array[]): SubjectDiagnostics[] {
    const d = this.decode(x);
    const k = this.nEta;
    return this.problem.observations.map((y, i) => {
      const n = y.length;
      const w = this.work[i];
      const pred = new Float64Array(n);
      this.problem.predict(d.theta, new Float64Array(k), i, pred);
      const eta = Float64Array.from(etas[i]);
      this.problem.predict(d.theta, eta, i, w.f);
      this.residualVariance(w.f, w.r, d);
      this.sensitivities(i, d, eta, w);
      const ipred = Float64Array.from(w.f);
      const censored = this.censoredOf(i);
      const iwres = Float64Array.from(y, (v, j) => (censored[j] === 1 ? NaN : (v - ipred[j]) / Math.sqrt(w.r[j])));
      // Marginal covariance of the linearised model around η̂, G Ω Gᵀ + diag(r), over the observations not censored.
      const rows = Array.from({ length: n }, (_, j) => j).filter((j) => censored[j] !== 1);
      const m = rows.length;
      const c = new Float64Array(m * m);
      const residual = new Float64Array(m);
      rows.forEach((ja, a) => {
        let mean = ipred[ja];
        for (let p = 0; p < k; p++) mean -= w.g[ja * k + p] * eta[p];
        residual[a] = y[ja] - mean;
        for (let b = 0; b <= a; b++) {
          const jb = rows[b];
          let s = a === b ? w.r[ja] : 0;
          for (let p = 0; p < k; p++) s += w.g[ja * k + p] * d.omegaVar[p] * w.g[jb * k + p];
          c[a * m + b] = s;
          c[b * m + a] = s;
        }
      });
      const l = cholesky(c, m);
      const cwres = new Float64Array(n).fill(NaN);
      if (l) forwardSolve(l, m, residual).forEach((v, a) => (cwres[rows[a]] = v));
      return { pred, ipred, iwres, cwres };
    });
  }
}

/** A request split into parts (`splitRequest`) and how their answers make the whole one's. */
export interface SplitRequest {
  parts: SubjectRequest[];
  join(answers: readonly SubjectAnswer[]): SubjectAnswer;
}

/** How `splitRequest` splits: by subject, or by point where it can (a batch of at least `count` points, no modes asked). */
export type SplitMode = 'subject' | 'point';

/**
 * Splits a request into at most `count` parts for as many workers: by subject (the default) —
 * contiguous ranges of about equal numbers of observations (`weights`: per subject, e.g. its
 * observation count), each part all the points — or, with mode 'point', by point where the batch has
 * at least `count` points and no modes are asked, each worker evaluating all subjects at its points.
 * By subject balances better: a gradient's probes differ in cost by direction (measured on a
 * 200-subject PK/PD fit: the slower of two parts 6 % above half the work by subject, 19 % by point).
 * The joined answer holds the same numbers as the whole request's, whichever way it was split.
 */
export function splitRequest(
  request: SubjectRequest,
  count: number,
  weights: readonly number[],
  mode: SplitMode = 'subject',
): SplitRequest {
  const nPoints = request.points.length;
  if (count <= 1) return { parts: [request], join: (answers) => answers[0] };
  if (mode === 'point' && !request.modes && nPoints >= count) {
    const bounds = evenBounds(
      Array.from({ length: nPoints }, () => 1),
      count,
    );
    return {
      parts: bounds.slice(1).map((end, p) => ({ ...request, points: request.points.slice(bounds[p], end) })),
      join: (answers) => ({ ofv: answers.flatMap((a) => a.ofv), modes: null }),
    };
  }
  const { from, to } = request;
  const k = request.starts.length / Math.max(1, to - from);
  const bounds = evenBounds(weights.slice(from, to), count).map((b) => b + from);
  const parts = bounds.slice(1).map((end, p) => ({
    ...request,
    from: bounds[p],
    to: end,
    starts: request.starts.slice((bounds[p] - from) * k, (end - from) * k),
  }));
  return {
    parts,
    join: (answers) => {
      const ofv = request.points.map(() => new Float64Array(to - from));
      answers.forEach((a, p) => a.ofv.forEach((values, point) => ofv[point].set(values, parts[p].from - from)));
      let modes: Float64Array | null = null;
      if (request.modes) {
        modes = new Float64Array((to - from) * k);
        answers.forEach((a, p) => modes!.set(a.modes!, (parts[p].from - from) * k));
      }
      return { ofv, modes };
    },
  };
}

/**
 * Boundaries 0 = b₀ < b₁ < … < b_m = n of at most `count` contiguous, non-empty ranges, each boundary
 * nearest its share of the total weight.
 */
function evenBounds(weights: readonly number[], count: number): number[] {
  const n = weights.length;
  const m = Math.max(1, Math.min(count, n));
  const prefix = [0];
  for (const w of weights) prefix.push(prefix[prefix.length - 1] + w);
  const bounds = [0];
  for (let r = 1; r < m; r++) {
    const target = (prefix[n] * r) / m;
    // At least one item in this range, and one left for each range still to come.
    let b = bounds[r - 1] + 1;
    while (b < n - (m - r) && Math.abs(prefix[b + 1] - target) <= Math.abs(prefix[b] - target)) b++;
    bounds.push(b);
  }
  bounds.push(n);
  return bounds;
}

/** Fits the problem by FOCE-I and reports estimates, uncertainty, EBEs and diagnostics (in this thread). */
export function fitFoce(problem: FoceProblem, control: FitControl = {}): FoceResult {
  const objective = new FoceObjective(problem, control.signal);
  return runSteps(foceFitSteps(objective, control), (request) => objective.subjectValues(request));
}

/**
 * `fitFoce` with the subjects' OFVs computed by `answer` (e.g. a pool of workers, each holding the same
 * problem: `splitRequest`); the same estimates, OFV and EBEs bit for bit when the answers are the
 * same numbers.
 */
export function fitFoceAsync(
  objective: FoceObjective,
  control: FitControl,
  answer: (request: SubjectRequest) => Promise<SubjectAnswer>,
): Promise<FoceResult> {
  return runStepsAsync(foceFitSteps(objective, control), answer);
}

/** The OFV of each point from the committed modes (`keep`: one point, whose modes `accept` may take). */
export function* objectiveValues(
  objective: FoceObjective,
  points: Float64Array[],
  keep: boolean,
): Steps<SubjectRequest, SubjectAnswer, number[]> {
  return objective.settle(points, keep, yield objective.request(points, keep));
}

/** Makes the modes at x the warm starts (evaluating there first unless the latest kept evaluation was at x). */
function* acceptPoint(objective: FoceObjective, x: Float64Array): Steps<SubjectRequest, SubjectAnswer, void> {
  if (!objective.holdsLatest(x)) yield* objectiveValues(objective, [x], true);
  objective.commit();
}

/** The FOCE-I fit as steps (see the header): every objective evaluation is a yielded SubjectRequest. */
export function* foceFitSteps(objective: FoceObjective, control: FitControl = {}): Steps<SubjectRequest, SubjectAnswer, FoceResult> {
  const started = performance.now();
  const problem = objective.problem;
  const stage = control.stage ?? 'FOCE';
  const ofvTrace: number[] = [];
  const bfgs = bfgsSteps(objective.x0, {
    maxIterations: control.maxIterations ?? 300,
    fTolerance: 1e-4,
    maxStep: 1,
    onIteration: (iteration, _x, f) => {
      ofvTrace.push(f);
      control.onProgress?.({ stage, iteration, ofv: f });
    },
  });
  let step = bfgs.next();
  while (!step.done) {
    const request = step.value;
    if (request.kind === 'value') {
      const [f] = yield* objectiveValues(objective, [request.x], true);
      if (ofvTrace.length === 0) ofvTrace.push(f);
      step = bfgs.next(f);
    } else if (request.kind === 'gradient') {
      const gradient = forwardGradientSteps(request.x, request.fx);
      let batch = gradient.next();
      while (!batch.done) batch = gradient.next(yield* objectiveValues(objective, batch.value, false));
      step = bfgs.next(batch.value);
    } else {
      yield* acceptPoint(objective, request.x);
      step = bfgs.next(undefined);
    }
  }
  const result = step.value;
  const x = result.x;
  yield* acceptPoint(objective, x);
  const etas = objective.committed.map((e) => Float64Array.from(e));
  const [ofv] = yield* objectiveValues(objective, [x], false);
  const nEstimated = x.length;
  const nObservations = problem.observations.reduce((a, y) => a + y.length, 0);

  let covariance: Float64Array | null = null;
  let covarianceMessage = 'not requested';
  if (control.covariance ?? true) {
    objective.innerTolerance = control.covarianceInnerTolerance ?? 1e-10;
    const [fx] = yield* objectiveValues(objective, [x], false);
    const hessian = hessianSteps(x, fx, control.hessianStep ?? 1e-3);
    let batch = hessian.next();
    while (!batch.done) batch = hessian.next(yield* objectiveValues(objective, batch.value, false));
    objective.innerTolerance = 1e-8;
    const cov = covarianceFromHessian(batch.value, objective.names);
    covariance = cov.covariance;
    covarianceMessage = cov.message;
  }

  const decoded = objective.decode(x);
  const parameters: ParameterEstimate[] = [];
  let m = 0;
  const seX = (index: number): number => {
    const v = covariance ? covariance[index * nEstimated + index] : NaN;
    return v >= 0 ? Math.sqrt(v) : NaN;
  };
  const entry = (name: string, kind: ParameterEstimate['kind'], transform: Transform, index: number): ParameterEstimate => {
    const xi = x[index];
    const s = seX(index);
    const estimate = backward(transform, xi);
    const se = s * derivative(transform, xi);
    return {
      name,
      kind,
      estimate,
      se,
      rse: (100 * se) / Math.abs(estimate),
      lower: backward(transform, xi - 1.959964 * s),
      upper: backward(transform, xi + 1.959964 * s),
      fixed: false,
    };
  };
  problem.thetas.forEach((t) => {
    if (t.fixed) {
      parameters.push({ name: t.name, kind: 'theta', estimate: t.initial, se: NaN, rse: NaN, lower: NaN, upper: NaN, fixed: true });
    } else {
      parameters.push(entry(t.name, 'theta', t.transform, m++));
    }
  });
  for (const e of problem.etas) {
    if (e.fixed) {
      const sd = e.initialSd;
      parameters.push({ name: `omega(${e.name})`, kind: 'omega', estimate: sd, se: NaN, rse: NaN, lower: NaN, upper: NaN, fixed: true });
    } else parameters.push(entry(`omega(${e.name})`, 'omega', 'log', m++));
  }
  if (problem.residual.additive !== undefined) parameters.push(entry('sigma(add)', 'sigma', 'log', m++));
  if (problem.residual.proportional !== undefined) parameters.push(entry('sigma(prop)', 'sigma', 'log', m++));

  const omegaSd = decoded.omegaVar.map(Math.sqrt);
  const etaShrinkage = omegaSd.map((w, p) => {
    const values = etas.map((e) => e[p]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return 1 - sd / w;
  });

  return {
    parameters,
    theta: decoded.theta,
    omegaSd,
    sigmaAdditive: Math.sqrt(decoded.sa2),
    sigmaProportional: Math.sqrt(decoded.sp2),
    ofv,
    aic: ofv + 2 * nEstimated,
    bic: ofv + Math.log(nObservations) * nEstimated,
    nObservations,
    nEstimated,
    iterations: result.iterations,
    ofvTrace,
    evaluations: objective.evaluations,
    converged: result.converged,
    message: result.message,
    etas,
    etaShrinkage,
    covariance,
    covarianceNames: objective.names.slice(),
    covarianceMessage,
    diagnostics: objective.diagnostics(x, etas),
    elapsedMs: performance.now() - started,
  };
}

/**
 * Cov = 2 H⁻¹ from the Hessian of the OFV. When H is not positive definite (a parameter the data
 * cannot determine, e.g. ka of a one-compartment model on two-compartment data), the parameter that
 * dominates the weakest direction is set aside, repeatedly, until the rest is well conditioned: its
 * SE is reported as NaN and the others are conditional on it (slightly optimistic).
 */
export function covarianceFromHessian(hess: Float64Array, names: string[]): { covariance: Float64Array | null; message: string } {
  const n = names.length;
  const full = inverseSpd(hess, n);
  if (full && wellConditioned(hess, n)) return { covariance: full.map((v) => 2 * v), message: 'ok' };
  let keep = Array.from({ length: n }, (_, i) => i);
  const dropped: number[] = [];
  while (keep.length > 0) {
    const m = keep.length;
    const sub = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = hess[keep[a] * n + keep[b]];
    const inv = inverseSpd(sub, m);
    if (inv && wellConditioned(sub, m)) {
      const cov = new Float64Array(n * n).fill(NaN);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) cov[keep[a] * n + keep[b]] = 2 * inv[a * m + b];
      return {
        covariance: cov,
        message: `the objective is flat in ${dropped.map((i) => names[i]).join(', ')} (not identifiable from these data): no standard error for ${dropped.length > 1 ? 'them' : 'it'}; the others are conditional on ${dropped.length > 1 ? 'their' : 'its'} estimate`,
      };
    }
    // Scale to unit diagonal so the weakest direction is judged relative to each parameter's own curvature.
    const d = Array.from({ length: m }, (_, a) => 1 / Math.sqrt(Math.max(Math.abs(sub[a * m + a]), 1e-300)));
    const scaled = sub.map((v, idx) => v * d[Math.floor(idx / m)] * d[idx % m]);
    const eig = symmetricEigen(scaled, m);
    let worst = 0;
    for (let a = 1; a < m; a++) if (Math.abs(eig.vectors[a * m]) > Math.abs(eig.vectors[worst * m])) worst = a;
    dropped.push(keep[worst]);
    keep = keep.filter((_, a) => a !== worst);
  }
  return { covariance: null, message: 'the Hessian of the objective is not positive definite for any subset of the parameters' };
}

function wellConditioned(h: Float64Array, n: number): boolean {
  const d = Array.from({ length: n }, (_, a) => 1 / Math.sqrt(Math.max(Math.abs(h[a * n + a]), 1e-300)));
  const scaled = h.map((v, idx) => v * d[Math.floor(idx / n)] * d[idx % n]);
  const values = symmetricEigen(scaled, n).values;
  return values[0] > 1e-8 * values[n - 1];
}
