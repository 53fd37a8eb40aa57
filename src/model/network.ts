/**
 * A network: one encoder and its heads. Regression heads dense(H → H/2) → GELU → dense(H/2 → 1), one
 * per target (PK, PD, or both for multitask), stacked as columns of one [B, T] output in `targets`
 * order; an optional classification head of the same shape giving the logit that an observation
 * meets the study's criterion (classification.ts; its weights keep the name "head/pd-below-threshold"
 * of the first head, PD below 3.3 ng/mL, so that saved models load).
 */
import { addN, concat, div, scalar } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { architecture, type ArchitectureConfig, type EncoderName, isEncoderName } from '../quantum/resources/architecture';
import { createEncoder, type Encoder } from './encoders';
import { createDense, dense, type DenseParams, forwardContext, type ForwardMode, gelu } from './layers';
import { ParameterSet } from './parameters';
import { QUANTUM_BLOCK_KINDS, type QuantumBlockKind } from './quantum-block';
import { mixSeed, SeedStream } from './random';

export type TargetName = 'pk' | 'pd';
export const TARGET_NAMES: readonly TargetName[] = ['pk', 'pd'];

/**
 * A head of a hybrid model's covariate network (src/model/mechanistic): the log shift of one
 * structural parameter's typical value, e.g. "parameter:CL".
 */
export type ParameterHead = `parameter:${string}`;
export type HeadName = TargetName | ParameterHead;

const PARAMETER_HEAD = /^parameter:[A-Z][A-Z0-9]{0,7}$/;
export const isParameterHead = (name: string): name is ParameterHead => PARAMETER_HEAD.test(name);

export interface NetworkConfig {
  readonly encoder: EncoderName;
  /** Architecture constants; nInputs is the network's input width. */
  readonly architecture: ArchitectureConfig;
  /** Regression heads, in output-column order: PK and/or PD (direct models), or structural parameters (hybrid models). */
  readonly targets: readonly HeadName[];
  /** Adds the "PD below threshold" logit head (needs the 'pd' target). */
  readonly classification: boolean;
  /** SD of the router-logit noise in training (MoE encoders). */
  readonly routerNoise: number;
  /** Seed of the initial weights. */
  readonly seed: number;
  /** Quantum encoders: circuits, or their width-matched classical controls. Default 'circuit'. */
  readonly quantumBlocks?: QuantumBlockKind;
}

export interface NetworkOutput {
  /** [B, targets.length], z-units of each target's scaler. */
  readonly regression: Tensor2D;
  /** [B, 1] logits of the classification head, or null. */
  readonly logits: Tensor2D | null;
  /** Mean load-balancing loss over the MoE blocks (0 without any). */
  readonly aux: Scalar;
  /** Samples routed to each expert [E], one per MoE block. */
  readonly usage: readonly Tensor1D[];
}

export interface Network {
  readonly config: NetworkConfig;
  readonly parameters: ParameterSet;
  readonly encoder: Encoder;
  forward(x: Tensor2D, mode: ForwardMode): NetworkOutput;
  dispose(): void;
}

interface Head {
  readonly fc1: DenseParams;
  readonly fc2: DenseParams;
}

function createHead(ps: ParameterSet, name: string, c: ArchitectureConfig): Head {
  return { fc1: createDense(ps, `${name}/fc1`, c.hidden, c.headHidden), fc2: createDense(ps, `${name}/fc2`, c.headHidden, c.outputs) };
}

const applyHead = (h: Tensor2D, head: Head): Tensor2D => dense(gelu(dense(h, head.fc1)), head.fc2);

export function checkNetworkConfig(config: NetworkConfig): void {
  if (!isEncoderName(config.encoder)) throw new Error(`network: unknown encoder ${String(config.encoder)}`);
  architecture(config.architecture);
  if (config.architecture.outputs !== 1) throw new Error('network: each regression head predicts one value (outputs must be 1)');
  if (
    config.targets.length === 0 ||
    new Set(config.targets).size !== config.targets.length ||
    config.targets.some((t) => !(TARGET_NAMES as readonly string[]).includes(t) && !isParameterHead(t)) ||
    (config.targets.some(isParameterHead) && (config.targets.some((t) => !isParameterHead(t)) || config.classification))
  ) {
    throw new Error(
      `network: targets must be distinct names among ${TARGET_NAMES.join(', ')}, or only parameter heads ("parameter:CL") without a classification head`,
    );
  }
  if (!(config.routerNoise >= 0)) throw new Error('network: router noise must be ≥ 0');
  if (config.quantumBlocks !== undefined && !QUANTUM_BLOCK_KINDS.includes(config.quantumBlocks)) {
    throw new Error(`network: quantum blocks must be one of ${QUANTUM_BLOCK_KINDS.join(', ')}, got ${String(config.quantumBlocks)}`);
  }
}

export function createNetwork(config: NetworkConfig): Network {
  checkNetworkConfig(config);
  const ps = new ParameterSet(new SeedStream(mixSeed(config.seed, 'init')));
  const c = config.architecture;
  try {
    const encoder = createEncoder(ps, config.encoder, c, { routerNoise: config.routerNoise, quantumBlocks: config.quantumBlocks });
    const heads = config.targets.map((t) => createHead(ps, `head/${t}`, c));
    const classifier = config.classification ? createHead(ps, 'head/pd-below-threshold', c) : null;
    return {
      config,
      parameters: ps,
      encoder,
      forward(x, mode) {
        if (x.shape[1] !== c.nInputs) throw new Error(`network expects ${c.nInputs} input features, got ${x.shape[1]}`);
        const ctx = forwardContext(mode);
        const h = encoder.apply(x, ctx);
        const columns = heads.map((head) => applyHead(h, head));
        const regression = columns.length === 1 ? columns[0] : concat(columns, 1);
        const aux = ctx.auxLosses.length === 0 ? scalar(0) : (div(addN(ctx.auxLosses), ctx.auxLosses.length) as Scalar);
        return { regression, logits: classifier ? applyHead(h, classifier) : null, aux, usage: ctx.usage };
      },
      dispose: () => ps.dispose(),
    };
  } catch (e) {
    ps.dispose();
    throw e;
  }
}
