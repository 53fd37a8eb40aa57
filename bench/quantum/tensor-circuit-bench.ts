import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { CompiledCircuit } from '../../src/quantum/compile';
import { circuitInputs } from '../../src/quantum/testing/circuit-inputs';
import { measureThroughput, type Throughput } from './throughput';

/** A quantum layer as a TF.js function: x [B, n] and weights [L, n, 3] → readouts [B, 4n]. */
export type TensorCircuit = (x: tf.Tensor2D, weights: tf.Tensor3D) => tf.Tensor2D;

export type Timed = Throughput | { skipped: string; probe_samples_per_s: number };

export interface TensorCircuitRow {
  forward: Timed;
  forward_gradient: Timed;
}

export interface TensorCircuitBenchOptions {
  batches: readonly number[];
  seconds: number;
  /** A batch whose run would take longer than this, projected from a small probe batch, is not run. */
  maxRunSeconds: number;
}

const PROBE_BATCH = 16;

/**
 * Forward and forward + gradient (tf.grads of Σ cotangent·readout w.r.t. x and weights) of a TF.js
 * circuit function on the current backend; every run reads its results back, so GPU time counts.
 */
export async function benchTensorCircuit(
  circuit: CompiledCircuit,
  layer: TensorCircuit,
  { batches, seconds, maxRunSeconds }: TensorCircuitBenchOptions,
): Promise<Record<string, TensorCircuitRow>> {
  const rows: Record<string, TensorCircuitRow> = {};
  const probe = await timeModes(circuit, layer, PROBE_BATCH, { seconds: 0, minRuns: 1 });
  for (const batch of batches) {
    const runnable = (mode: keyof TensorCircuitRow): boolean => {
      const rate = (probe[mode] as Throughput).samples_per_s;
      return batch / rate <= maxRunSeconds;
    };
    const measured = await timeModes(circuit, layer, batch, { seconds }, runnable);
    const row = {} as TensorCircuitRow;
    for (const mode of ['forward', 'forward_gradient'] as const) {
      const rate = (probe[mode] as Throughput).samples_per_s;
      row[mode] = measured[mode] ?? {
        skipped: `projected ${(batch / rate).toFixed(0)} s per run from a batch-${PROBE_BATCH} probe (limit ${maxRunSeconds} s)`,
        probe_samples_per_s: rate,
      };
    }
    rows[`batch_${batch}`] = row;
  }
  return rows;
}

/** Times forward and forward + gradient at one batch size (after an untimed warm-up), for the modes allowed. */
async function timeModes(
  circuit: CompiledCircuit,
  layer: TensorCircuit,
  batch: number,
  timing: { seconds: number; minRuns?: number },
  allowed: (mode: keyof TensorCircuitRow) => boolean = () => true,
): Promise<Partial<Record<keyof TensorCircuitRow, Throughput>>> {
  const n = circuit.nQubits;
  const inputs = circuitInputs(circuit, batch, batch);
  const x = tf.tensor2d(Float32Array.from(inputs.x), [batch, n]);
  const w = tf.tensor3d(Float32Array.from(inputs.weights), [inputs.weights.length / (3 * n), n, 3]);
  const c = tf.tensor2d(Float32Array.from(inputs.cotangent), [batch, circuit.nOutputs]);
  const modes: Record<keyof TensorCircuitRow, () => Promise<unknown>> = {
    forward: () => readAndDispose([layer(x, w)]),
    forward_gradient: () =>
      readAndDispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layer(a as tf.Tensor2D, b as tf.Tensor3D), c)))([x, w])),
  };
  const out: Partial<Record<keyof TensorCircuitRow, Throughput>> = {};
  for (const mode of Object.keys(modes) as (keyof TensorCircuitRow)[]) {
    if (!allowed(mode)) continue;
    await modes[mode]();
    out[mode] = await measureThroughput(batch, modes[mode], timing);
  }
  tf.dispose([x, w, c]);
  return out;
}

async function readAndDispose(tensors: tf.Tensor[]): Promise<void> {
  await Promise.all(tensors.map((t) => t.data()));
  tf.dispose(tensors);
}
