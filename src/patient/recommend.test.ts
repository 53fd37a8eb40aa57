import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { patientReportFromText } from './patient-report';
import { samplePosterior } from './posterior-sampling';
import { recommendDose } from './recommend';
import { EXAMPLE_MODEL_PATH, EXAMPLE_PATIENT_PATH, exampleModel, simulatePatients } from './test-support';

const { spec, model } = exampleModel();

describe('dose recommendation', () => {
  it('is monotone in the probability asked for', () => {
    for (const p of simulatePatients(spec, model, 4, 31)) {
      const posterior = new PatientPosterior(spec, model, p.record);
      const samples = samplePosterior(posterior, mapEstimate(posterior), { seed: 5 });
      let previous = 0;
      for (const probability of [0.5, 0.7, 0.8, 0.9, 0.95]) {
        const rec = recommendDose(spec, model, posterior, samples, { probability });
        const dose = rec.dose ?? Infinity;
        expect(dose).toBeGreaterThanOrEqual(previous);
        if (rec.dose !== null) expect(rec.probability).toBeGreaterThanOrEqual(probability);
        previous = dose;
      }
      // The probability of an inhibited response below its threshold rises with the dose.
      const rec = recommendDose(spec, model, posterior, samples);
      for (let g = 1; g < rec.probabilities.length; g++) expect(rec.probabilities[g]).toBeGreaterThanOrEqual(rec.probabilities[g - 1]);
    }
  });

  it('says when no dose on the grid reaches the probability', () => {
    const [p] = simulatePatients(spec, model, 1, 8);
    const posterior = new PatientPosterior(spec, model, p.record);
    const samples = samplePosterior(posterior, mapEstimate(posterior), { seed: 5 });
    const rec = recommendDose(spec, model, posterior, samples, {
      criterion: { rule: 'below', threshold: 0.01, window: 'throughout' },
    });
    expect(rec.dose).toBeNull();
    expect(rec.probability).toBeLessThan(0.9);
  });

  it('gives the headless command its documented keys for the example patient', () => {
    const report = patientReportFromText(readFileSync(EXAMPLE_MODEL_PATH, 'utf8'), readFileSync(EXAMPLE_PATIENT_PATH, 'utf8'));
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['eta', 'individual', 'ofv', 'recommendation', 'seconds']));
    expect(Object.keys(report.eta)).toEqual(['CL', 'V', 'BASE']);
    expect(report.individual.CL).toBeGreaterThan(0);
    expect(report.typical.CL).toBeCloseTo(38 * (82 / 70) ** 1.2, 8);
    expect(report.recommendation.regimen).toEqual({ interval: 24, route: 'oral' });
    expect(report.recommendation.dose).not.toBeNull();
    expect((report.recommendation.dose as number) % 0.5).toBeCloseTo(0, 12);
    expect(report.recommendation.probability).toBeGreaterThanOrEqual(0.9);
    expect(Number.isFinite(report.ofv)).toBe(true);
    expect(report.seconds).toBeLessThan(5);
  });

  it('refuses a bad patient document with the field named', () => {
    const bad = readFileSync(EXAMPLE_PATIENT_PATH, 'utf8').replace('"endpoint": "pd"', '"endpoint": "effect"');
    expect(() => patientReportFromText(readFileSync(EXAMPLE_MODEL_PATH, 'utf8'), bad)).toThrow(/observations\[1\]\.endpoint/);
  });
});
