/**
 * Direct and effect-compartment PD as differentiable TF.js ops: the float32 twin of the direct and
 * effect-compartment families of ../../pkpd/structural (pd.ts `directEffect`, effect-compartment.ts)
 * for a padded batch of subjects (pk-tensor.ts `packPkBatch`), so that `grad`/`variableGrads` give the
 * derivatives of every response with respect to each subject's PK and PD parameters (issue 13, item 2).
 * The indirect-response families are integrated in indirect-tensor.ts (`pdResponses` dispatches them
 * there); they share this file's occupancy (`hillOccupancy`).
 *
 * Direct model, on C (direct family) or Ce (effect compartment), h = HILL (1 unless sigmoid), as pd.ts:
 *   increase  E = E0 + EMAX · occ,            occ = C^h / (EC50^h + C^h)   (EMAX and E0 of either sign);
 *   decrease  E = E0 · (1 − IMAX · occ'),     occ' = C^h / (IC50^h + C^h)  (0 < IMAX ≤ 1),
 * with occ = 0 for C ≤ 0. The decrease is evaluated as E0 · ((1 − IMAX) + IMAX · rest), rest = 1 − occ' =
 * IC50^h / (IC50^h + C^h) computed directly: no cancellation when IMAX = 1 and C ≫ IC50 (E → 0). Both are
 * written with z = h · log(C / C50) and w = e^{−|z|} ≤ 1: the smaller of occ and rest is w / (1 + w), the
 * larger 1 / (1 + w). No power overflows, and the derivative w / (1 + w)² is a product of accurate
 * factors (TF.js's sigmoid differentiates as y (1 − y), which loses 1 − y in float32 once y is near 1:
 * 5e-4 relative at z = 9; C / (C50 + C) differentiates as a difference that cancels for C ≫ C50).
 * Where C = 0 the logarithm gets a safe input and the result is selected (double-where rule).
 *
 * Effect compartment: dCe/dt = KE0 (C − Ce), Ce = 0 before any dose: one more first-order stage of gain
 * 1 behind the central compartment. With the disposition C(s) = Σ_j a_j e^{−λ_j s} of a unit bolus
 * (pk-tensor.ts `disposition`) and the divided differences of
 * f(x) = e^{−x s},
 *   E(s; a, b)     = −f[a, b]  = (e^{−a s} − e^{−b s}) / (b − a)         (pk-tensor.ts `dividedDecay`),
 *   E₂(s; a, b, c) =  f[a, b, c] = (E(s; a, b) − E(s; b, c)) / (c − a)   (`secondDividedDecay`),
 * each dose contributes (s = t − t_d):
 *   oral      A · KA · KE0 Σ_j a_j E₂(s⁺; λ_j, KA, KE0),   s⁺ = max(0, s − TLAG);
 *   bolus     A · KE0 Σ_j a_j E(s⁺; λ_j, KE0),             s⁺ = max(0, s) (0 at s = 0: no jump in Ce);
 *   infusion  (A/D) · KE0 Σ_j a_j [e^{−λ_j s₂} E₂(s₁; 0, λ_j, KE0) + E(s₂; λ_j, KE0) E(s₁; 0, KE0)],
 *             s₁ = min(max(s, 0), D), s₂ = max(s − D, 0).
 * The infusion form is the Leibniz rule for the divided difference of the product e^{−x s₂} · E(s₁; 0, x)
 * (the response to a unit-rate input over [0, D], seen s₂ after its end): two non-negative terms, so no
 * difference of nearly equal numbers, however long after the infusion (∫ of the impulse response from
 * s − D to s written as a difference would cancel there). During the infusion s₂ = 0 and only the first
 * term remains.
 *
 * E₂ is entire in (a, b, c) (no pole where rates coincide: KA = KE0, KE0 = λ_j, KA = λ_j, or all three).
 * The rates are ordered lo ≤ mid ≤ hi (masks from `step`, which has a zero gradient; `where` gives each
 * input exactly one role, so at exact ties each still gets its own derivative). With u = (hi − lo) s:
 *   u ≥ 1: the quotient (E(s; lo, mid) − E(s; mid, hi)) / (hi − lo). E(s; ·, ·) is s times the mean of
 *          e^{−x s} over its interval, and the two intervals meet at mid, so the first is at least
 *          u/(1 − e^{−u}) ≥ 1.58 times the second: the subtraction loses less than a factor 2.7.
 *   u < 1: the series about the mean m of the three rates, z_i = (x_i − m) s (|z_i| < 2/3):
 *          E₂ = s² e^{−m s} Σ_k (−1)^k h_k(z) / (k + 2)!, k = 0 … 10, with h_k the complete homogeneous
 *          symmetric polynomials (h_k = −e₂ h_{k−2} + e₃ h_{k−3}, e₁ = Σ z_i = 0), truncated below 2e-10.
 * The series gets z zeroed where the quotient is taken, the quotient a divisor of 1 where the series is
 * taken (double-where rule), so values and gradients are finite at and near every coincidence.
 * Not handled: α ≈ β (Q → 0), as in pk-tensor.ts and the float64 engine.
 *
 * Memory: every intermediate is disposed (`tidy`); the caller owns the returned [N, T] tensor.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  abs,
  add,
  cast,
  div,
  exp,
  log,
  minimum,
  mul,
  neg,
  onesLike,
  relu,
  reshape,
  scalar,
  square,
  step,
  sub,
  sum,
  tidy,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { PdModelSpec } from '../../study/study-spec';
import { ModelDataError } from '../errors';
import { indirectResponses, type IndirectOptions } from './indirect-tensor';
import {
  checkPkParameters,
  disposition,
  dividedDecay,
  pkConcentrations,
  type PkBatch,
  type PkTensorParameters,
  type PkTensorStructure,
} from './pk-tensor';

/** The PD families this file covers (the study spec's own description of them). */
export type DirectPdStructure = Extract<PdModelSpec, { family: 'direct' | 'effect-compartment' }>;

/** Per-subject PD parameters, each [N], natural scale, named as the study spec names them. */
export interface PdTensorParameters {
  /** Effect without drug (either sign; direct and effect-compartment families). */
  E0?: Tensor1D;
  /** Increasing effect: EMAX (either sign; indirect stimulation: positive) and EC50 (positive). */
  EMAX?: Tensor1D;
  EC50?: Tensor1D;
  /** Decreasing effect: IMAX (0 < IMAX ≤ 1) and IC50 (positive). */
  IMAX?: Tensor1D;
  IC50?: Tensor1D;
  /** Hill exponent (sigmoid models only; positive). */
  HILL?: Tensor1D;
  /** Effect-site equilibration rate (effect compartment only; positive). */
  KE0?: Tensor1D;
  /** Indirect response: baseline R(0) = kin / KOUT and the loss rate KOUT (both positive). */
  BASE?: Tensor1D;
  KOUT?: Tensor1D;
}

export type PkPdTensorParameters = PkTensorParameters & PdTensorParameters;

/** Below this u = (hi − lo) s the series of E₂ is used (header). */
const SERIES_LIMIT = 1;
/** Highest order k of the series (header). */
const SERIES_TERMS = 10;

/** 1 where x > 0, else 0, as a mask without a gradient path (a comparison op has no gradient). */
function positive(x: Tensor): Tensor {
  return step(x);
}

/**
 * E₂(s; a, b, c) = f[a, b, c] for f(x) = e^{−x s}, s ≥ 0: the response of three first-order stages
 * in series (rates a, b, c) to a unit impulse, divided by a·b·c; entire in a, b, c (header). The rates
 * broadcast against s.
 */
export function secondDividedDecay(s: Tensor, a: Tensor, b: Tensor, c: Tensor): Tensor {
  return tidy(() => {
    // Common shape of the three rates, so that `where` selects whole tensors.
    const shape = zerosLike(add(add(a, b), c));
    const [x, y, z] = [add(a, shape), add(b, shape), add(c, shape)];
    // "precedes" with ties broken by position (x before y before z): a strict total order, so the roles are a permutation.
    const xy = sub(1, positive(sub(x, y)));
    const xz = sub(1, positive(sub(x, z)));
    const yz = sub(1, positive(sub(y, z)));
    const bool = (t: Tensor): Tensor => cast(t, 'bool');
    const xLo = bool(mul(xy, xz));
    const yLo = bool(mul(sub(1, xy), yz));
    const xHi = bool(mul(sub(1, xy), sub(1, xz)));
    const yHi = bool(mul(xy, sub(1, yz)));
    const lo = where(xLo, x, where(yLo, y, z));
    const hi = where(xHi, x, where(yHi, y, z));
    const xMid = bool(mul(sub(1, cast(xLo, 'float32')), sub(1, cast(xHi, 'float32'))));
    const yMid = bool(mul(sub(1, cast(yLo, 'float32')), sub(1, cast(yHi, 'float32'))));
    const mid = where(xMid, x, where(yMid, y, z));

    const spread = sub(hi, lo);
    const u = mul(spread, s);
    const small = cast(positive(sub(SERIES_LIMIT, u)), 'bool');
    // Series branch about the mean, with z zeroed where the quotient is taken.
    const m = div(add(add(lo, mid), hi), 3);
    const centred = (r: Tensor): Tensor => where(small, mul(sub(r, m), s), zerosLike(u));
    const [z0, z1, z2] = [centred(lo), centred(mid), centred(hi)];
    const e2 = add(add(mul(z0, z1), mul(z0, z2)), mul(z1, z2));
    const e3 = mul(mul(z0, z1), z2);
    const h: Tensor[] = [onesLike(u), zerosLike(u), neg(e2)];
    for (let k = 3; k <= SERIES_TERMS; k++) h.push(add(mul(neg(e2), h[k - 2]), mul(e3, h[k - 3])));
    let g: Tensor = zerosLike(u);
    let factorial = 2;
    h.forEach((hk, k) => {
      if (k > 0) factorial *= k + 2;
      g = add(g, mul(hk, (k % 2 === 0 ? 1 : -1) / factorial));
    });
    const series = mul(mul(square(s), exp(mul(neg(m), s))), g);
    // Quotient branch, with the divisor made nonzero where the series is taken.
    const divisor = where(small, onesLike(u), mul(spread, onesLike(u)));
    const quotient = div(sub(dividedDecay(s, lo, mid), dividedDecay(s, mid, hi)), divisor);
    return where(small, series, quotient);
  });
}

export function requireParameter(name: string, t: Tensor1D | undefined, N: number, why: string): Tensor1D {
  if (!t) throw new ModelDataError(`The PD model needs ${name} for every subject (${why}); give it, one value per subject.`);
  if (t.rank !== 1 || t.shape[0] !== N) {
    throw new ModelDataError(`Parameter ${name} has shape [${t.shape.join(', ')}]; give one value per subject, shape [${N}].`);
  }
  return t;
}

/**
 * Effect-site concentrations Ce [N, T] (the central concentration's units) of every subject of the
 * batch at its times (padding: 0), from TF.js ops only: differentiable w.r.t. the PK parameters and KE0.
 */
export function effectSiteConcentrations(structure: PkTensorStructure, p: PkTensorParameters, ke0: Tensor1D, batch: PkBatch): Tensor2D {
  checkPkParameters(structure, p, batch);
  requireParameter('KE0', ke0, batch.subjects, 'the effect compartment’s equilibration rate');
  return tidy(() => {
    const N = batch.subjects;
    const { rates, coefs } = disposition(structure, p, N);
    const k = reshape(ke0, [N, 1, 1]);
    const s = batch.elapsed;
    const terms: Tensor[] = [];
    if (batch.oral) {
      const ka = reshape(p.KA as Tensor1D, [N, 1, 1]);
      const started = relu(p.TLAG ? sub(s, reshape(p.TLAG, [N, 1, 1])) : s);
      let response: Tensor = zerosLike(s);
      rates.forEach((lambda, j) => (response = add(response, mul(coefs[j], secondDividedDecay(started, lambda, ka, k)))));
      terms.push(mul(mul(response, mul(ka, k)), mul(batch.amount, batch.oral)));
    }
    if (batch.bolus) {
      const since = relu(s);
      let response: Tensor = zerosLike(s);
      rates.forEach((lambda, j) => (response = add(response, mul(coefs[j], dividedDecay(since, lambda, k)))));
      terms.push(mul(mul(response, k), mul(batch.amount, batch.bolus)));
    }
    if (batch.infusion) {
      const during = minimum(relu(s), batch.duration);
      const after = relu(sub(s, batch.duration));
      const siteDuring = dividedDecay(during, scalar(0), k);
      let response: Tensor = zerosLike(s);
      rates.forEach((lambda, j) => {
        const atEnd = mul(exp(mul(neg(lambda), after)), secondDividedDecay(during, scalar(0), lambda, k));
        const sinceEnd = mul(dividedDecay(after, lambda, k), siteDuring);
        response = add(response, mul(coefs[j], add(atEnd, sinceEnd)));
      });
      terms.push(mul(mul(response, k), mul(div(batch.amount, batch.duration), batch.infusion)));
    }
    let total: Tensor = zerosLike(s);
    for (const term of terms) total = add(total, term);
    return mul(sum(total, 2), batch.timeMask) as Tensor2D;
  });
}

/** The direct model's parameters a structure reads, checked: [E0, MAX, C50, HILL | null]. */
function directParameters(pd: DirectPdStructure, p: PdTensorParameters, N: number): [Tensor1D, Tensor1D, Tensor1D, Tensor1D | null] {
  const increase = pd.direction === 'increase';
  const what = `a ${pd.family} ${increase ? 'increasing' : 'decreasing'} effect`;
  const e0 = requireParameter('E0', p.E0, N, what);
  const max = increase ? requireParameter('EMAX', p.EMAX, N, what) : requireParameter('IMAX', p.IMAX, N, what);
  const c50 = increase ? requireParameter('EC50', p.EC50, N, what) : requireParameter('IC50', p.IC50, N, what);
  const hill = pd.sigmoid ? requireParameter('HILL', p.HILL, N, 'a sigmoid effect') : null;
  return [e0, max, c50, hill];
}

/**
 * occ = C^h / (C50^h + C^h) and rest = 1 − occ, each [N, T], for concentrations [N, T] and C50, h
 * of each subject [N] (h null: 1); occ = 0 and rest = 1 where C ≤ 0. Written with z = h log(C / C50)
 * and w = e^{−|z|} as the header says: accurate values and derivatives however large |z|.
 */
export function hillOccupancy(concentration: Tensor2D, c50: Tensor1D, hill: Tensor1D | null): { occupied: Tensor2D; rest: Tensor2D } {
  return tidy(() => {
    const N = concentration.shape[0];
    const col = (t: Tensor1D): Tensor2D => reshape(t, [N, 1]);
    const c = concentration;
    // z = h log(C / C50) where C > 0 (a safe C elsewhere, the result selected: double-where rule).
    const given = cast(positive(c), 'bool');
    const safe = where(given, c, onesLike(c));
    const ratio = log(div(safe, col(c50)));
    const z = hill === null ? ratio : mul(col(hill), ratio);
    // w = e^{−|z|} ≤ 1: the smaller of occ and rest is w/(1 + w), the larger 1/(1 + w).
    const w = exp(neg(abs(z)));
    const lesser = div(w, add(1, w));
    const greater = div(1, add(1, w));
    const above = cast(positive(z), 'bool');
    const occupied = where(given, where(above, greater, lesser), zerosLike(c)) as Tensor2D;
    const rest = where(given, where(above, lesser, greater), onesLike(c)) as Tensor2D;
    return { occupied, rest };
  });
}

/**
 * The direct model E [N, T] on concentrations [N, T] (C, or Ce for the effect compartment); the
 * caller masks padded times. Differentiable w.r.t. the concentrations and E0, EMAX/IMAX, EC50/IC50, HILL.
 */
export function directResponse(pd: DirectPdStructure, p: PdTensorParameters, concentration: Tensor2D): Tensor2D {
  const N = concentration.shape[0];
  const [e0, max, c50, hill] = directParameters(pd, p, N);
  return tidy(() => {
    const col = (t: Tensor1D): Tensor2D => reshape(t, [N, 1]);
    const { occupied, rest } = hillOccupancy(concentration, c50, hill);
    if (pd.direction === 'increase') return add(col(e0), mul(col(max), occupied)) as Tensor2D;
    const m = col(max);
    return mul(col(e0), add(sub(1, m), mul(m, rest))) as Tensor2D;
  });
}

/**
 * Responses [N, T] of the PD model of every subject of the batch at its times (padding: 0), from
 * TF.js ops only: differentiable w.r.t. every PK and PD parameter. Direct and effect-compartment
 * families here, the indirect ones by indirect-tensor.ts `indirectResponses` (with `options`).
 */
export function pdResponses(
  pk: PkTensorStructure,
  pd: PdModelSpec,
  p: PkPdTensorParameters,
  batch: PkBatch,
  options: IndirectOptions = {},
): Tensor2D {
  if (pd.family === 'indirect') return indirectResponses(pk, pd, p, batch, options);
  if (pd.family !== 'direct' && pd.family !== 'effect-compartment') {
    throw new ModelDataError(
      `The PD family "${String((pd as { family: unknown }).family)}" cannot be evaluated; choose direct, effect-compartment or indirect.`,
    );
  }
  directParameters(pd, p, batch.subjects);
  const concentration = pd.family === 'direct' ? pkConcentrations(pk, p, batch) : effectSiteConcentrations(pk, p, p.KE0 as Tensor1D, batch);
  try {
    return tidy(() => mul(directResponse(pd, p, concentration), batch.timeMask) as Tensor2D);
  } finally {
    concentration.dispose();
  }
}
