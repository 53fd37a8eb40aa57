import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeModel } from '../model/pkpd-model';
import { useCpuBackend } from '../model/test-support';
import { DoseResponse } from './dose-response';
import { challengeScenario, type DoseAnswer } from './five-questions';
import { belowThroughout } from './criterion';
import { oralEvery } from './steady-state';
import { networkTrainingContext } from './network-context';
import { answerNetworkDoseQuestions, compareAnswers, type NetworkQuestionsResult, regimenSteps } from './network-questions';
import { BASELINE_PD_EFFECT, NetworkPdSimulator } from './network-simulator';
import { type TinyNetwork, trainTinyNetwork } from './network-test-support';
import { drawPopulation } from './virtual-population';

let tiny: TinyNetwork;
let result: NetworkQuestionsResult;

beforeAll(async () => {
  await useCpuBackend();
  tiny = await trainTinyNetwork();
  result = await answerNetworkDoseQuestions(tiny.model, tiny.view.development, {
    nVirtual: 50,
    seed: 2,
    trainingSubjects: tiny.view.train,
  });
});

afterAll(() => disposeModel(tiny.model));

describe('the five questions with a network', () => {
  it('answers all twelve on the dose grids', () => {
    const headless = result.answers;
    expect(headless).toHaveLength(12);
    const keys = headless.map((a) => `${a.scenario}|${a.target}|${a.regimen}`);
    expect(new Set(keys).size).toBe(12);
    for (const scenario of ['base', 'bw70_140', 'no_comed'])
      for (const target of [0.9, 0.75])
        for (const regimen of ['daily', 'weekly']) expect(keys).toContain(`${scenario}|${target}|${regimen}`);
    for (const a of headless) {
      expect(a.ci === null).toBe(a.dose_mg === null);
      if (a.dose_mg === null) continue;
      const step = a.regimen === 'daily' ? 0.5 : 5;
      expect(Math.abs(a.dose_mg / step - Math.round(a.dose_mg / step))).toBeLessThan(1e-9);
      expect(a.fraction!).toBeGreaterThanOrEqual(a.target);
      expect(a.fraction! * 50).toBeCloseTo(Math.round(a.fraction! * 50), 9);
    }
    expect(headless.filter((a) => a.dose_mg !== null).length).toBeGreaterThan(6);
  });

  it('uses the network settings and reports plans, steady state and extrapolation', () => {
    expect(result.simulator).toBe('network mlp (cascade)');
    expect(result.settings).toMatchObject({ gridStep: 0.5, mcts: false, curve: 'search', nVirtual: 50, seed: 2 });
    expect(result.settings.trialComedShare).toBeCloseTo(0.5, 1);
    expect(result.plans.map((p) => [p.interval, p.limitedBy])).toEqual([
      [24, 'memory'],
      [168, 'training time span'],
    ]);
    for (const a of result.answers.filter((x) => x.dose_mg !== null)) {
      expect(a.steadyState?.method).toBe('network: last two intervals');
      expect(a.mcts).toBeNull();
      expect(a.monotonicity.dosesEvaluated).toBe(
        result.curves.find((c) => c.scenario === a.scenario && c.regimen === a.regimen)!.points.length,
      );
    }
    const weekly = result.extrapolation.filter((e) => e.regimen === 'weekly');
    expect(weekly.length).toBeGreaterThan(0);
    for (const e of weekly) {
      // any weekly dose above the trial's 10 mg arm puts DOSE outside its training range
      if (e.dose > 10) expect(e.features.find((f) => f.branch === 'pd' && f.feature === 'DOSE')?.beyond).toBeCloseTo((e.dose - 10) / 10, 9);
    }
    const heavy = result.extrapolation.find((e) => e.scenario === 'bw70_140');
    expect(heavy?.features.find((f) => f.feature === 'BW')?.simulated[1]).toBeGreaterThan(120);
    expect(result.band).toBeNull();
  });

  it('adds ensemble bands and answer spreads when given other members', async () => {
    const other = await trainTinyNetwork('cascade', 2);
    try {
      const options = {
        nVirtual: 30,
        trainingSubjects: tiny.view.train,
        scenarios: [{ name: 'base', bwRange: [50, 100] as [number, number], comedShare: 'trial' as const }],
        regimens: [{ name: 'daily', interval: 24, step: 0.5, max: 30 }],
      };
      const alone = await answerNetworkDoseQuestions(other.model, tiny.view.development, options);
      const banded = await answerNetworkDoseQuestions(tiny.model, tiny.view.development, {
        ...options,
        ensemble: [other.model, tiny.model],
      });
      expect(banded.band?.members).toBe(3);
      const curve = banded.curves[0];
      const own = (dose: number): number => curve.points.find((p) => p.dose === dose)!.fraction;
      // members: this model twice and the other one, whose curve at the same doses comes from its own run
      const otherAt = await new DoseResponse(
        new NetworkPdSimulator(other.model, networkTrainingContext(other.model, tiny.view.development, tiny.view.train)),
        drawPopulation({
          size: 30,
          seed: 1,
          scenario: challengeScenario({ name: 'base', bwRange: [50, 100], comedShare: 'trial' }, banded.settings.trialComedShare),
          randomEffects: [BASELINE_PD_EFFECT],
        }),
        oralEvery(24),
        { criterion: belowThroughout(3.3), gridStep: 0.5 },
      ).at(curve.points.map((p) => p.dose));
      curve.band!.forEach((b, k) => {
        expect(b.dose).toBe(curve.points[k].dose);
        const sorted = [own(b.dose), own(b.dose), otherAt[k].fraction].sort((x, y) => x - y);
        expect(b.median).toBe(sorted[1]);
        expect(b.p05).toBeCloseTo(sorted[0] + 0.1 * (sorted[1] - sorted[0]), 12);
        expect(b.p95).toBeCloseTo(sorted[1] + 0.9 * (sorted[2] - sorted[1]), 12);
      });
      for (const a of banded.answers) {
        const theirs = alone.answers.find((x) => x.target === a.target)!.dose_mg ?? Infinity;
        const doses = [a.dose_mg ?? Infinity, a.dose_mg ?? Infinity, theirs].sort((x, y) => x - y);
        expect(a.uncertainty).toEqual({
          replicates: 3,
          p05: doses[0],
          median: doses[1],
          p95: doses[2],
          notReached: doses.filter((d) => !Number.isFinite(d)).length,
        });
      }
    } finally {
      disposeModel(other.model);
    }
  });
});

describe('compareAnswers', () => {
  const answer = (
    scenario: string,
    target: number,
    regimen: string,
    dose_mg: number | null,
  ): Pick<DoseAnswer, 'scenario' | 'target' | 'regimen' | 'dose_mg'> => ({ scenario, target, regimen, dose_mg });

  it('gives the difference in mg and in grid steps per scenario, target and regimen', () => {
    const network = [
      answer('base', 0.9, 'daily', 7.5),
      answer('base', 0.9, 'weekly', 40),
      answer('base', 0.75, 'daily', null),
      answer('bw70_140', 0.9, 'daily', 9),
    ];
    const mechanistic = [
      answer('base', 0.9, 'weekly', 55),
      answer('base', 0.9, 'daily', 6),
      answer('base', 0.75, 'daily', 4),
      answer('no_comed', 0.9, 'daily', 7),
    ];
    expect(regimenSteps()).toEqual({ daily: 0.5, weekly: 5 });
    expect(compareAnswers(network, mechanistic, regimenSteps())).toEqual([
      { scenario: 'base', target: 0.9, regimen: 'daily', a: 7.5, b: 6, mg: 1.5, steps: 3 },
      { scenario: 'base', target: 0.9, regimen: 'weekly', a: 40, b: 55, mg: -15, steps: -3 },
      { scenario: 'base', target: 0.75, regimen: 'daily', a: null, b: 4, mg: null, steps: null },
      { scenario: 'bw70_140', target: 0.9, regimen: 'daily', a: 9, b: null, mg: null, steps: null },
      { scenario: 'no_comed', target: 0.9, regimen: 'daily', a: null, b: 7, mg: null, steps: null },
    ]);
  });

  it('is exact in mg for decimal steps', () => {
    expect(compareAnswers([answer('base', 0.9, 'daily', 0.3)], [answer('base', 0.9, 'daily', 0.1)], { daily: 0.1 })[0]).toMatchObject({
      mg: 0.2,
      steps: 2,
    });
  });
});
