/**
 * Dose questions for the simulated-truth scenarios of the study fit (src/pkpd/population/testing/
 * truth-scenarios.ts: every route — oral with lag, IV bolus, IV infusion via RATE, infusions via
 * ADDL/II — and every PD family, with WT, SEX and AGE effects): one therapeutic question per
 * scenario on its response, framed near the trial's doses, and two on the concentration (a peak
 * ceiling, whose success falls with the dose, and a trough window). Each asks for 90 % and 75 % of
 * the subjects, in a scenario whose covariates follow the trial's design and one that shifts them.
 *
 * Dose steps: the largest of 1, 2, 2.5 or 5 × 10^k that is at most a tenth of the truth's 90 % answer
 * in the first scenario (set from the truth alone, before any fit was made) — the granularity of the
 * EstData questions (0.5 mg for ≈ 5.5 mg, 5 mg for ≈ 55 mg).
 *
 * `compareWithTruth` answers a question from a fit of a simulated trial and from the truth on the
 * same virtual subjects (their left-out covariates resampled from that trial's subjects), and
 * measures the difference in dose steps. Used by dose-truth.test.ts (small) and bench/dose-truth.ts.
 */
import type { StudyFitResult } from '../../pkpd/population/fit-study';
import { TRUTH_SCENARIOS, type TruthScenario } from '../../pkpd/population/testing/truth-scenarios';
import type { QuestionsSpec, StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../study/study-spec-reader';
import type { DoseEngineOptions, DoseQuestionsResult } from '../dose-questions';
import { answerStudyQuestionsForModel } from '../study-questions';
import { trialCovariates } from '../virtual-population';

export interface TruthQuestion {
  name: string;
  /** Index into TRUTH_SCENARIOS. */
  scenario: number;
  questions: Omit<QuestionsSpec, 'virtualSubjects' | 'seed' | 'targets'>;
}

const WT_TRIAL = { WT: { normal: [75, 15] as [number, number], range: [45, 120] as [number, number] } };
const WT_HEAVY = { WT: { uniform: [80, 100] as [number, number] } };
const byWeight = [
  { name: 'trial', covariates: WT_TRIAL },
  { name: 'heavy', covariates: WT_HEAVY },
];

export const TRUTH_QUESTIONS: readonly TruthQuestion[] = [
  {
    name: 'oral with lag, direct increase: PD above 20 on average',
    scenario: 0,
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'above', threshold: 20, window: 'average' },
      regimens: [{ name: 'daily', interval: 24, route: 'oral', step: 10 }],
      scenarios: [
        { name: 'trial', covariates: { ...WT_TRIAL, SEX: { share: 0.5 } } },
        { name: 'heavy', covariates: { ...WT_HEAVY, SEX: { share: 0.5 } } },
      ],
    },
  },
  {
    name: 'IV bolus, direct decrease: PD below 60 throughout',
    scenario: 1,
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'below', threshold: 60, window: 'throughout' },
      regimens: [{ name: 'q8h', interval: 8, route: 'iv', step: 25 }],
      scenarios: byWeight,
    },
  },
  {
    name: 'IV infusion (2 compartments), effect compartment: PD within 30–75 throughout',
    scenario: 2,
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'within', range: [30, 75], window: 'throughout' },
      regimens: [{ name: 'daily 1 h infusion', interval: 24, route: 'iv', duration: 1, step: 20 }],
      scenarios: byWeight,
    },
  },
  {
    name: 'IV infusion (ADDL/II), indirect inhibition of production: PD below 25 on average',
    scenario: 3,
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'below', threshold: 25, window: 'average' },
      regimens: [{ name: 'daily 2 h infusion', interval: 24, route: 'iv', duration: 2, step: 25 }],
      scenarios: [
        { name: 'trial', covariates: { AGE: { uniform: [20, 70] } } },
        { name: 'older', covariates: { AGE: { uniform: [55, 70] } } },
      ],
    },
  },
  {
    name: 'oral, indirect stimulation of production: PD above 26 on average',
    scenario: 4,
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'above', threshold: 26, window: 'average' },
      regimens: [{ name: 'daily', interval: 24, route: 'oral', step: 20 }],
      scenarios: [
        { name: 'trial', covariates: { SEX: { share: 0.5 } } },
        { name: 'men', covariates: { SEX: { share: 1 } } },
      ],
    },
  },
  {
    name: 'IV bolus, indirect inhibition of loss: PD above 15 throughout',
    scenario: 5,
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'above', threshold: 15, window: 'throughout' },
      regimens: [{ name: 'daily', interval: 24, route: 'iv', step: 50 }],
      scenarios: byWeight,
    },
  },
  {
    name: 'oral, indirect stimulation of loss: PD below 25 throughout',
    scenario: 6,
    questions: {
      endpoint: 'pd',
      criterion: { rule: 'below', threshold: 25, window: 'throughout' },
      regimens: [{ name: 'daily', interval: 24, route: 'oral', step: 50 }],
      scenarios: byWeight,
    },
  },
  {
    name: 'IV bolus, concentration: PK below a 40 mg/L ceiling throughout (success falls with the dose)',
    scenario: 1,
    questions: {
      endpoint: 'pk',
      criterion: { rule: 'below', threshold: 40, window: 'throughout' },
      regimens: [{ name: 'q12h', interval: 12, route: 'iv', step: 50 }],
      scenarios: byWeight,
    },
  },
  {
    name: 'IV infusion (ADDL/II), concentration: PK trough within 1–10 mg/L',
    scenario: 3,
    questions: {
      endpoint: 'pk',
      criterion: { rule: 'within', range: [1, 10], window: 'trough' },
      regimens: [{ name: 'daily 2 h infusion', interval: 24, route: 'iv', duration: 2, step: 25 }],
      scenarios: [
        { name: 'trial', covariates: { AGE: { uniform: [20, 70] } } },
        { name: 'older', covariates: { AGE: { uniform: [55, 70] } } },
      ],
    },
  },
];

export const TRUTH_TARGETS = [0.9, 0.75];

/** The scenario's spec with the question (through the one validator: a question that does not read is a bug here). */
export function truthQuestionSpec(
  question: TruthQuestion,
  virtualSubjects: number,
  seed: number,
): { scenario: TruthScenario; spec: StudySpec } {
  const scenario = TRUTH_SCENARIOS[question.scenario];
  const questions: QuestionsSpec = { ...question.questions, targets: TRUTH_TARGETS, virtualSubjects, seed };
  const reading = readStudySpec({ ...scenario.spec, questions });
  if (!reading.ok) throw new Error(`${question.name}: ${describeSpecProblems(reading.problems)}`);
  return { scenario, spec: reading.spec };
}

export interface TruthAnswer {
  scenario: string;
  target: number;
  regimen: string;
  truth: number | null;
  fitted: number | null;
  truthReached: boolean;
  fittedReached: boolean;
  /** (fitted − truth) / step where both reached; null otherwise. */
  steps: number | null;
  /** The truth inside the fitted answer's 90 % parameter-uncertainty band (± one step), when bands were made. */
  inBand?: boolean;
}

/** Answers from the fitted model and from the truth on the same virtual subjects, side by side (see the file comment). */
export async function compareWithTruth(
  question: TruthQuestion,
  fit: StudyFitResult,
  fitted: DoseQuestionsResult | null,
  options: Pick<DoseEngineOptions, 'mcts' | 'checkSteadyState'> & { virtualSubjects: number; seed: number },
): Promise<{ truth: DoseQuestionsResult; fitted: DoseQuestionsResult; answers: TruthAnswer[] }> {
  const { scenario, spec } = truthQuestionSpec(question, options.virtualSubjects, options.seed);
  const trial = trialCovariates(fit.study.subjects);
  const engine = { mcts: options.mcts, checkSteadyState: options.checkSteadyState, trial };
  const truth = await answerStudyQuestionsForModel(spec, scenario.truth, engine);
  const mine = fitted ?? (await answerStudyQuestionsForModel(spec, fit.model, engine));
  const step = (regimen: string): number => spec.questions!.regimens.find((r) => r.name === regimen)!.step;
  const answers = truth.answers.map((t, k): TruthAnswer => {
    const f = mine.answers[k];
    if (f.scenario !== t.scenario || f.target !== t.target || f.regimen !== t.regimen)
      throw new Error('compareWithTruth: answers out of order');
    const both = t.reached && f.reached && t.dose !== null && f.dose !== null;
    const answer: TruthAnswer = {
      scenario: t.scenario,
      target: t.target,
      regimen: t.regimen,
      truth: t.dose,
      fitted: f.dose,
      truthReached: t.reached,
      fittedReached: f.reached,
      steps: both ? Math.round(((f.dose as number) - (t.dose as number)) / step(t.regimen)) : null,
    };
    if (f.uncertainty && t.dose !== null) {
      const s = step(t.regimen);
      answer.inBand = t.dose >= f.uncertainty.p05 - s && t.dose <= f.uncertainty.p95 + s;
    }
    return answer;
  });
  return { truth, fitted: mine, answers };
}
