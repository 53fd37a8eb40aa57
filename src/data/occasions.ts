/**
 * A subject's time axis: checks TIME within each subject, finds where a new occasion starts, and
 * places the occasions one after the other (see `EventRecords.time`).
 *
 * TIME may go back within a subject only where a new occasion starts: at a dose record, at EVID 3 or
 * 4, or (when the file has an OCC column) at a record whose OCC differs from the record before. There
 * the subject's compartments are reset — written as EVID 3/4, or read so, as NONMEM's EVID 4, with
 * one grouped warning — and the new occasion is shifted on the analysis time axis to start at least
 * OCCASION_TIME_GAP after the previous one ends, by a whole multiple of OCCASION_TIME_ALIGN. Anywhere
 * else a TIME that goes back is an error, as is a negative TIME.
 *
 * A reset where TIME does not go back (EVID 3/4 in sequence, or an SS = 1 dose, which NONMEM also
 * treats as a reset) must not fall among the additional doses (ADDL) of an earlier record: whether a
 * reset cancels additional doses still to come is not something this app decides for the user.
 */
import type { ColumnMap } from './columns';
import type { DelimitedTable } from './delimited-text';
import type { RawEvents } from './event-rows';
import { formatCount, formatNumber } from '../text/format';
import { describeLines, shortText, type IssueLog } from './issues';
import type { SubjectGroups } from './subject-groups';
import { EVID_DOSE, EVID_RESET, SS_RESET } from './types';

/** Least time between the end of one occasion and the start of the next on the analysis time axis (a day in hours). */
export const OCCASION_TIME_GAP = 24;
/** Occasion offsets are whole multiples of this (a day in hours), so that time − TIME is a whole number of days. */
export const OCCASION_TIME_ALIGN = 24;

export interface Timeline {
  /** Analysis time of each raw event: TIME + the offset of its occasion. */
  time: Float64Array;
  /** Occasion of each raw event (0-based within its subject). */
  occasion: Int32Array;
}

/** Restarts named in the grouped warning. */
const RESTARTS_SHOWN = 5;

/**
 * The offset of an occasion whose first record is at TIME `start`, after an occasion that ended at
 * analysis time `previousEnd`: the smallest multiple of the alignment at least the gap past that end.
 */
export function occasionOffset(previousEnd: number, start: number): number {
  return Math.ceil((previousEnd + OCCASION_TIME_GAP - start) / OCCASION_TIME_ALIGN) * OCCASION_TIME_ALIGN;
}

/**
 * Places every raw event on its subject's analysis time axis; marks the records where TIME restarts
 * without an explicit reset as resets (`events.reset`). Errors and the grouped warning go to `log`.
 */
export function placeOccasions(
  events: RawEvents,
  groups: SubjectGroups,
  table: DelimitedTable,
  columns: ColumnMap,
  log: IssueLog,
): Timeline {
  const n = events.time.length;
  const timeline: Timeline = { time: new Float64Array(n), occasion: new Int32Array(n) };
  const restarts: { id: string; line: number }[] = [];
  let restartingSubjects = 0;
  const occasionCell = (i: number): string | undefined =>
    columns.occasion === undefined ? undefined : (table.rows[events.row[i]][columns.occasion] ?? '').trim();

  groups.ids.forEach((id, subject) => {
    let offset = 0;
    let occasion = 0;
    /** Latest TIME (as written) of the current occasion's records, and its line. */
    let latest = Number.NEGATIVE_INFINITY;
    let latestLine = 0;
    /** Analysis time at which the current occasion ends: its last record, additional dose or infusion end. */
    let end = Number.NEGATIVE_INFINITY;
    /** TIME (as written) of the last additional dose (ADDL) of the current occasion so far, and its line. */
    let additionalUntil = Number.NEGATIVE_INFINITY;
    let additionalLine = 0;
    let previousOccasionCell: string | undefined;
    let restarted = false;
    for (let k = groups.starts[subject]; k < groups.starts[subject + 1]; k++) {
      const i = groups.order[k];
      const time = events.time[i];
      const line = events.line[i];
      const first = k === groups.starts[subject];
      const cell = occasionCell(i);
      const occasionChanged = cell !== undefined && previousOccasionCell !== undefined && cell !== previousOccasionCell;
      previousOccasionCell = cell;
      const explicitReset = events.reset[i] === 1;
      if (time < 0) {
        log.error(
          'negative-time',
          { line, column: 'TIME' },
          `TIME is negative (${time})`,
          'Times are hours since the first dose or start of the study; use values ≥ 0.',
        );
      } else if (!first && time < latest) {
        if (explicitReset || atDoseRow(events, i) || occasionChanged) {
          offset = occasionOffset(end, time);
          if (!Number.isFinite(offset)) {
            log.error(
              'implausible-value',
              { line, column: 'TIME' },
              `a new occasion of subject ${shortText(id)} starts here, after times too large to place it after the previous occasion`,
              'Check the TIME values of this subject (their units and exponents).',
            );
          }
          occasion++;
          latest = Number.NEGATIVE_INFINITY;
          end = Number.NEGATIVE_INFINITY;
          additionalUntil = Number.NEGATIVE_INFINITY;
          if (!explicitReset) {
            events.reset[i] = 1;
            if (!restarted) {
              restartingSubjects++;
              if (restarts.length < RESTARTS_SHOWN) restarts.push({ id, line });
            }
            restarted = true;
          }
        } else {
          log.error(
            'decreasing-time',
            { line, column: 'TIME' },
            `TIME ${time} of subject ${shortText(id)} is earlier than ${latest} on line ${latestLine}`,
            'Sort each subject\u2019s records by TIME (doses before observations at the same time). TIME may start again only at a new occasion: at a dose, at EVID 3 or 4, or where OCC changes.',
          );
        }
      } else {
        if (!first && explicitReset) occasion++;
        if (!first && (explicitReset || (events.evid[i] === EVID_DOSE && events.ss[i] === SS_RESET)) && additionalUntil >= time) {
          const what = explicitReset
            ? `the reset (EVID ${events.evid[i] === EVID_RESET ? 3 : 4})`
            : 'the steady-state dose (SS 1, which resets what came before)';
          log.error(
            'additional-doses-past-reset',
            { line },
            `${what} on this line comes while the additional doses (ADDL) of line ${additionalLine} still run, until TIME ${formatNumber(additionalUntil)}`,
            'Whether a reset cancels the additional doses still to come is not decided here: end the ADDL series before the reset (a smaller ADDL), or write the doses out one per line.',
          );
        }
      }
      const at = time + offset;
      timeline.time[i] = at;
      timeline.occasion[i] = occasion;
      if (time >= latest) {
        latest = time;
        latestLine = line;
      }
      const additional = events.addl[i] * events.ii[i];
      end = Math.max(end, at + additional + events.duration[i]);
      if (events.addl[i] > 0 && time + additional > additionalUntil) {
        additionalUntil = time + additional;
        additionalLine = line;
      }
    }
  });
  warnAboutRestarts(restarts, restartingSubjects, log);
  return timeline;
}

/**
 * Whether raw event `i` comes from a dose row: a dose, or the observation that a row with both DV and
 * AMT yields just before its dose (files without EVID).
 */
function atDoseRow(events: RawEvents, i: number): boolean {
  if (events.evid[i] === EVID_DOSE) return true;
  return i + 1 < events.evid.length && events.row[i + 1] === events.row[i] && events.evid[i + 1] === EVID_DOSE;
}

function warnAboutRestarts(restarts: readonly { id: string; line: number }[], subjects: number, log: IssueLog): void {
  if (subjects === 0) return;
  const where =
    subjects === 1
      ? `subject ${shortText(restarts[0].id)} restarts TIME at a new occasion (${describeLines(restarts.map((r) => r.line))})`
      : `${formatCount(subjects)} subjects restart TIME at a new occasion (subjects ${restarts
          .map((r) => shortText(r.id))
          .join(', ')}${subjects > restarts.length ? ', …' : ''} on ${describeLines(
          restarts.map((r) => r.line),
          RESTARTS_SHOWN,
          Math.max(subjects, restarts.length),
        )})`;
  log.warn(
    'occasion-restart',
    { line: restarts[0].line, column: 'TIME' },
    `${where}: read as a reset, as NONMEM's EVID 4`,
    `Each new occasion starts with the subject's compartments emptied, and is placed after the previous one on the time axis (a whole number of days later, at least ${OCCASION_TIME_GAP} h after it ends; TIME as written is kept for messages). If a restart is a sorting error instead, sort the subject's records by TIME; to make a reset explicit, write EVID 4 on the first dose of each occasion.`,
  );
}
