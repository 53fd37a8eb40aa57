import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { patientReportFromText } from './patient-report';
import { samplePosterior } from './posterior-sampling';
import { chooseInterval, recommendDose, recommendRegimen } from './recommend';
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

describe('interval choice', () => {
  const choose = (perDay: (number | null)[], intervals: number[], fallback: number): number =>
    chooseInterval(
      intervals.map((interval, i) => ({ interval, dose: perDay[i] === null ? null : 1, probability: 0.9, perDay: perDay[i] })),
      fallback,
    );

  it('takes the smallest amount per day, the longer interval on a tie, the regimen interval when none reaches', () => {
    expect(choose([4.5, 4, 3.5], [8, 12, 24], 12)).toBe(2);
    expect(choose([3, 4, 3.5], [8, 12, 24], 12)).toBe(0);
    expect(choose([3.5, 3.5 * (1 + 1e-12), 4], [12, 24, 48], 12)).toBe(1);
    expect(choose([null, 5, null], [8, 12, 24], 24)).toBe(1);
    expect(choose([null, null, null], [8, 12, 24], 24)).toBe(2);
  });

  it('gives each candidate the single-interval recommendation, and chooses by amount per day', () => {
    const [p] = simulatePatients(spec, model, 1, 12);
    const posterior = new PatientPosterior(spec, model, p.record);
    const samples = samplePosterior(posterior, mapEstimate(posterior), { seed: 3 });
    const regimen = { interval: 24, intervals: [12, 8], route: 'oral' as const, step: 0.5 };
    const rec = recommendRegimen(spec, model, posterior, samples, { regimen });
    expect(rec.options.map((o) => o.interval)).toEqual([8, 12, 24]);
    for (const o of rec.options) {
      const single = recommendDose(spec, model, posterior, samples, { regimen: { interval: o.interval, route: 'oral', step: 0.5 } });
      expect(o.dose).toBe(single.dose);
      expect(o.probability).toBe(single.probability);
      expect(o.perDay).toBeCloseTo(((single.dose as number) * 24) / o.interval, 12);
    }
    const best = Math.min(...rec.options.map((o) => o.perDay ?? Infinity));
    const longest = Math.max(...rec.options.filter((o) => o.perDay !== null && o.perDay <= best * (1 + 1e-9)).map((o) => o.interval));
    expect(rec.regimen.interval).toBe(longest);
    expect(rec.dose).toBe(rec.options.find((o) => o.interval === longest)?.dose);
  });

  it('computes the amount per day from hours, whatever the time unit', () => {
    const inMinutes = { ...spec, units: { ...spec.units, time: 'min' as const } };
    const [p] = simulatePatients(spec, model, 1, 12);
    const posterior = new PatientPosterior(spec, model, p.record);
    const samples = samplePosterior(posterior, mapEstimate(posterior), { seed: 3 });
    const regimen = { interval: 24, route: 'oral' as const, step: 0.5 };
    const rec = recommendRegimen(inMinutes, model, posterior, samples, {
      regimen,
      criterion: { rule: 'below', threshold: 100, window: 'throughout' },
    });
    // Every dose meets a threshold this high: the first grid dose, 0.5 every 24 minutes = 30 per day.
    expect(rec.options).toEqual([{ interval: 24, dose: 0.5, probability: 1, perDay: 30 }]);
  });
});
