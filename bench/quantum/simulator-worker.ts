import { parentPort, workerData } from 'node:worker_threads';
import { compileCircuit } from '../../src/quantum/compile';
import { vjp } from '../../src/quantum/simulator';
import { reuploadingStronglyEntangling } from '../../src/quantum/template';
import { circuitInputs } from '../../src/quantum/testing/circuit-inputs';

/** Waits for the common start, runs forward + gradient on its share until the deadline, reports samples/s. */
const { nQubits, nLayers, batch, seed, start, deadline } = workerData as {
  nQubits: number;
  nLayers: number;
  batch: number;
  seed: number;
  start: number;
  deadline: number;
};
const circuit = compileCircuit(reuploadingStronglyEntangling(nQubits, nLayers));
const { x, weights, cotangent } = circuitInputs(circuit, batch, seed);
vjp(circuit, x, weights, batch, cotangent);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, start - Date.now()));
const began = performance.now();
let samples = 0;
while (Date.now() < deadline) {
  vjp(circuit, x, weights, batch, cotangent);
  samples += batch;
}
parentPort?.postMessage(samples / ((performance.now() - began) / 1000));
