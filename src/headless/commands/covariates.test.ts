import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readStudySpecText } from '../../study/study-spec-reader';
import { readRealDatasetCsv } from '../../testing/fixture-files';
import { runHeadlessCommand } from '../registry';
import type { CovariatesArgs } from './covariates';
import { FitInputError } from './fit';
import './covariates';

const specText = (name: string): string => readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8');

function args(edit: (spec: Record<string, any>) => void = () => {}): CovariatesArgs {
  const spec = JSON.parse(specText('theophylline')) as Record<string, any>;
  edit(spec);
  return { csvText: readRealDatasetCsv('theo_sd'), fileName: 'theo_sd.csv', specText: JSON.stringify(spec), specName: 'theo.study.json' };
}

describe('headless covariates', () => {
  it('searches WT on CL, V and KA of theophylline: each step with its table, the chosen covariates and the new spec', async () => {
    const report = (await runHeadlessCommand('covariates', args())) as Record<string, any>;
    expect(report.structure).toEqual({ pk: 'oral 1-compartment', pd: null });
    expect(report.thresholds).toEqual({ forward: 3.84, backward: 6.63 });
    expect(report.candidates).toEqual(['CL~WT', 'V~WT', 'KA~WT']);
    expect(report.steps.length).toBeGreaterThanOrEqual(1);
    const first = report.steps[0];
    expect(first).toMatchObject({ phase: 'forward', step: 1, threshold: 3.84, from: [] });
    expect(first.rows.map((r: Record<string, unknown>) => r.effect)).toEqual(['CL~WT', 'V~WT', 'KA~WT']);
    for (const row of first.rows) {
      expect(row).toMatchObject({ form: 'power', stage: 'pk', converged: true });
      expect(row.deltaOfv).toBeCloseTo(first.ofv.pk - row.ofv, 2);
    }
    // Twelve subjects: no weight effect reaches p < 0.05 (the spec's own CL~WT is not kept: the search decides).
    expect(first.chosen).toBeNull();
    expect(report.covariates).toEqual([]);
    expect(report.notes).toEqual(["The spec's estimated effects (CL~WT) are not in the base model: the search decides them."]);
    // The spec with the chosen covariates: a spec fit reads (as --out writes it), the input's otherwise.
    const reading = readStudySpecText(JSON.stringify(report.spec));
    expect(reading.ok).toBe(true);
    expect(report.spec.model.covariates).toEqual(report.covariates);
    expect({ ...report.spec, model: { ...report.spec.model, covariates: 'x' } }).toEqual({
      ...JSON.parse(specText('theophylline')),
      model: { ...JSON.parse(specText('theophylline')).model, covariates: 'x' },
    });
    expect(typeof report.seconds).toBe('number');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('refuses what fit refuses', async () => {
    await expect(
      runHeadlessCommand(
        'covariates',
        args((s) => (s.model.covariates[0].column = 'AGE')),
      ),
    ).rejects.toThrow(FitInputError);
  });
});
