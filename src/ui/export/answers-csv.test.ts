import { describe, expect, it } from 'vitest';
import type { DoseAnswer } from '../../dose/dose-questions';
import { estDataPreset } from '../../study/estdata-preset';
import type { ModelAnswers } from '../doses/answer-rows';
import { answerColumns, answersCsv } from './answers-csv';

const QUESTIONS = estDataPreset().questions!;

function answer(scenario: string, target: number, regimen: string, unit: string): DoseAnswer {
  const reached = !(scenario === 'no_comed' && regimen === 'weekly');
  return {
    scenario,
    target,
    regimen,
    dose: reached ? 5 : null,
    unit,
    fraction: reached ? 0.925 : null,
    successes: reached ? 925 : null,
    n: 1000,
    ci: reached ? [0.9, 0.95] : null,
    reached,
    direction: 'rising',
    method: 'bisection',
    search: { dose: reached ? 5 : null, evaluations: 6 },
    mcts: null,
    searchesAgree: true,
    neighbours: { below: null, above: null, consistent: true },
    monotonicity: { monotone: true, decreases: [], subjectReversals: 0, dosesEvaluated: 10 },
    steadyState: null,
    flags: [],
    uncertainty: { replicates: 20, p05: 4.5, median: 5, p95: reached ? 6 : Infinity, notReached: 0 },
  };
}

function model(unit: string): ModelAnswers {
  const answers = QUESTIONS.scenarios.flatMap((s) =>
    QUESTIONS.regimens.flatMap((r) => QUESTIONS.targets.map((t) => answer(s.name, t, r.name, unit))),
  );
  return { id: 'm', label: 'Population model', kind: 'mechanistic', answers, questions: QUESTIONS, unit, question: 'q', notes: [] };
}

describe('dose answers CSV', () => {
  it('writes a row per question and model with doses, shares in %, the spread and the flags', () => {
    const lines = answersCsv([model('mg')])
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(answerColumns('mg').join(','));
    expect(lines[0]).toMatch(/^scenario,target_pct,regimen,model,model_kind,dose_mg,success_pct,/);
    expect(lines).toHaveLength(1 + 12);
    expect(lines[1]).toBe('base,90,daily,Population model,mechanistic,5,92.5,90,95,4.5,6,,,');
    expect(lines.find((l) => l.startsWith('no_comed,90,weekly'))).toBe(
      'no_comed,90,weekly,Population model,mechanistic,,,,,4.5,Inf,not reached,,',
    );
  });

  it('names the dose columns in the study’s amount unit', () => {
    const header = answersCsv([model('µg')]).split('\r\n')[0];
    expect(header).toContain(',dose_µg,');
    expect(header).toContain(',dose_p95_µg,');
    expect(header).not.toContain('_mg');
  });
});
