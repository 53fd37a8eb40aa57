/**
 * Hostile model files through the function the app's import runs (`importModelFile`, called by the
 * training worker for the file the user picked): each is refused with a message naming what is
 * wrong, nothing is stored, and — but for the one problem only a network can tell — no TF.js
 * variable is created before it is refused.
 */
import 'fake-indexeddb/auto';
import { memory } from '@tensorflow/tfjs-core';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { estDataSpec, loadEstData } from '../data/features/test-support';
import { createSplitView, referenceSplit } from '../data/splits/index';
import { DEFAULT_ARCHITECTURE, modelArchitecture } from '../quantum/resources/architecture';
import { closeStudioDatabase } from '../store/database';
import { listTrainedModels, loadTrainedModel } from '../store/models';
import { hostileModelFiles, oddModelFiles } from '../testing/hostile-model-files';
import { ModelFormatError } from './errors';
import { importModelFile, modelFileText } from './model-file';
import { createNetwork } from './network';
import { ParameterSet } from './parameters';
import { disposeModel } from './pkpd-model';
import { saveModel } from './serialize';
import { useCpuBackend } from './test-support';
import { trainPkPd } from './train-pkpd';
import type { TrainedModelMeta } from './trained-model';
import { exampleFacts } from './trained-model-fixture';
import { MAX_MODEL_FILE_BYTES } from './parameter-budget';
import { MAX_MODEL_FILE_NESTING, modelFileSizeProblem } from './trained-model-check';
import { jsonShapeIssue } from './untrusted-json';

const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
let base: string;

const meta: TrainedModelMeta = {
  ...exampleFacts({
    config: { ...exampleFacts().config, encoder: 'qnn-resmlp-moe', mode: 'cascade', classification: true },
  }),
  id: 'genuine',
  name: 'Genuine',
  createdAt: 1_700_000_000_000,
};

beforeAll(async () => {
  globalThis.indexedDB = new IDBFactory();
  await useCpuBackend();
  const data = loadEstData();
  const trained = await trainPkPd(createSplitView(data, referenceSplit(data)), {
    mode: 'cascade',
    encoder: 'qnn-resmlp-moe',
    study: estDataSpec(),
    architecture: { hidden: 8, depth: 1, nQubits: 2, nLayers: 1 },
    classification: { thresholdNgMl: 3.3 },
    training: { epochs: 1, batchSize: 512 },
  });
  base = modelFileText(meta, saveModel(trained.model));
  disposeModel(trained.model);
  // A model already stored, which no refused file may touch.
  await importModelFile(new Blob([base]));
});

afterAll(async () => {
  await closeStudioDatabase();
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const stored = async (): Promise<string[]> => (await listTrainedModels()).map((m) => `${m.id} ${m.name}`);

async function refusal(content: string | Uint8Array): Promise<string> {
  try {
    await importModelFile(new Blob([content as BlobPart]));
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return (error as Error).message;
  }
  throw new Error('the file was imported');
}

describe('hostile model files', () => {
  it('the genuine file imports (the corpus edits a file that works)', async () => {
    expect((await listTrainedModels()).map((m) => m.name)).toEqual(['Genuine']);
    expect(jsonShapeIssue(JSON.parse(base), MAX_MODEL_FILE_NESTING / 2, '')).toBeNull();
  });

  it('every case of the corpus is refused, saying what is wrong; nothing is stored, and nothing built before the checks', async () => {
    const before = await stored();
    const cases = hostileModelFiles(base);
    expect(cases.length).toBeGreaterThan(50);
    for (const file of cases) {
      const add = vi.spyOn(ParameterSet.prototype, 'add');
      const tensors = memory().numTensors;
      const message = await refusal(file.content);
      expect(message, file.name).toMatch(file.expected);
      // Never a raw exception text.
      expect(message, file.name).not.toMatch(/RangeError|TypeError|SyntaxError|Maximum call stack|Invalid (typed )?array length|undefined/);
      if (file.refusedBeforeBuild) expect(add, `${file.name}: TF.js variables were created`).not.toHaveBeenCalled();
      else expect(add, file.name).toHaveBeenCalled();
      expect(memory().numTensors, file.name).toBe(tensors);
      add.mockRestore();
    }
    expect(await stored()).toEqual(before);
  });

  it('checks the size before reading the text: a file over the limit is never read', async () => {
    const text = vi.fn(() => Promise.resolve(base));
    const huge = { size: MAX_MODEL_FILE_BYTES + 1, text } as unknown as Blob;
    await expect(importModelFile(huge)).rejects.toThrow(
      /^This file is 64\.0 MB, larger than any model file of QPKPD Studio \(at most 64\.0 MB\), so it was not read\. Choose a \.qpkpd-model\.json file/,
    );
    expect(text).not.toHaveBeenCalled();
    expect(modelFileSizeProblem(3 * MAX_MODEL_FILE_BYTES)).toMatch(/^This file is 192\.0 MB/);
    expect(modelFileSizeProblem(0)).toMatch(/^This file is empty\./);
    expect(modelFileSizeProblem(MAX_MODEL_FILE_BYTES)).toBeNull();
  });

  it('imports odd but harmless files as they are: names as plain text, unknown fields left out', async () => {
    for (const file of oddModelFiles(base)) {
      const imported = await importModelFile(new Blob([file.content]));
      expect(imported.name, file.name).toBe(file.storedName);
      const { meta: storedMeta, document } = await loadTrainedModel(imported.id);
      expect(storedMeta.name).toBe(file.storedName);
      expect(JSON.stringify({ storedMeta, document }), file.name).not.toContain('"extra"');
    }
  });

  it('the largest model of the training form defaults (ResMLP-MoE, cascade, classification head) fits the file limit 7× over', () => {
    // Cascade: a PK network on the features and a PD network with PK_PRED and the classification head.
    let parameters = 0;
    let characters = 0;
    for (const [targets, classification, inputs] of [
      [['pk'], false, 26],
      [['pd'], true, 27],
    ] as const) {
      const network = createNetwork({
        encoder: 'resmlp-moe',
        architecture: modelArchitecture(inputs, { hidden: DEFAULT_ARCHITECTURE.hidden }),
        targets: [...targets],
        classification,
        routerNoise: 1,
        seed: 0,
      });
      const weights = network.parameters.toValues();
      parameters += weights.reduce((n, w) => n + w.values.length, 0);
      characters += JSON.stringify(weights).length;
      network.dispose();
    }
    expect(parameters).toBeGreaterThan(410_000);
    expect(characters * 7).toBeLessThan(MAX_MODEL_FILE_BYTES);
  });
});
