/**
 * Layers as plain functions over explicit variables: dense, LayerNorm, GELU, ReLU and seeded dropout.
 * Each layer has a `create…` that adds its variables to a ParameterSet and a function that applies it.
 */
import {
  add,
  erf,
  floor,
  matMul,
  mean,
  mul,
  randomNormal,
  randomUniform,
  relu as tfRelu,
  rsqrt,
  scalar,
  square,
  sub,
} from '@tensorflow/tfjs-core';
import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { init, type ParameterSet } from './parameters';
import type { SeedStream } from './random';

/**
 * How a forward pass runs. `training`: dropout on, router noise on. `mc`: dropout on (MC dropout),
 * router noise off. `inference`: both off. Passes with randomness carry a seeded stream.
 */
export type ForwardMode =
  | { readonly kind: 'training'; readonly random: SeedStream }
  | { readonly kind: 'mc'; readonly random: SeedStream }
  | { readonly kind: 'inference' };

export const INFERENCE: ForwardMode = Object.freeze({ kind: 'inference' });

/** State of one forward pass: its mode and what the MoE blocks report (aux losses, expert usage). */
export interface ForwardContext {
  readonly mode: ForwardMode;
  /** Load-balancing losses, one per MoE block. */
  readonly auxLosses: Scalar[];
  /** Routed samples per expert [E], one per MoE block. */
  readonly usage: Tensor1D[];
}

export function forwardContext(mode: ForwardMode): ForwardContext {
  return { mode, auxLosses: [], usage: [] };
}

export interface DenseParams {
  readonly kernel: Variable;
  readonly bias: Variable | null;
  readonly inputs: number;
  readonly outputs: number;
}

/**
 * Dense inputs → outputs; PyTorch's default initialisation (kernel and bias U(±1/√inputs)), as the
 * reference networks were built with it.
 */
export function createDense(
  ps: ParameterSet,
  name: string,
  inputs: number,
  outputs: number,
  options: { bias?: boolean } = {},
): DenseParams {
  const bound = 1 / Math.sqrt(inputs);
  const kernel = ps.add(`${name}/kernel`, 'kernel', [inputs, outputs], init.uniform(-bound, bound));
  const bias = options.bias === false ? null : ps.add(`${name}/bias`, 'bias', [outputs], init.uniform(-bound, bound));
  return { kernel, bias, inputs, outputs };
}

export function dense(x: Tensor2D, p: DenseParams): Tensor2D {
  const y = matMul<Tensor2D>(x, p.kernel);
  return p.bias ? (add(y, p.bias) as Tensor2D) : y;
}

export interface LayerNormParams {
  readonly gain: Variable;
  readonly shift: Variable;
  readonly epsilon: number;
}

export function createLayerNorm(ps: ParameterSet, name: string, width: number, epsilon = 1e-5): LayerNormParams {
  return {
    gain: ps.add(`${name}/gain`, 'norm-gain', [width], init.constant(1)),
    shift: ps.add(`${name}/shift`, 'norm-shift', [width], init.constant(0)),
    epsilon,
  };
}

/** LayerNorm over the last axis: (x − mean)/√(var + ε)·gain + shift (biased variance, as PyTorch). */
export function layerNorm(x: Tensor2D, p: LayerNormParams): Tensor2D {
  const centred = sub(x, mean(x, -1, true));
  const variance = mean(square(centred), -1, true);
  return add(mul(mul(centred, rsqrt(add(variance, p.epsilon))), p.gain), p.shift);
}

/** Exact GELU: x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch's default). */
export function gelu<T extends Tensor>(x: T): T {
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1)) as T;
}

export function relu<T extends Tensor>(x: T): T {
  return tfRelu(x);
}

export type Activation = 'relu' | 'gelu';

export function activate<T extends Tensor>(x: T, activation: Activation): T {
  return activation === 'relu' ? relu(x) : gelu(x);
}

/** Whether dropout is active in this mode (training and MC dropout). */
export function dropoutActive(mode: ForwardMode): mode is Exclude<ForwardMode, { kind: 'inference' }> {
  return mode.kind !== 'inference';
}

/**
 * Inverted dropout with a seeded mask; the identity at inference or when rate is 0. Training draws
 * a mask per row; MC dropout one mask per pass, shared by all rows, so that each MC sample is one
 * thinned network (a whole predicted curve, not independent noise at each of its points).
 */
export function dropout<T extends Tensor>(x: T, rate: number, mode: ForwardMode): T {
  if (rate <= 0 || !dropoutActive(mode)) return x;
  const keep = 1 - rate;
  const maskShape = mode.kind === 'mc' ? [1, ...x.shape.slice(1)] : x.shape;
  const mask = floor(add(randomUniform(maskShape, 0, 1, 'float32', mode.random.nextSeed()), keep));
  return mul(x, mul(mask, scalar(1 / keep))) as T;
}

/** Additive Gaussian noise N(0, sd²) in training mode only (router noise). */
export function trainingNoise<T extends Tensor>(x: T, sd: number, mode: ForwardMode): T {
  if (sd <= 0 || mode.kind !== 'training') return x;
  return add(x, randomNormal(x.shape, 0, sd, 'float32', mode.random.nextSeed())) as T;
}
