/** Trainable parameters of one building block, split into classical and circuit weights. */
export interface ParameterSplit {
  readonly classical: number;
  /** Circuit weights (rotation angles inside quantum circuits). */
  readonly quantum: number;
}

/** Dense in → out with bias: in·out + out. */
export const dense = (inputs: number, outputs: number): number => inputs * outputs + outputs;

/** Dense in → out without bias (the MoE router): in·out. */
export const denseNoBias = (inputs: number, outputs: number): number => inputs * outputs;

/** LayerNorm over `width` features: gain + bias = 2·width. */
export const layerNorm = (width: number): number => 2 * width;

export interface QuantumBlockShape {
  readonly inputs: number;
  readonly outputs: number;
  readonly nQubits: number;
  readonly nLayers: number;
  /** Circuit readouts per qubit (4: ⟨X⟩, ⟨Y⟩, ⟨Z⟩, ⟨ZZ⟩). */
  readonly readoutsPerQubit: number;
  /** Trainable angles per qubit per layer (3: Rot(φ, θ, ω)). */
  readonly weightsPerQubitLayer: number;
}

/**
 * Quantum block d_in → d_out with n qubits, L layers, r readouts per qubit:
 * classical = dense(d_in → n) + LN(n) + dense(n → r·n) + α + dense(r·n → d_out); quantum = 3·n·L.
 */
export function quantumBlockParameters(shape: QuantumBlockShape): ParameterSplit {
  const { inputs, outputs, nQubits: n, nLayers, readoutsPerQubit: r, weightsPerQubitLayer } = shape;
  return {
    classical: dense(inputs, n) + layerNorm(n) + dense(n, r * n) + 1 + dense(r * n, outputs),
    quantum: weightsPerQubitLayer * n * nLayers,
  };
}
