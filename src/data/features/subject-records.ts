/**
 * Reads one subject's records of a Dataset in a single walk over its own record range (never
 * another subject's): dose history, usable observations of one DVID, and the pre-dose PD baseline.
 */
import type { Dataset } from '../types';
import { DVID_PD, EVID_DOSE, EVID_OBSERVATION } from '../types';
import { refuseUnmodelledDosing } from '../unmodelled-dosing';

/** What the features are called in messages about data they cannot read. */
export const FEATURES_CONSUMER = 'the network features';

export interface SubjectRecords {
  doseTimes: Float64Array;
  doseAmounts: Float64Array;
  /** Record indices of usable observations (EVID 0, MDV 0, finite DV) of the requested DVID. */
  observations: Int32Array;
  /**
   * The subject's pre-dose PD: the latest PD observation at or before its first dose (at or before
   * time 0 when it has no doses); NaN when there is none. Independent of the dose-time convention.
   */
  baselinePd: number;
}

/**
 * Throws an UnmodelledDosingError when the subject has infusions, steady-state doses or resets after
 * a dose: the features read every dose as an oral bolus (see unmodelled-dosing.ts).
 */
export function readSubjectRecords(dataset: Dataset, subject: number, dvid: number): SubjectRecords {
  const info = dataset.subjects[subject];
  if (info === undefined) throw new Error(`features: no subject with index ${subject}`);
  if (info.recordCount === 0) {
    throw new Error(`features: subject ${info.id} has no records in this dataset (withheld for final evaluation?)`);
  }
  refuseUnmodelledDosing(dataset, [subject], FEATURES_CONSUMER);
  const { time, dv, evid, mdv, amt, dvid: dvids } = dataset.records;
  const from = info.firstRecord;
  const to = from + info.recordCount;
  const doseTimes: number[] = [];
  const doseAmounts: number[] = [];
  const observations: number[] = [];
  let firstDose = Number.POSITIVE_INFINITY;
  for (let k = from; k < to; k++) {
    const e = evid[k];
    if (e === EVID_DOSE) {
      const a = amt[k];
      if (Number.isFinite(a) && a > 0) {
        doseTimes.push(time[k]);
        doseAmounts.push(a);
        if (time[k] < firstDose) firstDose = time[k];
      }
    } else if (e === EVID_OBSERVATION && mdv[k] === 0 && dvids[k] === dvid && Number.isFinite(dv[k])) {
      observations.push(k);
    }
  }
  const anchor = firstDose === Number.POSITIVE_INFINITY ? 0 : firstDose;
  let baselinePd = Number.NaN;
  let baselineTime = Number.NEGATIVE_INFINITY;
  for (let k = from; k < to; k++) {
    if (evid[k] !== EVID_OBSERVATION || mdv[k] !== 0 || dvids[k] !== DVID_PD || !Number.isFinite(dv[k])) continue;
    const t = time[k];
    if (t <= anchor && t >= baselineTime) {
      baselineTime = t;
      baselinePd = dv[k];
    }
  }
  // Doses are kept in time order even if a file listed them otherwise.
  let sorted = true;
  for (let j = 1; j < doseTimes.length; j++) if (doseTimes[j] < doseTimes[j - 1]) sorted = false;
  if (!sorted) {
    const idx = doseTimes.map((_, j) => j).sort((x, y) => doseTimes[x] - doseTimes[y] || x - y);
    return {
      doseTimes: Float64Array.from(idx, (j) => doseTimes[j]),
      doseAmounts: Float64Array.from(idx, (j) => doseAmounts[j]),
      observations: Int32Array.from(observations),
      baselinePd,
    };
  }
  return {
    doseTimes: Float64Array.from(doseTimes),
    doseAmounts: Float64Array.from(doseAmounts),
    observations: Int32Array.from(observations),
    baselinePd,
  };
}
