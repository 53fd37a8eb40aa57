import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estDataSpec } from '../data/features/test-support';
import { disposeModel } from '../model/pkpd-model';
import { useCpuBackend } from '../model/test-support';
import type { QuestionsSpec } from '../study/study-spec';
import {
  answerNetworkStudyQuestions,
  type ComparableAnswer,
  compareAnswers,
  type NetworkStudyResult,
  regimenSteps,
} from './network-questions';
import { type TinyNetwork, trainTinyNetwork } from './network-test-support';

let tiny: TinyNetwork;
let result: NetworkStudyResult;
const spec = estDataSpec();

beforeAll(async () => {
  await useCpuBackend();
  tiny = await trainTinyNetwork();
  result = await answerNetworkStudyQuestions(tiny.model, tiny.view.development, spec, {
    questions: { virtualSubjects: 50, seed: 2 },
    trainingSubjects: tiny.view.train,
  });
});

afterAll(() => disposeModel(tiny.model));

describe("the EstData preset's questions with a network", () => {
  it('answers all twelve on the dose grids', () => {
    const answers = result.answers;
    expect(answers).toHaveLength(12);
    const keys = answers.map((a) => `${a.scenario}|${a.target}|${a.regimen}`);
    expect(new Set(keys).size).toBe(12);
    for (const scenario of ['base', 'bw70_140', 'no_comed'])
      for (const target of [0.9, 0.75])
        for (const regimen of ['daily', 'weekly']) expect(keys).toContain(`${scenario}|${target}|${regimen}`);
    for (const a of answers) {
      expect(a.ci === null).toBe(a.dose === null);
      if (a.dose === null) continue;
      const step = a.regimen === 'daily' ? 0.5 : 5;
      expect(Math.abs(a.dose / step - Math.round(a.dose / step))).toBeLessThan(1e-9);
      expect(a.fraction!).toBeGreaterThanOrEqual(a.target);
      expect(a.fraction! * 50).toBeCloseTo(Math.round(a.fraction! * 50), 9);
    }
    expect(answers.filter((a) => a.dose !== null).length).toBeGreaterThan(6);
  });

  it('uses the network settings and reports plans, steady state and extrapolation', () => {
    expect(result.simulator).toBe('network mlp (cascade)');
    expect(result.settings).toMatchObject({ gridSteps: { daily: 0.5, weekly: 0.5 }, mcts: false, curve: 'search' });
    expect(result.settings.questions).toMatchObject({ virtualSubjects: 50, seed: 2 });
    expect(result.plans.map((p) => [p.interval, p.limitedBy])).toEqual([
      [24, 'memory'],
      [168, 'training time span'],
    ]);
    for (const a of result.answers.filter((x) => x.dose !== null)) {
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
      const questions: Partial<QuestionsSpec> = {
        virtualSubjects: 30,
        scenarios: [spec.questions!.scenarios[0]],
        regimens: [spec.questions!.regimens[0]],
      };
      // the other member alone, every grid dose simulated: its success fraction at any dose of the banded curve
      const alone = await answerNetworkStudyQuestions(other.model, tiny.view.development, spec, {
        questions,
        trainingSubjects: tiny.view.train,
        curve: 'full',
        simulateEveryDose: true,
      });
      const banded = await answerNetworkStudyQuestions(tiny.model, tiny.view.development, spec, {
        questions,
        trainingSubjects: tiny.view.train,
        ensemble: [other.model, tiny.model],
      });
      expect(banded.band?.members).toBe(3);
      const curve = banded.curves[0];
      const own = (dose: number): number => curve.points.find((p) => p.dose === dose)!.fraction;
      const otherAt = (dose: number): number => alone.curves[0].points.find((p) => p.dose === dose)!.fraction;
      expect(curve.band!.length).toBe(curve.points.length);
      curve.band!.forEach((b, k) => {
        expect(b.dose).toBe(curve.points[k].dose);
        const sorted = [own(b.dose), own(b.dose), otherAt(b.dose)].sort((x, y) => x - y);
        expect(b.median).toBe(sorted[1]);
        expect(b.p05).toBeCloseTo(sorted[0] + 0.1 * (sorted[1] - sorted[0]), 12);
        expect(b.p95).toBeCloseTo(sorted[1] + 0.9 * (sorted[2] - sorted[1]), 12);
      });
      for (const a of banded.answers) {
        const theirs = alone.answers.find((x) => x.target === a.target)!.dose ?? Infinity;
        const doses = [a.dose ?? Infinity, a.dose ?? Infinity, theirs].sort((x, y) => x - y);
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
  const answer = (scenario: string, target: number, regimen: string, dose_mg: number | null): ComparableAnswer => ({
    scenario,
    target,
    regimen,
    dose_mg,
  });

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
    const steps = regimenSteps(spec.questions!.regimens);
    expect(steps).toEqual({ daily: 0.5, weekly: 5 });
    expect(compareAnswers(network, mechanistic, steps)).toEqual([
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
