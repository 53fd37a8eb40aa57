import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import { fitStudy } from '../../pkpd/population/fit-study';
import { studyFitReport, type StudyFitReport } from '../../pkpd/population/report';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import { readRealDatasetCsv } from '../../testing/fixture-files';
import { fitTables, stageOf } from './fit-panel-model';

const REPORT: StudyFitReport = {
  study: 'A study',
  structure: { pk: 'oral 2-compartment', pd: 'indirect (inhibit-production)' },
  estimates: {
    CL: { value: 0.13457, unit: 'L/h', rse: 5.12, ci95: [0.1211, 0.14953] },
    Q: { value: 0.5, unit: 'L/h', rse: null, ci95: [null, null], fixed: true },
    'CL~WT': { value: 0.75, unit: '', rse: 20.4, ci95: [0.45, 1.05] },
    BASE: { value: 12.3, unit: 'ng/mL', rse: 3.3, ci95: [11.5, 13.1] },
    'BASE~COMED': { value: 0.8, unit: '', rse: 7.1, ci95: [0.69, 0.93] },
  },
  omega: {
    CL: { sd: 0.2514, rse: 14, shrinkage: 0.123 },
    BASE: { sd: 0.1, rse: null, shrinkage: null, fixed: true },
  },
  residual: {
    pk: { exponential: { value: 0.2012, unit: '', rse: 6.1 } },
    pd: { additive: { value: 0.31, unit: 'ng/mL', rse: 9 }, proportional: { value: 0.05, unit: '', rse: 12 } },
  },
  ofv: 1234.56789,
  aic: 1260.56789,
  bic: 1300.1234,
  observations: 1200,
  subjects: 48,
  comparison: [
    { stage: 'pk', model: 'oral 1-compartment', ofv: 1300, aic: 1312, delta_aic: 51.4321, parameters: 6, chosen: false, converged: true },
    { stage: 'pk', model: 'oral 2-compartment', ofv: 1240, aic: 1260.6, delta_aic: 0, parameters: 10, chosen: true, converged: true },
    { stage: 'pd', model: 'indirect (inhibit-production)', ofv: -5, aic: 9, delta_aic: 0, parameters: 7, chosen: true, converged: false },
  ],
  notes: ['A note.'],
  seconds: 1.2,
};

describe('fit panel tables', () => {
  const t = fitTables(REPORT);

  it('puts each θ in the stage of the parameter it concerns, effects written CL~WT', () => {
    expect(stageOf('CL~WT')).toBe('pk');
    expect(stageOf('BASE~COMED')).toBe('pd');
    expect(t.estimates.pk.map((e) => e.name)).toEqual(['CL', 'Q', 'CL~WT']);
    expect(t.estimates.pd.map((e) => e.name)).toEqual(['BASE', 'BASE~COMED']);
    expect(t.estimates.pk[2]).toMatchObject({ kind: 'effect', label: 'CL~WT (covariate effect)', value: '0.75', unit: '' });
  });

  it('writes values with their display units, RSE and 95 % interval, "fixed" for fixed values', () => {
    expect(t.estimates.pk[0]).toMatchObject({ value: '0.1346', unit: 'L/h', rse: '5.1 %', ci: '0.121 – 0.15', fixed: false });
    expect(t.estimates.pk[1]).toMatchObject({ value: '0.5', rse: 'fixed', ci: '–', fixed: true });
    expect(t.estimates.pd[0]).toMatchObject({ unit: 'ng/mL' });
    // Small values keep their significant digits (phenobarbital's CL is 0.0047 L/h per kg).
    const small = fitTables({ ...REPORT, estimates: { CL: { value: 0.0046823, unit: 'L/h', rse: 4.77, ci95: [0.0042647, 0.0051408] } } });
    expect(small.estimates.pk[0]).toMatchObject({ value: '0.004682', ci: '0.00426 – 0.00514' });
  });

  it('lists Ω SDs with shrinkage, residual errors with their units, and the compared models with ΔAIC', () => {
    expect(t.omega.pk).toEqual([{ name: 'CL', label: 'ω CL (SD of η)', sd: '0.251', rse: '14 %', shrinkage: '12 %', fixed: false }]);
    expect(t.omega.pd[0]).toMatchObject({ name: 'BASE', rse: 'fixed', shrinkage: '–' });
    expect(t.residual.map((r) => [r.label, r.value])).toEqual([
      ['PK exponential (SD of ln DV)', '0.201'],
      ['PD additive (SD)', '0.31 ng/mL'],
      ['PD proportional (CV)', '0.05'],
    ]);
    expect(t.comparison.map((c) => [c.stage, c.model, c.deltaAic, c.chosen])).toEqual([
      ['PK', 'oral 1-compartment', '51.4', false],
      ['PK', 'oral 2-compartment', '0.0', true],
      ['PD', 'indirect (inhibit-production)', '0.0', true],
    ]);
    expect(t.comparison[2].converged).toBe(false);
    expect(t.summary).toBe('OFV 1234.57 · AIC 1260.57 · BIC 1300.12 on 1,200 observations of 48 subjects');
  });

  it('shows a real fit in the units of its spec (theophylline: L/h, L, 1/h)', () => {
    const reading = readStudySpecText(readFileSync(new URL('../../../test-data/specs/theophylline.study.json', import.meta.url), 'utf8'));
    if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
    const ingested = ingestText(readRealDatasetCsv('theo_sd'), 'theo_sd.csv');
    if (!ingested.ok) throw new Error('theo_sd.csv did not ingest');
    const tables = fitTables(studyFitReport(fitStudy(ingested.dataset, reading.spec)));
    expect(tables.estimates.pk.map((e) => [e.name, e.unit])).toEqual([
      ['CL', 'L/h'],
      ['V', 'L'],
      ['KA', '1/h'],
      ['CL~WT', ''],
    ]);
    expect(tables.estimates.pd).toEqual([]);
    expect(tables.omega.pk.map((o) => o.name)).toEqual(['CL', 'V', 'KA']);
    expect(tables.comparison).toHaveLength(1);
    expect(tables.structure).toEqual({ pk: 'oral 1-compartment', pd: null });
  });
});
