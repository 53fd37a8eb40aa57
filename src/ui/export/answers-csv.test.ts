import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIMENS, DEFAULT_SCENARIOS, DEFAULT_TARGETS, type DoseAnswer } from '../../dose/five-questions';
import type { ModelAnswers } from '../doses/answer-rows';
import { ANSWER_COLUMNS, answersCsv } from './answers-csv';

const SETTINGS = { scenarios: DEFAULT_SCENARIOS, regimens: DEFAULT_REGIMENS, targets: DEFAULT_TARGETS, trialComedShare: 0.5 };

function answer(scenario: string, target: number, regimen: string): DoseAnswer {
  const reached = !(scenario === 'no_comed' && regimen === 'weekly');
  return {
    scenario,
    target,
    regimen,
    dose_mg: reached ? 5 : null,
    fraction: reached ? 0.925 : null,
    ci: reached ? [0.9, 0.95] : null,
    reached,
    method: 'bisection',
    bisection: { dose_mg: reached ? 5 : null, evaluations: 6 },
    mcts: null,
    searchesAgree: true,
    neighbours: { below: null, above: null, consistent: true },
    monotonicity: { monotone: true, decreases: [], subjectReversals: 0, dosesEvaluated: 10 },
    steadyState: null,
    uncertainty: { replicates: 20, p05: 4.5, median: 5, p95: reached ? 6 : Infinity, notReached: 0 },
  };
}

describe('dose answers CSV', () => {
  const answers = SETTINGS.scenarios.flatMap((s) =>
    SETTINGS.regimens.flatMap((r) => SETTINGS.targets.map((t) => answer(s.name, t, r.name))),
  );
  const mechanistic: ModelAnswers = { id: 'm', label: 'Mechanistic population model', kind: 'mechanistic', answers, settings: SETTINGS };

  it('writes a row per question and model with doses, shares in %, the spread and the flags', () => {
    const lines = answersCsv([mechanistic]).trimEnd().split('\r\n');
    expect(lines[0]).toBe(ANSWER_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 12);
    expect(lines[1]).toBe('base,90,daily,Mechanistic population model,mechanistic,5,92.5,90,95,4.5,6,,,');
    expect(lines.find((l) => l.startsWith('no_comed,90,weekly'))).toBe(
      'no_comed,90,weekly,Mechanistic population model,mechanistic,,,,,4.5,Inf,not reached,,',
    );
  });
});
