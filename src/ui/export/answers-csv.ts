/**
 * The dose answers as CSV in long form: one row per scenario × target × regimen × model, with the
 * dose, the share suppressed and its 95 % interval (in %), the 5th–95th percentile of the dose over
 * uncertainty replicates (Inf: not reached in some), the flags, and a network's distance from the
 * mechanistic answer. Pure.
 */
import { type CsvCell, type CsvExport, csvText } from '../../export/csv';
import { answerRows, FLAG_LABELS, type ModelAnswers } from '../doses/answer-rows';

export const ANSWER_COLUMNS = [
  'scenario',
  'target_pct',
  'regimen',
  'model',
  'model_kind',
  'dose_mg',
  'suppressed_pct',
  'suppressed_ci_low_pct',
  'suppressed_ci_high_pct',
  'dose_p05_mg',
  'dose_p95_mg',
  'flags',
  'delta_vs_mechanistic_mg',
  'delta_vs_mechanistic_steps',
] as const;

const percent = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : x * 100);

export function answersCsv(models: readonly ModelAnswers[]): string {
  const rows: CsvCell[][] = answerRows(models).flatMap((row) =>
    row.cells.flatMap((cell, m) =>
      cell
        ? [
            [
              row.scenario,
              percent(row.target),
              row.regimen,
              models[m].label,
              models[m].kind,
              cell.dose,
              percent(cell.fraction),
              percent(cell.ci?.[0]),
              percent(cell.ci?.[1]),
              cell.range?.p05 ?? null,
              cell.range?.p95 ?? null,
              cell.flags.map((f) => FLAG_LABELS[f]).join('; '),
              cell.difference?.mg ?? null,
              cell.difference?.steps ?? null,
            ],
          ]
        : [],
    ),
  );
  return csvText(ANSWER_COLUMNS, rows);
}

export function answersExport(models: readonly ModelAnswers[]): CsvExport {
  return { fileName: 'dose-answers.csv', label: 'the dose answers table', text: () => answersCsv(models) };
}
