import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCircuit } from '../../src/quantum/compile';
import { forward, vjp } from '../../src/quantum/simulator';
import { reuploadingStronglyEntangling } from '../../src/quantum/template';
import { seededRandom, uniformArray } from '../../src/quantum/testing/random';
import { tfjsOpsCircuit } from './tfjs-ops-circuit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the TF.js-ops benchmark peer computes the same circuit', () => {
  for (const [n, layers] of [
    [1, 1],
    [2, 2],
    [3, 1],
    [5, 2],
  ] as const) {
    it(`matches the float64 simulator, forward and gradient, for n = ${n}, L = ${layers}`, () => {
      const circuit = compileCircuit(reuploadingStronglyEntangling(n, layers));
      const random = seededRandom(100 * n + layers);
      const batch = 3;
      const x = uniformArray(random, batch * n, -Math.PI, Math.PI);
      const w = uniformArray(random, circuit.nWeights, 0, 2 * Math.PI);
      const cotangent = uniformArray(random, batch * circuit.nOutputs, -1, 1);
      const expected = vjp(circuit, x, w, batch, cotangent);

      const xT = tf.tensor2d(Float32Array.from(x), [batch, n]);
      const wT = tf.tensor1d(Float32Array.from(w));
      const cT = tf.tensor2d(Float32Array.from(cotangent), [batch, circuit.nOutputs]);
      const before = tf.memory().numTensors;
      const out = tfjsOpsCircuit(circuit, xT, wT);
      const [gx, gw] = tf.grads((a, b) => tf.sum(tf.mul(tfjsOpsCircuit(circuit, a as tf.Tensor2D, b as tf.Tensor1D), cT)))([xT, wT]);
      const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
      expect(maxDiff(out.dataSync(), forward(circuit, x, w, batch))).toBeLessThan(1e-5);
      expect(maxDiff(gx.dataSync(), expected.gradX)).toBeLessThan(1e-4);
      expect(maxDiff(gw.dataSync(), expected.gradWeights)).toBeLessThan(1e-4);
      tf.dispose([out, gx, gw]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([xT, wT, cT]);
    });
  }
});
