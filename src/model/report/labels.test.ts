import { describe, expect, it } from 'vitest';
import { loadRealStudy } from '../../data/features/test-support';
import { estDataPreset } from '../../study/estdata-preset';
import { studyClassification } from '../classification';
import { exampleFacts } from '../trained-model-fixture';
import { endpointTitle, experimentEndpoint, LEGACY_LABELS, studyReportLabels, trainedModelLabels } from './labels';

const theophylline = loadRealStudy('theo_sd', 'theophylline').spec;

describe('the labels of a trained model', () => {
  it('are those recorded with it (a PK-only model in mg/L), whatever study is open', () => {
    const labels = studyReportLabels(theophylline, studyClassification(theophylline));
    const estdata = studyReportLabels(estDataPreset(), null);
    expect(trainedModelLabels(exampleFacts({ labels }), estdata)).toBe(labels);
    expect(labels.pk).toEqual({ name: 'Theophylline', unit: 'mg/L' });
  });

  it('without recorded labels: the open study’s when given, else those of models saved before study specs (EstData’s)', () => {
    const open = studyReportLabels(theophylline, null);
    expect(trainedModelLabels(exampleFacts(), open)).toBe(open);
    const legacy = trainedModelLabels(exampleFacts({ config: { ...exampleFacts().config, classification: true } }));
    expect(legacy).toMatchObject({ ...LEGACY_LABELS, criterion: { endpoint: 'pd', rule: 'below', threshold: 3.3, unit: 'ng/mL' } });
    expect(trainedModelLabels(exampleFacts()).criterion).toBeNull();
  });
});

describe('the endpoint of the experiments', () => {
  it('is the study’s response, named and in its unit; PK in a study without one; EstData’s PD without a study', () => {
    expect(experimentEndpoint(estDataPreset())).toEqual({ target: 'pd', name: 'Biomarker', unit: 'ng/mL' });
    expect(experimentEndpoint(theophylline)).toEqual({ target: 'pk', name: 'Theophylline', unit: 'mg/L' });
    expect(experimentEndpoint(null)).toEqual({ target: 'pd', name: 'PD', unit: 'ng/mL' });
  });

  it('is titled by its role and its name', () => {
    expect(endpointTitle(experimentEndpoint(theophylline))).toBe('PK (Theophylline)');
    expect(endpointTitle(experimentEndpoint(null))).toBe('PD');
  });
});
