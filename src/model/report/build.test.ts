import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estDataSpec, loadEstData } from '../../data/features/test-support';
import { referenceSplit } from '../../data/splits/split';
import { createSplitView } from '../../data/splits/view';
import { DVID_PD, DVID_PK, EVID_OBSERVATION } from '../../data/types';
import { disposeModel, type PkPdModel, predictHistories } from '../pkpd-model';
import { useCpuBackend } from '../test-support';
import { evaluateSubjects, trainPkPd } from '../train-pkpd';
import { buildModelReport } from './build';
import { subjectHistory } from './subject-history';
import type { ModelReport, TargetReport } from './types';

const data = loadEstData();
const split = referenceSplit(data);
let model: PkPdModel;
let deterministic: ModelReport;
let withBands: ModelReport;

beforeAll(async () => {
  await useCpuBackend();
  const trained = await trainPkPd(createSplitView(data, split), {
    mode: 'cascade',
    encoder: 'qnn-mlp',
    study: estDataSpec(),
    architecture: { hidden: 8, depth: 1, nQubits: 2, nLayers: 1, dropout: 0.2 },
    training: { epochs: 2, batchSize: 512, learningRate: 3e-3 },
    seed: 1,
  });
  model = trained.model;
  deterministic = buildModelReport(model, data, split.val, 'validation', { mcSamples: 0 });
  withBands = buildModelReport(model, data, split.val, 'validation', { mcSamples: 10, seed: 3, gridPoints: 40 });
});

afterAll(() => disposeModel(model));

/** Usable observations of the subjects, counted from the records (DV > 0 for a log target). */
function observationCount(dvid: number, subjects: readonly number[], positiveOnly: boolean): number {
  const r = data.records;
  const wanted = new Set(subjects);
  let n = 0;
  for (let k = 0; k < r.time.length; k++) {
    if (
      wanted.has(r.subject[k]) &&
      r.evid[k] === EVID_OBSERVATION &&
      r.mdv[k] === 0 &&
      r.dvid[k] === dvid &&
      Number.isFinite(r.dv[k]) &&
      (!positiveOnly || r.dv[k] > 0)
    )
      n++;
  }
  return n;
}

const targetsOf = (report: ModelReport): TargetReport[] => [report.targets.pk!, report.targets.pd!];

describe('model report', () => {
  it('has one point per observation of the chosen subjects and one curve per subject', () => {
    expect(deterministic.subjectSet).toBe('validation');
    expect(deterministic.criterion).toEqual({ target: 'pd', levels: [3.3], label: 'PD below 3.3 ng/mL' });
    expect([deterministic.time, deterministic.amount]).toEqual(['h', 'mg']);
    const ids = split.val.map((s) => data.subjects[s].id);
    for (const [report, dvid] of [
      [deterministic.targets.pk!, DVID_PK],
      [deterministic.targets.pd!, DVID_PD],
    ] as const) {
      expect(report.unit).toBe('ng/mL');
      expect(report.points.length).toBe(observationCount(dvid, split.val, report.logTarget));
      expect(report.metrics.n).toBe(report.points.length);
      expect(report.curves.map((c) => c.subject)).toEqual(ids);
      expect(report.curves.reduce((n, c) => n + c.observed.length, 0)).toBe(report.points.length);
      expect(new Set(report.points.map((p) => p.subject))).toEqual(new Set(ids));
    }
    expect(deterministic.targets.pk!.logTarget).toBe(true);
  });

  it('residual = observed − predicted; residualZ in z-units of the train target scaler', () => {
    for (const target of targetsOf(deterministic)) {
      const sd = model.branches.flatMap((b) => b.targets).find((t) => t.name === target.target)!.scaler.sd;
      for (const p of target.points) {
        expect(p.residual).toBe(p.observed - p.predicted);
        const expected = target.logTarget ? (Math.log(p.observed) - Math.log(p.predicted)) / sd : p.residual / sd;
        expect(p.residualZ).toBeCloseTo(expected, 10);
      }
    }
  });

  it('has the metrics of evaluateSubjects on the validation subjects', () => {
    const { metrics } = evaluateSubjects(model, data, split.val);
    expect(deterministic.targets.pk!.metrics).toEqual(metrics.pk);
    expect(deterministic.targets.pd!.metrics).toEqual(metrics.pd);
    expect(deterministic.targets.pd!.mcMetrics).toBeNull();
  });

  it('with MC dropout, still the metrics table’s numbers (deterministic), and the plotted MC means’ metrics beside them', () => {
    const { metrics } = evaluateSubjects(model, data, split.val);
    for (const target of targetsOf(withBands)) {
      const table = metrics[target.target]!;
      expect(target.metrics).toEqual(table);
      const mc = target.mcMetrics!;
      expect(mc.n).toBe(table.n);
      const squared = target.points.reduce((sum, p) => sum + p.residual ** 2, 0);
      expect(mc.rmse).toBeCloseTo(Math.sqrt(squared / target.points.length), 10);
      expect(mc.rmse).not.toBe(table.rmse);
    }
  });

  it('curves pass through the point predictions at the observation times (same features)', () => {
    let checked = 0;
    for (const target of targetsOf(deterministic)) {
      const curves = new Map(target.curves.map((c) => [c.subject, c]));
      for (const p of target.points) {
        const curve = curves.get(p.subject)!;
        const i = curve.time.indexOf(p.time);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(Math.abs(curve.predicted[i] - p.predicted)).toBeLessThanOrEqual(1e-4 * Math.abs(p.predicted) + 1e-9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('curves run from 0 to the last observation or dose on the grid, with the subject’s doses and arm', () => {
    for (const target of targetsOf(withBands)) {
      for (const curve of target.curves) {
        const s = split.val.find((v) => data.subjects[v].id === curve.subject)!;
        const info = data.subjects[s];
        expect(curve.doses.length).toBe(info.doseCount);
        expect(curve.arm).toBe(info.armDose === 0 ? 'Placebo' : `${info.armDose} mg`);
        const last = Math.max(...curve.doses.map((d) => d.time), ...curve.observedTime);
        expect(curve.time[0]).toBe(0);
        expect(curve.time.at(-1)).toBe(last);
        for (const d of curve.doses) expect(curve.time).toContain(d.time);
        expect(curve.time.length).toBeGreaterThanOrEqual(40);
        expect(curve.time.every((t, i) => i === 0 || t > curve.time[i - 1])).toBe(true);
      }
    }
  });

  it('with MC dropout: SDs, and bands around the curve mean that survive structuredClone', () => {
    expect(withBands.mcSamples).toBe(10);
    for (const target of targetsOf(withBands)) {
      expect(target.points.every((p) => p.sd !== null && p.sd >= 0)).toBe(true);
      expect(target.points.some((p) => (p.sd ?? 0) > 0)).toBe(true);
      let wide = 0;
      for (const c of target.curves) {
        const { lower, upper } = c;
        expect(lower?.length).toBe(c.time.length);
        expect(upper?.length).toBe(c.time.length);
        c.predicted.forEach((mean, i) => {
          expect(lower![i]).toBeLessThanOrEqual(upper![i]);
          expect(lower![i]).toBeLessThanOrEqual(mean + 1e-12);
          expect(upper![i]).toBeGreaterThanOrEqual(mean - 1e-12);
          if (upper![i] > lower![i]) wide++;
        });
      }
      expect(wide).toBeGreaterThan(0);
    }
    expect(structuredClone(withBands)).toEqual(withBands);
  });

  it('curves are predictHistories’ predictions for the subject’s history, with and without MC dropout', () => {
    const s = split.val[1];
    for (const mcSamples of [0, 4]) {
      const report = buildModelReport(model, data, [s], 'validation', { mcSamples, seed: 2, gridPoints: 30 });
      for (const target of targetsOf(report)) {
        const { time, predicted } = target.curves[0];
        const expected = predictHistories(
          model,
          [subjectHistory(data, s).at(time)],
          time,
          mcSamples > 1 ? { mcDropout: true, mcSamples, seed: 2 } : {},
        )[target.target]!;
        predicted.forEach((v, i) => expect(v).toBeCloseTo(expected.predicted[i], 9));
      }
    }
  });

  it('without MC dropout: no SDs, no bands', () => {
    expect(deterministic.mcSamples).toBe(0);
    expect(buildModelReport(model, data, split.val.slice(0, 1), 'validation', { mcSamples: 1, gridPoints: 5 }).mcSamples).toBe(0);
    for (const target of targetsOf(deterministic)) {
      expect(target.points.every((p) => p.sd === null)).toBe(true);
      expect(target.curves.every((c) => c.lower === null && c.upper === null)).toBe(true);
    }
  });
});
