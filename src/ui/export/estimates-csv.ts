/**
 * A population fit's estimates as CSV in long form (the report's tables as data): one row per θ
 * (typical value or covariate effect), per between-subject SD and per residual-error component, with
 * its value at full precision, unit, relative standard error and 95 % interval (empty where the fit
 * has none, e.g. a fixed value). Pure; from the fit's report (src/pkpd/population/report.ts).
 */
import { type CsvCell, type CsvExport, csvText } from '../../export/csv';
import type { StudyFitReport } from '../../pkpd/population/report';

export const ESTIMATE_COLUMNS = ['kind', 'stage', 'name', 'value', 'unit', 'rse', 'ci_low', 'ci_high', 'shrinkage', 'fixed'] as const;

export function estimatesCsv(fit: StudyFitReport, stageOf: (name: string) => 'pk' | 'pd'): string {
  const rows: CsvCell[][] = [
    ...Object.entries(fit.estimates).map(([name, e]): CsvCell[] => [
      'theta',
      stageOf(name),
      name,
      e.value,
      e.unit,
      e.rse,
      e.ci95[0],
      e.ci95[1],
      null,
      e.fixed === true,
    ]),
    ...Object.entries(fit.omega).map(([name, o]): CsvCell[] => [
      'omega_sd',
      stageOf(name),
      name,
      o.sd,
      '',
      o.rse,
      null,
      null,
      o.shrinkage,
      o.fixed === true,
    ]),
    ...(['pk', 'pd'] as const).flatMap((stage) =>
      Object.entries(fit.residual[stage] ?? {}).map(([component, r]): CsvCell[] => [
        'residual',
        stage,
        component,
        r.value,
        r.unit,
        r.rse,
        null,
        null,
        null,
        false,
      ]),
    ),
  ];
  return csvText(ESTIMATE_COLUMNS, rows);
}

export function estimatesExport(fit: StudyFitReport, stageOf: (name: string) => 'pk' | 'pd', fileName: string): CsvExport {
  return { fileName, label: 'the estimates', text: () => estimatesCsv(fit, stageOf) };
}
