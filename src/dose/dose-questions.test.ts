/**
 * The dose-questions engine over a study spec: the EstData preset reproduces the EstData-only
 * answers exactly, and the engine handles every criterion — rising, falling and "within" success —
 * with the spec's names and units.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { TRUTH_SCENARIOS } from '../pkpd/population/testing/truth-scenarios';
import type { QuestionsSpec, StudySpec } from '../study/study-spec';
import { readEstDataCsv } from '../testing/fixture-files';
import { answerDoseQuestions, toHeadlessAnswers } from './dose-questions';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { estDataPreset } from './estdata-preset';
import { answerFiveQuestions, type FiveQuestionsResult } from './five-questions';
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

describe('the EstData preset through the study engine', () => {
  let study: StudyDoseResult;
  let old: FiveQuestionsResult;
  beforeAll(async () => {
    const data = estData();
    study = await answerStudyDoseQuestions(data, estDataPreset(), { questions: { virtualSubjects: 200 }, uncertainty: { replicates: 5 } });
    old = await answerFiveQuestions(data, { nVirtual: 200, uncertainty: { replicates: 5 } });
  }, 120_000);

  it('gives today’s twelve answers: the same doses and the same success counts', () => {
    expect(study.answers.map((a) => [a.scenario, a.target, a.regimen, a.dose, a.successes])).toEqual(TODAY_N200);
    expect(old.answers.map((a) => [a.scenario, a.target, a.regimen, a.dose_mg])).toEqual(TODAY_N200.map((t) => t.slice(0, 4)));
    study.answers.forEach((a, k) => {
      const o = old.answers[k];
      expect(a.fraction).toBe(o.fraction);
      expect(a.ci).toEqual(o.ci);
      expect(a.mcts?.dose).toBe(o.mcts?.dose_mg);
      expect(a.neighbours).toEqual(o.neighbours);
      expect(a.unit).toBe('mg');
      expect(a.flags).toEqual([]);
      expect(a.steadyState!.ok).toBe(true);
    });
  });

  it('gives the same dose–response curves, success by success, and the same uncertainty bands', () => {
    expect(study.curves).toHaveLength(6);
    study.curves.forEach((c, k) => {
      expect(c.points.map((p) => p.successes)).toEqual(old.curves[k].points.map((p) => p.successes));
      expect(c.points).toHaveLength(60);
      expect(c.band).toEqual(old.curves[k].band);
      expect(c.gridStep).toBe(0.25);
    });
    expect(study.uncertainty.made).toBe(5);
    study.answers.forEach((a, k) => expect(a.uncertainty).toEqual(old.answers[k].uncertainty));
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
