import type { Covariate, Dataset, Subject } from '../types';

export const BW = 'BW';
export const COMED = 'COMED';

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

export type ComedStatus = 'without' | 'with' | 'unknown';

/** COMED 0 → "without", 1 → "with", anything else (missing, other codes) → "unknown". */
export function comedStatus(value: number): ComedStatus {
  if (value === 0) return 'without';
  if (value === 1) return 'with';
  return 'unknown';
}
