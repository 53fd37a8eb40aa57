/**
 * The headless `patient` command's result, as a plain function (Node tests, the browser command):
 * a population model (a study spec with fixed values, population-model.ts, or a fitted
 * StudyPopulationModel with its spec) and a patient record → MAP η, the individual parameters beside
 * the typical ones (in the spec's display units: L and L/h from the units, as the fit's report
 * shows them), the objective, and the dose recommendation from SIR samples of the posterior: the
 * interval chosen among the regimen's candidates (recommend.ts `recommendRegimen`), the next dose
 * time, the individual time to about 90 % of steady state, and warnings for covariates outside the
 * model's data (`model.covariateRanges` of the spec). A record with units of its own is estimated in
 * the model's (record-units.ts); the regimen, doses and times of the report are in the record's.
 */
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import type { AmountUnit, ModelParameter, StudySpec, TimeUnit } from '../study/study-spec';
import { slowestApproach } from '../dose/study-simulator';
import { shownUnit } from '../study/units';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { describePatientProblems, patientDoseEvents, readPatientRecord, type PatientRecord } from './patient-record';
import { describeSpecProblems, fixedPopulationModel, readPatientModel } from './population-model';
import { samplePosterior, type SirOptions } from './posterior-sampling';
import { recommendRegimen, type DoseRecommendation, type IntervalOption } from './recommend';
import { recordInModelUnits, recordUnitFactors } from './record-units';
import type { ParameterValues } from '../pkpd/structural/structural-model';

/** A model or patient document that cannot be used: what is wrong and where. */
export class PatientInputError extends Error {
  override readonly name = 'PatientInputError';
}

export interface PatientReport {
  eta: Partial<Record<ModelParameter, number>>;
  /** Individual parameters at the MAP η, display units. */
  individual: Partial<Record<ModelParameter, number>>;
  /** The patient's typical parameters (η = 0), display units. */
  typical: Partial<Record<ModelParameter, number>>;
  units: Partial<Record<ModelParameter, string>>;
  /** −2 log posterior at the mode (up to a constant). */
  ofv: number;
  /** Laplace SDs of η. */
  etaSd: Partial<Record<ModelParameter, number>>;
  recommendation: Pick<DoseRecommendation, 'regimen' | 'dose' | 'probability'> & {
    target: number;
    endpoint: 'pk' | 'pd';
    criterion: DoseRecommendation['criterion'];
    /** Every candidate interval (one when the regimen lists no `intervals`), shortest first. */
    options: IntervalOption[];
  };
  /** The units of the recommendation's interval, dose and per-day amounts, `nextDose` and `steadyState`: the record's. */
  doseUnits: { time: TimeUnit; amount: AmountUnit };
  /** Time of the next dose (the last dose given + the recommended interval), from the record's origin. */
  nextDose: number;
  /**
   * The individual approach to steady state of the criterion's endpoint: the slowest rate's half-life
   * and ln 10 ÷ that rate, the time to 90 % of a one-exponential approach; what sets the rate.
   */
  steadyState: { halfLife: number; time90: number; limitedBy: 'elimination' | 'absorption' | 'KE0' | 'KOUT' };
  /** Covariates outside the model's data (the spec's `model.covariateRanges`); `far`: beyond it by more than its width. */
  covariateWarnings: CovariateWarning[];
  sampling: { proposals: number; samples: number; effectiveSize: number; rounds: number };
  levels: number;
  converged: boolean;
  notes: string[];
  seconds: number;
}

export interface CovariateWarning {
  column: string;
  value: number;
  range: [number, number];
  far: boolean;
  message: string;
}

/** The patient's covariates outside the ranges the spec gives (none for a covariate without a range). */
export function covariateWarnings(spec: StudySpec, record: Pick<PatientRecord, 'covariates'>): CovariateWarning[] {
  const out: CovariateWarning[] = [];
  for (const [column, range] of Object.entries(spec.model.covariateRanges ?? {})) {
    const value = record.covariates[column.toUpperCase()];
    const [low, high] = range;
    if (value === undefined || (value >= low && value <= high)) continue;
    const far = Math.max(low - value, value - high) > high - low;
    const shown = `${column} ${value} is ${far ? 'far ' : ''}outside the model's data (${low}–${high})`;
    const message = far
      ? `${shown}, beyond it by more than the range's width: the prediction is a long extrapolation ` +
        'the model was not built for; use it with great caution.'
      : `${shown}: the prediction extrapolates.`;
    out.push({ column, value, range: [low, high], far, message });
  }
  return out;
}

/** Reads the two documents; throws a PatientInputError naming every problem. */
export function readPatientInputs(
  specValue: unknown,
  patientValue: unknown,
): { spec: StudySpec; model: StudyPopulationModel; record: PatientRecord } {
  const m = readPatientModel(specValue);
  if (!m.ok) throw new PatientInputError(`The model is not a usable study spec: ${describeSpecProblems(m.problems)}.`);
  const p = readPatientRecord(patientValue);
  if (!p.ok) throw new PatientInputError(`The patient record is not usable: ${describePatientProblems(p.problems)}.`);
  const units = recordInModelUnits(p.record, m.spec);
  if (!units.ok)
    throw new PatientInputError(`The patient record's units do not fit the model: ${describePatientProblems(units.problems)}.`);
  let model: StudyPopulationModel;
  try {
    model = fixedPopulationModel(m.spec);
  } catch (error) {
    throw new PatientInputError((error as Error).message);
  }
  return { spec: m.spec, model, record: p.record };
}

function shown(spec: StudySpec, model: StudyPopulationModel, values: ParameterValues): Partial<Record<ModelParameter, number>> {
  const out: Partial<Record<ModelParameter, number>> = {};
  for (const [name, v] of Object.entries(values) as [ModelParameter, number][])
    out[name] = v * shownUnit(name, spec.units, model.pd?.family).factor;
  return out;
}

export function patientReport(spec: StudySpec, model: StudyPopulationModel, record: PatientRecord, sir: SirOptions = {}): PatientReport {
  const started = performance.now();
  const posterior = new PatientPosterior(spec, model, record);
  const map = mapEstimate(posterior);
  const samples = samplePosterior(posterior, map, sir);
  const rec = recommendRegimen(spec, model, posterior, samples);
  // Back to the record's units (the posterior and the recommendation work in the model's).
  const factors = recordUnitFactors(record, spec.units);
  const { time: perTime, amount: perAmount } = factors.ok ? factors.factors : { time: 1, amount: 1 };
  const time = (x: number): number => x / perTime;
  const amount = (x: number | null): number | null => (x === null ? null : Number((x / perAmount).toPrecision(12)));
  const regimen = { ...rec.regimen, interval: time(rec.regimen.interval) };
  if (regimen.duration !== undefined) regimen.duration = time(regimen.duration);
  const options = rec.options.map((o) => ({ ...o, interval: time(o.interval), dose: amount(o.dose), perDay: amount(o.perDay) }));
  const given = patientDoseEvents(record);
  const nextDose = given[given.length - 1].time + regimen.interval;
  const slowest = slowestApproach(model, rec.endpoint, map.individual);
  const steadyState = { halfLife: time(Math.LN2 / slowest.rate), time90: time(Math.LN10 / slowest.rate), limitedBy: slowest.limitedBy };
  const warnings = covariateWarnings(spec, record);
  const eta: Partial<Record<ModelParameter, number>> = {};
  const etaSd: Partial<Record<ModelParameter, number>> = {};
  const k = map.etaNames.length;
  map.etaNames.forEach((name, i) => {
    eta[name] = map.eta[i];
    etaSd[name] = Math.sqrt(map.covariance[i * k + i]);
  });
  const units: Partial<Record<ModelParameter, string>> = {};
  for (const name of Object.keys(map.individual) as ModelParameter[]) units[name] = shownUnit(name, spec.units, model.pd?.family).unit;
  const notes: string[] = [];
  if (record.observations.length === 0) notes.push('No levels: the a priori prediction (η = 0) and the prior as the posterior.');
  if (!map.converged) notes.push(`The MAP search: ${map.message}.`);
  if (samples.effectiveSize < 0.1 * samples.proposals)
    notes.push(
      `The importance weights are uneven (effective sample size ${Math.round(samples.effectiveSize)} of ${samples.proposals}` +
        `${samples.rounds > 1 ? ', after a second round' : ''}).`,
    );
  if (rec.dose === null)
    notes.push(
      options.length > 1
        ? `No dose on the grid reaches probability ${rec.target} at any of the intervals ` +
            `${options.map((o) => o.interval).join(', ')}; the highest at ${regimen.interval} is ${rec.probability}.`
        : `No dose on the grid reaches probability ${rec.target}; the highest is ${rec.probability}.`,
    );
  const lastLevel = Math.max(...record.observations.map((o) => o.time));
  if (lastLevel > nextDose)
    notes.push(
      `The last level (at ${lastLevel}) is later than one interval after the last dose given ` +
        `(${given[given.length - 1].time}): check that the record lists every dose.`,
    );
  for (const w of warnings) notes.push(w.message);
  return {
    eta,
    individual: shown(spec, model, map.individual),
    typical: shown(spec, model, map.typical),
    units,
    ofv: map.ofv,
    etaSd,
    recommendation: {
      regimen,
      dose: amount(rec.dose),
      probability: rec.probability,
      target: rec.target,
      endpoint: rec.endpoint,
      criterion: rec.criterion,
      options,
    },
    doseUnits: { time: record.units?.time ?? spec.units.time, amount: record.units?.amount ?? spec.units.amount },
    nextDose,
    steadyState,
    covariateWarnings: warnings,
    sampling: { proposals: samples.proposals, samples: samples.eta.length, effectiveSize: samples.effectiveSize, rounds: samples.rounds },
    levels: record.observations.length,
    converged: map.converged,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The headless command's work on the two documents' text. */
export function patientReportFromText(specText: string, patientText: string, sir: SirOptions = {}): PatientReport {
  const parse = (text: string, what: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new PatientInputError(`The ${what} is not valid JSON: ${(error as Error).message}.`);
    }
  };
  const { spec, model, record } = readPatientInputs(parse(specText, 'model'), parse(patientText, 'patient record'));
  return patientReport(spec, model, record, sir);
}
