import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import type { StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import { readEstDataStudyText } from '../../testing/fixture-files';
import {
  curvesOf,
  defaultSubject,
  diagnosticsLabels,
  doseMarks,
  doseText,
  groupColors,
  observedAxisLabel,
  predictionAxisLabel,
  rowGroup,
  subjectLabel,
  timeAxisLabel,
  valueAxisLabel,
} from './diagnostics-model';

function spec(text: string): StudySpec {
  const reading = readStudySpecText(text);
  if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
  return reading.spec;
}

const theophylline = spec(readFileSync(new URL('../../../test-data/specs/theophylline.study.json', import.meta.url), 'utf8'));
const estdata = spec(readEstDataStudyText());

function curve(id: string, group: string, doses: IndividualCurve['doses'], pd = true): IndividualCurve {
  const pair = { ipred: [0, 1], pred: [0, 1] };
  return {
    id,
    group,
    armDose: Number.NaN,
    covariates: { WT: 70.5, AGE: 40, SEX: 1, HT: 170 },
    doses,
    time: [0, 1],
    pk: doses.length > 0 ? pair : null,
    pd: pd ? pair : null,
    observed: { pk: { time: doses.length > 0 ? [1] : [], dv: doses.length > 0 ? [2] : [] }, pd: { time: [1], dv: [3] } },
  };
}

describe('diagnostics labels from the study spec', () => {
  it('writes the spec’s endpoint names and units on the axes, never another unit', () => {
    const labels = diagnosticsLabels(theophylline);
    expect(valueAxisLabel(labels, 'pk')).toBe('Theophylline (mg/L)');
    expect(observedAxisLabel(labels, 'pk')).toBe('Observed theophylline (mg/L)');
    expect(predictionAxisLabel(labels, 'pk', 'ipred')).toBe('IPRED of theophylline (mg/L)');
    expect(timeAxisLabel(labels)).toBe('Time (h)');
    expect(JSON.stringify(labels)).not.toContain('ng/mL');
  });

  it('names EstData’s endpoints and keeps the response unit of its spec', () => {
    const labels = diagnosticsLabels(estdata);
    expect(valueAxisLabel(labels, 'pk')).toBe('Drug concentration (ng/mL)');
    expect(valueAxisLabel(labels, 'pd')).toBe('Biomarker (ng/mL)');
    expect(predictionAxisLabel(labels, 'pd', 'pred')).toBe('PRED of biomarker (ng/mL)');
  });

  it('follows a spec in other units (minutes, µg/mL, a free-text response unit)', () => {
    const labels = diagnosticsLabels({
      units: { time: 'min', amount: 'µg', concentration: 'µg/mL', response: '%' },
      endpoints: { pk: { dvid: 1 }, pd: { dvid: 2, name: 'IL-6 inhibition' } },
    });
    expect(valueAxisLabel(labels, 'pk')).toBe('Concentration (µg/mL)');
    expect(observedAxisLabel(labels, 'pd')).toBe('Observed IL-6 inhibition (%)');
    expect(timeAxisLabel(labels)).toBe('Time (min)');
  });

  it('without a spec: generic names and no unit', () => {
    const labels = diagnosticsLabels(null);
    expect(valueAxisLabel(labels, 'pd')).toBe('Response');
    expect(timeAxisLabel(labels)).toBe('Time');
    expect(labels.reference).toBeNull();
  });

  it('carries the questions’ criterion on its own endpoint only', () => {
    expect(diagnosticsLabels(theophylline).reference).toEqual({ endpoint: 'pk', rule: 'within', range: [10, 20], unit: 'mg/L' });
    expect(diagnosticsLabels(estdata).reference).toEqual({ endpoint: 'pd', rule: 'below', value: 3.3, unit: 'ng/mL' });
  });
});

describe('doses as text and marks', () => {
  const labels = diagnosticsLabels({
    units: { time: 'h', amount: 'mg', concentration: 'mg/L', response: '' },
    endpoints: { pk: { dvid: 1 } },
  });

  it('says each dose with its amount, route, infusion duration and steady state', () => {
    expect(doseText({ time: 24, amount: 100, route: 'infusion', duration: 1.5 }, labels)).toBe('100 mg IV infusion over 1.5 h at 24 h');
    expect(doseText({ time: 0, amount: 25, route: 'bolus' }, labels)).toBe('25 mg IV bolus at 0 h');
    expect(doseText({ time: 48, amount: 10, route: 'oral', steadyState: { interval: 12 } }, labels)).toBe(
      '10 mg oral at 48 h, at steady state every 12 h',
    );
  });

  it('draws an infusion as a bar from its start to its end and other doses as lines', () => {
    const marks = doseMarks(
      {
        doses: [
          { time: 0, amount: 100, route: 'infusion', duration: 2 },
          { time: 24, amount: 50, route: 'bolus' },
        ],
      },
      labels,
    );
    expect(marks).toEqual([
      { start: 0, end: 2, infusion: true, text: '100 mg IV infusion over 2 h at 0 h' },
      { start: 24, end: 24, infusion: false, text: '50 mg IV bolus at 24 h' },
    ]);
  });
});

describe('subjects and groups', () => {
  const dosed = [{ time: 0, amount: 10, route: 'oral' as const }];
  const curves = [curve('1', 'DOSE 0', [], true), curve('2', 'DOSE 10', dosed), curve('3', 'DOSE 10', dosed), curve('4', 'DOSE 30', dosed)];

  it('colours groups in the subjects’ order, the undosed group grey', () => {
    const colors = groupColors(curves);
    expect(colors.domain).toEqual(['DOSE 0', 'DOSE 10', 'DOSE 30']);
    expect(colors.range[0]).toBe('#6b7280');
    expect(new Set(colors.range).size).toBe(3);
  });

  it('offers PK curves of dosed subjects only and starts on a dosed subject with observations', () => {
    expect(curvesOf(curves, 'pk').map((c) => c.id)).toEqual(['2', '3', '4']);
    expect(curvesOf(curves, 'pd').map((c) => c.id)).toEqual(['1', '2', '3', '4']);
    expect(defaultSubject(curves, 'pd')).toBe('2');
    expect(defaultSubject([], 'pk')).toBe('');
  });

  it('labels a subject with its group and first three covariates', () => {
    expect(subjectLabel(curves[1])).toBe('ID 2 · DOSE 10 · WT 70.5 · AGE 40 · SEX 1');
  });

  it('takes a row’s study group, or the arm of an EstData-fit row', () => {
    expect(rowGroup({ group: 'DOSE 10', armDose: 10 })).toBe('DOSE 10');
    expect(rowGroup({ armDose: 3 })).toBe('3 mg');
  });
});
