import type { Dataset } from '../types';
import { type Arm, deriveArms } from './arms';
import { baselineOf, BW, findCovariate } from './covariate-lookup';

export interface SubjectWeight {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  dose: number;
  label: string;
  /** Baseline body weight (kg). */
  bw: number;
}

export interface BodyWeightByArm {
  /** Subjects with a known baseline BW, arms in dose order. */
  weights: SubjectWeight[];
  /** Subjects whose BW is missing. */
  missing: number;
}

/** Baseline body weight per subject with its arm, or null when the file has no BW covariate. */
export function bodyWeightByArm(dataset: Dataset, arms: readonly Arm[] = deriveArms(dataset)): BodyWeightByArm | null {
  const cov = findCovariate(dataset, BW);
  if (!cov) return null;
  const weights: SubjectWeight[] = [];
  let missing = 0;
  for (const arm of arms) {
    for (const s of arm.subjects) {
      const subject = dataset.subjects[s];
      const bw = baselineOf(subject, cov);
      if (Number.isFinite(bw)) weights.push({ subject: s, id: subject.id, dose: arm.dose, label: arm.label, bw });
      else missing++;
    }
  }
  return { weights, missing };
}
