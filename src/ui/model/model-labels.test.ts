import { describe, expect, it } from 'vitest';
import { exampleFacts } from '../../model/trained-model-fixture';
import { NAME_MAX_LENGTH, nameProblem } from '../../store/names';
import { defaultModelName } from './model-labels';

describe('the default name of a model', () => {
  it('names the encoder, the mode and the dataset', () => {
    expect(defaultModelName(exampleFacts({ datasetName: 'EstData' }))).toBe('QNN-ResMLP-MoE cascade · EstData');
  });

  it('can always be saved: a dataset name of the longest kind is shortened to keep the name within the limit', () => {
    for (const datasetName of ['d'.repeat(NAME_MAX_LENGTH), `${'d'.repeat(173)}😀${'e'.repeat(50)}`, 'x'.repeat(NAME_MAX_LENGTH - 26)]) {
      const name = defaultModelName(exampleFacts({ datasetName }));
      expect(name.length, datasetName).toBeLessThanOrEqual(NAME_MAX_LENGTH);
      expect(nameProblem('model', name, [])).toBeNull();
      expect(name.isWellFormed()).toBe(true);
    }
    expect(defaultModelName(exampleFacts({ datasetName: 'd'.repeat(NAME_MAX_LENGTH) }))).toMatch(/^QNN-ResMLP-MoE cascade · d+…$/);
  });
});
