/**
 * Dose answers with a simulated truth, for any study: trials of 200 subjects simulated from known
 * models (src/pkpd/population/testing/truth-scenarios.ts — oral with lag, IV bolus, IV infusion via
 * RATE, infusions via ADDL/II; direct increase and decrease, effect compartment, the four indirect
 * types; WT, SEX and AGE effects) are fitted with `fitStudy`, and each scenario's dose questions
 * (testing/truth-questions.ts: one on the response, two on the concentration — a peak ceiling whose
 * success falls with the dose and a trough window) are answered from the fit and from the truth on
 * the same virtual subjects (their covariates resampled from that trial's subjects, so Monte-Carlo
 * error largely cancels). Steps are about a tenth of the truth's answer.
 *
 * What a 200-subject trial allows: most answers within one dose step of the truth's, none far off
 * (a parameter estimated two standard errors away — BASE of the stimulated production, 2.4 SE low
 * in its trial — moves an answer by two or three steps). This small version — one trial per scenario (seeds
 * 2000 + index, the first, not searched ones), 300 virtual subjects — asserts at least 80 % within one
 * step and none beyond three; the full study is bench/dose-truth.ts (three trials per scenario, 1000
 * virtual subjects, parameter-uncertainty bands).
 */
import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import { fitStudy, type StudyFitResult } from '../pkpd/population/fit-study';
import { simulateStudyTrial } from '../pkpd/population/simulate-study';
import { TRUTH_SCENARIOS } from '../pkpd/population/testing/truth-scenarios';
import { compareWithTruth, TRUTH_QUESTIONS, type TruthAnswer } from './testing/truth-questions';

const SUBJECTS = 200;
const fits = new Map<number, StudyFitResult>();

function fitOf(index: number): StudyFitResult {
  let fit = fits.get(index);
  if (!fit) {
    const scenario = TRUTH_SCENARIOS[index];
    const trial = simulateStudyTrial(scenario.spec, scenario.truth, scenario.design(SUBJECTS), 2000 + index);
    const ingested = ingestText(trial.csv, 'truth.csv');
    if (!ingested.ok) throw new Error(ingested.errors.map((e) => e.message).join('; '));
    fit = fitStudy(ingested.dataset, scenario.spec, { covariance: false });
    fits.set(index, fit);
  }
  return fit;
}

describe('dose answers of a fitted study against its simulated truth', () => {
  const all: (TruthAnswer & { question: string })[] = [];

  it.each(TRUTH_QUESTIONS.map((q) => [q.name, q] as const))(
    '%s',
    async (_, question) => {
      const { truth, answers } = await compareWithTruth(question, fitOf(question.scenario), null, {
        virtualSubjects: 300,
        seed: 1,
        mcts: false,
        checkSteadyState: false,
      });
      console.log(
        `${question.name}\n${answers.map((a) => `  ${a.scenario.padEnd(6)} ${a.target}  truth ${a.truth}  fitted ${a.fitted}  steps ${a.steps}`).join('\n')}`,
      );
      for (const a of answers) {
        // Each truth answer is reached (the questions were framed so), and so is the fit's.
        expect(a.truthReached, `${a.scenario} ${a.target}`).toBe(true);
        expect(a.fittedReached, `${a.scenario} ${a.target}`).toBe(true);
        all.push({ ...a, question: question.name });
      }
      // The second scenario's covariates move the truth's answers.
      expect(new Set(truth.answers.map((a) => a.dose)).size).toBeGreaterThan(2);
      if (question.questions.criterion.rule === 'within') expect(truth.answers.every((a) => a.direction === 'not monotone')).toBe(true);
      if (question.questions.endpoint === 'pk' && question.questions.criterion.rule === 'below') {
        // A concentration ceiling: success falls with the dose, the answer is the largest dose reaching the target.
        expect(truth.answers.every((a) => a.direction === 'falling')).toBe(true);
        const [p90, p75] = truth.answers;
        expect(p90.dose!).toBeLessThan(p75.dose!);
      }
    },
    60_000,
  );

  it('puts most answers within one dose step of the truth, and none far off', () => {
    expect(all).toHaveLength(TRUTH_QUESTIONS.length * 4);
    const off = all.map((a) => Math.abs(a.steps as number));
    const within = off.filter((s) => s <= 1).length / off.length;
    console.log(`within one step: ${(100 * within).toFixed(0)} % of ${off.length}; worst ${Math.max(...off)} steps`);
    expect(within).toBeGreaterThanOrEqual(0.8);
    expect(Math.max(...off)).toBeLessThanOrEqual(3);
  });
});
