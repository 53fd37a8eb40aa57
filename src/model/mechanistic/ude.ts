/**
 * EXPERIMENTAL — a universal differential equation (UDE; issue 13, scope item 3): the study's indirect
 * response with a small neural network inside its right-hand side, integrated by fixed-step RK4 as
 * TF.js ops, so that gradients with respect to the network's weights flow through the integrator.
 * Not part of the app's models: nothing saves, exports or offers it in the interface; the headless
 * command `ude` (src/headless/commands/ude.ts) and docs/ude.md report what it does on a study.
 *
 * State of a subject: [A_depot, A_central, A_peripheral, R] (A_peripheral stays 0 for one compartment,
 * A_depot for an IV model), C = A_central / V, R(start) = BASE:
 *   dA_depot/dt = −KA A_depot
 *   dA_central/dt = KA A_depot − (CL + Q)/V A_central + Q/V2 A_peripheral
 *   dA_peripheral/dt = Q/V A_central − Q/V2 A_peripheral
 *   dR/dt = kin (1 ∓ D(C)) − KOUT R + kin [g_φ(C/C_ref, R/BASE) − g_φ(0, 1)],   kin = BASE · KOUT,
 * D(C) = MAX C^h / (C50^h + C^h) (IMAX, IC50 for inhibit-production, "−"; EMAX, EC50 for
 * stimulate-production, "+"; h = HILL for a sigmoid spec, else 1; pd-tensor.ts `hillOccupancy`), and
 * g_φ a tanh MLP 2 → 8 → 8 → 1. The last layer has no bias: the difference g_φ(·) − g_φ(0, 1) would
 * cancel it. The response is integrated as u = R / BASE (kin / BASE = KOUT):
 *   du/dt = KOUT [(1 ∓ D(C)) − u + g_φ(C/C_ref, u) − g_φ(0, 1)],   R = BASE · u, u(start) = 1,
 * the same equation (R/BASE is u). Without drug D = 0 exactly, so at u = 1
 * the slope is (1 − 1) + (g_φ(0, 1) − g_φ(0, 1)), the latter computed by the same ops on the same
 * numbers: 0 exactly, and a placebo subject stays exactly at BASE (tested). C_ref is a fixed
 * concentration scale (ude-fit.ts: the training subjects' median positive C). The other indirect types
 * (the drug acting on the loss of R), the direct and effect-compartment families, infusions,
 * steady-state (SS=1) doses and subjects with resets are refused with a ModelDataError that says so.
 *
 * Doses are state jumps: an oral dose adds its amount to A_depot at its time + TLAG, an IV bolus to
 * A_central at its time. An observation at a jump time sees the state before the jump (the engine's
 * convention for a bolus, structural/doses.ts; R never jumps). Grid, per subject, on the host in
 * float64: the jump times and the observation times; between consecutive points after the first
 * jump, equal steps of at most min(maxStep, rateStep / fastest rate) (`UdeGrid`; the fastest rate of a
 * subject bounded by max(KA, CL/V + Q/V + Q/V2, KOUT)). Before the first jump nothing moves (C = 0,
 * R = BASE) and no step is needed. Subjects are padded to the longest grid with steps of length 0
 * (RK4 then returns the state unchanged, exactly). The network's own contribution to the stiffness is
 * not bounded: a network with a steep slope in u would need shorter steps.
 *
 * Integration. PK does not depend on R, so the RK4 step of the whole state splits exactly into the
 * RK4 step of the PK states (linear: dA/dt = M A, batched as [N, 1, 3] × [N, 3, 3]) and that of R fed
 * with C at the four RK4 stages of the PK step (C(y_n), C(y_n + h/2 k1), C(y_n + h/2 k2), C(y_n + h k3)):
 * the PK pass runs once per batch (`packUdeBatch`, no gradient needed: the PK and PD parameters are
 * fixed), the response pass (`udeResponses`) as often as the network changes. The terms that do not
 * involve u — the level 1 ∓ D(C), the C-part of the first layer and the weights KOUT·h/2, KOUT·h,
 * KOUT·h/6 — are computed for all stages at once before the sequential loop, which then costs ~50
 * small ops per step (TF.js's per-op overhead, not arithmetic, is what a step costs).
 *
 * Accuracy (ude.test.ts, against the float64 engine with g ≡ 0, random subjects of every kind): at the
 * default steps (0.5 h, rate × step 0.5) within 4.1e-4 relative of the engine's indirect response,
 * at half of both 5.9e-5 (4th order, down to float32's ~1e-6). A Hill exponent below 1 makes D(C)
 * non-smooth where absorption starts (C^h with h < 1 at C = 0) and RK4 loses order there: 1.2e-3 at the
 * default steps with HILL down to 0.5.
 *
 * Memory: every intermediate is disposed (`tidy`); a batch owns its tensors (`disposeUdeBatch`).
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  add,
  concat,
  div,
  gather,
  matMul,
  mul,
  neg,
  ones,
  reshape,
  slice,
  square,
  stack,
  sub,
  sum,
  tanh,
  tensor1d,
  tensor2d,
  tensor3d,
  tidy,
  tile,
  transpose,
  unstack,
  zeros,
} from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Tensor, Tensor1D, Tensor2D, Tensor3D, TensorContainer, Variable } from '@tensorflow/tfjs-core';
import type { DoseEvent, DoseRoute } from '../../pkpd/structural/doses';
import { createStructuralModel, type ParameterValues } from '../../pkpd/structural/structural-model';
import type { IndirectType, PdModelSpec, PkModelSpec } from '../../study/study-spec';
import { ModelDataError } from '../errors';
import { createDense, type DenseParams } from '../layers';
import { ParameterSet } from '../parameters';
import { SeedStream } from '../random';
import { hillOccupancy } from './pd-tensor';

/** The indirect types the UDE has (the drug acting on the production of R). */
export const UDE_TYPES = ['inhibit-production', 'stimulate-production'] as const satisfies readonly IndirectType[];
export type UdeType = (typeof UDE_TYPES)[number];

export interface UdeStructure {
  pk: PkModelSpec & { compartments: 1 | 2 };
  pd: { family: 'indirect'; type: UdeType; sigmoid?: boolean };
}

/** Width of the network's two hidden layers. */
export const UDE_WIDTH = 8;

/** g_φ: (C/C_ref, R/BASE) → tanh → tanh → linear output without bias (header). */
export interface UdeNetwork {
  parameters: ParameterSet;
  hidden1: DenseParams;
  hidden2: DenseParams;
  output: DenseParams;
}

export interface UdeModel {
  structure: UdeStructure;
  network: UdeNetwork;
  /** Concentration scale of the network's first input (data units). */
  cRef: number;
  grid: UdeGrid;
}

/** How long the integration steps may be (header). */
export interface UdeGrid {
  /** Longest step (the data's time unit). */
  maxStep: number;
  /** Largest (fastest rate of the subject) × step: KA, CL/V + Q/V + Q/V2 and KOUT bound the rates (default 0.5). */
  rateStep?: number;
}

/** Default largest rate × step: RK4's local error of e^{−x} is x⁵/120, 2.6e-4 at 0.5. */
export const UDE_RATE_STEP = 0.5;

/** A subject to integrate: its doses, the times R is wanted at, and its PK and PD parameters (data units). */
export interface UdeSubject {
  doses: readonly DoseEvent[];
  times: ArrayLike<number>;
  values: ParameterValues;
}

/** Subjects packed on their grids with the PK pass done (header); owns its tensors. */
export interface UdeBatch {
  readonly subjects: number;
  /** Steps of the longest grid. */
  readonly steps: number;
  /** Per step, [N, 1]: KOUT · h/2, KOUT · h and KOUT · h/6 (the RK4 weights of the scaled slope, header). */
  readonly rateHalf: readonly Tensor2D[];
  readonly rateFull: readonly Tensor2D[];
  readonly rateSixth: readonly Tensor2D[];
  /** C at the four RK4 stages of each step, [4 · steps, N] (stage-major within a step). */
  readonly stageConcentration: Tensor2D;
  /** The production level 1 ∓ D(C) at each stage: 4 · steps tensors [N, 1]. */
  readonly level: readonly Tensor2D[];
  readonly base: Tensor1D;
  /** Index k · N + n (grid point k, subject n) of each wanted time in the flattened trajectory, subject-major (null: no times). */
  readonly outputIndex: Tensor1D | null;
  /** Wanted times per subject (the flat output's layout). */
  readonly counts: readonly number[];
  /** The PK state at the end of every grid. */
  readonly endAmounts: Tensor3D;
  /** Host copies: whether step k of subject n is a real step (for statistics of C over the grids). */
  readonly realStep: Uint8Array;
}

/** The UDE's structure from a study's resolved models; a ModelDataError for what it does not have. */
export function udeStructure(pk: PkModelSpec, pd: PdModelSpec | undefined): UdeStructure {
  if (pk.compartments !== 1 && pk.compartments !== 2) {
    throw new ModelDataError('The UDE needs the number of compartments resolved (1 or 2); fit the mechanistic model first.');
  }
  if (!pd || pd.family !== 'indirect' || !(UDE_TYPES as readonly string[]).includes(pd.type)) {
    const what = !pd ? 'no PD model' : pd.family === 'indirect' ? `an indirect response of type ${pd.type}` : `a ${pd.family} PD model`;
    throw new ModelDataError(
      `The experimental UDE has an indirect response acting on the production of the response (inhibit-production or ` +
        `stimulate-production) only; this study has ${what}.`,
    );
  }
  return {
    pk: { ...pk, compartments: pk.compartments },
    pd: { family: 'indirect', type: pd.type as UdeType, sigmoid: pd.sigmoid === true },
  };
}

/** A network whose output layer is zero: the UDE starts as the mechanistic model (g_φ ≡ 0). */
export function createUdeNetwork(seed: number): UdeNetwork {
  const parameters = new ParameterSet(new SeedStream(seed).fork('ude'));
  const hidden1 = createDense(parameters, 'ude/hidden1', 2, UDE_WIDTH);
  const hidden2 = createDense(parameters, 'ude/hidden2', UDE_WIDTH, UDE_WIDTH);
  const output = createDense(parameters, 'ude/output', UDE_WIDTH, 1, { bias: false });
  zeroOutput({ parameters, hidden1, hidden2, output });
  return { parameters, hidden1, hidden2, output };
}

/** Sets the output layer to 0 (g_φ ≡ 0: the mechanistic model). */
export function zeroOutput(network: UdeNetwork): void {
  tidy(() => network.output.kernel.assign(zeros(network.output.kernel.shape)));
}

export function disposeUdeModel(model: UdeModel): void {
  model.network.parameters.dispose();
}

/** The float64 engine of the UDE's mechanistic part (also the parameter check). */
export function udeEngine(structure: UdeStructure) {
  return createStructuralModel({ pk: structure.pk, pd: structure.pd });
}

function subjectError(n: number, message: string): ModelDataError {
  return new ModelDataError(`Subject ${n + 1}: ${message}`);
}

/** The dose's compartment (0 depot, 1 central) or a refusal. */
function jumpCompartment(dose: DoseEvent, n: number, i: number, oral: boolean): number {
  const where = `dose ${i + 1} (time ${dose.time})`;
  if (dose.steadyState) throw subjectError(n, `${where} is a steady-state dose (SS=1), which the experimental UDE does not have.`);
  const route: DoseRoute = dose.route;
  if (route === 'infusion')
    throw subjectError(n, `${where} is an infusion, which is not in the experimental UDE (oral doses and IV boluses only).`);
  if (route === 'oral' && !oral) throw subjectError(n, `${where} is oral, but the model's route is IV (no absorption rate KA).`);
  if (!(dose.amount >= 0) || !Number.isFinite(dose.amount) || !Number.isFinite(dose.time)) {
    throw subjectError(n, `${where} has amount ${dose.amount}; give a finite time and a non-negative amount.`);
  }
  return route === 'oral' ? 0 : 1;
}

interface Grid {
  points: number[];
  /** Amount added to [depot, central] at each point. */
  jumps: Map<number, [number, number]>;
  /** Grid point of each wanted time. */
  outputs: number[];
}

/**
 * A subject's grid (header): jump and wanted times, filled with equal steps ≤ maxStep after the first
 * jump (from the first point when `moving`: a start from a state that is not at rest).
 */
function subjectGrid(s: UdeSubject, n: number, structure: UdeStructure, grid: UdeGrid, moving: boolean): Grid {
  const oral = structure.pk.route === 'oral';
  const rates = transposedRates(structure, s.values);
  // The fastest rate: KA, the bound k10 + k12 + k21 ≥ α of the disposition (diagonal of M), KOUT.
  const fastest = Math.max(-rates[0], -rates[4] - rates[8], s.values.KOUT as number);
  const maxStep = Math.min(grid.maxStep, (grid.rateStep ?? UDE_RATE_STEP) / fastest);
  const lag = oral && structure.pk.lag ? (s.values.TLAG as number) : 0;
  const jumpAt = new Map<number, [number, number]>();
  s.doses.forEach((d, i) => {
    const cmt = jumpCompartment(d, n, i, oral);
    if (d.amount === 0) return;
    const t = d.time + (cmt === 0 ? lag : 0);
    const j = jumpAt.get(t) ?? [0, 0];
    j[cmt] += d.amount;
    jumpAt.set(t, j);
  });
  const times = Array.from(s.times);
  times.forEach((t, i) => {
    if (!Number.isFinite(t)) throw subjectError(n, `time ${i + 1} is ${t}; every time must be a finite number.`);
  });
  const marks = [...new Set([...jumpAt.keys(), ...times])].sort((a, b) => a - b);
  const firstJump = moving ? -Infinity : jumpAt.size > 0 ? Math.min(...jumpAt.keys()) : Infinity;
  const points: number[] = [];
  for (const t of marks) {
    const previous = points.length > 0 ? points[points.length - 1] : undefined;
    if (previous !== undefined && previous >= firstJump) {
      const pieces = Math.max(1, Math.ceil((t - previous) / maxStep - 1e-9));
      for (let k = 1; k < pieces; k++) points.push(previous + ((t - previous) * k) / pieces);
    }
    points.push(t);
  }
  const index = new Map(points.map((t, k) => [t, k]));
  const jumps = new Map<number, [number, number]>();
  for (const [t, j] of jumpAt) jumps.set(index.get(t) as number, j);
  return { points, jumps, outputs: times.map((t) => index.get(t) as number) };
}

/** dA/dt = A · Mᵀ for the row state A = [depot, central, peripheral] (header), float64 on the host. */
function transposedRates(structure: UdeStructure, v: ParameterValues): number[] {
  const cl = v.CL as number;
  const vc = v.V as number;
  const ka = structure.pk.route === 'oral' ? (v.KA as number) : 0;
  const two = structure.pk.compartments === 2;
  const k10 = cl / vc;
  const k12 = two ? (v.Q as number) / vc : 0;
  const k21 = two ? (v.Q as number) / (v.V2 as number) : 0;
  // Mᵀ[i][j] = M[j][i]: the rate from compartment i into j's derivative.
  return [-ka, ka, 0, 0, -(k10 + k12), k12, 0, k21, -k21];
}

/**
 * Packs subjects on their grids and runs the PK pass (header). `start`: PK amounts to start from
 * (absent: empty compartments); the grids must then start where that state was left. Throws a
 * ModelDataError naming the subject for doses or parameters the UDE cannot use.
 */
export function packUdeBatch(structure: UdeStructure, subjects: readonly UdeSubject[], grid: UdeGrid, start?: Tensor3D): UdeBatch {
  if (subjects.length === 0) throw new ModelDataError('The UDE batch has no subjects.');
  for (const [name, value] of [
    ['longest step', grid.maxStep],
    ['largest rate × step', grid.rateStep ?? UDE_RATE_STEP],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new ModelDataError(`The UDE's ${name} must be a positive number, got ${value}.`);
  }
  const engine = udeEngine(structure);
  subjects.forEach((s, n) => {
    try {
      engine.check(s.values);
    } catch (error) {
      throw subjectError(n, (error as Error).message);
    }
  });
  const grids = subjects.map((s, n) => subjectGrid(s, n, structure, grid, start !== undefined));
  const N = subjects.length;
  const K = Math.max(0, ...grids.map((g) => g.points.length - 1));
  const hHost = new Float64Array(K * N);
  const realStep = new Uint8Array(K * N);
  grids.forEach((g, n) => {
    for (let k = 0; k + 1 < g.points.length; k++) {
      hHost[k * N + n] = g.points[k + 1] - g.points[k];
      realStep[k * N + n] = 1;
    }
  });
  const column = (f: (v: ParameterValues) => number): Float32Array => Float32Array.from(subjects, (s) => f(s.values));
  const inhibit = structure.pd.type === 'inhibit-production';
  const sigmoid = structure.pd.sigmoid === true;
  const counts = subjects.map((s) => s.times.length);
  const outputs: number[] = [];
  grids.forEach((g, n) => g.outputs.forEach((k) => outputs.push(k * N + n)));
  const koutHost = Float64Array.from(subjects, (s) => s.values.KOUT as number);
  const column3 = (k: number, scale: number): Tensor3D =>
    tensor3d(
      Float32Array.from({ length: N }, (_, n) => hHost[k * N + n] * scale),
      [N, 1, 1],
    );
  const rates = (scale: number): Tensor2D[] =>
    Array.from({ length: K }, (_, k) =>
      tensor2d(
        Float32Array.from({ length: N }, (_, n) => koutHost[n] * hHost[k * N + n] * scale),
        [N, 1],
      ),
    );
  const jumpsAt = (k: number): Tensor3D | null => {
    if (!grids.some((g) => g.jumps.has(k))) return null;
    const values = new Float32Array(N * 3);
    grids.forEach((g, n) => {
      const j = g.jumps.get(k);
      if (j) values.set([j[0], j[1], 0], n * 3);
    });
    return tensor3d(values, [N, 1, 3]);
  };
  const tensors = tidy(() => {
    const transposed = tensor3d(Float32Array.from(subjects.flatMap((s) => transposedRates(structure, s.values))), [N, 3, 3]);
    // PK pass: RK4 on the amounts, keeping the four stage states of every step.
    let amounts: Tensor3D = start ? start.clone() : zeros([N, 1, 3]);
    const stages: Tensor3D[] = [];
    for (let k = 0; k < K; k++) {
      const jump = jumpsAt(k);
      const next = tidy(() => {
        const a = jump ? (add(amounts, jump) as Tensor3D) : amounts.clone();
        const hh = column3(k, 0.5);
        const k1 = matMul(a, transposed);
        const s2 = add(a, mul(hh, k1)) as Tensor3D;
        const k2 = matMul(s2, transposed);
        const s3 = add(a, mul(hh, k2)) as Tensor3D;
        const k3 = matMul(s3, transposed);
        const s4 = add(a, mul(column3(k, 1), k3)) as Tensor3D;
        const k4 = matMul(s4, transposed);
        const end = add(a, mul(column3(k, 1 / 6), add(add(k1, k4), mul(2, add(k2, k3))))) as Tensor3D;
        return [a, s2, s3, s4, end];
      });
      stages.push(...next.slice(0, 4));
      amounts.dispose();
      amounts = next[4];
      jump?.dispose();
    }
    const volume = tensor1d(column((v) => v.V as number));
    // Central amounts of every stage state, [4K, N], then C = A_central / V.
    const stageConcentration = (
      K === 0 ? zeros([0, N]) : div(reshape(slice(stack(stages), [0, 0, 0, 1], [4 * K, N, 1, 1]), [4 * K, N]), volume)
    ) as Tensor2D;
    const base = tensor1d(column((v) => v.BASE as number));
    const max = tensor1d(column((v) => (inhibit ? v.IMAX : v.EMAX) as number));
    const c50 = tensor1d(column((v) => (inhibit ? v.IC50 : v.EC50) as number));
    const hill = sigmoid ? tensor1d(column((v) => v.HILL as number)) : null;
    const occupied = hillOccupancy(transpose(stageConcentration), c50, hill).occupied;
    // 1 ∓ MAX · occ at every stage, [4K, N, 1] (exactly 1 where C = 0).
    const effect = mul(reshape(max, [N, 1]), occupied);
    const level = reshape(transpose(inhibit ? sub(1, effect) : add(1, effect)), [4 * K, N, 1]) as Tensor3D;
    return { stageConcentration, level, base, endAmounts: amounts };
  });
  const level = (K === 0 ? [] : unstack(tensors.level)) as Tensor2D[];
  tensors.level.dispose();
  return {
    subjects: N,
    steps: K,
    rateHalf: rates(0.5),
    rateFull: rates(1),
    rateSixth: rates(1 / 6),
    stageConcentration: tensors.stageConcentration,
    level,
    base: tensors.base,
    outputIndex: outputs.length > 0 ? tensor1d(outputs, 'int32') : null,
    counts,
    endAmounts: tensors.endAmounts,
    realStep,
  };
}

export function disposeUdeBatch(batch: UdeBatch): void {
  const owned: (Tensor | null)[] = [
    ...batch.rateHalf,
    ...batch.rateFull,
    ...batch.rateSixth,
    ...batch.level,
    batch.stageConcentration,
    batch.base,
    batch.outputIndex,
    batch.endAmounts,
  ];
  owned.forEach((t) => t?.dispose());
}

/** The network's rows of the first layer: its C row [1, W], its u row [1, W]. */
function firstLayerRows(network: UdeNetwork): [Tensor2D, Tensor2D] {
  const kernel = network.hidden1.kernel;
  return [slice(kernel, [0, 0], [1, UDE_WIDTH]) as Tensor2D, slice(kernel, [1, 0], [1, UDE_WIDTH]) as Tensor2D];
}

/** What a stage keeps for the adjoint: its input u, the hidden activations and the slope's input to g. */
interface StageRecord {
  v: Tensor2D[];
  h1: Tensor2D[];
  h2: Tensor2D[];
}

interface Forward {
  /** u at every grid point, K + 1 tensors [N, 1]. */
  u: Tensor2D[];
  /** Per stage (4K), when recorded. */
  record: StageRecord | null;
}

/**
 * The RK4 loop on u (header) from `startResponse` (absent: BASE), under the caller's tidy. No op
 * inside the loop broadcasts (the second bias and g(0, 1) are tiled to [N, ·] once): a broadcast's
 * gradient is a reduction, which would cost ops at every stage of a taped pass. `record` keeps each
 * stage's input and hidden activations for `udeLossGradients`.
 */
function forward(model: UdeModel, batch: UdeBatch, startResponse: Tensor1D | undefined, record: boolean): Forward {
  const { network } = model;
  const N = batch.subjects;
  const K = batch.steps;
  const [cRow, uRow] = firstLayerRows(network);
  const bias1 = network.hidden1.bias as Tensor;
  const w2 = network.hidden2.kernel;
  const w3 = network.output.kernel;
  const tail = (pre: Tensor2D, bias2: Tensor): [Tensor2D, Tensor2D, Tensor2D] => {
    const h1 = tanh(pre);
    const h2 = tanh(add(matMul(h1, w2), bias2)) as Tensor2D;
    return [h1, h2, matMul(h2, w3)];
  };
  // C-part of the first layer at every stage, one op for all: (C / C_ref) · w_C + b₁.
  const cPart = unstack(
    reshape(add(matMul(reshape(div(batch.stageConcentration, model.cRef), [4 * K * N, 1]), cRow), bias1), [4 * K, N, UDE_WIDTH]),
  ) as Tensor2D[];
  // g(0, 1) by the same ops as a stage with C = 0 and u = 1 (header), then as N rows.
  const g0 = tail(add(add(matMul(zeros([1, 1]), cRow), bias1), matMul(ones([1, 1]), uRow)) as Tensor2D, network.hidden2.bias as Tensor)[2];
  const g0Rows = tile(g0, [N, 1]);
  const bias2Rows = tile(reshape(network.hidden2.bias as Tensor, [1, UDE_WIDTH]), [N, 1]);
  const kept: StageRecord | null = record ? { v: [], h1: [], h2: [] } : null;
  // The slope of u over KOUT: (1 ∓ D) − u + g(C/C_ref, u) − g(0, 1), each [N, 1].
  const slope = (v: Tensor2D, stage: number): Tensor2D => {
    const [h1, h2, out] = tail(add(cPart[stage], matMul(v, uRow)) as Tensor2D, bias2Rows);
    if (kept) {
      kept.v.push(v);
      kept.h1.push(h1);
      kept.h2.push(h2);
    }
    return add(sub(batch.level[stage], v), sub(out, g0Rows)) as Tensor2D;
  };
  let u: Tensor2D = startResponse ? (reshape(div(startResponse, batch.base), [N, 1]) as Tensor2D) : (ones([N, 1]) as Tensor2D);
  const states: Tensor2D[] = [u];
  for (let k = 0; k < K; k++) {
    const s1 = slope(u, 4 * k);
    const s2 = slope(add(u, mul(batch.rateHalf[k], s1)) as Tensor2D, 4 * k + 1);
    const s3 = slope(add(u, mul(batch.rateHalf[k], s2)) as Tensor2D, 4 * k + 2);
    const s4 = slope(add(u, mul(batch.rateFull[k], s3)) as Tensor2D, 4 * k + 3);
    u = add(u, mul(batch.rateSixth[k], add(add(s1, s4), mul(2, add(s2, s3))))) as Tensor2D;
    states.push(u);
  }
  return { u: states, record: kept };
}

/**
 * R at every grid point of the batch's subjects, [steps + 1, N], by RK4 (header) from `startResponse`
 * (absent: BASE). Differentiable with respect to the network's weights by TF.js's tape (tests, and
 * the reference of `udeLossGradients`); the caller disposes.
 */
export function udeTrajectory(model: UdeModel, batch: UdeBatch, startResponse?: Tensor1D): Tensor2D {
  return tidy(
    () => mul(reshape(stack(forward(model, batch, startResponse, false).u), [batch.steps + 1, batch.subjects]), batch.base) as Tensor2D,
  );
}

/** The loss of `udeLossGradients` and its gradients by TF.js variable name (as `variableGrads` returns them). */
export interface UdeLossGradients {
  loss: number;
  grads: NamedTensorMap;
}

/**
 * The loss mean(((R − observed) / scale)²) over the batch's wanted times and its gradients with
 * respect to the network's weights, by the discrete adjoint of the RK4 loop written out: reverse-mode
 * differentiation of exactly the forward scheme (the tape's numbers, tested against it and against
 * central differences), done by hand because the tape's cost is per op: every use of a weight in
 * every stage is a node to differentiate and a gradient to accumulate. Here the backward loop carries
 * only the adjoint of u ([N, 1]) through each step, six small ops per stage,
 *   ds₄ = w₆ λ, dv₄ = F₄′ ds₄;  ds₃ = 2 w₆ λ + w_f dv₄, dv₃ = F₃′ ds₃;  ds₂ = 2 w₆ λ + w_h dv₃, dv₂ = F₂′ ds₂;
 *   ds₁ = w₆ λ + w_h dv₂, dv₁ = F₁′ ds₁;  λ ← λ + dv₁ + dv₂ + dv₃ + dv₄ + ∂L/∂u_k
 * (w_h, w_f, w₆ = KOUT·h/2, KOUT·h, KOUT·h/6; F′ ds = −ds + ((ds w₃ᵀ ⊙ (1 − h₂²)) w₂ᵀ ⊙ (1 − h₁²)) w_uᵀ),
 * and the weights' gradients are sums over all stages and subjects of products of the recorded
 * activations and the stage adjoints: five matMuls after the loop. g(0, 1)'s share (its rows enter
 * every slope with a minus sign) is back-propagated once. The loss is on the host (one read).
 */
export function udeLossGradients(model: UdeModel, batch: UdeBatch, observed: ArrayLike<number>, scale: number): UdeLossGradients {
  const N = batch.subjects;
  const K = batch.steps;
  const { network } = model;
  const index = batch.outputIndex;
  if (!index || observed.length !== index.size) {
    throw new ModelDataError(`The UDE loss needs one observation per wanted time (${index?.size ?? 0}), got ${observed.length}.`);
  }
  return tidy(() => {
    const pass = forward(model, batch, undefined, true);
    const record = pass.record as StageRecord;
    const trajectory = mul(reshape(stack(pass.u), [K + 1, N]), batch.base);
    const predicted = gather(reshape(trajectory, [-1]), index).dataSync();
    const at = index.dataSync();
    // ∂L/∂R at every grid point (host), then ∂L/∂u = BASE · ∂L/∂R.
    const seed = new Float32Array((K + 1) * N);
    let loss = 0;
    for (let j = 0; j < predicted.length; j++) {
      const e = (predicted[j] - observed[j]) / scale;
      loss += e * e;
      seed[at[j]] += (2 * e) / scale / predicted.length;
    }
    loss /= predicted.length;
    const direct = unstack(mul(reshape(tensor2d(seed, [K + 1, N]), [K + 1, N, 1]), reshape(batch.base, [1, N, 1]))) as Tensor2D[];
    const [, uRow] = firstLayerRows(network);
    const w2t = transpose(network.hidden2.kernel);
    const w3t = transpose(network.output.kernel);
    const uRowT = transpose(uRow);
    const squareRest = (h: Tensor2D[]): Tensor2D[] => unstack(sub(1, square(stack(h)))) as Tensor2D[];
    const d1 = squareRest(record.h1);
    const d2 = squareRest(record.h2);
    const ds: Tensor2D[] = new Array<Tensor2D>(4 * K);
    const e1: Tensor2D[] = new Array<Tensor2D>(4 * K);
    const e2: Tensor2D[] = new Array<Tensor2D>(4 * K);
    // F′ ds at stage i, keeping the stage's adjoints for the weights.
    const stageAdjoint = (i: number, d: Tensor2D): Tensor2D => {
      ds[i] = d;
      e2[i] = mul(matMul(d, w3t), d2[i]) as Tensor2D;
      e1[i] = mul(matMul(e2[i], w2t), d1[i]) as Tensor2D;
      return sub(matMul(e1[i], uRowT), d) as Tensor2D;
    };
    let lambda: Tensor2D = direct[K];
    for (let k = K - 1; k >= 0; k--) {
      const a = mul(batch.rateSixth[k], lambda) as Tensor2D;
      const twice = mul(2, a) as Tensor2D;
      const dv4 = stageAdjoint(4 * k + 3, a);
      const dv3 = stageAdjoint(4 * k + 2, add(twice, mul(batch.rateFull[k], dv4)) as Tensor2D);
      const dv2 = stageAdjoint(4 * k + 1, add(twice, mul(batch.rateHalf[k], dv3)) as Tensor2D);
      const dv1 = stageAdjoint(4 * k, add(a, mul(batch.rateHalf[k], dv2)) as Tensor2D);
      lambda = add(add(add(lambda, direct[k]), add(dv1, dv2)), add(dv3, dv4)) as Tensor2D;
    }
    const rows = (t: Tensor2D[], width: number): Tensor2D => reshape(stack(t), [4 * K * N, width]);
    const [dsAll, e1All, e2All] = [rows(ds, 1), rows(e1, UDE_WIDTH), rows(e2, UDE_WIDTH)];
    const cIn = reshape(div(batch.stageConcentration, model.cRef), [4 * K * N, 1]) as Tensor2D;
    // g(0, 1): its adjoint is −Σ ds; back through the network at (0, 1).
    const bias1 = network.hidden1.bias as Tensor;
    const h10 = tanh(add(bias1, uRow)) as Tensor2D;
    const h20 = tanh(add(matMul(h10, network.hidden2.kernel), network.hidden2.bias as Tensor)) as Tensor2D;
    const g0Adjoint = reshape(neg(sum(dsAll)), [1, 1]) as Tensor2D;
    const e20 = mul(matMul(g0Adjoint, w3t), sub(1, square(h20))) as Tensor2D;
    const e10 = mul(matMul(e20, w2t), sub(1, square(h10))) as Tensor2D;
    const grads: NamedTensorMap = {
      [network.output.kernel.name]: add(matMul(rows(record.h2, UDE_WIDTH), dsAll, true), matMul(h20, g0Adjoint, true)),
      [network.hidden2.kernel.name]: add(matMul(rows(record.h1, UDE_WIDTH), e2All, true), matMul(h10, e20, true)),
      [(network.hidden2.bias as Variable).name]: add(sum(e2All, 0), reshape(e20, [UDE_WIDTH])),
      [network.hidden1.kernel.name]: concat([matMul(cIn, e1All, true), add(matMul(rows(record.v, 1), e1All, true), e10)]),
      [(network.hidden1.bias as Variable).name]: add(sum(e1All, 0), reshape(e10, [UDE_WIDTH])),
    };
    return { loss, grads } as unknown as TensorContainer;
  }) as unknown as UdeLossGradients;
}

/** R at the batch's wanted times, flat and subject-major ([Σ counts]); differentiable as `udeTrajectory`. */
export function udeResponses(model: UdeModel, batch: UdeBatch): Tensor1D {
  return tidy(() => {
    if (!batch.outputIndex) return tensor1d([]);
    return gather(reshape(udeTrajectory(model, batch), [-1]), batch.outputIndex) as Tensor1D;
  });
}

/** R at each subject's times, on the host (every tensor made is disposed). */
export function udePredict(model: UdeModel, subjects: readonly UdeSubject[]): Float64Array[] {
  const batch = packUdeBatch(model.structure, subjects, model.grid);
  try {
    const out = udeResponses(model, batch);
    const flat = out.dataSync();
    out.dispose();
    let at = 0;
    return batch.counts.map((count) => {
      const values = Float64Array.from(flat.subarray(at, at + count));
      at += count;
      return values;
    });
  } finally {
    disposeUdeBatch(batch);
  }
}

/** Positive stage concentrations of a batch's real steps (host): what C_ref is taken from. */
export function stageConcentrations(batch: UdeBatch): number[] {
  const c = batch.stageConcentration.dataSync();
  const N = batch.subjects;
  const out: number[] = [];
  for (let k = 0; k < batch.steps; k++) {
    for (let n = 0; n < N; n++) {
      if (!batch.realStep[k * N + n]) continue;
      for (let s = 0; s < 4; s++) {
        const v = c[(4 * k + s) * N + n];
        if (v > 0) out.push(v);
      }
    }
  }
  return out;
}

export interface UdeRegimen {
  amount: number;
  interval: number;
  route: 'oral' | 'bolus';
}

export interface PeriodicityOptions {
  /** Largest relative difference between the last two intervals (default 1e-3). */
  tolerance?: number;
  /** Give up after this many intervals (default 100). */
  maxIntervals?: number;
  /** Points per interval the intervals are compared at (default 48). */
  samples?: number;
}

export interface PeriodicityResult {
  converged: boolean;
  /** Intervals simulated: K, the first with max |R_K − R_{K−1}| ≤ tolerance · max |R_K| (every subject). */
  intervals: number;
  /** max over subjects of max_j |R_K(s_j) − R_{K−1}(s_j)| / max_j |R_K(s_j)|. */
  relativeDifference: number;
  /** Times since the latest dose of the samples, and R there in the last interval, per subject. */
  times: number[];
  lastInterval: Float64Array[];
}

/**
 * Simulates `amount` every `interval` from an empty start, one interval at a time (each starting from
 * the state the previous one left), until the last two intervals' R differ by at most `tolerance`
 * relative (sampled at `samples` equally spaced times since the dose): how long the UDE takes to
 * become periodic, and whether it does. Subjects are integrated as one batch; each interval's grid is
 * the same (dose jump at 0, or TLAG, which must be shorter than the interval).
 */
export function udePeriodicity(
  model: UdeModel,
  values: ParameterValues | readonly ParameterValues[],
  regimen: UdeRegimen,
  options: PeriodicityOptions = {},
): PeriodicityResult {
  const list = Array.isArray(values) ? (values as readonly ParameterValues[]) : [values as ParameterValues];
  const tolerance = options.tolerance ?? 1e-3;
  const maxIntervals = options.maxIntervals ?? 100;
  const samples = options.samples ?? 48;
  const { interval } = regimen;
  if (!(interval > 0) || !Number.isFinite(interval)) throw new ModelDataError(`The dosing interval must be positive, got ${interval}.`);
  const lagged = model.structure.pk.route === 'oral' && model.structure.pk.lag && regimen.route === 'oral';
  list.forEach((v, n) => {
    if (lagged && !((v.TLAG as number) < interval)) {
      throw subjectError(n, `the absorption lag (${v.TLAG}) is not shorter than the dosing interval (${interval}).`);
    }
  });
  const times = Array.from({ length: samples }, (_, j) => (interval * j) / samples);
  // The interval's end is the next interval's start: R there carries over.
  const wanted = [...times, interval];
  const dose: DoseEvent = { time: 0, amount: regimen.amount, route: regimen.route };
  const subjects = list.map((v) => ({ doses: [dose], times: wanted, values: v }));
  let amounts: Tensor3D | undefined;
  let response: Tensor1D | undefined;
  let previous: Float64Array[] | null = null;
  let difference = Infinity;
  let intervals = 0;
  try {
    while (intervals < maxIntervals) {
      const batch = packUdeBatch(model.structure, subjects, model.grid, amounts);
      const { samplesNow, end } = tidy(() => {
        const r = gather(reshape(udeTrajectory(model, batch, response), [-1]), batch.outputIndex as Tensor1D);
        const byRow = reshape(r, [list.length, wanted.length]);
        return {
          samplesNow: slice(byRow, [0, 0], [list.length, samples]),
          end: reshape(slice(byRow, [0, samples], [list.length, 1]), [list.length]) as Tensor1D,
        };
      });
      amounts?.dispose();
      amounts = batch.endAmounts.clone();
      response?.dispose();
      response = end;
      disposeUdeBatch(batch);
      const flat = samplesNow.dataSync();
      samplesNow.dispose();
      const now = list.map((_, n) => Float64Array.from(flat.subarray(n * samples, (n + 1) * samples)));
      intervals++;
      if (previous) {
        difference = Math.max(
          ...now.map((row, n) => {
            let change = 0;
            let size = 0;
            row.forEach((x, j) => {
              change = Math.max(change, Math.abs(x - (previous as Float64Array[])[n][j]));
              size = Math.max(size, Math.abs(x));
            });
            return change / size;
          }),
        );
      }
      previous = now;
      if (difference <= tolerance) break;
    }
  } finally {
    amounts?.dispose();
    response?.dispose();
  }
  return { converged: difference <= tolerance, intervals, relativeDifference: difference, times, lastInterval: previous ?? [] };
}
