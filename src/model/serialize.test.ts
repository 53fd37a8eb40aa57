import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData } from '../data/features/test-support';
import { referenceSplit } from '../data/splits/split';
import { createSplitView } from '../data/splits/view';
import { ModelFormatError } from './errors';
import { disposeModel, predictObservations } from './pkpd-model';
import { loadModel, MODEL_DOCUMENT_FORMAT, modelToJSON, saveModel } from './serialize';
import { useCpuBackend } from './test-support';
import { trainPkPd } from './train-pkpd';

beforeAll(useCpuBackend);

const data = loadEstData();
const split = referenceSplit(data);

describe('model documents', () => {
  it('save → JSON → load gives identical predictions (cascade, MoE, classification head, MC dropout)', async () => {
    const { model, validation } = await trainPkPd(createSplitView(data, split), {
      mode: 'cascade',
      encoder: 'qmoe-resmlp',
      study: estDataSpec(),
      architecture: { hidden: 8, depth: 1, nQubits: 2, nLayers: 1, dropout: 0.2 },
      classification: { thresholdNgMl: 3.3 },
      training: { epochs: 1, batchSize: 512 },
      seed: 2,
    });
    const text = modelToJSON(model, { validation });
    const doc = JSON.parse(text);
    expect(doc.format).toBe(MODEL_DOCUMENT_FORMAT);
    expect(doc.version).toBe(1);
    expect(doc.branches.map((b: { name: string }) => b.name)).toEqual(['pk', 'pd']);
    expect(Array.isArray(doc.branches[0].network.weights[0].values)).toBe(true);
    const tensorsBefore = memory().numTensors;
    const loaded = loadModel(text);
    for (const options of [{}, { mcDropout: true, mcSamples: 5, seed: 9 }]) {
      const a = predictObservations(model, data, split.val, options);
      const b = predictObservations(loaded, data, split.val, options);
      for (const target of ['pk', 'pd'] as const) {
        expect(Array.from(b[target]!.predicted)).toEqual(Array.from(a[target]!.predicted));
        expect(b[target]!.sd === null ? null : Array.from(b[target]!.sd)).toEqual(
          a[target]!.sd === null ? null : Array.from(a[target]!.sd),
        );
      }
      expect(Array.from(b.pd!.probabilityMet!)).toEqual(Array.from(a.pd!.probabilityMet!));
    }
    expect(saveModel(loaded).branches).toEqual(saveModel(model).branches);
    // Each feature model records its covariates: the loaded model reads EstData's two, whatever the feature code's defaults.
    for (const branch of loaded.branches) {
      expect(branch.featureModel.spec.covariates).toEqual(['BW', 'COMED']);
      expect(branch.featureModel.spec.bodyWeight).toBe('BW');
      expect(branch.featureModel.names.slice(0, 2)).toEqual(['BW', 'COMED']);
    }
    disposeModel(loaded);
    expect(memory().numTensors).toBe(tensorsBefore);

    // damaged documents are refused with a ModelFormatError, leaking nothing
    expect(() => loadModel({ ...doc, version: 2 })).toThrow(ModelFormatError);
    expect(() => loadModel({ ...doc, format: 'other' })).toThrow(ModelFormatError);
    const badWeights = structuredClone(doc);
    badWeights.branches[1].network.weights[0].values.pop();
    expect(() => loadModel(badWeights)).toThrow(ModelFormatError);
    const badScaler = structuredClone(doc);
    badScaler.branches[1].featureScaler.names.pop();
    expect(() => loadModel(badScaler)).toThrow(ModelFormatError);
    expect(memory().numTensors).toBe(tensorsBefore);

    // the head's criterion is recorded; files from before study specs ({ thresholdNgMl }) read as "PD below" it
    expect(doc.classification).toEqual({ endpoint: 'pd', rule: 'below', threshold: 3.3, unit: 'ng/mL', name: 'PD' });
    const legacy = loadModel({ ...doc, classification: { thresholdNgMl: 3.3 } });
    expect(legacy.classification).toEqual({ endpoint: 'pd', rule: 'below', threshold: 3.3, unit: 'ng/mL', name: 'PD' });
    disposeModel(legacy);
    const within = { endpoint: 'pd', rule: 'within', range: [2, 4], unit: 'ng/mL', name: 'Biomarker' };
    const ranged = loadModel({ ...doc, classification: within });
    expect(ranged.classification).toEqual(within);
    expect(saveModel(ranged).classification).toEqual(within);
    disposeModel(ranged);
    expect(() => loadModel({ ...doc, classification: { ...within, range: [4, 2] } })).toThrow(
      'model.classification.range is not [low, high] with low < high',
    );
    expect(() => loadModel({ ...doc, classification: { ...within, rule: 'near' } })).toThrow(/model\.classification\.rule/);
    expect(memory().numTensors).toBe(tensorsBefore);
    disposeModel(model);
  });

  it('a width-matched control survives save → load (identical predictions); documents without quantumBlocks load as circuits', async () => {
    const view = createSplitView(data, split);
    const train = (quantumBlocks: 'circuit' | 'width-matched-control') =>
      trainPkPd(view, {
        mode: 'multitask',
        encoder: 'qnn-resmlp-moe',
        study: estDataSpec(),
        architecture: { hidden: 8, depth: 1, nQubits: 2, nLayers: 1 },
        quantumBlocks,
        training: { epochs: 1, batchSize: 512 },
        seed: 3,
      });
    const control = (await train('width-matched-control')).model;
    const circuit = (await train('circuit')).model;
    const controlDoc = saveModel(control);
    expect(controlDoc.branches[0].network.config.quantumBlocks).toBe('width-matched-control');
    expect(controlDoc.branches[0].network.weights.some((w) => w.name.endsWith('/control/kernel'))).toBe(true);
    const loadedControl = loadModel(JSON.stringify(controlDoc));
    expect(loadedControl.branches[0].network.config.quantumBlocks).toBe('width-matched-control');
    expect(loadedControl.branches[0].network.parameters.count().quantum).toBe(0);

    const oldDoc = structuredClone(saveModel(circuit)) as unknown as { branches: { network: { config: Record<string, unknown> } }[] };
    delete oldDoc.branches[0].network.config.quantumBlocks;
    const loadedCircuit = loadModel(oldDoc);
    expect(loadedCircuit.branches[0].network.config.quantumBlocks).toBe('circuit');

    for (const [original, loaded] of [
      [control, loadedControl],
      [circuit, loadedCircuit],
    ]) {
      const a = predictObservations(original, data, split.val);
      const b = predictObservations(loaded, data, split.val);
      for (const target of ['pk', 'pd'] as const) expect(Array.from(b[target]!.predicted)).toEqual(Array.from(a[target]!.predicted));
    }
    const [pControl, pCircuit] = [control, circuit].map((m) => predictObservations(m, data, split.val).pd!.predicted[0]);
    expect(pControl).not.toBe(pCircuit);
    for (const m of [control, circuit, loadedControl, loadedCircuit]) disposeModel(m);
  });
});
