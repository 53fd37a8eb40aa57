/**
 * One subject's dose history in the shape the feature code takes (HistoryInputs), read from a
 * Dataset as the observation features read it (buildDatasetFeatures): its usable dose records,
 * arm dose and pre-dose PD baseline (readSubjectRecords), and each covariate at the requested times.
 */
import type { HistoryInputs } from '../../data/features/history';
import { readSubjectRecords } from '../../data/features/subject-records';
import type { Dataset } from '../../data/types';
import { DVID_PK } from '../../data/types';

export interface SubjectHistory {
  readonly doses: { time: number; amount: number }[];
  /**
   * The history's inputs at `times` (ascending). A subject-level covariate is the subject's value.
   * A time-varying one steps at the subject's records: at each time, the value of the latest record
   * at or before it, a missing value read as the subject's first value — each record resolved as
   * the observation features resolve an observation's, so at an observation's time (when it is the
   * last record there) the curve gets that observation's features.
   */
  at(times: readonly number[]): HistoryInputs;
}

export function subjectHistory(dataset: Dataset, subject: number): SubjectHistory {
  const info = dataset.subjects[subject];
  // The DVID only selects observations, which are not used here.
  const records = readSubjectRecords(dataset, subject, DVID_PK);
  const at = (times: readonly number[]): HistoryInputs => {
    const covariates: Record<string, number | Float64Array> = {};
    for (const c of dataset.covariates) {
      const first = info.baseline[c.name] ?? Number.NaN;
      covariates[c.name] = c.kind === 'subject' ? first : carriedForward(dataset, subject, c.values, first, times);
    }
    return {
      doses: {
        times: records.doseTimes,
        amounts: records.doseAmounts,
        ...(records.doseDurations ? { durations: records.doseDurations } : {}),
      },
      ...(records.resetTimes ? { resets: records.resetTimes } : {}),
      covariates,
      armDose: info.armDose,
      baselinePd: records.baselinePd,
    };
  };
  return { doses: Array.from(records.doseTimes, (time, j) => ({ time, amount: records.doseAmounts[j] })), at };
}

function carriedForward(dataset: Dataset, subject: number, values: Float64Array, first: number, times: readonly number[]): Float64Array {
  const { firstRecord, recordCount } = dataset.subjects[subject];
  const recordTime = dataset.records.time;
  const out = new Float64Array(times.length);
  let k = firstRecord;
  let current = first;
  for (let i = 0; i < times.length; i++) {
    if (i > 0 && times[i] < times[i - 1]) throw new Error('subject history: times must be ascending');
    // Records of a subject are in time order (ingest rejects decreasing TIME).
    for (; k < firstRecord + recordCount && recordTime[k] <= times[i]; k++) current = Number.isNaN(values[k]) ? first : values[k];
    out[i] = current;
  }
  return out;
}
