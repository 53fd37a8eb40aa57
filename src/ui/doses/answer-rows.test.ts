import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIMENS, DEFAULT_SCENARIOS, DEFAULT_TARGETS, type DoseAnswer } from '../../dose/five-questions';
import { compareAnswers, regimenSteps } from '../../dose/network-questions';
import { answerRows, flagsOf, type ModelAnswers, scenarioLabel } from './answer-rows';

const SETTINGS = { scenarios: DEFAULT_SCENARIOS, regimens: DEFAULT_REGIMENS, targets: DEFAULT_TARGETS, trialComedShare: 0.5 };

function answer(scenario: string, target: number, regimen: string, dose: number | null, change: Partial<DoseAnswer> = {}): DoseAnswer {
  return {
    scenario,
    target,
    regimen,
    dose_mg: dose,
    fraction: dose === null ? null : target + 0.01,
    ci: dose === null ? null : [target - 0.01, target + 0.03],
    reached: dose !== null,
    method: 'bisection',
    bisection: { dose_mg: dose, evaluations: 6 },
    mcts: null,
    searchesAgree: true,
    neighbours: { below: null, above: null, consistent: true },
    monotonicity: { monotone: true, decreases: [], subjectReversals: 0, dosesEvaluated: 10 },
    steadyState: null,
    ...change,
  };
}

/** Every question answered with `dose(scenario, target, regimen)`. */
function allAnswers(dose: (scenario: string, target: number, regimen: string) => number | null): DoseAnswer[] {
  return SETTINGS.scenarios.flatMap((s) =>
    SETTINGS.regimens.flatMap((r) => SETTINGS.targets.map((t) => answer(s.name, t, r.name, dose(s.name, t, r.name)))),
  );
}

describe('answer rows', () => {
  const mechanistic: ModelAnswers = {
    id: 'm',
    label: 'Mechanistic',
    kind: 'mechanistic',
    answers: allAnswers((_s, t, r) => (r === 'daily' ? 10 * t : 100 * t)),
    settings: SETTINGS,
  };

  it('lays the questions out as scenario × target × regimen, twelve rows', () => {
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

  it('puts a network beside the mechanistic model with its distance in mg and grid steps', () => {
    const networkAnswers = allAnswers((s, t, r) => (s === 'no_comed' && t === 0.9 ? null : r === 'daily' ? 10 * t + 1.5 : 100 * t - 10));
    const network: ModelAnswers = {
      id: 'n',
      label: 'Net',
      kind: 'network',
      answers: networkAnswers,
      settings: SETTINGS,
      differences: compareAnswers(networkAnswers, mechanistic.answers, regimenSteps(SETTINGS.regimens)),
    };
    const rows = answerRows([mechanistic, network]);
    const base = rows.find((r) => r.key === 'base|0.9|daily')!;
    expect(base.cells[1]!.difference).toEqual({ mg: 1.5, steps: 3 });
    expect(rows.find((r) => r.key === 'base|0.75|weekly')!.cells[1]!.difference).toEqual({ mg: -10, steps: -2 });
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
    expect(flagsOf(bad)).toEqual(['non-monotone', 'steady-state-failed', 'searches-disagree']);
  });

  it('describes each scenario by its body weights and COMED share', () => {
    expect(SETTINGS.scenarios.map((s) => scenarioLabel(s, 0.5))).toEqual([
      'BW 50–100 kg, COMED 50 %',
      'BW 70–140 kg, COMED 50 %',
      'BW 50–100 kg, no COMED',
    ]);
  });
});
