import type { Dataset } from '../types';
import { DVID_PD, DVID_PK, EVID_DOSE } from '../types';
import type { TimePoint } from './individual-series';
import { isUsableObservation } from './observations';

export interface DoseEvent {
  time: number;
  /** Amount (mg); NaN when the record has none. */
  amt: number;
}

export interface SubjectSeries {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  /** Usable PK (DVID 1) observations in time order. */
  pk: TimePoint[];
  /** Usable PD (DVID 2) observations in time order. */
  pd: TimePoint[];
  /** Dose records (EVID 1) in time order. */
  doses: DoseEvent[];
}

/** Observations and dose events of one subject (index into Dataset.subjects). */
export function subjectSeries(dataset: Dataset, subject: number): SubjectSeries {
  const s = dataset.subjects[subject];
  if (!s) throw new RangeError(`No subject at index ${subject}: the dataset has ${dataset.subjects.length} subjects.`);
  const r = dataset.records;
  const pk: TimePoint[] = [];
  const pd: TimePoint[] = [];
  const doses: DoseEvent[] = [];
  for (let i = s.firstRecord; i < s.firstRecord + s.recordCount; i++) {
    if (r.subject[i] !== subject) continue;
    if (isUsableObservation(dataset, i, DVID_PK)) pk.push({ time: r.time[i], dv: r.dv[i] });
    else if (isUsableObservation(dataset, i, DVID_PD)) pd.push({ time: r.time[i], dv: r.dv[i] });
    else if (r.evid[i] === EVID_DOSE && Number.isFinite(r.time[i])) doses.push({ time: r.time[i], amt: r.amt[i] });
  }
  const byTime = (a: { time: number }, b: { time: number }): number => a.time - b.time;
  return { subject, id: s.id, pk: pk.sort(byTime), pd: pd.sort(byTime), doses: doses.sort(byTime) };
}
