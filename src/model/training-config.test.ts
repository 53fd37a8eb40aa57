import { describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData, loadRealStudy } from '../data/features/test-support';
import { DEFAULT_ARCHITECTURE } from '../quantum/resources/architecture';
import { DEFAULT_TRAINING } from './train-network';
import {
  architectureProblems,
  checkTrainingConfig,
  DEFAULT_TRAINING_CONFIG,
  pkPdOptions,
  splitOf,
  TRAINING_LIMITS,
  TRAINING_SPLITS,
  trainingConfigProblems,
} from './training-config';

describe('training config', () => {
  it("defaults to the headline model with the library's training defaults", () => {
    const c = DEFAULT_TRAINING_CONFIG;
    expect(c).toMatchObject({
      encoder: 'qnn-resmlp-moe',
      mode: 'cascade',
      qubits: 8,
      layers: 3,
      seed: 0,
      split: 'reference',
      backend: 'auto',
    });
    expect({ epochs: c.epochs, patience: c.patience, learningRate: c.learningRate, batchSize: c.batchSize }).toEqual({
      epochs: DEFAULT_TRAINING.epochs,
      patience: DEFAULT_TRAINING.patience,
      learningRate: DEFAULT_TRAINING.learningRate,
      batchSize: DEFAULT_TRAINING.batchSize,
    });
    expect({ hidden: c.hidden, depth: c.depth, experts: c.experts, dropout: c.dropout }).toEqual({
      hidden: DEFAULT_ARCHITECTURE.hidden,
      depth: DEFAULT_ARCHITECTURE.depth,
      experts: DEFAULT_ARCHITECTURE.experts,
      dropout: DEFAULT_ARCHITECTURE.dropout,
    });
    expect(trainingConfigProblems(c)).toEqual({});
  });

  it('names every field that is out of range, with what to enter', () => {
    const bad = {
      ...DEFAULT_TRAINING_CONFIG,
      qubits: 10,
      layers: 0,
      epochs: 2.5,
      learningRate: 0,
      mcSamples: 1,
      dropout: 0.95,
      split: 'cv9-fold1',
    } as never;
    const problems = trainingConfigProblems(bad);
    expect(Object.keys(problems).sort()).toEqual(['dropout', 'epochs', 'layers', 'learningRate', 'mcSamples', 'qubits', 'split']);
    expect(problems.qubits).toBe('Enter a whole number from 1 to 9.');
    expect(problems.mcSamples).toMatch(/0 \(no bands\)/);
    expect(trainingConfigProblems({ ...DEFAULT_TRAINING_CONFIG, mcSamples: 0 })).toEqual({});
    expect(() => checkTrainingConfig(bad)).toThrow(/qubits: Enter a whole number from 1 to 9/);
  });

  it('builds the split it names: the reference split and the five folds', () => {
    const data = loadEstData();
    expect(TRAINING_SPLITS).toEqual(['reference', 'cv5-fold1', 'cv5-fold2', 'cv5-fold3', 'cv5-fold4', 'cv5-fold5']);
    const reference = splitOf(data, 'reference');
    expect(reference.val.map((s) => reference.ids[s])).toEqual(['16', '36', '46']);
    const folds = TRAINING_SPLITS.slice(1).map((name) => splitOf(data, name));
    expect(folds.map((f) => f.name)).toEqual(['cv5-fold1', 'cv5-fold2', 'cv5-fold3', 'cv5-fold4', 'cv5-fold5']);
    expect(new Set(folds.flatMap((f) => f.test)).size).toBe(data.subjects.length);
  });

  it('turns into trainPkPd options', () => {
    const options = pkPdOptions({ ...DEFAULT_TRAINING_CONFIG, hidden: 8, classification: true });
    // Without a study: EstData's head, PD below 3.3 ng/mL (as models saved before study specs).
    expect(options).toEqual({
      mode: 'cascade',
      encoder: 'qnn-resmlp-moe',
      architecture: { nQubits: 8, nLayers: 3, hidden: 8, depth: 2, experts: 4, dropout: 0.3 },
      training: { epochs: 300, patience: 30, learningRate: 1e-3, batchSize: 64 },
      classification: { endpoint: 'pd', rule: 'below', threshold: 3.3, unit: 'ng/mL', name: 'PD' },
      seed: 0,
    });
  });

  it('takes the study: its features and endpoints, its criterion as the head, its groups for the split', () => {
    const data = loadEstData();
    const preset = estDataSpec();
    const options = pkPdOptions({ ...DEFAULT_TRAINING_CONFIG, classification: true }, preset);
    expect(options.study).toBe(preset);
    expect(options.classification).toEqual({ endpoint: 'pd', rule: 'below', threshold: 3.3, unit: 'ng/mL', name: 'Biomarker' });
    const { questions: _none, ...noQuestions } = preset;
    expect(pkPdOptions({ ...DEFAULT_TRAINING_CONFIG, classification: true }, noQuestions).classification).toBeNull();
    const theophylline = loadRealStudy('theo_sd', 'theophylline');
    expect(pkPdOptions({ ...DEFAULT_TRAINING_CONFIG, classification: true }, theophylline.spec).classification).toEqual({
      endpoint: 'pk',
      rule: 'within',
      range: [10, 20],
      unit: 'mg/L',
      name: 'Theophylline',
    });
    // the preset's groups: DOSE × COMED (split.test.ts: the folds of before)
    expect(splitOf(data, 'cv5-fold1', preset).rule).toMatch(/stratified by group \(DOSE\) × COMED/);
    expect(splitOf(data, 'cv5-fold1').rule).toMatch(/stratified by arm \(/);
  });

  it("checks a network architecture against the form's own ranges (one source of truth)", () => {
    expect(architectureProblems(DEFAULT_ARCHITECTURE)).toEqual({});
    const L = TRAINING_LIMITS;
    const edges = { hidden: L.hidden, depth: L.depth, experts: L.experts, nQubits: L.qubits, nLayers: L.layers } as const;
    for (const [key, { min, max }] of Object.entries(edges)) {
      expect(architectureProblems({ ...DEFAULT_ARCHITECTURE, topK: 1, headHidden: 1, [key]: max }), `${key} = max`).toEqual({});
      expect(architectureProblems({ ...DEFAULT_ARCHITECTURE, topK: 1, headHidden: 1, [key]: min }), `${key} = min`).toEqual({});
      expect(Object.keys(architectureProblems({ ...DEFAULT_ARCHITECTURE, [key]: max + 1 })), key).toContain(key);
      expect(Object.keys(architectureProblems({ ...DEFAULT_ARCHITECTURE, [key]: min - 1 })), key).toContain(key);
      // The form refuses the same values.
      const formKey = key === 'nQubits' ? 'qubits' : key === 'nLayers' ? 'layers' : key;
      expect(trainingConfigProblems({ ...DEFAULT_TRAINING_CONFIG, [formKey]: max + 1 })[formKey as 'hidden']).toBe(
        architectureProblems({ ...DEFAULT_ARCHITECTURE, [key]: max + 1 })[key as 'hidden'],
      );
    }
    expect(architectureProblems({ ...DEFAULT_ARCHITECTURE, depth: 1_000_000 })).toEqual({ depth: 'Enter a whole number from 1 to 16.' });
    expect(architectureProblems({ ...DEFAULT_ARCHITECTURE, dropout: 0.95 })).toEqual({ dropout: 'Enter a rate from 0 to 0.9.' });
    expect(architectureProblems({ ...DEFAULT_ARCHITECTURE, depth: '2', experts: undefined })).toEqual({
      depth: 'Enter a whole number from 1 to 16.',
      experts: 'Enter a whole number from 2 to 32.',
    });
    expect(architectureProblems({ ...DEFAULT_ARCHITECTURE, topK: 5 })).toEqual({ topK: 'Top-k cannot exceed the number of experts.' });
    expect(architectureProblems({ ...DEFAULT_ARCHITECTURE, headHidden: 65 })).toEqual({
      headHidden: 'The head cannot be wider than the hidden width.',
    });
    expect(Object.keys(architectureProblems({ ...DEFAULT_ARCHITECTURE, readoutsPerQubit: 3, outputs: 2 })).sort()).toEqual([
      'outputs',
      'readoutsPerQubit',
    ]);
  });
});
