import type { CircuitTemplate } from '../template';
import { asapDepth, fusedDepth } from './circuit-depth';

/** What one circuit costs, counted from its gate list (not from closed-form formulas). */
export interface CircuitResources {
  readonly nQubits: number;
  /** Layers the template declares (the poster's "depth T"). */
  readonly nLayers: number;
  /** ASAP depth of the gate list, every elementary gate one step. */
  readonly depth: number;
  /** ASAP depth with each wire's consecutive one-qubit gates fused into one step. */
  readonly fusedDepth: number;
  readonly oneQubitGates: number;
  readonly twoQubitGates: number;
  readonly totalGates: number;
  /** Distinct trainable angles the gates use (circuit weights). */
  readonly weights: number;
  /** Distinct per-sample input angles the gates use. */
  readonly inputs: number;
  /** Rotations driven by an input angle (inputs re-uploaded count every time). */
  readonly inputRotations: number;
  /** Rotations driven by a trainable weight. */
  readonly weightRotations: number;
  /** Expectation values read out (circuit outputs). */
  readonly readouts: number;
}

/** Counts qubits, depths, gates and angles of any circuit template by walking its gate list. */
export function circuitResources(template: CircuitTemplate): CircuitResources {
  const { gates, nQubits } = template;
  const weightKeys = new Set<string>();
  const inputKeys = new Set<number>();
  let twoQubitGates = 0;
  let inputRotations = 0;
  let weightRotations = 0;
  for (const gate of gates) {
    if (gate.kind === 'CNOT') {
      twoQubitGates++;
    } else if (gate.angle.kind === 'input') {
      inputRotations++;
      inputKeys.add(gate.angle.index);
    } else {
      weightRotations++;
      weightKeys.add(`${gate.angle.layer}:${gate.angle.wire}:${gate.angle.k}`);
    }
  }
  return {
    nQubits,
    nLayers: template.nLayers,
    depth: asapDepth(gates, nQubits),
    fusedDepth: fusedDepth(gates, nQubits),
    oneQubitGates: gates.length - twoQubitGates,
    twoQubitGates,
    totalGates: gates.length,
    weights: weightKeys.size,
    inputs: inputKeys.size,
    inputRotations,
    weightRotations,
    readouts: template.readout.length,
  };
}
