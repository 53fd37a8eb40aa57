/**
 * A model's predictions as CSV: one row per observation (PK rows, then PD rows) with the subject,
 * time, observed and predicted values, the MC-dropout SD (empty without it), the residual, the
 * target and the unit of the four values. Pure.
 */
import type { TargetReport } from '../model/report/types';
import { type CsvExport, csvText } from './csv';

export const PREDICTION_COLUMNS = ['subject', 'time_h', 'observed', 'predicted', 'sd', 'residual', 'target', 'unit'] as const;

export function predictionsCsv(targets: readonly TargetReport[]): string {
  const rows = targets.flatMap((t) =>
    t.points.map((p) => [p.subject, p.time, p.observed, p.predicted, p.sd, p.residual, t.target, t.unit]),
  );
  return csvText(PREDICTION_COLUMNS, rows);
}

/** The predictions of `targets` as a download, e.g. "predictions-validation-pk-pd.csv". */
export function predictionsExport(targets: readonly TargetReport[], subjectSet: string | null = null): CsvExport {
  const names = targets.map((t) => t.target);
  return {
    fileName: `predictions-${subjectSet ? `${subjectSet}-` : ''}${names.join('-')}.csv`,
    label: `the ${names.map((n) => n.toUpperCase()).join(' and ')} predictions${subjectSet ? ` of the ${subjectSet} subjects` : ''}`,
    text: () => predictionsCsv(targets),
  };
}
