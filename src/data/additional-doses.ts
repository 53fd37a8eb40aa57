/**
 * The records of the dataset in their final order: each subject's records of the file, with the
 * additional doses of ADDL merged in. A dose with ADDL = n and II = τ at analysis time t stands for
 * n + 1 doses at t, t + τ, …, t + nτ; each additional dose is a record of its own that keeps the
 * file line of the record that asked for it. Records are in analysis-time order; at equal times the
 * file's records come first (observations at a dose time stay before that dose), then the additional
 * doses in the order of the records that asked for them.
 *
 * Nothing is copied here: a record is a raw event (`source`) and a step k (the k-th additional dose,
 * 0 for the record as written). The count of additional doses was limited while the rows were read
 * (`MAX_ADDITIONAL_DOSES`), before this allocates them.
 */
import type { RawEvents } from './event-rows';
import type { Timeline } from './occasions';
import type { SubjectGroups } from './subject-groups';

export interface RecordLayout {
  /** Raw event of each record. */
  source: Int32Array;
  /** 0 for a record as written; k ≥ 1 for the k-th additional dose of its source (time + k × II). */
  step: Int32Array;
  /** Start of each subject's records; `starts[subjects]` is the total. */
  starts: number[];
}

/** The records as written, without additional doses (for a file that is refused anyway). */
export function layoutWithoutAdditionalDoses(groups: SubjectGroups): RecordLayout {
  return { source: Int32Array.from(groups.order), step: new Int32Array(groups.order.length), starts: [...groups.starts] };
}

export function layoutRecords(events: RawEvents, groups: SubjectGroups, timeline: Timeline): RecordLayout {
  let additional = 0;
  for (const i of groups.order) additional += events.addl[i];
  if (additional === 0) return layoutWithoutAdditionalDoses(groups);
  const total = groups.order.length + additional;
  const source = new Int32Array(total);
  const step = new Int32Array(total);
  const starts: number[] = [];
  let at = 0;
  for (let s = 0; s < groups.ids.length; s++) {
    starts.push(at);
    const from = groups.starts[s];
    const to = groups.starts[s + 1];
    let count = 0;
    for (let k = from; k < to; k++) count += events.addl[groups.order[k]];
    if (count === 0) {
      for (let k = from; k < to; k++) source[at++] = groups.order[k];
      continue;
    }
    // The subject's additional doses, sorted by time (stable: by asking record, then step).
    const doseTime = new Float64Array(count);
    const doseSource = new Int32Array(count);
    const doseStep = new Int32Array(count);
    let d = 0;
    for (let k = from; k < to; k++) {
      const i = groups.order[k];
      for (let j = 1; j <= events.addl[i]; j++) {
        doseTime[d] = timeline.time[i] + j * events.ii[i];
        doseSource[d] = i;
        doseStep[d] = j;
        d++;
      }
    }
    let sorted = true;
    for (let j = 1; j < count && sorted; j++) if (doseTime[j] < doseTime[j - 1]) sorted = false;
    const rank = sorted ? null : Int32Array.from({ length: count }, (_, j) => j).sort((a, b) => doseTime[a] - doseTime[b] || a - b);
    let q = 0;
    const emitDose = (): void => {
      const j = rank === null ? q : rank[q];
      source[at] = doseSource[j];
      step[at] = doseStep[j];
      at++;
      q++;
    };
    const timeOf = (): number => doseTime[rank === null ? q : rank[q]];
    for (let k = from; k < to; k++) {
      const i = groups.order[k];
      while (q < count && timeOf() < timeline.time[i]) emitDose();
      source[at++] = i;
    }
    while (q < count) emitDose();
  }
  starts.push(at);
  return { source, step, starts };
}
