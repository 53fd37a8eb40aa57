import { beforeAll, describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData } from '../data/features/test-support';
import { createSplitView, referenceSplit } from '../data/splits/index';
import { ModelFormatError } from './errors';
import { MODEL_FILE_FORMAT, modelFileName, modelFileText, readModelFile } from './model-file';
import { disposeModel, predictObservations } from './pkpd-model';
import { loadModel, type ModelDocument, saveModel } from './serialize';
import { useCpuBackend } from './test-support';
import { trainPkPd } from './train-pkpd';
import type { ReportLabels } from './report/labels';
import type { TrainedModelMeta } from './trained-model';
import { exampleFacts } from './trained-model-fixture';

let document: ModelDocument;
const meta: TrainedModelMeta = {
  ...exampleFacts({ config: { ...exampleFacts().config, mode: 'independent', encoder: 'resmlp-moe' } }),
  id: 'm1',
  name: 'Control run',
  createdAt: 1_700_000_000_000,
};

beforeAll(async () => {
  await useCpuBackend();
  const data = loadEstData();
  const trained = await trainPkPd(createSplitView(data, referenceSplit(data)), {
    mode: 'independent',
    encoder: 'resmlp-moe',
    study: estDataSpec(),
    architecture: { hidden: 8, depth: 1 },
    training: { epochs: 1, batchSize: 512 },
  });
  document = saveModel(trained.model);
  disposeModel(trained.model);
});

const edited = (change: (file: Record<string, any>) => void): string => {
  const file = JSON.parse(modelFileText(meta, document));
  change(file);
  return JSON.stringify(file);
};

function problemOf(text: string): string {
  try {
    readModelFile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFormatError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('model file', () => {
  it('reads a file saved before the mechanistic head as a direct model, and refuses a head its model is not', () => {
    const older = readModelFile(edited((file) => delete file.meta.config.head));
    expect(older.meta.config.head).toBe('direct');
    expect(older.meta.config).toEqual(meta.config);
    // A direct model's networks under a description of the mechanistic head: refused, naming the field.
    expect(() => readModelFile(edited((file) => (file.meta.config.head = 'mechanistic')))).toThrow(
      /model\.format is not qpkpd-studio\/hybrid-model/,
    );
    expect(() => readModelFile(edited((file) => (file.meta.config.head = 'ode')))).toThrow(/meta\.config\.head is invalid/);
  });

  it('round-trips the description (metrics, curves, test status) and weights that predict identically', () => {
    const withNaN = { ...meta, validation: { ...meta.validation, pk: { ...meta.validation.pk!, r2: Number.NaN } } };
    const text = modelFileText(withNaN, document);
    expect(JSON.parse(text)).toMatchObject({ format: MODEL_FILE_FORMAT, version: 1 });
    const file = readModelFile(text);
    expect(file.meta).toEqual(withNaN);
    expect(file.model).toEqual(JSON.parse(JSON.stringify(document)));

    const data = loadEstData();
    const original = loadModel(document);
    const imported = loadModel(file.model);
    const subjects = [0, 1, 2];
    expect(predictObservations(imported, data, subjects).pd?.predicted).toEqual(
      predictObservations(original, data, subjects).pd?.predicted,
    );
    disposeModel(original);
    disposeModel(imported);
  });

  it('names the download after the model', () => {
    expect(modelFileName('QNN run 1')).toBe('QNN run 1.qpkpd-model.json');
    expect(modelFileName('a/b: c?')).toBe('a_b_ c_.qpkpd-model.json');
  });

  it('says what is wrong with a file that is not a model file, is newer, or is damaged', () => {
    expect(problemOf('ID,TIME,DV\n1,0,3')).toMatch(/^This is not a QPKPD Studio model file/);
    expect(problemOf(JSON.stringify({ format: 'qpkpd-studio/pkpd-model' }))).toMatch(/not a QPKPD Studio model file/);
    expect(problemOf(edited((f) => (f.version = 2)))).toMatch(/made by a newer version of QPKPD Studio \(file version 2/);
    expect(problemOf(edited((f) => (f.version = 0)))).toBe(
      'This model file is damaged: version is not 1. Export the model again from the QPKPD Studio it was saved in, and import the new file.',
    );
    expect(problemOf(edited((f) => delete f.meta.validation))).toBe(
      'This model file is damaged: meta.validation is missing or not an object. Export the model again from the QPKPD Studio it was saved in, and import the new file.',
    );
    expect(problemOf(edited((f) => (f.meta.config.qubits = 12)))).toMatch(
      /damaged: meta\.config\.qubits is invalid \(Enter a whole number from 1 to 9/,
    );
    expect(problemOf(edited((f) => (f.meta.curves[1].valLoss = 'x')))).toMatch(/damaged: meta\.curves\[1\]\.valLoss/);
    expect(problemOf(edited((f) => (f.meta.testEvaluatedAt = 5)))).toMatch(/damaged: meta\.test and its date disagree/);
    expect(problemOf(edited((f) => f.model.branches[0].network.weights[0].values.pop()))).toMatch(
      /damaged: model\.branches\[0\]\.network\.weights hold [\d,]+ values, but the network they belong to .* has [\d,]+ parameters\. Export the model again/,
    );
    expect(problemOf(edited((f) => (f.meta.config.encoder = 'mlp')))).toMatch(/damaged: model has another encoder or mode/);
  });

  it('keeps the study labels recorded with a model, reads files without them as before, and refuses damaged ones by their path', () => {
    const labels: ReportLabels = {
      time: 'd',
      amount: 'µg',
      pk: { name: 'Theophylline', unit: 'mg/L' },
      pd: { name: 'PD', unit: '' },
      criterion: { endpoint: 'pk', rule: 'within', range: [10, 20], unit: 'mg/L', name: 'Theophylline' },
    };
    expect(readModelFile(modelFileText({ ...meta, labels }, document)).meta.labels).toEqual(labels);
    expect('labels' in readModelFile(modelFileText(meta, document)).meta).toBe(false);
    const damaged = (change: (l: Record<string, any>) => void): string => {
      const file = JSON.parse(modelFileText({ ...meta, labels }, document));
      change(file.meta.labels);
      return problemOf(JSON.stringify(file));
    };
    expect(damaged((l) => delete l.pk.unit)).toMatch(/damaged: meta\.labels\.pk\.unit is missing or not text/);
    expect(damaged((l) => (l.time = 'h'.repeat(101)))).toMatch(/damaged: meta\.labels\.time is longer than any study spec allows/);
    expect(damaged((l) => (l.criterion.range = [20, 10]))).toMatch(/damaged: meta\.labels\.criterion\.range is not \[low, high\]/);
    expect(damaged((l) => (l.criterion.endpoint = 'both'))).toMatch(/damaged: meta\.labels\.criterion\.endpoint is not one of pk, pd/);
  });
});
