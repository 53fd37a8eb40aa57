import * as tf from '@tensorflow/tfjs-core';
import { compileCircuit } from '../../src/quantum/compile';
import { reuploadingStronglyEntangling } from '../../src/quantum/template';
import { qnnLayer } from '../../src/quantum/tfjs';
import { tfjsOpsCircuit } from '../peers/tfjs-ops-circuit';
import { benchTensorCircuit, type TensorCircuitBenchOptions } from './tensor-circuit-bench';
import { benchTsSimulator } from './ts-simulator-bench';

export interface BrowserBenchOptions extends TensorCircuitBenchOptions {
  nQubits: number;
  nLayers: number;
}

/**
 * The browser half of the quantum benchmark, on the page's current TF.js backend: the WGSL kernels
 * through the registered op, the same circuit in TF.js ops, and the TS simulator in the same page.
 */
export async function benchQuantumInBrowser(options: BrowserBenchOptions) {
  const template = reuploadingStronglyEntangling(options.nQubits, options.nLayers);
  const circuit = compileCircuit(template);
  return {
    backend: tf.getBackend(),
    wgsl_kernel: await benchTensorCircuit(circuit, (x, w) => qnnLayer(x, w, template), options),
    tfjs_ops: await benchTensorCircuit(circuit, (x, w) => tfjsOpsCircuit(circuit, x, tf.reshape(w, [-1]) as tf.Tensor1D), options),
    ts_simulator: await benchTsSimulator(circuit, options.batches, options.seconds),
  };
}
