import { cellFault, cellProblem, type CellReader } from './cells';
import { DOSING_DETAIL_COLUMNS, type ColumnMap, type StandardColumn } from './columns';
import type { DelimitedTable } from './delimited-text';
import { describeLines, formatCount, type IssueLog } from './issues';
import { EVID_DOSE, EVID_OBSERVATION } from './types';

/** Event records in file order, before grouping by subject. */
export interface RawEvents {
  id: string[];
  time: number[];
  dv: number[];
  evid: number[];
  mdv: number[];
  amt: number[];
  cmt: number[];
  /** DVID as read (NaN when the file has none). */
  dvid: number[];
  line: number[];
  /** Row index in the table of each record (a row may yield a dose and an observation). */
  row: number[];
}

const EVID_OTHER = 2;

/** Longest subject ID accepted: IDs are short labels, and every list, plot and message shows them. */
export const MAX_ID_LENGTH = 100;

/**
 * Turns table rows into event records. Files without EVID (Monolix, nlmixr2 style) are read as:
 * a row with AMT > 0 is a dose, a row with DV is an observation; a row with both yields both,
 * the observation first (observations at a dose time are pre-dose).
 */
export function readEventRows(table: DelimitedTable, columns: ColumnMap, reader: CellReader, log: IssueLog): RawEvents {
  const events: RawEvents = { id: [], time: [], dv: [], evid: [], mdv: [], amt: [], cmt: [], dvid: [], line: [], row: [] };
  const width = table.header.length;
  const unsupportedDosing = { SS: [] as number[], ADDL: [] as number[] };
  const infusionLines: number[] = [];
  const excludedObservationLines: number[] = [];
  const dosesWithoutAmountColumn: number[] = [];
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
    const cmt = columns.standard.CMT === undefined ? Number.NaN : number('CMT');
    const dvid = columns.standard.DVID === undefined ? Number.NaN : number('DVID');
    const evidColumn = hasEvid ? number('EVID') : Number.NaN;
    for (const detail of DOSING_DETAIL_COLUMNS) {
      const index = columns.dosingDetails[detail];
      if (index !== undefined && reader.read(cells[index]) === null && cellFault(cells[index]) === 'out-of-range') {
        const problem = cellProblem(cells[index], detail);
        log.error(problem.code, { line, column: detail }, problem.what, problem.hint);
        unreadable = true;
      }
    }
    for (const detail of ['SS', 'ADDL'] as const) {
      const index = columns.dosingDetails[detail];
      if (index !== undefined && nonZero(reader.read(cells[index]))) unsupportedDosing[detail].push(line);
    }
    const rateIndex = columns.dosingDetails.RATE;
    if (rateIndex !== undefined && nonZero(reader.read(cells[rateIndex]))) infusionLines.push(line);
    if (unreadable) return;
    if (Number.isNaN(time)) {
      log.error('missing-time', { line, column: 'TIME' }, 'TIME is missing', 'Give every row a TIME (hours).');
      return;
    }

    const push = (evid: number, mdv: number): void => {
      events.id.push(idCell);
      events.time.push(time);
      events.dv.push(evid === EVID_OBSERVATION ? dv : Number.NaN);
      events.evid.push(evid);
      events.mdv.push(mdv);
      events.amt.push(evid === EVID_DOSE ? amt : 0);
      events.cmt.push(cmt);
      events.dvid.push(evid === EVID_OBSERVATION ? dvid : Number.NaN);
      events.line.push(line);
      events.row.push(rowIndex);
    };
    const excluded = mdvColumn === 1;

    if (!hasEvid) {
      const isDose = amt > 0;
      const isObservation = !Number.isNaN(dv) && !excluded;
      if (isObservation) push(EVID_OBSERVATION, 0);
      if (isDose) push(EVID_DOSE, 1);
      if (!isDose && !isObservation) push(EVID_OTHER, 1);
      return;
    }
    switch (evidColumn) {
      case EVID_OBSERVATION:
        if (excluded) {
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
        if (columns.standard.AMT === undefined) {
          dosesWithoutAmountColumn.push(line);
          return;
        }
        if (!(amt > 0)) {
          log.error(
            'bad-amount',
            { line, column: 'AMT' },
            `a dose record (EVID 1) has AMT ${Number.isNaN(amt) ? 'missing' : amt}`,
            'Give the dose amount in mg (> 0), or change EVID if this is not a dose.',
          );
          return;
        }
        push(EVID_DOSE, 1);
        return;
      case EVID_OTHER:
        push(EVID_OTHER, 1);
        return;
      default:
        if (Number.isNaN(evidColumn)) {
          log.error('missing-evid', { line, column: 'EVID' }, 'EVID is missing', 'Set EVID: 0 observation, 1 dose, 2 other.');
        } else if (evidColumn === 3 || evidColumn === 4) {
          log.error(
            'unsupported-evid',
            { line, column: 'EVID' },
            `EVID ${evidColumn} (reset) is not supported`,
            'Split the subject into separate IDs at each reset.',
          );
        } else if (!Number.isNaN(evidColumn)) {
          log.error(
            'bad-evid',
            { line, column: 'EVID' },
            `EVID ${evidColumn} is not a known event type`,
            'Use 0 for observations, 1 for doses, 2 for other events.',
          );
        }
    }
  });

  if (dosesWithoutAmountColumn.length > 0) {
    log.error(
      'missing-column',
      { column: 'AMT' },
      `dose records (EVID 1, ${describeLines(dosesWithoutAmountColumn)}) but no AMT column`,
      'Add an AMT column with the dose amount in mg.',
    );
  }
  for (const [detail, lines] of Object.entries(unsupportedDosing)) {
    if (lines.length > 0) {
      log.error(
        'unsupported-dosing',
        { line: lines[0], column: detail },
        `${detail} is set on ${describeLines(lines)}; ${detail === 'SS' ? 'steady-state' : 'additional'} dosing is not supported`,
        'Write out one dose record per administered dose and set this column to 0 or remove it.',
      );
    }
  }
  if (infusionLines.length > 0) {
    log.warn(
      'infusion-ignored',
      { line: infusionLines[0], column: 'RATE' },
      `RATE is set on ${describeLines(infusionLines)}`,
      'Doses are modelled as oral (first-order absorption); infusion rates are ignored.',
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

function hasExpectedWidth(cells: readonly string[], width: number): boolean {
  if (cells.length === width) return true;
  // A trailing delimiter (empty extra fields) is common in exported files.
  return cells.length > width && cells.slice(width).every((c) => c.trim() === '');
}

function nonZero(value: number | null): boolean {
  return value !== null && !Number.isNaN(value) && value !== 0;
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
