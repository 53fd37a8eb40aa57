/**
 * qnnLayer(x, weights, template): the quantum layer as an ordinary differentiable TF.js op. x [B, nInputs] are
 * the input angles, weights [nLayers, nQubits, 3] the trainable angles (an explicit input, so tf.grads,
 * tf.variableGrads and optimizer.minimize see it), the result [B, nOutputs] the template's readout. Kernels:
 * 'cpu' (float64 simulator) and 'webgpu' (generated WGSL); the gradient is the adjoint method on both.
 */
// tfjs-core alone registers no gradients; qnnLayer is meant to sit inside differentiated models
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { cast, engine, tidy } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { QuantumShapeError } from '../errors';
import type { CircuitTemplate } from '../template';
import { attrsForTemplate } from './circuit-cache';
import { registerCpuQnnKernels } from './cpu-kernels';
import { registerQnnLayerGradient } from './gradient';
import { QNN_LAYER } from './kernel-names';
import { registerWebGpuQnnKernels } from './webgpu-kernels';

registerCpuQnnKernels();
registerWebGpuQnnKernels();
registerQnnLayerGradient();

function float32<T extends Tensor>(t: T): T {
  return t.dtype === 'float32' ? t : (cast(t, 'float32') as T);
}

export function qnnLayer(x: Tensor2D, weights: Tensor3D, template: CircuitTemplate): Tensor2D {
  if (x.rank !== 2 || x.shape[1] !== template.nInputs) {
    throw new QuantumShapeError(`qnnLayer: x must have shape [batch, ${template.nInputs}], got [${x.shape.join(', ')}]`);
  }
  const expected = [template.nLayers, template.nQubits, 3];
  if (weights.rank !== 3 || weights.shape.some((d, i) => d !== expected[i]) || weights.size !== template.nWeights) {
    throw new QuantumShapeError(`qnnLayer: weights must have shape [${expected.join(', ')}], got [${weights.shape.join(', ')}]`);
  }
  const attrs = attrsForTemplate(template) as unknown as NamedAttrMap;
  // tidy: a cast of integer inputs is an intermediate, not a leak
  return tidy(() => engine().runKernel(QNN_LAYER, { x: float32(x), weights: float32(weights) }, attrs) as Tensor2D);
}
