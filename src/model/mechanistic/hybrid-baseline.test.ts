/**
 * Baseline PD as an input of the hybrid model's covariate network (hybrid-baseline.ts), on the
 * nonlinear-clearance truth (testing/nonlinear-truth.ts: BASE varies between subjects with ω 0.15 and
 * is observed before the first dose with 10 % proportional error).
 */
import { memory } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../data/types';
import { StudyDoseSimulator } from '../../dose/study-simulator';
import { BASELINE_PD_EFFECT } from '../../dose/network-simulator';
import { drawPopulation } from '../../dose/virtual-population';
import { normalCdf } from '../../pkpd/random';
import { bindStudy } from '../../study/study-data';
import { useCpuBackend } from '../test-support';
import { BASELINE_PD_COLUMN, baselineGroups, drawBaselines, subjectBaselinePd } from './hybrid-baseline';
import { hybridToJSON, loadHybrid } from './hybrid-document';
import { hybridMetrics, hybridSubjects, predictHybrid } from './hybrid-evaluation';
import { fitHybrid, type HybridFitResult } from './hybrid-fit';
import { disposeHybridModel, hybridDerivedCovariates } from './hybrid-model';
import { NONLINEAR_SPEC, nonlinearTrial } from './testing/nonlinear-truth';

const dataset = nonlinearTrial(80, 21);
const trainIds = dataset.subjects.map((s) => s.id).filter((_, i) => i % 5 !== 0);
const options = { encoder: 'mlp' as const, trainIds, architecture: { hidden: 16, depth: 1 }, rounds: 2, seed: 2 };
let withBaseline: HybridFitResult;
let without: HybridFitResult;

beforeAll(async () => {
  await useCpuBackend();
  withBaseline = await fitHybrid(dataset, NONLINEAR_SPEC, options);
  without = await fitHybrid(dataset, NONLINEAR_SPEC, { ...options, baselinePd: false });
}, 120_000);

afterAll(() => {
  disposeHybridModel(withBaseline.model);
  disposeHybridModel(without.model);
});

/** Subjects of a trial with a response observed before their first dose. */
function observedBaselines(data: Dataset): string {
  const subjects = bindStudy(data, NONLINEAR_SPEC).subjects;
  return subjects.filter((s) => Number.isFinite(subjectBaselinePd(s))).length.toString();
}

describe('baseline PD as a network input', () => {
  it('reads each subject’s last response at or before its first dose', () => {
    const subjects = bindStudy(dataset, NONLINEAR_SPEC).subjects;
    for (const s of subjects.slice(0, 5)) {
      const j = Array.from(s.pd.times).indexOf(0);
      expect(subjectBaselinePd(s)).toBe(s.pd.values[j]);
    }
    expect(observedBaselines(dataset)).toBe(String(subjects.length));
  });

  it('is used by default where the study has a PD model, and predicts new subjects’ responses better than without it', () => {
    expect(withBaseline.model.inputs.columns).toEqual(['WT', 'AGE', BASELINE_PD_COLUMN]);
    expect(without.model.inputs.columns).toEqual(['WT', 'AGE']);
    expect(withBaseline.model.baseline?.groups[''].length).toBe(trainIds.length);
    // The baseline explains most of BASE's between-subject variability: what is left for η is smaller.
    expect(withBaseline.model.population.omega.BASE!).toBeLessThan(0.6 * without.model.population.omega.BASE!);
    const test = nonlinearTrial(40, 22);
    // Subjects bound without the baseline column get it from their own observations (not the training mean).
    const plain = bindStudy(test, withBaseline.model.spec).subjects;
    expect(Array.from(predictHybrid(withBaseline.model, plain).pd!.predicted)).toEqual(
      Array.from(predictHybrid(withBaseline.model, hybridSubjects(withBaseline.model, test)).pd!.predicted),
    );
    const metrics = (fit: HybridFitResult) => hybridMetrics(predictHybrid(fit.model, hybridSubjects(fit.model, test)), fit.model.scalers);
    const a = metrics(withBaseline);
    const b = metrics(without);
    expect(a.pd!.n).toBe(b.pd!.n);
    expect(a.pd!.rmse_z).toBeLessThan(0.8 * b.pd!.rmse_z);
    // PK does not depend on it (the network may use it a little: not worse by more than a few per cent).
    expect(a.pk!.rmse_z).toBeLessThan(1.05 * b.pk!.rmse_z);
  });

  it('draws virtual subjects’ baselines from their stratum of 0/1 inputs, at the quantile of their draw', () => {
    const baseline = { strata: ['SEX'], groups: { '': [1, 2, 3, 10, 20, 30], '0': [1, 2, 3], '1': [10, 20, 30] } };
    const z = Float64Array.from([-3, 0, 3, -3, 0, 3, 0]);
    const sex = Float64Array.from([0, 0, 0, 1, 1, 1, Number.NaN]);
    expect(Array.from(drawBaselines(baseline, { SEX: sex }, z))).toEqual([1, 2, 3, 10, 20, 30, 2]);
    // A stratum the training subjects lack takes every subject's values.
    expect(Array.from(drawBaselines({ ...baseline, groups: { '': [5, 6], '0': [1] } }, { SEX: sex }, z)).slice(3, 6)).toEqual([5, 6, 6]);
    const subjects = bindStudy(dataset, NONLINEAR_SPEC).subjects.map((s) => ({
      ...s,
      covariates: { ...s.covariates, SEX: Number(s.id) % 2, [BASELINE_PD_COLUMN]: subjectBaselinePd(s) },
    }));
    const groups = baselineGroups(subjects, ['WT', 'SEX', BASELINE_PD_COLUMN]);
    expect(groups.strata).toEqual(['SEX']);
    expect(groups.groups['0'].length + groups.groups['1'].length).toBe(groups.groups[''].length);
  });

  it('gives the dose simulator a drawn baseline for each virtual subject, the same for the same draw, and survives save and reload', () => {
    const model = withBaseline.model;
    const derived = hybridDerivedCovariates(model);
    const sim = new StudyDoseSimulator(model.spec, model.population, 'pd', { derived });
    expect([...sim.covariates].sort()).toEqual(['AGE', 'WT']);
    expect(sim.randomEffects).toContain(BASELINE_PD_EFFECT);
    const pop = drawPopulation({
      size: 8,
      seed: 3,
      scenario: { name: 'test', covariates: { WT: { uniform: [50, 110] }, AGE: { uniform: [20, 80] } } },
      required: sim.covariates,
      randomEffects: sim.randomEffects,
    });
    const out = derived.derive(pop.covariates, pop.size, pop.random);
    const values = model.baseline!.groups[''];
    const z = pop.random[BASELINE_PD_EFFECT];
    out[BASELINE_PD_COLUMN].forEach((b, i) =>
      expect(b).toBe(values[Math.min(values.length - 1, Math.floor(normalCdf(z[i]) * values.length))]),
    );
    // A population that carries the baseline keeps it.
    const given = Float64Array.from({ length: pop.size }, (_, i) => 8 + i);
    const kept = derived.derive({ ...pop.covariates, [BASELINE_PD_COLUMN]: given }, pop.size, pop.random);
    expect(Array.from(kept[BASELINE_PD_COLUMN])).toEqual(Array.from(given));
    const before = memory().numTensors;
    const loaded = loadHybrid(hybridToJSON(model));
    try {
      expect(loaded.baseline).toEqual(model.baseline);
      const again = hybridDerivedCovariates(loaded).derive(pop.covariates, pop.size, pop.random);
      expect(again).toEqual(out);
      const subjects = hybridSubjects(model, dataset).slice(0, 10);
      expect(Array.from(predictHybrid(loaded, subjects).pd!.predicted)).toEqual(Array.from(predictHybrid(model, subjects).pd!.predicted));
    } finally {
      disposeHybridModel(loaded);
    }
    expect(memory().numTensors).toBe(before);
    const damaged = JSON.parse(hybridToJSON(model));
    damaged.baseline.groups[''] = [3, 2, 1];
    expect(() => loadHybrid(damaged)).toThrow(/baseline\.groups\[""\] is not sorted/);
    delete damaged.baseline;
    expect(() => loadHybrid(damaged)).toThrow(/model\.baseline is missing/);
  });
});
