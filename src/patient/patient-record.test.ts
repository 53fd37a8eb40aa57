import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patientDoseEvents, readPatientRecord, readPatientRecordText } from './patient-record';
import { fixedPopulationModel, PatientModelError, readPatientModel } from './population-model';
import { PatientDataError, PatientPosterior } from './map-estimate';
import { EXAMPLE_MODEL_PATH, EXAMPLE_PATIENT_PATH, exampleModel } from './test-support';

const example = (): Record<string, unknown> => JSON.parse(readFileSync(EXAMPLE_PATIENT_PATH, 'utf8')) as Record<string, unknown>;

function problemsOf(change: (doc: Record<string, unknown>) => void): string[] {
  const doc = example();
  change(doc);
  const reading = readPatientRecord(doc);
  if (reading.ok) return [];
  return reading.problems.map((p) => `${p.path}: ${p.message}`);
}

const observations = (doc: Record<string, unknown>): Record<string, unknown>[] => doc.observations as Record<string, unknown>[];
const doses = (doc: Record<string, unknown>): Record<string, unknown>[] => doc.doses as Record<string, unknown>[];

describe('patient record', () => {
  it('reads the example patient of issue 14 and expands every/count into dose events', () => {
    const reading = readPatientRecordText(readFileSync(EXAMPLE_PATIENT_PATH, 'utf8'));
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.record.covariates).toEqual({ BW: 82, COMED: 1 });
    expect(reading.record.observations.map((o) => o.endpoint)).toEqual(['pk', 'pd']);
    const events = patientDoseEvents(reading.record);
    expect(events).toHaveLength(14);
    expect(events[13]).toEqual({ time: 13 * 24, amount: 5, route: 'oral' });
    expect(reading.record.probability).toBe(0.9);
  });

  it('makes iv doses boluses or infusions', () => {
    const events = patientDoseEvents({
      doses: [
        { time: 0, amount: 100, route: 'iv', count: 1 },
        { time: 12, amount: 50, route: 'iv', duration: 1, every: 12, count: 2 },
      ],
    });
    expect(events).toEqual([
      { time: 0, amount: 100, route: 'bolus' },
      { time: 12, amount: 50, route: 'infusion', duration: 1 },
      { time: 24, amount: 50, route: 'infusion', duration: 1 },
    ]);
  });

  it('refuses each bad input with a message naming the field', () => {
    const cases: [string, (doc: Record<string, unknown>) => void, RegExp][] = [
      [
        'a level before any dose',
        (d) => (observations(d)[0].time = 0),
        /observations\[0\]\.time: a concentration at 0 is at or before the first dose/,
      ],
      ['a non-finite value', (d) => (observations(d)[0].value = Number.NaN), /observations\[0\]\.value: must be a number/],
      ['an infinite time', (d) => (doses(d)[0].time = Number.POSITIVE_INFINITY), /doses\[0\]\.time: must be a number$/m],
      ['an unknown endpoint', (d) => (observations(d)[1].endpoint = 'pkpd'), /observations\[1\]\.endpoint: must be "pk"/],
      ['a count that is not whole', (d) => (doses(d)[0].count = 2.5), /doses\[0\]\.count: must be a number \(a whole number/],
      ['a count of 0', (d) => (doses(d)[0].count = 0), /doses\[0\]\.count/],
      ['every ≤ 0', (d) => (doses(d)[0].every = 0), /doses\[0\]\.every: must be a number > 0/],
      ['count without every', (d) => delete doses(d)[0].every, /doses\[0\]\.every: is needed with count 14/],
      ['a negative amount', (d) => (doses(d)[0].amount = -5), /doses\[0\]\.amount: must be a number > 0/],
      ['an unknown route', (d) => (doses(d)[0].route = 'sc'), /doses\[0\]\.route: must be one of "oral", "iv"/],
      ['an oral infusion', (d) => (doses(d)[0].duration = 1), /doses\[0\]\.duration: an oral dose has no infusion duration/],
      [
        'a BLQ level without LOQ',
        (d) => Object.assign(observations(d)[0], { blq: true, value: 0 }),
        /observations\[0\]\.value: must be a number > 0 \(the limit of quantification/,
      ],
      ['a covariate that is text', (d) => ((d.covariates as Record<string, unknown>).BW = '82'), /covariates\.BW: must be a number/],
      ['a probability of 1', (d) => (d.probability = 1), /probability: must be a number strictly between 0 and 1/],
      ['an unknown field', (d) => (d.dose = 5), /^dose: is not a field here \(expected format, version, units, covariates/m],
      ['no doses', (d) => (d.doses = []), /doses: must list at least one dose/],
      ['a regimen without step', (d) => delete (d.regimen as Record<string, unknown>).step, /regimen\.step: must be a number/],
      ['another format', (d) => (d.format = 'qpkpd-study'), /format: this is not a patient record/],
    ];
    for (const [what, change, message] of cases) {
      const problems = problemsOf(change);
      expect(problems.length, what).toBeGreaterThan(0);
      expect(problems.join('\n'), what).toMatch(message);
    }
    expect(readPatientRecordText('{ not json').ok).toBe(false);
  });

  it('checks the patient against the model: a missing covariate, response levels without a PD model', () => {
    const { spec, model } = exampleModel();
    const reading = readPatientRecord(example());
    if (!reading.ok) throw new Error('example');
    const noBw = { ...reading.record, covariates: { COMED: 1 } };
    expect(() => new PatientPosterior(spec, model, noBw)).toThrow(PatientDataError);
    expect(() => new PatientPosterior(spec, model, noBw)).toThrow(/covariates\.BW: the model needs this covariate/);
    const pkOnly = { ...model, pd: undefined };
    delete pkOnly.pd;
    expect(() => new PatientPosterior(spec, pkOnly, reading.record)).toThrow(/the model has no PD part/);
  });
});

describe('the population model of a study spec with fixed values', () => {
  it('turns the published model of issue 14 into a population model in data units', () => {
    const { model } = exampleModel();
    // CL 38 L/h with doses in mg and concentrations in ng/mL: 0.038 mg/(ng/mL)/h.
    expect(model.theta.CL).toBeCloseTo(0.038, 12);
    expect(model.theta.V).toBeCloseTo(6.9, 12);
    expect(model.theta['CL~BW']).toBe(1.2);
    expect(model.theta['BASE~COMED']).toBe(0.76);
    expect(model.omega).toEqual({ CL: 0.25, V: 0.1, BASE: 0.2 });
    expect(model.residual.pk).toEqual({ scale: 'log', additive: 0.15, proportional: 0 });
    expect(model.residual.pd).toEqual({ scale: 'natural', additive: 0, proportional: 0.1 });
  });

  it('names what a fixed model lacks', () => {
    const doc = JSON.parse(readFileSync(EXAMPLE_MODEL_PATH, 'utf8')) as { model: { parameters: Record<string, number>; error?: unknown } };
    delete doc.model.parameters.KOUT;
    const reading = readPatientModel(doc);
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(() => fixedPopulationModel(reading.spec)).toThrow(PatientModelError);
    expect(() => fixedPopulationModel(reading.spec)).toThrow(/model\.parameters\.KOUT/);
    const noError = JSON.parse(readFileSync(EXAMPLE_MODEL_PATH, 'utf8')) as { model: { error?: unknown } };
    delete noError.model.error;
    const r2 = readPatientModel(noError);
    if (!r2.ok) throw new Error('reading');
    expect(() => fixedPopulationModel(r2.spec)).toThrow(/model\.error\.pk/);
  });
});

describe('candidate intervals and the record’s units', () => {
  const regimen = (doc: Record<string, unknown>): Record<string, unknown> => doc.regimen as Record<string, unknown>;

  it('reads candidate intervals and units in their canonical spelling', () => {
    const doc = example();
    regimen(doc).intervals = [8, 12, 24];
    doc.units = { time: 'hours', amount: 'ug', concentration: 'ug/l', response: ' ng/mL ' };
    const reading = readPatientRecord(doc);
    if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
    expect(reading.record.regimen).toEqual({ interval: 24, intervals: [8, 12, 24], route: 'oral', step: 0.5 });
    expect(reading.record.units).toEqual({ time: 'h', amount: 'µg', concentration: 'µg/L', response: 'ng/mL' });
    const plain = readPatientRecord(example());
    expect(plain.ok && plain.record.units === undefined && plain.record.regimen?.intervals === undefined).toBe(true);
  });

  it('refuses bad intervals, each by its path', () => {
    expect(problemsOf((d) => (regimen(d).intervals = [12, -1, 'x', 12]))).toEqual([
      'regimen.intervals[1]: must be a number > 0 (a dosing interval), got -1',
      'regimen.intervals[2]: must be a number > 0 (a dosing interval)',
      'regimen.intervals[3]: 12 is listed twice',
    ]);
    expect(problemsOf((d) => (regimen(d).intervals = 24))).toEqual(['regimen.intervals: must be a list [ … ]']);
    expect(problemsOf((d) => (regimen(d).intervals = []))).toEqual([
      'regimen.intervals: must list at least one interval (or leave it out)',
    ]);
    expect(problemsOf((d) => (regimen(d).intervals = Array.from({ length: 13 }, (_, i) => i + 1)))).toEqual([
      'regimen.intervals: has 13 items; at most 12 are allowed',
    ]);
    expect(
      problemsOf((d) => {
        d.regimen = { interval: 24, intervals: [1, 8], route: 'iv', duration: 2, step: 10 };
      }),
    ).toEqual(['regimen.intervals[0]: is shorter than the infusion duration (2)']);
  });

  it('refuses bad units, each by its path', () => {
    expect(problemsOf((d) => (d.units = { time: 'week', amount: 'mg', concentration: 'ng/dL', response: 5, dose: 'mg' }))).toEqual([
      'units.dose: is not a field here (expected time, amount, concentration, response)',
      'units.time: must be one of h, min, d',
      'units.concentration: must be one of g/L, mg/L, mg/mL, µg/mL, µg/L, ng/mL, ng/L, pg/mL, mmol/L, µmol/L, nmol/L',
      'units.response: must be text of at most 20 characters (the response unit, as the model writes it)',
    ]);
    expect(problemsOf((d) => (d.units = 'mg'))).toEqual(['units: must be an object { … }']);
  });
});
