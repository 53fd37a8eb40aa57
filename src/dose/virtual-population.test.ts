import { describe, expect, it } from 'vitest';
import type { ScenarioSpec } from '../study/study-spec';
import { streamFor } from '../pkpd/random';
import { drawPopulation, etaName, RESAMPLE_STREAM, trialCovariates } from './virtual-population';

const estScenario = (bw: [number, number], share: number): ScenarioSpec => ({
  name: 's',
  covariates: { BW: { uniform: bw }, COMED: { share } },
});

const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  return Math.sqrt(Array.from(xs).reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

describe('virtual populations', () => {
  const effects = ['pk.cl', 'pd.base'];
  const base = drawPopulation({ size: 4000, seed: 11, scenario: estScenario([50, 100], 0.5), randomEffects: effects });

  it('samples a uniform over its range, a share, and standard normal effects', () => {
    const bw = base.covariates.BW;
    expect(Math.min(...bw)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...bw)).toBeLessThan(100);
    expect(mean(bw)).toBeCloseTo(75, 0);
    expect(Math.abs(mean(base.covariates.COMED) - 0.5)).toBeLessThan(0.03);
    expect(base.sources).toEqual({ BW: 'uniform', COMED: 'share' });
    for (const name of effects) {
      expect(Math.abs(mean(base.random[name]))).toBeLessThan(0.05);
      expect(Math.abs(sd(base.random[name]) - 1)).toBeLessThan(0.04);
    }
  });

  it('draws each quantity from the stream of its name (EstData draws what the EstData-only code drew)', () => {
    // The EstData-only code drew BW = lo + (hi − lo)·u from stream "BW", COMED = (u < share) from
    // "COMED" and η's z from "eta:pk.cl", … — the names of the preset's columns and of etaName.
    const bw = streamFor(11, 'BW');
    const comed = streamFor(11, 'COMED');
    const cl = streamFor(11, 'eta:pk.cl');
    for (let i = 0; i < base.size; i++) {
      expect(base.covariates.BW[i]).toBe(50 + 50 * bw.uniform());
      expect(base.covariates.COMED[i]).toBe(comed.uniform() < 0.5 ? 1 : 0);
      expect(base.random['pk.cl'][i]).toBe(cl.normal());
    }
    expect(etaName('pk', 'CL')).toBe('pk.cl');
    expect(etaName('pd', 'IC50')).toBe('pd.ic50');
  });

  it('keeps the same subjects across scenarios and seeds reproduce (common random numbers)', () => {
    const heavy = drawPopulation({ size: 4000, seed: 11, scenario: estScenario([70, 140], 0.5), randomEffects: effects });
    const noComed = drawPopulation({ size: 4000, seed: 11, scenario: estScenario([50, 100], 0), randomEffects: effects });
    const again = drawPopulation({ size: 4000, seed: 11, scenario: estScenario([50, 100], 0.5), randomEffects: [...effects].reverse() });
    for (let i = 0; i < base.size; i++) {
      expect((heavy.covariates.BW[i] - 70) / 70).toBeCloseTo((base.covariates.BW[i] - 50) / 50, 10);
      expect(heavy.covariates.COMED[i]).toBe(base.covariates.COMED[i]);
      expect(noComed.covariates.COMED[i]).toBe(0);
      expect(noComed.covariates.BW[i]).toBe(base.covariates.BW[i]);
    }
    expect(again.random['pk.cl']).toEqual(base.random['pk.cl']);
    expect(again.covariates.BW).toEqual(base.covariates.BW);
    expect(base.random['pk.cl']).not.toEqual(base.random['pd.base']);
    const other = drawPopulation({ size: 10, seed: 12, scenario: estScenario([50, 100], 0.5), randomEffects: effects });
    expect(other.covariates.BW[0]).not.toBe(base.covariates.BW[0]);
  });

  it('draws a truncated normal by inversion: inside its range, each subject keeping its rank', () => {
    const draw = (covariates: ScenarioSpec['covariates']) =>
      drawPopulation({ size: 5000, seed: 4, scenario: { name: 'n', covariates }, randomEffects: [] });
    const free = draw({ AGE: { normal: [40, 10] } }).covariates.AGE;
    expect(mean(free)).toBeCloseTo(40, 0);
    expect(Math.abs(sd(free) - 10)).toBeLessThan(0.3);
    const cut = draw({ AGE: { normal: [40, 10], range: [30, 60] } }).covariates.AGE;
    expect(Math.min(...cut)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...cut)).toBeLessThanOrEqual(60);
    // The share below 40 of a normal cut at −1 and +2 SD: (Φ(0) − Φ(−1)) / (Φ(2) − Φ(−1)) = 0.4188.
    expect(Math.abs(cut.filter((x) => x < 40).length / cut.length - 0.4188)).toBeLessThan(0.02);
    const moved = draw({ AGE: { normal: [50, 5], range: [45, 60] } }).covariates.AGE;
    for (let i = 1; i < free.length; i++) {
      expect(Math.sign(cut[i] - cut[i - 1])).toBe(Math.sign(free[i] - free[i - 1]));
      expect(Math.sign(moved[i] - moved[i - 1])).toBe(Math.sign(free[i] - free[i - 1]));
    }
  });

  it('picks listed values uniformly', () => {
    const pop = drawPopulation({
      size: 6000,
      seed: 5,
      scenario: { name: 'v', covariates: { SEX: { values: [0, 1, 2] } } },
      randomEffects: [],
    });
    for (const v of [0, 1, 2]) expect(Math.abs(pop.covariates.SEX.filter((x) => x === v).length / 6000 - 1 / 3)).toBeLessThan(0.02);
  });

  it('resamples the covariates a scenario leaves out jointly, from whole trial subjects', () => {
    // WT and HT move together in the trial; a resampled subject keeps a trial subject's pair.
    const subjects = Array.from({ length: 40 }, (_, j) => ({ covariates: { WT: 50 + j, HT: 150 + 0.5 * j, SEX: j % 2 } }));
    const trial = trialCovariates(subjects);
    expect(trial.columns).toEqual(['WT', 'HT', 'SEX']);
    const all = drawPopulation({
      size: 500,
      seed: 9,
      scenario: { name: 'r', covariates: 'resample' },
      trial,
      randomEffects: [],
      required: ['WT'],
    });
    const picks = streamFor(9, RESAMPLE_STREAM);
    for (let i = 0; i < all.size; i++) {
      const j = all.trialIndex![i];
      expect(j).toBe(Math.floor(picks.uniform() * 40));
      expect([all.covariates.WT[i], all.covariates.HT[i], all.covariates.SEX[i]]).toEqual([50 + j, 150 + 0.5 * j, j % 2]);
    }
    expect(all.sources).toEqual({ WT: 'resampled', HT: 'resampled', SEX: 'resampled' });
    // A scenario that gives SEX keeps the same resampled WT–HT pairs.
    const women = drawPopulation({
      size: 500,
      seed: 9,
      scenario: { name: 'w', covariates: { SEX: { share: 0 } } },
      trial,
      randomEffects: [],
    });
    expect(women.covariates.WT).toEqual(all.covariates.WT);
    expect(women.covariates.HT).toEqual(all.covariates.HT);
    expect(women.covariates.SEX.every((x) => x === 0)).toBe(true);
    expect(women.sources.SEX).toBe('share');
  });

  it('refuses what it cannot draw, naming the scenario and the column', () => {
    const scenario = (covariates: ScenarioSpec['covariates']) => ({ name: 'heavy', covariates });
    expect(() => drawPopulation({ size: 0, seed: 1, scenario: scenario('resample'), randomEffects: [] })).toThrow(/subjects/);
    expect(() => drawPopulation({ size: 5, seed: 1, scenario: scenario({ BW: { uniform: [100, 50] } }), randomEffects: [] })).toThrow(
      'Scenario "heavy", BW: a uniform range must be [low, high] with low ≤ high, got [100, 50].',
    );
    expect(() => drawPopulation({ size: 5, seed: 1, scenario: scenario({ COMED: { share: 2 } }), randomEffects: [] })).toThrow(
      /COMED: a share/,
    );
    expect(() => drawPopulation({ size: 5, seed: 1, scenario: scenario({ AGE: { normal: [40, 0] } }), randomEffects: [] })).toThrow(
      /AGE: .*SD > 0/,
    );
    expect(() =>
      drawPopulation({ size: 5, seed: 1, scenario: scenario({ BW: { uniform: [50, 100] } }), randomEffects: [], required: ['WT'] }),
    ).toThrow(/Scenario "heavy": the model needs the covariate WT, which the scenario does not give/);
  });
});
