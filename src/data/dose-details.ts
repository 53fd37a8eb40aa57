/**
 * The dosing columns of NONMEM files — SS, II, ADDL, RATE, DUR (TINF) — read and checked per dose.
 *
 * - RATE > 0: a zero-order infusion at that rate, lasting AMT / RATE. RATE = −2: the duration is
 *   DUR. Without a RATE column, DUR > 0 is an infusion of that duration (Monolix's TINF, nlmixr2's
 *   dur). RATE = −1 (rate estimated by the model) is refused. RATE 0 or missing: a bolus or oral dose.
 * - SS = 1 or 2 with II > 0: the dose is at steady state of doses every II (1 resets what came
 *   before, 2 adds to it; see `EventRecords.ss`). SS without II > 0 is an error.
 * - ADDL = n with II = τ > 0: n additional doses at t + τ, …, t + nτ (expanded by additional-doses.ts),
 *   at most `MAX_ADDITIONAL_DOSES` per file, counted before anything is allocated.
 * Dosing columns on records that are not doses are read as numbers but otherwise ignored.
 */
import { cellProblem, type CellReader } from './cells';
import type { ColumnMap, DosingDetailColumn } from './columns';
import { formatCount, formatNumber } from '../text/format';
import { type IssueLog } from './issues';
import { SS_NONE } from './types';

/** Most additional doses (ADDL) a file may ask for in all: each becomes a record. */
export const MAX_ADDITIONAL_DOSES = 2_000_000;

/** The dosing columns of one row as numbers: 0 where the cell is missing or the file has no such column. */
export type DosingCells = Record<DosingDetailColumn, number>;

/** What a dose record's dosing columns say, checked. */
export interface DoseDetails {
  /** Infusion rate (amount per time unit); 0 for a bolus or oral dose. */
  rate: number;
  /** Infusion duration; 0 for a bolus or oral dose. */
  duration: number;
  ss: number;
  /** II as written (≥ 0): the interval of SS and of ADDL. */
  ii: number;
  addl: number;
}

export const NO_DOSE_DETAILS: Readonly<DoseDetails> = { rate: 0, duration: 0, ss: SS_NONE, ii: 0, addl: 0 };
const NO_DOSING_CELLS: Readonly<DosingCells> = { SS: 0, II: 0, ADDL: 0, RATE: 0, DUR: 0 };

/** Two durations (from RATE and from DUR) closer than this, relatively, are the same. */
const SAME_DURATION = 1e-6;

export class DoseDetailReader {
  /** Additional doses asked for so far by accepted dose records. */
  additionalDoses = 0;
  private budgetExceeded = false;
  /** The dosing columns the file has, with their index. */
  private readonly present: readonly (readonly [DosingDetailColumn, number])[];

  constructor(
    private readonly columns: ColumnMap,
    private readonly reader: CellReader,
    private readonly log: IssueLog,
    private readonly maxAdditionalDoses = MAX_ADDITIONAL_DOSES,
  ) {
    this.present = Object.entries(columns.dosingDetails) as [DosingDetailColumn, number][];
  }

  /** The dosing cells of a row; null (errors logged) when one is not a number. */
  readCells(cells: readonly string[], line: number): Readonly<DosingCells> | null {
    if (this.present.length === 0) return NO_DOSING_CELLS;
    const values: DosingCells = { ...NO_DOSING_CELLS };
    let readable = true;
    for (const [detail, index] of this.present) {
      const value = this.reader.read(cells[index]);
      if (value === null) {
        const name = this.name(detail);
        const problem = cellProblem(cells[index], name);
        this.log.error(problem.code, { line, column: name }, problem.what, problem.hint);
        readable = false;
      } else if (!Number.isNaN(value)) {
        values[detail] = value;
      }
    }
    return readable ? values : null;
  }

  /** Checks the dosing columns of a dose of `amount` (> 0) at `time` on `line`. Null, with the errors logged, when they are not usable. */
  resolve(cells: Readonly<DosingCells>, amount: number, time: number, line: number): DoseDetails | null {
    const { SS: ss, II: ii, ADDL: addl, RATE: rate, DUR: dur } = cells;
    let ok = true;
    const error = (code: string, column: DosingDetailColumn, what: string, hint: string): void => {
      this.log.error(code, { line, column: this.name(column) }, what, hint);
      ok = false;
    };

    if (ss !== 0 && ss !== 1 && ss !== 2) {
      error(
        'bad-ss',
        'SS',
        `SS ${formatNumber(ss)} is not a steady-state code`,
        'Use 0 (no steady state), 1 (steady state of doses every II, resetting what came before) or 2 (the same, added to what came before).',
      );
    }
    if (ii < 0)
      error(
        'bad-ii',
        'II',
        `II is negative (${formatNumber(ii)})`,
        'II is the time between doses: give a positive number, or 0 if unused.',
      );
    if (addl < 0 || !Number.isInteger(addl)) {
      error(
        'bad-addl',
        'ADDL',
        `ADDL ${formatNumber(addl)} is not a whole number of additional doses`,
        'ADDL counts the doses that follow this one every II: write 0, 1, 2, …',
      );
    } else if (addl > 0 && ii === 0) {
      error(
        'addl-without-ii',
        'ADDL',
        `ADDL ${formatCount(addl)} asks for additional doses, but II is ${formatNumber(ii)}`,
        'Give II, the time between the doses (> 0), or set ADDL to 0.',
      );
    }
    if (ss > 0 && ii === 0) {
      error(
        'ss-without-ii',
        'SS',
        `SS ${formatNumber(ss)} (a dose at steady state) needs the dosing interval II > 0, but II is ${formatNumber(ii)}`,
        'Give II, the time between the doses of the steady-state regimen, or set SS to 0.',
      );
    }

    let infusionRate = 0;
    let duration = 0;
    const hasRateColumn = this.columns.dosingDetails.RATE !== undefined;
    const hasDurColumn = this.columns.dosingDetails.DUR !== undefined;
    if (dur < 0)
      error('bad-duration', 'DUR', `DUR is negative (${formatNumber(dur)})`, 'Give the infusion duration (> 0), or 0 if unused.');
    if (rate > 0) {
      infusionRate = rate;
      duration = amount / rate;
      if (dur > 0 && Math.abs(dur - duration) > SAME_DURATION * Math.max(dur, duration)) {
        error(
          'rate-and-duration',
          'DUR',
          `RATE ${formatNumber(rate)} makes this infusion last AMT / RATE = ${formatNumber(duration)}, but DUR says ${formatNumber(dur)}`,
          'Give either the rate (RATE > 0, DUR 0) or the duration (RATE = −2 and DUR), not two that disagree.',
        );
      }
    } else if (rate === -1) {
      error(
        'modelled-rate',
        'RATE',
        'RATE −1 means that the model estimates the infusion rate, which this app does not support',
        'Write the infusion rate (RATE = AMT / duration), or RATE = −2 with the duration in a DUR column.',
      );
    } else if (rate === -2) {
      if (!hasDurColumn) {
        error(
          'rate-without-duration',
          'RATE',
          'RATE −2 means that the infusion duration is given elsewhere, but the file has no DUR column',
          'Add a DUR column with each infusion’s duration, or write the rate (RATE = AMT / duration).',
        );
      } else if (!(dur > 0)) {
        error(
          'rate-without-duration',
          'DUR',
          `RATE −2 takes the infusion duration from DUR, which is ${formatNumber(dur)}`,
          'Give the infusion duration in DUR (> 0).',
        );
      } else {
        duration = dur;
        infusionRate = amount / dur;
      }
    } else if (rate < 0) {
      error(
        'bad-rate',
        'RATE',
        `RATE ${formatNumber(rate)} is not an infusion rate`,
        'Use 0 for a bolus or oral dose, the infusion rate (> 0), or −2 with the duration in a DUR column.',
      );
    } else if (dur > 0) {
      if (hasRateColumn) {
        error(
          'duration-without-rate',
          'DUR',
          `DUR ${formatNumber(dur)} is set, but RATE is 0 (a bolus or oral dose)`,
          'Set RATE to −2 to make this dose an infusion of duration DUR, or set DUR to 0.',
        );
      } else {
        duration = dur;
        infusionRate = amount / dur;
      }
    }
    if (ok && (duration > 0 || infusionRate > 0)) {
      if (!(Number.isFinite(duration) && duration > 0 && Number.isFinite(infusionRate) && infusionRate > 0)) {
        error(
          'implausible-value',
          rate > 0 ? 'RATE' : 'DUR',
          `AMT ${formatNumber(amount)} ${rate > 0 ? `at RATE ${formatNumber(rate)}` : `over DUR ${formatNumber(dur)}`} makes an infusion that lasts ${formatNumber(duration)} at rate ${formatNumber(infusionRate)}, beyond the numbers this app can compute with`,
          'Check AMT, RATE and DUR on this line (their units and exponents).',
        );
      }
    }
    if (ok && addl > 0 && !Number.isFinite(time + addl * ii)) {
      error(
        'implausible-value',
        'ADDL',
        `ADDL ${formatCount(addl)} doses every II ${formatNumber(ii)} reach beyond ±1.8e308, the largest number there is`,
        'Check ADDL and II on this line (their units and exponents).',
      );
    }
    if (ok && addl > 0) {
      if (this.additionalDoses + addl > this.maxAdditionalDoses) {
        if (!this.budgetExceeded) {
          error(
            'too-many-additional-doses',
            'ADDL',
            `ADDL ${formatCount(addl)} asks for ${formatCount(addl)} additional dose records${
              this.additionalDoses > 0 ? `; with the ${formatCount(this.additionalDoses)} asked for on earlier lines that is` : ','
            } more than the ${formatCount(this.maxAdditionalDoses)} a file may expand to`,
            'Check ADDL on this line (a typing error?). A long regimen is better written as one dose at steady state (SS = 1 with II), or split into several files.',
          );
        }
        this.budgetExceeded = true;
        ok = false;
      } else {
        this.additionalDoses += addl;
      }
    }
    if (!ok) return null;
    return { rate: infusionRate, duration, ss, ii, addl };
  }

  /** The dosing column's name as written in the file. */
  name(detail: DosingDetailColumn): string {
    return this.columns.dosingNames[detail] ?? detail;
  }
}
