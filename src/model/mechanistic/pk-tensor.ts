/**
 * Closed-form linear PK as differentiable TF.js ops: the float32 twin of ../../pkpd/structural/pk.ts
 * for a batch of subjects at once, so that `grad`/`variableGrads` give the derivatives of every
 * concentration with respect to each subject's parameters (issue 13, item 2: the structural model a
 * network's covariate head feeds). Only TF.js ops (exp, mul, sqrt, where, …) are used, so it runs
 * on every backend the networks run on (cpu and wasm tested here; WebGPU is not available in Node).
 *
 * What it covers: one or two compartments; oral doses (first-order absorption KA, bioavailability 1,
 * optional lag TLAG), IV boluses and zero-order infusions (during and after), any mix of them per
 * subject, superposed dose by dose. Not (yet): steady-state (SS=1) doses — `packPkBatch` refuses
 * them — and the geometric-series shortcut of the float64 engine (every dose is its own term here).
 *
 * Batch layout (`packPkBatch`): N subjects padded to T observation times and D doses. The elapsed
 * times t_i − t_d are subtracted on the host in float64 (in float32, a time of 1000 h would carry an
 * error of 6e-5 h into every exponential) and given as a [N, T, D] tensor; amounts, durations and
 * route indicators are [N, 1, D] with padded doses of amount 0; `timeMask` [N, T] zeroes the padded
 * observations. Parameters are [N] tensors on the natural scale (CL, V; KA for oral doses; TLAG
 * optional; Q, V2 for two compartments), and must be positive (TLAG ≥ 0): the caller's
 * parameterisation (e.g. exp of a network output) guarantees it; nothing is checked here, which would
 * need a device → host read.
 *
 * Disposition (a unit bolus gives C(s) = Σ_j a_j e^{−λ_j s}):
 *   one compartment  λ = k = CL/V, a = 1/V;
 *   two compartments k10 = CL/V, k12 = Q/V, k21 = Q/V2, r = √((k10 + k12 − k21)² + 4 k12 k21) (= α − β;
 *                    the same discriminant as ../../pkpd/pk-model's, written as a sum of non-negative
 *                    terms so that float32 does not cancel), α = (k10 + k12 + k21 + r)/2, β = k10 k21/α,
 *                    a_β = (k21 − β)/(V r), a_α = (α − k21)/(V r).
 * Every route is then a sum over j of the divided difference
 *   E(s; a, b) = (e^{−a s} − e^{−b s}) / (b − a) = s e^{−(a+b)s/2} sinh(y)/y,  y = (b − a) s / 2,
 * an entire function of a and b (no pole at a = b):
 *   oral      A · KA Σ_j a_j E(s⁺; λ_j, KA),           s⁺ = max(0, t − t_d − TLAG);
 *   bolus     A · Σ_j a_j e^{−λ_j s}  for s = t − t_d > 0 (a bolus at t is not yet seen there);
 *   infusion  (A/D) Σ_j a_j E(s₁; 0, λ_j) e^{−λ_j s₂},  s₁ = min(max(s, 0), D), s₂ = max(s − D, 0)
 * (during the infusion s₂ = 0 and E(s; 0, λ) = (1 − e^{−λ s})/λ; after it, the float64 form exactly).
 * E is evaluated as its difference quotient where |y| ≥ 1/2 (there the two exponentials differ by a
 * factor e or more: no cancellation) and by the series s e^{−(a+b)s/2} (1 + y²/6 + y⁴/120 + y⁶/5040 +
 * y⁸/362880) where |y| < 1/2 (truncation below 3e-11 relative). So KA = k, KA ≈ β or α, and short
 * infusions of slow drugs need no nudge (the float64 engine averages rates nudged by ±1e-5 instead,
 * exact to O(1e-10)): values and gradients stay finite and accurate up to and at coincidence. Each
 * `where` gets inputs made safe in the branch it does not select (the double-where rule), so that a
 * zero weight never meets an infinite or NaN partial derivative. Not handled: α ≈ β (Q → 0), as in the
 * float64 engine.
 *
 * The lag's kink. An oral dose contributes only once t − t_d − TLAG > 0; the response is continuous
 * there (zero) with a kink in TLAG. TF.js's relu has derivative 0 at 0, so at an observation exactly
 * at t_d + TLAG the gradient is the one-sided derivative from the side where absorption has not
 * started (TLAG slightly larger): 0 for that dose's term. Anywhere else it is the exact derivative.
 *
 * Memory: every intermediate is disposed (`tidy`); the caller owns the returned [N, T] tensor and the
 * batch (`disposePkBatch`).
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  add,
  cast,
  div,
  exp,
  greater,
  abs,
  minimum,
  mul,
  neg,
  onesLike,
  relu,
  reshape,
  scalar,
  sqrt,
  step,
  square,
  sub,
  sum,
  tensor2d,
  tensor3d,
  tidy,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { checkDoseEvents, type DoseEvent } from '../../pkpd/structural/doses';
import { ModelDataError } from '../errors';

/** The structure: how many compartments (the routes come with the doses). */
export interface PkTensorStructure {
  compartments: 1 | 2;
}

/** Per-subject PK parameters, each [N], natural scale (positive; TLAG ≥ 0). */
export interface PkTensorParameters {
  CL: Tensor1D;
  V: Tensor1D;
  /** Needed when any subject has an oral dose. */
  KA?: Tensor1D;
  /** Absorption lag of oral doses (absent: 0). */
  TLAG?: Tensor1D;
  /** Two compartments only. */
  Q?: Tensor1D;
  V2?: Tensor1D;
}

/** One subject's doses (no steady-state doses) and observation times. */
export interface PkSubject {
  doses: readonly DoseEvent[];
  times: ArrayLike<number>;
}

/** Padded dense tensors of a batch of subjects (see the header). */
export interface PkBatch {
  readonly subjects: number;
  /** Padded sizes T and D (each at least 1). */
  readonly times: number;
  readonly doses: number;
  /** t_i − t_d, [N, T, D] (padding: 0). */
  readonly elapsed: Tensor3D;
  /** Dose amounts, [N, 1, D] (padding: 0). */
  readonly amount: Tensor3D;
  /** Infusion durations, [N, 1, D] (other doses and padding: 1, never read). */
  readonly duration: Tensor3D;
  /** Route indicators (1 for a dose of that route), [N, 1, D]; null when no subject has such a dose. */
  readonly oral: Tensor3D | null;
  readonly bolus: Tensor3D | null;
  readonly infusion: Tensor3D | null;
  /** 1 for a real observation, 0 for padding, [N, T]. */
  readonly timeMask: Tensor2D;
  /** The subjects as packed (host copies: doses and float64 times), for what needs them on the host (indirect-tensor.ts's grid). */
  readonly source: readonly PkSubject[];
}

function subjectError(subject: number, message: string): ModelDataError {
  return new ModelDataError(`Subject ${subject + 1}: ${message}`);
}

/**
 * Packs subjects into one padded batch. Throws a ModelDataError naming the subject and dose or time
 * that cannot be used (invalid dose events as ../../pkpd/structural/doses `checkDoseEvents` says;
 * steady-state doses, which this piece does not support; non-finite times).
 */
export function packPkBatch(subjects: readonly PkSubject[]): PkBatch {
  if (subjects.length === 0) throw new ModelDataError('The PK batch has no subjects; give at least one subject with its doses and times.');
  subjects.forEach((s, n) => {
    try {
      checkDoseEvents(s.doses);
    } catch (error) {
      throw subjectError(n, (error as Error).message);
    }
    s.doses.forEach((d, i) => {
      if (d.steadyState) {
        throw subjectError(
          n,
          `dose ${i + 1} (time ${d.time}) is a steady-state dose (SS=1), which the TF.js PK model does not support yet; expand it into the doses before it.`,
        );
      }
    });
    for (let i = 0; i < s.times.length; i++) {
      if (!Number.isFinite(s.times[i]))
        throw subjectError(n, `observation time ${i + 1} is ${s.times[i]}; every time must be a finite number.`);
    }
  });
  const N = subjects.length;
  const T = Math.max(1, ...subjects.map((s) => s.times.length));
  const D = Math.max(1, ...subjects.map((s) => s.doses.length));
  const elapsed = new Float32Array(N * T * D);
  const amount = new Float32Array(N * D);
  const duration = new Float32Array(N * D).fill(1);
  const route = { oral: new Float32Array(N * D), bolus: new Float32Array(N * D), infusion: new Float32Array(N * D) };
  const present = { oral: false, bolus: false, infusion: false };
  const timeMask = new Float32Array(N * T);
  subjects.forEach((s, n) => {
    s.doses.forEach((d, j) => {
      const k = n * D + j;
      amount[k] = d.amount;
      route[d.route][k] = 1;
      present[d.route] = true;
      if (d.route === 'infusion') duration[k] = d.duration as number;
      // Float64 subtraction, then one rounding to float32.
      for (let i = 0; i < s.times.length; i++) elapsed[(n * T + i) * D + j] = s.times[i] - d.time;
    });
    for (let i = 0; i < s.times.length; i++) timeMask[n * T + i] = 1;
  });
  const dense = (values: Float32Array): Tensor3D => tensor3d(values, [N, 1, D]);
  return {
    subjects: N,
    times: T,
    doses: D,
    elapsed: tensor3d(elapsed, [N, T, D]),
    amount: dense(amount),
    duration: dense(duration),
    oral: present.oral ? dense(route.oral) : null,
    bolus: present.bolus ? dense(route.bolus) : null,
    infusion: present.infusion ? dense(route.infusion) : null,
    timeMask: tensor2d(timeMask, [N, T]),
    source: subjects.map((s) => ({ doses: s.doses.map((d) => ({ ...d })), times: Float64Array.from(s.times) })),
  };
}

export function disposePkBatch(batch: PkBatch): void {
  for (const t of [batch.elapsed, batch.amount, batch.duration, batch.oral, batch.bolus, batch.infusion, batch.timeMask]) t?.dispose();
}

/** |y| below this uses the series of sinh(y)/y (header). */
const SERIES_LIMIT = 0.5;

/**
 * E(s; a, b) = (e^{−a s} − e^{−b s}) / (b − a) for s ≥ 0, entire in a and b (header); a and b
 * broadcast against s.
 */
export function dividedDecay(s: Tensor, a: Tensor, b: Tensor): Tensor {
  return tidy(() => {
    const d = sub(b, a);
    const y = mul(mul(d, s), 0.5);
    // The branch mask from `step` (its gradient is zero; a comparison op has none, and the tape would reach it).
    const small = cast(step(sub(SERIES_LIMIT, abs(y))), 'bool');
    // Series branch, with y zeroed where the other branch is taken (no overflow of y⁸ there).
    const ys = where(small, y, zerosLike(y));
    const y2 = square(ys);
    const poly = add(1, mul(y2, add(1 / 6, mul(y2, add(1 / 120, mul(y2, add(1 / 5040, mul(y2, 1 / 362880))))))));
    const series = mul(mul(s, exp(mul(neg(add(a, b)), mul(s, 0.5)))), poly);
    // Quotient branch, with the divisor made nonzero where the series is taken.
    const dSafe = where(small, onesLike(y), mul(d, onesLike(y)));
    const quotient = div(sub(exp(mul(neg(a), s)), exp(mul(neg(b), s))), dSafe);
    return where(small, series, quotient);
  });
}

interface Disposition {
  rates: Tensor[];
  coefs: Tensor[];
}

/** Disposition rates and unit-bolus coefficients, each [N, 1, 1] (header). */
/** Disposition rates λ_j and unit-bolus coefficients a_j, each [N, 1, 1] (the header's formulas). */
export function disposition(structure: PkTensorStructure, p: PkTensorParameters, N: number): Disposition {
  const col = (t: Tensor1D): Tensor3D => reshape(t, [N, 1, 1]);
  const cl = col(p.CL);
  const v = col(p.V);
  const k10 = div(cl, v);
  if (structure.compartments === 1) return { rates: [k10], coefs: [div(1, v)] };
  const q = col(p.Q as Tensor1D);
  const k12 = div(q, v);
  const k21 = div(q, col(p.V2 as Tensor1D));
  const r = sqrt(add(square(sub(add(k10, k12), k21)), mul(4, mul(k12, k21))));
  const alpha = mul(add(add(add(k10, k12), k21), r), 0.5);
  const beta = div(mul(k10, k21), alpha);
  const vr = mul(v, r);
  return { rates: [beta, alpha], coefs: [div(sub(k21, beta), vr), div(sub(alpha, k21), vr)] };
}

/** Refuses PK parameters that do not fit the structure or the batch (shapes, CL and V, KA for oral doses, Q and V2 for two compartments). */
export function checkPkParameters(structure: PkTensorStructure, p: PkTensorParameters, batch: PkBatch): void {
  const named: [string, Tensor1D | undefined][] = [
    ['CL', p.CL],
    ['V', p.V],
    ['KA', p.KA],
    ['TLAG', p.TLAG],
    ['Q', p.Q],
    ['V2', p.V2],
  ];
  for (const [name, t] of named) {
    if (t && (t.rank !== 1 || t.shape[0] !== batch.subjects)) {
      throw new ModelDataError(
        `Parameter ${name} has shape [${t.shape.join(', ')}]; give one value per subject, shape [${batch.subjects}].`,
      );
    }
  }
  if (!p.CL || !p.V) throw new ModelDataError('The PK model needs CL and V for every subject; give both parameters.');
  if (batch.oral && !p.KA)
    throw new ModelDataError('Some subjects have oral doses, but no absorption rate KA is given; give KA (one per subject).');
  if (structure.compartments !== 1 && structure.compartments !== 2) {
    throw new ModelDataError(`The number of compartments is "${String(structure.compartments)}"; choose 1 or 2.`);
  }
  if (structure.compartments === 2 && (!p.Q || !p.V2)) {
    throw new ModelDataError('A two-compartment PK model needs Q and V2 for every subject; give both parameters (one per subject).');
  }
}

/**
 * Concentrations [N, T] (amount / volume, the caller's units) of every subject of the batch at its
 * observation times (padding: 0), from TF.js ops only: differentiable w.r.t. the parameters.
 */
export function pkConcentrations(structure: PkTensorStructure, p: PkTensorParameters, batch: PkBatch): Tensor2D {
  checkPkParameters(structure, p, batch);
  return tidy(() => {
    const N = batch.subjects;
    const { rates, coefs } = disposition(structure, p, N);
    const s = batch.elapsed;
    const terms: Tensor[] = [];
    if (batch.oral) {
      const ka = reshape(p.KA as Tensor1D, [N, 1, 1]);
      const lagged = p.TLAG ? sub(s, reshape(p.TLAG, [N, 1, 1])) : s;
      const started = relu(lagged);
      let response: Tensor = zerosLike(s);
      rates.forEach((lambda, j) => (response = add(response, mul(coefs[j], dividedDecay(started, lambda, ka)))));
      terms.push(mul(mul(response, ka), mul(batch.amount, batch.oral)));
    }
    if (batch.bolus) {
      const given = cast(greater(s, 0), 'float32');
      const since = relu(s);
      let response: Tensor = zerosLike(s);
      rates.forEach((lambda, j) => (response = add(response, mul(coefs[j], exp(mul(neg(lambda), since))))));
      terms.push(mul(mul(response, given), mul(batch.amount, batch.bolus)));
    }
    if (batch.infusion) {
      const during = minimum(relu(s), batch.duration);
      const after = relu(sub(s, batch.duration));
      let response: Tensor = zerosLike(s);
      rates.forEach((lambda, j) => {
        const term = mul(dividedDecay(during, scalar(0), lambda), exp(mul(neg(lambda), after)));
        response = add(response, mul(coefs[j], term));
      });
      terms.push(mul(response, mul(div(batch.amount, batch.duration), batch.infusion)));
    }
    let total: Tensor = zerosLike(s);
    for (const term of terms) total = add(total, term);
    return mul(sum(total, 2), batch.timeMask) as Tensor2D;
  });
}
