import { describe, expect, it } from 'vitest';
import { explorerModel } from '../../data/explore/explorer-model';
import { loadEstData } from '../../data/features/test-support';
import { ingestText } from '../../data/ingest';
import { guessStudySpec, studyFacts } from '../../study/guess-spec';
import { estDataPreset } from '../../study/estdata-preset';
import { largeNonmemCsv } from '../../../bench/fixtures/large-nonmem';
import { splitSubjectsCsv } from '../../testing/hostile-csv';
import { evenlySpaced, explorerDisplay, thinPoints, thinSubjectSeries } from './explorer-display';

const LIMITS = { covariateDots: 40, individualCurves: 8, curvePoints: 5, pickerSubjects: 30 };

describe('the explorer display', () => {
  it('leaves a dataset within the limits as the explorer model has it (EstData)', () => {
    const data = loadEstData();
    const display = explorerDisplay(data, estDataPreset());
    expect(display.model).toEqual(explorerModel(data, estDataPreset()));
    expect(display.thinned).toEqual({});
  });

  it('thins what is drawn point by point, says how much, and keeps every group and the extremes', () => {
    const result = ingestText(splitSubjectsCsv(400), 'split.csv');
    if (!result.ok) throw new Error('fixture must ingest');
    const spec = guessStudySpec(studyFacts(result.dataset));
    const full = explorerModel(result.dataset, spec);
    const { model, thinned } = explorerDisplay(result.dataset, spec, LIMITS);
    const [bw] = model.covariates;
    const [fullBw] = full.covariates;
    if (bw.kind !== 'continuous' || fullBw.kind !== 'continuous') throw new Error('BW is continuous');
    expect(full.groups).toHaveLength(4);
    expect(thinned.covariateDots).toEqual([{ name: 'BW', shown: bw.points.length, total: 400 }]);
    expect(bw.points.length).toBeLessThanOrEqual(LIMITS.covariateDots);
    for (const group of full.groups) {
      const all = fullBw.points.filter((w) => w.label === group.label).map((w) => w.value);
      const kept = bw.points.filter((w) => w.label === group.label).map((w) => w.value);
      expect(kept.length).toBeGreaterThan(0);
      expect(Math.min(...kept)).toBe(Math.min(...all));
      expect(Math.max(...kept)).toBe(Math.max(...all));
    }
    expect(bw.missing).toBe(fullBw.missing);
    expect(thinned.individualCurves).toEqual({ shown: model.pkIndividuals.length, total: full.pkIndividuals.length });
    expect(model.pkIndividuals.length).toBeLessThanOrEqual(LIMITS.individualCurves);
    expect(new Set(model.pkIndividuals.map((s) => s.label))).toEqual(new Set(full.pkIndividuals.map((s) => s.label)));
    expect(thinned.pickerSubjects).toEqual({ shown: 30, total: 400 });
    expect(model.subjects[0]).toEqual(full.subjects[0]);
    expect(model.subjects.at(-1)).toEqual(full.subjects.at(-1));
    // What is derived from every record is untouched.
    expect(model.pk).toEqual(full.pk);
    expect(model.groups).toEqual(full.groups);
  });

  it('shares the dots budget between the continuous covariates’ plots', () => {
    const result = ingestText(largeNonmemCsv(60 * 250, { wide: true }), 'wide.csv');
    if (!result.ok) throw new Error('fixture must ingest');
    const { model, thinned } = explorerDisplay(result.dataset, guessStudySpec(studyFacts(result.dataset)), LIMITS);
    expect(model.covariates.map((c) => [c.name, c.kind])).toEqual([
      ['BW', 'continuous'],
      ['COMED', 'categorical'],
      ['AGE', 'continuous'],
      ['CRCL', 'continuous'],
      ['ALB', 'continuous'],
    ]);
    expect(thinned.covariateDots?.map((d) => [d.name, d.shown <= LIMITS.covariateDots / 4, d.total])).toEqual([
      ['BW', true, 60],
      ['AGE', true, 60],
      ['CRCL', true, 60],
      ['ALB', true, 60],
    ]);
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
