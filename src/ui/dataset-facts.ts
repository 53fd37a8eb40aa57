import { ARM_DOSE_COVARIATE } from '../data/subjects';
import type { Dataset } from '../data/types';
import { formatCount } from '../text/format';

/** Arm doses and covariates named in the facts; more are counted. */
const ARMS_LISTED = 8;
const COVARIATES_LISTED = 12;

/**
 * Subjects, arms, records, observations and covariates of a dataset, as [term, value] pairs. A DOSE
 * column is the arm (dose-group) label, not a property of the subject: it is shown as the arms' label
 * and kept out of the covariates.
 */
export function datasetFacts(dataset: Dataset): [string, string][] {
  const sum = (pick: (s: Dataset['subjects'][number]) => number): number => dataset.subjects.reduce((total, s) => total + pick(s), 0);
  const armDoses = [...new Set(dataset.subjects.map((s) => s.armDose))].sort((a, b) => a - b);
  const byDoseColumn = dataset.covariates.some((c) => c.name === ARM_DOSE_COVARIATE);
  const listed = armDoses.slice(0, ARMS_LISTED).join(', ') + (armDoses.length > ARMS_LISTED ? ', …' : '');
  const covariates = dataset.covariates
    .filter((c) => c.name !== ARM_DOSE_COVARIATE)
    .map((c) => `${c.name}${c.kind === 'time-varying' ? ' (time-varying)' : ''}`);
  return [
    ['Subjects', formatCount(dataset.subjects.length)],
    [byDoseColumn ? `Arms (by ${ARM_DOSE_COVARIATE})` : 'Arms (by usual dose)', `${armDoses.length} — ${listed} mg`],
    ['Dose records', formatCount(sum((s) => s.doseCount))],
    ['PK observations', formatCount(sum((s) => s.pkCount))],
    ['PD observations', formatCount(sum((s) => s.pdCount))],
    [
      'Covariates',
      covariates.length > COVARIATES_LISTED
        ? `${covariates.slice(0, COVARIATES_LISTED).join(', ')} and ${formatCount(covariates.length - COVARIATES_LISTED)} more`
        : covariates.join(', ') || 'none',
    ],
    ['Rows', formatCount(dataset.rowCount)],
  ];
}
