import { describe, expect, it } from 'vitest';
import type { ReportPoint, SubjectCurve, TargetReport } from '../../model/report/types';
import { PLACEBO_COLOR } from '../explorer/arm-colors';
import { logTicks, logTicksOf } from '../log-ticks';
import {
  curveRows,
  expertShares,
  facetColumns,
  lossRows,
  predObsRows,
  reportArmColors,
  reportTimeAxis,
  sharedDomain,
} from './report-plot-data';

const point = (subject: string, observed: number, predicted: number, sd: number | null): ReportPoint => ({
  subject,
  time: 1,
  observed,
  predicted,
  sd,
  residual: observed - predicted,
  residualZ: 0,
});
const curve = (subject: string, arm: string, armDose: number): SubjectCurve => ({
  subject,
  arm,
  armDose,
  time: [0, 1],
  predicted: [2, 3],
  lower: [1, 2],
  upper: [4, 5],
  observedTime: [],
  observed: [],
  doses: [],
});

describe('report plot rows', () => {
  it('arm colours in dose order with placebo grey, whatever order the subjects come in', () => {
    const scale = reportArmColors([curve('3', '10 mg', 10), curve('1', 'Placebo', 0), curve('2', '1 mg', 1), curve('4', '1 mg', 1)]);
    expect(scale.domain).toEqual(['Placebo', '1 mg', '10 mg']);
    expect(scale.range[0]).toBe(PLACEBO_COLOR);
    expect(new Set(scale.range).size).toBe(3);
  });

  it('error bars ±1.96 SD, the low end floored; points without SD have none; arms joined by subject', () => {
    const report = {
      points: [point('1', 5, 4, 1), point('2', 1, 1, 2), point('2', 1, 1, null)],
      curves: [curve('1', '1 mg', 1), curve('2', 'Placebo', 0)],
    } as TargetReport;
    const rows = predObsRows(report, 0.1);
    expect(rows.map((r) => [r.arm, r.low, r.high])).toEqual([
      ['1 mg', 4 - 1.96, 4 + 1.96],
      ['Placebo', 0.1, 1 + 3.92],
      ['Placebo', null, null],
    ]);
  });

  it('one padded domain over observed and predicted; log axes drop non-positive values', () => {
    const points = [point('1', 2, 8, null), point('1', 0, 4, null)];
    expect(sharedDomain(points, false)).toEqual([-0.32, 8.32]);
    const [lo, hi] = sharedDomain(points, true);
    expect(lo).toBeCloseTo(2 / 1.15, 12);
    expect(hi).toBeCloseTo(8 * 1.15, 12);
    expect(sharedDomain([], true)).toEqual([0.1, 10]);
  });

  it('curve rows carry the band, or nulls without one', () => {
    expect(curveRows(curve('1', 'a', 1))).toEqual([
      { time: 0, predicted: 2, lower: 1, upper: 4 },
      { time: 1, predicted: 3, lower: 2, upper: 5 },
    ]);
    expect(curveRows({ ...curve('1', 'a', 1), lower: null, upper: null })[1]).toEqual({ time: 1, predicted: 3, lower: null, upper: null });
  });

  it('loss rows: training and validation, dropping what a log axis cannot show', () => {
    const rows = lossRows([
      { branch: 'pk', epoch: 1, trainLoss: 0.9, valLoss: 1.1 },
      { branch: 'pk', epoch: 2, trainLoss: 0.5, valLoss: null },
      { branch: 'pd', epoch: 1, trainLoss: 0, valLoss: Number.NaN },
    ]);
    expect(rows).toEqual([
      { branch: 'pk', epoch: 1, set: 'training', loss: 0.9 },
      { branch: 'pk', epoch: 1, set: 'validation', loss: 1.1 },
      { branch: 'pk', epoch: 2, set: 'training', loss: 0.5 },
    ]);
  });

  it('expert shares per block and branch, the uniform share per block, empty blocks skipped', () => {
    const { shares, uniform } = expertShares({
      pk: [
        [30, 10, 0, 60],
        [0, 0, 0, 0],
      ],
      pd: [],
    });
    expect(shares.map((r) => [r.branch, r.block, r.expert, r.share])).toEqual([
      ['pk', 'Block 1', 'E1', 0.3],
      ['pk', 'Block 1', 'E2', 0.1],
      ['pk', 'Block 1', 'E3', 0],
      ['pk', 'Block 1', 'E4', 0.6],
    ]);
    expect(uniform).toEqual([{ branch: 'pk', block: 'Block 1', share: 0.25 }]);
    expect(expertShares({ pk: [], pd: [] }).shares).toEqual([]);
  });

  it('small-multiples columns fit the width, between 1 and the panel count', () => {
    expect(facetColumns(10, 1366)).toBe(6);
    expect(facetColumns(10, 800)).toBe(3);
    expect(facetColumns(2, 1366)).toBe(2);
    expect(facetColumns(5, 150)).toBe(1);
  });

  it('log ticks: decades over wide ranges, finer steps until there are three ticks', () => {
    expect(logTicks(0.005, 3)).toEqual([0.01, 0.1, 1]);
    expect(logTicks(0.3, 1.5)).toEqual([0.3, 0.5, 1]);
    expect(logTicks(2, 40)).toEqual([2, 3, 5, 10, 20, 30]);
    expect(logTicks(0.55, 1.6)).toEqual([0.6, 0.8, 1, 1.5]);
    expect(logTicks(0, 1)).toEqual([]);
  });

  it('data-sized inputs (200,000 points) do not overflow the call stack', () => {
    const n = 200_000;
    const points = Array.from({ length: n }, (_, i) => point(String(i), 1 + (i % 100), 2 + (i % 50), null));
    expect(sharedDomain(points, false)[1]).toBeCloseTo(100 * 1.04 - 0.04, 10);
    expect(sharedDomain(points, true)).toEqual([1 / 1.15, 100 * 1.15]);
    expect(logTicksOf(points.map((p) => p.observed))).toEqual(logTicks(1, 100));
  });
});

describe('the time axis of the result plots', () => {
  it('is in the study’s unit: week-aligned ticks only for long studies in hours, Plot’s own ticks for days and minutes', () => {
    expect(reportTimeAxis('h', 1176, 900)).toEqual({ label: 'Time (h)', ticks: [0, 168, 336, 504, 672, 840, 1008, 1176], nice: false });
    expect(reportTimeAxis('h', 24, 900)).toEqual({ label: 'Time (h)', ticks: undefined, nice: true });
    // 400 days or 400 minutes are not 400 hours: no ticks every 168.
    expect(reportTimeAxis('d', 400, 900)).toEqual({ label: 'Time (d)', ticks: undefined, nice: true });
    expect(reportTimeAxis('min', 1176, 900)).toEqual({ label: 'Time (min)', ticks: undefined, nice: true });
  });
});
