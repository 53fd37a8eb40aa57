import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRealDatasetCsv } from '../../testing/fixture-files';
import { runHeadlessCommand } from '../registry';
import { FitInputError, readFitInputs, type FitArgs } from './fit';
import './patient';

const specText = (name: string): string => readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8');

function args(edit: (spec: Record<string, any>) => void = () => {}): FitArgs {
  const spec = JSON.parse(specText('theophylline')) as Record<string, any>;
  edit(spec);
  return { csvText: readRealDatasetCsv('theo_sd'), fileName: 'theo_sd.csv', specText: JSON.stringify(spec), specName: 'theo.study.json' };
}

function refusal(input: FitArgs): string {
  try {
    readFitInputs(input);
  } catch (error) {
    if (error instanceof FitInputError) return error.message;
    throw error;
  }
  throw new Error('expected a FitInputError');
}

describe('headless fit', () => {
  it('refuses a spec naming a column the file lacks, naming the field and the column', () => {
    expect(refusal(args((s) => (s.model.covariates[0].column = 'AGE')))).toBe(
      "theo.study.json: theo_sd.csv: the study spec's model.covariates[0].column names the column AGE, which the file does not have (its columns: ID, TIME, DV, AMT, EVID, CMT, WT). Correct the spec's column name or choose the file it describes.",
    );
  });

  it('refuses a spec that is not valid, and a file that is not accepted', () => {
    expect(refusal(args((s) => (s.model.pk.route = 'nasal')))).toMatch(
      /^theo\.study\.json is not a usable study spec: model\.pk\.route: must be one of "oral", "iv"/,
    );
    expect(refusal({ ...args(), csvText: 'ID,TIME\n1,x\n' })).toMatch(/^theo_sd\.csv was not accepted:/);
  });

  it('fits and reports estimates in the spec’s units', async () => {
    const report = (await runHeadlessCommand('fit', args())) as Record<string, any>;
    expect(report.structure).toEqual({ pk: 'oral 1-compartment', pd: null });
    expect(report.estimates.CL).toMatchObject({ unit: 'L/h' });
    expect(report.estimates.CL.value).toBeGreaterThan(2);
    expect(report.estimates['CL~WT']).toMatchObject({ unit: '' });
    expect(Object.keys(report.omega)).toEqual(['CL', 'V', 'KA']);
    expect(report.residual.pk.exponential.value).toBeGreaterThan(0);
    expect(report.comparison).toHaveLength(1);
    expect(typeof report.seconds).toBe('number');
    // The convergence trace (non-increasing) and the condition number of the estimates' correlations.
    expect(report.estimation).toHaveLength(1);
    const [pk] = report.estimation;
    expect(pk).toMatchObject({ stage: 'pk', model: 'oral 1-compartment' });
    expect(pk.ofv_trace.length).toBeGreaterThan(2);
    for (let i = 1; i < pk.ofv_trace.length; i++) expect(pk.ofv_trace[i]).toBeLessThanOrEqual(pk.ofv_trace[i - 1]);
    expect(pk.ofv_trace.at(-1)).toBeCloseTo(report.ofv, 3);
    expect(pk.condition_number).toBeGreaterThanOrEqual(1);
    expect(pk.eigenvalues.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(pk.eigenvalues.length, 3);
    // Plain JSON: what the runner prints.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report).not.toHaveProperty('patientModel');
  });

  it('with patientModel, returns the fitted model as a fixed-value spec the patient command reads', async () => {
    const report = (await runHeadlessCommand('fit', { ...args(), patientModel: true })) as Record<string, any>;
    expect(report.patientModelProblem).toBeNull();
    // The report shows 4 significant digits; the document holds the estimate.
    const near = (x: number, shown: number): boolean => Math.abs(x - shown) <= 5e-4 * Math.abs(shown);
    expect(near(report.patientModel.model.parameters.CL, report.estimates.CL.value)).toBe(true);
    const patient = {
      format: 'qpkpd-patient',
      version: 1,
      covariates: { WT: 70 },
      doses: [{ time: 0, amount: 320, route: 'oral', count: 1 }],
      observations: [
        { time: 2, endpoint: 'pk', value: 8.5 },
        { time: 9, endpoint: 'pk', value: 6 },
      ],
      regimen: { interval: 12, route: 'oral', step: 50 },
      probability: 0.9,
    };
    const result = (await runHeadlessCommand('patient', {
      specText: JSON.stringify(report.patientModel),
      specName: 'theo.model.json',
      patientText: JSON.stringify(patient),
      patientName: 'p.json',
    })) as Record<string, any>;
    expect(result.typical.CL).toBe(report.patientModel.model.parameters.CL); // WT 70, the effect's reference
    expect(near(result.typical.CL, report.estimates.CL.value)).toBe(true);
    expect(Object.keys(result.eta)).toEqual(['CL', 'V', 'KA']);
    expect(result.recommendation.dose).toBeGreaterThan(0);
  });
});
