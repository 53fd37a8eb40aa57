/**
 * The seven encoders (ENCODER_NAMES), built as the reference describes them (docs/reference-system.md,
 * "Encoders") and with exactly the parameters `encoderParameters` counts (model-parameters.ts). Every
 * encoder maps [B, N_in] → [B, H]. Dropout rate p = architecture.dropout.
 *
 * - mlp:        D × [dense → ReLU → dropout] (N_in → H, then H → H).
 * - resmlp:     stem dense N_in → H; D × [x + dropout(dense(ReLU(dense(LN x))))] (H → rH → H); final LN.
 * - moe:        stem dense N_in → H; D × MoE block (ReLU experts H → 2H → H, output LN(x + Σ)).
 * - resmlp-moe: dropout(LN(dense N_in → H)); D × [x + dropout(dense(GELU(dense x))) (H → 4H → H),
 *               MoE block (GELU experts H → 2H → H; its output LN is the block's LN)]; LN → dense H → H.
 * - qnn-mlp:    the MLP with every dense layer replaced by a quantum block.
 * - qnn-resmlp-moe: ResMLP-MoE whose residual MLP is QB(H → 4H) → GELU → QB(4H → H).
 * - qmoe-resmlp:    ResMLP-MoE whose experts are quantum blocks H → H (the poster's figure).
 * With `quantumBlocks: 'width-matched-control'` each quantum block is its classical control.
 */
import { add } from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { ArchitectureConfig, EncoderName } from '../quantum/resources/architecture';
import {
  createDense,
  createLayerNorm,
  dense,
  type DenseParams,
  dropout,
  type ForwardContext,
  gelu,
  layerNorm,
  type LayerNormParams,
  relu,
} from './layers';
import { createMoeBlock, moeBlock, type MoeParams } from './moe-block';
import type { ParameterSet } from './parameters';
import { createQuantumBlock, quantumBlock, type QuantumBlockKind, type QuantumBlockParams } from './quantum-block';

/** Options of the encoders beyond the architecture constants. */
export interface EncoderOptions {
  /** SD of the router-logit noise in training. */
  readonly routerNoise: number;
  /** Quantum encoders: circuits, or their width-matched classical controls (default 'circuit'). */
  readonly quantumBlocks?: QuantumBlockKind;
}

/**
 * Router noise SD 0.5: the reference adds noise without saying how much; at initialisation the
 * router logits have SD ≈ 0.6 for LayerNorm-ed inputs, so 0.5 lets routing explore early on
 * without drowning the learned preference later (logits grow as the router trains).
 */
export const DEFAULT_ROUTER_NOISE = 0.5;

export const DEFAULT_ENCODER_OPTIONS: EncoderOptions = Object.freeze({ routerNoise: DEFAULT_ROUTER_NOISE });

export interface Encoder {
  readonly name: EncoderName;
  readonly outputs: number;
  apply(x: Tensor2D, ctx: ForwardContext): Tensor2D;
}

type Layer = { kind: 'dense'; p: DenseParams } | { kind: 'quantum'; p: QuantumBlockParams };

const applyLayer = (x: Tensor2D, layer: Layer): Tensor2D => (layer.kind === 'dense' ? dense(x, layer.p) : quantumBlock(x, layer.p));

function mlpEncoder(ps: ParameterSet, name: EncoderName, c: ArchitectureConfig, quantum: QuantumBlockKind | null): Encoder {
  const layers: Layer[] = Array.from({ length: c.depth }, (_, i) => {
    const label = `encoder/layer${i + 1}`;
    const inputs = i === 0 ? c.nInputs : c.hidden;
    return quantum
      ? { kind: 'quantum', p: createQuantumBlock(ps, label, inputs, c.hidden, c, quantum) }
      : { kind: 'dense', p: createDense(ps, label, inputs, c.hidden) };
  });
  return {
    name,
    outputs: c.hidden,
    apply: (x, ctx) => layers.reduce((h, layer) => dropout(relu(applyLayer(h, layer)), c.dropout, ctx.mode), x),
  };
}

function resMlpEncoder(ps: ParameterSet, c: ArchitectureConfig): Encoder {
  const H = c.hidden;
  const stem = createDense(ps, 'encoder/stem', c.nInputs, H);
  const blocks = Array.from({ length: c.depth }, (_, b) => ({
    norm: createLayerNorm(ps, `encoder/block${b + 1}/norm`, H),
    fc1: createDense(ps, `encoder/block${b + 1}/fc1`, H, c.resMlpExpansion * H),
    fc2: createDense(ps, `encoder/block${b + 1}/fc2`, c.resMlpExpansion * H, H),
  }));
  const final = createLayerNorm(ps, 'encoder/final-norm', H);
  return {
    name: 'resmlp',
    outputs: H,
    apply: (x, ctx) => {
      let h = dense(x, stem);
      for (const b of blocks) h = add(h, dropout(dense(relu(dense(layerNorm(h, b.norm), b.fc1)), b.fc2), c.dropout, ctx.mode));
      return layerNorm(h, final);
    },
  };
}

function moeOptions(c: ArchitectureConfig, options: EncoderOptions, activation: 'relu' | 'gelu', quantumExperts: boolean) {
  return {
    experts: c.experts,
    topK: c.topK,
    expansion: c.expertExpansion,
    activation,
    quantum: quantumExperts ? c : null,
    quantumBlocks: options.quantumBlocks,
    routerNoise: options.routerNoise,
    dropout: c.dropout,
  } as const;
}

function moeEncoder(ps: ParameterSet, c: ArchitectureConfig, options: EncoderOptions): Encoder {
  const stem = createDense(ps, 'encoder/stem', c.nInputs, c.hidden);
  const blocks: MoeParams[] = Array.from({ length: c.depth }, (_, b) =>
    createMoeBlock(ps, `encoder/block${b + 1}/moe`, c.hidden, moeOptions(c, options, 'relu', false)),
  );
  return {
    name: 'moe',
    outputs: c.hidden,
    apply: (x, ctx) => blocks.reduce((h, block) => moeBlock(h, block, ctx), dense(x, stem)),
  };
}

type Residual =
  { kind: 'dense'; fc1: DenseParams; fc2: DenseParams } | { kind: 'quantum'; qb1: QuantumBlockParams; qb2: QuantumBlockParams };

function resMlpMoeEncoder(
  ps: ParameterSet,
  name: EncoderName,
  c: ArchitectureConfig,
  options: EncoderOptions,
  quantumResidual: boolean,
  quantumExperts: boolean,
): Encoder {
  const H = c.hidden;
  const wide = c.residualExpansion * H;
  const input = createDense(ps, 'encoder/input', c.nInputs, H);
  const inputNorm: LayerNormParams = createLayerNorm(ps, 'encoder/input-norm', H);
  const blocks = Array.from({ length: c.depth }, (_, b) => {
    const label = `encoder/block${b + 1}`;
    const residual: Residual = quantumResidual
      ? {
          kind: 'quantum',
          qb1: createQuantumBlock(ps, `${label}/residual/qb1`, H, wide, c, options.quantumBlocks),
          qb2: createQuantumBlock(ps, `${label}/residual/qb2`, wide, H, c, options.quantumBlocks),
        }
      : { kind: 'dense', fc1: createDense(ps, `${label}/residual/fc1`, H, wide), fc2: createDense(ps, `${label}/residual/fc2`, wide, H) };
    const moe = createMoeBlock(ps, `${label}/moe`, H, moeOptions(c, options, 'gelu', quantumExperts));
    return { residual, moe };
  });
  const outputNorm = createLayerNorm(ps, 'encoder/output-norm', H);
  const output = createDense(ps, 'encoder/output', H, H);
  const residualBranch = (h: Tensor2D, r: Residual): Tensor2D =>
    r.kind === 'dense' ? dense(gelu(dense(h, r.fc1)), r.fc2) : quantumBlock(gelu(quantumBlock(h, r.qb1)), r.qb2);
  return {
    name,
    outputs: H,
    apply: (x, ctx) => {
      let h = dropout(layerNorm(dense(x, input), inputNorm), c.dropout, ctx.mode);
      for (const b of blocks) {
        h = add(h, dropout(residualBranch(h, b.residual), c.dropout, ctx.mode));
        h = moeBlock(h, b.moe, ctx);
      }
      return dense(layerNorm(h, outputNorm), output);
    },
  };
}

/** Builds `name`'s variables under 'encoder/' in `ps`. */
export function createEncoder(
  ps: ParameterSet,
  name: EncoderName,
  c: ArchitectureConfig,
  options: EncoderOptions = DEFAULT_ENCODER_OPTIONS,
): Encoder {
  switch (name) {
    case 'mlp':
      return mlpEncoder(ps, name, c, null);
    case 'qnn-mlp':
      return mlpEncoder(ps, name, c, options.quantumBlocks ?? 'circuit');
    case 'resmlp':
      return resMlpEncoder(ps, c);
    case 'moe':
      return moeEncoder(ps, c, options);
    case 'resmlp-moe':
      return resMlpMoeEncoder(ps, name, c, options, false, false);
    case 'qnn-resmlp-moe':
      return resMlpMoeEncoder(ps, name, c, options, true, false);
    case 'qmoe-resmlp':
      return resMlpMoeEncoder(ps, name, c, options, false, true);
  }
}
