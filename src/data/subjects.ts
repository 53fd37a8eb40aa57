import { modalAmount } from './modal-amount';
import type { Covariate, EventRecords, Subject } from './types';
import { DVID_PD, DVID_PK, EVID_DOSE, EVID_OBSERVATION } from './types';

/** The column that labels each subject's arm (dose group, in mg), when a file has one: not a covariate of the subject. */
export const ARM_DOSE_COVARIATE = 'DOSE';

/** Summarises each subject: baseline covariates, arm dose, record counts. */
export function summariseSubjects(
  ids: readonly string[],
  starts: readonly number[],
  records: EventRecords,
  covariates: readonly Covariate[],
): Subject[] {
  return ids.map((id, s) => {
    const first = starts[s];
    const end = starts[s + 1];
    const baseline: Record<string, number> = {};
    for (const covariate of covariates) baseline[covariate.name] = firstPresent(covariate.values, first, end);
    const amounts: number[] = [];
    let doseCount = 0;
    let pkCount = 0;
    let pdCount = 0;
    for (let k = first; k < end; k++) {
      if (records.evid[k] === EVID_DOSE) {
        doseCount++;
        amounts.push(records.amt[k]);
      } else if (records.evid[k] === EVID_OBSERVATION && records.mdv[k] === 0) {
        if (records.dvid[k] === DVID_PK) pkCount++;
        else if (records.dvid[k] === DVID_PD) pdCount++;
      }
    }
    const declaredArm = baseline[ARM_DOSE_COVARIATE];
    const armDose = declaredArm !== undefined && !Number.isNaN(declaredArm) ? declaredArm : modalAmount(amounts);
    return { id, firstRecord: first, recordCount: end - first, baseline, armDose, doseCount, pkCount, pdCount };
  });
}

function firstPresent(values: Float64Array, from: number, to: number): number {
  for (let k = from; k < to; k++) if (!Number.isNaN(values[k])) return values[k];
  return Number.NaN;
}
