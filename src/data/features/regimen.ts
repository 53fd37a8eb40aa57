/**
 * Features for SIMULATED dosing: a regimen (or any dose history) given to virtual subjects,
 * through the same core as the observed data, so a trained network sees identical columns.
 */
import type { DoseHistory } from './history';
import { writeHistoryFeatures } from './history';
import type { FeatureModel } from './spec';

/** `doses` doses of `amount` mg every `intervalH` hours from `startH` (default 0). */
export interface Regimen {
  amount: number;
  intervalH: number;
  doses: number;
  startH?: number;
}

export function regimenDoses(regimen: Regimen): DoseHistory {
  const { amount, intervalH, doses, startH = 0 } = regimen;
  if (!(intervalH > 0) || !Number.isInteger(doses) || doses < 0)
    throw new Error('regimen: interval must be > 0 and doses a whole number ≥ 0');
  const times = new Float64Array(doses);
  const amounts = new Float64Array(doses).fill(amount);
  for (let j = 0; j < doses; j++) times[j] = startH + j * intervalH;
  return { times, amounts };
}

export interface VirtualSubject {
  /** By covariate name, e.g. { WT: 85, SEX: 0 }; missing names take the training median. */
  covariates: Readonly<Record<string, number>>;
  /** Pre-dose PD; omit for "unknown" (training median, missing indicator 1). */
  baselinePd?: number;
}

export interface FeatureMatrix {
  names: string[];
  nRows: number;
  nFeatures: number;
  /** Row-major; rows subject by subject, then time. */
  matrix: Float64Array;
}

/**
 * Features of every subject at every time under one regimen: rows [subjects × times]. The DOSE
 * (arm dose) feature is the regimen's amount.
 */
export function regimenFeatures(
  model: FeatureModel,
  regimen: Regimen | DoseHistory,
  subjects: readonly VirtualSubject[],
  times: ArrayLike<number>,
): FeatureMatrix {
  const doses = 'times' in regimen ? regimen : regimenDoses(regimen);
  const armDose = 'times' in regimen ? undefined : regimen.amount;
  const nF = model.names.length;
  const nRows = subjects.length * times.length;
  const matrix = new Float64Array(nRows * nF);
  subjects.forEach((subject, s) => {
    writeHistoryFeatures(
      model,
      { doses, covariates: subject.covariates, armDose, baselinePd: subject.baselinePd },
      times,
      matrix,
      s * times.length,
    );
  });
  return { names: [...model.names], nRows, nFeatures: nF, matrix };
}
