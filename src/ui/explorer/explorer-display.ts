/**
 * What the data explorer draws, bounded so that no plot (and no copy from the worker that derives
 * it) grows with the dataset: Observable Plot draws one SVG element per point, and a million points
 * block the page for seconds. The derivations themselves (`explorerModel`) use every record; only
 * what is drawn point by point is thinned here, deterministically, and the explorer says so on the
 * plot: the dots of the continuous covariates (a share of one budget each; the box stays faithful: the
 * dots kept are evenly spaced by rank of value within each group, extremes included), individual PK curves (evenly spaced subjects
 * of each group), the subject picker's list (any subject can still be shown by its ID) and one
 * subject's points. Pure: it runs in the explorer worker and is tested in Node.
 */
import type { ContinuousCovariate, CovariatePoint } from '../../data/explore/covariates-by-group';
import { explorerModel, type ExplorerModel } from '../../data/explore/explorer-model';
import type { IndividualSeries, TimePoint } from '../../data/explore/individual-series';
import type { SubjectSeries } from '../../data/explore/subject-series';
import type { Dataset } from '../../data/types';
import type { StudySpec } from '../../study/study-spec';

export const DISPLAY_LIMITS = {
  /** Dots of the continuous covariates' plots, over all of them and all groups (shared equally between the plots). */
  covariateDots: 2_000,
  /** Subjects whose individual PK curves are drawn, over all groups. */
  individualCurves: 100,
  /** Points of one curve (individual or one subject's PK or PD). */
  curvePoints: 2_000,
  /** Subjects listed in the subject picker. */
  pickerSubjects: 1_000,
} as const;

export type DisplayLimits = { readonly [K in keyof typeof DISPLAY_LIMITS]: number };

/** How many of how many were drawn (or listed). */
export interface Shown {
  shown: number;
  total: number;
}

export interface ExplorerDisplay {
  model: ExplorerModel;
  /** Set where the model was thinned for drawing. */
  thinned: {
    /** Each continuous covariate whose dots were thinned. */
    covariateDots?: (Shown & { name: string })[];
    individualCurves?: Shown;
    pickerSubjects?: Shown;
  };
}

/** `count` indices of 0..n−1, evenly spaced, first and last included (all of them when n ≤ count). */
export function evenlySpaced(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  if (count <= 0) return [];
  if (count === 1) return [0];
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.round((k * (n - 1)) / (count - 1));
    if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** Splits `limit` over groups in proportion to their sizes, at least one each (while the limit allows). */
function shares(sizes: readonly number[], limit: number): number[] {
  const total = sizes.reduce((s, n) => s + n, 0);
  if (total <= limit) return [...sizes];
  return sizes.map((n) => (n === 0 ? 0 : Math.min(n, Math.max(1, Math.floor((n / total) * limit)))));
}

/** Group items by `key`, keeping first-appearance order of groups and item order within a group. */
function groupsOf<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let group = groups.get(k);
    if (!group) groups.set(k, (group = []));
    group.push(item);
  }
  return [...groups.values()];
}

/** A curve of at most `limit` points, evenly spaced in its order (first and last kept). */
export function thinPoints<P>(points: readonly P[], limit: number = DISPLAY_LIMITS.curvePoints): P[] {
  return points.length <= limit ? [...points] : evenlySpaced(points.length, limit).map((i) => points[i]);
}

/** One subject's series with each curve thinned to the limit; `thinned` says whether any was. */
export function thinSubjectSeries(
  series: SubjectSeries,
  limit: number = DISPLAY_LIMITS.curvePoints,
): { series: SubjectSeries; thinned: boolean } {
  const thinned = series.pk.length > limit || series.pd.length > limit;
  return { series: thinned ? { ...series, pk: thinPoints(series.pk, limit), pd: thinPoints(series.pd, limit) } : series, thinned };
}

/** A covariate's dots: per group, evenly spaced by rank of value (lowest and highest kept), in group order. */
function thinCovariateDots(points: readonly CovariatePoint[], limit: number): CovariatePoint[] {
  const groups = groupsOf(points, (w) => w.label);
  const kept = shares(
    groups.map((a) => a.length),
    limit,
  );
  return groups.flatMap((group, a) => {
    if (kept[a] >= group.length) return group;
    const byValue = [...group].sort((p, q) => p.value - q.value || p.subject - q.subject);
    return evenlySpaced(byValue.length, kept[a])
      .map((i) => byValue[i])
      .sort((p, q) => p.subject - q.subject);
  });
}

/** Individual curves: per group, evenly spaced subjects; each curve's points thinned. */
function thinIndividuals(series: readonly IndividualSeries[], limits: DisplayLimits): IndividualSeries[] {
  const groups = groupsOf(series, (s) => s.label);
  const kept = shares(
    groups.map((a) => a.length),
    limits.individualCurves,
  );
  const chosen = groups.flatMap((group, a) => evenlySpaced(group.length, kept[a]).map((i) => group[i]));
  return chosen
    .sort((p, q) => p.subject - q.subject)
    .map((s) => (s.points.length > limits.curvePoints ? { ...s, points: thinPoints<TimePoint>(s.points, limits.curvePoints) } : s));
}

/** The explorer's model of a dataset read through its study spec, with what is drawn point by point thinned to the limits. */
export function explorerDisplay(dataset: Dataset, spec: StudySpec, limits: DisplayLimits = DISPLAY_LIMITS): ExplorerDisplay {
  return thinForDisplay(explorerModel(dataset, spec), limits);
}

export function thinForDisplay(model: ExplorerModel, limits: DisplayLimits = DISPLAY_LIMITS): ExplorerDisplay {
  const thinned: ExplorerDisplay['thinned'] = {};
  let { pkIndividuals, subjects } = model;
  const continuous = model.covariates.filter((c) => c.kind === 'continuous').length;
  const dots = Math.floor(limits.covariateDots / Math.max(1, continuous));
  const covariates = model.covariates.map((panel) => {
    if (panel.kind !== 'continuous' || panel.points.length <= dots) return panel;
    const points = thinCovariateDots(panel.points, dots);
    (thinned.covariateDots ??= []).push({ name: panel.name, shown: points.length, total: panel.points.length });
    return { ...panel, points } satisfies ContinuousCovariate;
  });
  const points = pkIndividuals.reduce((n, s) => Math.max(n, s.points.length), 0);
  if (pkIndividuals.length > limits.individualCurves || points > limits.curvePoints) {
    const kept = thinIndividuals(pkIndividuals, limits);
    if (kept.length < pkIndividuals.length) thinned.individualCurves = { shown: kept.length, total: pkIndividuals.length };
    pkIndividuals = kept;
  }
  if (subjects.length > limits.pickerSubjects) {
    const listed = evenlySpaced(subjects.length, limits.pickerSubjects).map((i) => subjects[i]);
    thinned.pickerSubjects = { shown: listed.length, total: subjects.length };
    subjects = listed;
  }
  return { model: { ...model, covariates, pkIndividuals, subjects }, thinned };
}
