import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runQnnEval } from './qnn-eval-core';

const REFERENCE_PATH = new URL('../../shared/testdata/qnn-reference.json', import.meta.url);
const REFERENCE_TEXT = readFileSync(REFERENCE_PATH, 'utf8');

function withFiles(files: Record<string, string>): (path: string) => string {
  return (path) => {
    if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    return files[path];
  };
}

function maxDifference(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.reduce((worst: number, v, i) => Math.max(worst, maxDifference(v, b[i])), 0);
  }
  return Number.POSITIVE_INFINITY;
}

describe('qnn:eval', () => {
  it('reproduces the shared reference document with the cpu backend', () => {
    const outcome = runQnnEval(['ref.json'], withFiles({ 'ref.json': REFERENCE_TEXT }));
    expect(outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(0);
    const expected = JSON.parse(REFERENCE_TEXT);
    const actual = JSON.parse(outcome.stdout);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    expect(actual.template).toBe(expected.template);
    expect(actual.doc).toBe(expected.doc);
    expect(actual.cases).toHaveLength(expected.cases.length);
    actual.cases.forEach((c: Record<string, unknown>, i: number) => {
      const e = expected.cases[i];
      expect(Object.keys(c)).toEqual(Object.keys(e));
      for (const key of ['n_qubits', 'n_layers', 'x', 'weights', 'cotangent']) expect(c[key]).toEqual(e[key]);
      for (const key of ['expvals', 'grad_x', 'grad_weights']) expect(maxDifference(c[key], e[key]), `case ${i} ${key}`).toBeLessThan(1e-9);
    });
  });

  it('fills in results a case does not have yet and keeps extra fields', () => {
    const input = { note: 'mine', cases: [{ id: 'a', n_qubits: 1, n_layers: 1, x: [0], weights: [[[0, 0, 0]]], cotangent: [0, 0, 1, 0] }] };
    const outcome = runQnnEval(['--backend=cpu', 'in.json'], withFiles({ 'in.json': JSON.stringify(input) }));
    expect(outcome.exitCode).toBe(0);
    const [c] = JSON.parse(outcome.stdout).cases;
    expect(Object.keys(c)).toEqual(['id', 'n_qubits', 'n_layers', 'x', 'weights', 'cotangent', 'expvals', 'grad_x', 'grad_weights']);
    // |0⟩ stays |0⟩: ⟨X⟩ = ⟨Y⟩ = 0, ⟨Z⟩ = ⟨Z_0 Z_0⟩ = 1
    expect(maxDifference(c.expvals, [0, 0, 1, 1])).toBeLessThan(1e-15);
    expect(c.grad_weights).toHaveLength(1);
  });

  it('refuses the WebGPU backend, which is not built yet', () => {
    const outcome = runQnnEval(['ref.json', '--backend', 'webgpu'], withFiles({ 'ref.json': REFERENCE_TEXT }));
    expect(outcome.exitCode).toBe(3);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/WebGPU backend is not built yet/);
  });

  it.each([
    ['a missing file', ['nope.json'], /no such file: nope\.json/],
    ['bad JSON', ['bad.json'], /bad\.json is not valid JSON/],
    ['no cases array', ['empty.json'], /expected a JSON object with a "cases" array/],
    ['a weights array of the wrong shape', ['shape.json'], /cases\[0\]\.weights\[0\]\[1\]: expected an array of 3/],
    ['too many qubits', ['big.json'], /cases\[0\]: Number of qubits must be an integer in 1\.\.9, got 12/],
    ['a non-numeric x', ['nan.json'], /cases\[0\]\.x\[0\]: expected a finite number/],
    ['an unknown backend', ['ref.json', '--backend', 'gpu'], /unknown backend "gpu"/],
    ['an unknown option', ['ref.json', '--fast'], /unknown option --fast/],
    ['no file', [], /expected exactly one input file, got 0/],
  ])('exits 2 with a message on stderr for %s', (_, args, message) => {
    const one = { n_qubits: 1, n_layers: 1, x: [0], weights: [[[0, 0, 0]]], cotangent: [0, 0, 0, 0] };
    const outcome = runQnnEval(args, withFiles({
      'ref.json': REFERENCE_TEXT,
      'bad.json': '{"cases": [',
      'empty.json': '{}',
      'shape.json': JSON.stringify({ cases: [{ ...one, n_qubits: 2, x: [0, 0], weights: [[[0, 0, 0], [0, 0]]], cotangent: Array(8).fill(0) }] }),
      'big.json': JSON.stringify({ cases: [{ ...one, n_qubits: 12 }] }),
      'nan.json': JSON.stringify({ cases: [{ ...one, x: ['0'] }] }),
    }));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(message);
  });
});
