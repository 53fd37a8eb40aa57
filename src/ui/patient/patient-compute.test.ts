import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPatientRecordText } from '../../patient/patient-record';
import { chooseModel, computePatient, emptyForm, formOfRecord, modelCovariates, readForm, whatIf } from './patient-compute';

const modelText = readFileSync(new URL('../../../test-data/models/estdata-published.study.json', import.meta.url), 'utf8');
const patientText = readFileSync(new URL('../../../test-data/patients/example.patient.json', import.meta.url), 'utf8');

describe('the Patient view computation', () => {
  const choice = chooseModel(modelText, 'example');
  if (!choice.ok) throw new Error(choice.message);
  const { spec, model } = choice;

  it('names the model covariates and refuses a model without fixed values', () => {
    expect(modelCovariates(spec)).toEqual(['BW', 'COMED']);
    const broken = JSON.parse(modelText) as { model: { parameters: Record<string, number> } };
    delete broken.model.parameters.KOUT;
    const refused = chooseModel(JSON.stringify(broken), 'broken.study.json');
    expect(refused.ok).toBe(false);
    expect(chooseModel('{', 'x.json')).toMatchObject({ ok: false });
  });

  it('reads the example patient through the form and recommends 3.5 mg with P ≈ 0.91', () => {
    const reading = readPatientRecordText(patientText);
    if (!reading.ok) throw new Error('example');
    const form = readForm(spec, formOfRecord(spec, reading.record));
    if (!form.ok) throw new Error(JSON.stringify(form.problems));
    const result = computePatient(spec, model, form.record);
    expect(result.report.recommendation.dose).toBe(3.5);
    expect(result.report.recommendation.probability).toBeGreaterThan(0.9);
    expect(result.targets).toEqual([3.3]);
    expect(result.band.median.length).toBe(result.band.times.length);
    const low = whatIf(result, spec, model, 1);
    const high = whatIf(result, spec, model, 5);
    expect(high.probability).toBeGreaterThan(low.probability);
    expect(high.band.times.length).toBeGreaterThan(0);
  });

  it('names the problems of an invalid entry by field', () => {
    const form = emptyForm(spec);
    form.covariates.BW = '82';
    form.doses[0].amount = '-5';
    form.levels[0] = { time: '10', endpoint: 'pd', value: '4' };
    const reading = readForm(spec, form);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    const paths = reading.problems.map((p) => p.path);
    expect(paths).toContain('covariates.COMED');
    expect(paths).toContain('doses[0].amount');
  });
});
