/**
 * A patient record in its own units (`units`: time, amount, concentration, response, any subset) made
 * into a record in the population model's units, before anything is estimated: times (dose times,
 * `every`, infusion durations, level times, the regimen's intervals) by the ratio of hours, amounts
 * (doses, the regimen's step and max) and concentrations (PK levels and their LOQ) by the repository's
 * unit factors (../study/units.ts `amountFactor`, `concentrationFactor`). Mass and moles do not convert
 * without a molar mass, and a response unit is free text: those are problems naming the field.
 * Covariates are not converted (the spec gives no units for them).
 */
import type { StudySpec, StudyUnits, TimeUnit } from '../study/study-spec';
import { amountFactor, concentrationFactor, HOURS_PER } from '../study/units';
import type { PatientProblem, PatientReading, PatientRecord, PatientRegimen } from './patient-record';

/** Record value × factor = model value, for each kind of quantity. */
export interface UnitFactors {
  time: number;
  amount: number;
  concentration: number;
}

/** The factors from the record's units to the model's, or the problems of units that do not convert. */
export function recordUnitFactors(
  record: Pick<PatientRecord, 'units'>,
  model: StudyUnits,
): { ok: true; factors: UnitFactors } | { ok: false; problems: PatientProblem[] } {
  const u = record.units ?? {};
  const problems: PatientProblem[] = [];
  const timeFactor = (from: TimeUnit): number => HOURS_PER[from] / HOURS_PER[model.time];
  const noMolarMass = (key: 'amount' | 'concentration', from: string, to: string): void => {
    problems.push({
      path: `units.${key}`,
      message:
        `the record is in ${from}, the model in ${to}; these do not convert without a molar mass ` +
        `(give the ${key === 'amount' ? 'doses' : 'levels'} in ${to})`,
    });
  };
  const amount = u.amount === undefined ? 1 : amountFactor(u.amount, model.amount);
  if (amount === null) noMolarMass('amount', u.amount as string, model.amount);
  const concentration = u.concentration === undefined ? 1 : concentrationFactor(u.concentration, model.concentration);
  if (concentration === null) noMolarMass('concentration', u.concentration as string, model.concentration);
  if (u.response !== undefined && model.response !== '' && u.response !== model.response)
    problems.push({
      path: 'units.response',
      message:
        `the record's responses are in "${u.response}", the model's in "${model.response}"; ` +
        `a response unit does not convert: give the levels in "${model.response}"`,
    });
  if (problems.length > 0 || amount === null || concentration === null) return { ok: false, problems };
  return { ok: true, factors: { time: u.time === undefined ? 1 : timeFactor(u.time), amount, concentration } };
}

/**
 * The record in the model's units (see the header): the same object when it has no units of its own;
 * otherwise a converted copy without `units`. Never throws.
 */
export function recordInModelUnits(record: PatientRecord, spec: Pick<StudySpec, 'units'>): PatientReading {
  if (record.units === undefined) return { ok: true, record };
  const reading = recordUnitFactors(record, spec.units);
  if (!reading.ok) return reading;
  const { time, amount, concentration } = reading.factors;
  const t = (x: number): number => x * time;
  const optional = (x: number | undefined, f: (x: number) => number): number | undefined => (x === undefined ? undefined : f(x));
  const converted: PatientRecord = {
    covariates: { ...record.covariates },
    doses: record.doses.map((d) =>
      withoutUndefined({
        ...d,
        time: t(d.time),
        amount: d.amount * amount,
        every: optional(d.every, t),
        duration: optional(d.duration, t),
      }),
    ),
    observations: record.observations.map((o) => ({
      ...o,
      time: t(o.time),
      value: o.endpoint === 'pk' ? o.value * concentration : o.value,
    })),
    probability: record.probability,
  };
  if (record.regimen) {
    const g = record.regimen;
    const regimen: PatientRegimen = withoutUndefined({
      ...g,
      interval: t(g.interval),
      intervals: g.intervals?.map(t),
      duration: optional(g.duration, t),
      step: g.step * amount,
      max: optional(g.max, (x) => x * amount),
    });
    converted.regimen = regimen;
  }
  return { ok: true, record: converted };
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
