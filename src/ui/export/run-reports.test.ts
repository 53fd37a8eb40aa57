import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { MechanisticRunReport } from '../../dose/dose-run-report';
import type { StudyFitReport } from '../../pkpd/population/report';
import { readStudySpecText } from '../../study/study-spec-reader';
import { readRealDatasetCsv } from '../../testing/fixture-files';
import { modelAnswersOf } from '../doses/answer-rows';
import { loadRealStudy } from '../../data/features/test-support';
import { studyClassification } from '../../model/classification';
import { type ReportLabels, studyReportLabels, trainedModelLabels } from '../../model/report/labels';
import type { TrainedModelFacts } from '../../model/trained-model';
import { exampleFacts } from '../../model/trained-model-fixture';
import { dosesReportDocument, modelReportDocument } from './run-reports';
import { fitStudy } from '../../pkpd/population/fit-study';
import { studyFitReport } from '../../pkpd/population/report';
import type { CovariateSearchReport } from '../../pkpd/population/covariate-search-report';

describe('the printable dose report', () => {
  it('states the study, the question in words, each scenario and regimen by its spec, and doses in the spec’s unit', () => {
    const reading = readStudySpecText(readFileSync(new URL('../../../test-data/specs/phenobarbital.study.json', import.meta.url), 'utf8'));
    if (!reading.ok) throw new Error('spec');
    const spec = { ...reading.spec, units: { ...reading.spec.units, amount: 'µg' as const } };
    const questions = spec.questions!;
    const ingested = ingestText(readRealDatasetCsv('pheno_sd'), 'pheno_sd.csv');
    if (!ingested.ok) throw new Error('data');
    const report: MechanisticRunReport = {
      kind: 'mechanistic',
      label: 'Population model (IV 1-compartment)',
      study: spec.name,
      questions,
      endpoint: 'PK (Phenobarbital)',
      question: 'PK (Phenobarbital) within 15–40 mg/L at the trough (just before the next dose) at steady state',
      units: { time: 'h', amount: 'µg', endpoint: 'mg/L' },
      answers: [],
      curves: [],
      notes: ['a note for every reader'],
      method: 'bisection',
      uncertainty: { requested: 0, made: 0, note: 'not requested' },
      fit: {} as StudyFitReport,
      diagnostics: null,
      timing: { fitSeconds: 0, questionsSeconds: 0, uncertaintySeconds: 0, diagnosticsSeconds: 0, totalSeconds: 0 },
      patientModel: null,
      patientModelProblem: null,
      modelExports: null,
      modelExportsProblem: null,
    };
    const doc = dosesReportDocument({
      data: ingested.dataset,
      datasetName: 'pheno_sd',
      models: [modelAnswersOf('mechanistic', report)],
      report,
      figures: [],
    });
    const section = doc.sections.find((s) => s.heading === 'Dose questions')!;
    const facts = new Map(section.facts);
    expect(facts.get('Study')).toBe(spec.name);
    expect(facts.get('Question')).toBe(`the dose at which the target share of virtual subjects has ${report.question}`);
    expect(facts.get('Scenario “preterm (0.5–1.5 kg)”')).toBe('WT uniform 0.5–1.5; other covariates resampled from the trial');
    expect(facts.get('Regimen “every 12 h”')).toBe('every 12 h, IV bolus; dose step 0.25 µg');
    expect(facts.get('Targets')).toBe('90 %, 75 %');
    expect(section.notes).toEqual(['a note for every reader']);
    const answers = doc.sections.find((s) => s.heading === 'Answers')!.tables![0];
    expect(answers.columns).toContain('Dose (µg)');
  });
});

describe('the printable dose report’s fit and covariate search', () => {
  it('lists the fit’s estimates with RSE and interval, Ω with shrinkage, the residual error, and each covariate step', () => {
    const reading = readStudySpecText(readFileSync(new URL('../../../test-data/specs/theophylline.study.json', import.meta.url), 'utf8'));
    if (!reading.ok) throw new Error('spec');
    const ingested = ingestText(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');
    if (!ingested.ok) throw new Error('data');
    const fit = studyFitReport(fitStudy(ingested.dataset, reading.spec));
    const report = {
      kind: 'mechanistic',
      label: 'Population model (oral 1-compartment)',
      fit,
      question: 'q',
      questions: reading.spec.questions,
      units: { time: 'h', amount: 'mg', endpoint: 'mg/L' },
      answers: [],
      curves: [],
      notes: [],
      method: 'bisection',
      uncertainty: { made: 0, requested: 0, note: 'none asked' },
    } as unknown as MechanisticRunReport;
    const search = {
      structure: { pk: 'oral 1-compartment', pd: null },
      thresholds: { forward: 3.84, backward: 6.63 },
      candidates: ['CL~WT', 'V~WT'],
      skipped: [{ column: 'SEX', reason: 'not 0/1' }],
      base: { ofv: { pk: 100 } },
      steps: [
        {
          phase: 'forward',
          step: 1,
          threshold: 3.84,
          from: [],
          ofv: { pk: 100 },
          chosen: 'CL~WT',
          rows: [
            { effect: 'CL~WT', form: 'power', stage: 'pk', ofv: 90, deltaOfv: 10, converged: true, estimate: 0.8, chosen: true },
            { effect: 'V~WT', form: 'power', stage: 'pk', ofv: 99, deltaOfv: 1, converged: true, estimate: 0.2, chosen: false },
          ],
        },
      ],
      included: ['CL~WT'],
      removed: [],
      covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70 }],
      estimates: { 'CL~WT': 0.8 },
      final: { ofv: { pk: 90 }, converged: { pk: true } },
      fits: 3,
      seconds: 1.5,
      notes: [],
    } as CovariateSearchReport;
    const doc = dosesReportDocument({
      data: ingested.dataset,
      datasetName: 'theo',
      models: [],
      report,
      figures: [],
      fits: [report],
      covariateSearch: search,
    });
    const fitPart = doc.sections.find((x) => x.heading === 'Population model (oral 1-compartment)')!;
    const estimates = fitPart.tables!.find((t) => t.caption === 'PK estimates')!;
    const cl = estimates.rows.find((r) => r[0] === 'CL')!;
    const value = fit.estimates.CL.value as number;
    expect(Math.abs(Number(String(cl[1]).replace(/,/g, '')) / value - 1)).toBeLessThan(0.01);
    expect(String(cl[3])).toMatch(/%$/);
    expect(String(cl[4])).toMatch(/–/);
    expect(fitPart.tables!.some((t) => t.caption === 'PK between-subject variability' && t.columns.includes('Shrinkage'))).toBe(true);
    expect(fitPart.tables!.some((t) => t.caption === 'Residual error' && t.rows.length > 0)).toBe(true);
    const covariates = doc.sections.find((x) => x.heading === 'Covariate search')!;
    expect(new Map(covariates.facts).get('Chosen')).toBe('CL~WT (power)');
    expect(covariates.tables![0].caption).toBe('Forward step 1: adds CL~WT');
    expect(covariates.tables![0].rows).toEqual([
      ['CL~WT', 'power', 90, 10, 'yes'],
      ['V~WT', 'power', 99, 1, ''],
    ]);
    expect(covariates.notes).toContain('Not searched: SEX (not 0/1).');
  });
});

describe('the printable model report', () => {
  const theo = loadRealStudy('theo_sd', 'theophylline');
  const input = (facts: TrainedModelFacts, labels: ReportLabels) =>
    modelReportDocument({
      data: theo.dataset,
      datasetName: 'theo_sd',
      facts,
      labels,
      modelName: 'm',
      subjectSet: 'validation',
      figures: [],
    });

  it('gives a PK-only model’s metrics named and in the study’s unit, and its head’s criterion in words — no ng/mL anywhere', () => {
    const facts = exampleFacts({
      config: { ...exampleFacts().config, classification: true },
      validation: { pk: exampleFacts().validation.pk, pd: null },
      labels: studyReportLabels(theo.spec, studyClassification(theo.spec)),
    });
    const doc = input(facts, trainedModelLabels(facts));
    const model = new Map(doc.sections.find((s) => s.heading === 'Model')!.facts);
    expect(model.get('Classification head')).toBe('on: Theophylline within 10–20 mg/L');
    const metrics = doc.sections.find((s) => s.heading === 'Metrics')!.tables![0];
    expect(metrics.rows.map((r) => r[0])).toEqual(['PK (Theophylline), mg/L']);
    expect(JSON.stringify(doc)).not.toContain('ng/mL');
  });

  it('prints a model saved before study specs as EstData’s: PK and PD in ng/mL, its head PD below 3.3 ng/mL', () => {
    const facts = exampleFacts({ config: { ...exampleFacts().config, classification: true } });
    const doc = input(facts, trainedModelLabels(facts));
    expect(new Map(doc.sections.find((s) => s.heading === 'Model')!.facts).get('Classification head')).toBe('on: PD below 3.3 ng/mL');
    expect(doc.sections.find((s) => s.heading === 'Metrics')!.tables![0].rows.map((r) => r[0])).toEqual(['PK, ng/mL', 'PD, ng/mL']);
    const off = input(exampleFacts(), trainedModelLabels(exampleFacts()));
    expect(new Map(off.sections.find((s) => s.heading === 'Model')!.facts).get('Classification head')).toBe('off');
  });
});
