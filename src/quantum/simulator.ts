import type { CompiledCircuit, PermutationStage } from './compile';
import { QuantumShapeError } from './errors';
import { applyWeightedObservable, createReadoutScratch, measure } from './readout';
import type { ReadoutScratch } from './readout';
import { accumulateRotationGradients, conjugateTranspose, fuseRotations } from './rotations';
import {
  applyOneQubit,
  applyOneQubitAfterPermutation,
  permute,
  unpermute,
  writeProductState,
  xyOverlapsIm,
  zOverlapsIm,
} from './statevector';

export interface VjpResult {
  /** [B × nOutputs] */
  readonly expvals: Float64Array;
  /** [B × nInputs] */
  readonly gradX: Float64Array;
  /** [nWeights], summed over the batch */
  readonly gradWeights: Float64Array;
}

/**
 * The states a forward pass kept for the adjoint sweep of samples [from, to): per sample `vectors` state vectors
 * of 2·2^n numbers (the state after every stage that writes one), sample after sample.
 */
export interface SavedStates {
  readonly from: number;
  readonly to: number;
  readonly vectors: number;
  readonly data: Float64Array;
}

/** Where vjpSamples writes: per sample ∂/∂x [B × nInputs] and the sample's ∂/∂weights [B × nWeights]; expvals if wanted. */
export interface VjpOutputs {
  readonly expvals?: Float64Array;
  readonly gradX: Float64Array;
  readonly weightRows: Float64Array;
}

/**
 * Buffers for one call, reused by every sample. Vector 0 starts as |0…0⟩. With `keepStates` every stage that writes
 * a state (a rotation stage, a permutation not folded into the next stage) gets a vector of its own, 1…written, for
 * the adjoint sweep — the workspace's own or, when kept, views into a SavedStates; otherwise two vectors are
 * ping-ponged.
 */
interface Workspace {
  readonly size: number;
  readonly states: Float64Array[];
  /** vector holding the state after stage k (unused for a permutation folded into the next stage) */
  readonly after: Int32Array;
  /** the vector holding the final state */
  readonly final: number;
  /** vectors written per sample with keepStates (0 otherwise) */
  readonly written: number;
  /** fused 2×2 unitaries, 8 numbers per (stage, wire), identity where a wire has no rotation */
  readonly unitaries: Float64Array;
  /** cos(θ/2) and sin(θ/2) per angle slot: inputs, then weights */
  readonly halfCos: Float64Array;
  readonly halfSin: Float64Array;
  readonly readout: ReadoutScratch;
}

/** A permutation stage followed by a rotation stage is folded into that stage's first gate: it writes no state. */
function isFolded(stages: CompiledCircuit['stages'], k: number): boolean {
  return stages[k].kind === 'permutation' && stages[k + 1]?.kind === 'rotations';
}

function createWorkspace(circuit: CompiledCircuit, weights: Float64Array, keepStates: boolean): Workspace {
  const { stages, nQubits, nInputs, nWeights } = circuit;
  const size = 1 << nQubits;
  const after = new Int32Array(stages.length);
  let current = 0;
  stages.forEach((stage, k) => {
    if (keepStates) {
      if (!isFolded(stages, k)) current += 1;
    } else if (stage.kind === 'permutation') current ^= 1;
    after[k] = current;
  });
  const written = keepStates ? current : 0;
  const halfCos = new Float64Array(nInputs + nWeights);
  const halfSin = new Float64Array(nInputs + nWeights);
  for (let j = 0; j < nWeights; j++) {
    halfCos[nInputs + j] = Math.cos(weights[j] / 2);
    halfSin[nInputs + j] = Math.sin(weights[j] / 2);
  }
  const unitaries = new Float64Array(stages.length * nQubits * 8);
  for (let o = 0; o < unitaries.length; o += 8) unitaries[o] = unitaries[o + 6] = 1;
  return {
    size,
    states: Array.from({ length: keepStates ? written + 1 : 2 }, () => new Float64Array(2 * size)),
    after,
    final: stages.length > 0 ? after[stages.length - 1] : 0,
    written,
    unitaries,
    halfCos,
    halfSin,
    readout: createReadoutScratch(circuit),
  };
}

function checkArguments(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number): void {
  if (!Number.isInteger(batch) || batch < 0) throw new QuantumShapeError(`Batch size must be a non-negative integer, got ${batch}`);
  if (x.length !== batch * circuit.nInputs) {
    throw new QuantumShapeError(`x has ${x.length} values, expected batch × inputs = ${batch} × ${circuit.nInputs}`);
  }
  if (weights.length !== circuit.nWeights) {
    throw new QuantumShapeError(`weights has ${weights.length} values, expected ${circuit.nWeights}`);
  }
}

/** The number of state vectors a forward pass keeps per sample for the adjoint sweep. */
export function savedVectorsPerSample(circuit: CompiledCircuit): number {
  return circuit.stages.filter((_, k) => !isFolded(circuit.stages, k)).length;
}

/** Bytes a SavedStates of `samples` samples takes. */
export function savedStatesBytes(circuit: CompiledCircuit, samples: number): number {
  return samples * savedVectorsPerSample(circuit) * 2 * (1 << circuit.nQubits) * 8;
}

/** Points the workspace's kept vectors 1…written at sample i's part of `saved`. */
function bindSavedSample(ws: Workspace, saved: SavedStates, i: number): void {
  const length = 2 * ws.size;
  for (let v = 1; v <= ws.written; v++) {
    const start = (i * ws.written + v - 1) * length;
    ws.states[v] = saved.data.subarray(start, start + length);
  }
}

/** The sample's cos(θ/2), sin(θ/2) of its input angles and the fused unitary of every (rotation stage, wire). */
function prepareSample(circuit: CompiledCircuit, ws: Workspace, x: Float64Array, b: number): void {
  const { stages, nQubits, nInputs } = circuit;
  const { unitaries, halfCos, halfSin } = ws;
  for (let i = 0; i < nInputs; i++) {
    const angle = x[b * nInputs + i];
    halfCos[i] = Math.cos(angle / 2);
    halfSin[i] = Math.sin(angle / 2);
  }
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    if (stage.kind !== 'rotations') continue;
    const base = k * nQubits * 8;
    for (let j = 0; j < stage.wires.length; j++) fuseRotations(stage.rotations[j], halfCos, halfSin, unitaries, base + 8 * stage.wires[j]);
  }
}

/**
 * Runs the prepared sample through every stage and returns the vector holding the final state. The state after a
 * rotation stage k is left in vector ws.after[k]; a permutation followed by a rotation stage is folded into that
 * stage's first gate, so its own vector is not written.
 */
function applyStages(circuit: CompiledCircuit, ws: Workspace): number {
  const { stages, nQubits } = circuit;
  const { size, states, after, unitaries } = ws;
  states[0].fill(0);
  states[0][0] = 1;
  let previous = 0;
  let pending: PermutationStage | null = null;
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    const current = after[k];
    const state = states[current];
    if (stage.kind === 'permutation') {
      if (isFolded(stages, k)) {
        pending = stage;
        continue;
      }
      permute(states[previous], state, stage.destination);
    } else {
      const base = k * nQubits * 8;
      const { wires } = stage;
      let j = 0;
      if (k === 0) {
        writeProductState(state, nQubits, unitaries, base);
        j = wires.length;
      } else if (pending) {
        applyOneQubitAfterPermutation(states[previous], state, pending.source, size, wires[0], unitaries, base + 8 * wires[0]);
        pending = null;
        j = 1;
      } else if (current !== previous) {
        state.set(states[previous]);
      }
      for (; j < wires.length; j++) applyOneQubit(state, size, wires[j], unitaries, base + 8 * wires[j]);
    }
    previous = current;
  }
  return previous;
}

/**
 * Expectation values of samples [from, to) of x into expvals (sample b at b × nOutputs). With `keepStates` it returns
 * the states the adjoint sweep needs (savedStatesBytes(circuit, to − from) bytes), for vjpSamples to reuse, written
 * into `spare` where it is large enough (a buffer an earlier gradient has finished with), else into a new one.
 */
export function forwardSamples(
  circuit: CompiledCircuit,
  x: Float64Array,
  weights: Float64Array,
  from: number,
  to: number,
  expvals: Float64Array,
  keepStates: boolean,
  spare: Float64Array | null = null,
): SavedStates | null {
  const ws = createWorkspace(circuit, weights, keepStates);
  const length = (to - from) * ws.written * 2 * ws.size;
  const data = !keepStates ? null : spare && spare.length >= length ? spare.subarray(0, length) : new Float64Array(length);
  const saved = data ? { from, to, vectors: ws.written, data } : null;
  for (let b = from; b < to; b++) {
    if (saved) bindSavedSample(ws, saved, b - from);
    prepareSample(circuit, ws, x, b);
    const final = applyStages(circuit, ws);
    measure(circuit, ws.states[final], ws.readout, expvals, b * circuit.nOutputs);
  }
  return saved;
}

/** Expectation values [B × nOutputs] for inputs x [B × nInputs] and shared weights [nWeights]. */
export function forward(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number): Float64Array {
  checkArguments(circuit, x, weights, batch);
  const out = new Float64Array(batch * circuit.nOutputs);
  forwardSamples(circuit, x, weights, 0, batch, out, false);
  return out;
}

/**
 * For samples [from, to): cotangent · ∂expvals/∂x and the sample's cotangent · ∂expvals/∂weights (one row per sample;
 * sumWeightRows adds them up), by adjoint differentiation with per-stage states — those a forwardSamples of the same
 * circuit, x, weights and samples kept (`saved`), or recomputed here. Either way the results are the same bits.
 */
export function vjpSamples(
  circuit: CompiledCircuit,
  x: Float64Array,
  weights: Float64Array,
  from: number,
  to: number,
  cotangent: Float64Array,
  out: VjpOutputs,
  saved: SavedStates | null = null,
): void {
  const { stages, nQubits, nInputs, nWeights, nOutputs } = circuit;
  const ws = createWorkspace(circuit, weights, true);
  if (
    saved &&
    (saved.from !== from || saved.to !== to || saved.vectors !== ws.written || saved.data.length !== (to - from) * ws.written * 2 * ws.size)
  ) {
    throw new QuantumShapeError(`saved states of samples ${saved.from}..${saved.to} do not fit samples ${from}..${to} of this circuit`);
  }
  const { size, states, unitaries } = ws;
  const lams = [new Float64Array(2 * size), new Float64Array(2 * size)];
  // per wire (Im⟨λ|X|ψ⟩, Im⟨λ|Y|ψ⟩, Im⟨λ|Z|ψ⟩) at the end of a stage
  const overlaps = new Float64Array(3 * nQubits);
  const foldScratch = new Float64Array(size);
  const adjoint = new Float64Array(8);
  const gradAngles = new Float64Array(nInputs + nWeights);
  const firstRotationStage = stages.findIndex((stage) => stage.kind === 'rotations');

  for (let b = from; b < to; b++) {
    prepareSample(circuit, ws, x, b);
    let final = ws.final;
    if (saved) bindSavedSample(ws, saved, b - from);
    else final = applyStages(circuit, ws);
    if (out.expvals) measure(circuit, states[final], ws.readout, out.expvals, b * nOutputs);
    applyWeightedObservable(circuit, states[final], cotangent, b * nOutputs, lams[0], ws.readout);
    gradAngles.fill(0);
    let lam = 0;
    for (let k = stages.length - 1; k >= 0 && k >= firstRotationStage; k--) {
      const stage = stages[k];
      if (stage.kind === 'permutation') {
        unpermute(lams[lam], lams[lam ^ 1], stage.destination);
        lam ^= 1;
        continue;
      }
      // ψ and λ both at the end of the stage: one-qubit gates on different wires commute, so each wire's
      // rotations can be treated as the last gates applied.
      const psi = states[ws.after[k]];
      zOverlapsIm(psi, lams[lam], nQubits, foldScratch, overlaps);
      for (let j = 0; j < stage.wires.length; j++) {
        const wire = stage.wires[j];
        xyOverlapsIm(psi, lams[lam], size, wire, overlaps, 3 * wire);
        accumulateRotationGradients(stage.rotations[j], ws.halfCos, ws.halfSin, overlaps, 3 * wire, gradAngles);
      }
      if (k > firstRotationStage) {
        const base = k * nQubits * 8;
        for (const wire of stage.wires) {
          conjugateTranspose(unitaries, base + 8 * wire, adjoint);
          applyOneQubit(lams[lam], size, wire, adjoint, 0);
        }
      }
    }
    out.gradX.set(gradAngles.subarray(0, nInputs), b * nInputs);
    out.weightRows.set(gradAngles.subarray(nInputs), b * nWeights);
  }
}

/** The batch's ∂/∂weights: the per-sample rows [batch × nWeights] added up in sample order (the same bits however they were computed). */
export function sumWeightRows(weightRows: Float64Array, batch: number, nWeights: number): Float64Array {
  const sum = new Float64Array(nWeights);
  for (let b = 0; b < batch; b++) for (let j = 0; j < nWeights; j++) sum[j] += weightRows[b * nWeights + j];
  return sum;
}

/**
 * Expectation values and the vector–Jacobian products cotangent · ∂expvals/∂x (per sample) and
 * cotangent · ∂expvals/∂weights (summed over the batch), by adjoint differentiation with saved per-stage states.
 */
export function vjp(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number, cotangent: Float64Array): VjpResult {
  checkArguments(circuit, x, weights, batch);
  const { nInputs, nWeights, nOutputs } = circuit;
  if (cotangent.length !== batch * nOutputs) {
    throw new QuantumShapeError(`cotangent has ${cotangent.length} values, expected batch × outputs = ${batch} × ${nOutputs}`);
  }
  const expvals = new Float64Array(batch * nOutputs);
  const gradX = new Float64Array(batch * nInputs);
  const weightRows = new Float64Array(batch * nWeights);
  vjpSamples(circuit, x, weights, 0, batch, cotangent, { expvals, gradX, weightRows });
  return { expvals, gradX, gradWeights: sumWeightRows(weightRows, batch, nWeights) };
}
