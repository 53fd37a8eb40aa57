import type { Dataset } from '../types';
import { type Arm, deriveArms } from './arms';
import { baselineOf, COMED, comedStatus, findCovariate } from './covariate-lookup';

export interface ArmComedCounts {
  dose: number;
  label: string;
  /** Subjects with COMED = 0. */
  without: number;
  /** Subjects with COMED = 1. */
  with: number;
  /** Subjects with a missing or non-0/1 COMED. */
  unknown: number;
  total: number;
}

/** Concomitant-medication split per arm, or null when the file has no COMED covariate. */
export function comedByArm(dataset: Dataset, arms: readonly Arm[] = deriveArms(dataset)): ArmComedCounts[] | null {
  const cov = findCovariate(dataset, COMED);
  if (!cov) return null;
  return arms.map((arm) => {
    const counts: ArmComedCounts = { dose: arm.dose, label: arm.label, without: 0, with: 0, unknown: 0, total: 0 };
    for (const s of arm.subjects) {
      counts[comedStatus(baselineOf(dataset.subjects[s], cov))]++;
      counts.total++;
    }
    return counts;
  });
}
