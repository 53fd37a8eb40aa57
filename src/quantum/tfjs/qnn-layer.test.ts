import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCircuit } from '../compile';
import { QuantumShapeError } from '../errors';
import { parseReferenceCases } from '../reference-cases';
import { forward, vjp } from '../simulator';
import { reuploadingStronglyEntangling } from '../template';
import type { CircuitTemplate } from '../template';
import { seededRandom, uniformArray } from '../testing/random';
import { GENERIC_TEMPLATES } from '../testing/generic-templates';
import { SerialBatchRunner } from '../batch/sample-job';
import { attrsForTemplate, circuitForAttrs } from './circuit-cache';
import { keptQnnStates, setQnnBatchRunner } from './cpu-kernels';
import { QNN_LAYER, QNN_LAYER_GRAD } from './kernel-names';
import { qnnLayer } from './qnn-layer';
import { QNN_REFERENCE_PATH } from '../../testing/fixture-files';

const REFERENCE = QNN_REFERENCE_PATH;

/**
 * Tolerances. TF.js 'cpu' tensors are float32: the op rounds x and the weights to float32, simulates in float64 and
 * rounds the results to float32. Against the simulator run on the same (rounded) inputs only the output rounding
 * remains (|expval| ≤ 1, so ≤ 6e-8; gradients are sums of a few such terms). Against the float64 reference inputs
 * the input rounding (≈ 1e-7 relative on angles up to 2π) adds up to ~1e-6; 1e-5 leaves room for both.
 */
const SAME_INPUTS = 1e-6;
const REFERENCE_TOLERANCE = 1e-5;

const f32 = (a: ArrayLike<number>): Float64Array => Float64Array.from(Float32Array.from(a));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

interface Case {
  template: CircuitTemplate;
  batch: number;
  x: Float64Array;
  weights: Float64Array;
  cotangent: Float64Array;
}

function randomCase(template: CircuitTemplate, batch: number, seed: number): Case {
  const random = seededRandom(seed);
  return {
    template,
    batch,
    x: uniformArray(random, batch * template.nInputs, -Math.PI, Math.PI),
    weights: uniformArray(random, template.nWeights, 0, 2 * Math.PI),
    cotangent: uniformArray(random, batch * template.readout.length, -1, 1),
  };
}

/** Forward and tf.grads of Σ cotangent · qnnLayer(x, w) through the op. */
async function throughOp(c: Case): Promise<{ expvals: Float32Array; gradX: Float32Array; gradWeights: Float32Array }> {
  const { template, batch } = c;
  const [y, gx, gw] = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(c.x), [batch, template.nInputs]);
    const w = tf.tensor3d(Float32Array.from(c.weights), [template.nLayers, template.nQubits, 3]);
    const cot = tf.tensor2d(Float32Array.from(c.cotangent), [batch, template.readout.length]);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(qnnLayer(a as tf.Tensor2D, b as tf.Tensor3D, template), cot));
    const [dx, dw] = tf.grads(f)([x, w]);
    return [qnnLayer(x, w, template), dx, dw];
  });
  const out = {
    expvals: (await y.data()) as Float32Array,
    gradX: (await gx.data()) as Float32Array,
    gradWeights: (await gw.data()) as Float32Array,
  };
  [y, gx, gw].forEach((t) => t.dispose());
  return out;
}

/** The gradient kernel called alone on the case (no forward pass recorded for it): [B, nInputs + nWeights]. */
function gradientKernel(c: Case): tf.Tensor2D {
  const { template, batch } = c;
  const attrs = attrsForTemplate(template) as unknown as tf.NamedAttrMap;
  return tf.tidy(
    () =>
      tf.engine().runKernel(
        QNN_LAYER_GRAD,
        {
          x: tf.tensor2d(Float32Array.from(c.x), [batch, template.nInputs]),
          weights: tf.tensor3d(Float32Array.from(c.weights), [template.nLayers, template.nQubits, 3]),
          dy: tf.tensor2d(Float32Array.from(c.cotangent), [batch, template.readout.length]),
        },
        attrs,
      ) as tf.Tensor2D,
  );
}

/** A trainable variable from a tensor, the tensor itself disposed (tf.variable keeps it alive otherwise). */
function variableOf<R extends tf.Rank>(initial: tf.Tensor<R>): tf.Variable<R> {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('qnnLayer on the TF.js cpu backend', () => {
  it('matches the shared reference vectors (forward and tf.grads) to 1e-5', async () => {
    const document = JSON.parse(readFileSync(REFERENCE, 'utf8'));
    const cases = parseReferenceCases(document);
    expect(cases.length).toBeGreaterThan(0);
    for (const [index, c] of cases.entries()) {
      const expected = document.cases[index];
      const template = reuploadingStronglyEntangling(c.nQubits, c.nLayers);
      const got = await throughOp({ template, batch: 1, x: c.x, weights: c.weights, cotangent: c.cotangent });
      const what = `case ${index} (n = ${c.nQubits}, L = ${c.nLayers})`;
      expect(maxAbsDiff(got.expvals, expected.expvals), `${what} expvals`).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
      expect(maxAbsDiff(got.gradX, expected.grad_x), `${what} grad_x`).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
      expect(maxAbsDiff(got.gradWeights, expected.grad_weights.flat(2)), `${what} grad_weights`).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
    }
  });

  const shapes = [
    [1, 1],
    [2, 3],
    [3, 6],
    [4, 2],
    [5, 5],
    [6, 1],
    [7, 4],
    [8, 3],
    [9, 6],
    [9, 1],
  ];
  it.each(shapes)('matches the float64 simulator and its VJP on random batches, n = %i, L = %i', async (n, layers) => {
    const c = randomCase(reuploadingStronglyEntangling(n, layers), 4, 17 * n + layers);
    const got = await throughOp(c);
    const circuit = compileCircuit(c.template);
    // same float32-rounded inputs: only the output rounding differs
    const rounded = vjp(circuit, f32(c.x), f32(c.weights), c.batch, f32(c.cotangent));
    expect(maxAbsDiff(got.expvals, rounded.expvals)).toBeLessThanOrEqual(SAME_INPUTS);
    expect(maxAbsDiff(got.gradX, rounded.gradX)).toBeLessThanOrEqual(SAME_INPUTS);
    expect(maxAbsDiff(got.gradWeights, rounded.gradWeights)).toBeLessThanOrEqual(SAME_INPUTS * 4);
    // the float64 inputs themselves
    const exact = vjp(circuit, c.x, c.weights, c.batch, c.cotangent);
    expect(maxAbsDiff(got.expvals, exact.expvals)).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
    expect(maxAbsDiff(got.gradX, exact.gradX)).toBeLessThanOrEqual(REFERENCE_TOLERANCE);
    expect(maxAbsDiff(got.gradWeights, exact.gradWeights)).toBeLessThanOrEqual(REFERENCE_TOLERANCE * 4);
  });

  it.each(GENERIC_TEMPLATES.map((t) => [t.name, t] as const))('runs the generic circuit %s', async (_, template) => {
    const c = randomCase(template, 3, 5);
    const got = await throughOp(c);
    const circuit = compileCircuit(template);
    const expected = vjp(circuit, f32(c.x), f32(c.weights), c.batch, f32(c.cotangent));
    expect(maxAbsDiff(got.expvals, expected.expvals)).toBeLessThanOrEqual(SAME_INPUTS);
    expect(maxAbsDiff(got.gradX, expected.gradX)).toBeLessThanOrEqual(SAME_INPUTS);
    expect(maxAbsDiff(got.gradWeights, expected.gradWeights)).toBeLessThanOrEqual(SAME_INPUTS * 4);
  });

  it('packs the gradient kernel output as [∂/∂x | weight contributions summing to ∂/∂weights]', async () => {
    const c = randomCase(reuploadingStronglyEntangling(3, 2), 5, 3);
    const packed = gradientKernel(c);
    expect(packed.shape).toEqual([5, 3 + 18]);
    const rows = await packed.array();
    packed.dispose();
    const expected = vjp(compileCircuit(c.template), f32(c.x), f32(c.weights), 5, f32(c.cotangent));
    expect(
      maxAbsDiff(
        rows.flatMap((r) => r.slice(0, 3)),
        expected.gradX,
      ),
    ).toBeLessThanOrEqual(SAME_INPUTS);
    const summed = rows.reduce((acc, r) => acc.map((v, j) => v + r[3 + j]), new Array<number>(18).fill(0));
    expect(maxAbsDiff(summed, expected.gradWeights)).toBeLessThanOrEqual(SAME_INPUTS * 4);
  });

  it('tf.grads reuses the states its forward pass kept: the same bits as recomputing them, nothing kept afterwards', async () => {
    const c = randomCase(reuploadingStronglyEntangling(5, 3), 6, 77);
    const serial = new SerialBatchRunner();
    const reuses: (string | null)[] = [];
    setQnnBatchRunner({
      forward: (circuit, x, weights, batch, keep) => serial.forward(circuit, x, weights, batch, keep),
      vjp: (circuit, x, weights, batch, cotangent, reuse) => {
        reuses.push(reuse);
        return serial.vjp(circuit, x, weights, batch, cotangent, reuse);
      },
    });
    try {
      const before = tf.memory().numTensors;
      const got = await throughOp(c);
      expect(reuses).toEqual([expect.any(String)]);
      // the forward outside the tape (throughOp's second qnnLayer) is not recorded, the one inside was used
      expect(serial.store.size).toBe(0);
      expect(keptQnnStates().records).toBe(0);
      // the gradient kernel alone: no forward recorded for these inputs, so the states are recomputed
      const packed = gradientKernel(c);
      expect(reuses[1]).toBeNull();
      const rows = await packed.array();
      packed.dispose();
      expect(Float32Array.from(rows.flatMap((r) => r.slice(0, 5)))).toEqual(got.gradX);
      expect(Float32Array.from(rows[0].slice(5))).toEqual(got.gradWeights);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      setQnnBatchRunner(null);
    }
  });

  it('keeps no states for a forward pass outside a gradient tape', () => {
    const template = reuploadingStronglyEntangling(3, 2);
    const c = randomCase(template, 2, 8);
    const y = tf.tidy(() =>
      qnnLayer(tf.tensor2d(Float32Array.from(c.x), [2, 3]), tf.tensor3d(Float32Array.from(c.weights), [2, 3, 3]), template),
    );
    y.dispose();
    expect(keptQnnStates()).toEqual({ records: 0, entries: 0, bytes: 0 });
  });

  it('differentiates a dense → qnnLayer → dense MSE model like the float64 VJP composed by hand', async () => {
    const n = 3,
      layers = 2,
      batch = 6,
      features = 4;
    const template = reuploadingStronglyEntangling(n, layers);
    const random = seededRandom(2024);
    const data = f32(uniformArray(random, batch * features, -1, 1));
    const targets = f32(uniformArray(random, batch, -1, 1));
    const w1 = f32(uniformArray(random, features * n, -1, 1));
    const wq = f32(uniformArray(random, layers * n * 3, 0, 2 * Math.PI));
    const w2 = f32(uniformArray(random, 4 * n, -1, 1));
    const circuit = compileCircuit(template);

    // float64: h = X W1, e = qnn(h, Wq), ŷ = e W2, loss = mean((ŷ − t)²)
    const model = (p1: Float64Array, pq: Float64Array, p2: Float64Array) => {
      const h = new Float64Array(batch * n);
      for (let b = 0; b < batch; b++)
        for (let i = 0; i < n; i++) for (let f = 0; f < features; f++) h[b * n + i] += data[b * features + f] * p1[f * n + i];
      const e = forward(circuit, h, pq, batch);
      const yhat = Float64Array.from({ length: batch }, (_, b) =>
        e.subarray(b * 4 * n, (b + 1) * 4 * n).reduce((s, v, k) => s + v * p2[k], 0),
      );
      const loss = yhat.reduce((s, v, b) => s + (v - targets[b]) ** 2, 0) / batch;
      return { h, e, yhat, loss };
    };
    const { h, e, yhat, loss } = model(w1, wq, w2);
    const dyhat = Float64Array.from(yhat, (v, b) => (2 * (v - targets[b])) / batch);
    const dw2 = Float64Array.from({ length: 4 * n }, (_, k) => dyhat.reduce((s, d, b) => s + d * e[b * 4 * n + k], 0));
    const de = Float64Array.from({ length: batch * 4 * n }, (_, i) => dyhat[Math.floor(i / (4 * n))] * w2[i % (4 * n)]);
    const back = vjp(circuit, h, wq, batch, de);
    const dw1 = Float64Array.from({ length: features * n }, (_, i) => {
      const f = Math.floor(i / n),
        q = i % n;
      let s = 0;
      for (let b = 0; b < batch; b++) s += data[b * features + f] * back.gradX[b * n + q];
      return s;
    });
    // the composition itself, against central differences in float64
    const step = 1e-6;
    const probe = (p: Float64Array, i: number, rebuild: (q: Float64Array) => number): number => {
      const plus = Float64Array.from(p),
        minus = Float64Array.from(p);
      plus[i] += step;
      minus[i] -= step;
      return (rebuild(plus) - rebuild(minus)) / (2 * step);
    };
    for (const i of [0, 5, 11]) expect(Math.abs(probe(w1, i, (q) => model(q, wq, w2).loss) - dw1[i])).toBeLessThan(1e-7);
    for (const i of [0, 7, 17]) expect(Math.abs(probe(wq, i, (q) => model(w1, q, w2).loss) - back.gradWeights[i])).toBeLessThan(1e-7);

    const before = tf.memory().numTensors;
    const X = tf.tensor2d(Float32Array.from(data), [batch, features]);
    const T = tf.tensor2d(Float32Array.from(targets), [batch, 1]);
    const v1 = variableOf(tf.tensor2d(Float32Array.from(w1), [features, n]));
    const vq = variableOf(tf.tensor3d(Float32Array.from(wq), [layers, n, 3]));
    const v2 = variableOf(tf.tensor2d(Float32Array.from(w2), [4 * n, 1]));
    const lossOf = (): tf.Scalar =>
      tf.losses.meanSquaredError(T, tf.matMul(qnnLayer(tf.matMul(X, v1) as tf.Tensor2D, vq, template), v2)) as tf.Scalar;
    const { value, grads } = tf.variableGrads(lossOf, [v1, vq, v2]);
    expect(Math.abs((await value.data())[0] - loss)).toBeLessThan(1e-6);
    expect(maxAbsDiff(await grads[v1.name].data(), dw1)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await grads[vq.name].data(), back.gradWeights)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await grads[v2.name].data(), dw2)).toBeLessThan(1e-5);
    value.dispose();
    Object.values(grads).forEach((t) => t.dispose());

    // optimizer.minimize through the op lowers the loss
    const optimizer = tf.train.adam(0.05);
    const first = optimizer.minimize(lossOf, true, [v1, vq, v2])!;
    const initial = (await first.data())[0];
    first.dispose();
    for (let i = 0; i < 30; i++) optimizer.minimize(lossOf, false, [v1, vq, v2]);
    const last = tf.tidy(lossOf);
    expect((await last.data())[0]).toBeLessThan(0.8 * initial);
    last.dispose();
    optimizer.dispose();
    [X, T, v1, vq, v2].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensors: forward, tf.grads, variableGrads and optimizer steps', () => {
    const template = reuploadingStronglyEntangling(4, 2);
    const c = randomCase(template, 3, 11);
    const x = tf.tensor2d(Float32Array.from(c.x), [3, 4]);
    const w = variableOf(tf.tensor3d(Float32Array.from(c.weights), [2, 4, 3]));
    const loss = (): tf.Scalar => tf.sum(tf.square(qnnLayer(x, w, template)));
    const sgd = tf.train.sgd(0.01);
    const counts: number[] = [];
    for (let round = 0; round < 3; round++) {
      counts.push(tf.memory().numTensors);
      qnnLayer(x, w, template).dispose();
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(qnnLayer(a as tf.Tensor2D, b as tf.Tensor3D, template)))([x, w]).forEach((t) =>
        t.dispose(),
      );
      const { value, grads } = tf.variableGrads(loss, [w]);
      value.dispose();
      Object.values(grads).forEach((t) => t.dispose());
      sgd.minimize(loss, false, [w]);
    }
    counts.push(tf.memory().numTensors);
    expect(new Set(counts).size).toBe(1);
    sgd.dispose();
    x.dispose();
    w.dispose();
  });

  it('checks shapes and casts integer inputs', async () => {
    const template = reuploadingStronglyEntangling(2, 1);
    const w = tf.zeros([1, 2, 3]) as tf.Tensor3D;
    expect(() => qnnLayer(tf.zeros([3, 3]) as tf.Tensor2D, w, template)).toThrow(QuantumShapeError);
    expect(() => qnnLayer(tf.zeros([3, 2]) as tf.Tensor2D, tf.zeros([2, 2, 3]) as tf.Tensor3D, template)).toThrow(QuantumShapeError);
    const xi = tf.tensor2d([[0, 0]], [1, 2], 'int32'),
      wi = tf.zeros([1, 2, 3], 'int32') as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const y = qnnLayer(xi, wi, template);
    expect(tf.memory().numTensors).toBe(before + 1);
    // |00⟩ untouched: ⟨X⟩ = ⟨Y⟩ = 0, ⟨Z⟩ = ⟨ZZ⟩ = 1
    expect(Array.from(await y.data())).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    tf.dispose([w, y, xi, wi]);
  });

  it('identifies circuits by template name, n and L', () => {
    const template = reuploadingStronglyEntangling(3, 1);
    const attrs = attrsForTemplate(template);
    expect(attrs).toEqual({ templateName: template.name, nQubits: 3, nLayers: 1 });
    expect(circuitForAttrs(attrs).nQubits).toBe(3);
    // known templates are rebuilt from the attributes alone
    expect(circuitForAttrs({ templateName: template.name, nQubits: 6, nLayers: 4 }).nWeights).toBe(72);
    expect(() => circuitForAttrs({ templateName: 'nope', nQubits: 2, nLayers: 1 })).toThrow(/Unknown circuit template/);
    expect(() => circuitForAttrs({})).toThrow(QuantumShapeError);
    // a different circuit under a name, n and L already in use is refused
    const impostor: CircuitTemplate = { ...template, gates: template.gates.slice(1) };
    expect(() => attrsForTemplate(impostor)).toThrow(/different circuit/);
    expect(tf.getKernel(QNN_LAYER, 'cpu')).toBeDefined();
    expect(tf.getKernel(QNN_LAYER, 'webgpu')).toBeDefined();
  });
});
