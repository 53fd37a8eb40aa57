/**
 * The guidance diagnostics of a study fit (ISoP, xpose, ggPMX) on a simulated trial with known truth
 * (../population/testing/truth-scenarios.ts, the trial of study-diagnostics.test.ts: IV infusions,
 * two compartments, an effect-compartment response, 60 subjects): NPDE, the prediction-corrected
 * VPC, η diagnostics, the convergence trace and the correlation matrix of the estimates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../../data/ingest';
import { fitStudy, type StudyFitResult } from '../population/fit-study';
import { simulateStudyTrial } from '../population/simulate-study';
import { TRUTH_SCENARIOS } from '../population/testing/truth-scenarios';
import { studyDiagnostics, type StudyDiagnostics } from './study-diagnostics';
import type { VpcTarget } from './vpc';

const SUBJECTS = 60;
const EFFECT_COMPARTMENT = 2;

function fitTrial(): StudyFitResult {
  const scenario = TRUTH_SCENARIOS[EFFECT_COMPARTMENT];
  const simulated = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), 1000 + EFFECT_COMPARTMENT);
  const ingested = ingestText(simulated.csv, 'truth.csv');
  if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
  return fitStudy(ingested.dataset, scenario.spec);
}

type Percentile = 'p05' | 'p50' | 'p95';

function coverage(target: VpcTarget, p: Percentile): number {
  const bins = target.strata.flatMap((s) => s.bins);
  return bins.filter((b) => b.simulated[p].lo <= b.observed[p] && b.observed[p] <= b.simulated[p].hi).length / bins.length;
}

describe('guidance diagnostics of a study fit (effect compartment, 60 subjects)', () => {
  let fit: StudyFitResult;
  let d: StudyDiagnostics;
  beforeAll(() => {
    fit = fitTrial();
    d = studyDiagnostics(fit, { vpcReplicates: 100, npdeSimulations: 1000, seed: 3, curvePoints: 50 });
  });

  it('NPDE of the fitted model are N(0, 1) per endpoint: mean, variance and a KS test', () => {
    expect(d.npde.simulations).toBe(1000);
    expect(d.npde.scale).toEqual({ pk: 'log', pd: 'natural' });
    expect(d.npde.observations.map((r) => [r.target, r.id, r.time])).toEqual(d.observations.map((r) => [r.target, r.id, r.time]));
    expect(d.npde.observations.every((r) => r.decorrelated && Number.isFinite(r.npde))).toBe(true);
    for (const target of ['pk', 'pd'] as const) {
      const s = d.npde.summary[target]!;
      expect(s.n).toBe(d.observations.filter((r) => r.target === target).length);
      expect(Math.abs(s.mean), target).toBeLessThan(0.1);
      expect(s.variance, target).toBeGreaterThan(0.9);
      expect(s.variance, target).toBeLessThan(1.1);
      expect(s.ksPValue, target).toBeGreaterThan(0.01);
    }
  });

  it('NPDE depart under a wrong model: twice the clearance', () => {
    const wrong: StudyFitResult = { ...fit, model: { ...fit.model, theta: { ...fit.model.theta, CL: 2 * fit.model.theta.CL } } };
    const s = studyDiagnostics(wrong, { vpcReplicates: 0, npdeSimulations: 100, seed: 3, curvePoints: 50 }).npde.summary.pk!;
    expect(s.mean).toBeGreaterThan(0.5);
    expect(s.ksPValue).toBeLessThan(1e-6);
  });

  it('the prediction-corrected VPC covers the observed percentiles in most bins, in the VPC’s strata and bins', () => {
    for (const target of ['pk', 'pd'] as const) {
      const pc = d.pcVpc[target]!;
      const vpc = d.vpc[target]!;
      expect(pc.strata.map((s) => [s.label, s.bins.map((b) => [b.time, b.n])])).toEqual(
        vpc.strata.map((s) => [s.label, s.bins.map((b) => [b.time, b.n])]),
      );
      const shares = (['p05', 'p50', 'p95'] as const).map((p) => coverage(pc, p));
      for (const share of shares) expect(share, target).toBeGreaterThanOrEqual(0.7);
      expect(shares.reduce((a, b) => a + b, 0) / 3, target).toBeGreaterThanOrEqual(0.8);
    }
    expect(d.pcVpc.pk!.correction).toBe('proportional');
  });

  it('gives every subject’s η with its covariates, the fit’s shrinkage and sorted QQ pairs', () => {
    const eta = d.eta;
    expect(eta.etas.map((e) => e.parameter)).toEqual(['CL', 'V', 'EMAX']);
    expect(eta.covariates).toContain('WT');
    expect(eta.effectColumns).toEqual(['WT']);
    const wt = eta.covariates.indexOf('WT');
    eta.subjects.forEach((s, i) => {
      const subject = fit.study.subjects[i];
      expect(s.id).toBe(subject.id);
      expect(s.covariates[wt]).toBe(subject.covariates.WT);
      eta.etas.forEach((e, k) => expect(s.eta[k]).toBe(fit.individuals[i].eta[e.parameter]));
    });
    for (const e of eta.etas) {
      expect(e.shrinkage).toBe(fit.omega[e.parameter]!.shrinkage);
      expect(e.shrinkage).toBeCloseTo(1 - e.sd / e.omega, 12);
      expect(e.n).toBe(SUBJECTS);
      expect(e.qq.eta).toEqual([...e.qq.eta].sort((a, b) => a - b));
      expect(e.qq.expected[0]).toBeCloseTo(-e.qq.expected[SUBJECTS - 1], 12);
    }
    expect(eta.epsilonShrinkage.pk).toBeGreaterThan(-0.3);
    expect(eta.epsilonShrinkage.pk).toBeLessThan(0.3);
  });

  it('traces the OFV of each kept stage: non-increasing, ending at the final OFV', () => {
    expect(d.convergence.map((c) => c.stage)).toEqual(['pk', 'pd']);
    for (const c of d.convergence) {
      expect(c.ofv.length).toBeGreaterThan(2);
      for (let i = 1; i < c.ofv.length; i++) expect(c.ofv[i]).toBeLessThanOrEqual(c.ofv[i - 1]);
      expect(Math.abs(c.ofv[c.ofv.length - 1] - c.finalOfv)).toBeLessThan(1e-3);
    }
  });

  it('gives the correlation matrix of the estimates per stage: symmetric, unit diagonal, eigenvalues summing to its size', () => {
    for (const c of d.correlation) {
      const stage = fit[c.stage]!;
      const r = c.correlation!;
      expect(r.names).toEqual(stage.foce.covarianceNames);
      const m = r.names.length;
      for (let i = 0; i < m; i++) {
        expect(r.correlation[i][i]).toBe(1);
        for (let j = 0; j < m; j++) {
          expect(r.correlation[i][j]).toBeCloseTo(r.correlation[j][i], 12);
          expect(Math.abs(r.correlation[i][j])).toBeLessThanOrEqual(1 + 1e-12);
        }
      }
      expect(r.eigenvalues.reduce((a, b) => a + b, 0)).toBeCloseTo(m, 9);
      expect(r.conditionNumber).toBeGreaterThanOrEqual(1);
      expect(r.conditionNumber).toBeCloseTo(r.eigenvalues[m - 1] / r.eigenvalues[0], 9);
    }
  });

  it('keeps the VPC as it was whatever K, counts max(replicates, K) trials and survives structured cloning', () => {
    const totals: number[] = [];
    const a = studyDiagnostics(fit, { vpcReplicates: 10, npdeSimulations: 0, seed: 5, curvePoints: 50 });
    const b = studyDiagnostics(fit, {
      vpcReplicates: 10,
      npdeSimulations: 30,
      seed: 5,
      curvePoints: 50,
      onProgress: (_, total) => totals.push(total),
    });
    expect(b.vpc).toEqual(a.vpc);
    expect(b.pcVpc).toEqual(a.pcVpc);
    expect(a.npde.observations).toEqual([]);
    expect(totals).toHaveLength(30);
    expect(new Set(totals)).toEqual(new Set([30]));
    expect(structuredClone(b)).toEqual(b);
  });
});
