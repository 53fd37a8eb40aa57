import type { Dataset } from '../types';
import { EVID_OBSERVATION } from '../types';

/** One usable observation: subject index into Dataset.subjects, time (h), value. */
export interface Observation {
  subject: number;
  time: number;
  dv: number;
}

/**
 * True when record i is an observation of the given DVID that carries a value: EVID 0, MDV 0,
 * finite TIME and DV. MDV=1 records and NaN DVs are never plotted or averaged.
 */
export function isUsableObservation(dataset: Dataset, i: number, dvid: number): boolean {
  const r = dataset.records;
  return r.evid[i] === EVID_OBSERVATION && r.mdv[i] === 0 && r.dvid[i] === dvid && Number.isFinite(r.dv[i]) && Number.isFinite(r.time[i]);
}

/** Usable observations of one DVID, in record order (grouped by subject, file order within). */
export function observationsOf(dataset: Dataset, dvid: number): Observation[] {
  const r = dataset.records;
  const out: Observation[] = [];
  for (let i = 0; i < r.subject.length; i++) {
    if (isUsableObservation(dataset, i, dvid)) out.push({ subject: r.subject[i], time: r.time[i], dv: r.dv[i] });
  }
  return out;
}

/** True when the dataset has at least one usable observation of the DVID. */
export function hasObservations(dataset: Dataset, dvid: number): boolean {
  const r = dataset.records;
  for (let i = 0; i < r.subject.length; i++) if (isUsableObservation(dataset, i, dvid)) return true;
  return false;
}
