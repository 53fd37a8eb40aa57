import type { DelimitedTable } from './delimited-text';
import type { RawEvents } from './event-rows';
import { describeLines, shortText, type IssueLog } from './issues';
import type { Timeline } from './occasions';
import { describeSubjectLines, type SubjectGroups } from './subject-groups';
import { DVID_PK, EVID_DOSE, EVID_OBSERVATION } from './types';

/**
 * Checks that need records grouped by subject (TIME itself is checked by occasions.ts, whose timeline
 * places the records: a record repeated in another occasion is not a duplicate). Errors stop ingest;
 * warnings do not.
 */
export function checkSubjectRecords(
  events: RawEvents,
  groups: SubjectGroups,
  table: DelimitedTable,
  timeline: Timeline,
  log: IssueLog,
): void {
  const { time, occasion } = timeline;
  const nonPositivePk: number[] = [];
  const replicates: number[] = [];
  groups.ids.forEach((id, subject) => {
    const members = groups.order.slice(groups.starts[subject], groups.starts[subject + 1]);
    let observations = 0;
    const rowsSeen = new Map<string, number>();
    const observationKeys = new Set<string>();
    for (const i of members) {
      const line = events.line[i];
      const rowKey = `${occasion[i]}\u0001${table.rows[events.row[i]].map((c) => c.trim()).join('\u0001')}`;
      const duplicateOf = rowsSeen.get(rowKey);
      if (duplicateOf !== undefined && duplicateOf !== line) {
        log.error('duplicate-record', { line }, `this record repeats line ${duplicateOf} exactly`, 'Delete one of the two lines.');
      } else {
        rowsSeen.set(rowKey, line);
      }

      if (events.evid[i] === EVID_OBSERVATION && events.mdv[i] === 0) {
        observations++;
        const key = `${time[i]}|${events.dvid[i]}`;
        if (observationKeys.has(key) && duplicateOf === undefined) replicates.push(line);
        observationKeys.add(key);
        if (events.dvid[i] === DVID_PK && events.dv[i] <= 0) nonPositivePk.push(line);
      }
    }
    if (observations === 0) {
      const doses = members.filter((i) => events.evid[i] === EVID_DOSE).length;
      log.error(
        'subject-without-observations',
        { line: events.line[members[0]], column: 'ID' },
        `subject ${shortText(id)} (${describeSubjectLines(events, groups, subject)}) has ${doses} dose records but no usable observations`,
        'Add the subject\u2019s observations, or remove its records.',
      );
    }
  });
  if (replicates.length > 0) {
    log.warn(
      'replicate-observations',
      { line: replicates[0] },
      `${replicates.length} observations share subject, TIME and DVID with an earlier one (${describeLines(replicates)})`,
      'They are kept as replicate samples. If they are entry errors, remove them.',
    );
  }
  if (nonPositivePk.length > 0) {
    log.warn(
      'non-positive-concentration',
      { line: nonPositivePk[0], column: 'DV' },
      `${nonPositivePk.length} drug concentrations are ≤ 0 (${describeLines(nonPositivePk)})`,
      'They are kept for plots, and treated as below the limit of quantification where a log scale is used.',
    );
  }
}
