import { describe, expect, it } from 'vitest';
import type { HysteresisPoint } from '../../data/explore/hysteresis';
import type { SubjectSeries } from '../../data/explore/subject-series';
import { pickLabels } from './hysteresis-plot';
import { meanCurveData } from './mean-curve-plot';
import { timeDomain } from './subject-plot';

/** More values than a spread into Math.min/Math.max can take (the call stack overflows at around 100,000 arguments). */
const MANY = 1_000_000;

describe('plot extents over data-sized arrays (no spread into Math.min/Math.max)', () => {
  it("a subject's time axis over a million observations", () => {
    const pk = Array.from({ length: MANY }, (_, i) => ({ time: i / 10, dv: 1 }));
    const series: SubjectSeries = { subject: 0, id: '1', pk, pd: [{ time: -2, dv: 1 }], doses: [{ time: 0, amt: 5 }] };
    expect(timeDomain(series)).toEqual([-2, (MANY - 1) / 10]);
    expect(timeDomain({ ...series, pk: [], pd: [], doses: [] })).toEqual([0, 1]);
  });

  it('the last time of the mean curves and a million individual points under them', () => {
    const points = Array.from({ length: MANY }, (_, i) => ({ time: i, dv: i % 7 === 3 ? 0 : 1 }));
    const individuals = [{ subject: 0, id: '1', dose: 5, label: '5 mg', points }];
    const curves = { dvid: 1, binned: false, nonPositive: 0, curves: [] };
    expect(meanCurveData(curves, individuals, false).maxTime).toBe(MANY - 1);
    // log: values ≤ 0 are dropped (one in seven here), the last time stays
    const log = meanCurveData(curves, individuals, true);
    expect(log.spaghetti.every((p) => p.dv > 0)).toBe(true);
    expect(log.maxTime).toBe(MANY - 1);
    expect(meanCurveData(curves, null, false).maxTime).toBe(0);
  });

  it('the labels of a hysteresis loop of a million points', () => {
    const points: HysteresisPoint[] = Array.from({ length: MANY }, (_, i) => ({ time: i, pk: i, pd: MANY - i, nPk: 1, nPd: 1 }));
    const labels = pickLabels(points);
    expect(labels[0]).toBe(points[0]);
    expect(labels).toContain(points[MANY - 1]);
    expect(labels.length).toBeLessThan(20);
  });
});
