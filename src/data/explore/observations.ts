import { endpointMatches } from '../../study/study-data';
import type { EndpointSelector } from '../../study/study-spec';
import type { Dataset } from '../types';
import { EVID_OBSERVATION } from '../types';

/** Which observation records an endpoint is: by DVID, by CMT, or both (a study spec's endpoint). */
export type ObservationSelector = Pick<EndpointSelector, 'dvid' | 'cmt'>;

/** One usable observation: subject index into Dataset.subjects, time (the file's unit), value. */
export interface Observation {
  subject: number;
  time: number;
  dv: number;
}

/**
 * True when record i is an observation the selector selects that carries a value: EVID 0, MDV 0,
 * finite TIME and DV. MDV=1 records and NaN DVs are never plotted or averaged.
 */
export function isUsableObservation(dataset: Dataset, i: number, selector: ObservationSelector): boolean {
  const r = dataset.records;
  return (
    r.evid[i] === EVID_OBSERVATION &&
    r.mdv[i] === 0 &&
    endpointMatches(selector, r.dvid[i], r.cmt[i]) &&
    Number.isFinite(r.dv[i]) &&
    Number.isFinite(r.time[i])
  );
}

/** Usable observations of one endpoint, in record order (grouped by subject, file order within). */
export function observationsOf(dataset: Dataset, selector: ObservationSelector): Observation[] {
  const r = dataset.records;
  const out: Observation[] = [];
  for (let i = 0; i < r.subject.length; i++) {
    if (isUsableObservation(dataset, i, selector)) out.push({ subject: r.subject[i], time: r.time[i], dv: r.dv[i] });
  }
  return out;
}
