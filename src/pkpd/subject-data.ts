/**
 * Per-subject view of a Dataset for mechanistic modelling: covariates, dose history and the PK
 * and PD observations (usable rows only: EVID 0, MDV 0, finite DV).
 */
import type { Dose } from './dose-history';
import { PkpdDataError } from './errors';
import type { Dataset } from '../data/types';
import { DVID_PD, DVID_PK, EVID_DOSE, EVID_OBSERVATION } from '../data/types';
import { countUnmodelledDosing, unmodelledDosingMessage } from '../data/unmodelled-dosing';
import type { PkRoute } from '../study/study-spec';

export interface ObservationSeries {
  times: Float64Array;
  values: Float64Array;
}

export interface PkpdSubject {
  id: string;
  bw: number;
  comed: number;
  /** Arm dose (mg) as the dataset reports it. */
  armDose: number;
  doses: Dose[];
  pk: ObservationSeries;
  pd: ObservationSeries;
}

function covariateValue(dataset: Dataset, subjectIndex: number, name: string): number {
  const value = dataset.subjects[subjectIndex].baseline[name];
  return value === undefined ? NaN : value;
}

export interface ExtractOptions {
  /** Route of the data's doses, where a study spec says it (default oral): the fit models oral doses only. */
  route?: PkRoute;
}

/** What the mechanistic fit is called in messages. */
const CONSUMER = 'the mechanistic fit';

/**
 * Subjects with their dose histories and observations. BW is required (the covariate models use
 * it); a missing COMED column counts as COMED 0 for everyone. The fit models oral doses given at
 * once: a dataset with infusions, steady-state doses or resets after a dose, or doses given
 * intravenously, is refused with a PkpdDataError that says so (rather than read as oral doses).
 */
export function extractSubjects(dataset: Dataset, options: ExtractOptions = {}): PkpdSubject[] {
  const r = dataset.records;
  if (options.route === 'iv') {
    throw new PkpdDataError(
      `The doses of ${dataset.fileName} are intravenous (route iv), which ${CONSUMER} does not model yet: it models oral doses, absorbed first-order. The data can still be explored.`,
    );
  }
  const unmodelled = unmodelledDosingMessage(dataset, countUnmodelledDosing(dataset, dataset.subjects.keys()), CONSUMER);
  if (unmodelled !== null) throw new PkpdDataError(unmodelled);
  const hasComed = dataset.covariates.some((c) => c.name === 'COMED');
  const hasBw = dataset.covariates.some((c) => c.name === 'BW');
  if (!hasBw) {
    throw new PkpdDataError(
      `${dataset.fileName} has no BW column; the mechanistic model scales CL and V by body weight. Add BW (kg) per subject.`,
    );
  }
  return dataset.subjects.map((subject, s) => {
    const doses: Dose[] = [];
    const pkT: number[] = [];
    const pkY: number[] = [];
    const pdT: number[] = [];
    const pdY: number[] = [];
    for (let k = subject.firstRecord; k < subject.firstRecord + subject.recordCount; k++) {
      if (r.evid[k] === EVID_DOSE) {
        if (r.amt[k] > 0) doses.push({ time: r.time[k], amount: r.amt[k] });
      } else if (r.evid[k] === EVID_OBSERVATION && r.mdv[k] === 0 && Number.isFinite(r.dv[k])) {
        if (r.dvid[k] === DVID_PK) {
          pkT.push(r.time[k]);
          pkY.push(r.dv[k]);
        } else if (r.dvid[k] === DVID_PD) {
          pdT.push(r.time[k]);
          pdY.push(r.dv[k]);
        }
      }
    }
    const bw = covariateValue(dataset, s, 'BW');
    if (!(bw > 0)) {
      throw new PkpdDataError(
        `${dataset.fileName}: subject ${subject.id} has no valid body weight (BW = ${bw}). Fill in BW for every subject.`,
      );
    }
    const comed = hasComed ? covariateValue(dataset, s, 'COMED') : 0;
    if (comed !== 0 && comed !== 1) {
      throw new PkpdDataError(`${dataset.fileName}: subject ${subject.id} has COMED = ${comed}; it must be 0 or 1.`);
    }
    return {
      id: subject.id,
      bw,
      comed,
      armDose: subject.armDose,
      doses,
      pk: { times: Float64Array.from(pkT), values: Float64Array.from(pkY) },
      pd: { times: Float64Array.from(pdT), values: Float64Array.from(pdY) },
    };
  });
}
