import { add, memory, mul, tanh, tensor1d, tensor2d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor3D } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { architecture } from '../quantum/resources/architecture';
import { createDense, createLayerNorm, dense, dropout, gelu, INFERENCE, layerNorm, relu } from './layers';
import { ParameterSet } from './parameters';
import { qnnLayer } from '../quantum/tfjs/index';
import { createQuantumBlock, quantumBlock } from './quantum-block';
import { SeedStream } from './random';
import { randomInput, useCpuBackend } from './test-support';

beforeAll(useCpuBackend);

const values = (f: () => { dataSync(): ArrayLike<number> }): number[] => tidy(() => Array.from(f().dataSync()));

describe('layers', () => {
  it('GELU is the exact x·Φ(x); ReLU clips at 0', () => {
    const x = tensor1d([-3, -1, 0, 0.5, 2]);
    const expected = [-0.0040497, -0.1586553, 0, 0.3457312, 1.9544997];
    values(() => gelu(x)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(values(() => relu(x))).toEqual([0, 0, 0, 0.5, 2]);
    x.dispose();
  });

  it('dense computes x·W + b; LayerNorm normalises each row (biased variance), then gain and shift', () => {
    const ps = new ParameterSet(new SeedStream(1));
    const d = createDense(ps, 'd', 2, 3);
    d.kernel.assign(tensor2d([1, 2, 3, 4, 5, 6], [2, 3]));
    d.bias!.assign(tensor1d([0.5, 0, -1]));
    const x = tensor2d([1, -1, 2, 0.5], [2, 2]);
    expect(values(() => dense(x, d))).toEqual([-2.5, -3, -4, 4.5, 6.5, 8]);
    const ln = createLayerNorm(ps, 'ln', 2);
    const y = values(() => layerNorm(x, ln));
    [1, -1, 1, -1].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 4));
    x.dispose();
    ps.dispose();
  });

  it('dropout: seeded inverted mask per row in training, one mask shared by all rows in MC mode, identity at inference', () => {
    const x = tidy(() => tensor2d(new Float32Array(1000).fill(1), [100, 10]));
    const a = values(() => dropout(x, 0.3, { kind: 'training', random: new SeedStream(5) }));
    const b = values(() => dropout(x, 0.3, { kind: 'mc', random: new SeedStream(5) }));
    const c = values(() => dropout(x, 0.3, { kind: 'training', random: new SeedStream(6) }));
    expect(a).not.toEqual(c);
    const kept = a.filter((v) => v !== 0);
    kept.forEach((v) => expect(v).toBeCloseTo(1 / 0.7, 5));
    expect(kept.length / 1000).toBeGreaterThan(0.63);
    expect(kept.length / 1000).toBeLessThan(0.77);
    const rows = (v: number[]) => Array.from({ length: 100 }, (_, r) => v.slice(r * 10, r * 10 + 10).join(','));
    expect(new Set(rows(a)).size).toBeGreaterThan(10);
    expect(new Set(rows(b)).size).toBe(1);
    expect(b.slice(0, 10).some((v) => v === 0) && b.slice(0, 10).some((v) => v !== 0)).toBe(true);
    expect(values(() => dropout(x, 0.3, INFERENCE))).toEqual(Array.from(x.dataSync()));
    x.dispose();
  });

  it('quantum block: dense(q + α·dense(GELU(LN a))) with a = dense(x), q the circuit readout, α starting at 0.5', () => {
    const arch = architecture({ nInputs: 3, hidden: 5, nQubits: 2, nLayers: 2 });
    const before = memory().numTensors;
    const ps = new ParameterSet(new SeedStream(2));
    const qb = createQuantumBlock(ps, 'qb', 3, 5, arch);
    const core = qb.core;
    if (core.kind !== 'circuit') throw new Error('expected a circuit');
    expect(qb.alpha.dataSync()[0]).toBe(0.5);
    expect(core.weights.shape).toEqual([2, 2, 3]);
    expect(core.weights.dataSync().every((v) => v >= 0 && v < 2 * Math.PI)).toBe(true);
    expect(ps.count()).toEqual({ classical: 3 * 2 + 2 + 4 + 2 * 8 + 8 + 1 + 8 * 5 + 5, quantum: 12, total: 94 });
    const x = randomInput(4, 3, 1);
    const block = values(() => quantumBlock(x, qb));
    const manual = values(() => {
      const a = dense(x, qb.angles);
      const q = qnnLayer(a, core.weights as unknown as Tensor3D, core.template);
      const skip = dense(gelu(layerNorm(a, qb.norm)), qb.skip);
      return dense(add(q, mul(skip, 0.5)), qb.out);
    });
    expect(block).toHaveLength(4 * 5);
    block.forEach((v, i) => expect(v).toBeCloseTo(manual[i], 5));
    x.dispose();
    ps.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('width-matched control: the circuit replaced by q = tanh(dense(n → 4n)(a)), no circuit weights', () => {
    const arch = architecture({ nInputs: 3, hidden: 5, nQubits: 2, nLayers: 2 });
    const before = memory().numTensors;
    const ps = new ParameterSet(new SeedStream(2));
    const qb = createQuantumBlock(ps, 'qb', 3, 5, arch, 'width-matched-control');
    const core = qb.core;
    if (core.kind !== 'width-matched-control') throw new Error('expected the control');
    expect([core.layer.inputs, core.layer.outputs]).toEqual([2, 8]);
    expect(ps.count()).toEqual({ classical: 82 + 2 * 8 + 8, quantum: 0, total: 106 });
    const x = randomInput(4, 3, 1);
    const block = values(() => quantumBlock(x, qb));
    const manual = values(() => {
      const a = dense(x, qb.angles);
      const skip = dense(gelu(layerNorm(a, qb.norm)), qb.skip);
      return dense(add(tanh(dense(a, core.layer)), mul(skip, 0.5)), qb.out);
    });
    expect(block).toHaveLength(4 * 5);
    block.forEach((v, i) => expect(v).toBeCloseTo(manual[i], 5));
    x.dispose();
    ps.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
