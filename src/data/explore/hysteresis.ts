import type { Dataset } from '../types';
import { DVID_PD, DVID_PK } from '../types';
import { type Arm, deriveArms } from './arms';
import { meanCurves } from './mean-curves';
import { observationsOf } from './observations';
import { timeGrouping } from './time-grouping';

export interface HysteresisPoint {
  /** Exact or binned time (h). */
  time: number;
  /** Mean PK (DVID 1) at this time. */
  pk: number;
  /** Mean PD (DVID 2) at this time. */
  pd: number;
  nPk: number;
  nPd: number;
}

export interface HysteresisLoop {
  dose: number;
  label: string;
  binned: boolean;
  /** Times where both mean PK and mean PD exist, in time order. */
  points: HysteresisPoint[];
}

/**
 * Mean PK–PD pairs of every arm. PK and PD share one time grouping (derived from the pooled
 * observation times of both), so binned data still pair up. Arms without a single pair are left out.
 */
export function hysteresisLoops(dataset: Dataset, arms: readonly Arm[] = deriveArms(dataset)): HysteresisLoop[] {
  const times = [...observationsOf(dataset, DVID_PK), ...observationsOf(dataset, DVID_PD)].map((o) => o.time);
  const grouping = timeGrouping(times);
  const pk = meanCurves(dataset, DVID_PK, { arms, grouping });
  const pd = meanCurves(dataset, DVID_PD, { arms, grouping });
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
    if (points.length > 0) loops.push({ dose: pkCurve.dose, label: pkCurve.label, binned: grouping.binned, points });
  }
  return loops;
}

/** The mean PK–PD loop of the arm with this dose, or null when that arm has no PK–PD pairs. */
export function hysteresisLoop(dataset: Dataset, dose: number): HysteresisLoop | null {
  return hysteresisLoops(dataset).find((l) => Object.is(l.dose, dose)) ?? null;
}
