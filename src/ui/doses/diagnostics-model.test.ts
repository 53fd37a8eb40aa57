import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EtaDiagnostics, EtaSummary } from '../../pkpd/diagnostics/eta-diagnostics';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import { parameterCorrelation } from '../../pkpd/diagnostics/parameter-correlation';
import type { NpdeObservation } from '../../pkpd/diagnostics/study-diagnostics';
import type { StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import { readEstDataStudyText } from '../../testing/fixture-files';
import {
  conditionNumberText,
  correctedAxisLabel,
  correlationCells,
  curvesOf,
  defaultSubject,
  diagnosticsLabels,
  doseMarks,
  doseText,
  etaCovariatePanels,
  etaHistogram,
  etasOf,
  etaSummaryText,
  groupColors,
  isBlq,
  npdeRowsOf,
  npdeSummaryText,
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
    expect(correctedAxisLabel(labels, 'pk')).toBe('Prediction-corrected theophylline (mg/L)');
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

  it('knows a row below the limit of quantification by its flag, rows without one as measured', () => {
    expect(isBlq({ blq: true })).toBe(true);
    expect(isBlq({ blq: false })).toBe(false);
    expect(isBlq({ dv: 1 })).toBe(false);
  });

  it('takes a row’s study group, or the arm of an EstData-fit row', () => {
    expect(rowGroup({ group: 'DOSE 10', armDose: 10 })).toBe('DOSE 10');
    expect(rowGroup({ armDose: 3 })).toBe('3 mg');
  });
});

function etaSummary(parameter: EtaSummary['parameter'], stage: 'pk' | 'pd', shrinkage: number): EtaSummary {
  return { parameter, stage, omega: 0.25, shrinkage, n: 3, mean: 0, sd: 0.2, qq: { expected: [], eta: [] } };
}

const etas: EtaDiagnostics = {
  etas: [etaSummary('CL', 'pk', 0.05), etaSummary('V', 'pk', 0.41), etaSummary('BASE', 'pd', 0.1)],
  covariates: ['WT', 'SEX', 'NOTE'],
  effectColumns: ['WT'],
  subjects: [
    { id: '1', group: 'A', eta: [0.1, 0.2, Number.NaN], covariates: [60, 0, Number.NaN] },
    { id: '2', group: 'A', eta: [-0.2, 0.1, 0.3], covariates: [75.5, 1, Number.NaN] },
    { id: '3', group: 'B', eta: [Number.NaN, Number.NaN, -0.1], covariates: [90, 1, Number.NaN] },
  ],
  epsilonShrinkage: { pk: 0.1 },
};

describe('guidance plots: NPDE, random effects, correlation', () => {
  it('keeps an endpoint’s NPDE that are finite and says the summary', () => {
    const row = (target: 'pk' | 'pd', npde: number): NpdeObservation => ({
      target,
      id: '1',
      group: 'A',
      time: 1,
      dv: 1,
      pred: 1,
      epred: 1,
      pd: 0.5,
      pde: 0.5,
      npde,
      decorrelated: true,
    });
    const npde = { simulations: 10, seed: 1, scale: {}, observations: [row('pk', 0.3), row('pk', Number.NaN), row('pd', 1)], summary: {} };
    expect(npdeRowsOf(npde, 'pk').map((r) => r.npde)).toEqual([0.3]);
    expect(npdeSummaryText({ n: 120, mean: 0.1263, variance: 0.9651, ksStatistic: 0.09, ksPValue: 0.2532 })).toBe(
      'n = 120 · mean 0.13 (0 expected) · variance 0.965 (1) · KS test of N(0, 1): p = 0.25',
    );
    expect(npdeSummaryText({ n: 9, mean: 1, variance: 2, ksStatistic: 0.5, ksPValue: 1e-9 })).toContain('p < 0.001');
    expect(npdeSummaryText(undefined)).toBe('no NPDE');
  });

  it('offers the random effects of the endpoint’s stage, and warns of high shrinkage', () => {
    expect(etasOf(etas, 'pk').map((c) => [c.index, c.summary.parameter])).toEqual([
      [0, 'CL'],
      [1, 'V'],
    ]);
    expect(etasOf(etas, 'pd').map((c) => c.index)).toEqual([2]);
    expect(etaSummaryText(etas.etas[0])).toBe('ω 0.25 · shrinkage 5 % · 3 subjects');
    expect(etaSummaryText(etas.etas[1])).toContain('shrinkage 41 % (above 30 %');
  });

  it('bins η̂ symmetrically about 0 and scales N(0, ω²) to the counts', () => {
    const values = [-0.5, -0.1, 0, 0.05, 0.2, 0.3, 0.31, Number.NaN];
    const { bins, density } = etaHistogram(values, 0.25);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(7);
    expect(bins[0].x1).toBeCloseTo(-bins.at(-1)!.x2, 12);
    expect(bins[0].x1).toBeLessThanOrEqual(-0.625);
    const width = bins[0].x2 - bins[0].x1;
    // The density's area is the count: Σ density × step ≈ n × width.
    const step = density[1].x - density[0].x;
    const area = density.reduce((a, d) => a + d.count, 0) * step;
    expect(area / (7 * width)).toBeGreaterThan(0.97);
    expect(area / (7 * width)).toBeLessThan(1.01);
    expect(etaHistogram([0.1], Number.NaN).density).toEqual([]);
  });

  it('draws η̂ against every covariate with values: categories where few integers, the model’s columns marked', () => {
    const { panels, omitted } = etaCovariatePanels(etas, 0);
    expect(omitted).toBe(0);
    expect(panels.map((p) => [p.column, p.inModel, p.categorical, p.points.length])).toEqual([
      ['WT', true, false, 2],
      ['SEX', false, true, 2],
    ]);
    expect(panels[0].points[1]).toEqual({ value: 75.5, eta: -0.2, id: '2', group: 'A' });
    expect(etaCovariatePanels(etas, 2, 1)).toMatchObject({ omitted: 1, panels: [{ column: 'WT' }] });
  });

  it('lays the correlation matrix out as cells and says its condition number, above 1000 as a warning', () => {
    const names = ['CL', 'V', 'omega(CL)'];
    const good = parameterCorrelation([1, 0.5, 0, 0.5, 1, 0, 0, 0, Number.NaN], names);
    expect(correlationCells(good)).toHaveLength(4);
    expect(correlationCells(good)[1]).toEqual({ row: 'CL', column: 'V', r: 0.5 });
    const text = conditionNumberText(good);
    expect(text.high).toBe(false);
    expect(text.text).toBe(
      'Condition number 3 (at most 1,000: well conditioned); largest / smallest eigenvalue of the correlation matrix of 2 estimates' +
        '; without a standard error, left out: omega(CL)',
    );
    const bad = parameterCorrelation([1, 0.9999, 0.9999, 1], ['CL', 'V']);
    expect(bad.conditionNumber).toBeGreaterThan(1000);
    expect(conditionNumberText(bad).high).toBe(true);
    expect(conditionNumberText(bad).text).toContain('above 1,000: ill-conditioned');
  });
});
