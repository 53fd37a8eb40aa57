/**
 * The dose-questions engine over a study spec: the EstData preset reproduces the answers of the
 * EstData-only engine it replaced (`answerFiveQuestions`, retired; its numbers below) exactly, and the engine handles every criterion — rising, falling and "within" success —
 * with the spec's names and units.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { TRUTH_SCENARIOS } from '../pkpd/population/testing/truth-scenarios';
import type { QuestionsSpec, StudySpec } from '../study/study-spec';
import { readEstDataCsv } from '../testing/fixture-files';
import { answerDoseQuestions, type DoseProgress, toHeadlessAnswers } from './dose-questions';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { Fnv1a64 } from '../data/hash';
import { estDataPreset } from '../study/estdata-preset';
import { defaultGridStep } from './steady-state';
import { answerStudyDoseQuestions, answerStudyQuestionsForModel, type StudyDoseResult } from './study-questions';
import { StudyDoseSimulator } from './study-simulator';

function estData(): Dataset {
  const result = ingestText(readEstDataCsv(), 'EstData.csv');
  if (!result.ok) throw new Error('EstData.csv did not ingest');
  return result.dataset;
}

/**
 * Today's answers at N = 200, seed 1 — `answerFiveQuestions` of the EstData-only engine as it was
 * before the study engine (commit 248c448): [scenario, target, regimen, dose (mg), successes of 200].
 */
const TODAY_N200: [string, number, string, number, number][] = [
  ['base', 0.9, 'daily', 5.5, 180],
  ['base', 0.75, 'daily', 3.5, 150],
  ['base', 0.9, 'weekly', 50, 180],
  ['base', 0.75, 'weekly', 35, 153],
  ['bw70_140', 0.9, 'daily', 8, 184],
  ['bw70_140', 0.75, 'daily', 5, 150],
  ['bw70_140', 0.9, 'weekly', 70, 180],
  ['bw70_140', 0.75, 'weekly', 50, 153],
  ['no_comed', 0.9, 'daily', 7, 186],
  ['no_comed', 0.75, 'daily', 4.5, 152],
  ['no_comed', 0.9, 'weekly', 70, 184],
  ['no_comed', 0.75, 'weekly', 45, 157],
];

/**
 * The rest of `answerFiveQuestions` at N = 200, seed 1, 5 uncertainty replicates (commit bc03053), per
 * answer in TODAY_N200's order: the MCTS answer; the neighbours [dose below, its fraction, dose above,
 * its fraction] (all consistent); the band of the answer over the 5 drawn models [p05, median, p95,
 * not reached]. Per curve, FNV-1a 64 digests (src/data/hash.ts) of the successes at every grid dose
 * and of the band points [dose, p05, median, p95], all six curves in order.
 */
const TODAY_N200_MCTS = [5.5, 3.5, 50, 35, 8, 5, 70, 50, 7, 4.5, 70, 45];
const TODAY_N200_NEIGHBOURS: [number, number, number, number][] = [
  [5, 0.89, 6, 0.935],
  [3, 0.68, 4, 0.8],
  [45, 0.865, 55, 0.915],
  [30, 0.715, 40, 0.815],
  [7.5, 0.895, 8.5, 0.94],
  [4.5, 0.7, 5.5, 0.775],
  [65, 0.875, 75, 0.905],
  [45, 0.745, 55, 0.785],
  [6.5, 0.895, 7.5, 0.94],
  [4, 0.665, 5, 0.815],
  [65, 0.895, 75, 0.935],
  [40, 0.705, 50, 0.825],
];
const TODAY_N200_BANDS: [number, number, number, number][] = [
  [4, 5.5, 6.5, 0],
  [3, 3.5, 4, 0],
  [40, 50, 60, 0],
  [30, 35, 40, 0],
  [5.5, 7.5, 8.5, 0],
  [4.5, 5, 5.5, 0],
  [50, 70, 85, 0],
  [40, 50, 50, 0],
  [5, 6, 7.5, 0],
  [4, 4, 5, 0],
  [50, 60, 80, 0],
  [35, 40, 50, 0],
];
const TODAY_N200_CURVE_SUCCESSES = 'f8dc21e99fa15695';
const TODAY_N200_CURVE_BANDS = 'ebf786e0db4c7ec5';

/** [lo, hi] of the answers (mg) the independent fits in docs/mechanistic-model.md imply (a sanity check, not a truth). */
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

function digest(vectors: readonly (readonly number[])[]): string {
  const hash = new Fnv1a64();
  for (const v of vectors) hash.numbers(v);
  return hash.hex();
}

describe('the EstData preset through the study engine', () => {
  let study: StudyDoseResult;
  const progress: DoseProgress[] = [];
  beforeAll(async () => {
    study = await answerStudyDoseQuestions(
      estData(),
      estDataPreset(),
      { questions: { virtualSubjects: 200 }, uncertainty: { replicates: 5 } },
      { onProgress: (p) => progress.push(p) },
    );
  }, 120_000);

  it('gives today’s twelve answers: the same doses and the same success counts', () => {
    expect(study.answers.map((a) => [a.scenario, a.target, a.regimen, a.dose, a.successes])).toEqual(TODAY_N200);
    study.answers.forEach((a, k) => {
      expect(a.fraction).toBe(TODAY_N200[k][4] / 200);
      expect(a.mcts?.dose).toBe(TODAY_N200_MCTS[k]);
      const [belowDose, belowFraction, aboveDose, aboveFraction] = TODAY_N200_NEIGHBOURS[k];
      expect(a.neighbours).toEqual({
        below: { dose: belowDose, fraction: belowFraction },
        above: { dose: aboveDose, fraction: aboveFraction },
        consistent: true,
      });
      expect(a.ci![0]).toBeLessThan(a.fraction!);
      expect(a.ci![1]).toBeGreaterThan(a.fraction!);
      expect(a.unit).toBe('mg');
      expect(a.flags).toEqual([]);
      expect(a.steadyState!.ok).toBe(true);
    });
  });

  it('gives the same dose–response curves, success by success, and the same uncertainty bands', () => {
    expect(study.curves).toHaveLength(6);
    study.curves.forEach((c) => {
      expect(c.points).toHaveLength(60);
      expect(c.gridStep).toBe(0.25);
    });
    expect(digest(study.curves.map((c) => c.points.map((p) => p.successes)))).toBe(TODAY_N200_CURVE_SUCCESSES);
    expect(digest(study.curves.map((c) => c.band!.flatMap((p) => [p.dose, p.p05, p.median, p.p95])))).toBe(TODAY_N200_CURVE_BANDS);
    expect(study.uncertainty.made).toBe(5);
    study.answers.forEach((a, k) => {
      const [p05, median, p95, notReached] = TODAY_N200_BANDS[k];
      expect(a.uncertainty).toEqual({ replicates: 5, p05, median, p95, notReached });
    });
  });

  it('answers within one dose step of the ranges the independent reference fits imply', () => {
    for (const a of study.answers) {
      const key = `${a.scenario}|${a.target}|${a.regimen}`;
      const [lo, hi] = NOTES[key];
      const step = a.regimen === 'daily' ? 0.5 : 5;
      expect(a.reached, key).toBe(true);
      expect(a.dose!, key).toBeGreaterThanOrEqual(lo - step);
      expect(a.dose!, key).toBeLessThanOrEqual(hi + step);
    }
  });

  it('orders the answers as the questions imply: more for the higher target, for heavier subjects and without COMED', () => {
    const dose = (scenario: string, target: number, regimen: string): number =>
      study.answers.find((a) => a.scenario === scenario && a.target === target && a.regimen === regimen)!.dose!;
    for (const regimen of ['daily', 'weekly']) {
      for (const scenario of ['base', 'bw70_140', 'no_comed'])
        expect(dose(scenario, 0.75, regimen)).toBeLessThan(dose(scenario, 0.9, regimen));
      for (const target of [0.9, 0.75]) {
        expect(dose('bw70_140', target, regimen)).toBeGreaterThan(dose('base', target, regimen));
        expect(dose('no_comed', target, regimen)).toBeGreaterThan(dose('base', target, regimen));
      }
    }
  });

  it('gives the smallest grid dose that reaches the target: monotone, at steady state, MCTS agreeing with bisection', () => {
    for (const a of study.answers) {
      const step = a.regimen === 'daily' ? 0.5 : 5;
      expect(a.dose! / step).toBeCloseTo(Math.round(a.dose! / step), 9);
      expect(a.fraction!).toBeGreaterThanOrEqual(a.target);
      expect(a.neighbours.below!.fraction).toBeLessThan(a.target);
      const curve = study.curves.find((c) => c.scenario === a.scenario && c.regimen === a.regimen)!;
      expect(curve.points.find((p) => p.dose === a.dose)!.fraction).toBe(a.fraction);
      expect(a.monotonicity.monotone).toBe(true);
      expect(a.monotonicity.subjectReversals).toBe(0);
      expect(a.steadyState!.worstRelativeDifference).toBeLessThan(0.005);
      expect(a.searchesAgree).toBe(true);
      expect(a.mcts!.certified).toBe(true);
      expect(a.search.evaluations).toBeLessThanOrEqual(8);
      const u = a.uncertainty!;
      expect(u.p05).toBeLessThanOrEqual(u.median);
      expect(u.median).toBeLessThanOrEqual(u.p95);
    }
  });

  it('reports progress by stage: the fit, the six curves, the bands', () => {
    expect([...new Set(progress.map((p) => p.stage))]).toEqual(['fit', 'questions', 'uncertainty']);
    expect(progress.filter((p) => p.stage === 'questions').pop()).toMatchObject({ done: 6, total: 6 });
    expect(progress[progress.length - 1]).toMatchObject({ stage: 'uncertainty', done: 30, total: 30 });
  });

  it('gives the same answers with MCTS as the answer method', async () => {
    const simulator = new StudyDoseSimulator(estDataPreset(), study.model, 'pd');
    const questions = { ...estDataPreset().questions!, virtualSubjects: 200 };
    const options = { units: { time: 'h' as const, amount: 'mg' as const, endpoint: 'ng/mL' }, checkSteadyState: false };
    const mcts = await answerDoseQuestions(simulator, questions, { ...options, method: 'mcts', curve: 'search' });
    expect(mcts.answers.map((a) => a.dose)).toEqual(study.answers.map((a) => a.dose));
    expect(mcts.answers.every((a) => a.method === 'mcts' && a.mcts!.certified)).toBe(true);
  });

  it('answers in the spec’s names and units, with the question in words', () => {
    expect(new Set(study.answers.map((a) => a.scenario))).toEqual(new Set(['base', 'bw70_140', 'no_comed']));
    expect(new Set(study.answers.map((a) => a.regimen))).toEqual(new Set(['daily', 'weekly']));
    expect(study.question).toBe('pd below 3.3 ng/mL throughout the last dosing interval at steady state');
    expect(study.units).toEqual({ time: 'h', amount: 'mg', endpoint: 'ng/mL' });
    const headless = toHeadlessAnswers(study);
    for (const h of headless)
      expect(Object.keys(h).sort()).toEqual(['ci', 'dose', 'dose_mg', 'fraction', 'reached', 'regimen', 'scenario', 'target', 'unit']);
    expect(JSON.parse(JSON.stringify(headless))).toEqual(headless);
  });
});

/** A truth scenario's spec with questions. */
function withQuestions(
  index: number,
  questions: Omit<QuestionsSpec, 'virtualSubjects' | 'seed'>,
  units?: Partial<StudySpec['units']>,
): StudySpec {
  const { spec } = TRUTH_SCENARIOS[index];
  return { ...spec, units: { ...spec.units, ...units }, questions: { ...questions, virtualSubjects: 200, seed: 4 } };
}

const WT = { WT: { normal: [75, 15] as [number, number], range: [45, 120] as [number, number] } };

describe('every criterion', () => {
  it('a "within" criterion scans the grid: the smallest dose reaching the target, else the best one, flagged', async () => {
    const spec = withQuestions(2, {
      endpoint: 'pd',
      criterion: { rule: 'within', range: [30, 75], window: 'throughout' },
      targets: [0.9, 0.99],
      regimens: [{ name: 'daily infusion', interval: 24, route: 'iv', duration: 1, step: 20 }],
      scenarios: [{ name: 'trial', covariates: WT }],
    });
    const result = await answerStudyQuestionsForModel(spec, TRUTH_SCENARIOS[2].truth);
    const [reached, best] = result.answers;
    const points = result.curves[0].points;
    expect(points).toHaveLength(60);
    expect(reached).toMatchObject({ method: 'scan', direction: 'not monotone', reached: true, flags: [] });
    expect(reached.dose).toBe(points.find((p) => p.fraction >= 0.9)!.dose);
    const top = Math.max(...points.map((p) => p.fraction));
    expect(top).toBeLessThan(0.99);
    expect(best).toMatchObject({ reached: false, flags: ['highest share (target not reached)'] });
    expect(best.dose).toBe(points.find((p) => p.fraction === top)!.dose);
    // Too little drug, then too much: the share rises and falls again.
    expect(points[points.length - 1].fraction).toBeLessThan(top);
    expect(result.notes.join(' ')).toMatch(/not monotone in dose/);
    expect(reached.monotonicity.expected).toBe('not monotone');
  });

  it('a concentration kept below a ceiling: success falls with the dose, the answer is the largest dose still reaching the target', async () => {
    const spec = withQuestions(1, {
      endpoint: 'pk',
      criterion: { rule: 'below', threshold: 40, window: 'throughout' },
      targets: [0.9, 0.75],
      regimens: [{ name: 'q12h', interval: 12, route: 'iv', step: 50, loading: 2 }],
      scenarios: [{ name: 'trial', covariates: WT }],
    });
    const result = await answerStudyQuestionsForModel(spec, TRUTH_SCENARIOS[1].truth);
    const points = result.curves[0].points;
    expect(points).toHaveLength(60); // never extended
    for (const a of result.answers) {
      expect(a).toMatchObject({ direction: 'falling', method: 'bisection', reached: true });
      expect(a.flags).toEqual(['largest dose (success falls with dose)']);
      const last = [...points].reverse().find((p) => p.fraction >= a.target)!;
      expect(a.dose).toBe(last.dose);
      expect(a.mcts!.dose).toBe(a.dose);
      expect(a.neighbours.below!.dose).toBe(a.dose! + 50); // the next dose in the search's order
      expect(a.neighbours.consistent).toBe(true);
      expect(a.monotonicity).toMatchObject({ expected: 'falling', monotone: true, subjectReversals: 0 });
    }
    expect(result.answers[0].dose!).toBeLessThan(result.answers[1].dose!);
    expect(result.notes.join(' ')).toMatch(/largest grid dose/);
    // A loading dose changes nothing at steady state, and the answer says so.
    expect(result.notes.join(' ')).toMatch(/loading dose \(×2\) changes how fast steady state is reached, not the steady state/);
  });

  it('a trough kept above a level rises with the dose; the grid doubles while the target is out of reach', async () => {
    const spec = withQuestions(0, {
      endpoint: 'pk',
      criterion: { rule: 'above', threshold: 1, window: 'trough' },
      targets: [0.75],
      regimens: [{ name: 'daily', interval: 24, route: 'oral', step: 100, max: 500 }],
      scenarios: [{ name: 'trial', covariates: { ...WT, SEX: { share: 0.5 } } }],
    });
    const result = await answerStudyQuestionsForModel(spec, TRUTH_SCENARIOS[0].truth);
    const [a] = result.answers;
    const curve = result.curves[0];
    expect(curve.grid[curve.grid.length - 1]).toBe(2000); // 500 doubled twice
    expect(a).toMatchObject({ direction: 'rising', reached: true, searchesAgree: true });
    expect(a.dose).toBe(curve.points.find((p) => p.fraction >= 0.75)!.dose);
    expect(a.dose!).toBeGreaterThan(1000);
  });

  it('states doses in the spec’s amount unit (dose_mg only for mg)', async () => {
    const spec = withQuestions(
      1,
      {
        endpoint: 'pk',
        criterion: { rule: 'above', threshold: 2000, window: 'average' },
        targets: [0.5],
        regimens: [{ name: 'q12h', interval: 12, route: 'iv', step: 50_000 }],
        scenarios: [{ name: 'trial', covariates: WT }],
      },
      { amount: 'µg', concentration: 'µg/L' },
    );
    const result = await answerStudyQuestionsForModel(spec, TRUTH_SCENARIOS[1].truth);
    expect(result.units.amount).toBe('µg');
    const [h] = toHeadlessAnswers(result);
    expect(h.unit).toBe('µg');
    expect('dose_mg' in h).toBe(false);
  });

  it('uses a grid of 0.25 h, at least 96 and at most 2000 panels, in the spec’s time unit', () => {
    expect(defaultGridStep(24, 'h')).toBe(0.25);
    expect(defaultGridStep(168, 'h')).toBe(0.25);
    expect(defaultGridStep(6, 'h')).toBe(6 / 96);
    expect(defaultGridStep(2000, 'h')).toBe(1);
    expect(defaultGridStep(1, 'd')).toBe(1 / 96);
    expect(defaultGridStep(7, 'd')).toBe(7 / 672);
    expect(defaultGridStep(1440, 'min')).toBe(15);
  });

  it('refuses impossible settings and stops when cancelled', async () => {
    const spec = withQuestions(1, {
      endpoint: 'pk',
      criterion: { rule: 'above', threshold: 1, window: 'trough' },
      targets: [0.9],
      regimens: [{ name: 'q12h', interval: 12, route: 'iv', step: 50 }],
      scenarios: [{ name: 'trial', covariates: WT }],
    });
    const truth = TRUTH_SCENARIOS[1].truth;
    const sim = new StudyDoseSimulator(spec, truth, 'pk');
    const q = spec.questions!;
    await expect(answerDoseQuestions(sim, { ...q, targets: [1.5] })).rejects.toThrow(DoseSettingsError);
    await expect(answerDoseQuestions(sim, q, { gridStep: 20 })).rejects.toThrow(/grid step must lie in \(0, 12\]/);
    await expect(answerDoseQuestions(sim, q, { method: 'mcts', mcts: false })).rejects.toThrow(/MCTS/);
    await expect(answerStudyQuestionsForModel({ ...spec, questions: undefined }, truth)).rejects.toThrow(
      /asks no dose questions: add a "questions" section/,
    );
    const controller = new AbortController();
    await expect(
      answerDoseQuestions(
        sim,
        { ...q, scenarios: [...q.scenarios, { name: 'again', covariates: WT }] },
        {},
        {
          signal: controller.signal,
          onProgress: (p) => p.done >= 1 && controller.abort(),
        },
      ),
    ).rejects.toThrow(DoseSearchCancelledError);
  });
});
