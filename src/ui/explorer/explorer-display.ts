/**
 * What the data explorer draws, bounded so that no plot (and no copy from the worker that derives
 * it) grows with the dataset: Observable Plot draws one SVG element per point, and a million points
 * block the page for seconds. The derivations themselves (`explorerModel`) use every record; only
 * what is drawn point by point is thinned here, deterministically, and the explorer says so on the
 * plot: body-weight dots (the box stays faithful: the dots kept are evenly spaced by rank of weight
 * within each arm, extremes included), individual PK curves (evenly spaced subjects of each arm), the
 * subject picker's list (any subject can still be shown by its ID) and one subject's points.
 * Pure: it runs in the explorer worker and is tested in Node.
 */
import type { SubjectWeight } from '../../data/explore/bw-by-arm';
import { explorerModel, type ExplorerModel } from '../../data/explore/explorer-model';
import type { IndividualSeries, TimePoint } from '../../data/explore/individual-series';
import type { SubjectSeries } from '../../data/explore/subject-series';
import type { Dataset } from '../../data/types';

export const DISPLAY_LIMITS = {
  /** Body-weight dots drawn over all arms. */
  weightDots: 2_000,
  /** Subjects whose individual PK curves are drawn, over all arms. */
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
    weightDots?: Shown;
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

/** Body-weight dots: per arm, evenly spaced by rank of weight (lightest and heaviest kept), in arm order. */
function thinWeights(weights: readonly SubjectWeight[], limit: number): SubjectWeight[] {
  const arms = groupsOf(weights, (w) => w.label);
  const kept = shares(
    arms.map((a) => a.length),
    limit,
  );
  return arms.flatMap((arm, a) => {
    if (kept[a] >= arm.length) return arm;
    const byWeight = [...arm].sort((p, q) => p.bw - q.bw || p.subject - q.subject);
    return evenlySpaced(byWeight.length, kept[a])
      .map((i) => byWeight[i])
      .sort((p, q) => p.subject - q.subject);
  });
}

/** Individual curves: per arm, evenly spaced subjects; each curve's points thinned. */
function thinIndividuals(series: readonly IndividualSeries[], limits: DisplayLimits): IndividualSeries[] {
  const arms = groupsOf(series, (s) => s.label);
  const kept = shares(
    arms.map((a) => a.length),
    limits.individualCurves,
  );
  const chosen = arms.flatMap((arm, a) => evenlySpaced(arm.length, kept[a]).map((i) => arm[i]));
  return chosen
    .sort((p, q) => p.subject - q.subject)
    .map((s) => (s.points.length > limits.curvePoints ? { ...s, points: thinPoints<TimePoint>(s.points, limits.curvePoints) } : s));
}

/** The explorer's model of a dataset with what is drawn point by point thinned to the limits. */
export function explorerDisplay(dataset: Dataset, limits: DisplayLimits = DISPLAY_LIMITS): ExplorerDisplay {
  return thinForDisplay(explorerModel(dataset), limits);
}

export function thinForDisplay(model: ExplorerModel, limits: DisplayLimits = DISPLAY_LIMITS): ExplorerDisplay {
  const thinned: ExplorerDisplay['thinned'] = {};
  let { bodyWeight, pkIndividuals, subjects } = model;
  if (bodyWeight && bodyWeight.weights.length > limits.weightDots) {
    const weights = thinWeights(bodyWeight.weights, limits.weightDots);
    thinned.weightDots = { shown: weights.length, total: bodyWeight.weights.length };
    bodyWeight = { ...bodyWeight, weights };
  }
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
  return { model: { ...model, bodyWeight, pkIndividuals, subjects }, thinned };
}
