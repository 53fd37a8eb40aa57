/**
 * The dose answers as CSV in long form: one row per scenario × target × regimen × model (the study's
 * names), with the dose in the spec's amount unit (named in the header: dose_mg, dose_µg …), the share
 * of virtual subjects meeting the criterion and its 95 % interval (in %), the 5th–95th percentile of
 * the dose over uncertainty replicates (Inf: not reached in some), the flags, and a network's distance
 * from the population model's answer. Pure.
 */
import { type CsvCell, type CsvExport, csvText } from '../../export/csv';
import { answerRows, FLAG_LABELS, type ModelAnswers } from '../doses/answer-rows';

/** The columns, with the dose unit in the names of dose columns. */
export function answerColumns(unit: string): string[] {
  return [
    'scenario',
    'target_pct',
    'regimen',
    'model',
    'model_kind',
    `dose_${unit}`,
    'success_pct',
    'success_ci_low_pct',
    'success_ci_high_pct',
    `dose_p05_${unit}`,
    `dose_p95_${unit}`,
    'flags',
    `delta_vs_reference_${unit}`,
    'delta_vs_reference_steps',
  ];
}

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
              cell.difference?.dose ?? null,
              cell.difference?.steps ?? null,
            ],
          ]
        : [],
    ),
  );
  return csvText(answerColumns(models[0]?.unit ?? ''), rows);
}

export function answersExport(models: readonly ModelAnswers[]): CsvExport {
  return { fileName: 'dose-answers.csv', label: 'the dose answers table', text: () => answersCsv(models) };
}
