import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecture } from '../quantum/resources/architecture';
import { regressionMetrics } from './metrics';
import { createNetwork, type NetworkConfig } from './network';
import { matrix, predictZ } from './predict';
import { randomMatrix, useCpuBackend } from './test-support';
import { evaluateLoss, trainNetwork, type TrainingSet } from './train-network';

beforeAll(useCpuBackend);

/** y = sin(2·x1) + x2·x3 − 0.5·x4² on standard-normal inputs (x5 is noise-free but irrelevant). */
function synthetic(rows: number, seed: number, sign = 1): TrainingSet {
  const x = randomMatrix(rows, 5, seed);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = x.subarray(i * 5, i * 5 + 5);
    y[i] = sign * (Math.sin(2 * r[0]) + r[1] * r[2] - 0.5 * r[3] * r[3]);
  }
  return { x: matrix(x, 5), y };
}

const variance = (v: Float32Array): number => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
};

const net = (encoder: NetworkConfig['encoder'], extra: Partial<NetworkConfig> = {}, arch: object = {}) =>
  createNetwork({
    encoder,
    architecture: architecture({
      nInputs: 5,
      hidden: 16,
      depth: 2,
      headHidden: 8,
      experts: 4,
      topK: 2,
      nQubits: 2,
      nLayers: 1,
      dropout: 0,
      ...arch,
    }),
    targets: ['pd'],
    classification: false,
    routerNoise: 0.5,
    seed: 1,
    ...extra,
  });

describe('trainNetwork', () => {
  it('learns a known function: loss far below the variance, validation R² > 0.9', async () => {
    const train = synthetic(384, 1);
    const val = synthetic(128, 2);
    const model = net('resmlp');
    const result = await trainNetwork(model, train, val, { epochs: 40, batchSize: 32, learningRate: 5e-3, patience: 40, seed: 3 });
    const pred = predictZ(model, val.x);
    const metrics = regressionMetrics(val.y, pred);
    expect(result.bestLoss).toBeLessThan(0.1 * variance(val.y));
    expect(metrics.r2).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('early stopping restores the best epoch, not the last; LR halves on plateau', async () => {
    // validation targets are the negated function: the better the fit, the worse the validation loss
    const train = synthetic(128, 1);
    const val = synthetic(64, 2, -1);
    const model = net('mlp');
    const result = await trainNetwork(model, train, val, {
      epochs: 200,
      batchSize: 32,
      learningRate: 3e-3,
      patience: 8,
      lrPatience: 2,
      seed: 3,
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(result.epochsRun).toBe(result.bestEpoch + 8);
    const last = result.history[result.history.length - 1];
    const bestVal = result.history[result.bestEpoch - 1].valLoss!;
    expect(last.valLoss!).toBeGreaterThan(bestVal);
    expect(evaluateLoss(model, val)).toBeCloseTo(bestVal, 6);
    expect(result.history.every((h) => h.valLoss! >= bestVal)).toBe(true);
    const rates = result.history.map((h) => h.lr);
    expect(Math.min(...rates)).toBeLessThanOrEqual(3e-3 / 4);
    model.dispose();
  });

  it('is reproducible: same seed → identical losses and predictions; another seed differs', async () => {
    const train = synthetic(96, 1);
    const val = synthetic(32, 2);
    const run = async (seed: number) => {
      const model = net('resmlp-moe', { seed }, { dropout: 0.2, hidden: 8, headHidden: 4 });
      const result = await trainNetwork(model, train, val, { epochs: 4, batchSize: 16, seed });
      const pred = predictZ(model, val.x);
      model.dispose();
      return { losses: result.history.map((h) => [h.trainLoss, h.valLoss, h.auxLoss]), pred: Array.from(pred) };
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('leaks no tensors across epochs or after training', async () => {
    const train = synthetic(64, 1);
    const val = synthetic(32, 2);
    const baseline = memory().numTensors;
    const model = net('qmoe-resmlp', {}, { dropout: 0.1, hidden: 8, headHidden: 4 });
    const withModel = memory().numTensors;
    const counts: number[] = [];
    const result = await trainNetwork(
      model,
      train,
      val,
      { epochs: 4, batchSize: 16, seed: 1 },
      { onEpoch: () => counts.push(memory().numTensors) },
    );
    expect(result.epochsRun).toBe(4);
    expect(new Set(counts).size).toBe(1);
    expect(memory().numTensors).toBe(withModel);
    model.dispose();
    expect(memory().numTensors).toBe(baseline);
  });

  it('stops when cancelled, keeping the best weights so far', async () => {
    const train = synthetic(64, 1);
    const signal = { aborted: false };
    const model = net('mlp');
    const result = await trainNetwork(
      model,
      train,
      null,
      { epochs: 50, batchSize: 16 },
      {
        signal,
        onEpoch: (p) => {
          if (p.epoch === 3) signal.aborted = true;
        },
      },
    );
    expect(result.stopReason).toBe('cancelled');
    expect(result.epochsRun).toBe(3);
    expect(result.monitored).toBe('train');
    model.dispose();
  });
});
