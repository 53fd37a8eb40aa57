import type { Dataset } from '../types';
import type { SubjectGroup } from './groups';
import { meanCurves } from './mean-curves';
import { type ObservationSelector, observationsOf } from './observations';
import { timeGrouping } from './time-grouping';

export interface HysteresisPoint {
  /** Exact or binned time. */
  time: number;
  /** Mean PK (the concentration endpoint) at this time. */
  pk: number;
  /** Mean PD (the response endpoint) at this time. */
  pd: number;
  nPk: number;
  nPd: number;
}

export interface HysteresisLoop {
  label: string;
  binned: boolean;
  /** Times where both mean PK and mean PD exist, in time order. */
  points: HysteresisPoint[];
}

/**
 * Mean PK–PD pairs of every group. PK and PD share one time grouping (derived from the pooled
 * observation times of both), so binned data still pair up. Groups without a single pair are left out.
 */
export function hysteresisLoops(
  dataset: Dataset,
  pkSelector: ObservationSelector,
  pdSelector: ObservationSelector,
  groups: readonly SubjectGroup[],
): HysteresisLoop[] {
  const times = [...observationsOf(dataset, pkSelector), ...observationsOf(dataset, pdSelector)].map((o) => o.time);
  const grouping = timeGrouping(times);
  const pk = meanCurves(dataset, pkSelector, groups, { grouping });
  const pd = meanCurves(dataset, pdSelector, groups, { grouping });
  const loops: HysteresisLoop[] = [];
  for (const pkCurve of pk.curves) {
    const pdCurve = pd.curves.find((c) => c.label === pkCurve.label);
    if (!pdCurve) continue;
    const pdAt = new Map(pdCurve.points.map((p) => [p.time, p]));
    const points: HysteresisPoint[] = [];
    for (const p of pkCurve.points) {
      const q = pdAt.get(p.time);
      if (q) points.push({ time: p.time, pk: p.mean, pd: q.mean, nPk: p.n, nPd: q.n });
    }
    if (points.length > 0) loops.push({ label: pkCurve.label, binned: grouping.binned, points });
  }
  return loops;
}
