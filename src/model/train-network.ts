/**
 * The training loop for one network: AdamW, full batch or mini-batches (seeded order), masked MSE on
 * z-scored targets plus the MoE load-balancing loss and the optional classification loss; early
 * stopping on the validation loss with patience; LR halving on plateau; the best checkpoint kept and
 * restored at the end (not the last epoch); a progress report per epoch; cancellation through an
 * AbortSignal-like `{ aborted }` checked between batches. Every tensor made in an epoch is freed in it.
 */
import {
  add,
  addN,
  dispose,
  div,
  gather,
  keep,
  losses,
  maximum,
  minimum,
  mul,
  scalar,
  sqrt,
  square,
  stack,
  sub,
  sum,
  tensor1d,
  tensor2d,
  tidy,
  variableGrads,
} from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Scalar, Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { AdamW } from './adamw';
import { ModelConfigError, ModelDataError } from './errors';
import type { Network } from './network';
import { type Matrix, runNetwork, runNetworkAsync } from './predict';
import { SeedStream } from './random';
import type { CancelSignal } from '../data/cancel';

/** Rows to learn from: features and targets (z-units; NaN where a row has no value for that target). */
export interface TrainingSet {
  readonly x: Matrix;
  /** [rows × targets] row-major, targets in the network's order; NaN = no observation. */
  readonly y: Float32Array;
  /** [rows] 1 (PD below threshold) / 0, NaN = no label; needed with a classification head. */
  readonly labels?: Float32Array | null;
}

export interface TrainingOptions {
  /** Maximum epochs. */
  readonly epochs: number;
  /** Rows per step, or 'full' (one step per epoch, as the reference). */
  readonly batchSize: number | 'full';
  readonly learningRate: number;
  /** Decoupled weight decay (dense kernels). */
  readonly weightDecay: number;
  /** Early stopping: epochs without a new best validation loss before stopping. */
  readonly patience: number;
  /** Epochs without improvement before the learning rate is multiplied by lrFactor. */
  readonly lrPatience: number;
  readonly lrFactor: number;
  readonly minLearningRate: number;
  /** Weight of the MoE load-balancing loss. */
  readonly auxLossWeight: number;
  /** Weight of the binary cross-entropy of the classification head. */
  readonly classificationWeight: number;
  /** Clip the gradients' global norm to this value; null: no clipping. */
  readonly gradientClipNorm: number | null;
  /** Seeds batch order, dropout masks and router noise (initial weights: the network's seed). */
  readonly seed: number;
}

/**
 * Defaults. The reference's lr 1e-4 with 300 full-batch epochs is 300 Adam steps of at most ~1e-4
 * each: the networks stay under-fitted. Mini-batches of 64 (12–17 steps per epoch on EstData) at
 * lr 1e-3 take ~15× more steps per epoch; plateau halving and early stopping (best checkpoint
 * restored) guard against the larger rate. Measured (ResMLP-MoE, PD, EstData reference split, cpu):
 * lr 1e-4 full batch — best validation MSE 0.097 at epoch 161, training MSE still 0.19, 623 s;
 * lr 1e-3 batch 64 — 0.069, 104 s. Weight decay 1e-4, patience 30 as the reference.
 */
export const DEFAULT_TRAINING: TrainingOptions = Object.freeze({
  epochs: 300,
  batchSize: 64,
  learningRate: 1e-3,
  weightDecay: 1e-4,
  patience: 30,
  lrPatience: 10,
  lrFactor: 0.5,
  minLearningRate: 1e-6,
  auxLossWeight: 0.01,
  classificationWeight: 0.1,
  gradientClipNorm: null,
  seed: 0,
});

export interface EpochProgress {
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean regression MSE (z-units) over the epoch's batches, in training mode (dropout on). */
  readonly trainLoss: number;
  /** Regression MSE on the validation rows in inference mode; null without validation rows. */
  readonly valLoss: number | null;
  /** Mean load-balancing loss over the epoch (1 = uniform routing; 0 without MoE blocks). */
  readonly auxLoss: number;
  /** Learning rate used in this epoch. */
  readonly lr: number;
  readonly elapsedMs: number;
  /** Time left if every remaining epoch runs (early stopping may end sooner). */
  readonly etaMs: number;
  readonly bestEpoch: number;
}

export type { CancelSignal };

export interface TrainingHooks {
  readonly onEpoch?: (progress: EpochProgress) => void;
  readonly signal?: CancelSignal;
}

export type StopReason = 'max-epochs' | 'early-stopping' | 'cancelled';

export interface TrainingResult {
  readonly history: EpochProgress[];
  /** Epoch (1-based) whose weights the network holds now; 0 if cancelled before the first epoch ended. */
  readonly bestEpoch: number;
  /** Loss monitored for early stopping at the best epoch. */
  readonly bestLoss: number;
  /** 'val' with validation rows, else 'train' (the epoch's training loss). */
  readonly monitored: 'val' | 'train';
  readonly epochsRun: number;
  readonly stopReason: StopReason;
  readonly elapsedMs: number;
  /** Training rows routed to each expert per MoE block by the restored network (empty without MoE). */
  readonly expertUsage: number[][];
}

export function resolveTrainingOptions(options: Partial<TrainingOptions> = {}): TrainingOptions {
  const o = { ...DEFAULT_TRAINING, ...options };
  const positiveInt = (v: number): boolean => Number.isInteger(v) && v > 0;
  // What a user sets (the training form checks the same before a run; the headless runner passes its options here).
  if (!positiveInt(o.epochs)) throw new ModelConfigError(`The maximum epochs must be a whole number of at least 1, got ${o.epochs}.`);
  if (o.batchSize !== 'full' && !positiveInt(o.batchSize))
    throw new ModelConfigError(`The batch size must be a whole number of at least 1, got ${o.batchSize}.`);
  if (!(o.learningRate > 0)) throw new ModelConfigError(`The learning rate must be a number above 0, got ${o.learningRate}.`);
  if (!positiveInt(o.patience)) throw new ModelConfigError(`The patience must be a whole number of at least 1, got ${o.patience}.`);
  // The library's own constants: a bad value is a fault of the code.
  if (!(o.weightDecay >= 0)) throw new Error(`training options: weight decay must be ≥ 0, got ${o.weightDecay}`);
  if (!positiveInt(o.lrPatience)) throw new Error(`training options: LR patience must be a positive integer, got ${o.lrPatience}`);
  if (!(o.lrFactor > 0 && o.lrFactor < 1)) throw new Error(`training options: LR factor must be in (0, 1), got ${o.lrFactor}`);
  if (o.gradientClipNorm !== null && !(o.gradientClipNorm > 0)) throw new Error('training options: gradient clip norm must be > 0 or null');
  return Object.freeze(o);
}

interface DeviceSet {
  readonly x: Tensor2D;
  /** Targets with NaN replaced by 0, and the observed mask. */
  readonly y: Tensor2D;
  readonly yMask: Tensor2D;
  readonly labels: Tensor2D | null;
  readonly labelMask: Tensor2D | null;
  readonly rows: number;
}

function checkSet(net: Network, set: TrainingSet, what: string): void {
  const T = net.config.targets.length;
  if (set.x.columns !== net.config.architecture.nInputs)
    throw new Error(`${what}: ${set.x.columns} features, the network expects ${net.config.architecture.nInputs}`);
  if (set.y.length !== set.x.rows * T) throw new Error(`${what}: targets must be [rows × ${T}]`);
  if (net.config.classification && (!set.labels || set.labels.length !== set.x.rows))
    throw new Error(`${what}: the classification head needs one label per row`);
  // The inputs were checked in words before (input-check.ts): a non-finite value here is a fault of the code.
  if (!set.x.values.every(Number.isFinite)) throw new Error(`${what}: features must be finite`);
}

function toDevice(set: TrainingSet, withLabels: boolean): DeviceSet {
  const T = set.y.length / set.x.rows;
  const y = new Float32Array(set.y.length);
  const mask = new Float32Array(set.y.length);
  set.y.forEach((v, i) => {
    if (Number.isFinite(v)) {
      y[i] = v;
      mask[i] = 1;
    }
  });
  let labels: Tensor2D | null = null;
  let labelMask: Tensor2D | null = null;
  if (withLabels && set.labels) {
    const l = new Float32Array(set.x.rows);
    const m = new Float32Array(set.x.rows);
    set.labels.forEach((v, i) => {
      if (Number.isFinite(v)) {
        l[i] = v;
        m[i] = 1;
      }
    });
    labels = tensor2d(l, [set.x.rows, 1]);
    labelMask = tensor2d(m, [set.x.rows, 1]);
  }
  return {
    x: tensor2d(set.x.values, [set.x.rows, set.x.columns]),
    y: tensor2d(y, [set.x.rows, T]),
    yMask: tensor2d(mask, [set.x.rows, T]),
    labels,
    labelMask,
    rows: set.x.rows,
  };
}

function disposeDevice(d: DeviceSet): void {
  dispose([d.x, d.y, d.yMask, ...(d.labels ? [d.labels] : []), ...(d.labelMask ? [d.labelMask] : [])]);
}

/** Σ mask·(pred − y)² / max(Σ mask, 1). */
function maskedMse(pred: Tensor, y: Tensor, mask: Tensor): Scalar {
  return div(sum(mul(square(sub(pred, y)), mask)), maximum(sum(mask), 1)) as Scalar;
}

/** Regression MSE of the network (inference mode) on a set; NaN targets skipped. */
export function evaluateLoss(net: Network, set: TrainingSet): number {
  return mseOf(runNetwork(net, set.x).regression, set.y);
}

/** As evaluateLoss, reading the predictions asynchronously. */
export async function evaluateLossAsync(net: Network, set: TrainingSet): Promise<number> {
  return mseOf((await runNetworkAsync(net, set.x)).regression, set.y);
}

function mseOf(pred: Float32Array, y: Float32Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    if (!Number.isFinite(y[i])) continue;
    s += (pred[i] - y[i]) ** 2;
    n += 1;
  }
  return n === 0 ? Number.NaN : s / n;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Yield between batches at most this often, so a worker sees a cancel message within ~this time plus one batch. */
const YIELD_EVERY_MS = 100;

export async function trainNetwork(
  net: Network,
  train: TrainingSet,
  val: TrainingSet | null,
  options: Partial<TrainingOptions> = {},
  hooks: TrainingHooks = {},
): Promise<TrainingResult> {
  const o = resolveTrainingOptions(options);
  checkSet(net, train, 'training rows');
  if (train.x.rows === 0) throw new Error('trainNetwork: no training rows');
  const hasVal = val !== null && val.x.rows > 0 && val.y.some(Number.isFinite);
  if (hasVal) checkSet(net, val, 'validation rows');
  const started = performance.now();
  const seeds = new SeedStream(o.seed);
  const order = seeds.fork('batch-order');
  const random = seeds.fork('dropout-and-noise');
  const variables = net.parameters.variables;
  const optimizer = new AdamW(net.parameters.parameters, {
    learningRate: o.learningRate,
    weightDecay: o.weightDecay,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
  });
  const device = toDevice(train, net.config.classification);
  const N = device.rows;
  const batchSize = o.batchSize === 'full' ? N : Math.min(o.batchSize, N);
  const history: EpochProgress[] = [];
  let best: Tensor[] | null = null;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let badEpochs = 0;
  let stopReason: StopReason = 'max-epochs';
  let lastYield = performance.now();

  const batchLoss = (index: Tensor | null): { total: Scalar; mse: Scalar; aux: Scalar } => {
    const pick = <T extends Tensor>(t: T): T => (index ? (gather(t, index) as T) : t);
    const out = net.forward(pick(device.x), { kind: 'training', random });
    const mse = maskedMse(out.regression, pick(device.y), pick(device.yMask));
    const terms: Scalar[] = [mse];
    if (o.auxLossWeight > 0 && out.usage.length > 0) terms.push(mul(out.aux, o.auxLossWeight));
    if (out.logits && device.labels && device.labelMask && o.classificationWeight > 0) {
      const bce = losses.sigmoidCrossEntropy(pick(device.labels), out.logits, pick(device.labelMask));
      terms.push(mul(bce, o.classificationWeight));
    }
    return { total: terms.length === 1 ? mse : (addN(terms) as Scalar), mse, aux: out.aux };
  };

  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      if (hooks.signal?.aborted) {
        stopReason = 'cancelled';
        break;
      }
      const lr = optimizer.learningRate;
      const permutation = batchSize < N ? order.permutation(N) : null;
      let sums = tensor1d([0, 0]);
      let cancelled = false;
      for (let start = 0; start < N; start += batchSize) {
        if (hooks.signal?.aborted) {
          cancelled = true;
          break;
        }
        const n = Math.min(batchSize, N - start);
        const next = tidy(() => {
          const index = permutation ? tensor1d(permutation.subarray(start, start + n), 'int32') : null;
          // the losses' parts leave variableGrads's scope kept, and are freed here
          let stats: Tensor | null = null;
          const { grads } = variableGrads(() => {
            const l = batchLoss(index);
            stats = keep(stack([l.mse, l.aux]));
            return l.total;
          }, variables);
          optimizer.step(o.gradientClipNorm === null ? grads : clipByGlobalNorm(grads, o.gradientClipNorm));
          const kept = stats as unknown as Tensor;
          const updated = add(sums, mul(kept, n)) as Tensor1D;
          kept.dispose();
          return updated;
        });
        sums.dispose();
        sums = next;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const [mseSum, auxSum] = Array.from(await sums.data());
      sums.dispose();
      if (cancelled) {
        stopReason = 'cancelled';
        break;
      }
      const trainLoss = mseSum / N;
      const valLoss = hasVal ? await evaluateLossAsync(net, val) : null;
      const monitored = valLoss ?? trainLoss;
      if (monitored < bestLoss) {
        bestLoss = monitored;
        bestEpoch = epoch;
        badEpochs = 0;
        if (best) dispose(best);
        best = net.parameters.snapshot();
      } else {
        badEpochs += 1;
        if (badEpochs > o.lrPatience) {
          optimizer.learningRate = Math.max(optimizer.learningRate * o.lrFactor, o.minLearningRate);
          badEpochs = 0;
        }
      }
      const elapsedMs = performance.now() - started;
      const progress: EpochProgress = {
        epoch,
        epochs: o.epochs,
        trainLoss,
        valLoss,
        auxLoss: auxSum / N,
        lr,
        elapsedMs,
        etaMs: (elapsedMs / epoch) * (o.epochs - epoch),
        bestEpoch,
      };
      history.push(progress);
      hooks.onEpoch?.(progress);
      if (!Number.isFinite(trainLoss))
        throw new ModelDataError(
          `Training diverged at epoch ${epoch} (the training loss became ${trainLoss}). Lower the learning rate (under Advanced) or choose another seed, and train again.`,
        );
      if (epoch - bestEpoch >= o.patience) {
        stopReason = 'early-stopping';
        break;
      }
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    if (best) net.parameters.restore(best);
  } finally {
    if (best) dispose(best);
    optimizer.dispose();
    disposeDevice(device);
  }
  return {
    history,
    bestEpoch,
    bestLoss,
    monitored: hasVal ? 'val' : 'train',
    epochsRun: history.length,
    stopReason,
    elapsedMs: performance.now() - started,
    expertUsage: (await runNetworkAsync(net, train.x)).usage,
  };
}

/** Scales all gradients by min(1, maxNorm / ‖g‖₂) over their concatenation. */
function clipByGlobalNorm(grads: NamedTensorMap, maxNorm: number): NamedTensorMap {
  const names = Object.keys(grads);
  const norm = sqrt(addN(names.map((k) => sum(square(grads[k])))));
  const factor = minimum(scalar(1), div(scalar(maxNorm), maximum(norm, 1e-12)));
  return Object.fromEntries(names.map((k) => [k, mul(grads[k], factor)]));
}
