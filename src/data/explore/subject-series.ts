import type { StudyEndpoints } from '../../study/study-spec';
import type { Dataset } from '../types';
import { EVID_DOSE } from '../types';
import type { TimePoint } from './individual-series';
import { isUsableObservation } from './observations';

export interface DoseEvent {
  time: number;
  /** Amount (the file's unit); NaN when the record has none. */
  amt: number;
}

export interface SubjectSeries {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  /** Usable observations of the concentration (PK) endpoint in time order. */
  pk: TimePoint[];
  /** Usable observations of the response (PD) endpoint in time order. */
  pd: TimePoint[];
  /** Dose records in time order. */
  doses: DoseEvent[];
}

/** Observations of the spec's endpoints and dose events of one subject (index into Dataset.subjects). */
export function subjectSeries(dataset: Dataset, subject: number, endpoints: StudyEndpoints): SubjectSeries {
  const s = dataset.subjects[subject];
  if (!s) throw new RangeError(`No subject at index ${subject}: the dataset has ${dataset.subjects.length} subjects.`);
  const r = dataset.records;
  const pk: TimePoint[] = [];
  const pd: TimePoint[] = [];
  const doses: DoseEvent[] = [];
  for (let i = s.firstRecord; i < s.firstRecord + s.recordCount; i++) {
    if (r.subject[i] !== subject) continue;
    if (endpoints.pk && isUsableObservation(dataset, i, endpoints.pk)) pk.push({ time: r.time[i], dv: r.dv[i] });
    else if (endpoints.pd && isUsableObservation(dataset, i, endpoints.pd)) pd.push({ time: r.time[i], dv: r.dv[i] });
    else if (r.evid[i] === EVID_DOSE && Number.isFinite(r.time[i])) doses.push({ time: r.time[i], amt: r.amt[i] });
  }
  const byTime = (a: { time: number }, b: { time: number }): number => a.time - b.time;
  return { subject, id: s.id, pk: pk.sort(byTime), pd: pd.sort(byTime), doses: doses.sort(byTime) };
}
