/**
 * The quantum block d_in → d_out (docs/reference-system.md, "Quantum block"): angles a = dense(d_in → n);
 * q = circuit(a) ∈ [−1, 1]^{4n}; skip s = dense(n → 4n)(GELU(LN a)); h = q + α·s with trainable α
 * (init 0.5); out = dense(4n → d_out). Circuit weights [L, n, 3] start U[0, 2π).
 *
 * Its width-matched classical control replaces only the circuit by a classical layer of the same
 * input and output width and range: q = tanh(dense(n → 4n)(a)) ∈ [−1, 1]^{4n}; everything else is
 * identical. It has no circuit weights and 4n·n + 4n more classical ones.
 */
import { add, mul, tanh } from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs-core';
import type { ArchitectureConfig } from '../quantum/resources/architecture';
import type { CircuitTemplate } from '../quantum/template';
import { reuploadingStronglyEntangling } from '../quantum/template';
import { qnnLayer } from '../quantum/tfjs/index';
import { createDense, createLayerNorm, dense, type DenseParams, gelu, layerNorm, type LayerNormParams } from './layers';
import { init, type ParameterSet } from './parameters';

/** What computes q from the angles: the circuit, or the width-matched classical control. */
export type QuantumBlockKind = 'circuit' | 'width-matched-control';
export const QUANTUM_BLOCK_KINDS: readonly QuantumBlockKind[] = ['circuit', 'width-matched-control'];

export type QuantumCore =
  | { readonly kind: 'circuit'; readonly weights: Variable; readonly template: CircuitTemplate }
  | { readonly kind: 'width-matched-control'; readonly layer: DenseParams };

export interface QuantumBlockParams {
  readonly angles: DenseParams;
  readonly norm: LayerNormParams;
  readonly skip: DenseParams;
  readonly alpha: Variable;
  readonly core: QuantumCore;
  readonly out: DenseParams;
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

export function createQuantumBlock(
  ps: ParameterSet,
  name: string,
  inputs: number,
  outputs: number,
  arch: ArchitectureConfig,
  kind: QuantumBlockKind = 'circuit',
): QuantumBlockParams {
  const { nQubits: n, nLayers: L, readoutsPerQubit, weightsPerQubitLayer, alphaInit } = arch;
  const template = circuitTemplate(n, L);
  const wide = template.readout.length;
  if (wide !== readoutsPerQubit * n || weightsPerQubitLayer !== 3 || template.nWeights !== 3 * n * L) {
    throw new Error(
      `quantum block: the circuit reads ${wide / n} values per qubit with 3 weights per qubit and layer; the architecture asks for ${readoutsPerQubit} and ${weightsPerQubitLayer}`,
    );
  }
  return {
    angles: createDense(ps, `${name}/angles`, inputs, n),
    norm: createLayerNorm(ps, `${name}/skip-norm`, n),
    skip: createDense(ps, `${name}/skip`, n, wide),
    alpha: ps.add(`${name}/alpha`, 'skip-weight', [], init.constant(alphaInit)),
    core:
      kind === 'circuit'
        ? { kind, weights: ps.add(`${name}/circuit`, 'circuit', [L, n, 3], init.uniform(0, 2 * Math.PI)), template }
        : { kind, layer: createDense(ps, `${name}/control`, n, wide) },
    out: createDense(ps, `${name}/out`, wide, outputs),
  };
}

function runCore(a: Tensor2D, core: QuantumCore): Tensor2D {
  return core.kind === 'circuit' ? qnnLayer(a, core.weights as unknown as Tensor3D, core.template) : tanh(dense(a, core.layer));
}

export function quantumBlock(x: Tensor2D, p: QuantumBlockParams): Tensor2D {
  const a = dense(x, p.angles);
  const q = runCore(a, p.core);
  const s = dense(gelu(layerNorm(a, p.norm)), p.skip);
  return dense(add(q, mul(p.alpha, s)), p.out);
}
