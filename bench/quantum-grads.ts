/**
 * The quantum layer's gradient through TF.js beside the bare adjoint (issue 16, scope 4 A): per batch, the median
 * time of (a) the simulator's `vjp` alone (readouts + adjoint sweep), (b) `tf.grads` of Σ cotangent·qnnLayer(x, w)
 * through the op on the TF.js cpu backend, whose gradient kernel reuses the states the forward kernel kept, and
 * (c) the same tf.grads with the reuse switched off (the gradient kernel recomputes the states: what it cost before). Modes alternate over several rounds; each round times every mode for `SECONDS`.
 * Usage: npx tsx scripts/vite-run.ts bench/quantum-grads.ts   (prints JSON)
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import os from 'node:os';
import { compileCircuit } from '../src/quantum/compile';
import { vjp } from '../src/quantum/simulator';
import { reuploadingStronglyEntangling } from '../src/quantum/template';
import { qnnLayer } from '../src/quantum/tfjs';
import { qnnKernelTime, setQnnStateReuse } from '../src/quantum/tfjs/cpu-kernels';
import { circuitInputs } from '../src/quantum/testing/circuit-inputs';
import { measureThroughput, median } from './quantum/throughput';

const SHAPES = [
  [8, 3],
  [9, 3],
];
const BATCHES = [64, 256, 1024];
const ROUNDS = 3;
const SECONDS = 1;

const loadAtStart = os.loadavg()[0];
await tf.setBackend('cpu');
const results: Record<string, unknown> = {};
for (const [n, layers] of SHAPES) {
  const template = reuploadingStronglyEntangling(n, layers);
  const circuit = compileCircuit(template);
  for (const batch of BATCHES) {
    const inputs = circuitInputs(circuit, batch, batch);
    const x = tf.tensor2d(Float32Array.from(inputs.x), [batch, n]);
    const w = tf.tensor3d(Float32Array.from(inputs.weights), [layers, n, 3]);
    const c = tf.tensor2d(Float32Array.from(inputs.cotangent), [batch, circuit.nOutputs]);
    const read = async (tensors: tf.Tensor[]): Promise<void> => {
      await Promise.all(tensors.map((t) => t.data()));
      tf.dispose(tensors);
    };
    const grads = () =>
      read(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(qnnLayer(a as tf.Tensor2D, b as tf.Tensor3D, template), c)))([x, w]));
    const modes = {
      bare_vjp: () => vjp(circuit, inputs.x, inputs.weights, batch, inputs.cotangent),
      tf_grads: () =>
        read(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(qnnLayer(a as tf.Tensor2D, b as tf.Tensor3D, template), c)))([x, w])),
      tf_grads_recomputing: async () => {
        setQnnStateReuse(false);
        try {
          await grads();
        } finally {
          setQnnStateReuse(true);
        }
      },
    };
    const times: Record<string, number[]> = { bare_vjp: [], tf_grads: [], tf_grads_recomputing: [] };
    // the time inside the two quantum kernels during tf_grads (the rest: the loss's mul and sum, their gradients, slicing)
    const kernels: number[] = [];
    for (const run of Object.values(modes)) await run();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(modes)) {
        const before = qnnKernelTime();
        const measured = await measureThroughput(batch, run, { seconds: SECONDS });
        times[name].push(measured.median_ms);
        const after = qnnKernelTime();
        if (name === 'tf_grads') kernels.push((after.forwardMs - before.forwardMs + after.gradientMs - before.gradientMs) / measured.runs);
      }
    }
    tf.dispose([x, w, c]);
    const ms = Object.fromEntries(Object.entries(times).map(([name, t]) => [name, Number(median(t).toFixed(3))]));
    results[`n${n}_L${layers}_batch_${batch}`] = {
      median_ms: ms,
      tf_grads_over_bare_vjp: Number((ms.tf_grads / ms.bare_vjp).toFixed(3)),
      tf_grads_quantum_kernels_ms: Number(median(kernels).toFixed(3)),
      tf_grads_quantum_kernels_over_bare_vjp: Number((median(kernels) / ms.bare_vjp).toFixed(3)),
      tf_grads_recomputing_over_bare_vjp: Number((ms.tf_grads_recomputing / ms.bare_vjp).toFixed(3)),
    };
  }
}
const report = {
  bench: 'quantum-grads',
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    node: process.version,
    load_average_1m: { start: Number(loadAtStart.toFixed(2)), end: Number(os.loadavg()[0].toFixed(2)) },
  },
  config: {
    backend: 'TF.js cpu, Node through Vite’s module runner',
    timing: `per mode and round: runs for ${SECONDS} s (at least 3), median; median of ${ROUNDS} alternating rounds`,
    modes: {
      bare_vjp: 'simulator vjp on float64 arrays (readouts + adjoint sweep), no TF.js',
      tf_grads:
        'tf.grads of Σ cotangent·qnnLayer(x, w) w.r.t. x and weights: forward kernel (keeps the states) + gradient kernel (reuses them)',
      forward_then_recomputing_gradient_kernel:
        'forward kernel outside a tape, then the gradient kernel recomputing the states (the cost of tf.grads before the reuse)',
    },
  },
  results,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
