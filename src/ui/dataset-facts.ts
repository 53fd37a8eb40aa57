import type { Dataset } from '../data/types';

/** Subjects, arms, records, observations and covariates of a dataset, as [term, value] pairs. */
export function datasetFacts(dataset: Dataset): [string, string][] {
  const sum = (pick: (s: Dataset['subjects'][number]) => number): number => dataset.subjects.reduce((total, s) => total + pick(s), 0);
  const arms = new Set(dataset.subjects.map((s) => s.armDose)).size;
  const covariates = dataset.covariates.map((c) => `${c.name}${c.kind === 'time-varying' ? ' (time-varying)' : ''}`);
  return [
    ['Subjects', String(dataset.subjects.length)],
    ['Arms', String(arms)],
    ['Dose records', sum((s) => s.doseCount).toLocaleString()],
    ['PK observations', sum((s) => s.pkCount).toLocaleString()],
    ['PD observations', sum((s) => s.pdCount).toLocaleString()],
    ['Covariates', covariates.join(', ') || 'none'],
    ['Rows', dataset.rowCount.toLocaleString()],
  ];
}
