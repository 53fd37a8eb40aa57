import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runQnnEval, type QnnEvalIo } from './qnn-eval-core';
import { QNN_REFERENCE_PATH } from '../src/testing/fixture-files';

const REFERENCE_PATH = QNN_REFERENCE_PATH;
const REFERENCE_TEXT = readFileSync(REFERENCE_PATH, 'utf8');

function withFiles(files: Record<string, string>, evaluateOnWebGpu: QnnEvalIo['evaluateOnWebGpu'] = noBrowser): QnnEvalIo {
  return {
    readText: (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return files[path];
    },
    evaluateOnWebGpu,
  };
}

async function noBrowser(): Promise<unknown> {
  throw new Error('no browser in this test');
}

function maxDifference(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.reduce((worst: number, v, i) => Math.max(worst, maxDifference(v, b[i])), 0);
  }
  return Number.POSITIVE_INFINITY;
}

describe('qnn:eval', () => {
  it('reproduces the shared reference document with the cpu backend', async () => {
    const outcome = await runQnnEval(['ref.json'], withFiles({ 'ref.json': REFERENCE_TEXT }));
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

  it('fills in results a case does not have yet and keeps extra fields', async () => {
    const input = { note: 'mine', cases: [{ id: 'a', n_qubits: 1, n_layers: 1, x: [0], weights: [[[0, 0, 0]]], cotangent: [0, 0, 1, 0] }] };
    const outcome = await runQnnEval(['--backend=cpu', 'in.json'], withFiles({ 'in.json': JSON.stringify(input) }));
    expect(outcome.exitCode).toBe(0);
    const [c] = JSON.parse(outcome.stdout).cases;
    expect(Object.keys(c)).toEqual(['id', 'n_qubits', 'n_layers', 'x', 'weights', 'cotangent', 'expvals', 'grad_x', 'grad_weights']);
    // |0⟩ stays |0⟩: ⟨X⟩ = ⟨Y⟩ = 0, ⟨Z⟩ = ⟨Z_0 Z_0⟩ = 1
    expect(maxDifference(c.expvals, [0, 0, 1, 1])).toBeLessThan(1e-15);
    expect(c.grad_weights).toHaveLength(1);
  });

  it('hands a checked document to the WebGPU path and prints what it returns', async () => {
    const seen: unknown[] = [];
    const outcome = await runQnnEval(
      ['ref.json', '--backend', 'webgpu'],
      withFiles({ 'ref.json': REFERENCE_TEXT }, async (document) => {
        seen.push(document);
        return { evaluated: true };
      }),
    );
    expect(outcome).toEqual({ exitCode: 0, stdout: '{\n "evaluated": true\n}\n', stderr: '' });
    expect(seen).toEqual([JSON.parse(REFERENCE_TEXT)]);
  });

  it('exits 3 when the WebGPU path cannot run, and never starts it for a bad document', async () => {
    const unavailable = await runQnnEval(['ref.json', '--backend', 'webgpu'], withFiles({ 'ref.json': REFERENCE_TEXT }));
    expect(unavailable.exitCode).toBe(3);
    expect(unavailable.stderr).toMatch(/WebGPU backend is not available: no browser in this test/);
    const bad = await runQnnEval(
      ['bad.json', '--backend', 'webgpu'],
      withFiles({ 'bad.json': '{}' }, async () => {
        throw new Error('must not be called');
      }),
    );
    expect(bad.exitCode).toBe(2);
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
  ])('exits 2 with a message on stderr for %s', async (_, args, message) => {
    const one = { n_qubits: 1, n_layers: 1, x: [0], weights: [[[0, 0, 0]]], cotangent: [0, 0, 0, 0] };
    const outcome = await runQnnEval(
      args,
      withFiles({
        'ref.json': REFERENCE_TEXT,
        'bad.json': '{"cases": [',
        'empty.json': '{}',
        'shape.json': JSON.stringify({
          cases: [
            {
              ...one,
              n_qubits: 2,
              x: [0, 0],
              weights: [
                [
                  [0, 0, 0],
                  [0, 0],
                ],
              ],
              cotangent: Array(8).fill(0),
            },
          ],
        }),
        'big.json': JSON.stringify({ cases: [{ ...one, n_qubits: 12 }] }),
        'nan.json': JSON.stringify({ cases: [{ ...one, x: ['0'] }] }),
      }),
    );
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(message);
  });
});
