import type { Dataset } from '../types';
import { groupIndexBySubject, type SubjectGroup } from './groups';
import { type ObservationSelector, observationsOf } from './observations';
import { summarise, type Summary } from './summary';
import { type TimeGrouping, timeGrouping } from './time-grouping';

/** Statistics of one group's observations at one (nominal or binned) time. */
export interface MeanPoint extends Summary {
  /** Exact time, or the bin's median time. */
  time: number;
}

export interface GroupMeanCurve {
  label: string;
  /** The group has dosed subjects (undosed groups are drawn grey). */
  dosed: boolean;
  /** Times with at least one observation, in time order. */
  points: MeanPoint[];
}

export interface MeanCurves {
  /** True when times were grouped into quantile bins. */
  binned: boolean;
  /** Groups with at least one observation of this endpoint, in the groups' order. */
  curves: GroupMeanCurve[];
  /** Observations ≤ 0 over all groups: kept in mean/sd, excluded from geometric means and log plots. */
  nonPositive: number;
}

export interface MeanCurvesOptions {
  /** Use this grouping instead of one derived from the endpoint's own observation times. */
  grouping?: TimeGrouping;
}

/**
 * Mean observation–time curves per group for one endpoint. Observations are pooled per group and
 * time group (every observation counts once; n is the number of observations). MDV=1 and NaN DV
 * records are excluded.
 */
export function meanCurves(
  dataset: Dataset,
  selector: ObservationSelector,
  groups: readonly SubjectGroup[],
  options: MeanCurvesOptions = {},
): MeanCurves {
  const obs = observationsOf(dataset, selector);
  const grouping = options.grouping ?? timeGrouping(obs.map((o) => o.time));
  const groupOf = groupIndexBySubject(dataset, groups);

  // values[group][time group] → observed values
  const values: number[][][] = groups.map(() => grouping.times.map(() => []));
  for (const o of obs) {
    const a = groupOf[o.subject];
    const g = grouping.groupOf(o.time);
    if (a >= 0 && g >= 0) values[a][g].push(o.dv);
  }

  let nonPositive = 0;
  const curves: GroupMeanCurve[] = [];
  groups.forEach((group, a) => {
    const points: MeanPoint[] = [];
    values[a].forEach((vs, g) => {
      if (vs.length === 0) return;
      const s = summarise(vs);
      nonPositive += s.nNonPositive;
      points.push({ time: grouping.times[g], ...s });
    });
    if (points.length > 0) curves.push({ label: group.label, dosed: group.dosed, points });
  });
  return { binned: grouping.binned, curves, nonPositive };
}
