import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { compileCircuit } from '../src/quantum/compile';
import type { CompiledCircuit } from '../src/quantum/compile';
import { forward, vjp } from '../src/quantum/simulator';
import { reuploadingStronglyEntangling } from '../src/quantum/template';
import { seededRandom, uniformArray } from '../src/quantum/testing/random';

type QuantumCircuitClass = typeof import('quantum-circuit').default;

const N_QUBITS = 9;
const N_LAYERS = 3;
const BATCHES = [256, 1024, 4096];
const PEER_BATCH = 16;
const MIN_SECONDS = 1;

interface Inputs {
  x: Float64Array;
  weights: Float64Array;
  cotangent: Float64Array;
}

function randomInputs(circuit: CompiledCircuit, batch: number, seed: number): Inputs {
  const random = seededRandom(seed);
  return {
    x: uniformArray(random, batch * circuit.nInputs, -Math.PI, Math.PI),
    weights: uniformArray(random, circuit.nWeights, 0, 2 * Math.PI),
    cotangent: uniformArray(random, batch * circuit.nOutputs, -1, 1),
  };
}

/** Runs until MIN_SECONDS have passed (at least minRuns times) after a warm-up run; median samples/s. */
function samplesPerSecond(batch: number, run: () => void, warmUp = true, minRuns = 3): { samples_per_s: number; runs: number } {
  if (warmUp) run();
  const rates: number[] = [];
  const start = performance.now();
  while (rates.length < minRuns || performance.now() - start < MIN_SECONDS * 1000) {
    const t = performance.now();
    run();
    rates.push(batch / ((performance.now() - t) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { samples_per_s: rates[Math.floor(rates.length / 2)], runs: rates.length };
}

/** The same circuit built with the npm package, one circuit per sample; returns ⟨Z_i⟩ per sample. */
function quantumCircuitZ(QuantumCircuit: QuantumCircuitClass, x: Float64Array, weights: Float64Array, batch: number): Float64Array {
  const n = N_QUBITS;
  const z = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    const qc = new QuantumCircuit(n);
    for (let l = 0; l < N_LAYERS; l++) {
      for (let i = 0; i < n; i++) qc.appendGate('ry', i, { params: { theta: x[b * n + i] } });
      for (let i = 0; i < n; i++) qc.appendGate('rx', i, { params: { theta: x[b * n + i] } });
      for (let i = 0; i < n; i++) {
        const w = (l * n + i) * 3;
        qc.appendGate('rz', i, { params: { phi: weights[w] } });
        qc.appendGate('ry', i, { params: { theta: weights[w + 1] } });
        qc.appendGate('rz', i, { params: { phi: weights[w + 2] } });
      }
      for (let i = 0; i < n; i++) qc.appendGate('cx', [i, (i + 1) % n]);
    }
    qc.run();
    for (let i = 0; i < n; i++) z[b * n + i] = 1 - 2 * qc.probability(i);
  }
  return z;
}

const circuit = compileCircuit(reuploadingStronglyEntangling(N_QUBITS, N_LAYERS));
const loadAtStart = os.loadavg()[0];

const tsSimulator: Record<string, object> = {};
for (const batch of BATCHES) {
  const { x, weights, cotangent } = randomInputs(circuit, batch, batch);
  const fwd = samplesPerSecond(batch, () => forward(circuit, x, weights, batch));
  const grad = samplesPerSecond(batch, () => vjp(circuit, x, weights, batch, cotangent));
  tsSimulator[`batch_${batch}`] = {
    forward_samples_per_s: Math.round(fwd.samples_per_s),
    forward_gradient_samples_per_s: Math.round(grad.samples_per_s),
    timed_runs: { forward: fwd.runs, forward_gradient: grad.runs },
  };
}

// Loaded only now: under tsx, loading this package (its mathjs and antlr4) slowed the simulator measured
// afterwards by about 20 % in the same process; plain node showed no such effect.
const { default: QuantumCircuit } = await import('quantum-circuit');
const peer = randomInputs(circuit, PEER_BATCH, 7);
// this first run is also the warm-up; one timed run of the slow peer already takes over MIN_SECONDS
const peerZ = quantumCircuitZ(QuantumCircuit, peer.x, peer.weights, PEER_BATCH);
const peerRate = samplesPerSecond(PEER_BATCH, () => quantumCircuitZ(QuantumCircuit, peer.x, peer.weights, PEER_BATCH), false, 1);
const oursExpvals = forward(circuit, peer.x, peer.weights, PEER_BATCH);
let maxZDifference = 0;
for (let b = 0; b < PEER_BATCH; b++) {
  for (let i = 0; i < N_QUBITS; i++) {
    const ours = oursExpvals[b * circuit.nOutputs + 2 * N_QUBITS + i];
    maxZDifference = Math.max(maxZDifference, Math.abs(ours - peerZ[b * N_QUBITS + i]));
  }
}
const peerVersion = (createRequire(import.meta.url)('quantum-circuit/package.json') as { version: string }).version;

const report = {
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    load_average_1m_at_start: Number(loadAtStart.toFixed(2)),
    load_average_1m_at_end: Number(os.loadavg()[0].toFixed(2)),
  },
  config: {
    n_qubits: N_QUBITS,
    n_layers: N_LAYERS,
    batches: BATCHES,
    threads: 1,
    timing: `one warm-up run, then runs until ${MIN_SECONDS} s have passed (at least 3); median of the runs' samples/s (wall clock)`,
  },
  results: {
    ts_simulator: {
      backend: 'float64 TypeScript state vector (src/quantum/simulator.ts), adjoint gradients, one thread',
      ...tsSimulator,
    },
    quantum_circuit_npm: {
      backend: `npm quantum-circuit@${peerVersion}, forward only, circuit built and run per sample`,
      batch: PEER_BATCH,
      forward_samples_per_s: Number(peerRate.samples_per_s.toPrecision(3)),
      timed_runs: peerRate.runs,
      max_abs_diff_z_vs_ts_simulator: maxZDifference,
      z_values_compared: PEER_BATCH * N_QUBITS,
    },
  },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
