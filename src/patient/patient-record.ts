/**
 * One patient for model-informed precision dosing (issue 14): covariates, the doses actually given,
 * measured levels and the regimen to recommend a dose for, read from an untrusted JSON document
 *
 *   { "format": "qpkpd-patient", "version": 1,
 *     "covariates": { "WT": 82, "SMOKER": 1 },
 *     "doses": [ { "time": 0, "amount": 5, "route": "oral", "every": 24, "count": 14 } ],
 *     "observations": [ { "time": 317, "endpoint": "pk", "value": 41.2 },
 *                       { "time": 330, "endpoint": "pd", "value": 4.1, "blq": false } ],
 *     "regimen": { "interval": 24, "route": "oral", "step": 0.5 }, "probability": 0.9 }
 *
 * in the time and amount units of the population model's study spec, or in the record's own `units`
 * ({ "time": "h", "amount": "µg", "concentration": "µg/L", "response": "%" }, any subset; converted to
 * the model's by record-units.ts `recordInModelUnits`). The regimen may list candidate `intervals`
 * ([8, 12, 24]) for the recommendation to choose among (recommend.ts `recommendRegimen`). A dose with `every`/`count` is
 * `count` doses `every` time units apart from `time`; route "iv" with `duration` is an infusion, without
 * it a bolus. A below-LOQ level carries `"blq": true` with `value` = the LOQ. Every problem is reported
 * with the field it concerns ("doses[0].count: …"), as the study spec reader does.
 */
import type { DoseEvent } from '../pkpd/structural/doses';
import { AMOUNT_UNITS, CONCENTRATION_UNITS, TIME_UNITS, type StudyUnits } from '../study/study-spec';
import { canonicalUnit } from '../study/units';
import { FieldReader as Reader, type FieldProblem, type Plain } from '../text/field-reader';

export const PATIENT_FORMAT = 'qpkpd-patient';
export const PATIENT_VERSION = 1;

export const PATIENT_LIMITS = {
  covariates: 50,
  doses: 1000,
  /** Dose events after expanding every/count. */
  doseEvents: 20000,
  observations: 500,
  /** Candidate intervals of the regimen. */
  intervals: 12,
} as const;

export type PatientRoute = 'oral' | 'iv';

export interface PatientDose {
  time: number;
  amount: number;
  route: PatientRoute;
  /** Infusion duration (iv only). */
  duration?: number;
  /** Repeat: `count` doses, `every` time units apart (count 1 without every: one dose). */
  every?: number;
  count: number;
}

export interface PatientObservation {
  time: number;
  endpoint: 'pk' | 'pd';
  /** The level, or the LOQ when `blq`. */
  value: number;
  blq: boolean;
}

export interface PatientRegimen {
  /** The current interval (the recommendation's when no `intervals`; the what-if's). */
  interval: number;
  /** Candidate intervals to choose among besides `interval` (the smallest amount per day wins). */
  intervals?: number[];
  route: PatientRoute;
  duration?: number;
  /** Dose grid step (amount unit). */
  step: number;
  /** Largest dose on the grid (default 60 steps). */
  max?: number;
}

export interface PatientRecord {
  /** By upper-case column name. */
  covariates: Record<string, number>;
  doses: PatientDose[];
  observations: PatientObservation[];
  regimen?: PatientRegimen;
  /** Posterior probability the recommended dose must reach (default 0.9). */
  probability: number;
  /** The record's own units (canonical spelling), where they are not the model's; absent: the model's. */
  units?: Partial<StudyUnits>;
}

/** A problem with one field of the record, e.g. at "doses[0].count"; "" for the document. */
export type PatientProblem = FieldProblem;

export type PatientReading = { ok: true; record: PatientRecord } | { ok: false; problems: PatientProblem[] };

const ROUTES: readonly PatientRoute[] = ['oral', 'iv'];

const positive = (x: number): boolean => x > 0;

function readDose(r: Reader, value: unknown, path: string): PatientDose | undefined {
  const d = r.object(value, path, ['time', 'amount', 'route', 'duration', 'every', 'count']);
  if (!d) return undefined;
  const time = r.number(d.time, `${path}.time`);
  const amount = r.number(d.amount, `${path}.amount`, positive, '> 0');
  const route = r.oneOf(d.route, ROUTES, `${path}.route`);
  let duration: number | undefined;
  if (d.duration !== undefined) {
    duration = r.number(d.duration, `${path}.duration`, positive, '> 0');
    if (route === 'oral') r.problem(`${path}.duration`, 'an oral dose has no infusion duration; remove it or give route "iv"');
  }
  let count = 1;
  let every: number | undefined;
  if (d.count !== undefined) {
    const c = r.number(
      d.count,
      `${path}.count`,
      (x) => Number.isInteger(x) && x >= 1 && x <= PATIENT_LIMITS.doseEvents,
      `(a whole number from 1 to ${PATIENT_LIMITS.doseEvents})`,
    );
    if (c !== undefined) count = c;
  }
  if (d.every !== undefined) every = r.number(d.every, `${path}.every`, positive, '> 0 (the time between repeated doses)');
  else if (count > 1) r.problem(`${path}.every`, `is needed with count ${count}: the time between the repeated doses`);
  if (every !== undefined && duration !== undefined && duration > every)
    r.problem(`${path}.duration`, `an infusion of ${duration} is longer than the time between doses (${every})`);
  if (time === undefined || amount === undefined || route === undefined) return undefined;
  const dose: PatientDose = { time, amount, route, count };
  if (duration !== undefined) dose.duration = duration;
  if (every !== undefined) dose.every = every;
  return dose;
}

function readObservation(r: Reader, value: unknown, path: string): PatientObservation | undefined {
  const o = r.object(value, path, ['time', 'endpoint', 'value', 'blq']);
  if (!o) return undefined;
  const time = r.number(o.time, `${path}.time`);
  const endpoint =
    o.endpoint === 'pk' || o.endpoint === 'pd'
      ? o.endpoint
      : r.problem(`${path}.endpoint`, 'must be "pk" (a concentration) or "pd" (a response)');
  let blq = false;
  if (o.blq !== undefined) {
    if (typeof o.blq === 'boolean') blq = o.blq;
    else r.problem(`${path}.blq`, 'must be true or false');
  }
  const level = blq
    ? r.number(o.value, `${path}.value`, positive, '> 0 (the limit of quantification of a below-LOQ level)')
    : r.number(o.value, `${path}.value`);
  if (time === undefined || endpoint === undefined || level === undefined) return undefined;
  return { time, endpoint, value: level, blq };
}

function readRegimen(r: Reader, value: unknown): PatientRegimen | undefined {
  const g = r.object(value, 'regimen', ['interval', 'intervals', 'route', 'duration', 'step', 'max']);
  if (!g) return undefined;
  const interval = r.number(g.interval, 'regimen.interval', positive, '> 0');
  const route = r.oneOf(g.route, ROUTES, 'regimen.route');
  const step = r.number(g.step, 'regimen.step', positive, '> 0');
  let duration: number | undefined;
  if (g.duration !== undefined) {
    duration = r.number(g.duration, 'regimen.duration', positive, '> 0');
    if (route === 'oral') r.problem('regimen.duration', 'an oral regimen has no infusion duration');
    if (duration !== undefined && interval !== undefined && duration > interval)
      r.problem('regimen.duration', 'is longer than the interval');
  }
  let max: number | undefined;
  if (g.max !== undefined) {
    max = r.number(g.max, 'regimen.max', positive, '> 0');
    if (max !== undefined && step !== undefined && max / step > 2000)
      r.problem('regimen.max', 'gives more than 2000 doses on the grid; raise the step');
  }
  const intervals = g.intervals === undefined ? undefined : readIntervals(r, g.intervals, duration);
  if (interval === undefined || route === undefined || step === undefined) return undefined;
  const regimen: PatientRegimen = { interval, route, step };
  if (intervals !== undefined) regimen.intervals = intervals;
  if (duration !== undefined) regimen.duration = duration;
  if (max !== undefined) regimen.max = max;
  return regimen;
}

function readIntervals(r: Reader, value: unknown, duration: number | undefined): number[] | undefined {
  const items = r.list(value, 'regimen.intervals', PATIENT_LIMITS.intervals);
  if (!items) return undefined;
  if (items.length === 0) return r.problem('regimen.intervals', 'must list at least one interval (or leave it out)');
  const intervals = items.map((x, i) => {
    const path = `regimen.intervals[${i}]`;
    const interval = r.number(x, path, positive, '> 0 (a dosing interval)');
    if (interval !== undefined && items.indexOf(x) < i) return r.problem(path, `${interval} is listed twice`);
    if (interval !== undefined && duration !== undefined && duration > interval)
      return r.problem(path, `is shorter than the infusion duration (${duration})`);
    return interval;
  });
  return intervals.every((x) => x !== undefined) ? intervals : undefined;
}

/** The record's own units, each a unit the study spec knows (response: free text); canonical spelling. */
function readUnits(r: Reader, value: unknown): Partial<StudyUnits> | undefined {
  const u = r.object(value, 'units', ['time', 'amount', 'concentration', 'response']);
  if (!u) return undefined;
  const units: Partial<StudyUnits> = {};
  const unit = <T extends string>(key: 'time' | 'amount' | 'concentration', allowed: readonly T[]): T | undefined => {
    if (u[key] === undefined) return undefined;
    const text = typeof u[key] === 'string' ? canonicalUnit(u[key]) : undefined;
    if (text !== undefined && (allowed as readonly string[]).includes(text)) return text as T;
    return r.problem(`units.${key}`, `must be one of ${allowed.join(', ')}`);
  };
  const time = unit('time', TIME_UNITS);
  const amount = unit('amount', AMOUNT_UNITS);
  const concentration = unit('concentration', CONCENTRATION_UNITS);
  if (time) units.time = time;
  if (amount) units.amount = amount;
  if (concentration) units.concentration = concentration;
  if (u.response !== undefined) {
    if (typeof u.response === 'string' && u.response.trim().length <= 20) units.response = u.response.trim();
    else r.problem('units.response', 'must be text of at most 20 characters (the response unit, as the model writes it)');
  }
  return units;
}

/** Reads a patient document; every problem with its field. */
export function readPatientRecord(value: unknown): PatientReading {
  const r = new Reader();
  const doc = r.object(value, '', ['format', 'version', 'units', 'covariates', 'doses', 'observations', 'regimen', 'probability']);
  if (!doc) return { ok: false, problems: r.problems };
  if (doc.format !== PATIENT_FORMAT)
    return { ok: false, problems: [{ path: 'format', message: `this is not a patient record: "format" must be "${PATIENT_FORMAT}"` }] };
  if (doc.version !== PATIENT_VERSION) r.problem('version', `must be ${PATIENT_VERSION}`);
  const covariates: Record<string, number> = {};
  if (doc.covariates !== undefined) {
    const c = r.object(doc.covariates, 'covariates', Object.keys((doc.covariates as Plain | null) ?? {}));
    const entries = c ? Object.entries(c) : [];
    if (entries.length > PATIENT_LIMITS.covariates)
      r.problem('covariates', `has ${entries.length} entries; at most ${PATIENT_LIMITS.covariates}`);
    for (const [key, v] of entries) {
      const x = r.number(v, `covariates.${key}`);
      const name = key.trim().toUpperCase();
      if (x !== undefined) {
        if (name in covariates) r.problem(`covariates.${key}`, `names the covariate ${name} twice (names are compared in upper case)`);
        covariates[name] = x;
      }
    }
  }
  const doses = (r.list(doc.doses, 'doses', PATIENT_LIMITS.doses) ?? []).map((d, i) => readDose(r, d, `doses[${i}]`));
  if (Array.isArray(doc.doses) && doc.doses.length === 0) r.problem('doses', 'must list at least one dose');
  const observations =
    doc.observations === undefined
      ? []
      : (r.list(doc.observations, 'observations', PATIENT_LIMITS.observations) ?? []).map((o, i) =>
          readObservation(r, o, `observations[${i}]`),
        );
  const regimen = doc.regimen === undefined ? undefined : readRegimen(r, doc.regimen);
  const units = doc.units === undefined ? undefined : readUnits(r, doc.units);
  let probability = 0.9;
  if (doc.probability !== undefined) {
    const p = r.number(doc.probability, 'probability', (x) => x > 0 && x < 1, 'strictly between 0 and 1');
    if (p !== undefined) probability = p;
  }
  const okDoses = doses.filter((d): d is PatientDose => d !== undefined);
  const okObservations = observations.filter((o): o is PatientObservation => o !== undefined);
  if (okDoses.length === doses.length && okDoses.length > 0) {
    const events = okDoses.reduce((n, d) => n + d.count, 0);
    if (events > PATIENT_LIMITS.doseEvents)
      r.problem('doses', `expand to ${events} dose events; at most ${PATIENT_LIMITS.doseEvents} are allowed`);
    const first = Math.min(...okDoses.map((d) => d.time));
    observations.forEach((o, i) => {
      if (o && o.endpoint === 'pk' && o.time <= first)
        r.problem(
          `observations[${i}].time`,
          `a concentration at ${o.time} is at or before the first dose (${first}); check the times (levels are in the model's time unit since the same origin as the doses)`,
        );
    });
  }
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  const record: PatientRecord = {
    covariates,
    doses: okDoses,
    observations: okObservations.sort((a, b) => a.time - b.time),
    probability,
  };
  if (regimen) record.regimen = regimen;
  if (units && Object.keys(units).length > 0) record.units = units;
  return { ok: true, record };
}

/** Reads the text of a patient document (JSON). */
export function readPatientRecordText(text: string): PatientReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `is not valid JSON (${(error as Error).message})` }] };
  }
  return readPatientRecord(value);
}

/** One message listing the problems: "doses[0].count: …; observations[1].time: …". */
export function describePatientProblems(problems: readonly PatientProblem[], shown = 8): string {
  const lines = problems.slice(0, shown).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  const rest = problems.length - shown;
  return rest > 0 ? `${lines.join('; ')}; and ${rest} more` : lines.join('; ');
}

/** The patient's doses as the engine's dose events (every/count expanded), in time order. */
export function patientDoseEvents(record: Pick<PatientRecord, 'doses'>): DoseEvent[] {
  const events: DoseEvent[] = [];
  for (const d of record.doses) {
    for (let m = 0; m < d.count; m++) {
      const time = d.time + m * (d.every ?? 0);
      if (d.route === 'oral') events.push({ time, amount: d.amount, route: 'oral' });
      else if (d.duration !== undefined) events.push({ time, amount: d.amount, route: 'infusion', duration: d.duration });
      else events.push({ time, amount: d.amount, route: 'bolus' });
    }
  }
  return events.sort((a, b) => a.time - b.time);
}
