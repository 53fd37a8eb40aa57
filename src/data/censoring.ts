/**
 * Observations below the lower limit of quantification (BLQ), as NONMEM, Monolix and nlmixr2 files
 * mark them. A censored observation becomes an observation record (EVID 0, MDV 0) with `blq` = 1 and
 * `dv` = `lloq` = its limit (src/data/types.ts); the population fit uses it by Beal's M3 (the
 * probability of a value below the limit) and the diagnostics mark it. Conventions read:
 *
 * - CENS (Monolix, nlmixr2): CENS = 1 is left-censored and DV holds the limit (an LLOQ/LOQ column,
 *   where the file has one, gives it instead when it is > 0). CENS = −1 is right-censored (above an
 *   upper limit), which no model here handles: such a record is kept with MDV 1 (not used) and a
 *   warning says so. CENS = 0 or missing: an ordinary observation. Monolix's LIMIT column (the other
 *   bound of interval censoring) is not read: a censored value lies anywhere below its limit.
 * - BLQ (NONMEM M3 datasets): BLQ = 1 flags the observation; the limit is the LLOQ (or LOQ) column's
 *   value when > 0, else DV when > 0 (DV may hold the limit, or be 0 or missing). BLQ = 0 or missing:
 *   an ordinary observation.
 * - MDV: NONMEM files often exclude BLQ rows with MDV = 1 (the M1 method). The rule here: a row with
 *   EVID 0 (or no EVID column and no dose) flagged by CENS = 1 or BLQ = 1 is a censored observation
 *   whatever its MDV, so that M3 uses what M1 threw away; the ingest warning counts those rows.
 *
 * A flag on a dose record (EVID 1/4, or AMT > 0 in a file without EVID and no DV) is ignored; a flag
 * other than 0/1 (and −1 for CENS), or a censored observation without a positive limit, is an error.
 * The LLOQ column of an ordinary observation is kept in `lloq` (simulated values below it count as
 * censored in the predictive checks).
 */
import { cellProblem, type CellReader } from './cells';
import type { CensoringColumn, ColumnMap } from './columns';
import { formatCount, formatNumber } from '../text/format';
import { describeLines, type IssueLog } from './issues';

/** What a row's censoring columns say. */
export interface CensoringCells {
  /** 1 left-censored (CENS = 1 or BLQ = 1), −1 right-censored (CENS = −1), 0 neither. */
  flag: 1 | 0 | -1;
  /** The LLOQ (or LOQ) column's value when > 0, else NaN. */
  lloq: number;
}

const NOT_CENSORED: Readonly<CensoringCells> = { flag: 0, lloq: Number.NaN };

/** Reads the CENS, BLQ and LLOQ columns of each row, and reports what it found once the rows are read. */
export class CensoringReader {
  private readonly censoredLines: number[] = [];
  private readonly excludedLines: number[] = [];
  private readonly rightLines: number[] = [];

  constructor(
    private readonly columns: ColumnMap,
    private readonly reader: CellReader,
    private readonly log: IssueLog,
  ) {}

  /** Whether the file has any censoring column. */
  get present(): boolean {
    return Object.keys(this.columns.censoring).length > 0;
  }

  /** The row's censoring cells; null when a cell is not a usable value (the error is logged). */
  readCells(cells: readonly string[], line: number): Readonly<CensoringCells> | null {
    if (!this.present) return NOT_CENSORED;
    const cens = this.cell(cells, 'CENS', line);
    const blq = this.cell(cells, 'BLQ', line);
    const lloq = this.cell(cells, 'LLOQ', line);
    if (cens === null || blq === null || lloq === null) return null;
    const name = (column: CensoringColumn): string => this.columns.censoringNames[column] ?? column;
    if (!Number.isNaN(cens) && cens !== 0 && cens !== 1 && cens !== -1) {
      this.log.error(
        'bad-censoring',
        { line, column: name('CENS') },
        `CENS is ${formatNumber(cens)}; it is 1 (below the limit of quantification, DV holds the limit), −1 (above an upper limit) or 0`,
        'Write CENS as 0, 1 or −1.',
      );
      return null;
    }
    if (!Number.isNaN(blq) && blq !== 0 && blq !== 1) {
      this.log.error(
        'bad-censoring',
        { line, column: name('BLQ') },
        `BLQ is ${formatNumber(blq)}; it is 1 (below the limit of quantification) or 0`,
        'Write BLQ as 0 or 1.',
      );
      return null;
    }
    const flag = cens === 1 || blq === 1 ? 1 : cens === -1 ? -1 : 0;
    return { flag, lloq: lloq > 0 ? lloq : Number.NaN };
  }

  /**
   * The limit of a left-censored observation (the LLOQ column's value, else DV when > 0), counted for
   * the report (`excluded`: the row had MDV 1); NaN with an error logged when there is none.
   */
  censoredLimit(cells: Readonly<CensoringCells>, dv: number, excluded: boolean, line: number): number {
    const limit = cells.lloq > 0 ? cells.lloq : dv > 0 ? dv : Number.NaN;
    if (Number.isNaN(limit)) {
      this.log.error(
        'missing-lloq',
        { line },
        'an observation below the limit of quantification (CENS or BLQ = 1) has no limit: no LLOQ (or LOQ) value > 0 and no DV > 0',
        'Give the limit of quantification in an LLOQ column, or in DV (as Monolix and nlmixr2 write CENS = 1).',
      );
      return limit;
    }
    this.censoredLines.push(line);
    if (excluded) this.excludedLines.push(line);
    return limit;
  }

  /** A right-censored observation (CENS = −1), kept with MDV 1. */
  rightCensored(line: number): void {
    this.rightLines.push(line);
  }

  /** Warnings for what was found: the censored observations (with those that had MDV 1) and those above an upper limit. */
  report(): void {
    const columns = this.columns.censoringNames;
    const column = columns.CENS ?? columns.BLQ;
    const censored = this.censoredLines;
    if (censored.length > 0) {
      const excluded = this.excludedLines.length;
      const mdv =
        excluded > 0
          ? `; ${formatCount(excluded)} of them had MDV 1 (${describeLines(this.excludedLines)}), ` +
            'read as censored observations all the same'
          : '';
      this.log.warn(
        'below-loq-observations',
        { line: censored[0], column },
        `${formatCount(censored.length)} observations are below the limit of quantification (${describeLines(censored)})${mdv}`,
        'The population fit uses them by Beal\u2019s M3 method (the likelihood of a value below the limit); ' +
          'plots show them at the limit, marked as below it.',
      );
    }
    if (this.rightLines.length > 0) {
      this.log.warn(
        'right-censored-observations',
        { line: this.rightLines[0], column: columns.CENS },
        `${formatCount(this.rightLines.length)} observations are above an upper limit of quantification ` +
          `(CENS = −1, ${describeLines(this.rightLines)})`,
        'No model here handles values above an upper limit: they are kept in the dataset but not used for modelling (as MDV 1).',
      );
    }
  }

  private cell(cells: readonly string[], column: CensoringColumn, line: number): number | null {
    const index = this.columns.censoring[column];
    if (index === undefined) return Number.NaN;
    const value = this.reader.read(cells[index]);
    if (value !== null) return value;
    const written = this.columns.censoringNames[column] ?? column;
    const problem = cellProblem(cells[index], written);
    this.log.error(problem.code, { line, column: written }, problem.what, problem.hint);
    return null;
  }
}
