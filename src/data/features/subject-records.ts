/**
 * Reads one subject's records of a Dataset in a single walk over its own record range (never
 * another subject's): dose history (with infusion durations and resets), usable observations of one
 * endpoint, and the pre-dose PD baseline.
 */
import { endpointMatches } from '../../study/study-data';
import type { EndpointSelector } from '../../study/study-spec';
import type { Dataset } from '../types';
import { DVID_PD, EVID_DOSE, EVID_OBSERVATION } from '../types';
import { countUnmodelledDosing, UnmodelledDosingError, unmodelledDosingMessage } from '../unmodelled-dosing';

/** What the features are called in messages about data they cannot read. */
export const FEATURES_CONSUMER = 'the network features';

export interface SubjectRecords {
  doseTimes: Float64Array;
  doseAmounts: Float64Array;
  /** Record indices of usable observations (EVID 0, MDV 0, finite DV) of the requested endpoint. */
  observations: Int32Array;
  /**
   * The subject's pre-dose PD: the latest PD observation at or before its first dose (at or before
   * time 0 when it has no doses); NaN when there is none. Independent of the dose-time convention.
   */
  baselinePd: number;
  /** Time of the subject's last usable observation of any type (-Infinity when none; for dosing-scale.ts). */
  lastObservationTime: number;
  /** Infusion duration of each dose (0: given at once); absent when no dose is an infusion. */
  doseDurations?: Float64Array;
  /** Analysis times of the subject's resets (new occasions; the history restarts there); absent when none. */
  resetTimes?: Float64Array;
}

/** Observations by DVID (a number) or by a study endpoint (DVID and/or CMT). */
export type ObservationSelector = number | EndpointSelector;

/** Whether a record with this DVID and CMT is one the selector names (an endpoint: the study binding's rule). */
export function selects(selector: ObservationSelector, dvid: number, cmt: number): boolean {
  return typeof selector === 'number' ? dvid === selector : endpointMatches(selector, dvid, cmt);
}

/**
 * What the network features cannot read: doses at steady state (SS), whose history before the dose is
 * not in the file. Infusions (their durations) and resets (the history restarts) they read. Throws an
 * UnmodelledDosingError naming the file, the records and what to do (unmodelled-dosing.ts).
 */
export function refuseFeatureDosing(dataset: Dataset, subjects: Iterable<number>): void {
  const found = countUnmodelledDosing(dataset, subjects).filter((c) => c.kind === 'steady-state');
  const message = unmodelledDosingMessage(dataset, found, FEATURES_CONSUMER);
  if (message !== null) throw new UnmodelledDosingError(message);
}

/** Throws an UnmodelledDosingError when the subject has doses at steady state (refuseFeatureDosing). */
export function readSubjectRecords(
  dataset: Dataset,
  subject: number,
  observe: ObservationSelector,
  /** The PD endpoint whose pre-dose value is the baseline (default DVID 2). */
  pd: ObservationSelector = DVID_PD,
): SubjectRecords {
  const info = dataset.subjects[subject];
  if (info === undefined) throw new Error(`features: no subject with index ${subject}`);
  if (info.recordCount === 0) {
    throw new Error(`features: subject ${info.id} has no records in this dataset (withheld for final evaluation?)`);
  }
  refuseFeatureDosing(dataset, [subject]);
  const { time, dv, evid, mdv, amt, dvid: dvids, cmt, duration, reset, blq } = dataset.records;
  const from = info.firstRecord;
  const to = from + info.recordCount;
  const doseTimes: number[] = [];
  const doseAmounts: number[] = [];
  const doseDurations: number[] = [];
  const observations: number[] = [];
  const resetTimes: number[] = [];
  let firstDose = Number.POSITIVE_INFINITY;
  let lastObservationTime = Number.NEGATIVE_INFINITY;
  for (let k = from; k < to; k++) {
    // A reset after the subject's first record starts a new segment (as the study binding's).
    if (reset !== undefined && reset[k] === 1 && k > from) resetTimes.push(time[k]);
    const e = evid[k];
    if (e === EVID_DOSE) {
      const a = amt[k];
      if (Number.isFinite(a) && a > 0) {
        doseTimes.push(time[k]);
        doseAmounts.push(a);
        doseDurations.push(duration !== undefined && duration[k] > 0 ? duration[k] : 0);
        if (time[k] < firstDose) firstDose = time[k];
      }
    } else if (e === EVID_OBSERVATION && mdv[k] === 0 && Number.isFinite(dv[k])) {
      if (time[k] > lastObservationTime) lastObservationTime = time[k];
      // A value below the limit of quantification is no measurement (its DV is the limit): not a target.
      if (selects(observe, dvids[k], cmt[k]) && (blq === undefined || blq[k] !== 1)) observations.push(k);
    }
  }
  const anchor = firstDose === Number.POSITIVE_INFINITY ? 0 : firstDose;
  let baselinePd = Number.NaN;
  let baselineTime = Number.NEGATIVE_INFINITY;
  for (let k = from; k < to; k++) {
    if (evid[k] !== EVID_OBSERVATION || mdv[k] !== 0 || !selects(pd, dvids[k], cmt[k]) || !Number.isFinite(dv[k])) continue;
    const t = time[k];
    if (t <= anchor && t >= baselineTime) {
      baselineTime = t;
      baselinePd = dv[k];
    }
  }
  // Doses are kept in time order even if a file listed them otherwise.
  const idx = doseTimes.map((_, j) => j);
  let sorted = true;
  for (let j = 1; j < doseTimes.length; j++) if (doseTimes[j] < doseTimes[j - 1]) sorted = false;
  if (!sorted) idx.sort((x, y) => doseTimes[x] - doseTimes[y] || x - y);
  const infused = doseDurations.some((d) => d > 0);
  return {
    doseTimes: Float64Array.from(idx, (j) => doseTimes[j]),
    doseAmounts: Float64Array.from(idx, (j) => doseAmounts[j]),
    ...(infused ? { doseDurations: Float64Array.from(idx, (j) => doseDurations[j]) } : {}),
    ...(resetTimes.length > 0 ? { resetTimes: Float64Array.from(resetTimes) } : {}),
    observations: Int32Array.from(observations),
    baselinePd,
    lastObservationTime,
  };
}
