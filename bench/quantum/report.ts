/**
 * The quantum-layer benchmark: the quantum layer (n = 9, L = 3, batches 256/1024/4096) measured side by
 * side in one run, printed as one JSON document — (a) the WGSL kernels through the TF.js op on the browser's
 * WebGPU adapter, (b) the same circuit in TF.js ops on the same backend (and on the CPU backend), (c) the float64
 * TypeScript simulator, (d) npm `quantum-circuit` (forward only); plus the TF.js op on the CPU backend and the
 * simulator's scaling over worker threads. Printed by `npm run --silent bench:quantum` and the headless `bench`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import os from 'node:os';
import { compileCircuit } from '../../src/quantum/compile';
import { reuploadingStronglyEntangling } from '../../src/quantum/template';
import { qnnLayer } from '../../src/quantum/tfjs';
import { openHeadlessSession } from '../../scripts/headless-driver';
import { tfjsOpsCircuit } from '../peers/tfjs-ops-circuit';
import type { BrowserBenchOptions } from './browser-bench';
import { benchQuantumCircuitPeer } from './quantum-circuit-peer';
import { benchTensorCircuit, type TensorCircuitRow, type Timed } from './tensor-circuit-bench';
import { benchTsSimulator, type ModeThroughput } from './ts-simulator-bench';
import { measureWorkerScaling } from './worker-scaling';

const N_QUBITS = 9;
const N_LAYERS = 3;
const BATCHES = [256, 1024, 4096];
const SECONDS = 1;
const MAX_RUN_SECONDS = 15;

type Rows = Record<string, TensorCircuitRow | ModeThroughput>;

function rate(timed: Timed): number | null {
  return 'samples_per_s' in timed ? timed.samples_per_s : null;
}

/** a / b per batch and mode, where both were measured. */
function ratios(a: Rows, b: Rows): Record<string, { forward: number | null; forward_gradient: number | null }> {
  const out: Record<string, { forward: number | null; forward_gradient: number | null }> = {};
  for (const key of Object.keys(a)) {
    const ratio = (mode: 'forward' | 'forward_gradient'): number | null => {
      const x = rate(a[key][mode]);
      const y = b[key] ? rate(b[key][mode]) : null;
      return x !== null && y !== null ? Number((x / y).toFixed(3)) : null;
    };
    out[key] = { forward: ratio('forward'), forward_gradient: ratio('forward_gradient') };
  }
  return out;
}

export async function quantumBenchmarkReport() {
  const template = reuploadingStronglyEntangling(N_QUBITS, N_LAYERS);
  const circuit = compileCircuit(template);
  const options = { batches: BATCHES, seconds: SECONDS, maxRunSeconds: MAX_RUN_SECONDS };
  const loadAtStart = os.loadavg()[0];

  await tf.setBackend('cpu');
  const tsSimulator = await benchTsSimulator(circuit, BATCHES, SECONDS);
  const tfjsOpCpu = await benchTensorCircuit(circuit, (x, w) => qnnLayer(x, w, template), options);
  const tfjsOpsCpu = await benchTensorCircuit(circuit, (x, w) => tfjsOpsCircuit(circuit, x, tf.reshape(w, [-1]) as tf.Tensor1D), options);
  const scaling = await measureWorkerScaling(N_QUBITS, N_LAYERS, 1024, 2, 3);

  const session = await openHeadlessSession();
  let browser: Awaited<ReturnType<typeof import('./browser-bench').benchQuantumInBrowser>>;
  let environment: unknown;
  try {
    environment = await session.run('environment');
    browser = await session.run('bench-quantum-browser', {
      nQubits: N_QUBITS,
      nLayers: N_LAYERS,
      ...options,
    } satisfies BrowserBenchOptions);
  } finally {
    await session.close();
  }
  const quantumCircuit = await benchQuantumCircuitPeer(circuit, N_LAYERS, 16);

  const report = {
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      node: process.version,
      browser: environment,
      load_average_1m: { start: Number(loadAtStart.toFixed(2)), end: Number(os.loadavg()[0].toFixed(2)) },
    },
    config: {
      n_qubits: N_QUBITS,
      n_layers: N_LAYERS,
      batches: BATCHES,
      timing: `one untimed warm-up run, then runs for ${SECONDS} s (at least 3); median; GPU results read back every run; a TF.js peer is first probed at batch 16 and a batch whose run is projected over ${MAX_RUN_SECONDS} s is skipped (marked)`,
      forward_gradient: 'readouts and tf.grads of Σ cotangent·readout w.r.t. inputs and weights (the simulator: its adjoint vjp)',
    },
    results: {
      wgsl_kernel_webgpu: { backend: 'WGSL kernels through the TF.js op, TF.js webgpu backend, headless Chromium', ...browser.wgsl_kernel },
      tfjs_ops_webgpu: { backend: 'the same circuit in TF.js ops (complex as real/imag pairs), webgpu backend', ...browser.tfjs_ops },
      ts_simulator_browser: { backend: 'float64 TypeScript simulator in the same Chromium page, one thread', ...browser.ts_simulator },
      ts_simulator_node: { backend: 'float64 TypeScript simulator, Node, one thread', ...tsSimulator },
      tfjs_op_cpu: { backend: 'the registered TF.js op on the TF.js cpu backend (runs the float64 simulator), Node', ...tfjsOpCpu },
      tfjs_ops_cpu: { backend: 'the same circuit in TF.js ops, TF.js cpu backend, Node', ...tfjsOpsCpu },
      quantum_circuit_npm: quantumCircuit,
      ts_simulator_worker_scaling: { batch: 1024, threads: scaling },
    },
    ratios: {
      wgsl_kernel_over_ts_simulator_same_page: ratios(browser.wgsl_kernel, browser.ts_simulator),
      wgsl_kernel_over_tfjs_ops_same_backend: ratios(browser.wgsl_kernel, browser.tfjs_ops),
      tfjs_op_cpu_over_bare_simulator: ratios(tfjsOpCpu, tsSimulator),
      hardware_gpu: 'unmeasured: this session had no GPU machine; the WebGPU adapter here is SwiftShader (software)',
    },
  };
  return report;
}
