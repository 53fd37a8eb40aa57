import { formatCount } from '../text/format';
import { shortText, type IssueLog } from './issues';

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

/** Columns of dosing machinery (see dose-details.ts): never covariates. */
export const DOSING_DETAIL_COLUMNS = ['SS', 'II', 'ADDL', 'RATE', 'DUR'] as const;
export type DosingDetailColumn = (typeof DOSING_DETAIL_COLUMNS)[number];
/** Other names for dosing columns: Monolix writes the infusion duration as TINF. */
const DOSING_ALIASES: Record<string, DosingDetailColumn> = { TINF: 'DUR' };
/** The occasion column: used to find where a subject's TIME restarts at a new occasion, never a covariate. */
export const OCCASION_COLUMN = 'OCC';
/** Columns of below-LOQ observations (censoring.ts): never covariates. LOQ is read as LLOQ. */
export const CENSORING_COLUMNS = ['CENS', 'BLQ', 'LLOQ'] as const;
export type CensoringColumn = (typeof CENSORING_COLUMNS)[number];
const CENSORING_ALIASES: Record<string, CensoringColumn> = { LOQ: 'LLOQ' };
const NOT_COVARIATES = new Set<string>([...DOSING_DETAIL_COLUMNS, OCCASION_COLUMN, 'LIMIT', 'ADM', 'C']);

export interface ColumnMap {
  /** Index in the row of each standard column present. */
  standard: Partial<Record<StandardColumn, number>>;
  /** Name as written in the file, for messages. */
  writtenName: Partial<Record<StandardColumn, string>>;
  /** Index of each dosing column present. */
  dosingDetails: Partial<Record<DosingDetailColumn, number>>;
  /** Name as written in the file of each dosing column present, for messages (TINF for DUR, say). */
  dosingNames: Partial<Record<DosingDetailColumn, string>>;
  /** Index of the OCC column, when the file has one. */
  occasion?: number;
  /** Index of each censoring column present (CENS, BLQ, LLOQ or LOQ), and its name as written. */
  censoring: Partial<Record<CensoringColumn, number>>;
  censoringNames: Partial<Record<CensoringColumn, string>>;
  /** Candidate covariates: upper-case name and index. */
  covariates: { name: string; index: number }[];
}

/** Most columns a file may have: NONMEM files have tens; each column is checked on every row. */
export const MAX_COLUMNS = 1000;
/** Longest column name: longer header cells are a header line run together, or not a header. */
export const MAX_COLUMN_NAME_LENGTH = 100;
/** Column names listed in a message about the header. */
const NAMES_LISTED = 12;

/** Maps header cells to roles; reports duplicate and missing required columns. */
export function mapColumns(header: readonly string[], log: IssueLog): ColumnMap {
  const map: ColumnMap = {
    standard: {},
    writtenName: {},
    dosingDetails: {},
    dosingNames: {},
    censoring: {},
    censoringNames: {},
    covariates: [],
  };
  if (header.length > MAX_COLUMNS) {
    log.error(
      'too-many-columns',
      { line: 1 },
      `the header has ${formatCount(header.length)} columns; at most ${formatCount(MAX_COLUMNS)} are read`,
      'Check the delimiter of the header line, or remove the columns the analysis does not need.',
    );
    return map;
  }
  const seen = new Map<string, number>();
  header.forEach((cell, index) => {
    const written = cell.trim();
    const name = written.toUpperCase();
    if (name === '') return;
    if (written.length > MAX_COLUMN_NAME_LENGTH) {
      log.error(
        'long-column-name',
        { line: 1 },
        `field ${index + 1} of the header is ${formatCount(written.length)} characters long ("${shortText(written)}"); column names have at most ${MAX_COLUMN_NAME_LENGTH}`,
        'Check that the first line is the header (column names such as ID, TIME, DV), with no quote left open.',
      );
      return;
    }
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
    const role = Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
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
    } else if (dosingRole(name) !== undefined) {
      const detail = dosingRole(name) as DosingDetailColumn;
      if (map.dosingDetails[detail] !== undefined) {
        log.error(
          'duplicate-column',
          { line: 1, column: written },
          `columns ${map.dosingNames[detail]} and ${written} both give ${detail}`,
          `Keep one ${detail} column.`,
        );
        return;
      }
      map.dosingDetails[detail] = index;
      map.dosingNames[detail] = written;
    } else if (name === OCCASION_COLUMN) {
      map.occasion = index;
    } else if (censoringRole(name) !== undefined) {
      const role = censoringRole(name) as CensoringColumn;
      if (map.censoring[role] !== undefined) {
        log.error(
          'duplicate-column',
          { line: 1, column: written },
          `columns ${map.censoringNames[role]} and ${written} both give the limit of quantification`,
          'Keep one LLOQ (or LOQ) column.',
        );
        return;
      }
      map.censoring[role] = index;
      map.censoringNames[role] = written;
    } else if (!NOT_COVARIATES.has(name)) {
      map.covariates.push({ name, index });
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (map.standard[required] === undefined) {
      log.error(
        'missing-column',
        { line: 1, column: required },
        `the required column ${required} is missing (found: ${listNames(header)})`,
        `Add a ${required} column, or rename the column that holds it to ${required}.`,
      );
    }
  }
  return map;
}

function dosingRole(name: string): DosingDetailColumn | undefined {
  if ((DOSING_DETAIL_COLUMNS as readonly string[]).includes(name)) return name as DosingDetailColumn;
  return Object.hasOwn(DOSING_ALIASES, name) ? DOSING_ALIASES[name] : undefined;
}

function censoringRole(name: string): CensoringColumn | undefined {
  if ((CENSORING_COLUMNS as readonly string[]).includes(name)) return name as CensoringColumn;
  return Object.hasOwn(CENSORING_ALIASES, name) ? CENSORING_ALIASES[name] : undefined;
}

function listNames(header: readonly string[]): string {
  const names = header.slice(0, NAMES_LISTED).map((h) => shortText(h.trim()));
  return header.length > NAMES_LISTED ? `${names.join(', ')} and ${formatCount(header.length - NAMES_LISTED)} more` : names.join(', ');
}
