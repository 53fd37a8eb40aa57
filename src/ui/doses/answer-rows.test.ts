import { describe, expect, it } from 'vitest';
import type { DoseAnswer } from '../../dose/dose-questions';
import { estDataPreset } from '../../study/estdata-preset';
import { comparableAnswer, compareAnswers, regimenSteps } from '../../dose/network-questions';
import type { QuestionsSpec } from '../../study/study-spec';
import { answerRows, flagsOf, type ModelAnswers, regimenLabel, scenarioLabel } from './answer-rows';

const QUESTIONS: QuestionsSpec = estDataPreset().questions!;

function answer(scenario: string, target: number, regimen: string, dose: number | null, change: Partial<DoseAnswer> = {}): DoseAnswer {
  return {
    scenario,
    target,
    regimen,
    dose,
    unit: 'mg',
    fraction: dose === null ? null : target + 0.01,
    successes: dose === null ? null : Math.round(1000 * (target + 0.01)),
    n: 1000,
    ci: dose === null ? null : [target - 0.01, target + 0.03],
    reached: dose !== null,
    direction: 'rising',
    method: 'bisection',
    search: { dose, evaluations: 6 },
    mcts: null,
    searchesAgree: true,
    neighbours: { below: null, above: null, consistent: true },
    monotonicity: { monotone: true, decreases: [], subjectReversals: 0, dosesEvaluated: 10 },
    steadyState: null,
    flags: [],
    ...change,
  };
}

/** Every question answered with `dose(scenario, target, regimen)`. */
function allAnswers(dose: (scenario: string, target: number, regimen: string) => number | null): DoseAnswer[] {
  return QUESTIONS.scenarios.flatMap((s) =>
    QUESTIONS.regimens.flatMap((r) => QUESTIONS.targets.map((t) => answer(s.name, t, r.name, dose(s.name, t, r.name)))),
  );
}

const model = (id: string, kind: ModelAnswers['kind'], answers: DoseAnswer[], change: Partial<ModelAnswers> = {}): ModelAnswers => ({
  id,
  label: id,
  kind,
  answers,
  questions: QUESTIONS,
  unit: 'mg',
  question: 'PD (Biomarker) below 3.3 ng/mL throughout the last dosing interval at steady state',
  notes: [],
  ...change,
});

describe('answer rows', () => {
  const mechanistic = model(
    'm',
    'mechanistic',
    allAnswers((_s, t, r) => (r === 'daily' ? 10 * t : 100 * t)),
  );

  it('lays the questions out as scenario × target × regimen in the spec’s names and order, twelve rows', () => {
    const rows = answerRows([mechanistic]);
    expect(rows.map((r) => r.key)).toEqual([
      'base|0.9|daily',
      'base|0.9|weekly',
      'base|0.75|daily',
      'base|0.75|weekly',
      'bw70_140|0.9|daily',
      'bw70_140|0.9|weekly',
      'bw70_140|0.75|daily',
      'bw70_140|0.75|weekly',
      'no_comed|0.9|daily',
      'no_comed|0.9|weekly',
      'no_comed|0.75|daily',
      'no_comed|0.75|weekly',
    ]);
    expect(rows[1].cells[0]).toMatchObject({ dose: 90, fraction: 0.91, ci: [0.89, 0.93], flags: [], difference: null, range: null });
  });

  it('lays out any study’s questions by its own names (a phenobarbital-like spec)', () => {
    const questions: QuestionsSpec = {
      ...QUESTIONS,
      targets: [0.5],
      regimens: [{ name: 'every 12 h', interval: 12, route: 'iv', step: 0.25 }],
      scenarios: [
        { name: 'trial', covariates: 'resample' },
        { name: 'preterm', covariates: { WT: { uniform: [0.5, 1.5] } } },
      ],
    };
    const answers = [answer('trial', 0.5, 'every 12 h', 3, { unit: 'µg' }), answer('preterm', 0.5, 'every 12 h', null, { unit: 'µg' })];
    const rows = answerRows([model('m', 'mechanistic', answers, { questions, unit: 'µg' })]);
    expect(rows.map((r) => r.key)).toEqual(['trial|0.5|every 12 h', 'preterm|0.5|every 12 h']);
    expect(rows[1].cells[0]).toMatchObject({ dose: null, flags: ['not-reached'] });
  });

  it('puts a network beside the population model with its distance in the dose unit and grid steps', () => {
    const networkAnswers = allAnswers((s, t, r) => (s === 'no_comed' && t === 0.9 ? null : r === 'daily' ? 10 * t + 1.5 : 100 * t - 10));
    const network = model('n', 'network', networkAnswers, {
      differences: compareAnswers(
        networkAnswers.map(comparableAnswer),
        mechanistic.answers.map(comparableAnswer),
        regimenSteps(QUESTIONS.regimens),
      ),
    });
    const rows = answerRows([mechanistic, network]);
    const base = rows.find((r) => r.key === 'base|0.9|daily')!;
    expect(base.cells[1]!.difference).toEqual({ dose: 1.5, steps: 3 });
    expect(rows.find((r) => r.key === 'base|0.75|weekly')!.cells[1]!.difference).toEqual({ dose: -10, steps: -2 });
    const missed = rows.find((r) => r.key === 'no_comed|0.9|weekly')!.cells[1]!;
    expect(missed.dose).toBeNull();
    expect(missed.difference).toBeNull();
    expect(missed.flags).toEqual(['not-reached']);
  });

  it('raises a flag for each problem of an answer', () => {
    const bad = answer('base', 0.9, 'daily', 5, {
      searchesAgree: false,
      monotonicity: {
        monotone: false,
        decreases: [{ from: 4, to: 4.5, fractionFrom: 0.8, fractionTo: 0.79 }],
        subjectReversals: 3,
        dosesEvaluated: 10,
      },
      steadyState: { method: 'x', worstRelativeDifference: 0.05, tolerance: 0.01, ok: false, subjectsChecked: 4, intervalsSimulated: 20 },
    });
    expect(flagsOf(bad)).toEqual(['non-monotone', 'searches-disagree', 'steady-state-failed']);
    expect(flagsOf(answer('base', 0.9, 'daily', 5, { reached: false }))).toEqual(['highest-share']);
    expect(flagsOf(answer('base', 0.9, 'daily', 5, { direction: 'falling' }))).toEqual(['largest-dose']);
  });

  it('describes each scenario by its covariate distributions and each regimen by its interval and route', () => {
    expect(QUESTIONS.scenarios.map(scenarioLabel)).toEqual([
      'BW uniform 50–100, COMED = 1 in 50 %; other covariates resampled from the trial',
      'BW uniform 70–140, COMED = 1 in 50 %; other covariates resampled from the trial',
      'BW uniform 50–100, COMED = 0; other covariates resampled from the trial',
    ]);
    expect(scenarioLabel({ name: 'trial', covariates: 'resample' })).toBe('covariates resampled from the trial');
    expect(scenarioLabel({ name: 'x', covariates: { WT: { normal: [75, 15], range: [45, 120] } } })).toBe(
      'WT normal (mean 75, SD 15, 45–120); other covariates resampled from the trial',
    );
    expect(regimenLabel(QUESTIONS.regimens[0], 'h')).toBe('every 24 h, oral');
    expect(regimenLabel({ name: 'i', interval: 12, route: 'iv', duration: 0.5, loading: 2, step: 5 }, 'h')).toBe(
      'every 12 h, IV infusion over 0.5 h, loading ×2',
    );
  });
});
