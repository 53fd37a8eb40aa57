/**
 * The WebAssembly backend (what `auto` picks without a hardware GPU) against its CPU twin: the same
 * seeded training run gives the same validation metrics, and the quantum op's gradients agree.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { grads, memory, setBackend, sum, tensor2d, tensor3d } from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData } from '../data/features/test-support';
import { referenceSplit } from '../data/splits/split';
import { createSplitView } from '../data/splits/view';
import { qnnLayer } from '../quantum/tfjs/qnn-layer';
import { reuploadingStronglyEntangling } from '../quantum/template';
import { disposeModel } from './pkpd-model';
import { randomMatrix } from './test-support';
import { trainPkPd } from './train-pkpd';

setWasmPaths(fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));

const data = loadEstData();
const split = referenceSplit(data);

async function validationOn(backend: 'cpu' | 'wasm') {
  await setBackend(backend);
  const { model, validation } = await trainPkPd(createSplitView(data, split), {
    mode: 'cascade',
    encoder: 'qnn-resmlp-moe',
    study: estDataSpec(),
    architecture: { hidden: 16, depth: 1, nQubits: 3, nLayers: 2, experts: 2, topK: 1 },
    training: { epochs: 2, batchSize: 128 },
    seed: 4,
  });
  disposeModel(model);
  return validation;
}

async function qnnGradsOn(backend: 'cpu' | 'wasm') {
  await setBackend(backend);
  const before = memory().numTensors;
  const x = tensor2d(randomMatrix(5, 4, 1), [5, 4]);
  const w = tensor3d(
    Array.from(randomMatrix(2, 4, 2)).flatMap((v) => [v, v / 2, -v]),
    [2, 4, 3],
  );
  const [gx, gw] = grads((a, b) => sum(qnnLayer(a as Tensor2D, b as Tensor3D, reuploadingStronglyEntangling(4, 2))))([x, w]);
  const out = { gx: Array.from(gx.dataSync()), gw: Array.from(gw.dataSync()) };
  [x, w, gx, gw].forEach((t) => t.dispose());
  expect(memory().numTensors).toBe(before);
  return out;
}

describe('the WebAssembly backend and its CPU twin', () => {
  it('the quantum op gives the same gradients on wasm and cpu', async () => {
    const cpu = await qnnGradsOn('cpu');
    const wasm = await qnnGradsOn('wasm');
    wasm.gx.forEach((v, i) => expect(v).toBeCloseTo(cpu.gx[i], 5));
    wasm.gw.forEach((v, i) => expect(v).toBeCloseTo(cpu.gw[i], 5));
    expect(cpu.gw.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });

  it('a seeded quantum cascade training run gives the same validation metrics on wasm and cpu', async () => {
    const cpu = await validationOn('cpu');
    const wasm = await validationOn('wasm');
    for (const target of ['pk', 'pd'] as const) {
      expect(wasm[target]!.rmse_z).toBeCloseTo(cpu[target]!.rmse_z, 4);
      expect(wasm[target]!.rmse).toBeCloseTo(cpu[target]!.rmse, 3);
    }
  }, 60_000);
});
