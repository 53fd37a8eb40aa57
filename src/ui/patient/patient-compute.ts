/**
 * The Patient view's work, kept out of the Lit component (Node-testable): the form's text fields →
 * a `qpkpd-patient` document read by the record reader (its problems keyed by field), and a valid
 * record under a population model → the report (MAP η, individual vs typical parameters, the
 * recommendation), the predicted curve of the criterion's endpoint with its 90 % band, and a what-if
 * dose's probability and curve (the patient's doses, then the what-if dose every interval).
 * Everything runs in this page; nothing is sent anywhere.
 */
import type { StudyPopulationModel } from '../../pkpd/population/fit-study';
import type { StudySpec } from '../../study/study-spec';
import { mapEstimate, PatientPosterior } from '../../patient/map-estimate';
import { readPatientRecord, type PatientProblem, type PatientRecord } from '../../patient/patient-record';
import { patientReport, type PatientReport } from '../../patient/patient-report';
import { predictionBand, samplePosterior, type PosteriorSamples, type PredictionBand } from '../../patient/posterior-sampling';
import { recommendDose } from '../../patient/recommend';
import { describeSpecProblems, fixedPopulationModel, readPatientModelText } from '../../patient/population-model';
import { recordInModelUnits } from '../../patient/record-units';

export interface DoseRow {
  time: string;
  amount: string;
  route: string;
  /** Infusion duration (iv; empty: a bolus). */
  duration: string;
  every: string;
  count: string;
}

export interface LevelRow {
  time: string;
  endpoint: string;
  value: string;
  /** Below the limit of quantification (`value` is then the LOQ). */
  blq: boolean;
}

/** The form as typed (strings, as the inputs hold them). */
export interface PatientForm {
  covariates: Record<string, string>;
  doses: DoseRow[];
  levels: LevelRow[];
  interval: string;
  /** Other intervals to consider, comma-separated (empty: only `interval`). */
  intervals: string;
  /** Infusion duration of the recommended regimen (iv; empty: a bolus). */
  duration: string;
  step: string;
  probability: string;
}

export type ModelChoice =
  | {
      ok: true;
      spec: StudySpec;
      model: StudyPopulationModel;
      name: string;
      /** The model's document as read (saved with the patient, so that the patient reopens under it). */
      document: unknown;
      /** Where the model comes from, in words (a citation, the fit it came from), or ''. */
      source: string;
    }
  | { ok: false; message: string };

/** A model document's text → the spec and its fixed population model, or a message for the user. */
export function chooseModel(text: string, name: string, source = ''): ModelChoice {
  const reading = readPatientModelText(text);
  if (!reading.ok) return { ok: false, message: `${name} is not a usable population model: ${describeSpecProblems(reading.problems)}.` };
  try {
    const model = fixedPopulationModel(reading.spec);
    return { ok: true, spec: reading.spec, model, name: reading.spec.name || name, document: JSON.parse(text) as unknown, source };
  } catch (error) {
    return { ok: false, message: `${name} lacks fixed values: ${(error as Error).message}` };
  }
}

/** The covariate columns the model's effects use (upper case, in the spec's order). */
export function modelCovariates(spec: StudySpec): string[] {
  return [...new Set((spec.model?.covariates ?? []).map((c) => c.column.trim().toUpperCase()))];
}

export function emptyForm(spec: StudySpec): PatientForm {
  const route = spec.model?.pk.route === 'iv' ? 'iv' : 'oral';
  return {
    covariates: Object.fromEntries(modelCovariates(spec).map((c) => [c, ''])),
    doses: [{ time: '0', amount: '', route, duration: '', every: '', count: '1' }],
    levels: [{ time: '', endpoint: spec.questions?.endpoint ?? 'pk', value: '', blq: false }],
    interval: '24',
    intervals: '',
    duration: '',
    step: '0.5',
    probability: '0.9',
  };
}

export type RecordForm = { ok: true; form: PatientForm; converted: boolean } | { ok: false; problems: PatientProblem[] };

/**
 * The form of a record read from a file or the store (covariates the model uses first), in the model's
 * units: a record in units of its own is converted first (record-units.ts), so that every field of the
 * form is in the units its label names.
 */
export function formOfRecord(spec: StudySpec, given: PatientRecord): RecordForm {
  const reading = recordInModelUnits(given, spec);
  if (!reading.ok) return reading;
  const record = reading.record;
  const covariates: Record<string, string> = Object.fromEntries(modelCovariates(spec).map((c) => [c, '']));
  for (const [c, x] of Object.entries(record.covariates)) covariates[c] = text(x);
  const regimen = record.regimen;
  const form: PatientForm = {
    covariates,
    doses: record.doses.map((d) => ({
      time: text(d.time),
      amount: text(d.amount),
      route: d.route,
      duration: d.duration === undefined ? '' : text(d.duration),
      every: d.every === undefined ? '' : text(d.every),
      count: String(d.count),
    })),
    levels: record.observations.map((o) => ({ time: text(o.time), endpoint: o.endpoint, value: text(o.value), blq: o.blq })),
    interval: text(regimen?.interval ?? 24),
    intervals: (regimen?.intervals ?? [])
      .filter((i) => i !== regimen?.interval)
      .map(text)
      .join(', '),
    duration: regimen?.duration === undefined ? '' : text(regimen.duration),
    step: text(regimen?.step ?? 0.5),
    probability: String(record.probability),
  };
  const converted = Object.entries(given.units ?? {}).some(([k, u]) => spec.units[k as keyof StudySpec['units']] !== u);
  return { ok: true, form, converted };
}

/** A number as a field shows it: 12 significant digits, so that a unit conversion's 11.999999999999998 reads 12. */
function text(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** A text field as the document's value: a number when it reads as one, else the text (so the reader names it). */
function value(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  const x = Number(t);
  return Number.isFinite(x) ? x : t;
}

export type FormReading = { ok: true; record: PatientRecord } | { ok: false; problems: PatientProblem[] };

/** The form as a `qpkpd-patient` document (numbers where the fields read as numbers, else their text). */
export function formDocument(spec: StudySpec, form: PatientForm): Record<string, unknown> {
  const covariates: Record<string, unknown> = {};
  for (const [c, text] of Object.entries(form.covariates)) {
    const x = value(text);
    if (x !== undefined) covariates[c] = x;
  }
  const route = spec.model?.pk.route === 'iv' ? 'iv' : 'oral';
  return {
    format: 'qpkpd-patient',
    version: 1,
    covariates,
    doses: form.doses.map((d) => {
      const dose: Record<string, unknown> = { time: value(d.time), amount: value(d.amount), route: d.route };
      if (d.route === 'iv' && value(d.duration) !== undefined) dose.duration = value(d.duration);
      if (value(d.every) !== undefined) dose.every = value(d.every);
      if (value(d.count) !== undefined) dose.count = value(d.count);
      return dose;
    }),
    observations: form.levels
      .filter((l) => l.time.trim() !== '' || l.value.trim() !== '')
      .map((l) => ({ time: value(l.time), endpoint: l.endpoint, value: value(l.value), ...(l.blq ? { blq: true } : {}) })),
    regimen: {
      interval: value(form.interval),
      route,
      ...(route === 'iv' && value(form.duration) !== undefined ? { duration: value(form.duration) } : {}),
      ...(form.intervals.trim() !== ''
        ? {
            intervals: form.intervals
              .split(/[,;\s]+/)
              .filter((t) => t !== '')
              .map(value),
          }
        : {}),
      step: value(form.step),
    },
    probability: value(form.probability),
  };
}

/** The form as a patient document, read by the record reader; then checked against the model's covariates. */
export function readForm(spec: StudySpec, form: PatientForm): FormReading {
  const problems: PatientProblem[] = Object.entries(form.covariates)
    .filter(([, text]) => value(text) === undefined)
    .map(([c]) => ({ path: `covariates.${c}`, message: 'the model needs this covariate; give the patient’s value' }));
  const reading = readPatientRecord(formDocument(spec, form));
  const all = [...problems, ...(reading.ok ? [] : reading.problems.filter((p) => !problems.some((q) => q.path === p.path)))];
  return all.length > 0 ? { ok: false, problems: all } : reading;
}

export interface PatientResult {
  report: PatientReport;
  endpoint: 'pk' | 'pd';
  /** The predicted curve of the endpoint under the patient's doses (90 % band, no residual error). */
  band: PredictionBand;
  /** The target line(s) of the criterion. */
  targets: number[];
  posterior: PatientPosterior;
  samples: PosteriorSamples;
}

/** MAP, SIR samples, the recommendation and the band of the criterion's endpoint. */
export function computePatient(spec: StudySpec, model: StudyPopulationModel, record: PatientRecord): PatientResult {
  const report = patientReport(spec, model, record);
  const posterior = new PatientPosterior(spec, model, record);
  const samples = samplePosterior(posterior, mapEstimate(posterior));
  const endpoint = report.recommendation.endpoint;
  const end = lastTime(record) * 1.05 + (record.regimen?.interval ?? 24);
  const band = predictionBand(posterior, samples, endpoint, grid(end));
  return { report, endpoint, band, targets: criterionLevels(report.recommendation.criterion), posterior, samples };
}

export interface WhatIf {
  dose: number;
  probability: number;
  band: PredictionBand;
}

/** Doses of the what-if continuation: enough intervals to come near the steady state. */
export const WHAT_IF_INTERVALS = 14;

/** A what-if dose: its posterior probability at steady state, and the curve continuing at that dose every interval. */
export function whatIf(result: PatientResult, spec: StudySpec, model: StudyPopulationModel, dose: number): WhatIf {
  const record = result.posterior.record;
  const given = record.regimen;
  if (!given) throw new Error('regimen: the patient has no regimen to try a dose with.');
  // At the recommended interval (the one chosen among the candidates), from the next dose time.
  const interval = result.report.recommendation.regimen.interval;
  const regimen = { ...given, interval, intervals: undefined, step: dose, max: dose };
  const one = recommendDose(spec, model, result.posterior, result.samples, { regimen });
  const start = result.report.nextDose;
  const continued: PatientRecord = {
    ...record,
    doses: [
      ...record.doses,
      { time: start, amount: dose, route: regimen.route, duration: regimen.duration, every: interval, count: WHAT_IF_INTERVALS },
    ],
  };
  const posterior = new PatientPosterior(spec, model, continued);
  const end = start + WHAT_IF_INTERVALS * interval;
  const band = predictionBand(posterior, result.samples, result.endpoint, grid(end));
  return { dose, probability: one.probabilities[0], band };
}

function lastTime(record: PatientRecord): number {
  const doses = record.doses.map((d) => d.time + (d.count - 1) * (d.every ?? 0));
  return Math.max(...doses, ...record.observations.map((o) => o.time));
}

function grid(end: number, points = 300): Float64Array {
  return Float64Array.from({ length: points + 1 }, (_, i) => (end * i) / points);
}

export function criterionLevels(criterion: PatientReport['recommendation']['criterion']): number[] {
  return criterion.rule === 'within' ? [...criterion.range] : [criterion.threshold];
}
