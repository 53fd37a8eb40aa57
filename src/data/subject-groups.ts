import type { RawEvents } from './event-rows';
import { describeLines, type IssueLog } from './issues';

export interface SubjectGroups {
  /** Subject IDs in order of first appearance. */
  ids: string[];
  /** Raw event indices, grouped by subject, file order within a subject. */
  order: number[];
  /** Start of each subject's slice of `order`; `starts[ids.length]` is the end. */
  starts: number[];
}

/** Groups events by subject. Records of one subject split across the file are merged, with a warning. */
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
  for (const [id, line] of splitLines) {
    log.warn(
      'subject-split',
      { line, column: 'ID' },
      `records of subject ${id} resume here after other subjects' records`,
      'They were merged into one subject in file order. If they are a different person, give them a new ID.',
    );
  }
  const ids = [...members.keys()];
  const order: number[] = [];
  const starts: number[] = [];
  for (const id of ids) {
    starts.push(order.length);
    order.push(...(members.get(id) ?? []));
  }
  starts.push(order.length);
  return { ids, order, starts };
}

export function subjectLines(events: RawEvents, groups: SubjectGroups, subject: number): number[] {
  return groups.order.slice(groups.starts[subject], groups.starts[subject + 1]).map((i) => events.line[i]);
}

export function describeSubjectLines(events: RawEvents, groups: SubjectGroups, subject: number): string {
  const lines = subjectLines(events, groups, subject);
  return lines.length > 3 ? `lines ${lines[0]}–${lines[lines.length - 1]}` : describeLines(lines);
}
