/**
 * The Doses tab's run report, made the way the dose worker makes it: a real file (theophylline) with
 * its spec — the fit with named estimates in the spec's units, the spec's questions answered in its
 * names with the criterion in words, diagnostics — as plain data a worker can post; the run options'
 * checks; and which subjects a saved network may read.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { StudySpec } from '../study/study-spec';
import { readStudySpecText } from '../study/study-spec-reader';
import { readRealDatasetCsv } from '../testing/fixture-files';
import { datasetFingerprint } from '../data/fingerprint';
import { networkContextSubjects } from './dose-run-networks';
import {
  checkedRunSpec,
  checkRunOptions,
  type MechanisticRunReport,
  patientModelOf,
  questionInWords,
  runOptionProblems,
  runStudyDoses,
} from './dose-run-report';
import { DoseSettingsError } from './errors';
import { estDataPreset } from '../study/estdata-preset';
import type { StudyFitResult } from '../pkpd/population/fit-study';
import { networkEffects } from '../pkpd/population/parameter-model';
import { fixedPopulationModel, readPatientModel } from '../patient/population-model';
import { EXAMPLE_MODEL_PATH } from '../patient/test-support';

function specFile(name: string): StudySpec {
  const reading = readStudySpecText(readFileSync(new URL(`../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8'));
  if (!reading.ok) throw new Error(name);
  return reading.spec;
}

describe('a dose run of a real file through its spec', () => {
  let report: MechanisticRunReport;
  const progress = new Set<string>();
  const spec = specFile('theophylline');
  beforeAll(async () => {
    const ingested = ingestText(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');
    if (!ingested.ok) throw new Error('theo_sd did not ingest');
    const small = { ...spec, questions: { ...spec.questions!, virtualSubjects: 50 } };
    report = await runStudyDoses(
      ingested.dataset,
      small,
      { uncertaintyReplicates: 2, method: 'bisection', vpcReplicates: 3 },
      { onProgress: (p) => progress.add(p.stage) },
    );
  }, 120_000);

  it('shows the fit with named estimates in the spec’s units', () => {
    expect(report.kind).toBe('mechanistic');
    expect(report.label).toBe('Population model (oral 1-compartment)');
    expect(report.fit.study).toBe(spec.name);
    expect(Object.keys(report.fit.estimates)).toEqual(expect.arrayContaining(['CL', 'V', 'KA', 'CL~WT']));
    expect(report.fit.estimates.CL.unit).toMatch(/L\/h/);
    expect(report.fit.estimates.CL.value).toBeGreaterThan(0);
  });

  it('answers the spec’s question in its names, units and words', () => {
    expect(report.question).toBe('PK (Theophylline) within 10–20 mg/L on average over the dosing interval at steady state');
    expect(report.units).toEqual({ time: 'h', amount: 'mg', endpoint: 'mg/L' });
    expect(report.answers).toHaveLength(2 * 3 * 2);
    expect(new Set(report.answers.map((a) => a.scenario))).toEqual(new Set(['trial', 'WT 70–86 kg']));
    expect(new Set(report.answers.map((a) => a.regimen))).toEqual(new Set(['every 12 h', 'every 8 h']));
    expect(report.answers.every((a) => a.unit === 'mg' && a.n === 50)).toBe(true);
    expect(report.questions.virtualSubjects).toBe(50);
    expect(report.uncertainty.made).toBe(2);
    expect(report.curves.every((c) => c.band !== undefined)).toBe(true);
  });

  it('carries the diagnostics, reports every stage and crosses a worker boundary as plain data', () => {
    expect(report.diagnostics?.observations.length).toBeGreaterThan(100);
    expect(report.diagnostics?.curves).toHaveLength(12);
    // The guidance diagnostics ride along: NPDE per observation, pcVPC, η, the OFV trace, the correlations.
    const d = report.diagnostics!;
    expect(d.npde.observations).toHaveLength(d.observations.length);
    expect(d.pcVpc.pk?.correction).toBe('proportional');
    expect(d.eta.subjects).toHaveLength(12);
    expect(d.convergence.map((c) => c.stage)).toEqual(['pk']);
    expect(d.correlation[0].correlation?.conditionNumber).toBeGreaterThanOrEqual(1);
    expect([...progress]).toEqual(expect.arrayContaining(['fit', 'questions', 'uncertainty', 'diagnostics']));
    expect(structuredClone(report)).toEqual(report);
    expect(report.timing.totalSeconds).toBeGreaterThanOrEqual(report.timing.fitSeconds);
    // No exporter given: none made, and the report says so.
    expect(report.modelExports).toBeNull();
    expect(report.modelExportsProblem).toMatch(/no export/);
  });

  it('carries the fitted model as a patient population model: fixed values, the run’s questions, the covariate range', () => {
    expect(report.patientModelProblem).toBeNull();
    const reading = readPatientModel(report.patientModel);
    if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
    const model = fixedPopulationModel(reading.spec);
    // mg and mg/L: the display units are the data's, so θ is the fit report's value (which shows 4 significant digits).
    for (const name of ['CL', 'V', 'KA', 'CL~WT']) {
      const shown = report.fit.estimates[name].value as number;
      expect(Math.abs(model.theta[name] - shown)).toBeLessThanOrEqual(5e-4 * Math.abs(shown));
    }
    expect(reading.spec.questions?.virtualSubjects).toBe(50);
    const weights = readRealDatasetCsv('theo_sd')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[6]));
    expect(reading.spec.model.covariateRanges).toEqual({ WT: [Math.min(...weights), Math.max(...weights)] });
  });
});

describe('the patient model of a run', () => {
  it('is null, with the reason, for a model a study spec cannot hold (a covariate network’s shift)', () => {
    const reading = readPatientModel(JSON.parse(readFileSync(EXAMPLE_MODEL_PATH, 'utf8')));
    if (!reading.ok) throw new Error('example model');
    const model = fixedPopulationModel(reading.spec);
    const hybrid = { ...model, effects: [...model.effects, ...networkEffects(['CL'], model.pd)] };
    const fitted = { spec: reading.spec, model: hybrid, study: { subjects: [] } } as unknown as StudyFitResult;
    const out = patientModelOf(fitted, reading.spec);
    expect(out.patientModel).toBeNull();
    expect(out.patientModelProblem).toMatch(
      /^The model cannot be written as a fixed study spec: CL~network is a covariate effect computed/,
    );
    expect(patientModelOf({ ...fitted, model }, reading.spec).patientModelProblem).toBeNull();
  });
});

describe('what a run is given', () => {
  it('says the criterion in words with the endpoint’s name and unit', () => {
    const preset = estDataPreset();
    expect(questionInWords(preset, 'pd', preset.questions!.criterion)).toBe(
      'PD (Biomarker) below 3.3 ng/mL throughout the last dosing interval at steady state',
    );
    const pheno = specFile('phenobarbital');
    expect(questionInWords(pheno, 'pk', pheno.questions!.criterion)).toBe(
      'PK (Phenobarbital) within 15–40 mg/L at the trough (just before the next dose) at steady state',
    );
  });

  it('reads the spec again through the one validator and refuses run options out of range, by name', () => {
    expect(checkedRunSpec(estDataPreset())).toEqual(estDataPreset());
    const bad = { ...estDataPreset(), questions: { ...estDataPreset().questions!, targets: [2] } };
    expect(() => checkedRunSpec(bad)).toThrow(/questions\.targets\[0\]: must be a number in \(0, 1\]/);
    const noQuestions: StudySpec = { ...estDataPreset() };
    delete noQuestions.questions;
    expect(() => checkedRunSpec(noQuestions)).toThrow(DoseSettingsError);
    expect(runOptionProblems({ uncertaintyReplicates: 201, method: 'bisection', vpcReplicates: -1 })).toEqual({
      uncertaintyReplicates: 'must be a whole number from 0 to 200',
      vpcReplicates: 'must be a whole number from 0 to 1000',
    });
    expect(() => checkRunOptions({ uncertaintyReplicates: 1.5, method: 'bisection', vpcReplicates: 0 })).toThrow(
      'Uncertainty draws must be a whole number from 0 to 200.',
    );
  });
});

describe('saved networks on the study’s questions', () => {
  it('read only their training subjects of the data they were trained on, every subject of other data', () => {
    const ingested = ingestText(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');
    if (!ingested.ok) throw new Error('theo_sd did not ingest');
    const data = ingested.dataset;
    const ids = data.subjects.map((s) => s.id);
    const split = { valIds: [ids[0]], testIds: [ids[1], ids[2]] };
    const own = networkContextSubjects(data, { fingerprint: datasetFingerprint(data), split });
    expect(own.subjects).toEqual(ids.slice(3).map((_, i) => i + 3));
    expect(own.note).toMatch(/validation and test subjects left out/);
    const other = networkContextSubjects(data, { fingerprint: 'another', split });
    expect(other.subjects).toEqual(ids.map((_, i) => i));
    expect(other.note).toMatch(/trained on other data/);
  });
});
