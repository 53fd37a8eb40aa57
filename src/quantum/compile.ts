import { QuantumShapeError } from './errors';
import { checkGateWires, MAX_QUBITS } from './template';
import type { CircuitTemplate, CnotGate, Gate, Observable, RotationGate } from './template';

/** Pauli axis of a rotation: 0 = X, 1 = Y, 2 = Z. */
export type Axis = 0 | 1 | 2;

/** One elementary rotation kept apart for the adjoint sweep. `slot` indexes the angle table: inputs first, then weights. */
export interface ElementaryRotation {
  readonly axis: Axis;
  readonly slot: number;
}

/** A maximal run of one-qubit gates: per wire, its rotations in time order (they fuse into one 2×2 unitary). */
export interface RotationStage {
  readonly kind: 'rotations';
  readonly wires: readonly number[];
  readonly rotations: readonly (readonly ElementaryRotation[])[];
}

/** A run of CNOTs as one basis permutation: the amplitude at index i moves to destination[i] (from source[i]). */
export interface PermutationStage {
  readonly kind: 'permutation';
  readonly destination: Int32Array;
  readonly source: Int32Array;
}

export type Stage = RotationStage | PermutationStage;

export interface CompiledCircuit {
  readonly nQubits: number;
  readonly nInputs: number;
  readonly nWeights: number;
  readonly nOutputs: number;
  readonly stages: readonly Stage[];
  /** Wires whose ⟨X_q⟩ or ⟨Y_q⟩ is read out (both come from one pass over the wire's pairs). */
  readonly xyWires: readonly number[];
  readonly xyObservables: readonly { readonly output: number; readonly wire: number; readonly axis: 0 | 1 }[];
  /** Diagonal readouts ⟨Z^mask⟩ = Σ_i |a_i|² (−1)^popcount(i & mask). */
  readonly diagonalObservables: readonly { readonly output: number; readonly mask: number }[];
}

const AXIS: Record<'RX' | 'RY' | 'RZ', Axis> = { RX: 0, RY: 1, RZ: 2 };

function checkWire(template: CircuitTemplate, wire: number, where: string): void {
  if (!Number.isInteger(wire) || wire < 0 || wire >= template.nQubits) {
    throw new QuantumShapeError(`${where}: wire ${wire} is outside 0..${template.nQubits - 1}`);
  }
}

function checkGate(template: CircuitTemplate, gate: Gate, index: number): void {
  checkGateWires(gate, index, template.nQubits);
  if (gate.kind === 'CNOT') return;
  const where = `gate ${index} (${gate.kind})`;
  const source = gate.angle;
  if (source.kind === 'input') {
    if (!Number.isInteger(source.index) || source.index < 0 || source.index >= template.nInputs) {
      throw new QuantumShapeError(`${where}: input ${source.index} is outside 0..${template.nInputs - 1}`);
    }
    return;
  }
  const { layer, wire, k } = source;
  const inRange = (v: number, end: number): boolean => Number.isInteger(v) && v >= 0 && v < end;
  if (
    !inRange(layer, template.nLayers) ||
    !inRange(wire, template.nQubits) ||
    !inRange(k, 3) ||
    weightIndex(template, source) >= template.nWeights
  ) {
    throw new QuantumShapeError(`${where}: weight [${layer},${wire},${k}] is outside the ${template.nWeights} weights`);
  }
}

function weightIndex(template: CircuitTemplate, source: { layer: number; wire: number; k: number }): number {
  return (source.layer * template.nQubits + source.wire) * 3 + source.k;
}

function rotationStage(template: CircuitTemplate, gates: readonly RotationGate[]): RotationStage {
  const perWire: ElementaryRotation[][] = Array.from({ length: template.nQubits }, () => []);
  for (const gate of gates) {
    const { angle } = gate;
    const slot = angle.kind === 'input' ? angle.index : template.nInputs + weightIndex(template, angle);
    perWire[gate.wire].push({ axis: AXIS[gate.kind], slot });
  }
  const wires = perWire.flatMap((list, wire) => (list.length > 0 ? [wire] : []));
  return { kind: 'rotations', wires, rotations: wires.map((wire) => perWire[wire]) };
}

function permutationStage(nQubits: number, cnots: readonly CnotGate[]): PermutationStage {
  const destination = new Int32Array(1 << nQubits);
  const source = new Int32Array(1 << nQubits);
  for (let i = 0; i < destination.length; i++) {
    let j = i;
    for (const { control, target } of cnots) {
      if ((j >> control) & 1) j ^= 1 << target;
    }
    destination[i] = j;
    source[j] = i;
  }
  return { kind: 'permutation', destination, source };
}

/** Consecutive one-qubit gates become one rotation stage, consecutive CNOTs one permutation stage. */
function compileStages(template: CircuitTemplate): Stage[] {
  const runs: Gate[][] = [];
  for (const gate of template.gates) {
    const run = runs.at(-1);
    if (run && (run[0].kind === 'CNOT') === (gate.kind === 'CNOT')) run.push(gate);
    else runs.push([gate]);
  }
  return runs.map((run) =>
    run[0].kind === 'CNOT' ? permutationStage(template.nQubits, run as CnotGate[]) : rotationStage(template, run as RotationGate[]),
  );
}

function observableWires(observable: Observable): readonly number[] {
  return observable.kind === 'ZZ' ? observable.wires : [observable.wire];
}

/** Checks a template and turns it into stages the simulator runs; done once per circuit shape. */
export function compileCircuit(template: CircuitTemplate): CompiledCircuit {
  const { nQubits } = template;
  if (!Number.isInteger(nQubits) || nQubits < 1 || nQubits > MAX_QUBITS) {
    throw new QuantumShapeError(`Number of qubits must be an integer in 1..${MAX_QUBITS}, got ${nQubits}`);
  }
  template.gates.forEach((gate, index) => checkGate(template, gate, index));
  const xyObservables: { output: number; wire: number; axis: 0 | 1 }[] = [];
  const diagonalObservables: { output: number; mask: number }[] = [];
  template.readout.forEach((observable, output) => {
    for (const wire of observableWires(observable)) checkWire(template, wire, `readout ${output} (${observable.kind})`);
    if (observable.kind === 'ZZ') {
      diagonalObservables.push({ output, mask: (1 << observable.wires[0]) ^ (1 << observable.wires[1]) });
    } else if (observable.kind === 'Z') {
      diagonalObservables.push({ output, mask: 1 << observable.wire });
    } else {
      xyObservables.push({ output, wire: observable.wire, axis: observable.kind === 'X' ? 0 : 1 });
    }
  });
  return {
    nQubits: template.nQubits,
    nInputs: template.nInputs,
    nWeights: template.nWeights,
    nOutputs: template.readout.length,
    stages: compileStages(template),
    xyWires: [...new Set(xyObservables.map((o) => o.wire))],
    xyObservables,
    diagonalObservables,
  };
}
