import type { Dataset } from '../types';
import { type Arm, armIndexBySubject, deriveArms } from './arms';
import { observationsOf } from './observations';

export interface TimePoint {
  time: number;
  dv: number;
}

export interface IndividualSeries {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  dose: number;
  label: string;
  /** Usable observations in time order. */
  points: TimePoint[];
}

/** One series per subject with at least one usable observation of the DVID ("spaghetti"). */
export function individualSeries(dataset: Dataset, dvid: number, arms: readonly Arm[] = deriveArms(dataset)): IndividualSeries[] {
  const armOf = armIndexBySubject(dataset, arms);
  const bySubject = new Map<number, TimePoint[]>();
  for (const o of observationsOf(dataset, dvid)) {
    let points = bySubject.get(o.subject);
    if (!points) bySubject.set(o.subject, (points = []));
    points.push({ time: o.time, dv: o.dv });
  }
  const out: IndividualSeries[] = [];
  for (const [subject, points] of bySubject) {
    const arm = arms[armOf[subject]];
    points.sort((p, q) => p.time - q.time);
    out.push({
      subject,
      id: dataset.subjects[subject].id,
      dose: arm?.dose ?? Number.NaN,
      label: arm?.label ?? 'Unknown dose',
      points,
    });
  }
  return out.sort((a, b) => a.subject - b.subject);
}
