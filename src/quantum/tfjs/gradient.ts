/**
 * The gradient of QnnLayer: one QnnLayerGrad kernel call (the adjoint sweep) gives ∂/∂x per sample and the
 * per-sample contributions to ∂/∂weights, which are summed over the batch here.
 */
import { engine, reshape, slice, sum } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { QNN_LAYER, QNN_LAYER_GRAD } from './kernel-names';
import { replaceGradient } from './replace-registration';

export const qnnLayerGradConfig: GradConfig = {
  kernelName: QNN_LAYER,
  inputsToSave: ['x', 'weights'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, weights] = saved;
    const [batch, nInputs] = x.shape;
    const nWeights = weights.size;
    // created here, not in the closures, so both share one kernel call; the engine's backward tidy disposes it
    const packed = engine().runKernel(QNN_LAYER_GRAD, { x, weights, dy: dy as Tensor }, attrs) as Tensor2D;
    return {
      x: () => slice(packed, [0, 0], [batch, nInputs]),
      // sum first, then take the weight part of one row: a 2-D column slice is slow on the cpu backend
      weights: () => reshape(slice(sum(packed, 0), [nInputs], [nWeights]), weights.shape),
    };
  },
};

export function registerQnnLayerGradient(): void {
  replaceGradient(qnnLayerGradConfig);
}
