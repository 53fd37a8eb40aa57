import type { Dataset } from '../data/types';
import { observationChoices } from '../study/guess-spec';
import { formatCount } from '../text/format';

/** Covariates named in the facts; more are counted. */
const COVARIATES_LISTED = 12;
/** Observation types named in the facts; more are counted. */
const TYPES_LISTED = 4;

/** Observation counts already worked out (a pass over a large file's records is worth doing once). */
const known = new WeakMap<Dataset, string>();

/**
 * The usable observations of a dataset, by type (DVID, else CMT) when it has several: "2,064 (DVID 1:
 * 864, DVID 2: 1,200)". A pass over the records (a few tens of milliseconds for a million): the Data
 * view works it out in a task of its own.
 */
export function observationsFact(dataset: Dataset): string {
  let text = known.get(dataset);
  if (text === undefined) known.set(dataset, (text = countObservations(dataset)));
  return text;
}

function countObservations(dataset: Dataset): string {
  const types = observationChoices(dataset);
  const observations = types.reduce((total, t) => total + t.count, 0);
  const byType =
    types.length > 1
      ? ` (${types
          .slice(0, TYPES_LISTED)
          .map((t) => `${t.label}: ${formatCount(t.count)}`)
          .join(', ')}${types.length > TYPES_LISTED ? `, ${formatCount(types.length - TYPES_LISTED)} more types` : ''})`
      : '';
  return `${formatCount(observations)}${byType}`;
}

/**
 * Subjects, doses, observations (`observations`: observationsFact, or "…" while it is worked out) and
 * covariates of a dataset, as [term, value] pairs. What the columns mean — groups, endpoints, units —
 * is the study's (the study panel).
 */
export function datasetFacts(dataset: Dataset, observations = observationsFact(dataset)): [string, string][] {
  const doses = dataset.subjects.reduce((total, s) => total + s.doseCount, 0);
  const covariates = dataset.covariates.map((c) => `${c.name}${c.kind === 'time-varying' ? ' (time-varying)' : ''}`);
  return [
    ['Subjects', formatCount(dataset.subjects.length)],
    ['Dose records', formatCount(doses)],
    ['Observations', observations],
    [
      'Covariates',
      covariates.length > COVARIATES_LISTED
        ? `${covariates.slice(0, COVARIATES_LISTED).join(', ')} and ${formatCount(covariates.length - COVARIATES_LISTED)} more`
        : covariates.join(', ') || 'none',
    ],
    ['Rows', formatCount(dataset.rowCount)],
  ];
}
