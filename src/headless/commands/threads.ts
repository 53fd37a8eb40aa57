/**
 * Headless command 'wasm-threads' { rows?, width?, repeats? }: TF.js's WebAssembly backend on this
 * page's thread count (src/platform/threads.ts; the runner's `--threads N`, the page's `?threads=N`).
 * Runs a fixed three-layer network (fused matMul + bias + ReLU, weights and inputs from sin/cos,
 * no randomness) forward on `rows` inputs and returns its outputs, so that two pages with different
 * thread counts can be compared value by value, and the milliseconds per forward pass over `repeats`.
 */
import { dispose, fused, tensor1d, tensor2d, tidy, type Tensor2D } from '@tensorflow/tfjs-core';
import { activateBackend, wasmThreadCount } from '../../platform/tfjs-runtime';
import { threadCount, threadSetting } from '../../platform/threads';
import { registerHeadlessCommand } from '../registry';

export interface WasmThreadsResult {
  crossOriginIsolated: boolean;
  /** The page's setting (undefined: the default) and the count threadCount() gave. */
  setting: number | undefined;
  threadCount: number;
  /** The threads TF.js's WebAssembly backend reports after initialising. */
  wasmThreads: number;
  outputs: number[];
  msPerPass: number;
}

/** A rows × cols matrix of deterministic values: sin of a scaled index, times `gain`. */
function fixedMatrix(rows: number, cols: number, scale: number, gain = 1): Tensor2D {
  const values = Float32Array.from({ length: rows * cols }, (_, i) => gain * Math.sin(i * scale + 0.5));
  return tensor2d(values, [rows, cols]);
}

registerHeadlessCommand('wasm-threads', async (raw) => {
  const args = (raw ?? {}) as { rows?: number; width?: number; repeats?: number };
  const rows = args.rows ?? 256;
  const width = args.width ?? 256;
  const repeats = args.repeats ?? 5;
  await activateBackend('wasm');
  const input = fixedMatrix(rows, width, 0.37);
  const layers = [0.011, 0.013, 0.017].map((scale, i) => ({
    weights: fixedMatrix(width, width, scale, 1 / Math.sqrt(width)),
    bias: tensor1d(Array.from({ length: width }, (_, j) => 0.1 * Math.sin(j + i))),
  }));
  const forward = (): Tensor2D =>
    tidy(() => {
      let x = input;
      layers.forEach((layer, i) => {
        x = fused.matMul({ a: x, b: layer.weights, bias: layer.bias, activation: i < layers.length - 1 ? 'relu' : 'linear' }) as Tensor2D;
      });
      return x;
    });
  const first = forward();
  const outputs = Array.from(await first.data());
  first.dispose();
  const start = performance.now();
  for (let i = 0; i < repeats; i += 1) {
    const out = forward();
    await out.data();
    out.dispose();
  }
  const msPerPass = (performance.now() - start) / repeats;
  dispose([input, ...layers.flatMap((layer) => [layer.weights, layer.bias])]);
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    setting: threadSetting(),
    threadCount: threadCount(),
    wasmThreads: wasmThreadCount(),
    outputs,
    msPerPass,
  } satisfies WasmThreadsResult;
});
