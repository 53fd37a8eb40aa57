/**
 * The TF.js runtime of the app's pages and workers: the three backends, the quantum op's kernels
 * for each, and the WebAssembly binaries served from this origin (bundled by Vite, never fetched
 * from a CDN). `activateBackend` switches TF.js to the backend the policy chose; `failOnGpuLoss`
 * ends a run whose WebGPU device is lost.
 */
import '@tensorflow/tfjs-backend-cpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { engine, getBackend, ready, setBackend } from '@tensorflow/tfjs-core';
import '../quantum/tfjs/qnn-layer';
import type { ComputeBackend } from './compute-backend';
import { deviceLost } from './gpu-device-lost';
import { threadCount } from './threads';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});
// Read when the wasm backend initialises: TF.js takes its threaded binary only where the page is
// cross-origin isolated, and threadCount() is 1 where it is not.
setThreadsCount(threadCount());

/** The threads TF.js's WebAssembly backend runs on (1: the serial binary); known once that backend is initialised. */
export function wasmThreadCount(): number {
  return getThreadsCount();
}

export async function activateBackend(backend: ComputeBackend): Promise<void> {
  if (getBackend() !== backend) {
    const ok = await setBackend(backend);
    if (!ok) throw new Error(`TF.js backend "${backend}" could not be initialised in this browser`);
  }
  await ready();
}

/** `work`, or GpuDeviceLostError as soon as the active backend's WebGPU device is lost (its results would be wrong). */
export function failOnGpuLoss<T>(work: Promise<T>): Promise<T> {
  if (getBackend() !== 'webgpu') return work;
  return Promise.race([work, deviceLost((engine().backend as WebGPUBackend).device)]);
}
