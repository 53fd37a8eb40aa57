import type { CompiledCircuit } from '../compile';
import { seededRandom, uniformArray } from './random';

export interface CircuitInputs {
  x: Float64Array;
  weights: Float64Array;
  cotangent: Float64Array;
}

/** Seeded random angles, weights and upstream cotangent for `batch` samples. */
export function circuitInputs(circuit: CompiledCircuit, batch: number, seed: number): CircuitInputs {
  const random = seededRandom(seed);
  return {
    x: uniformArray(random, batch * circuit.nInputs, -Math.PI, Math.PI),
    weights: uniformArray(random, circuit.nWeights, 0, 2 * Math.PI),
    cotangent: uniformArray(random, batch * circuit.nOutputs, -1, 1),
  };
}
