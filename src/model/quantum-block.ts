/**
 * The quantum block d_in → d_out (reference-system.md, "Quantum block"): angles a = dense(d_in → n);
 * q = circuit(a) ∈ [−1, 1]^{4n}; skip s = dense(n → 4n)(GELU(LN a)); h = q + α·s with trainable α
 * (init 0.5); out = dense(4n → d_out). Circuit weights [L, n, 3] start U[0, 2π).
 */
import { add, mul } from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import type { ArchitectureConfig } from '../quantum/resources/architecture';
import type { CircuitTemplate } from '../quantum/template';
import { reuploadingStronglyEntangling } from '../quantum/template';
import { qnnLayer } from '../quantum/tfjs/index';
import { ModelConfigError } from './errors';
import { createDense, createLayerNorm, dense, type DenseParams, gelu, layerNorm, type LayerNormParams } from './layers';
import { init, type ParameterSet } from './parameters';

export interface QuantumBlockParams {
  readonly angles: DenseParams;
  readonly norm: LayerNormParams;
  readonly skip: DenseParams;
  readonly alpha: Variable;
  readonly circuit: Variable;
  readonly out: DenseParams;
  readonly template: CircuitTemplate;
}

const templates = new Map<string, CircuitTemplate>();

/** The reference circuit (re-uploading RY·RX, Rot, CNOT ring; X, Y, Z, ZZ readout), one object per (n, L). */
export function circuitTemplate(nQubits: number, nLayers: number): CircuitTemplate {
  const key = `${nQubits}x${nLayers}`;
  let t = templates.get(key);
  if (!t) {
    t = reuploadingStronglyEntangling(nQubits, nLayers);
    templates.set(key, t);
  }
  return t;
}

export function createQuantumBlock(ps: ParameterSet, name: string, inputs: number, outputs: number, arch: ArchitectureConfig): QuantumBlockParams {
  const { nQubits: n, nLayers: L, readoutsPerQubit, weightsPerQubitLayer, alphaInit } = arch;
  const template = circuitTemplate(n, L);
  const wide = template.readout.length;
  if (wide !== readoutsPerQubit * n || weightsPerQubitLayer !== 3 || template.nWeights !== 3 * n * L) {
    throw new ModelConfigError(
      `quantum block: the circuit reads ${wide / n} values per qubit with 3 weights per qubit and layer; the architecture asks for ${readoutsPerQubit} and ${weightsPerQubitLayer}`,
    );
  }
  return {
    angles: createDense(ps, `${name}/angles`, inputs, n),
    norm: createLayerNorm(ps, `${name}/skip-norm`, n),
    skip: createDense(ps, `${name}/skip`, n, wide),
    alpha: ps.add(`${name}/alpha`, 'skip-weight', [], init.constant(alphaInit)),
    circuit: ps.add(`${name}/circuit`, 'circuit', [L, n, 3], init.uniform(0, 2 * Math.PI)),
    out: createDense(ps, `${name}/out`, wide, outputs),
    template,
  };
}

export function quantumBlock(x: Tensor2D, p: QuantumBlockParams): Tensor2D {
  const a = dense(x, p.angles);
  const q = qnnLayer(a, p.circuit as unknown as Tensor3D, p.template);
  const s = dense(gelu(layerNorm(a, p.norm)), p.skip);
  return dense(add(q, mul(p.alpha, s)), p.out);
}
