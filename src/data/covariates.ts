import { cellFault, cellProblem, type CellReader } from './cells';
import type { ColumnMap } from './columns';
import type { DelimitedTable } from './delimited-text';
import { formatCount } from '../text/format';
import { describeLines, shortText, type IssueLog } from './issues';
import { checkMagnitudes } from './magnitudes';
import type { Covariate } from './types';

/** The dataset's records as covariates see them: the table row of each record, grouped by subject. */
export interface CovariateRecords {
  /** Table row of each record (an additional dose has the row of the record that asked for it). */
  rows: Int32Array;
  /** Subject IDs, and the start of each subject's records (`starts[ids.length]` is the end). */
  ids: readonly string[];
  starts: readonly number[];
}

/**
 * Reads every non-standard column as a covariate, per record. Text-only columns (e.g. SEX = M/F)
 * are skipped with a warning; numbers mixed with text are errors.
 */
export function readCovariates(
  table: DelimitedTable,
  columns: ColumnMap,
  records: CovariateRecords,
  reader: CellReader,
  log: IssueLog,
): Covariate[] {
  const covariates: Covariate[] = [];
  for (const { name, index } of columns.covariates) {
    const byRow = new Float64Array(table.rows.length);
    const textLines: number[] = [];
    let tooLarge = 0;
    let numbers = 0;
    table.rows.forEach((cells, row) => {
      const value = reader.read(cells[index]);
      if (value === null) {
        if (cellFault(cells[index]) === 'text') {
          textLines.push(table.lines[row]);
        } else {
          tooLarge++;
          const problem = cellProblem(cells[index], name);
          log.error(problem.code, { line: table.lines[row], column: name }, problem.what, problem.hint);
        }
        byRow[row] = Number.NaN;
      } else {
        byRow[row] = value;
        if (!Number.isNaN(value)) numbers++;
      }
    });
    if (tooLarge > 0) continue;
    if (textLines.length > 0 && numbers === 0) {
      log.warn(
        'text-column-ignored',
        { column: name },
        `column ${name} holds text, not numbers, so it is not used as a covariate`,
        `Recode ${name} as numbers (e.g. 0/1) to use it.`,
      );
      continue;
    }
    if (textLines.length > 0) {
      log.error(
        'non-numeric',
        { line: textLines[0], column: name },
        `covariate ${name} has text where numbers are expected on ${describeLines(textLines)}`,
        `Write ${name} as a number on every line; use . or leave it empty for a missing value.`,
      );
      continue;
    }
    checkMagnitudes({ label: name, column: name, values: byRow, lines: table.lines }, log);
    const values = Float64Array.from(records.rows, (row) => byRow[row]);
    covariates.push({
      name,
      kind: variesWithinSubject(values, records) ? 'time-varying' : 'subject',
      values,
      binary: values.every((v) => Number.isNaN(v) || v === 0 || v === 1),
    });
    warnAboutMissing(name, values, records, log);
  }
  return covariates;
}

function variesWithinSubject(values: Float64Array, groups: CovariateRecords): boolean {
  for (let s = 0; s < groups.ids.length; s++) {
    let first = Number.NaN;
    for (let k = groups.starts[s]; k < groups.starts[s + 1]; k++) {
      const v = values[k];
      if (Number.isNaN(v)) continue;
      if (Number.isNaN(first)) first = v;
      else if (v !== first) return true;
    }
  }
  return false;
}

function warnAboutMissing(name: string, values: Float64Array, groups: CovariateRecords, log: IssueLog): void {
  const missingSubjects = groups.ids.filter((_, s) => {
    for (let k = groups.starts[s]; k < groups.starts[s + 1]; k++) if (!Number.isNaN(values[k])) return false;
    return true;
  });
  if (missingSubjects.length > 0) {
    log.warn(
      'missing-covariate',
      { column: name },
      `${name} is missing for ${formatCount(missingSubjects.length)} subject(s): ${missingSubjects
        .slice(0, 8)
        .map((id) => shortText(id))
        .join(', ')}${missingSubjects.length > 8 ? ', …' : ''}`,
      `Models that use ${name} will impute the median for these subjects.`,
    );
  }
}
