import type { RawEvents } from './event-rows';
import { formatCount } from '../text/format';
import { describeLines, shortText, type IssueLog } from './issues';

export interface SubjectGroups {
  /** Subject IDs in order of first appearance. */
  ids: string[];
  /** Raw event indices, grouped by subject, file order within a subject. */
  order: number[];
  /** Start of each subject's slice of `order`; `starts[ids.length]` is the end. */
  starts: number[];
}

/** Groups events by subject. Records of one subject split across the file are merged, with one warning for all such subjects. */
export function groupBySubject(events: RawEvents, log: IssueLog): SubjectGroups {
  const members = new Map<string, number[]>();
  const splitLines = new Map<string, number>();
  let previous: string | undefined;
  events.id.forEach((id, index) => {
    const list = members.get(id);
    if (list === undefined) {
      members.set(id, [index]);
    } else {
      if (id !== previous && !splitLines.has(id)) splitLines.set(id, events.line[index]);
      list.push(index);
    }
    previous = id;
  });
  warnAboutSplitSubjects(splitLines, log);
  const ids = [...members.keys()];
  const order: number[] = [];
  const starts: number[] = [];
  for (const id of ids) {
    starts.push(order.length);
    // One push per record: spreading a subject's records into push() overflows the call stack at ~100,000.
    for (const index of members.get(id) ?? []) order.push(index);
  }
  starts.push(order.length);
  return { ids, order, starts };
}

const SPLIT_SUBJECTS_SHOWN = 5;

function warnAboutSplitSubjects(splitLines: Map<string, number>, log: IssueLog): void {
  if (splitLines.size === 0) return;
  const shown: [string, number][] = [];
  for (const entry of splitLines) {
    if (shown.length === SPLIT_SUBJECTS_SHOWN) break;
    shown.push(entry);
  }
  const [firstId, firstLine] = shown[0];
  const what =
    splitLines.size === 1
      ? `records of subject ${shortText(firstId)} resume here after other subjects' records`
      : `${formatCount(splitLines.size)} subjects have records split across the file: subjects ${shown.map(([id]) => shortText(id)).join(', ')}` +
        `${splitLines.size > shown.length ? ' …' : ''} (resuming on ${describeLines(
          shown.map(([, line]) => line),
          SPLIT_SUBJECTS_SHOWN,
          splitLines.size,
        )})`;
  log.warn(
    'subject-split',
    { line: firstLine, column: 'ID' },
    what,
    `They were merged into one subject each, in file order. If records under one ID belong to different people, give them different IDs.`,
  );
}

export function subjectLines(events: RawEvents, groups: SubjectGroups, subject: number): number[] {
  return groups.order.slice(groups.starts[subject], groups.starts[subject + 1]).map((i) => events.line[i]);
}

export function describeSubjectLines(events: RawEvents, groups: SubjectGroups, subject: number): string {
  const lines = subjectLines(events, groups, subject);
  return lines.length > 3 ? `lines ${lines[0]}–${lines[lines.length - 1]}` : describeLines(lines);
}
