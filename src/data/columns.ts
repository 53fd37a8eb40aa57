import type { IssueLog } from './issues';

export type StandardColumn = 'ID' | 'TIME' | 'DV' | 'EVID' | 'MDV' | 'AMT' | 'CMT' | 'DVID';

export const REQUIRED_COLUMNS: readonly StandardColumn[] = ['ID', 'TIME', 'DV'];

/** Other names for standard columns written by Monolix and nlmixr2. */
const ALIASES: Record<string, StandardColumn> = {
  ID: 'ID',
  TIME: 'TIME',
  DV: 'DV',
  Y: 'DV',
  EVID: 'EVID',
  MDV: 'MDV',
  AMT: 'AMT',
  CMT: 'CMT',
  DVID: 'DVID',
  YTYPE: 'DVID',
};

/** Columns of dosing and censoring machinery: never covariates, checked separately. */
export const DOSING_DETAIL_COLUMNS = ['SS', 'II', 'ADDL', 'RATE'] as const;
const NOT_COVARIATES = new Set<string>([...DOSING_DETAIL_COLUMNS, 'BLQ', 'LLOQ', 'CENS', 'LIMIT', 'ADM', 'C']);

export interface ColumnMap {
  /** Index in the row of each standard column present. */
  standard: Partial<Record<StandardColumn, number>>;
  /** Name as written in the file, for messages. */
  writtenName: Partial<Record<StandardColumn, string>>;
  dosingDetails: Partial<Record<(typeof DOSING_DETAIL_COLUMNS)[number], number>>;
  /** Candidate covariates: upper-case name and index. */
  covariates: { name: string; index: number }[];
}

/** Maps header cells to roles; reports duplicate and missing required columns. */
export function mapColumns(header: readonly string[], log: IssueLog): ColumnMap {
  const map: ColumnMap = { standard: {}, writtenName: {}, dosingDetails: {}, covariates: [] };
  const seen = new Map<string, number>();
  header.forEach((cell, index) => {
    const written = cell.trim();
    const name = written.toUpperCase();
    if (name === '') return;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      log.error(
        'duplicate-column',
        { line: 1, column: written },
        `column ${written} appears twice (fields ${earlier + 1} and ${index + 1})`,
        'Rename or remove one of the two columns.',
      );
      return;
    }
    seen.set(name, index);
    const role = ALIASES[name];
    if (role !== undefined) {
      if (map.standard[role] !== undefined) {
        log.error(
          'duplicate-column',
          { line: 1, column: written },
          `columns ${map.writtenName[role]} and ${written} both give ${role}`,
          `Keep one ${role} column.`,
        );
        return;
      }
      map.standard[role] = index;
      map.writtenName[role] = written;
    } else if ((DOSING_DETAIL_COLUMNS as readonly string[]).includes(name)) {
      map.dosingDetails[name as (typeof DOSING_DETAIL_COLUMNS)[number]] = index;
    } else if (!NOT_COVARIATES.has(name)) {
      map.covariates.push({ name, index });
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (map.standard[required] === undefined) {
      log.error(
        'missing-column',
        { line: 1, column: required },
        `the required column ${required} is missing (found: ${header.map((h) => h.trim()).join(', ')})`,
        `Add a ${required} column, or rename the column that holds it to ${required}.`,
      );
    }
  }
  return map;
}
