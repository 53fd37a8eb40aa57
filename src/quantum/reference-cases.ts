import { compileCircuit } from './compile';
import { QuantumShapeError } from './errors';
import { vjp } from './simulator';
import { reuploadingStronglyEntangling } from './template';

/**
 * Cases shaped like test-data/qnn-reference.json: { cases: [{ n_qubits, n_layers, x [n],
 * weights [L][n][3], cotangent [4n], expvals?, grad_x?, grad_weights? }] }, with the arrays flattened.
 */
export interface ReferenceCase {
  readonly nQubits: number;
  readonly nLayers: number;
  readonly x: Float64Array;
  readonly weights: Float64Array;
  readonly cotangent: Float64Array;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flattens a nested array of finite numbers of exactly the given shape. */
function numbers(value: unknown, shape: readonly number[], where: string): Float64Array {
  const out: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new QuantumShapeError(`${path}: expected a finite number`);
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new QuantumShapeError(`${path}: expected an array of ${shape[depth]} (shape ${shape.join('×')})`);
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, where);
  return Float64Array.from(out);
}

function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new QuantumShapeError(`${where}: expected an integer`);
  return value;
}

function casesOf(document: unknown): unknown[] {
  if (!isRecord(document) || !Array.isArray(document.cases)) {
    throw new QuantumShapeError('expected a JSON object with a "cases" array');
  }
  return document.cases;
}

export function parseReferenceCases(document: unknown): ReferenceCase[] {
  return casesOf(document).map((raw, index) => {
    const where = `cases[${index}]`;
    if (!isRecord(raw)) throw new QuantumShapeError(`${where}: expected an object`);
    const nQubits = count(raw.n_qubits, `${where}.n_qubits`);
    const nLayers = count(raw.n_layers, `${where}.n_layers`);
    try {
      reuploadingStronglyEntangling(nQubits, nLayers);
    } catch (error) {
      throw new QuantumShapeError(`${where}: ${(error as Error).message}`);
    }
    return {
      nQubits,
      nLayers,
      x: numbers(raw.x, [nQubits], `${where}.x`),
      weights: numbers(raw.weights, [nLayers, nQubits, 3], `${where}.weights`),
      cotangent: numbers(raw.cotangent, [4 * nQubits], `${where}.cotangent`),
    };
  });
}

/**
 * The same document with each case's expvals, grad_x and grad_weights computed by the float64 simulator;
 * every other field, and the key order, is kept.
 */
export function evaluateReferenceDocument(document: unknown): unknown {
  const cases = parseReferenceCases(document);
  const result = structuredClone(document) as { cases: Record<string, unknown>[] };
  cases.forEach((c, index) => {
    const circuit = compileCircuit(reuploadingStronglyEntangling(c.nQubits, c.nLayers));
    const { expvals, gradX, gradWeights } = vjp(circuit, c.x, c.weights, 1, c.cotangent);
    const target = result.cases[index];
    target.expvals = Array.from(expvals);
    target.grad_x = Array.from(gradX);
    target.grad_weights = Array.from({ length: c.nLayers }, (_, l) =>
      Array.from({ length: c.nQubits }, (_, i) => Array.from(gradWeights.subarray((l * c.nQubits + i) * 3, (l * c.nQubits + i) * 3 + 3))),
    );
  });
  return result;
}
