/**
 * The headless `patient` command's result, as a plain function (Node tests, the browser command):
 * a population model (a study spec with fixed values, population-model.ts, or a fitted
 * StudyPopulationModel with its spec) and a patient record → MAP η, the individual parameters beside
 * the typical ones (in the spec's display units: L and L/h from the units, as the fit's report
 * shows them), the objective, and the dose recommendation from SIR samples of the posterior.
 */
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import type { ModelParameter, StudySpec } from '../study/study-spec';
import { shownUnit } from '../study/units';
import { mapEstimate, PatientPosterior } from './map-estimate';
import { describePatientProblems, readPatientRecord, type PatientRecord } from './patient-record';
import { describeSpecProblems, fixedPopulationModel, readPatientModel } from './population-model';
import { samplePosterior, type SirOptions } from './posterior-sampling';
import { recommendDose, type DoseRecommendation } from './recommend';
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
  };
  sampling: { proposals: number; samples: number; effectiveSize: number };
  levels: number;
  converged: boolean;
  notes: string[];
  seconds: number;
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
  const rec = recommendDose(spec, model, posterior, samples);
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
    notes.push(`The importance weights are uneven (effective sample size ${Math.round(samples.effectiveSize)} of ${samples.proposals}).`);
  if (rec.dose === null) notes.push(`No dose on the grid reaches probability ${rec.target}; the highest is ${rec.probability}.`);
  return {
    eta,
    individual: shown(spec, model, map.individual),
    typical: shown(spec, model, map.typical),
    units,
    ofv: map.ofv,
    etaSd,
    recommendation: {
      regimen: rec.regimen,
      dose: rec.dose,
      probability: rec.probability,
      target: rec.target,
      endpoint: rec.endpoint,
      criterion: rec.criterion,
    },
    sampling: { proposals: samples.proposals, samples: samples.eta.length, effectiveSize: samples.effectiveSize },
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
