import { readFileSync } from 'node:fs';
import { GENERIC_TEMPLATES } from './testing/generic-templates';
import { describe, expect, it } from 'vitest';
import { compileCircuit } from './compile';
import type { CompiledCircuit } from './compile';
import { QuantumShapeError } from './errors';
import { parseReferenceCases } from './reference-cases';
import { forward, vjp } from './simulator';
import { reuploadingStronglyEntangling } from './template';
import type { CircuitTemplate } from './template';
import { naiveReuploadExpvals, naiveReuploadVjp, naiveTemplateExpvals, naiveTemplateVjp } from './testing/naive-reference';
import { seededRandom, uniformArray } from './testing/random';
import { QNN_REFERENCE_PATH } from '../testing/fixture-files';

const REFERENCE = QNN_REFERENCE_PATH;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst, `${what}: max abs difference`).toBeLessThanOrEqual(tolerance);
}

interface RandomCase {
  circuit: CompiledCircuit;
  x: Float64Array;
  weights: Float64Array;
  cotangent: Float64Array;
}

function randomCase(template: CircuitTemplate, batch: number, seed: number): RandomCase {
  const random = seededRandom(seed);
  const circuit = compileCircuit(template);
  return {
    circuit,
    x: uniformArray(random, batch * circuit.nInputs, -Math.PI, Math.PI),
    weights: uniformArray(random, circuit.nWeights, 0, 2 * Math.PI),
    cotangent: uniformArray(random, batch * circuit.nOutputs, -1, 1),
  };
}

const sample = (a: Float64Array, b: number, width: number): Float64Array => a.subarray(b * width, (b + 1) * width);

/** every (n, L) in 1..9 × 1..6 */
const SHAPES = Array.from({ length: 9 }, (_, i) => i + 1).flatMap((n) => [1, 2, 3, 4, 5, 6].map((layers) => [n, layers]));

describe('float64 simulator', () => {
  it('matches the shared reference vectors to 1e-9', () => {
    const document = JSON.parse(readFileSync(REFERENCE, 'utf8'));
    const cases = parseReferenceCases(document);
    expect(cases.length).toBeGreaterThan(0);
    cases.forEach((c, index) => {
      const expected = document.cases[index];
      const circuit = compileCircuit(reuploadingStronglyEntangling(c.nQubits, c.nLayers));
      const what = `case ${index} (n = ${c.nQubits}, L = ${c.nLayers})`;
      expectClose(forward(circuit, c.x, c.weights, 1), expected.expvals, 1e-9, `${what} forward`);
      const result = vjp(circuit, c.x, c.weights, 1, c.cotangent);
      expectClose(result.expvals, expected.expvals, 1e-9, `${what} expvals`);
      expectClose(result.gradX, expected.grad_x, 1e-9, `${what} grad_x`);
      expectClose(result.gradWeights, expected.grad_weights.flat(2), 1e-9, `${what} grad_weights`);
    });
  });

  it.each(SHAPES)('agrees with the naive gate-by-gate reference for n = %i, L = %i', (n, layers) => {
    const batch = 2;
    const { circuit, x, weights } = randomCase(reuploadingStronglyEntangling(n, layers), batch, 1000 * n + layers);
    const out = forward(circuit, x, weights, batch);
    for (let b = 0; b < batch; b++) {
      expectClose(sample(out, b, 4 * n), naiveReuploadExpvals(n, layers, sample(x, b, n), weights), 1e-10, `sample ${b}`);
    }
  });

  // parameter shift on the naive simulator is slow, so its gradients are checked on the cheaper shapes
  it.each(SHAPES.filter(([n, layers]) => n <= 4 || layers <= (n <= 7 ? 2 : 1)))(
    'gives the naive parameter-shift gradients for n = %i, L = %i',
    (n, layers) => {
      const { circuit, x, weights, cotangent } = randomCase(reuploadingStronglyEntangling(n, layers), 1, 7 * n + layers);
      const result = vjp(circuit, x, weights, 1, cotangent);
      const expected = naiveReuploadVjp(n, layers, x, weights, cotangent);
      expectClose(result.gradX, expected.gradX, 1e-10, 'gradX');
      expectClose(result.gradWeights, expected.gradWeights, 1e-10, 'gradWeights');
    },
  );

  it.each(SHAPES)('matches central finite differences for n = %i, L = %i', (n, layers) => {
    const { circuit, x, weights, cotangent } = randomCase(reuploadingStronglyEntangling(n, layers), 1, 31 * n + layers);
    const { gradX, gradWeights } = vjp(circuit, x, weights, 1, cotangent);
    const h = 1e-5;
    const objective = (): number => forward(circuit, x, weights, 1).reduce((sum, v, k) => sum + cotangent[k] * v, 0);
    const centralDifference = (values: Float64Array, i: number): number => {
      const original = values[i];
      values[i] = original + h;
      const plus = objective();
      values[i] = original - h;
      const minus = objective();
      values[i] = original;
      return (plus - minus) / (2 * h);
    };
    expectClose(
      gradX,
      Array.from(x, (_, i) => centralDifference(x, i)),
      1e-6,
      'gradX',
    );
    expectClose(
      gradWeights,
      Array.from(weights, (_, i) => centralDifference(weights, i)),
      1e-6,
      'gradWeights',
    );
  });

  it('computes a batch sample by sample, and sums the weight gradients over it', () => {
    const n = 5,
      layers = 3,
      batch = 7;
    const { circuit, x, weights, cotangent } = randomCase(reuploadingStronglyEntangling(n, layers), batch, 99);
    const batched = vjp(circuit, x, weights, batch, cotangent);
    expectClose(forward(circuit, x, weights, batch), batched.expvals, 0, 'forward vs vjp expvals');
    const summed = new Float64Array(circuit.nWeights);
    for (let b = 0; b < batch; b++) {
      const single = vjp(circuit, sample(x, b, n), weights, 1, sample(cotangent, b, 4 * n));
      expectClose(sample(batched.expvals, b, 4 * n), single.expvals, 0, `expvals ${b}`);
      expectClose(sample(batched.gradX, b, n), single.gradX, 0, `gradX ${b}`);
      single.gradWeights.forEach((g, i) => (summed[i] += g));
    }
    expectClose(batched.gradWeights, summed, 1e-12, 'gradWeights');
    expect(forward(circuit, new Float64Array(0), weights, 0)).toHaveLength(0);
  });

  it('runs other gate lists generically: a leading CNOT, idle wires, a trailing rotation stage', () => {
    const template = GENERIC_TEMPLATES[0];
    const batch = 3;
    const { circuit, x, weights, cotangent } = randomCase(template, batch, 5);
    const out = forward(circuit, x, weights, batch);
    const result = vjp(circuit, x, weights, batch, cotangent);
    const summed = new Float64Array(circuit.nWeights);
    for (let b = 0; b < batch; b++) {
      const xb = sample(x, b, 2),
        cb = sample(cotangent, b, 6);
      expectClose(sample(out, b, 6), naiveTemplateExpvals(template, xb, weights), 1e-12, `expvals ${b}`);
      const expected = naiveTemplateVjp(template, xb, weights, cb);
      expectClose(sample(result.gradX, b, 2), expected.gradX, 1e-12, `gradX ${b}`);
      expected.gradWeights.forEach((g, i) => (summed[i] += g));
    }
    expectClose(result.gradWeights, summed, 1e-12, 'gradWeights');
  });

  it('rejects arguments of the wrong shape', () => {
    const circuit = compileCircuit(reuploadingStronglyEntangling(2, 2));
    const x = new Float64Array(4),
      weights = new Float64Array(12),
      cotangent = new Float64Array(16);
    expect(() => forward(circuit, new Float64Array(3), weights, 2)).toThrow(/x has 3 values, expected batch × inputs = 2 × 2/);
    expect(() => forward(circuit, x, new Float64Array(11), 2)).toThrow(/weights has 11 values, expected 12/);
    expect(() => forward(circuit, x, weights, 1.5)).toThrow(/Batch size must be a non-negative integer/);
    expect(() => forward(circuit, x, weights, -1)).toThrow(QuantumShapeError);
    expect(() => vjp(circuit, x, weights, 2, new Float64Array(15))).toThrow(/cotangent has 15 values, expected batch × outputs = 2 × 8/);
    expect(() => vjp(circuit, x, weights, 2, cotangent)).not.toThrow();
  });
});
