/**
 * The answers of every model as one table, in the study's own names: a row per scenario × target ×
 * regimen (the spec's names and order), a cell per model with the dose in the spec's amount unit, the
 * success share and its interval, the spread over uncertainty replicates and the flags a reader must
 * see; network cells also carry their distance from the population model's answer (as compareAnswers
 * measured it in the worker). Scenarios are described by their covariate distributions ("WT uniform
 * 50–100, SEX 50 % = 1"), the question in words. Pure shaping (no DOM).
 */
import type { DoseAnswer } from '../../dose/dose-questions';
import type { AnsweredQuestions } from '../../dose/dose-run-report';
import type { CovariateDistribution, QuestionsSpec, ScenarioSpec } from '../../study/study-spec';
import { formatSignificant } from '../../text/format';

export interface ModelAnswers {
  id: string;
  label: string;
  kind: 'mechanistic' | 'network';
  answers: readonly DoseAnswer[];
  questions: QuestionsSpec;
  /** The dose unit (the spec's amount unit). */
  unit: string;
  /** The question in words, as the run asked it. */
  question: string;
  notes: readonly string[];
  /** A network's answers minus the reference ones (compareAnswers), when both ran. */
  differences?: readonly { scenario: string; target: number; regimen: string; mg: number | null; steps: number | null }[] | null;
}

/** The table's view of a run's report. */
export function modelAnswersOf(
  id: string,
  report: AnsweredQuestions & { kind: 'mechanistic' | 'network'; differences?: ModelAnswers['differences'] },
): ModelAnswers {
  return {
    id,
    label: report.label,
    kind: report.kind,
    answers: report.answers,
    questions: report.questions,
    unit: report.units.amount,
    question: report.question,
    notes: report.notes,
    differences: report.kind === 'network' ? (report.differences ?? null) : null,
  };
}

export type AnswerFlag = 'not-reached' | 'highest-share' | 'largest-dose' | 'non-monotone' | 'searches-disagree' | 'steady-state-failed';

export const FLAG_LABELS: Readonly<Record<AnswerFlag, string>> = {
  'not-reached': 'not reached',
  'highest-share': 'highest share (target not reached)',
  'largest-dose': 'largest dose (success falls with dose)',
  'non-monotone': 'non-monotone',
  'searches-disagree': 'searches differ',
  'steady-state-failed': 'no steady state',
};

/** Short forms for the narrow table, each explained by its `<abbr>` title and the legend below it. */
export const FLAG_ABBREVIATIONS: Readonly<Record<AnswerFlag, string>> = {
  'not-reached': 'NR',
  'highest-share': 'HS',
  'largest-dose': 'LD',
  'non-monotone': 'NM',
  'searches-disagree': 'DIS',
  'steady-state-failed': 'NSS',
};

export interface AnswerCell {
  dose: number | null;
  fraction: number | null;
  ci: [number, number] | null;
  /** 5th–95th percentile of the answer over uncertainty replicates (Infinity: not reached in some). */
  range: { p05: number; p95: number } | null;
  flags: AnswerFlag[];
  /** This answer minus the reference one, in the dose unit and in grid steps; null when either is missing. */
  difference: { dose: number; steps: number } | null;
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
  if (!a.reached) flags.push(a.dose === null ? 'not-reached' : 'highest-share');
  if (a.direction === 'falling') flags.push('largest-dose');
  if (!a.monotonicity.monotone || a.monotonicity.subjectReversals > 0 || !a.neighbours.consistent) flags.push('non-monotone');
  if (!a.searchesAgree) flags.push('searches-disagree');
  if (a.steadyState && !a.steadyState.ok) flags.push('steady-state-failed');
  return flags;
}

const keyOf = (scenario: string, target: number, regimen: string): string => `${scenario}|${target}|${regimen}`;

/** The questions the table is laid out by: the reference model's (the first population model), else the first model's. */
export function tableQuestions(models: readonly ModelAnswers[]): QuestionsSpec | null {
  return (models.find((m) => m.kind === 'mechanistic') ?? models[0])?.questions ?? null;
}

export function answerRows(models: readonly ModelAnswers[]): AnswerRow[] {
  const questions = tableQuestions(models);
  if (!questions) return [];
  const byKey = <T extends { scenario: string; target: number; regimen: string }>(items: readonly T[] | null | undefined): Map<string, T> =>
    new Map((items ?? []).map((x) => [keyOf(x.scenario, x.target, x.regimen), x]));
  const answers = models.map((m) => byKey(m.answers));
  const differences = models.map((m) => byKey(m.differences));
  const rows: AnswerRow[] = [];
  for (const scenario of questions.scenarios) {
    for (const target of questions.targets) {
      for (const regimen of questions.regimens) {
        const key = keyOf(scenario.name, target, regimen.name);
        const cells = models.map((_, m): AnswerCell | null => {
          const a = answers[m].get(key);
          if (!a) return null;
          const d = differences[m].get(key);
          return {
            dose: a.dose,
            fraction: a.fraction,
            ci: a.ci,
            range: a.uncertainty ? { p05: a.uncertainty.p05, p95: a.uncertainty.p95 } : null,
            flags: flagsOf(a),
            difference: d && d.mg !== null && d.steps !== null ? { dose: d.mg, steps: d.steps } : null,
          };
        });
        rows.push({ key, scenario: scenario.name, target, regimen: regimen.name, cells });
      }
    }
  }
  return rows;
}

function distributionText(column: string, d: CovariateDistribution): string {
  const n = (x: number): string => formatSignificant(x);
  if ('uniform' in d) return `${column} uniform ${n(d.uniform[0])}–${n(d.uniform[1])}`;
  if ('normal' in d)
    return `${column} normal (mean ${n(d.normal[0])}, SD ${n(d.normal[1])}${d.range ? `, ${n(d.range[0])}–${n(d.range[1])}` : ''})`;
  if ('share' in d) return d.share === 0 ? `${column} = 0` : d.share === 1 ? `${column} = 1` : `${column} = 1 in ${n(100 * d.share)} %`;
  return `${column} one of ${d.values.slice(0, 6).map(n).join(', ')}${d.values.length > 6 ? ', …' : ''}`;
}

/** "WT uniform 50–100, SEX = 1 in 50 %; other covariates resampled from the trial", or "covariates resampled from the trial". */
export function scenarioLabel(spec: ScenarioSpec): string {
  if (spec.covariates === 'resample') return 'covariates resampled from the trial';
  const given = Object.entries(spec.covariates).map(([column, d]) => distributionText(column, d));
  return given.length === 0 ? 'covariates resampled from the trial' : `${given.join(', ')}; other covariates resampled from the trial`;
}

/** "every 24 h, oral", "every 12 h, IV infusion over 0.3333 h, loading ×2". */
export function regimenLabel(regimen: QuestionsSpec['regimens'][number], timeUnit: string): string {
  const route =
    regimen.route === 'oral'
      ? 'oral'
      : regimen.duration !== undefined
        ? `IV infusion over ${formatSignificant(regimen.duration)} ${timeUnit}`
        : 'IV bolus';
  return `every ${formatSignificant(regimen.interval)} ${timeUnit}, ${route}${regimen.loading !== undefined && regimen.loading !== 1 ? `, loading ×${formatSignificant(regimen.loading)}` : ''}`;
}
