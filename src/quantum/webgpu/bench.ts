/**
 * Throughput of the quantum layer through TF.js on the current backend (meant for 'webgpu'): forward, and
 * forward + gradient (tf.grads of a weighted sum, i.e. the forward kernel, the adjoint kernel and TF.js's small
 * slice/sum ops). Each timing awaits the data, so GPU time and the read-back are included; pipelines are compiled
 * in a warm-up first; the figure is the median over repeats.
 */
import { backend as currentBackend, engine, getBackend, grads, mul, sum, tensor2d, tensor3d, tidy } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { NamedAttrMap, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { reuploadingStronglyEntangling } from '../template';
import { seededRandom, uniformArray } from '../testing/random';
import { attrsForTemplate } from '../tfjs/circuit-cache';
import { QNN_LAYER_GRAD } from '../tfjs/kernel-names';
import { qnnLayer } from '../tfjs/qnn-layer';
import { setWebGpuQnnTuning, webGpuQnnTuning, webGpuQnnTuningOverride } from '../tfjs/webgpu-kernels';
import type { KernelTuning } from './kernel-plan';

export interface WebGpuBenchOptions {
  readonly nQubits?: number;
  readonly nLayers?: number;
  readonly batches?: readonly number[];
  /** time spent per batch size and mode (at least `minRepeats` runs) */
  readonly seconds?: number;
  readonly minRepeats?: number;
  /** kernel shape to use for this run (default: the per-adapter one; restored afterwards) */
  readonly tuning?: KernelTuning;
}

export interface WebGpuBenchRow {
  readonly batch: number;
  readonly forwardSamplesPerSecond: number;
  readonly gradientSamplesPerSecond: number;
  /** the adjoint kernel alone (QnnLayerGrad: it re-runs the forward sweep), without TF.js's gradient machinery */
  readonly adjointKernelSamplesPerSecond: number;
  readonly forwardMs: readonly number[];
  readonly gradientMs: readonly number[];
  readonly adjointKernelMs: readonly number[];
  /** first call of each mode, pipeline compilation included */
  readonly warmupMs: { readonly forward: number; readonly gradient: number };
}

export interface WebGpuBenchResult {
  readonly backend: string;
  readonly nQubits: number;
  readonly nLayers: number;
  readonly tuning: KernelTuning;
  readonly rows: readonly WebGpuBenchRow[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeIt(run: () => Tensor[]): Promise<number> {
  const start = performance.now();
  const outputs = run();
  await Promise.all(outputs.map((t) => t.data()));
  const elapsed = performance.now() - start;
  outputs.forEach((t) => t.dispose());
  return elapsed;
}

async function repeat(run: () => Tensor[], seconds: number, minRepeats: number): Promise<number[]> {
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRepeats || performance.now() - start < seconds * 1000) times.push(await timeIt(run));
  return times;
}

export async function benchWebGpuKernel(options: WebGpuBenchOptions = {}): Promise<WebGpuBenchResult> {
  const nQubits = options.nQubits ?? 9;
  const nLayers = options.nLayers ?? 3;
  const batches = options.batches ?? [256, 1024, 4096];
  const seconds = options.seconds ?? 3;
  const minRepeats = options.minRepeats ?? 3;
  const template = reuploadingStronglyEntangling(nQubits, nLayers);
  const previousTuning = webGpuQnnTuningOverride();
  if (options.tuning) setWebGpuQnnTuning(options.tuning);
  const tuning = webGpuQnnTuning(getBackend() === 'webgpu' ? (currentBackend() as WebGPUBackend) : undefined);
  const rows: WebGpuBenchRow[] = [];
  try {
    for (const batch of batches) {
      const random = seededRandom(1000 + batch);
      const x = tensor2d(Float32Array.from(uniformArray(random, batch * nQubits, -Math.PI, Math.PI)), [batch, nQubits], 'float32');
      const w = tensor3d(Float32Array.from(uniformArray(random, nLayers * nQubits * 3, 0, 2 * Math.PI)), [nLayers, nQubits, 3], 'float32');
      const c = tensor2d(Float32Array.from(uniformArray(random, batch * 4 * nQubits, -1, 1)), [batch, 4 * nQubits], 'float32');
      const forwardRun = (): Tensor[] => [qnnLayer(x, w, template)];
      const gradientRun = (): Tensor[] =>
        tidy(() => grads((a: Tensor, b: Tensor) => sum(mul(qnnLayer(a as Tensor2D, b as Tensor3D, template), c)))([x, w]));
      const attrs = attrsForTemplate(template) as unknown as NamedAttrMap;
      const adjointRun = (): Tensor[] => [engine().runKernel(QNN_LAYER_GRAD, { x, weights: w, dy: c }, attrs) as Tensor];
      try {
        const warmForward = await timeIt(forwardRun);
        const warmGradient = await timeIt(gradientRun);
        const forwardMs = await repeat(forwardRun, seconds, minRepeats);
        const gradientMs = await repeat(gradientRun, seconds, minRepeats);
        const adjointKernelMs = await repeat(adjointRun, seconds, minRepeats);
        rows.push({
          batch,
          forwardSamplesPerSecond: batch / (median(forwardMs) / 1000),
          gradientSamplesPerSecond: batch / (median(gradientMs) / 1000),
          adjointKernelSamplesPerSecond: batch / (median(adjointKernelMs) / 1000),
          forwardMs,
          gradientMs,
          adjointKernelMs,
          warmupMs: { forward: warmForward, gradient: warmGradient },
        });
      } finally {
        x.dispose();
        w.dispose();
        c.dispose();
      }
    }
  } finally {
    setWebGpuQnnTuning(previousTuning);
  }
  return { backend: getBackend(), nQubits, nLayers, tuning, rows };
}
