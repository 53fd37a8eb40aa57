import type { Covariate, Dataset, Subject } from '../types';

/** The covariate with this (case-insensitive) name, or undefined. */
export function findCovariate(dataset: Dataset, name: string): Covariate | undefined {
  const upper = name.toUpperCase();
  return dataset.covariates.find((c) => c.name.toUpperCase() === upper);
}

/** A subject's baseline value of a covariate; NaN when missing. */
export function baselineOf(subject: Subject, covariate: Covariate): number {
  const v = subject.baseline[covariate.name];
  return typeof v === 'number' ? v : Number.NaN;
}
