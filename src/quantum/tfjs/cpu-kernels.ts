/**
 * QnnLayer and QnnLayerGrad for TF.js's 'cpu' (and 'wasm') backend: the float64 simulator run directly on the
 * tensors' data (float32 in, float64 inside, float32 out), with no per-sample tensors.
 */

import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { forward, vjp } from '../simulator';
import { circuitForAttrs } from './circuit-cache';
import { QNN_LAYER, QNN_LAYER_GRAD } from './kernel-names';
import { replaceKernel } from './replace-registration';

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
        const expvals = forward(circuit, float64(kernelBackend, x), float64(kernelBackend, weights), batch);
        return output(kernelBackend, [batch, circuit.nOutputs], Float32Array.from(expvals));
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
        const { gradX, gradWeights } = vjp(
          circuit,
          float64(kernelBackend, x),
          float64(kernelBackend, weights),
          batch,
          float64(kernelBackend, dy),
        );
        const { nInputs, nWeights } = circuit;
        const columns = nInputs + nWeights;
        const packed = new Float32Array(batch * columns);
        for (let b = 0; b < batch; b++) {
          for (let i = 0; i < nInputs; i++) packed[b * columns + i] = gradX[b * nInputs + i];
        }
        if (batch > 0) for (let j = 0; j < nWeights; j++) packed[nInputs + j] = gradWeights[j];
        return output(kernelBackend, [batch, columns], packed);
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
