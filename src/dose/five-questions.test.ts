/**
 * The five dose questions on the real EstData, through the whole pipeline (fit → virtual
 * populations → steady state → search), beside the dose ranges the independent fits in
 * docs/mechanistic-model.md imply (a sanity check, not a truth).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { answerDoseQuestions, answerFiveQuestions, type DoseAnswer, type DoseProgress, type FiveQuestionsResult } from './five-questions';
import { MechanisticPdSimulator } from './mechanistic-simulator';
import { readEstDataCsv } from '../testing/fixture-files';

const ESTDATA = readEstDataCsv();

function dataset(): Dataset {
  const result = ingestText(ESTDATA, 'EstData.csv');
  if (!result.ok) throw new Error('EstData.csv did not ingest');
  return result.dataset;
}

/** [lo, hi] of the notes' answers (mg) per scenario / target / regimen. */
const NOTES: Record<string, [number, number]> = {
  'base|0.9|daily': [5.5, 6],
  'base|0.9|weekly': [55, 60],
  'bw70_140|0.9|daily': [7, 9.5],
  'bw70_140|0.9|weekly': [70, 100],
  'no_comed|0.9|daily': [6.5, 7.5],
  'no_comed|0.9|weekly': [65, 75],
  'base|0.75|daily': [4, 4],
  'base|0.75|weekly': [35, 40],
  'bw70_140|0.75|daily': [5, 6.5],
  'bw70_140|0.75|weekly': [45, 65],
  'no_comed|0.75|daily': [4.5, 5.5],
  'no_comed|0.75|weekly': [45, 50],
};

const keyOf = (a: DoseAnswer): string => `${a.scenario}|${a.target}|${a.regimen}`;

describe('the five dose questions on EstData (mechanistic model)', () => {
  let result: FiveQuestionsResult;
  const progress: DoseProgress[] = [];
  beforeAll(async () => {
    result = await answerFiveQuestions(dataset(), {}, { onProgress: (p) => progress.push(p) });
    const rows = result.answers.map(
      (a) =>
        `${a.scenario.padEnd(9)} ${String(a.target).padEnd(4)} ${a.regimen.padEnd(6)} ${String(a.dose_mg).padStart(5)} mg  ${(100 * a.fraction!).toFixed(1)}% [${(100 * a.ci![0]).toFixed(1)}, ${(100 * a.ci![1]).toFixed(1)}]  notes ${NOTES[keyOf(a)].join('–')}  MCTS ${a.mcts?.dose_mg} (${a.mcts?.evaluations} evals)  SS ${a.steadyState?.worstRelativeDifference.toExponential(1)}  band ${a.uncertainty?.p05}–${a.uncertainty?.p95}`,
    );
    console.log(
      `EstData dose answers (fit ${result.timing.fitSeconds.toFixed(1)} s, questions ${result.timing.questionsSeconds.toFixed(1)} s, uncertainty ${result.timing.uncertaintySeconds.toFixed(1)} s)\n${rows.join('\n')}`,
    );
  }, 120_000);

  it('answers all twelve questions within one dose step of the ranges the reference fits imply', () => {
    expect(result.answers).toHaveLength(12);
    for (const a of result.answers) {
      const [lo, hi] = NOTES[keyOf(a)];
      const step = a.regimen === 'daily' ? 0.5 : 5;
      expect(a.reached, keyOf(a)).toBe(true);
      expect(a.dose_mg!, keyOf(a)).toBeGreaterThanOrEqual(lo - step);
      expect(a.dose_mg!, keyOf(a)).toBeLessThanOrEqual(hi + step);
      expect(a.dose_mg! / step).toBeCloseTo(Math.round(a.dose_mg! / step), 9);
    }
  });

  it('gives the smallest grid dose that reaches the target, with its Monte-Carlo interval', () => {
    for (const a of result.answers) {
      expect(a.fraction!).toBeGreaterThanOrEqual(a.target);
      expect(a.ci![0]).toBeLessThan(a.fraction!);
      expect(a.ci![1]).toBeGreaterThan(a.fraction!);
      expect(a.neighbours.below!.fraction).toBeLessThan(a.target);
      expect(a.neighbours.consistent).toBe(true);
      const curve = result.curves.find((c) => c.scenario === a.scenario && c.regimen === a.regimen)!;
      expect(curve.points.find((p) => p.dose === a.dose_mg)!.fraction).toBe(a.fraction);
    }
  });

  it('has a monotone dose–response, steady state reached, and MCTS agreeing with bisection', () => {
    for (const a of result.answers) {
      expect(a.monotonicity.monotone).toBe(true);
      expect(a.monotonicity.subjectReversals).toBe(0);
      expect(a.monotonicity.dosesEvaluated).toBe(60);
      expect(a.steadyState!.ok).toBe(true);
      expect(a.steadyState!.worstRelativeDifference).toBeLessThan(0.005);
      expect(a.searchesAgree).toBe(true);
      expect(a.mcts!.certified).toBe(true);
      expect(a.bisection.evaluations).toBeLessThanOrEqual(8);
    }
  });

  it('orders the answers as the questions imply', () => {
    const dose = (s: string, t: number, r: string): number =>
      result.answers.find((a) => a.scenario === s && a.target === t && a.regimen === r)!.dose_mg!;
    for (const r of ['daily', 'weekly']) {
      for (const s of ['base', 'bw70_140', 'no_comed']) expect(dose(s, 0.75, r)).toBeLessThan(dose(s, 0.9, r));
      for (const t of [0.9, 0.75]) {
        expect(dose('bw70_140', t, r)).toBeGreaterThan(dose('base', t, r));
        expect(dose('no_comed', t, r)).toBeGreaterThan(dose('base', t, r));
      }
    }
  });

  it('answers in the Doses tab’s shape and reports progress', () => {
    expect(result.answers).toHaveLength(12);
    expect(new Set(result.answers.map((h) => h.scenario))).toEqual(new Set(['base', 'bw70_140', 'no_comed']));
    for (const a of result.answers) expect(a.dose_mg).toBe(a.bisection.dose_mg);
    expect(JSON.parse(JSON.stringify(result.answers))).toEqual(result.answers);
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(['fit', 'questions', 'uncertainty']);
    expect(progress.filter((p) => p.stage === 'questions').pop()).toMatchObject({ done: 6, total: 6 });
    expect(progress[progress.length - 1]).toMatchObject({ stage: 'uncertainty', done: 120, total: 120 });
    expect(result.settings).toMatchObject({ nVirtual: 1000, threshold: 3.3, trialComedShare: 0.5, gridStep: 0.25 });
  });

  it('gives the same answers with MCTS as the answer method', async () => {
    const sim = new MechanisticPdSimulator(result.model);
    const small = { nVirtual: 300, checkSteadyState: false } as const;
    const bis = await answerDoseQuestions(sim, small);
    const mcts = await answerDoseQuestions(sim, { ...small, method: 'mcts', curve: 'search' });
    expect(mcts.answers.map((a) => a.dose_mg)).toEqual(bis.answers.map((a) => a.dose_mg));
    expect(mcts.answers.every((a) => a.method === 'mcts' && a.mcts!.certified)).toBe(true);
  });

  it('adds a parameter-uncertainty band from the fit’s covariance', () => {
    expect(result.uncertainty).toMatchObject({ requested: 20, made: 20 });
    for (const a of result.answers) {
      const u = a.uncertainty!;
      expect(u.replicates).toBe(20);
      expect(u.notReached).toBe(0);
      expect(u.p05).toBeLessThanOrEqual(u.median);
      expect(u.median).toBeLessThanOrEqual(u.p95);
      const step = a.regimen === 'daily' ? 0.5 : 5;
      expect(a.dose_mg!).toBeGreaterThanOrEqual(u.p05 - step);
      expect(a.dose_mg!).toBeLessThanOrEqual(u.p95 + step);
    }
    for (const c of result.curves) {
      expect(c.band).toHaveLength(c.grid.length);
      for (const b of c.band!) {
        expect(b.p05).toBeLessThanOrEqual(b.median);
        expect(b.median).toBeLessThanOrEqual(b.p95);
      }
    }
  });

  it('stops when cancelled and rejects impossible settings', async () => {
    const sim = new MechanisticPdSimulator(result.model);
    const controller = new AbortController();
    await expect(
      answerDoseQuestions(sim, { nVirtual: 200 }, { signal: controller.signal, onProgress: (p) => p.done >= 1 && controller.abort() }),
    ).rejects.toThrow(DoseSearchCancelledError);
    await expect(answerDoseQuestions(sim, { gridStep: 1 })).rejects.toThrow(DoseSettingsError);
    await expect(answerDoseQuestions(sim, { targets: [1.5] })).rejects.toThrow(DoseSettingsError);
  });
});
