import { createRequire } from 'node:module';
import type { CompiledCircuit } from '../../src/quantum/compile';
import { forward } from '../../src/quantum/simulator';
import { circuitInputs } from '../../src/quantum/testing/circuit-inputs';
import { measureThroughput, type Throughput } from './throughput';

type QuantumCircuitClass = typeof import('quantum-circuit').default;

/** The re-uploading circuit built with the npm package, one circuit per sample; ⟨Z_i⟩ per sample. */
function quantumCircuitZ(
  QuantumCircuit: QuantumCircuitClass,
  n: number,
  layers: number,
  x: Float64Array,
  weights: Float64Array,
  batch: number,
): Float64Array {
  const z = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    const qc = new QuantumCircuit(n);
    for (let l = 0; l < layers; l++) {
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

export interface QuantumCircuitPeerResult {
  package: string;
  batch: number;
  forward: Throughput;
  /** Agreement of its ⟨Z_i⟩ with our float64 simulator. */
  max_abs_diff_z_vs_ts_simulator: number;
}

/** npm `quantum-circuit`, forward only (it has no gradients), at a small batch: it is slow. */
export async function benchQuantumCircuitPeer(circuit: CompiledCircuit, nLayers: number, batch: number): Promise<QuantumCircuitPeerResult> {
  // Loaded only when measured: under tsx, loading this package (mathjs, antlr4) slowed code measured afterwards in the same process by ~20 %.
  const { default: QuantumCircuit } = await import('quantum-circuit');
  const n = circuit.nQubits;
  const { x, weights } = circuitInputs(circuit, batch, 7);
  const theirs = quantumCircuitZ(QuantumCircuit, n, nLayers, x, weights, batch);
  const ours = forward(circuit, x, weights, batch);
  let maxDiff = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[b * circuit.nOutputs + 2 * n + i] - theirs[b * n + i]));
  }
  const version = (createRequire(import.meta.url)('quantum-circuit/package.json') as { version: string }).version;
  return {
    package: `quantum-circuit@${version}`,
    batch,
    forward: await measureThroughput(batch, () => quantumCircuitZ(QuantumCircuit, n, nLayers, x, weights, batch), {
      seconds: 1,
      minRuns: 1,
    }),
    max_abs_diff_z_vs_ts_simulator: maxDiff,
  };
}
