import { cellProblem, type CellReader } from './cells';
import { CensoringReader } from './censoring';
import type { ColumnMap, StandardColumn } from './columns';
import type { DelimitedTable } from './delimited-text';
import { DoseDetailReader, NO_DOSE_DETAILS, type DoseDetails, type DosingCells } from './dose-details';
import { formatCount, formatNumber } from '../text/format';
import { describeLines, type IssueLog } from './issues';
import { EVID_DOSE, EVID_OBSERVATION, EVID_OTHER, EVID_RESET } from './types';

/** Event records in file order, before grouping by subject. */
export interface RawEvents {
  id: string[];
  /** TIME as written. */
  time: number[];
  dv: number[];
  /** As stored in EventRecords.evid: 0 observation, 1 dose, 2 other, 3 reset only. */
  evid: number[];
  mdv: number[];
  amt: number[];
  cmt: number[];
  /** DVID as read (NaN when the file has none). */
  dvid: number[];
  /** Dosing details of doses (0 on other records), see dose-details.ts. */
  rate: number[];
  duration: number[];
  ss: number[];
  /** II as written on doses (the interval of SS and of ADDL); 0 on other records. */
  ii: number[];
  addl: number[];
  /** 1 for EVID 3 and 4 (and, once occasions are placed, the first record of a new occasion). */
  reset: number[];
  /** 1 on an observation below the limit of quantification (its `dv` is the limit), see censoring.ts. */
  blq: number[];
  /** Limit of quantification of an observation where the file gives one, else 0. */
  lloq: number[];
  line: number[];
  /** Row index in the table of each record (a row may yield a dose and an observation). */
  row: number[];
}

/** rxode2/nlmixr2's EVID for a bolus dose into compartment 1 (its "classic" event coding: 100 × CMT + 1). */
export const EVID_RXODE2_DOSE_CMT1 = 101;
const EVID_RESET_AND_DOSE = 4;

/** rxode2's event types beyond NONMEM's, for messages. */
const RXODE2_EVENTS: Record<number, string> = {
  5: 'replaces the amount in a compartment',
  6: 'multiplies the amount in a compartment',
  7: 'is a phantom (transit) dose',
};

/** Longest subject ID accepted: IDs are short labels, and every list, plot and message shows them. */
export const MAX_ID_LENGTH = 100;

/** Test hooks: the limits of a file (defaults are the app's). */
export interface EventRowLimits {
  maxAdditionalDoses?: number;
}

/**
 * Turns table rows into event records. Files without EVID (Monolix, nlmixr2 style) are read as:
 * a row with AMT > 0 is a dose, a row with DV is an observation; a row with both yields both,
 * the observation first (observations at a dose time are pre-dose).
 */
export function readEventRows(
  table: DelimitedTable,
  columns: ColumnMap,
  reader: CellReader,
  log: IssueLog,
  limits: EventRowLimits = {},
): RawEvents {
  const events: RawEvents = {
    id: [],
    time: [],
    dv: [],
    evid: [],
    mdv: [],
    amt: [],
    cmt: [],
    dvid: [],
    rate: [],
    duration: [],
    ss: [],
    ii: [],
    addl: [],
    reset: [],
    blq: [],
    lloq: [],
    line: [],
    row: [],
  };
  const width = table.header.length;
  const doseDetails = new DoseDetailReader(columns, reader, log, limits.maxAdditionalDoses);
  const censoring = new CensoringReader(columns, reader, log);
  const excludedObservationLines: number[] = [];
  const dosesWithoutAmountColumn: number[] = [];
  const rxode2DoseLines: number[] = [];
  const hasEvid = columns.standard.EVID !== undefined;

  table.rows.forEach((cells, rowIndex) => {
    const line = table.lines[rowIndex];
    if (!hasExpectedWidth(cells, width)) {
      log.error(
        'field-count',
        { line },
        `expected ${width} fields as in the header, found ${formatCount(cells.length)}`,
        'Check this line for a missing or extra delimiter, or an unquoted delimiter inside a value.',
      );
      return;
    }
    let unreadable = false;
    const number = (column: StandardColumn): number => {
      const value = readStandard(cells, columns, column, reader, line, log);
      if (value === null) unreadable = true;
      return value ?? Number.NaN;
    };
    const idCell = (cells[columns.standard.ID ?? 0] ?? '').trim();
    if (idCell === '' || idCell === '.') {
      log.error('missing-id', { line, column: 'ID' }, 'the subject ID is empty', 'Give every row the ID of its subject.');
      return;
    }
    if (idCell.length > MAX_ID_LENGTH) {
      log.error(
        'long-id',
        { line, column: 'ID' },
        `the subject ID is ${formatCount(idCell.length)} characters long (at most ${MAX_ID_LENGTH})`,
        'Check this line: a delimiter or quote may be missing, so that other fields ran into the ID. Otherwise give the subject a shorter ID.',
      );
      return;
    }
    const time = number('TIME');
    const dv = number('DV');
    const amt = columns.standard.AMT === undefined ? Number.NaN : number('AMT');
    const mdvColumn = columns.standard.MDV === undefined ? Number.NaN : number('MDV');
    let cmt = columns.standard.CMT === undefined ? Number.NaN : number('CMT');
    const dvid = columns.standard.DVID === undefined ? Number.NaN : number('DVID');
    const evidColumn = hasEvid ? number('EVID') : Number.NaN;
    const dosing = doseDetails.readCells(cells, line);
    const censor = censoring.readCells(cells, line);
    if (unreadable || dosing === null || censor === null) return;
    if (Number.isNaN(time)) {
      log.error('missing-time', { line, column: 'TIME' }, 'TIME is missing', 'Give every row a TIME (hours).');
      return;
    }

    const push = (evid: number, mdv: number, dose: Readonly<DoseDetails> = NO_DOSE_DETAILS, reset = 0): void => {
      events.id.push(idCell);
      events.time.push(time);
      events.dv.push(evid === EVID_OBSERVATION ? dv : Number.NaN);
      events.evid.push(evid);
      events.mdv.push(mdv);
      events.amt.push(evid === EVID_DOSE ? amt : 0);
      events.cmt.push(cmt);
      events.dvid.push(evid === EVID_OBSERVATION ? dvid : Number.NaN);
      events.rate.push(dose.rate);
      events.duration.push(dose.duration);
      events.ss.push(dose.ss);
      events.ii.push(dose.ii);
      events.addl.push(dose.addl);
      events.reset.push(reset);
      events.blq.push(0);
      events.lloq.push(evid === EVID_OBSERVATION && censor.lloq > 0 ? censor.lloq : 0);
      events.line.push(line);
      events.row.push(rowIndex);
    };
    /** A dose record (AMT > 0 checked by the caller): its dosing columns checked, then stored. */
    const pushDose = (reset: number): void => {
      const dose = doseDetails.resolve(dosing, amt, time, line);
      if (dose !== null) push(EVID_DOSE, 1, dose, reset);
    };
    const excluded = mdvColumn === 1;
    /** A censored observation (CENS or BLQ = 1, whatever MDV says): DV is its limit; false when it has none (error logged). */
    const pushCensored = (): boolean => {
      const limit = censoring.censoredLimit(censor, dv, excluded, line);
      if (Number.isNaN(limit)) return false;
      push(EVID_OBSERVATION, 0);
      const last = events.dv.length - 1;
      events.dv[last] = limit;
      events.blq[last] = 1;
      events.lloq[last] = limit;
      return true;
    };
    /** An observation above an upper limit (CENS = −1): kept, not used (MDV 1). */
    const pushRightCensored = (): void => {
      censoring.rightCensored(line);
      push(EVID_OBSERVATION, 1);
    };

    if (!hasEvid) {
      const isDose = amt > 0;
      // A flagged row is an observation unless it is a dose without DV (the flag of a dose row is ignored).
      const flagged = censor.flag !== 0 && (!isDose || !Number.isNaN(dv));
      const isObservation = !Number.isNaN(dv) && !excluded;
      if (flagged && censor.flag === 1) {
        if (!pushCensored()) return;
      } else if (flagged) pushRightCensored();
      else if (isObservation) push(EVID_OBSERVATION, 0);
      if (isDose) pushDose(0);
      if (!isDose && !isObservation && !flagged) push(EVID_OTHER, 1);
      return;
    }
    switch (evidColumn) {
      case EVID_OBSERVATION:
        if (censor.flag === 1) {
          pushCensored();
        } else if (censor.flag === -1) {
          pushRightCensored();
        } else if (excluded) {
          excludedObservationLines.push(line);
          push(EVID_OBSERVATION, 1);
        } else if (Number.isNaN(dv)) {
          log.error(
            'missing-dv',
            { line, column: 'DV' },
            'an observation record (EVID 0, MDV 0) has no DV',
            'Fill in DV, or set MDV to 1 to exclude the record.',
          );
        } else {
          push(EVID_OBSERVATION, 0);
        }
        return;
      case EVID_DOSE:
      case EVID_RESET_AND_DOSE:
      case EVID_RXODE2_DOSE_CMT1: {
        if (columns.standard.AMT === undefined) {
          dosesWithoutAmountColumn.push(line);
          return;
        }
        if (!(amt > 0)) {
          log.error(
            'bad-amount',
            { line, column: 'AMT' },
            `a dose record (EVID ${evidColumn}) has AMT ${Number.isNaN(amt) ? 'missing' : amt}${constantInfusionNote(dosing)}`,
            dosing.SS > 0 && dosing.RATE > 0
              ? 'A steady-state constant infusion (SS with AMT 0, RATE > 0 and II 0) is not supported: write the infusions as doses with AMT, RATE and II.'
              : 'Give the dose amount in mg (> 0), or change EVID if this is not a dose.',
          );
          return;
        }
        if (evidColumn === EVID_RXODE2_DOSE_CMT1) {
          if (!Number.isNaN(cmt) && cmt !== 1) {
            log.error(
              'bad-evid',
              { line, column: columns.writtenName.EVID },
              `EVID 101 is rxode2's code for a dose into compartment 1, but CMT is ${formatNumber(cmt)}`,
              'Write EVID 1 and the compartment in CMT (NONMEM coding), or correct CMT.',
            );
            return;
          }
          cmt = 1;
          rxode2DoseLines.push(line);
        }
        pushDose(evidColumn === EVID_RESET_AND_DOSE ? 1 : 0);
        return;
      }
      case EVID_OTHER:
        push(EVID_OTHER, 1);
        return;
      case EVID_RESET:
        push(EVID_RESET, 1, NO_DOSE_DETAILS, 1);
        return;
      default:
        reportUnknownEvid(evidColumn, line, columns, log);
    }
  });

  censoring.report();
  if (dosesWithoutAmountColumn.length > 0) {
    log.error(
      'missing-column',
      { column: 'AMT' },
      `dose records (EVID 1, ${describeLines(dosesWithoutAmountColumn)}) but no AMT column`,
      'Add an AMT column with the dose amount in mg.',
    );
  }
  if (rxode2DoseLines.length > 0) {
    log.warn(
      'rxode2-evid',
      { line: rxode2DoseLines[0], column: columns.writtenName.EVID },
      `EVID 101 (${describeLines(rxode2DoseLines)}) is rxode2/nlmixr2's code for a dose into compartment 1: read as doses (EVID 1) into CMT 1`,
      'Nothing to do if the file comes from rxode2 or nlmixr2. NONMEM files write EVID 1 with CMT 1.',
    );
  }
  if (excludedObservationLines.length > 0) {
    log.warn(
      'excluded-observations',
      { line: excludedObservationLines[0], column: 'MDV' },
      `${excludedObservationLines.length} observation records have MDV 1 (${describeLines(excludedObservationLines)})`,
      'They are kept in the dataset but not used for modelling.',
    );
  }
  return events;
}

/** Why a dose has no amount, when its dosing columns say it is a steady-state constant infusion. */
function constantInfusionNote(dosing: Readonly<DosingCells>): string {
  return dosing.SS > 0 && dosing.RATE > 0 ? ' with SS and RATE set: a steady-state constant infusion' : '';
}

function reportUnknownEvid(evid: number, line: number, columns: ColumnMap, log: IssueLog): void {
  const column = columns.writtenName.EVID;
  if (Number.isNaN(evid)) {
    log.error('missing-evid', { line, column }, 'EVID is missing', 'Set EVID: 0 observation, 1 dose, 2 other, 3 reset, 4 reset and dose.');
  } else if (Object.hasOwn(RXODE2_EVENTS, evid)) {
    log.error(
      'unsupported-evid',
      { line, column },
      `EVID ${evid} (rxode2: an event that ${RXODE2_EVENTS[evid]}) is not supported`,
      'Use the NONMEM event types: 0 observation, 1 dose, 2 other, 3 reset, 4 reset and dose.',
    );
  } else if (Number.isInteger(evid) && evid >= 100) {
    log.error(
      'unsupported-evid',
      { line, column },
      `EVID ${evid} is an rxode2/RxODE "classic" event code; of these only 101 (a bolus dose into compartment 1) is read`,
      'Write the event in NONMEM coding: EVID 1 with the compartment in CMT and the infusion in RATE (or DUR).',
    );
  } else {
    log.error(
      'bad-evid',
      { line, column },
      `EVID ${evid} is not a known event type`,
      'Use 0 for observations, 1 for doses, 2 for other events, 3 for a reset, 4 for a reset and dose.',
    );
  }
}

function hasExpectedWidth(cells: readonly string[], width: number): boolean {
  if (cells.length === width) return true;
  // A trailing delimiter (empty extra fields) is common in exported files.
  return cells.length > width && cells.slice(width).every((c) => c.trim() === '');
}

function readStandard(
  cells: readonly string[],
  columns: ColumnMap,
  column: StandardColumn,
  reader: CellReader,
  line: number,
  log: IssueLog,
): number | null {
  const index = columns.standard[column];
  if (index === undefined) return Number.NaN;
  const value = reader.read(cells[index]);
  if (value !== null) return value;
  const problem = cellProblem(cells[index], column);
  log.error(problem.code, { line, column: columns.writtenName[column] }, problem.what, problem.hint);
  return null;
}
