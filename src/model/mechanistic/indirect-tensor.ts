/**
 * Indirect-response PD as differentiable TF.js ops: the float32 twin of the indirect families of
 * ../../pkpd/structural (pd.ts `advanceIndirect`, structural-model.ts) for a padded batch of subjects
 * (pk-tensor.ts `packPkBatch`), so that `grad`/`variableGrads` give the derivatives of every response
 * with respect to each subject's PK and PD parameters (issue 13, item 2).
 *
 * Model (pd.ts), R(start) = BASE = kin / KOUT, D(C) = MAX · C^h / (C50^h + C^h) (MAX, C50 = IMAX, IC50
 * for the inhibiting types, EMAX, EC50 for the stimulating ones; h = HILL when the spec is sigmoid, else 1):
 *   inhibit-production   dR/dt = kin (1 − D) − KOUT R        stimulate-production dR/dt = kin (1 + D) − KOUT R
 *   inhibit-loss         dR/dt = kin − KOUT (1 − D) R        stimulate-loss       dR/dt = kin − KOUT (1 + D) R.
 * The deviation u = R − BASE is integrated (u = 0 without drug, so a placebo subject, and every time
 * before the first input, gives exactly BASE).
 *
 * Method: pd.ts's exponential integrator, vectorised. R is linear in itself once C(t) is known, so a
 * panel [a, b] (h = b − a) maps u(a) to u(b) = Φ u(a) + ψ, with the drug-free decay taken exactly and
 * only the drug terms integrated by 3-point Gauss–Legendre (nodes s_q = a + c_q h, weights b_q; order 6):
 *   production  Φ = e^{−KOUT h},  ψ = ∓kin Σ_q W_q D_q,                     W_q = h b_q e^{−KOUT h (1 − c_q)};
 *   loss        Φ = e^{−KOUT h + σ},  σ = −γ KOUT h Σ_r b_r D_r  (γ = −1 inhibit, +1 stimulate),
 *               ψ = BASE e^{−KOUT h} expm1(σ) + kin Σ_q W_q expm1(−γ J_q),  J_q = KOUT h Σ_r REST_qr D_r
 * (REST = pd.ts `GL_REST`, the quadratic interpolant of D integrated from node q to the panel end):
 * the same formulas as pd.ts's deviation form. Every panel's (Φ, ψ) is computed at once as [N, P]
 * tensors (C at the 3P nodes by pk-tensor.ts `pkConcentrations`, D by pd-tensor.ts `hillOccupancy`),
 * then the recursion is an inclusive prefix scan of the affine maps, composed as
 *   (Φ₂, ψ₂) ∘ (Φ₁, ψ₁) = (Φ₂ Φ₁, Φ₂ ψ₁ + ψ₂),
 * in ⌈log₂ P⌉ doubling rounds (Hillis–Steele): a few dozen ops however long the grid, instead of P
 * steps. Every Φ lies in (0, 1] (the loss rate KOUT (1 ± D) is non-negative for IMAX ≤ 1), so no
 * product overflows and the scan is as stable as the sequential recursion. u at the grid point of each
 * observation is then picked with one `gather`.
 *
 * Grid, per subject, on the host in float64: it starts at the subject's first input change (nothing
 * before it: u = 0) and ends at its last time; its points are the observation times, every time the
 * input changes (a bolus; an infusion's start and end; an oral dose's time + TLAG, where C′ jumps),
 * graded points kink + step/2^j (j = 0 … 6) after each of them (C can rise from 0 past C50 within
 * minutes; the float64 engine grades its first panels the same way), and equal fill between them so
 * that no panel is longer than step = min(maxStep, stiffnessLimit / rate), rate = KOUT (× (1 + EMAX)
 * for stimulate-loss: pd.ts `stiffness`). Subjects are padded to the longest grid with empty panels
 * (h = 0: Φ = 1, ψ = 0 exactly). Integrand and quadrature are smooth on every panel, so the scheme
 * keeps its order; the node times are subtracted from the dose times in float64 (packPkBatch).
 *
 * Host reads: the grid depends on TLAG (the kinks move) and on KOUT (and EMAX, stimulate-loss) through
 * the step, as the float64 engine's grid does, so those values are read back once per call (one
 * `dataSync` of at most 3N numbers; non-finite values are refused). The derivatives are those of the
 * scheme on that grid held fixed: the grid is piecewise constant in the parameters, and with the kinks
 * on panel boundaries the quadrature of ∂(integrand)/∂θ is as accurate as that of the integrand (the
 * integrand is continuous at a lagged kink, so moving it adds no boundary term).
 *
 * Accuracy (indirect-tensor.test.ts, against the engine on a fine grid): responses within 1e-5 of
 * the drug effect's range max |R − BASE| plus 2^-20 BASE (a few float32 ulps of R), measured at most
 * 0.11 of that on cpu and wasm, and as little moved when maxStep is halved: what is left is float32
 * rounding of C, D and the scan. Gradients within 3e-4 of each parameter's largest effect (measured
 * 6e-5, TLAG; the others 2e-5 or less). That needs KOUT h ≤ 0.5 (the refinement above) and the PK rates
 * resolved by the graded panels and maxStep: the default 0.5 (the data's time unit, hours for the
 * EstData scale) was tested with KA up to 3 and CL/V up to 1 per hour.
 *
 * Memory: every intermediate is disposed (`tidy`, and the node batch); the caller owns the returned
 * [N, T] tensor.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  add,
  concat,
  exp,
  expm1,
  gather,
  matMul,
  mul,
  neg,
  ones,
  reshape,
  slice,
  sum,
  tensor1d,
  tensor2d,
  tensor3d,
  tidy,
  zeros,
} from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { GL_REST, stiffness } from '../../pkpd/structural/pd';
import type { DoseEvent } from '../../pkpd/structural/doses';
import type { PdModelSpec } from '../../study/study-spec';
import { ModelDataError } from '../errors';
import { hillOccupancy, requireParameter, type PkPdTensorParameters } from './pd-tensor';
import { checkPkParameters, disposePkBatch, packPkBatch, pkConcentrations, type PkBatch, type PkTensorStructure } from './pk-tensor';

/** The indirect families (the study spec's own description: type, and `sigmoid` for a HILL). */
export type IndirectPdStructure = Extract<PdModelSpec, { family: 'indirect' }>;

export interface IndirectOptions {
  /** Longest panel of the integration grid, in the data's time unit (default 0.5; header). */
  maxStep?: number;
  /** Largest KOUT (× (1 + EMAX) for stimulate-loss) × panel length (default 0.5, as the float64 engine). */
  stiffnessLimit?: number;
  /** Most panels one subject's grid may have (default 20000): a larger one is refused, not built. */
  maxPanels?: number;
}

const DEFAULT_MAX_STEP = 0.5;
const DEFAULT_STIFFNESS_LIMIT = 0.5;
const DEFAULT_MAX_PANELS = 20000;
/** Graded points kink + step/2^j, j = 0 … GRADED (header). */
const GRADED = 6;

const GL_X = [-Math.sqrt(3 / 5), 0, Math.sqrt(3 / 5)];
/** Gauss–Legendre nodes c_q and weights b_q on [0, 1]. */
const NODE = GL_X.map((x) => (1 + x) / 2);
const WEIGHT = [5 / 18, 8 / 18, 5 / 18];

/** One subject's grid: points (the first is the start) and, per observation time, its point's index (0: at or before the start). */
interface SubjectGrid {
  points: number[];
  outputIndex: Int32Array;
}

/** Times where C or C′ jumps (header): boluses, infusion starts and ends, oral doses + TLAG. */
function inputChanges(doses: readonly DoseEvent[], lag: number): number[] {
  const kinks: number[] = [];
  for (const d of doses) {
    if (d.route === 'oral') kinks.push(d.time + lag);
    else if (d.route === 'bolus') kinks.push(d.time);
    else kinks.push(d.time, d.time + (d.duration as number));
  }
  return kinks;
}

function subjectGrid(
  doses: readonly DoseEvent[],
  times: ArrayLike<number>,
  lag: number,
  step: number,
  limit: number,
  n: number,
): SubjectGrid {
  const outputIndex = new Int32Array(times.length);
  const kinks = inputChanges(doses, lag);
  if (kinks.length === 0 || times.length === 0) return { points: [], outputIndex };
  const start = Math.min(...kinks);
  const end = Math.max(...Array.from(times));
  if (!(end > start)) return { points: [], outputIndex };
  // Refused before anything is built (each graded point can add at most one panel).
  const bound = Math.ceil((end - start) / step) + (GRADED + 2) * kinks.length + times.length;
  if (bound > limit) {
    throw new ModelDataError(
      `Subject ${n + 1}: the indirect response's grid would need up to ${bound} panels of at most ${step} ` +
        `(over ${start} … ${end}), more than ${limit}; check KOUT (and EMAX) for runaway values, or raise maxPanels.`,
    );
  }
  const marks = [start, end];
  for (let i = 0; i < times.length; i++) marks.push(times[i]);
  for (const k of kinks) {
    marks.push(k);
    for (let j = 0; j <= GRADED; j++) marks.push(k + step / 2 ** j);
  }
  const sorted = [...new Set(marks.filter((t) => t >= start && t <= end))].sort((a, b) => a - b);
  const points = [start];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    const pieces = Math.max(1, Math.ceil((b - a) / step - 1e-9));
    for (let j = 1; j < pieces; j++) points.push(a + ((b - a) * j) / pieces);
    points.push(b);
  }
  const pointIndex = new Map(points.map((t, k) => [t, k]));
  for (let i = 0; i < times.length; i++) outputIndex[i] = times[i] <= start ? 0 : (pointIndex.get(times[i]) as number);
  return { points, outputIndex };
}

/** u after every panel, [N, P]: the inclusive prefix composition of the panels' affine maps (header). */
function composePanels(phi: Tensor2D, psi: Tensor2D): Tensor2D {
  const [N, P] = phi.shape;
  let f: Tensor2D = phi;
  let g: Tensor2D = psi;
  for (let offset = 1; offset < P; offset *= 2) {
    const earlierF = concat([ones([N, offset]), slice(f, [0, 0], [N, P - offset])], 1);
    const earlierG = concat([zeros([N, offset]), slice(g, [0, 0], [N, P - offset])], 1);
    g = add(mul(f, earlierG), g);
    f = mul(f, earlierF);
  }
  return g;
}

function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0 && value < Infinity)) throw new ModelDataError(`The option ${name} is ${value}; give a positive finite number.`);
  return value;
}

/** The host values the grid needs (header), one read: each subject's TLAG (0 without) and stiffness rate. */
function hostValues(
  pd: IndirectPdStructure,
  p: PkPdTensorParameters,
  batch: PkBatch,
  kout: Tensor1D,
  max: Tensor1D,
): { lag: Float64Array; rate: Float64Array } {
  const N = batch.subjects;
  const lagged = p.TLAG !== undefined && batch.oral !== null;
  const read = tidy(() => concat([kout, max, lagged ? (p.TLAG as Tensor1D) : zeros([N])]));
  const values = Float64Array.from(read.dataSync());
  read.dispose();
  const lag = values.subarray(2 * N);
  const rate = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    for (const [name, v] of [
      ['KOUT', values[n]],
      [pd.type.startsWith('inhibit') ? 'IMAX' : 'EMAX', values[N + n]],
      ['TLAG', lag[n]],
    ] as const) {
      if (!Number.isFinite(v))
        throw new ModelDataError(`Subject ${n + 1}: ${name} is ${v}; the indirect response needs finite parameters.`);
    }
    rate[n] = stiffness({ type: pd.type, base: 1, kout: values[n], max: values[N + n], c50: 1, hill: 1 });
  }
  return { lag, rate };
}

/**
 * Responses R [N, T] of the indirect-response model of every subject of the batch at its times
 * (padding: 0), from TF.js ops only: differentiable w.r.t. every PK parameter and BASE, KOUT,
 * IMAX/EMAX, IC50/EC50 (HILL when sigmoid). Reads KOUT, EMAX/IMAX and TLAG back to the host once
 * (the grid; header).
 */
export function indirectResponses(
  pk: PkTensorStructure,
  pd: IndirectPdStructure,
  p: PkPdTensorParameters,
  batch: PkBatch,
  options: IndirectOptions = {},
): Tensor2D {
  checkPkParameters(pk, p, batch);
  const N = batch.subjects;
  const inhibit = pd.type === 'inhibit-production' || pd.type === 'inhibit-loss';
  const what = `an indirect response (${pd.type})`;
  const base = requireParameter('BASE', p.BASE, N, what);
  const kout = requireParameter('KOUT', p.KOUT, N, what);
  const max = inhibit ? requireParameter('IMAX', p.IMAX, N, what) : requireParameter('EMAX', p.EMAX, N, what);
  const c50 = inhibit ? requireParameter('IC50', p.IC50, N, what) : requireParameter('EC50', p.EC50, N, what);
  const hill = pd.sigmoid === true ? requireParameter('HILL', p.HILL, N, 'a sigmoid effect') : null;
  const maxStep = positiveOption('maxStep', options.maxStep, DEFAULT_MAX_STEP);
  const stiffnessLimit = positiveOption('stiffnessLimit', options.stiffnessLimit, DEFAULT_STIFFNESS_LIMIT);
  const maxPanels = positiveOption('maxPanels', options.maxPanels, DEFAULT_MAX_PANELS);

  const { lag, rate } = hostValues(pd, p, batch, kout, max);
  const grids = batch.source.map((s, n) => {
    const step = rate[n] > 0 ? Math.min(maxStep, stiffnessLimit / rate[n]) : maxStep;
    return subjectGrid(s.doses, s.times, lag[n], step, maxPanels, n);
  });
  const P = Math.max(...grids.map((g) => Math.max(0, g.points.length - 1)));
  const col = (t: Tensor1D): Tensor2D => reshape(t, [N, 1]);
  if (P === 0) return tidy(() => mul(col(base), batch.timeMask) as Tensor2D);

  // Panel lengths [N, P] (padding: 0) and the node times of each subject's panels.
  const lengths = new Float32Array(N * P);
  const nodes = grids.map((g, n) => {
    const at: number[] = [];
    for (let k = 0; k + 1 < g.points.length; k++) {
      const a = g.points[k];
      const h = g.points[k + 1] - a;
      lengths[n * P + k] = h;
      for (const c of NODE) at.push(a + c * h);
    }
    return at;
  });
  // u's column 0 is the start (u = 0); column k + 1 follows panel k.
  const flatIndex = new Int32Array(N * batch.times);
  grids.forEach((g, n) => g.outputIndex.forEach((k, i) => (flatIndex[n * batch.times + i] = n * (P + 1) + k)));

  const nodeBatch = packPkBatch(batch.source.map((s, n) => ({ doses: s.doses, times: nodes[n] })));
  try {
    return tidy(() => {
      const c = pkConcentrations(pk, p, nodeBatch);
      // D at the nodes, [N, P, 3] (padded nodes: C = 0, D = 0).
      const d = mul(reshape(hillOccupancy(c, c50, hill).occupied, [N, P, 3]), reshape(max, [N, 1, 1])) as Tensor3D;
      const h = tensor2d(lengths, [N, P]);
      const k = col(kout);
      const kh = mul(k, h) as Tensor2D;
      const decay = exp(neg(kh));
      const kh3 = reshape(kh, [N, P, 1]);
      const weightRow = tensor3d(WEIGHT, [1, 1, 3]);
      const weights = mul(
        mul(reshape(h, [N, P, 1]), weightRow),
        exp(
          neg(
            mul(
              kh3,
              tensor3d(
                NODE.map((x) => 1 - x),
                [1, 1, 3],
              ),
            ),
          ),
        ),
      );
      const kin = mul(col(base), k);
      let phi: Tensor;
      let psi: Tensor;
      if (pd.type === 'inhibit-production' || pd.type === 'stimulate-production') {
        phi = decay;
        psi = mul(mul(kin, inhibit ? -1 : 1), sum(mul(weights, d), 2));
      } else {
        const gamma = inhibit ? -1 : 1;
        const sigma = mul(mul(kh, -gamma), sum(mul(d, weightRow), 2));
        // J[n, p, q] = KOUT h Σ_r REST[q][r] D[n, p, r].
        const restT = tensor2d(
          [0, 1, 2].flatMap((r) => [0, 1, 2].map((q) => GL_REST[q][r])),
          [3, 3],
        );
        const j = mul(kh3, reshape(matMul(reshape(d, [N * P, 3]), restT), [N, P, 3]));
        const drug = sum(mul(weights, expm1(mul(j, -gamma))), 2);
        phi = exp(add(neg(kh), sigma));
        psi = add(mul(mul(col(base), decay), expm1(sigma)), mul(kin, drug));
      }
      const u = composePanels(phi as Tensor2D, psi as Tensor2D);
      const full = reshape(concat([zeros([N, 1]), u], 1), [N * (P + 1)]);
      const picked = reshape(gather(full, tensor1d(flatIndex, 'int32')), [N, batch.times]);
      return mul(add(col(base), picked), batch.timeMask) as Tensor2D;
    });
  } finally {
    disposePkBatch(nodeBatch);
  }
}
