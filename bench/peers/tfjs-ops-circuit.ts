import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { CompiledCircuit, ElementaryRotation } from '../../src/quantum/compile';

/**
 * The benchmark's peer: the same compiled circuit written with ordinary TF.js ops (complex
 * numbers as real/imaginary tensor pairs), differentiated by TF.js autodiff. State tensors stay
 * [B, 2^n]; a gate on wire q views them as [B, 2^(n−q−1), 2, 2^q] (rank 4 — larger-rank views
 * gave silently wrong results on the wasm backend, per the project's quantum notes).
 */
interface Complex {
  re: tf.Tensor;
  im: tf.Tensor;
}
type Matrix = [Complex, Complex, Complex, Complex];

const add = (a: Complex, b: Complex): Complex => ({ re: tf.add(a.re, b.re), im: tf.add(a.im, b.im) });
const mul = (a: Complex, b: Complex): Complex => ({
  re: tf.sub(tf.mul(a.re, b.re), tf.mul(a.im, b.im)),
  im: tf.add(tf.mul(a.re, b.im), tf.mul(a.im, b.re)),
});

function matmul(a: Matrix, b: Matrix): Matrix {
  return [
    add(mul(a[0], b[0]), mul(a[1], b[2])),
    add(mul(a[0], b[1]), mul(a[1], b[3])),
    add(mul(a[2], b[0]), mul(a[3], b[2])),
    add(mul(a[2], b[1]), mul(a[3], b[3])),
  ];
}

/** R_P(θ) = exp(−iθP/2) for P = X, Y, Z; θ of shape [B, 1, 1, 1] or scalar. */
function rotation(axis: ElementaryRotation['axis'], angle: tf.Tensor): Matrix {
  const c = tf.cos(tf.mul(angle, 0.5));
  const s = tf.sin(tf.mul(angle, 0.5));
  const zero = tf.zerosLike(c);
  const real = (t: tf.Tensor): Complex => ({ re: t, im: zero });
  const imaginary = (t: tf.Tensor): Complex => ({ re: zero, im: t });
  if (axis === 0) return [real(c), imaginary(tf.neg(s)), imaginary(tf.neg(s)), real(c)];
  if (axis === 1) return [real(c), real(tf.neg(s)), real(s), real(c)];
  return [{ re: c, im: tf.neg(s) }, real(zero), real(zero), { re: c, im: s }];
}

function applyOneQubit(state: Complex, u: Matrix, wire: number, nQubits: number, batch: number): Complex {
  const view = [batch, 1 << (nQubits - wire - 1), 2, 1 << wire];
  const re = tf.reshape(state.re, view);
  const im = tf.reshape(state.im, view);
  const half = [batch, view[1], 1, view[3]];
  const a0 = { re: tf.slice(re, [0, 0, 0, 0], half), im: tf.slice(im, [0, 0, 0, 0], half) };
  const a1 = { re: tf.slice(re, [0, 0, 1, 0], half), im: tf.slice(im, [0, 0, 1, 0], half) };
  const b0 = add(mul(u[0], a0), mul(u[1], a1));
  const b1 = add(mul(u[2], a0), mul(u[3], a1));
  const size = [batch, 1 << nQubits];
  return { re: tf.reshape(tf.concat([b0.re, b1.re], 2), size), im: tf.reshape(tf.concat([b0.im, b1.im], 2), size) };
}

/** Readouts [B, nOutputs] of the compiled circuit, for x [B, nInputs] and flat weights [nWeights]. */
export function tfjsOpsCircuit(circuit: CompiledCircuit, x: tf.Tensor2D, weights: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const batch = x.shape[0];
    const n = circuit.nQubits;
    const size = 1 << n;
    const angle = (slot: number): tf.Tensor =>
      slot < circuit.nInputs
        ? tf.reshape(tf.slice(x, [0, slot], [batch, 1]), [batch, 1, 1, 1])
        : tf.reshape(tf.slice(weights, [slot - circuit.nInputs], [1]), [1, 1, 1, 1]);
    let state: Complex = { re: tf.cast(tf.oneHot(tf.zeros([batch], 'int32'), size), 'float32'), im: tf.zeros([batch, size]) };
    for (const stage of circuit.stages) {
      if (stage.kind === 'permutation') {
        const source = tf.tensor1d(stage.source, 'int32');
        state = { re: tf.gather(state.re, source, 1), im: tf.gather(state.im, source, 1) };
        continue;
      }
      stage.wires.forEach((wire, k) => {
        const [first, ...rest] = stage.rotations[k].map((r) => rotation(r.axis, angle(r.slot)));
        const fused = rest.reduce((product, gate) => matmul(gate, product), first);
        state = applyOneQubit(state, fused, wire, n, batch);
      });
    }
    const outputs = new Array<tf.Tensor>(circuit.nOutputs);
    for (const { output, wire, axis } of circuit.xyObservables) {
      const view = [batch, 1 << (n - wire - 1), 2, 1 << wire];
      const half = [batch, view[1], 1, view[3]];
      const re = tf.reshape(state.re, view);
      const im = tf.reshape(state.im, view);
      const [r0, r1, i0, i1] = [
        tf.slice(re, [0, 0, 0, 0], half),
        tf.slice(re, [0, 0, 1, 0], half),
        tf.slice(im, [0, 0, 0, 0], half),
        tf.slice(im, [0, 0, 1, 0], half),
      ];
      const overlap = axis === 0 ? tf.add(tf.mul(r0, r1), tf.mul(i0, i1)) : tf.sub(tf.mul(r0, i1), tf.mul(i0, r1));
      outputs[output] = tf.mul(tf.sum(overlap, [1, 2, 3]), 2);
    }
    if (circuit.diagonalObservables.length > 0) {
      const probabilities = tf.add(tf.square(state.re), tf.square(state.im));
      const signs = new Float32Array(size * circuit.diagonalObservables.length);
      circuit.diagonalObservables.forEach(({ mask }, column) => {
        for (let i = 0; i < size; i++) signs[i * circuit.diagonalObservables.length + column] = popcountParity(i & mask) ? -1 : 1;
      });
      const values = tf.matMul(probabilities, tf.tensor2d(signs, [size, circuit.diagonalObservables.length]));
      circuit.diagonalObservables.forEach(({ output }, column) => {
        outputs[output] = tf.reshape(tf.slice(values, [0, column], [batch, 1]), [batch]);
      });
    }
    return tf.stack(outputs, 1) as tf.Tensor2D;
  });
}

function popcountParity(value: number): boolean {
  let parity = false;
  for (let v = value; v !== 0; v &= v - 1) parity = !parity;
  return parity;
}
