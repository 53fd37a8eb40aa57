import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { covariateWarnings, patientReport, patientReportFromText, readPatientInputs } from './patient-report';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { readPatientRecord, type PatientRecord } from './patient-record';
import { EXAMPLE_MODEL_PATH, exampleModel } from './test-support';

const INTERVALS_PATIENT_PATH = new URL('../../test-data/patients/intervals.patient.json', import.meta.url);
const { spec, model } = exampleModel();

function record(doc: unknown): PatientRecord {
  const reading = readPatientRecord(doc);
  if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
  return reading.record;
}

const patient = (change: (doc: Record<string, any>) => void = () => undefined): Record<string, any> => {
  const doc = JSON.parse(readFileSync(INTERVALS_PATIENT_PATH, 'utf8')) as Record<string, any>;
  change(doc);
  return doc;
};

describe('patient report', () => {
  it('chooses the interval of the example with candidates, and times the next dose after the last expanded dose', () => {
    const report = patientReportFromText(readFileSync(EXAMPLE_MODEL_PATH, 'utf8'), readFileSync(INTERVALS_PATIENT_PATH, 'utf8'));
    const { options } = report.recommendation;
    expect(options.map((o) => o.interval)).toEqual([8, 12, 24, 48]);
    const best = Math.min(...options.map((o) => o.perDay ?? Infinity));
    const chosen = options.filter((o) => o.perDay !== null && o.perDay <= best * (1 + 1e-9)).at(-1);
    expect(report.recommendation.regimen).toEqual({ interval: chosen?.interval, route: 'oral' });
    expect(report.recommendation.dose).toBe(chosen?.dose);
    // Doses: 7 daily from 0, then 14 every 12 h from 168 → the last at 168 + 13 × 12 = 324.
    expect(report.nextDose).toBe(324 + (chosen?.interval as number));
    expect(report.doseUnits).toEqual({ time: 'h', amount: 'mg' });
  });

  it('keeps the single-interval shape, with one option, for a regimen without candidates', () => {
    const doc = patient((d) => delete d.regimen.intervals);
    const report = patientReport(spec, model, record(doc));
    expect(report.recommendation.options).toEqual([
      {
        interval: 12,
        dose: report.recommendation.dose,
        probability: report.recommendation.probability,
        perDay: 2 * (report.recommendation.dose as number),
      },
    ]);
    expect(report.nextDose).toBe(324 + 12);
  });

  it('says when the levels run past the next dose time: doses may be missing from the record', () => {
    const late = patientReport(
      spec,
      model,
      record(patient((d) => (d.doses = [{ time: 0, amount: 5, route: 'oral', every: 24, count: 7 }]))),
    );
    expect(late.nextDose).toBeLessThan(330);
    expect(late.notes.join(' ')).toMatch(/last level \(at 330\) is later than one interval after the last dose given \(144\)/);
    const onTime = patientReport(spec, model, record(patient()));
    expect(onTime.notes.join(' ')).not.toMatch(/last level/);
  });

  it('gives the time to 90 % of steady state from the slowest individual rate, as a simulation shows it', () => {
    const pkSpec = {
      ...spec,
      questions: {
        ...spec.questions!,
        endpoint: 'pk' as const,
        criterion: { rule: 'below' as const, threshold: 100, window: 'trough' as const },
      },
    };
    const r = record(patient());
    const report = patientReport(pkSpec, model, r);
    const posterior = new PatientPosterior(spec, model, r);
    const map = mapEstimate(posterior);
    const k = map.individual.CL! / map.individual.V!;
    expect(report.steadyState.limitedBy).toBe('elimination');
    expect(report.steadyState.time90).toBeCloseTo(Math.LN10 / k, 8);
    expect(report.steadyState.halfLife).toBeCloseTo(Math.LN2 / k, 8);
    // A fresh daily regimen at the MAP: the trough at about time90 is 88–95 % of the steady-state trough.
    const n = Math.round(report.steadyState.time90 / 24);
    const doses = [{ time: 0, amount: 1, route: 'oral' as const, every: 24, count: 400 }];
    const fresh = new PatientPosterior(spec, model, { ...r, doses, observations: [] });
    const c = fresh.predictAt(map.eta, { pk: [n * 24 - 1e-6, 399 * 24 + 24 - 1e-6] }).pk;
    expect(c[0] / c[1]).toBeGreaterThan(0.88);
    expect(c[0] / c[1]).toBeLessThan(0.95);
    // For the response, KOUT enters: a slower KOUT than elimination sets the time.
    const slowKout = { ...model, theta: { ...model.theta } };
    const koutKey = Object.keys(slowKout.theta).find((t) => t.includes('KOUT')) as string;
    slowKout.theta[koutKey] = k / 4;
    const pd = patientReport(spec, slowKout, r);
    expect(pd.steadyState.limitedBy).toBe('KOUT');
    expect(pd.steadyState.time90).toBeCloseTo(Math.LN10 / (k / 4), 8);
  });
});

describe('covariates outside the model’s data', () => {
  const ranged = { ...spec, model: { ...spec.model, covariateRanges: { BW: [40, 120] as [number, number] } } };

  it('warns outside the range, more strongly beyond it by more than its width, never inside or without a range', () => {
    expect(covariateWarnings(ranged, { covariates: { BW: 82, COMED: 1 } })).toEqual([]);
    expect(covariateWarnings(ranged, { covariates: { BW: 40, COMED: 1 } })).toEqual([]);
    const [out] = covariateWarnings(ranged, { covariates: { BW: 160 } });
    expect(out).toMatchObject({ column: 'BW', value: 160, range: [40, 120], far: false });
    expect(out.message).toBe("BW 160 is outside the model's data (40–120): the prediction extrapolates.");
    expect(covariateWarnings(ranged, { covariates: { BW: 200 } })[0].far).toBe(false);
    const [far] = covariateWarnings(ranged, { covariates: { BW: 201 } });
    expect(far.far).toBe(true);
    expect(far.message).toMatch(/^BW 201 is far outside the model's data \(40–120\), beyond it by more than the range's width/);
    expect(covariateWarnings(ranged, { covariates: { BW: -41 } })[0].far).toBe(true);
    expect(covariateWarnings(spec, { covariates: { BW: 500 } })).toEqual([]);
  });

  it('puts the warnings in the report, as data and as a note', () => {
    const report = patientReport(ranged, model, record(patient((d) => (d.covariates.BW = 160))));
    expect(report.covariateWarnings).toHaveLength(1);
    expect(report.notes).toContain(report.covariateWarnings[0].message);
    expect(patientReport(ranged, model, record(patient())).covariateWarnings).toEqual([]);
  });
});

describe('a record in units of its own', () => {
  it('answers in the record’s units: amounts in µg, times in minutes', () => {
    const inMg = patientReport(spec, model, record(patient()));
    const own = patient((d) => {
      d.units = { time: 'min', amount: 'µg' };
      for (const dose of d.doses) Object.assign(dose, { time: dose.time * 60, amount: dose.amount * 1000, every: dose.every * 60 });
      for (const o of d.observations) o.time *= 60;
      d.regimen = { ...d.regimen, interval: d.regimen.interval * 60, intervals: d.regimen.intervals.map((x: number) => x * 60), step: 500 };
    });
    const report = patientReport(spec, model, record(own));
    expect(report.eta.CL).toBeCloseTo(inMg.eta.CL as number, 6);
    expect(report.recommendation.dose).toBe((inMg.recommendation.dose as number) * 1000);
    expect(report.recommendation.regimen.interval).toBe(inMg.recommendation.regimen.interval * 60);
    expect(report.recommendation.options.map((o) => o.perDay)).toEqual(
      inMg.recommendation.options.map((o) => (o.perDay === null ? null : o.perDay * 1000)),
    );
    expect(report.nextDose).toBeCloseTo(inMg.nextDose * 60, 9);
    expect(report.steadyState.time90).toBeCloseTo(inMg.steadyState.time90 * 60, 6);
    expect(report.doseUnits).toEqual({ time: 'min', amount: 'µg' });
  });

  it('refuses, before anything runs, units that do not convert', () => {
    const text = readFileSync(EXAMPLE_MODEL_PATH, 'utf8');
    const molar = patient((d) => (d.units = { concentration: 'nmol/L' }));
    expect(() => readPatientInputs(JSON.parse(text), molar)).toThrow(
      /units\.concentration: the record is in nmol\/L, the model in ng\/mL; these do not convert without a molar mass/,
    );
    const response = patient((d) => (d.units = { response: '%' }));
    expect(() => readPatientInputs(JSON.parse(text), response)).toThrow(
      /units\.response: the record's responses are in "%", the model's in "ng\/mL"/,
    );
    expect(() =>
      readPatientInputs(
        JSON.parse(text),
        patient((d) => (d.units = { response: 'ng/mL', amount: 'ug' })),
      ),
    ).not.toThrow();
  });
});
