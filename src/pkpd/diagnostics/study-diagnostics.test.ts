/**
 * Diagnostics of study fits on simulated trials with known truth (../population/testing/truth-scenarios.ts,
 * the seeds of simulated-truth.test.ts): IV infusions written with RATE and an effect-compartment
 * response (two compartments), and infusions written once with ADDL/II with an indirect response.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ingestText } from '../../data/ingest';
import type { Dataset } from '../../data/types';
import type { StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import { readRealDatasetCsv } from '../../testing/fixture-files';
import { FitCancelledError } from '../errors';
import { fitStudy, type StudyFitResult } from '../population/fit-study';
import { simulateStudyTrial } from '../population/simulate-study';
import { TRUTH_SCENARIOS, type TruthScenario } from '../population/testing/truth-scenarios';
import { MAX_VPC_PANELS, studyDiagnostics, type StudyDiagnostics, vpcStrata } from './study-diagnostics';
import type { VpcTarget } from './vpc';

const SUBJECTS = 60;
const EFFECT_COMPARTMENT = 2;
const INDIRECT = 3;

function trial(index: number): { scenario: TruthScenario; dataset: Dataset } {
  const scenario = TRUTH_SCENARIOS[index];
  const simulated = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), 1000 + index);
  const ingested = ingestText(simulated.csv, 'truth.csv');
  if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
  return { scenario, dataset: ingested.dataset };
}

type Percentile = 'p05' | 'p50' | 'p95';
const PERCENTILES: Percentile[] = ['p05', 'p50', 'p95'];

/** Share of bins (all strata) whose observed percentile lies inside the simulated 90 % interval of that percentile. */
function coverage(target: VpcTarget, p: Percentile): number {
  const bins = target.strata.flatMap((s) => s.bins);
  return bins.filter((b) => b.simulated[p].lo <= b.observed[p] && b.observed[p] <= b.simulated[p].hi).length / bins.length;
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** Every fitted observation lies on its subject's curves: the curve's IPRED and PRED at its time are the row's. */
function expectCurvesThroughObservations(fit: StudyFitResult, d: StudyDiagnostics, targets: ('pk' | 'pd')[] = ['pk', 'pd']): void {
  const byId = new Map(d.curves.map((c) => [c.id, c]));
  for (const target of targets) {
    const rows = fit.observations.filter((r) => r.target === target);
    expect(rows.length, target).toBeGreaterThan(100);
    for (const r of rows) {
      const curve = byId.get(r.id)!;
      const k = curve.time.indexOf(r.time);
      expect(k, `${r.id} ${target} ${r.time}`).toBeGreaterThanOrEqual(0);
      const pair = curve[target]!;
      expect(relative(pair.ipred[k], r.ipred), `IPRED ${r.id} ${target} ${r.time}`).toBeLessThan(1e-9);
      expect(relative(pair.pred[k], r.pred), `PRED ${r.id} ${target} ${r.time}`).toBeLessThan(1e-9);
    }
  }
}

describe('diagnostics of a study fit: IV infusions (RATE), two compartments, effect compartment', () => {
  let fit: StudyFitResult;
  let diagnostics: StudyDiagnostics;
  beforeAll(() => {
    const { scenario, dataset } = trial(EFFECT_COMPARTMENT);
    fit = fitStudy(dataset, scenario.spec);
    diagnostics = studyDiagnostics(fit, { vpcReplicates: 100, npdeSimulations: 0, seed: 3 });
  });

  it('puts the observed 5th, 50th and 95th percentiles inside the simulated intervals in most bins (data from the fitted model family)', () => {
    for (const target of ['pk', 'pd'] as const) {
      const vpc = diagnostics.vpc[target]!;
      const shares = PERCENTILES.map((p) => coverage(vpc, p));
      for (const [i, share] of shares.entries()) expect(share, `${target} ${PERCENTILES[i]}`).toBeGreaterThanOrEqual(0.7);
      expect(shares.reduce((a, b) => a + b, 0) / 3, target).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('flags a wrong model: twice the clearance misses the observed PK median in most bins', () => {
    const wrong: StudyFitResult = { ...fit, model: { ...fit.model, theta: { ...fit.model.theta, CL: 2 * fit.model.theta.CL } } };
    const vpc = studyDiagnostics(wrong, { vpcReplicates: 30, npdeSimulations: 0, seed: 3 }).vpc;
    expect(coverage(vpc.pk!, 'p50')).toBeLessThan(0.3);
  });

  it('stratifies by the spec’s groups and bins in the data’s (designed) times', () => {
    const pk = diagnostics.vpc.pk!;
    expect(pk.strata.map((s) => s.label)).toEqual(fit.study.groups);
    expect(pk.strata.map((s) => s.groups)).toEqual(fit.study.groups.map((g) => [g]));
    expect(pk.binned).toBe(false);
    const design = TRUTH_SCENARIOS[EFFECT_COMPARTMENT].design(SUBJECTS);
    expect(pk.strata[0].bins.map((b) => b.time)).toEqual(design.pkTimes);
    expect(diagnostics.vpc.pd!.strata[0].bins.map((b) => b.time)).toEqual(design.pdTimes);
    const n = pk.strata.reduce((a, s) => a + s.bins.reduce((b, bin) => b + bin.n, 0), 0);
    expect(n).toBe(fit.observations.filter((r) => r.target === 'pk').length);
  });

  it('orders each bin’s simulated percentiles and puts each median inside its interval', () => {
    for (const target of ['pk', 'pd'] as const) {
      for (const bin of diagnostics.vpc[target]!.strata.flatMap((s) => s.bins)) {
        expect(bin.simulated.p05.median).toBeLessThan(bin.simulated.p50.median);
        expect(bin.simulated.p50.median).toBeLessThan(bin.simulated.p95.median);
        for (const p of PERCENTILES) {
          expect(bin.simulated[p].lo).toBeLessThanOrEqual(bin.simulated[p].median);
          expect(bin.simulated[p].median).toBeLessThanOrEqual(bin.simulated[p].hi);
        }
      }
    }
  });

  it('draws IPRED and PRED curves through the fit’s own IPRED and PRED at every observation (PK and effect-compartment PD)', () => {
    expect(diagnostics.curves).toHaveLength(fit.study.subjects.length);
    expectCurvesThroughObservations(fit, diagnostics);
  });

  it('lists each subject’s infusions with their duration, and gives PD curves', () => {
    for (const curve of diagnostics.curves) {
      expect(curve.doses).toHaveLength(2);
      for (const dose of curve.doses) {
        expect(dose.route).toBe('infusion');
        expect(dose.duration).toBe(1);
        expect([100, 300]).toContain(dose.amount);
      }
      expect(curve.doses.map((d) => d.time)).toEqual([0, 24]);
      // The infusion's end is on the grid, so the peak is drawn where it is.
      expect(curve.time).toContain(1);
      expect(curve.group).toBe(fit.study.subjects.find((s) => s.id === curve.id)!.group);
      expect(Object.keys(curve.covariates)).toEqual(['WT']);
      const pd = curve.pd!;
      expect(pd.ipred.every(Number.isFinite)).toBe(true);
      expect(Math.max(...pd.ipred) - Math.min(...pd.ipred)).toBeGreaterThan(5);
    }
  });

  it('comes as plain data (survives structured cloning), reproduces with its seed and differs with another', () => {
    // NPDE and the rest of the guidance diagnostics: study-diagnostics-guidance.test.ts.
    const small = studyDiagnostics(fit, { vpcReplicates: 5, npdeSimulations: 20, seed: 9, curvePoints: 50 });
    expect(structuredClone(small)).toEqual(small);
    expect(studyDiagnostics(fit, { vpcReplicates: 5, npdeSimulations: 20, seed: 9, curvePoints: 50 })).toEqual(small);
    const other = studyDiagnostics(fit, { vpcReplicates: 5, npdeSimulations: 20, seed: 10, curvePoints: 50 });
    expect(other.vpc.pk).not.toEqual(small.vpc.pk);
    expect(other.npde.observations).not.toEqual(small.npde.observations);
    expect(other.curves).toEqual(small.curves);
  });

  it('reports progress per replicate and stops when cancelled', () => {
    const signal = { aborted: false };
    const seen: number[] = [];
    const run = (): StudyDiagnostics =>
      studyDiagnostics(fit, {
        vpcReplicates: 20,
        npdeSimulations: 0,
        seed: 1,
        curvePoints: 50,
        signal,
        onProgress: (done, total) => {
          expect(total).toBe(20);
          seen.push(done);
          if (done === 2) signal.aborted = true;
        },
      });
    expect(run).toThrow(FitCancelledError);
    expect(seen).toEqual([1, 2]);
    // Cancelled before it starts: stops in the curves, no replicate run.
    seen.length = 0;
    expect(run).toThrow(FitCancelledError);
    expect(seen).toEqual([]);
  });

  it('runs no VPC with 0 replicates and keeps the rest', () => {
    const none = studyDiagnostics(fit, { vpcReplicates: 0, npdeSimulations: 0, curvePoints: 50 });
    expect(none.vpc.pk).toBeNull();
    expect(none.vpc.pd).toBeNull();
    expect(none.observations).toEqual(fit.observations);
    expect(none.curves).toHaveLength(fit.study.subjects.length);
  });

  it(`pools the smallest groups into "other" beyond ${MAX_VPC_PANELS} panels (eight arms)`, () => {
    const scenario = TRUTH_SCENARIOS[EFFECT_COMPARTMENT];
    const sizes = [12, 10, 8, 7, 6, 5, 4, 2];
    const design = { ...scenario.design(SUBJECTS), arms: sizes.map((subjects, i) => ({ dose: 50 * (i + 1), subjects })) };
    const ingested = ingestText(simulateStudyTrial(scenario.spec, scenario.truth, design, 7).csv, 'arms.csv');
    if (!ingested.ok) throw new Error('arms.csv did not ingest');
    const arms = fitStudy(ingested.dataset, scenario.spec);
    expect(arms.study.groups).toHaveLength(8);
    const vpc = studyDiagnostics(arms, { vpcReplicates: 3, npdeSimulations: 0, curvePoints: 50 }).vpc.pk!;
    expect(vpc.strata).toHaveLength(MAX_VPC_PANELS);
    expect(vpc.strata.slice(0, 5).map((s) => s.label)).toEqual(arms.study.groups.slice(0, 5));
    expect(vpc.strata[5].label).toBe('other (3 groups)');
    expect(vpc.strata[5].groups).toEqual(arms.study.groups.slice(5));
    const n = vpc.strata.reduce((a, s) => a + s.observations.time.length, 0);
    expect(n).toBe(arms.observations.filter((r) => r.target === 'pk').length);
    // Observations of the pooled arms (the 11 smallest subjects' samples) are all in "other".
    expect(vpc.strata[5].observations.time).toHaveLength(11 * design.pkTimes.length);
  });
});

describe('diagnostics of a study fit: infusions via ADDL/II, indirect response', () => {
  let fit: StudyFitResult;
  let diagnostics: StudyDiagnostics;
  beforeAll(() => {
    const { scenario, dataset } = trial(INDIRECT);
    fit = fitStudy(dataset, scenario.spec);
    diagnostics = studyDiagnostics(fit, { vpcReplicates: 100, npdeSimulations: 0, seed: 3 });
  });

  it('puts the observed percentiles inside the simulated intervals in most bins', () => {
    for (const target of ['pk', 'pd'] as const) {
      const vpc = diagnostics.vpc[target]!;
      const shares = PERCENTILES.map((p) => coverage(vpc, p));
      for (const [i, share] of shares.entries()) expect(share, `${target} ${PERCENTILES[i]}`).toBeGreaterThanOrEqual(0.7);
      expect(shares.reduce((a, b) => a + b, 0) / 3, target).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('expands ADDL into every infusion and draws PD curves through the fit’s IPRED and PRED', () => {
    for (const curve of diagnostics.curves) {
      expect(curve.doses.map((d) => d.time)).toEqual([0, 24, 48, 72, 96]);
      expect(curve.doses.every((d) => d.route === 'infusion' && d.duration === 2)).toBe(true);
      expect(curve.pd!.ipred.every(Number.isFinite)).toBe(true);
    }
    expectCurvesThroughObservations(fit, diagnostics);
  });

  it('integrates the dense PD curve consistently with the fit: its neighbours of each observation lie close to it', () => {
    const byId = new Map(diagnostics.curves.map((c) => [c.id, c]));
    let checked = 0;
    for (const r of fit.observations.filter((x) => x.target === 'pd')) {
      const curve = byId.get(r.id)!;
      const k = curve.time.indexOf(r.time);
      for (const n of [k - 1, k + 1]) {
        if (n < 0 || n >= curve.time.length || Math.abs(curve.time[n] - r.time) > 0.5) continue;
        expect(relative(curve.pd!.ipred[n], r.ipred), `${r.id} ${curve.time[n]}`).toBeLessThan(0.02);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

describe('diagnostics of a study fit: a real file with two occasions, and a study without a PK endpoint', () => {
  it('mavoglurant: curves restart from empty compartments at the second occasion and pass through the fit’s IPRED', () => {
    const reading = readStudySpecText(readFileSync(new URL('../../../test-data/specs/mavoglurant.study.json', import.meta.url), 'utf8'));
    if (!reading.ok) throw new Error(describeSpecProblems(reading.problems));
    const ingested = ingestText(readRealDatasetCsv('mavoglurant'), 'mavoglurant.csv');
    if (!ingested.ok) throw new Error('mavoglurant.csv did not ingest');
    const fit = fitStudy(ingested.dataset, reading.spec);
    const d = studyDiagnostics(fit, { vpcReplicates: 10, npdeSimulations: 100, seed: 1 });
    expectCurvesThroughObservations(fit, d, ['pk']);
    expect(d.vpc.pd).toBeNull();
    // NPDE across the reset: one per PK row, every one finite (decorrelated over both occasions).
    expect(d.npde.observations).toHaveLength(fit.observations.length);
    expect(d.npde.observations.every((r) => r.target === 'pk' && Number.isFinite(r.npde))).toBe(true);
    expect(d.pcVpc.pd).toBeNull();
    const twice = fit.study.subjects.filter((s) => s.segments.length === 2);
    expect(twice.length).toBeGreaterThan(50);
    for (const subject of twice) {
      const curve = d.curves.find((c) => c.id === subject.id)!;
      const start = subject.segments[1].start;
      const k = curve.time.indexOf(start);
      expect(k, subject.id).toBeGreaterThan(0);
      // Drug left from the first occasion just before, none at the reset (the next infusion only starts).
      expect(curve.pk!.ipred[k - 1], subject.id).toBeGreaterThan(0);
      expect(curve.pk!.ipred[k], subject.id).toBe(0);
      expect(curve.doses).toHaveLength(subject.segments[0].doses.length + subject.segments[1].doses.length);
    }
  });

  it('a PD-only study with fixed PK: typical PK curves, PD curves through the fit’s rows, a PD VPC only', () => {
    const scenario = TRUTH_SCENARIOS[1]; // IV boluses, direct decrease
    const spec: StudySpec = {
      ...scenario.spec,
      endpoints: { pd: scenario.spec.endpoints.pd },
      model: {
        ...scenario.spec.model,
        parameters: { CL: 3, V: 30 },
        covariates: [{ column: 'WT', on: 'CL', form: 'power', reference: 70, value: 1 }],
        randomEffects: ['IC50'],
      },
    };
    const fit = fitStudy(trial(1).dataset, spec);
    expect(fit.pk).toBeUndefined();
    const d = studyDiagnostics(fit, { vpcReplicates: 20, npdeSimulations: 100, seed: 1 });
    expect(d.vpc.pk).toBeNull();
    expect(d.pcVpc.pk).toBeNull();
    expect(coverage(d.pcVpc.pd!, 'p50')).toBeGreaterThanOrEqual(0.7);
    expect(Object.keys(d.npde.summary)).toEqual(['pd']);
    expect(Math.abs(d.npde.summary.pd!.mean)).toBeLessThan(0.2);
    expect(d.convergence.map((c) => c.stage)).toEqual(['pd']);
    expect(d.eta.etas.map((e) => e.parameter)).toEqual(['IC50']);
    expect(coverage(d.vpc.pd!, 'p50')).toBeGreaterThanOrEqual(0.7);
    expectCurvesThroughObservations(fit, d, ['pd']);
    const dosed = d.curves.filter((c) => c.doses.length > 0);
    expect(dosed.length).toBeGreaterThan(0);
    // No PK random effects: the individual PK curve is the typical one.
    for (const c of dosed) expect(c.pk!.ipred).toEqual(c.pk!.pred);
  });
});

describe('VPC strata of a study', () => {
  it('keeps up to six groups in the binding’s order', () => {
    const { strata, stratumOf } = vpcStrata(['A', 'B', 'C'], ['C', 'A', 'A', 'B']);
    expect(strata.map((s) => s.label)).toEqual(['A', 'B', 'C']);
    expect(stratumOf.get('C')).toBe(2);
  });

  it('leaves out groups without subjects of the endpoint', () => {
    expect(vpcStrata(['placebo', 'A'], ['A', 'A']).strata.map((s) => s.label)).toEqual(['A']);
  });

  it('pools all but the five largest of seven or more groups into "other" (ties: the binding’s order), in order', () => {
    const groups = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8'];
    const sizes = [1, 5, 3, 6, 4, 1, 3, 3];
    const subjects = groups.flatMap((g, i) => Array.from({ length: sizes[i] }, () => g));
    const { strata, stratumOf } = vpcStrata(groups, subjects);
    expect(strata.map((s) => s.label)).toEqual(['g2', 'g3', 'g4', 'g5', 'g7', 'other (3 groups)']);
    expect(strata[5].groups).toEqual(['g1', 'g6', 'g8']);
    expect(stratumOf.get('g8')).toBe(5);
    expect(stratumOf.get('g4')).toBe(2);
  });

  it('gives no panel of its own to a group of fewer than three subjects beyond six groups', () => {
    const groups = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7'];
    const sizes = [1, 3, 2, 2, 4, 1, 1];
    const subjects = groups.flatMap((g, i) => Array.from({ length: sizes[i] }, () => g));
    expect(vpcStrata(groups, subjects).strata.map((s) => s.label)).toEqual(['g2', 'g5', 'other (5 groups)']);
    // One regimen per subject: one panel of all.
    const single = vpcStrata(groups, groups);
    expect(single.strata).toEqual([{ label: 'all subjects (7 groups)', groups }]);
    expect(new Set(single.stratumOf.values())).toEqual(new Set([0]));
  });
});
