import type { ColumnMap } from './columns';
import type { RawEvents } from './event-rows';
import { formatCount } from '../text/format';
import { describeLines, shortText, type IssueLog } from './issues';
import { minOf } from './min-max';
import { DVID_PD, DVID_PK, EVID_OBSERVATION, KNOWN_DVIDS } from './types';

/** Observation types named in the warning about types the app does not model. */
const OTHER_TYPES_SHOWN = 5;

/**
 * Gives every observation a DVID: from the DVID column (any number; a missing one is an error), else
 * from two observation compartments (lower CMT = PK, higher = PD), else PK for all. Observations of
 * types other than DVID 1 (PK) and 2 (PD) are kept, with one warning.
 */
export function resolveObservationTypes(events: RawEvents, columns: ColumnMap, log: IssueLog): void {
  const observations = events.evid.flatMap((evid, i) => (evid === EVID_OBSERVATION ? [i] : []));
  if (columns.standard.DVID !== undefined) {
    const missing: number[] = [];
    const others = new Map<number, number[]>();
    for (const i of observations) {
      const dvid = events.dvid[i];
      if (Number.isNaN(dvid)) {
        missing.push(events.line[i]);
      } else if (!KNOWN_DVIDS.includes(dvid)) {
        const lines = others.get(dvid) ?? [];
        lines.push(events.line[i]);
        others.set(dvid, lines);
      }
    }
    if (missing.length > 0) {
      log.error(
        'missing-dvid',
        { line: missing[0], column: columns.writtenName.DVID },
        `DVID is missing on ${missing.length === 1 ? 'an observation' : `${formatCount(missing.length)} observations`} (${describeLines(missing)})`,
        'Give every observation its type in DVID (1 = drug concentration, 2 = response, or your own codes).',
      );
    }
    warnAboutOtherTypes(others, columns, log);
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

/** One warning for the observations of types beyond DVID 1 and 2: kept, not modelled. */
function warnAboutOtherTypes(others: Map<number, number[]>, columns: ColumnMap, log: IssueLog): void {
  if (others.size === 0) return;
  const types = [...others.keys()].sort((a, b) => a - b);
  const firstLines = types.map((t) => others.get(t)?.[0] ?? 0);
  const described = types
    .slice(0, OTHER_TYPES_SHOWN)
    .map((t) => {
      const lines = others.get(t) ?? [];
      return `DVID ${shortText(String(t))}: ${formatCount(lines.length)} (${describeLines(lines, 3)})`;
    })
    .join('; ');
  const more = types.length > OTHER_TYPES_SHOWN ? `; and ${formatCount(types.length - OTHER_TYPES_SHOWN)} more types` : '';
  log.warn(
    'other-observation-types',
    { line: minOf(firstLines), column: columns.writtenName.DVID },
    `observations of ${types.length === 1 ? 'a type' : `${formatCount(types.length)} types`} other than DVID 1 (PK) and 2 (PD) are kept but not modelled (${described}${more})`,
    'The app models DVID 1 as the drug concentration and DVID 2 as the response. Recode the observations you want modelled as 1 or 2; the others stay in the dataset for plots.',
  );
}
