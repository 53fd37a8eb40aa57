import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEstDataCsv, readRealDatasetCsv } from '../../testing/fixture-files';
import { runHeadlessCommand } from '../registry';
import './doses';
import { readDosesInputs, type DosesInputArgs } from './doses-inputs';
import { FitInputError } from './fit';

const specText = (name: string): string => readFileSync(new URL(`../../../test-data/specs/${name}.study.json`, import.meta.url), 'utf8');

function theophylline(edit: (spec: Record<string, any>) => void = () => {}): DosesInputArgs {
  const spec = JSON.parse(specText('theophylline')) as Record<string, any>;
  edit(spec);
  return {
    csvText: readRealDatasetCsv('theo_sd'),
    fileName: 'theo_sd.csv',
    specText: JSON.stringify(spec),
    specName: 'theophylline.study.json',
  };
}

function refusal(input: DosesInputArgs): string {
  try {
    readDosesInputs(input);
  } catch (error) {
    if (error instanceof FitInputError) return error.message;
    throw error;
  }
  throw new Error('expected a FitInputError');
}

describe('headless doses', () => {
  it('answers the spec’s questions in its names and units', async () => {
    const report = (await runHeadlessCommand('doses-mechanistic', { ...theophylline(), nVirtual: 200 })) as Record<string, any>;
    expect(report.spec).toBe('theophylline.study.json');
    expect(report.question).toBe('pk within 10–20 mg/L on average over the dosing interval at steady state');
    expect(report.units).toEqual({ time: 'h', amount: 'mg', endpoint: 'mg/L' });
    expect(report.answers).toHaveLength(2 * 2 * 3);
    expect(new Set(report.answers.map((a: any) => a.scenario))).toEqual(new Set(['trial', 'WT 70–86 kg']));
    expect(new Set(report.answers.map((a: any) => a.regimen))).toEqual(new Set(['every 12 h', 'every 8 h']));
    for (const a of report.answers) {
      expect(a.unit).toBe('mg');
      expect(a.dose_mg).toBe(a.dose);
      expect(a.dose % 50).toBe(0);
      expect(a.n).toBe(200);
      if (!a.reached) expect(a.flags).toContain('highest share (target not reached)');
    }
    expect(report.curves).toHaveLength(4);
    expect(report.settings).toMatchObject({
      n_virtual: 200,
      seed: 1,
      endpoint: 'pk',
      grid_steps: { 'every 12 h': 0.125, 'every 8 h': 1 / 12 },
    });
    expect(report.uncertainty).toMatchObject({ requested: 20, made: 20 });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  }, 60_000);

  it('uses the EstData preset without a spec: the five questions, as before', async () => {
    const report = (await runHeadlessCommand('doses-mechanistic', {
      csvText: readEstDataCsv(),
      fileName: 'EstData.csv',
      nVirtual: 100,
      seed: 3,
    })) as Record<string, any>;
    expect(report.spec).toMatch(/EstData preset/);
    expect(report.answers).toHaveLength(12);
    expect(report.pk_compartments).toBe(2);
    for (const a of report.answers)
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining(['scenario', 'target', 'regimen', 'dose', 'unit', 'dose_mg', 'fraction', 'ci']),
      );
    expect(report.curves.every((c: any) => c.highest_dose_mg >= c.best_at_mg)).toBe(true);
  }, 60_000);

  it('refuses a file the preset does not fit, a spec without questions and a file that is not accepted', () => {
    const { specText: _, ...noSpec } = theophylline();
    expect(refusal(noSpec)).toMatch(
      /^No study spec was given, so the EstData preset was used, and it does not fit this file: theo_sd\.csv: the study spec's groupBy names the column DOSE, which the file does not have .* Give the study's spec \(--spec S\.json\) with its questions\.$/,
    );
    expect(refusal(theophylline((s) => delete s.questions))).toBe(
      'theophylline.study.json asks no dose questions: add a "questions" section (endpoint, criterion, targets, regimens, scenarios) to the spec.',
    );
    expect(refusal(theophylline((s) => (s.questions.criterion.range = [20, 10])))).toMatch(
      /questions\.criterion\.range: must be \[low, high\] with low < high, got \[20, 10\]/,
    );
    expect(refusal({ ...noSpec, csvText: 'ID,DV\n1,2\n', fileName: 'bad.csv' })).toMatch(
      /^bad\.csv was not accepted:\n.*the required column TIME is missing/,
    );
  });
});
