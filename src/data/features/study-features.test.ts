import { describe, expect, it } from 'vitest';
import { referenceSplit } from '../splits/split';
import { DVID_PD, DVID_PK } from '../types';
import { buildDatasetFeatures } from './dataset-features';
import { typicalDosingInterval } from './dosing-scale';
import { historyFeatures } from './history';
import { fitFeatureModel } from './model';
import { studyFeatureOptions } from './study-features';
import { csvDataset, estDataSpec, loadEstData, loadRealStudy } from './test-support';

describe('features from the EstData preset', () => {
  const data = loadEstData();
  const train = referenceSplit(data).train;
  const options = studyFeatureOptions(estDataSpec(), data);

  it('reads BW and COMED from the spec, per kg by BW (the power effect on CL), the endpoints DVID 1 and 2', () => {
    expect(options.pk.covariates).toEqual(['BW', 'COMED']);
    expect(options.pk.bodyWeight).toBe('BW');
    expect(options.pk.endpoints).toEqual({ pk: { dvid: 1, name: 'Drug concentration' }, pd: { dvid: 2, name: 'Biomarker' } });
    expect(options.pk.timeUnit).toBe('h');
    expect(options.pd).not.toBeNull();
    expect(options.notes).toEqual([]);
  });

  it('gives exactly the feature matrices of the reference pipeline with our fixes (the README tables)', () => {
    for (const dvid of [DVID_PK, DVID_PD]) {
      // The reference pipeline's features with our fixes, named by hand: BW and COMED, per kg by BW, DVID 1 and 2, hours.
      const before = fitFeatureModel(data, { dvid, covariates: ['BW', 'COMED'], bodyWeight: 'BW' }, train);
      const after = fitFeatureModel(data, { ...(dvid === DVID_PK ? options.pk : options.pd!), dvid }, train);
      expect(after.dosingInterval).toEqual({ interval: 24, rule: 'median interval between doses', subjects: 30 });
      expect(after.names).toEqual(before.names);
      expect(after.spec.windowsH).toEqual([24, 48, 72, 96, 120, 144, 168]);
      expect(after.spec.decayHalfLivesH).toEqual([24, 48, 72]);
      expect(after.k).toBe(before.k);
      expect(after.shape).toEqual(before.shape);
      const subjects = data.subjects.map((_, s) => s);
      const a = buildDatasetFeatures(data, before, subjects);
      const b = buildDatasetFeatures(data, after, subjects);
      expect(b.nRows).toBe(a.nRows);
      expect(Array.from(b.rows.record)).toEqual(Array.from(a.rows.record));
      expect(b.matrix).toEqual(a.matrix);
    }
  });
});

describe('features of a single-dose study (theophylline)', () => {
  const { dataset, spec } = loadRealStudy('theo_sd', 'theophylline');
  const all = dataset.subjects.map((_, s) => s);
  const options = studyFeatureOptions(spec, dataset);

  it('takes WT from the spec (per kg: its power effect on CL), CMT 2 as PK and no PD', () => {
    expect(options.pk.covariates).toEqual(['WT']);
    expect(options.pk.bodyWeight).toBe('WT');
    expect(options.pk.endpoints).toEqual({ pk: { cmt: 2, name: 'Theophylline' } });
    expect(options.pk.baselinePd).toBe(false);
    expect(options.pd).toBeNull();
  });

  it('scales windows and decays to the observation span, so that none ends inside the data', () => {
    const model = fitFeatureModel(dataset, { ...options.pk, dvid: DVID_PK }, all);
    const span = model.dosingInterval!.interval;
    expect(model.dosingInterval!.rule).toBe('observation span after a single dose');
    expect(span).toBeGreaterThan(24);
    expect(span).toBeLessThan(25);
    expect(model.spec.windowsH[0]).toBe(span);
    expect(model.spec.decayHalfLivesH).toEqual([span, 2 * span, 3 * span]);
    expect(model.names).toContain('WT');
    expect(model.names).toContain('LN_EXPO_PK_PER_KG');
    expect(model.k).not.toBeNull(); // the terminal phase after a quarter of the span
    const set = buildDatasetFeatures(dataset, model, all);
    // every PK observation (CMT 2) of the 12 subjects, none of the dose records
    expect(set.nRows + set.excluded.nonPositive).toBe(dataset.subjects.reduce((n, s) => n + s.pkCount, 0));
    expect(set.excluded.nonPositive).toBeLessThan(12);
    expect(set.matrix.every(Number.isFinite)).toBe(true);
  });

  it('has no feature that steps at 24 h (the reference windows assumed daily dosing)', () => {
    const model = fitFeatureModel(dataset, { ...options.pk, dvid: DVID_PK }, all);
    const reference = fitFeatureModel(dataset, { ...options.pk, dosingScale: undefined, dvid: DVID_PK }, all);
    const times = Float64Array.from({ length: 113 }, (_, i) => 12 + i * 0.125); // 12 … 24 … 26 h
    const jumps = (m: typeof model): string[] => {
      const rows = historyFeatures(m, { doses: { times: [0], amounts: [320] }, covariates: { WT: 70 } }, times);
      const nF = m.names.length;
      return m.names.filter((_, f) => {
        // the largest step between neighbouring times against the step before and after 24 h
        const at = (i: number): number => rows[i * nF + f];
        const i24 = times.indexOf(24);
        const step = Math.abs(at(i24 + 1) - at(i24));
        const local = Math.max(Math.abs(at(i24) - at(i24 - 1)), Math.abs(at(i24 + 2) - at(i24 + 1)));
        return step > 10 * local + 1e-9;
      });
    };
    expect(jumps(reference)).toContain('DOSE_SUM_24H');
    expect(jumps(model)).toEqual([]);
  });
});

describe('the typical dosing interval', () => {
  it('is the median interval between doses, or the observation span after single doses', () => {
    expect(typicalDosingInterval([{ doseTimes: [0, 12, 24, 36], obsTimes: [40] }])).toEqual({
      interval: 12,
      rule: 'median interval between doses',
      subjects: 1,
    });
    expect(
      typicalDosingInterval([
        { doseTimes: [0], obsTimes: [1, 2, 30] },
        { doseTimes: [0], obsTimes: [10] },
      ]),
    ).toEqual({ interval: 30, rule: 'observation span after a single dose', subjects: 2 });
    expect(typicalDosingInterval([{ doseTimes: [], obsTimes: [3] }])).toBeNull();
  });

  it('gives twice-daily windows for a twice-daily trial, named in the spec’s time unit', () => {
    const lines = ['ID,TIME,AMT,DV,EVID,MDV,DVID,WT'];
    for (let id = 1; id <= 3; id++) {
      const rows = [
        ...[0, 1, 2, 3, 4, 5].map((d) => ({ t: d * 12, line: `${id},${d * 12},100,.,1,1,0,${60 + id}` })),
        ...[1, 4, 11, 61, 64, 70, 80].map((t) => ({ t, line: `${id},${t},0,${(5 / id) * Math.exp(-0.05 * t)},0,0,1,${60 + id}` })),
      ];
      lines.push(...rows.sort((a, b) => a.t - b.t).map((r) => r.line));
    }
    const data = csvDataset(lines);
    const model = fitFeatureModel(
      data,
      { dvid: DVID_PK, covariates: ['WT'], bodyWeight: null, dosingScale: 'estimate', timeUnit: 'h' },
      [0, 1, 2],
    );
    expect(model.dosingInterval?.interval).toBe(12);
    expect(model.names.filter((n) => n.startsWith('DOSE_SUM'))).toEqual([12, 24, 36, 48, 60, 72, 84].map((w) => `DOSE_SUM_${w}H`));
    const days = fitFeatureModel(data, { dvid: DVID_PK, covariates: ['WT'], bodyWeight: null, dosingScale: 0.5, timeUnit: 'd' }, [0, 1, 2]);
    expect(days.names).toContain('DOSE_SUM_0.5D');
    expect(days.names).toContain('DECAY_HL1.5D');
    expect(days.descriptions[days.names.indexOf('TIME')]).toBe('time t (d)');
  });
});
