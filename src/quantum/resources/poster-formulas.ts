import { QuantumShapeError } from '../errors';

/** The poster's closed-form parameter counts (docs/reference-system.md, "Quantum resources"). */
export interface PosterShape {
  /** N_in: input features. */
  readonly nInputs: number;
  /** M_out: outputs. */
  readonly nOutputs: number;
  /** M_in: hidden width, and the qubit count in the hybrid model. */
  readonly width: number;
  /** L_nn (classical hidden layers) or L_qnn (circuit layers). */
  readonly layers: number;
}

export interface PosterHybridParameters {
  readonly classical: number;
  readonly quantum: number;
  readonly total: number;
  /** Qubits the hybrid model needs: M_in. */
  readonly nQubits: number;
}

function check(shape: PosterShape): void {
  for (const [key, value] of Object.entries(shape)) {
    if (!Number.isInteger(value) || value < 1)
      throw new QuantumShapeError(`Poster formula: ${key} must be a positive integer, got ${value}`);
  }
}

/** Classical NN: (N_in + M_out)·M_in + M_in²·(L_nn + 2). */
export function posterClassicalParameters(shape: PosterShape): number {
  check(shape);
  const { nInputs, nOutputs, width, layers } = shape;
  return (nInputs + nOutputs) * width + width * width * (layers + 2);
}

/** Hybrid: classical (N_in + M_out)·M_in, quantum 3·M_in·L_qnn, on M_in qubits. */
export function posterHybridParameters(shape: PosterShape): PosterHybridParameters {
  check(shape);
  const { nInputs, nOutputs, width, layers } = shape;
  const classical = (nInputs + nOutputs) * width;
  const quantum = 3 * width * layers;
  return { classical, quantum, total: classical + quantum, nQubits: width };
}
