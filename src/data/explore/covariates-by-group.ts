/**
 * Every covariate of a file by group: a continuous one as each subject's baseline value (a box and
 * dots per group), a 0/1 or few-valued one (whole numbers, at most CATEGORY_LIMIT values) as the count
 * of subjects at each value per group (stacked shares). Values are the subjects' baselines (their
 * first non-missing value), as the study binding uses them.
 */
import type { Dataset } from '../types';
import { baselineOf } from './covariate-lookup';
import type { SubjectGroup } from './groups';

/** A covariate with whole-number values and at most this many of them is drawn as shares. */
export const CATEGORY_LIMIT = 6;
/** Covariate panels drawn; the others are named in a note. */
export const COVARIATE_PANEL_LIMIT = 8;

export interface CovariatePoint {
  /** Index into Dataset.subjects. */
  subject: number;
  id: string;
  /** The subject's group. */
  label: string;
  value: number;
}

export interface ContinuousCovariate {
  kind: 'continuous';
  /** As the dataset names it. */
  name: string;
  /** The column varies within subjects: each subject's first value is shown. */
  timeVarying: boolean;
  /** Subjects with a value, by group (the groups' order), dataset order within. */
  points: CovariatePoint[];
  /** Subjects without a value. */
  missing: number;
}

export interface CategoryCounts {
  label: string;
  /** Subjects at each of the covariate's levels. */
  counts: number[];
  /** Subjects without a value. */
  missing: number;
  total: number;
}

export interface CategoricalCovariate {
  kind: 'categorical';
  name: string;
  timeVarying: boolean;
  /** The values present, ascending. */
  levels: number[];
  /** One entry per group with subjects, in the groups' order. */
  groups: CategoryCounts[];
}

export type CovariateByGroup = ContinuousCovariate | CategoricalCovariate;

export interface CovariatesByGroup {
  panels: CovariateByGroup[];
  /** Covariates beyond the panel limit, not drawn. */
  omitted: string[];
  /** Covariates without a single value. */
  empty: string[];
}

export interface CovariatesByGroupOptions {
  /** Columns left out (the grouping column: its groups are its values). */
  exclude?: readonly string[];
  /** Columns drawn first (those a model's covariate effects use), in this order. */
  first?: readonly string[];
  panelLimit?: number;
}

export function covariatesByGroup(
  dataset: Dataset,
  groups: readonly SubjectGroup[],
  options: CovariatesByGroupOptions = {},
): CovariatesByGroup {
  const exclude = new Set((options.exclude ?? []).map((c) => c.toUpperCase()));
  const first = (options.first ?? []).map((c) => c.toUpperCase());
  const rank = (name: string): number => {
    const i = first.indexOf(name.toUpperCase());
    return i < 0 ? first.length : i;
  };
  const columns = dataset.covariates
    .map((c, order) => ({ c, order }))
    .filter(({ c }) => !exclude.has(c.name.toUpperCase()))
    .sort((a, b) => rank(a.c.name) - rank(b.c.name) || a.order - b.order)
    .map(({ c }) => c);
  const limit = options.panelLimit ?? COVARIATE_PANEL_LIMIT;
  const panels: CovariateByGroup[] = [];
  const omitted: string[] = [];
  const empty: string[] = [];
  for (const column of columns) {
    const values = new Set<number>();
    let integer = true;
    for (const subject of dataset.subjects) {
      const v = baselineOf(subject, column);
      if (Number.isNaN(v)) continue;
      if (!Number.isInteger(v)) integer = false;
      if (values.size <= CATEGORY_LIMIT) values.add(v);
    }
    if (values.size === 0) {
      empty.push(column.name);
      continue;
    }
    if (panels.length >= limit) {
      omitted.push(column.name);
      continue;
    }
    const timeVarying = column.kind === 'time-varying';
    if (integer && values.size <= CATEGORY_LIMIT) {
      const levels = [...values].sort((a, b) => a - b);
      const counts: CategoryCounts[] = [];
      for (const group of groups) {
        if (group.subjects.length === 0) continue;
        const entry: CategoryCounts = { label: group.label, counts: levels.map(() => 0), missing: 0, total: group.subjects.length };
        for (const s of group.subjects) {
          const level = levels.indexOf(baselineOf(dataset.subjects[s], column));
          if (level < 0) entry.missing++;
          else entry.counts[level]++;
        }
        counts.push(entry);
      }
      panels.push({ kind: 'categorical', name: column.name, timeVarying, levels, groups: counts });
    } else {
      const points: CovariatePoint[] = [];
      let missing = 0;
      for (const group of groups) {
        for (const s of group.subjects) {
          const subject = dataset.subjects[s];
          const value = baselineOf(subject, column);
          if (Number.isNaN(value)) missing++;
          else points.push({ subject: s, id: subject.id, label: group.label, value });
        }
      }
      panels.push({ kind: 'continuous', name: column.name, timeVarying, points, missing });
    }
  }
  return { panels, omitted, empty };
}
