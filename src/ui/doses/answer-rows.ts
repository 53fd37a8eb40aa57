/**
 * The answers of every model as one table: a row per scenario × target × regimen, a cell per model
 * with the dose, the success fraction and its interval, the spread over uncertainty replicates and
 * the flags a reader must see; network cells also carry their distance from the mechanistic answer
 * (as compareAnswers measured it in the worker).
 * Pure shaping (no DOM).
 */
import type { DoseAnswer, RegimenSpec, ScenarioSpec } from '../../dose/five-questions';
import type { AnswerDifference } from '../../dose/network-questions';

export interface ModelAnswers {
  id: string;
  label: string;
  kind: 'mechanistic' | 'network';
  answers: readonly DoseAnswer[];
  settings: { scenarios: readonly ScenarioSpec[]; regimens: readonly RegimenSpec[]; targets: readonly number[]; trialComedShare: number };
  /** A network's answers minus the mechanistic ones (compareAnswers), when both ran. */
  differences?: readonly AnswerDifference[] | null;
}

export type AnswerFlag = 'not-reached' | 'non-monotone' | 'steady-state-failed' | 'searches-disagree';

export const FLAG_LABELS: Readonly<Record<AnswerFlag, string>> = {
  'not-reached': 'not reached',
  'non-monotone': 'non-monotone',
  'steady-state-failed': 'no steady state',
  'searches-disagree': 'searches differ',
};

export interface AnswerCell {
  dose: number | null;
  fraction: number | null;
  ci: [number, number] | null;
  /** 5th–95th percentile of the answer over uncertainty replicates (Infinity: not reached in some). */
  range: { p05: number; p95: number } | null;
  flags: AnswerFlag[];
  /** This answer minus the mechanistic one, in mg and in grid steps; null when either is missing. */
  difference: { mg: number; steps: number } | null;
}

export interface AnswerRow {
  key: string;
  scenario: string;
  target: number;
  regimen: string;
  /** One per model, in the models' order; null where a model has no answer for the row. */
  cells: (AnswerCell | null)[];
}

export function flagsOf(a: DoseAnswer): AnswerFlag[] {
  const flags: AnswerFlag[] = [];
  if (!a.reached) flags.push('not-reached');
  if (!a.monotonicity.monotone || !a.neighbours.consistent) flags.push('non-monotone');
  if (a.steadyState && !a.steadyState.ok) flags.push('steady-state-failed');
  if (!a.searchesAgree) flags.push('searches-disagree');
  return flags;
}

const keyOf = (scenario: string, target: number, regimen: string): string => `${scenario}|${target}|${regimen}`;

export function answerRows(models: readonly ModelAnswers[]): AnswerRow[] {
  if (models.length === 0) return [];
  const byKey = <T extends { scenario: string; target: number; regimen: string }>(items: readonly T[] | null | undefined): Map<string, T> =>
    new Map((items ?? []).map((x) => [keyOf(x.scenario, x.target, x.regimen), x]));
  const answers = models.map((m) => byKey(m.answers));
  const differences = models.map((m) => byKey(m.differences));
  const { scenarios, targets, regimens } = (models.find((m) => m.kind === 'mechanistic') ?? models[0]).settings;
  const rows: AnswerRow[] = [];
  for (const scenario of scenarios) {
    for (const target of targets) {
      for (const regimen of regimens) {
        const key = keyOf(scenario.name, target, regimen.name);
        const cells = models.map((_, m): AnswerCell | null => {
          const a = answers[m].get(key);
          if (!a) return null;
          const d = differences[m].get(key);
          return {
            dose: a.dose_mg,
            fraction: a.fraction,
            ci: a.ci,
            range: a.uncertainty ? { p05: a.uncertainty.p05, p95: a.uncertainty.p95 } : null,
            flags: flagsOf(a),
            difference: d && d.mg !== null && d.steps !== null ? { mg: d.mg, steps: d.steps } : null,
          };
        });
        rows.push({ key, scenario: scenario.name, target, regimen: regimen.name, cells });
      }
    }
  }
  return rows;
}

/** "Base: BW 50–100 kg, COMED 50 %" style label of a scenario. */
export function scenarioLabel(spec: ScenarioSpec, trialComedShare: number): string {
  const share = spec.comedShare === 'trial' ? trialComedShare : spec.comedShare;
  const comed = share === 0 ? 'no COMED' : `COMED ${Math.round(share * 100)} %`;
  return `BW ${spec.bwRange[0]}–${spec.bwRange[1]} kg, ${comed}`;
}

export const SCENARIO_TITLES: Readonly<Record<string, string>> = { base: 'Base', bw70_140: 'Heavier', no_comed: 'No COMED' };
export const REGIMEN_TITLES: Readonly<Record<string, string>> = { daily: 'Daily', weekly: 'Weekly' };
