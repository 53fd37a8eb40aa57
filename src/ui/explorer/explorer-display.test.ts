import { describe, expect, it } from 'vitest';
import { explorerModel } from '../../data/explore/explorer-model';
import { loadEstData } from '../../data/features/test-support';
import { ingestText } from '../../data/ingest';
import { splitSubjectsCsv } from '../../testing/hostile-csv';
import { evenlySpaced, explorerDisplay, thinPoints, thinSubjectSeries } from './explorer-display';

const LIMITS = { weightDots: 40, individualCurves: 8, curvePoints: 5, pickerSubjects: 30 };

describe('the explorer display', () => {
  it('leaves a dataset within the limits as the explorer model has it (EstData)', () => {
    const data = loadEstData();
    const display = explorerDisplay(data);
    expect(display.model).toEqual(explorerModel(data));
    expect(display.thinned).toEqual({});
  });

  it('thins what is drawn point by point, says how much, and keeps every arm and the extremes', () => {
    const result = ingestText(splitSubjectsCsv(400), 'split.csv');
    if (!result.ok) throw new Error('fixture must ingest');
    const full = explorerModel(result.dataset);
    const { model, thinned } = explorerDisplay(result.dataset, LIMITS);
    expect(thinned.weightDots).toEqual({ shown: model.bodyWeight?.weights.length, total: 400 });
    expect(model.bodyWeight!.weights.length).toBeLessThanOrEqual(LIMITS.weightDots);
    for (const arm of full.arms) {
      const all = full.bodyWeight!.weights.filter((w) => w.label === arm.label).map((w) => w.bw);
      const kept = model.bodyWeight!.weights.filter((w) => w.label === arm.label).map((w) => w.bw);
      expect(kept.length).toBeGreaterThan(0);
      expect(Math.min(...kept)).toBe(Math.min(...all));
      expect(Math.max(...kept)).toBe(Math.max(...all));
    }
    expect(model.bodyWeight!.missing).toBe(full.bodyWeight!.missing);
    expect(thinned.individualCurves).toEqual({ shown: model.pkIndividuals.length, total: full.pkIndividuals.length });
    expect(model.pkIndividuals.length).toBeLessThanOrEqual(LIMITS.individualCurves);
    expect(new Set(model.pkIndividuals.map((s) => s.label))).toEqual(new Set(full.pkIndividuals.map((s) => s.label)));
    expect(thinned.pickerSubjects).toEqual({ shown: 30, total: 400 });
    expect(model.subjects[0]).toEqual(full.subjects[0]);
    expect(model.subjects.at(-1)).toEqual(full.subjects.at(-1));
    // What is derived from every record is untouched.
    expect(model.pk).toEqual(full.pk);
    expect(model.arms).toEqual(full.arms);
    expect(model.comed).toEqual(full.comed);
  });

  it('spaces indices evenly and thins a long curve to its limit, first and last kept', () => {
    expect(evenlySpaced(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(evenlySpaced(101, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(evenlySpaced(10, 1)).toEqual([0]);
    const points = Array.from({ length: 100_000 }, (_, i) => ({ time: i, dv: i }));
    const thin = thinPoints(points, 2_000);
    expect(thin).toHaveLength(2_000);
    expect([thin[0].time, thin.at(-1)?.time]).toEqual([0, 99_999]);
    const series = { subject: 0, id: '1', pk: points, pd: points.slice(0, 3), doses: [] };
    const bounded = thinSubjectSeries(series, 2_000);
    expect(bounded.thinned).toBe(true);
    expect([bounded.series.pk.length, bounded.series.pd.length]).toEqual([2_000, 3]);
    expect(thinSubjectSeries({ ...series, pk: points.slice(0, 10) }, 2_000)).toEqual({
      series: { ...series, pk: points.slice(0, 10) },
      thinned: false,
    });
  });
});
