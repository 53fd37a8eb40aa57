import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPatientRecord, readPatientRecordText } from '../../patient/patient-record';
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
    const entry = formOfRecord(spec, reading.record);
    if (!entry.ok) throw new Error('form');
    expect(entry.converted).toBe(false);
    const form = readForm(spec, entry.form);
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
    form.levels[0] = { time: '10', endpoint: 'pd', value: '4', blq: false };
    const reading = readForm(spec, form);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    const paths = reading.problems.map((p) => p.path);
    expect(paths).toContain('covariates.COMED');
    expect(paths).toContain('doses[0].amount');
  });

  it('keeps infusions, below-LOQ levels and candidate intervals through the form, and converts a record in units of its own', () => {
    const doc = {
      format: 'qpkpd-patient',
      version: 1,
      units: { time: 'min', amount: 'µg', concentration: 'µg/L' },
      covariates: { BW: 70, COMED: 0 },
      doses: [{ time: 0, amount: 5000, route: 'iv', duration: 30, every: 1440, count: 3 }],
      observations: [
        { time: 2900, endpoint: 'pk', value: 12 },
        { time: 3000, endpoint: 'pk', value: 2, blq: true },
      ],
      regimen: { interval: 1440, intervals: [720, 2880], route: 'oral', step: 500 },
      probability: 0.8,
    };
    const reading = readPatientRecord(doc);
    if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
    const entry = formOfRecord(spec, reading.record);
    if (!entry.ok) throw new Error(JSON.stringify(entry.problems));
    expect(entry.converted).toBe(true);
    // The form is in the model's units (h, mg, ng/mL): 5000 µg over 30 min every 1440 min = 5 mg over 0.5 h every 24 h.
    expect(entry.form.doses[0]).toMatchObject({ amount: '5', route: 'iv', duration: '0.5', every: '24', count: '3' });
    expect(entry.form.levels.map((l) => [l.time, l.value, l.blq])).toEqual([
      ['48.3333333333', '12', false],
      ['50', '2', true],
    ]);
    expect(entry.form.interval).toBe('24');
    expect(entry.form.intervals).toBe('12, 48');
    expect(entry.form.step).toBe('0.5');
    // Back through the form: the same record (in the model's units).
    const again = readForm(spec, entry.form);
    if (!again.ok) throw new Error(JSON.stringify(again.problems));
    expect(again.record.doses[0]).toMatchObject({ amount: 5, duration: 0.5, every: 24 });
    expect(again.record.observations[1]).toMatchObject({ blq: true, value: 2 });
    expect(again.record.regimen?.intervals).toEqual([12, 48]);
    // A record in molar units does not fit a mass model: refused by field.
    const molar = readPatientRecord({ ...doc, units: { concentration: 'nmol/L' } });
    if (!molar.ok) throw new Error('molar');
    const refused = formOfRecord(spec, molar.record);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems[0].path).toBe('units.concentration');
  });
});
