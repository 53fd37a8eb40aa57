/**
 * Patients simulated from a known population model, for the patient tests and the bench: covariates
 * drawn (BW uniform 50–110 kg, COMED 0/1), η from N(0, Ω), a daily oral dose of 2.5, 5 or 10 (amount
 * unit) for 14 days, two concentrations and one response measured on days 6–12, and the "next
 * levels" — a concentration and a response on day 14 — kept apart for checking forecasts. Levels
 * carry the model's residual error (../pkpd/population/simulate-study.ts `addError`).
 */
import { readFileSync } from 'node:fs';
import { addError } from '../pkpd/population/simulate-study';
import { createRng } from '../pkpd/random';
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import type { StudySpec } from '../study/study-spec';
import { PatientPosterior } from './map-estimate';
import { describePatientProblems, readPatientRecordText, type PatientObservation, type PatientRecord } from './patient-record';
import { fixedPopulationModel, readPatientModel } from './population-model';

export const EXAMPLE_MODEL_PATH = new URL('../../test-data/models/estdata-published.study.json', import.meta.url);
export const EXAMPLE_PATIENT_PATH = new URL('../../test-data/patients/example.patient.json', import.meta.url);
/** The patient of posologyr's vancomycin case study (patient B): two infusions, two levels (model-library.test.ts). */
export const VANCOMYCIN_PATIENT_PATH = new URL('../../test-data/patients/vancomycin-posologyr.patient.json', import.meta.url);

export function exampleModel(): { spec: StudySpec; model: StudyPopulationModel } {
  const reading = readPatientModel(JSON.parse(readFileSync(EXAMPLE_MODEL_PATH, 'utf8')));
  if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
  return { spec: reading.spec, model: fixedPopulationModel(reading.spec) };
}

export interface SimulatedPatient {
  record: PatientRecord;
  /** True η in the posterior's `etaNames` order. */
  eta: Float64Array;
  next: PatientObservation[];
}

export function simulatePatients(spec: StudySpec, model: StudyPopulationModel, count: number, seed: number): SimulatedPatient[] {
  const rng = createRng(seed);
  const out: SimulatedPatient[] = [];
  for (let p = 0; p < count; p++) {
    const covariates = { BW: Math.round(rng.uniformIn(50, 110)), COMED: rng.bernoulli(0.5) };
    const amount = [2.5, 5, 10][Math.floor(rng.uniform() * 3)];
    const record: PatientRecord = {
      covariates,
      doses: [{ time: 0, amount, route: 'oral', every: 24, count: 14 }],
      observations: [],
      regimen: { interval: 24, route: 'oral', step: 0.5 },
      probability: 0.9,
    };
    const posterior = new PatientPosterior(spec, model, record);
    const eta = Float64Array.from(posterior.omega, (w) => w * rng.normal());
    const pkTimes = [24 * 5 + rng.uniformIn(1, 23), 24 * 11 + rng.uniformIn(1, 23)];
    const pdTimes = [24 * 8 + rng.uniformIn(1, 23)];
    const nextPk = 24 * 13 + rng.uniformIn(1, 23);
    const nextPd = 24 * 13 + rng.uniformIn(1, 23);
    const truth = posterior.predictAt(eta, { pk: [...pkTimes, nextPk], pd: [...pdTimes, nextPd] });
    const level = (endpoint: 'pk' | 'pd', time: number, f: number): PatientObservation => ({
      time,
      endpoint,
      value: addError(f, model.residual[endpoint], rng),
      blq: false,
    });
    record.observations = [
      ...pkTimes.map((t, j) => level('pk', t, truth.pk[j])),
      ...pdTimes.map((t, j) => level('pd', t, truth.pd[j])),
    ].sort((a, b) => a.time - b.time);
    out.push({ record, eta, next: [level('pk', nextPk, truth.pk[2]), level('pd', nextPd, truth.pd[1])] });
  }
  return out;
}

/** A patient file of test-data/patients, read; throws naming its problems. */
export function readPatientFile(path: URL): PatientRecord {
  const reading = readPatientRecordText(readFileSync(path, 'utf8'));
  if (!reading.ok) throw new Error(describePatientProblems(reading.problems));
  return reading.record;
}
