import { describe, expect, it } from 'vitest';
import { DVID_PD, DVID_PK } from '../types';
import { meanCurves } from './mean-curves';
import { subjectGroups } from './groups';
import { buildDataset, fixtureSpec, type FixtureRow } from './test-fixture';
import { timeGrouping } from './time-grouping';

const pk = (id: string, time: number, dv: number, extra: Partial<FixtureRow> = {}): FixtureRow => ({
  id,
  time,
  dv,
  dvid: DVID_PK,
  ...extra,
});
const pd = (id: string, time: number, dv: number): FixtureRow => ({ id, time, dv, dvid: DVID_PD });
const dose = (id: string, time: number, amt: number): FixtureRow => ({ id, time, evid: 1, amt });

const rows: FixtureRow[] = [
  pd('P1', 0, 10),
  pd('P1', 1, 12),
  pd('P2', 0, 14),
  dose('A', 0, 10),
  pd('A', 0, 9),
  pk('A', 1, 2),
  pd('A', 1, 5),
  pk('A', 2, 8),
  pk('A', 4, 9),
  dose('B', 0, 10),
  pd('B', 0, 7),
  pk('B', 1, 4),
  pk('B', 1, 1000, { mdv: 1 }), // MDV=1: excluded
  pk('B', 2, 2),
  pk('B', 2, Number.NaN, { mdv: 0 }), // NaN DV: excluded
  pk('B', 4, 0), // ≤ 0: in the mean, not in the geometric mean
];

const PK = { dvid: DVID_PK };
const PD = { dvid: DVID_PD };

describe('meanCurves', () => {
  const ds = buildDataset(rows);
  const groups = subjectGroups(ds, fixtureSpec()).groups;

  it('averages PK per group and nominal time, excluding MDV=1 and NaN DV', () => {
    const m = meanCurves(ds, PK, groups);
    expect(m.binned).toBe(false);
    expect(m.curves.map((c) => [c.label, c.dosed])).toEqual([['10 mg oral', true]]); // the undosed have no PK
    const [t1, t2, t4] = m.curves[0].points;
    expect([t1.time, t1.n, t1.mean]).toEqual([1, 2, 3]);
    expect(t1.sd).toBeCloseTo(Math.SQRT2, 12);
    expect(t1.geoMean).toBeCloseTo(Math.sqrt(8), 12);
    expect([t2.time, t2.n, t2.mean]).toEqual([2, 2, 5]);
    expect(t2.sd).toBeCloseTo(Math.sqrt(18), 12);
    expect(t2.geoMean).toBeCloseTo(4, 12);
    expect([t4.time, t4.n, t4.mean, t4.nPositive, t4.nNonPositive]).toEqual([4, 2, 4.5, 1, 1]);
    expect(t4.geoMean).toBeCloseTo(9, 12);
    expect(m.nonPositive).toBe(1);
  });

  it('averages PD per group in the groups’ order, skipping times a group has no data at', () => {
    const m = meanCurves(ds, PD, groups);
    expect(m.curves.map((c) => [c.label, c.dosed])).toEqual([
      ['no doses', false],
      ['10 mg oral', true],
    ]);
    expect(m.curves[0].points.map((p) => [p.time, p.n, p.mean])).toEqual([
      [0, 2, 12],
      [1, 1, 12],
    ]);
    expect(m.curves[1].points.map((p) => [p.time, p.n, p.mean])).toEqual([
      [0, 2, 8],
      [1, 1, 5],
    ]);
    expect(m.curves[0].points[1].sd).toBeNaN();
  });

  it('gives no curves for a DVID the file does not have', () => {
    const noPd = buildDataset(rows.filter((r) => r.dvid !== DVID_PD));
    expect(meanCurves(noPd, PD, subjectGroups(noPd, fixtureSpec()).groups)).toEqual({ binned: false, curves: [], nonPositive: 0 });
  });

  it('selects an endpoint by CMT, or by DVID and CMT together', () => {
    const byCmt = buildDataset([
      dose('A', 0, 1),
      { id: 'A', time: 1, dv: 4, cmt: 2 },
      { id: 'A', time: 1, dv: 40, cmt: 3 },
      { id: 'A', time: 2, dv: 6, cmt: 2, dvid: 5 },
    ]);
    const all = subjectGroups(byCmt, fixtureSpec()).groups;
    expect(meanCurves(byCmt, { cmt: 2 }, all).curves[0].points.map((p) => [p.time, p.mean])).toEqual([
      [1, 4],
      [2, 6],
    ]);
    expect(meanCurves(byCmt, { cmt: 2, dvid: 5 }, all).curves[0].points.map((p) => [p.time, p.mean])).toEqual([[2, 6]]);
    expect(meanCurves(byCmt, { cmt: 3 }, all).curves[0].points.map((p) => p.mean)).toEqual([40]);
  });
});

describe('meanCurves with many distinct times', () => {
  // 80 distinct times (> 60): A at 0, 1, …, 39 with DV 1; B at 0.5, 1.5, …, 39.5 with DV 3.
  const ds = buildDataset([
    dose('A', 0, 1),
    ...Array.from({ length: 40 }, (_, i) => pk('A', i, 1)),
    dose('B', 0, 1),
    ...Array.from({ length: 40 }, (_, i) => pk('B', i + 0.5, 3)),
  ]);
  const groups = subjectGroups(ds, fixtureSpec()).groups;

  it('bins into quantile bins at the bin median time', () => {
    const obsTimes = Array.from({ length: 40 }, (_, i) => [i, i + 0.5]).flat();
    const m = meanCurves(ds, PK, groups, { grouping: timeGrouping(obsTimes, { binCount: 4 }) });
    expect(m.binned).toBe(true);
    const points = m.curves[0].points;
    expect(points.map((p) => p.time)).toEqual([4.75, 14.75, 24.75, 34.75]);
    for (const p of points) {
      expect(p.n).toBe(20);
      expect(p.mean).toBe(2);
      expect(p.sd).toBeCloseTo(Math.sqrt(20 / 19), 12);
    }
  });

  it('bins by default into about 30 bins, keeping every observation', () => {
    const m = meanCurves(ds, PK, groups);
    expect(m.binned).toBe(true);
    const points = m.curves[0].points;
    expect(points.length).toBeGreaterThanOrEqual(25);
    expect(points.length).toBeLessThanOrEqual(30);
    expect(points.reduce((s, p) => s + p.n, 0)).toBe(80);
    expect(points.map((p) => p.time)).toEqual([...points.map((p) => p.time)].sort((a, b) => a - b));
  });
});
