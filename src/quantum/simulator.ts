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
 * Buffers for one call, reused by every sample. Vector 0 starts as |0…0⟩; with `keepStates` the state after
 * stage k gets a vector of its own (k + 1) for the adjoint sweep, otherwise two vectors are ping-ponged.
 */
interface Workspace {
  readonly size: number;
  readonly states: Float64Array[];
  /** vector holding the state after stage k */
  readonly after: Int32Array;
  /** fused 2×2 unitaries, 8 numbers per (stage, wire), identity where a wire has no rotation */
  readonly unitaries: Float64Array;
  /** cos(θ/2) and sin(θ/2) per angle slot: inputs, then weights */
  readonly halfCos: Float64Array;
  readonly halfSin: Float64Array;
  readonly readout: ReadoutScratch;
}

function createWorkspace(circuit: CompiledCircuit, weights: Float64Array, keepStates: boolean): Workspace {
  const { stages, nQubits, nInputs, nWeights } = circuit;
  const size = 1 << nQubits;
  const after = new Int32Array(stages.length);
  let current = 0;
  stages.forEach((stage, k) => {
    if (keepStates) current = k + 1;
    else if (stage.kind === 'permutation') current ^= 1;
    after[k] = current;
  });
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
    states: Array.from({ length: keepStates ? stages.length + 1 : 2 }, () => new Float64Array(2 * size)),
    after,
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

/**
 * Runs sample b through every stage and returns the vector holding the final state. The state after a rotation
 * stage k is left in vector ws.after[k]; a permutation followed by a rotation stage is folded into that stage's
 * first gate, so its own vector is not written.
 */
function runSample(circuit: CompiledCircuit, ws: Workspace, x: Float64Array, b: number): number {
  const { stages, nQubits, nInputs } = circuit;
  const { size, states, after, unitaries, halfCos, halfSin } = ws;
  for (let i = 0; i < nInputs; i++) {
    const angle = x[b * nInputs + i];
    halfCos[i] = Math.cos(angle / 2);
    halfSin[i] = Math.sin(angle / 2);
  }
  states[0].fill(0);
  states[0][0] = 1;
  let previous = 0;
  let pending: PermutationStage | null = null;
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k];
    const current = after[k];
    const state = states[current];
    if (stage.kind === 'permutation') {
      if (stages[k + 1]?.kind === 'rotations') {
        pending = stage;
        continue;
      }
      permute(states[previous], state, stage.destination);
    } else {
      const base = k * nQubits * 8;
      const { wires, rotations } = stage;
      for (let j = 0; j < wires.length; j++) fuseRotations(rotations[j], halfCos, halfSin, unitaries, base + 8 * wires[j]);
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

/** Expectation values [B × nOutputs] for inputs x [B × nInputs] and shared weights [nWeights]. */
export function forward(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number): Float64Array {
  checkArguments(circuit, x, weights, batch);
  const ws = createWorkspace(circuit, weights, false);
  const out = new Float64Array(batch * circuit.nOutputs);
  for (let b = 0; b < batch; b++) {
    const final = runSample(circuit, ws, x, b);
    measure(circuit, ws.states[final], ws.readout, out, b * circuit.nOutputs);
  }
  return out;
}

/**
 * Expectation values and the vector–Jacobian products cotangent · ∂expvals/∂x (per sample) and
 * cotangent · ∂expvals/∂weights (summed over the batch), by adjoint differentiation with saved per-stage states.
 */
export function vjp(circuit: CompiledCircuit, x: Float64Array, weights: Float64Array, batch: number, cotangent: Float64Array): VjpResult {
  checkArguments(circuit, x, weights, batch);
  const { stages, nQubits, nInputs, nWeights, nOutputs } = circuit;
  if (cotangent.length !== batch * nOutputs) {
    throw new QuantumShapeError(`cotangent has ${cotangent.length} values, expected batch × outputs = ${batch} × ${nOutputs}`);
  }
  const ws = createWorkspace(circuit, weights, true);
  const { size, states, unitaries } = ws;
  const lams = [new Float64Array(2 * size), new Float64Array(2 * size)];
  // per wire (Im⟨λ|X|ψ⟩, Im⟨λ|Y|ψ⟩, Im⟨λ|Z|ψ⟩) at the end of a stage
  const overlaps = new Float64Array(3 * nQubits);
  const foldScratch = new Float64Array(size);
  const adjoint = new Float64Array(8);
  const gradAngles = new Float64Array(nInputs + nWeights);
  const firstRotationStage = stages.findIndex((stage) => stage.kind === 'rotations');

  const expvals = new Float64Array(batch * nOutputs);
  const gradX = new Float64Array(batch * nInputs);
  for (let b = 0; b < batch; b++) {
    const final = runSample(circuit, ws, x, b);
    measure(circuit, states[final], ws.readout, expvals, b * nOutputs);
    applyWeightedObservable(circuit, states[final], cotangent, b * nOutputs, lams[0], ws.readout);
    gradAngles.fill(0, 0, nInputs);
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
    for (let i = 0; i < nInputs; i++) gradX[b * nInputs + i] = gradAngles[i];
  }
  return { expvals, gradX, gradWeights: gradAngles.slice(nInputs) };
}
