import { describe, expect, it } from 'vitest';
import { exampleFacts } from '../../model/trained-model-fixture';
import { NAME_MAX_LENGTH, nameProblem } from '../../store/names';
import { loadRealStudy } from '../../data/features/test-support';
import { studyReportLabels, trainedModelLabels } from '../../model/report/labels';
import { cancelledSummary, defaultModelName, headlineMetric } from './model-labels';

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

describe('the saved model row’s headline RMSE', () => {
  const theophylline = loadRealStudy('theo_sd', 'theophylline').spec;
  const pkOnly = exampleFacts({
    validation: { pk: exampleFacts().validation.pk, pd: null },
    epochs: { pk: { run: 2, best: 2, stop: 'max-epochs' } },
    labels: studyReportLabels(theophylline, null),
  });

  it('of a PK-only model: PK, named, in the unit recorded with it (mg/L)', () => {
    const metric = headlineMetric(pkOnly, trainedModelLabels(pkOnly));
    expect(metric.target).toBe('pk');
    expect(metric.endpoint).toBe('PK (Theophylline)');
    expect(metric.value(pkOnly.validation)).toBe('2.1 mg/L');
    expect(metric.value(null)).toBe('–');
  });

  it('of a model saved before study specs: PD in ng/mL, as before', () => {
    const old = exampleFacts();
    const metric = headlineMetric(old, trainedModelLabels(old));
    expect([metric.target, metric.endpoint, metric.value(old.validation)]).toEqual(['pd', 'PD', '0.93 ng/mL']);
  });
});

describe('the summary of a cancelled training', () => {
  const pkKept = exampleFacts({ epochs: { pk: { run: 3, best: 2, stop: 'cancelled' } } });

  it('says the PD network was not trained only where the study has one', () => {
    expect(cancelledSummary(pkKept, true)).toBe(
      "the PK network's best epoch (2 of 3 run); the PD network was not trained, so it predicts PK only",
    );
    expect(cancelledSummary(pkKept, false)).toBe("the PK network's best epoch (2 of 3 run)");
  });
});
