/**
 * QnnLayer and QnnLayerGrad for TF.js's 'cpu' (and 'wasm') backend: the float64 simulator run directly on the
 * tensors' data (float32 in, float64 inside, float32 out), with no per-sample tensors.
 *
 * A forward pass run under a gradient tape (tf.grads, variableGrads, minimize) keeps the per-stage states its
 * adjoint sweep needs, and the gradient kernel reuses them when its x and weights are the same values as that
 * forward's (src/quantum/batch/forward-records.ts); otherwise it recomputes them. Same bits either way.
 * The samples run through a QnnBatchRunner: this thread (the default) or split across threads
 * (setQnnBatchRunner, src/quantum/batch/shared-batch.ts).
 */

import { engine } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { ForwardRecords } from '../batch/forward-records';
import { type QnnBatchRunner, SerialBatchRunner } from '../batch/sample-job';
import { circuitForAttrs } from './circuit-cache';
import { QNN_LAYER, QNN_LAYER_GRAD } from './kernel-names';
import { replaceKernel } from './replace-registration';

const serialRunner = new SerialBatchRunner();
let runner: QnnBatchRunner = serialRunner;
const forwards = new ForwardRecords();
let reuseStates = true;

/** Whether forward passes under a gradient tape keep their states for the gradient (default true; false: the gradient recomputes them, as a benchmark's baseline). */
export function setQnnStateReuse(enabled: boolean): void {
  reuseStates = enabled;
  if (!enabled) releaseKeptQnnStates();
}

/** The runner the cpu/wasm kernels use from now on (null: back to this thread). */
export function setQnnBatchRunner(next: QnnBatchRunner | null): void {
  runner = next ?? serialRunner;
  forwards.clear();
}

/** Forgets the forward passes recorded for gradients and their kept states in this thread (tests, end of training). */
export function releaseKeptQnnStates(): void {
  forwards.clear();
  serialRunner.store.clear();
}

const spent = { forwardMs: 0, forwardCalls: 0, gradientMs: 0, gradientCalls: 0 };

/** Time this context has spent in the cpu/wasm quantum kernels (benchmarks: the layer's share of a training). */
export function qnnKernelTime(): { forwardMs: number; forwardCalls: number; gradientMs: number; gradientCalls: number } {
  return { ...spent };
}

/** Recorded forward passes and this thread's kept states, for tests. */
export function keptQnnStates(): { records: number; entries: number; bytes: number } {
  return { records: forwards.size, entries: serialRunner.store.size, bytes: serialRunner.store.heldBytes };
}

function float64(backend: KernelBackend, tensor: TensorInfo): Float64Array {
  return Float64Array.from(backend.readSync(tensor.dataId) as Float32Array);
}

function output(backend: KernelBackend, shape: number[], values: Float32Array): TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

export function qnnLayerKernels(backendName: string): KernelConfig[] {
  return [
    {
      kernelName: QNN_LAYER,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, weights } = inputs as { x: TensorInfo; weights: TensorInfo };
        const circuit = circuitForAttrs(attrs);
        const batch = x.shape[0];
        const kernelBackend = backend as KernelBackend;
        const started = performance.now();
        const x64 = float64(kernelBackend, x);
        const weights64 = float64(kernelBackend, weights);
        // under a gradient tape the gradient kernel will most likely follow with these same inputs
        const keep = reuseStates && engine().state.gradientDepth > 0 ? forwards.record(circuit, x64, weights64) : null;
        const expvals = runner.forward(circuit, x64, weights64, batch, keep);
        const result = output(kernelBackend, [batch, circuit.nOutputs], Float32Array.from(expvals));
        spent.forwardMs += performance.now() - started;
        spent.forwardCalls += 1;
        return result;
      },
    },
    {
      kernelName: QNN_LAYER_GRAD,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, weights, dy } = inputs as { x: TensorInfo; weights: TensorInfo; dy: TensorInfo };
        const circuit = circuitForAttrs(attrs);
        const batch = x.shape[0];
        const kernelBackend = backend as KernelBackend;
        const started = performance.now();
        const x64 = float64(kernelBackend, x);
        const weights64 = float64(kernelBackend, weights);
        const reuse = forwards.take(circuit, x64, weights64);
        const { gradX, gradWeights } = runner.vjp(circuit, x64, weights64, batch, float64(kernelBackend, dy), reuse);
        const { nInputs, nWeights } = circuit;
        const columns = nInputs + nWeights;
        const packed = new Float32Array(batch * columns);
        for (let b = 0; b < batch; b++) {
          for (let i = 0; i < nInputs; i++) packed[b * columns + i] = gradX[b * nInputs + i];
        }
        if (batch > 0) for (let j = 0; j < nWeights; j++) packed[nInputs + j] = gradWeights[j];
        const result = output(kernelBackend, [batch, columns], packed);
        spent.gradientMs += performance.now() - started;
        spent.gradientCalls += 1;
        return result;
      },
    },
  ];
}

/**
 * 'cpu', and 'wasm' with the same code (it only needs readSync and write); src/model/wasm-backend.test.ts checks
 * that both give the same values and gradients.
 */
export function registerCpuQnnKernels(): void {
  for (const backendName of ['cpu', 'wasm']) for (const config of qnnLayerKernels(backendName)) replaceKernel(config);
}
