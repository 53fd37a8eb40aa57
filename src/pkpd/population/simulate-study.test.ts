/**
 * Simulated trials of a study (simulate-study.ts), the truth of every recovery test and benchmark of
 * the study fit: what the EstData-only trial simulator's tests (retired with it) checked, for any
 * study — deterministic per seed, read by `ingestText` with the design's structure, covariates and η
 * drawn as stated, residual error as stated. The oral indirect-stimulation scenario of
 * testing/truth-scenarios.ts (a 0/1 SEX factor on CL; ω of CL 0.25; PD proportional error 0.08).
 */
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import { simulateStudyTrial, type StudyTrialDesign } from './simulate-study';
import { TRUTH_SCENARIOS } from './testing/truth-scenarios';

const scenario = TRUTH_SCENARIOS.find((s) => s.name === 'oral, indirect stimulation of production')!;

function ingest(csv: string): { dataset: Dataset; warnings: unknown[] } {
  const result = ingestText(csv, 'simulated.csv');
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('simulated study trials', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const design = scenario.design(12);
    const csv = (seed: number): string => simulateStudyTrial(scenario.spec, scenario.truth, design, seed).csv;
    expect(csv(3)).toBe(csv(3));
    expect(csv(3)).not.toBe(csv(4));
  });

  it('is read by ingestText without warnings, with the design’s subjects, doses and sampling times', () => {
    const design = scenario.design(30);
    const trial = simulateStudyTrial(scenario.spec, scenario.truth, design, 7);
    const { dataset, warnings } = ingest(trial.csv);
    expect(warnings).toEqual([]);
    expect(dataset.subjects).toHaveLength(30);
    const perArm = design.arms.flatMap((arm) => Array.from({ length: arm.subjects }, () => arm.dose));
    expect(dataset.subjects.map((s) => [s.armDose, s.doseCount, s.pkCount, s.pdCount])).toEqual(
      perArm.map((dose) => [dose, design.regimen.count, design.pkTimes.length, design.pdTimes.length]),
    );
    expect(dataset.subjects.map((s) => s.baseline.SEX)).toEqual(trial.subjects.map((s) => s.covariates.SEX));
  });

  it('draws covariates and η with the stated distributions', () => {
    const trial = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(300), 11);
    const n = trial.subjects.length;
    const share = mean(trial.subjects.map((s) => s.covariates.SEX));
    expect(Math.abs(share - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / n));
    const omega = scenario.truth.omega.CL!;
    const eta = trial.subjects.map((s) => s.eta.CL!);
    expect(Math.abs(mean(eta))).toBeLessThan((4 * omega) / Math.sqrt(n));
    expect(sd(eta)).toBeGreaterThan(omega * 0.9);
    expect(sd(eta)).toBeLessThan(omega * 1.1);
    expect(trial.subjects.every((s) => s.eta.KA === undefined && s.eta.V !== undefined)).toBe(true);
    const factor = scenario.truth.theta['CL~SEX'];
    for (const s of trial.subjects) {
      const typical = scenario.truth.theta.CL * (s.covariates.SEX === 1 ? factor : 1);
      expect(s.parameters.CL).toBeCloseTo(typical * Math.exp(s.eta.CL!), 12);
    }
  });

  it('puts a placebo arm’s response around its baseline with the residual CV', () => {
    const design: StudyTrialDesign = { ...scenario.design(40), arms: [{ dose: 0, subjects: 40 }] };
    const truth = { ...scenario.truth, omega: { ...scenario.truth.omega, BASE: 0 } };
    const trial = simulateStudyTrial(scenario.spec, truth, design, 5);
    const { dataset } = ingest(trial.csv);
    expect(dataset.subjects.every((s) => s.pkCount === 0 && s.doseCount === 0)).toBe(true);
    const base = scenario.truth.theta.BASE;
    const rows = trial.csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const ratios = rows.filter((r) => r[9] === '2').map((r) => Number(r[8]) / base - 1);
    expect(ratios).toHaveLength(40 * design.pdTimes.length);
    const cv = Math.sqrt(mean(ratios.map((r) => r * r)));
    const sigma = scenario.truth.residual.pd!.proportional;
    expect(cv).toBeGreaterThan(0.9 * sigma);
    expect(cv).toBeLessThan(1.1 * sigma);
  });
});
