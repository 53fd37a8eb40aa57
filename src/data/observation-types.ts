import type { ColumnMap } from './columns';
import type { RawEvents } from './event-rows';
import { describeLines, type IssueLog } from './issues';
import { DVID_PD, DVID_PK, EVID_OBSERVATION, KNOWN_DVIDS } from './types';

/**
 * Gives every observation a DVID: from the DVID column (unknown values are errors), else from two
 * observation compartments (lower CMT = PK, higher = PD), else PK for all.
 */
export function resolveObservationTypes(events: RawEvents, columns: ColumnMap, log: IssueLog): void {
  const observations = events.evid.flatMap((evid, i) => (evid === EVID_OBSERVATION ? [i] : []));
  if (columns.standard.DVID !== undefined) {
    const unknown = new Map<number, number[]>();
    for (const i of observations) {
      const dvid = events.dvid[i];
      if (!KNOWN_DVIDS.includes(dvid)) {
        const lines = unknown.get(dvid) ?? [];
        lines.push(events.line[i]);
        unknown.set(dvid, lines);
      }
    }
    for (const [dvid, lines] of unknown) {
      log.error(
        'unknown-dvid',
        { line: lines[0], column: columns.writtenName.DVID },
        `DVID ${Number.isNaN(dvid) ? '(missing)' : dvid} on ${describeLines(lines)} is not a known observation type`,
        'Use DVID 1 for drug concentration (PK) and 2 for the biomarker (PD); remove or recode other observations.',
      );
    }
    return;
  }
  const compartments = [...new Set(observations.map((i) => events.cmt[i]).filter((c) => !Number.isNaN(c)))].sort((a, b) => a - b);
  if (compartments.length === 2) {
    for (const i of observations) events.dvid[i] = events.cmt[i] === compartments[0] ? DVID_PK : DVID_PD;
    log.warn(
      'dvid-from-cmt',
      { column: 'CMT' },
      `no DVID column: observations in CMT ${compartments[0]} are read as drug concentration (PK) and in CMT ${compartments[1]} as biomarker (PD)`,
      'Add a DVID column (1 = PK, 2 = PD) if this is not right.',
    );
    return;
  }
  if (compartments.length > 2) {
    log.error(
      'ambiguous-observations',
      { column: 'CMT' },
      `no DVID column, and observations come from ${compartments.length} compartments (CMT ${compartments.join(', ')})`,
      'Add a DVID column: 1 for drug concentration (PK), 2 for the biomarker (PD).',
    );
    return;
  }
  for (const i of observations) events.dvid[i] = DVID_PK;
  if (observations.length > 0) {
    log.warn(
      'dvid-assumed',
      { column: 'DVID' },
      'no DVID column: all observations are read as drug concentration (PK, DVID 1)',
      'Add a DVID column (1 = PK, 2 = PD) if some observations are biomarker values.',
    );
  }
}
