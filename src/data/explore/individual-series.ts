import type { Dataset } from '../types';
import { groupIndexBySubject, type SubjectGroup } from './groups';
import { type ObservationSelector, observationsOf } from './observations';

export interface TimePoint {
  time: number;
  dv: number;
}

export interface IndividualSeries {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  /** The subject's group. */
  label: string;
  /** Usable observations in time order. */
  points: TimePoint[];
}

/** One series per subject with at least one usable observation of the endpoint ("spaghetti"). */
export function individualSeries(dataset: Dataset, selector: ObservationSelector, groups: readonly SubjectGroup[]): IndividualSeries[] {
  const groupOf = groupIndexBySubject(dataset, groups);
  const bySubject = new Map<number, TimePoint[]>();
  for (const o of observationsOf(dataset, selector)) {
    let points = bySubject.get(o.subject);
    if (!points) bySubject.set(o.subject, (points = []));
    points.push({ time: o.time, dv: o.dv });
  }
  const out: IndividualSeries[] = [];
  for (const [subject, points] of bySubject) {
    points.sort((p, q) => p.time - q.time);
    const group = groups[groupOf[subject]];
    out.push({ subject, id: dataset.subjects[subject].id, label: group?.label ?? 'No group', points });
  }
  return out.sort((a, b) => a.subject - b.subject);
}
