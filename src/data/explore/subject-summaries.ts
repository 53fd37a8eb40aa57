import type { Dataset } from '../types';
import { baselineOf, findCovariate } from './covariate-lookup';
import { groupIndexBySubject, type SubjectGroup } from './groups';

/** What a subject picker shows about each subject. */
export interface SubjectSummary {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  /** The subject's group. */
  label: string;
  /** Baseline values of the covariates asked for (NaN where missing). */
  covariates: { name: string; value: number }[];
}

/** Subjects ordered by group, then dataset order, with the baseline of the named covariates (those the file has). */
export function subjectSummaries(
  dataset: Dataset,
  groups: readonly SubjectGroup[],
  covariateNames: readonly string[] = [],
): SubjectSummary[] {
  const columns = covariateNames.flatMap((name) => findCovariate(dataset, name) ?? []);
  const groupOf = groupIndexBySubject(dataset, groups);
  return groups.flatMap((group) =>
    group.subjects.map((s) => {
      const subject = dataset.subjects[s];
      return {
        subject: s,
        id: subject.id,
        label: groups[groupOf[s]].label,
        covariates: columns.map((c) => ({ name: c.name, value: baselineOf(subject, c) })),
      };
    }),
  );
}
