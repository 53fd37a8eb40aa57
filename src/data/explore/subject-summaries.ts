import type { Dataset } from '../types';
import { type Arm, armIndexBySubject, deriveArms } from './arms';
import { baselineOf, BW, COMED, type ComedStatus, comedStatus, findCovariate } from './covariate-lookup';

/** What a subject picker shows about each subject. */
export interface SubjectSummary {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  dose: number;
  label: string;
  /** Baseline BW (kg); NaN when missing, null when the file has no BW. */
  bw: number | null;
  /** COMED status; null when the file has no COMED. */
  comed: ComedStatus | null;
}

/** Subjects ordered by arm (dose), then dataset order. */
export function subjectSummaries(dataset: Dataset, arms: readonly Arm[] = deriveArms(dataset)): SubjectSummary[] {
  const bwCov = findCovariate(dataset, BW);
  const comedCov = findCovariate(dataset, COMED);
  const armOf = armIndexBySubject(dataset, arms);
  return arms.flatMap((arm) =>
    arm.subjects.map((s) => {
      const subject = dataset.subjects[s];
      return {
        subject: s,
        id: subject.id,
        dose: arms[armOf[s]].dose,
        label: arms[armOf[s]].label,
        bw: bwCov ? baselineOf(subject, bwCov) : null,
        comed: comedCov ? comedStatus(baselineOf(subject, comedCov)) : null,
      };
    }),
  );
}
