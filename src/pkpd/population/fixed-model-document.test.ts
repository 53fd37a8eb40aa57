import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import { mapEstimate, PatientPosterior } from '../../patient/map-estimate';
import type { PatientRecord } from '../../patient/patient-record';
import { fixedPopulationModel } from '../../patient/population-model';
import { studySpecDocument } from '../../store/study-file';
import type { StudySubject } from '../../study/study-data';
import type { StudySpec } from '../../study/study-spec';
import { volumeFactor } from '../../study/units';
import { readStudySpec, readStudySpecText } from '../../study/study-spec-reader';
import { readEstDataCsv, readEstDataStudyText, readRealDatasetCsv, type RealDatasetName } from '../../testing/fixture-files';
import { fitStudy, type StudyFitResult, type StudyPopulationModel } from './fit-study';
import { FixedModelExportError, fixedModelDocument } from './fixed-model-document';
import { networkEffects } from './parameter-model';
import { simulateStudyTrial } from './simulate-study';
import { TRUTH_SCENARIOS } from './testing/truth-scenarios';

const specText = (name: string): string => readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8');

function readSpec(text: string): StudySpec {
  const reading = readStudySpecText(text);
  if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
  return reading.spec;
}

function fit(csv: string, spec: StudySpec): StudyFitResult {
  const ingested = ingestText(csv, 'data.csv');
  if (!ingested.ok) throw new Error('data');
  return fitStudy(ingested.dataset, spec, { covariance: false });
}

/** The document as a file holds it: JSON text, read back by the one validator. */
function readBack(doc: StudySpec): { spec: StudySpec; json: Record<string, any> } {
  const json = JSON.parse(JSON.stringify(studySpecDocument(doc))) as Record<string, any>;
  const reading = readStudySpec(json);
  if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
  return { spec: reading.spec, json };
}

/** The subject's own doses and levels as a patient record. */
function recordOf(subject: StudySubject, model: StudyPopulationModel): PatientRecord {
  const route = model.pk.route;
  const doses = subject.segments.flatMap((g) => g.doses);
  // A log-scale error takes positive levels only (zeros before the lag, for one).
  const levels = (endpoint: 'pk' | 'pd') =>
    Array.from(subject[endpoint].times, (time, j) => ({ time, endpoint, value: subject[endpoint].values[j], blq: false })).filter(
      (o) => o.value > 0 || model.residual[endpoint]?.scale !== 'log',
    );
  return {
    covariates: { ...subject.covariates },
    doses: doses.map((d) => ({ time: d.time, amount: d.amount, route, count: 1, ...(d.duration ? { duration: d.duration } : {}) })),
    observations: [...levels('pk'), ...(model.pd ? levels('pd') : [])],
    probability: 0.9,
  };
}

function close(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

/**
 * The document read back as a fixed model gives the fit's model — θ, ω, residual error, the effects
 * the model uses with their references — and the same MAP η for one subject of the fit.
 */
function expectRoundTrip(result: StudyFitResult): { document: Record<string, any>; model: StudyPopulationModel } {
  const { spec, json } = readBack(fixedModelDocument(result.spec, result.model));
  const model = fixedPopulationModel(spec);
  const fitted = result.model;
  expect(model.pk).toEqual(fitted.pk);
  expect(model.pd).toEqual(fitted.pd);
  expect(Object.keys(model.theta).sort()).toEqual(Object.keys(fitted.theta).sort());
  for (const [name, value] of Object.entries(fitted.theta)) close(model.theta[name], value);
  expect(Object.keys(model.omega)).toEqual(Object.keys(fitted.omega));
  for (const [name, sd] of Object.entries(fitted.omega)) close(model.omega[name as 'CL'] as number, sd);
  expect(model.residual).toEqual(fitted.residual);
  const used = fitted.effects.filter((e) => e.name in fitted.theta);
  expect(model.effects.map((e) => [e.name, e.on, e.form, e.reference])).toEqual(used.map((e) => [e.name, e.on, e.form, e.reference]));
  const subject = result.study.subjects.find((s) => s.pk.times.length >= 3) as StudySubject;
  const record = recordOf(subject, fitted);
  const before = mapEstimate(new PatientPosterior(result.spec, fitted, record));
  const after = mapEstimate(new PatientPosterior(spec, model, record));
  expect(after.etaNames).toEqual(before.etaNames);
  // Identical where display and data units agree; else CL and V pass through × and ÷ the volume factor (one rounding each).
  if (volumeFactor(result.spec.units) === 1) expect([after.eta, after.ofv]).toEqual([before.eta, before.ofv]);
  before.eta.forEach((eta, k) => expect(Math.abs(after.eta[k] - eta)).toBeLessThan(1e-9));
  expect(Math.abs(after.ofv - before.ofv)).toBeLessThan(1e-9 * Math.abs(before.ofv));
  return { document: json, model };
}

function realFit(name: RealDatasetName, spec: StudySpec): StudyFitResult {
  return fit(readRealDatasetCsv(name), spec);
}

describe('a fitted population model as a fixed-value study spec', () => {
  it('theophylline: "auto" compartments resolved, a power effect centred on the data’s median, questions kept', () => {
    const given = readSpec(specText('theophylline'));
    const { reference: _dropped, ...effect } = given.model.covariates[0];
    const spec = { ...given, model: { ...given.model, pk: { ...given.model.pk, compartments: 'auto' as const }, covariates: [effect] } };
    const result = realFit('theo_sd', spec);
    const { document } = expectRoundTrip(result);
    const weights = result.study.subjects.map((s) => s.covariates.WT).sort((a, b) => a - b);
    expect(document.model.pk.compartments).toBe(result.model.pk.compartments);
    expect(document.model.covariates).toEqual([
      { column: 'WT', on: 'CL', form: 'power', reference: (weights[5] + weights[6]) / 2, value: result.model.theta['CL~WT'] },
    ]);
    expect(Object.keys(document.model.randomEffects)).toEqual(['CL', 'V', 'KA']);
    expect(document.model.error).toEqual({ pk: { exponential: result.model.residual.pk?.additive } });
    expect(document.questions).toEqual(JSON.parse(JSON.stringify(given.questions)));
    expect(document.name).toBe(`${given.name} — fitted population model`);
    expect(document.model).not.toHaveProperty('covariateRanges');
    // With the fitted subjects: the range of each covariate the effects use, kept by the reader.
    const ranged = readBack(fixedModelDocument(result.spec, result.model, { subjects: result.study.subjects, name: 'theo' }));
    expect(ranged.spec.model.covariateRanges).toEqual({ WT: [weights[0], weights[11]] });
    expect(ranged.spec.name).toBe('theo');
  });

  it('EstData (one compartment): CL and V in L from mg and ng/mL, power and factor effects, the indirect response', () => {
    const given = readSpec(readEstDataStudyText());
    const spec = { ...given, model: { ...given.model, pk: { ...given.model.pk, compartments: 1 as const } } };
    const result = fit(readEstDataCsv(), spec);
    const { document } = expectRoundTrip(result);
    // mg ÷ (ng/mL) is 1000 L: the document holds the estimates as the fit report shows them.
    expect(document.model.parameters.CL).toBe(result.estimates.CL.value);
    expect(document.model.parameters.CL).toBeCloseTo(result.model.theta.CL * 1000, 9);
    expect(document.model.parameters.KOUT).toBe(result.model.theta.KOUT);
    expect(document.model.pd).toEqual({ family: 'indirect', type: 'inhibit-production' });
    expect(document.model.covariates.map((c: { column: string; on: string }) => `${c.on}~${c.column}`)).toEqual([
      'CL~BW',
      'V~BW',
      'CL~COMED',
      'BASE~COMED',
    ]);
    expect(document.model.covariates[2]).toEqual({ column: 'COMED', on: 'CL', form: 'factor', value: result.model.theta['CL~COMED'] });
    // Without its PD part the model cannot answer the spec's question on the response.
    const { pd: _pd, ...pkOnly } = result.model;
    expect(() => fixedModelDocument(result.spec, pkOnly)).toThrow(/questions\.endpoint "pd"/);
  });

  it('phenobarbital: two compartments, IV, an estimated power effect on CL that also scales Q', () => {
    const given = readSpec(specText('phenobarbital'));
    const spec: StudySpec = {
      ...given,
      model: {
        ...given.model,
        pk: { ...given.model.pk, compartments: 2 },
        covariates: [{ column: 'WT', on: 'CL', form: 'power' }, given.model.covariates[1]],
      },
    };
    const result = realFit('pheno_sd', spec);
    const { document } = expectRoundTrip(result);
    expect(Object.keys(document.model.parameters).sort()).toEqual(['CL', 'Q', 'V', 'V2']);
    expect(document.model.covariates[1]).toEqual({ column: 'WT', on: 'V', form: 'power', reference: 1, value: 1 });
  });

  for (const name of [
    'oral with lag, direct increasing response',
    'infusions written once with ADDL/II, indirect inhibition of production',
  ]) {
    it(`a simulated trial: ${name}`, () => {
      const scenario = TRUTH_SCENARIOS.find((s) => s.name === name);
      if (!scenario) throw new Error(name);
      const trial = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(24), 7);
      const result = fit(trial.csv, scenario.spec);
      const { document } = expectRoundTrip(result);
      expect(document.model.pd).toEqual(scenario.truth.pd);
      expect(document.model.error.pd).toEqual(
        Object.fromEntries(
          Object.entries(scenario.spec.model.error?.pd ?? {}).map(([k]) => [k, result.model.residual.pd?.[k as 'additive']]),
        ),
      );
    });
  }

  it('refuses a covariate network’s shift, naming it', () => {
    const result = realFit('theo_sd', readSpec(specText('theophylline')));
    const hybrid = { ...result.model, effects: [...result.model.effects, ...networkEffects(['CL'], undefined)] };
    expect(() => fixedModelDocument(result.spec, hybrid)).toThrow(FixedModelExportError);
    expect(() => fixedModelDocument(result.spec, hybrid)).toThrow(/CL~network/);
    const { pk: _pk, ...noPk } = result.model.residual;
    expect(() => fixedModelDocument(result.spec, { ...result.model, residual: noPk })).toThrow(/no PK residual error/);
  });
});
