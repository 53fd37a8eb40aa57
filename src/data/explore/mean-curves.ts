import type { Dataset } from '../types';
import { type Arm, armIndexBySubject, deriveArms } from './arms';
import { observationsOf } from './observations';
import { summarise, type Summary } from './summary';
import { type TimeGrouping, timeGrouping } from './time-grouping';

/** Statistics of one arm's observations at one (nominal or binned) time. */
export interface MeanPoint extends Summary {
  /** Exact time, or the bin's median time (h). */
  time: number;
}

export interface ArmMeanCurve {
  dose: number;
  label: string;
  /** Groups with at least one observation, in time order. */
  points: MeanPoint[];
}

export interface MeanCurves {
  dvid: number;
  /** True when times were grouped into quantile bins. */
  binned: boolean;
  /** Arms with at least one observation of this DVID, in dose order. */
  curves: ArmMeanCurve[];
  /** Observations ≤ 0 over all arms: kept in mean/sd, excluded from geometric means and log plots. */
  nonPositive: number;
}

export interface MeanCurvesOptions {
  arms?: readonly Arm[];
  /** Use this grouping instead of one derived from the DVID's own observation times. */
  grouping?: TimeGrouping;
}

/**
 * Mean concentration–time curves per arm for one DVID. Observations are pooled per arm and time
 * group (every observation counts once; n is the number of observations). MDV=1 and NaN DV records
 * are excluded.
 */
export function meanCurves(dataset: Dataset, dvid: number, options: MeanCurvesOptions = {}): MeanCurves {
  const arms = options.arms ?? deriveArms(dataset);
  const obs = observationsOf(dataset, dvid);
  const grouping = options.grouping ?? timeGrouping(obs.map((o) => o.time));
  const armOf = armIndexBySubject(dataset, arms);

  // values[arm][group] → observed values
  const values: number[][][] = arms.map(() => grouping.times.map(() => []));
  for (const o of obs) {
    const a = armOf[o.subject];
    const g = grouping.groupOf(o.time);
    if (a >= 0 && g >= 0) values[a][g].push(o.dv);
  }

  let nonPositive = 0;
  const curves: ArmMeanCurve[] = [];
  arms.forEach((arm, a) => {
    const points: MeanPoint[] = [];
    values[a].forEach((vs, g) => {
      if (vs.length === 0) return;
      const s = summarise(vs);
      nonPositive += s.nNonPositive;
      points.push({ time: grouping.times[g], ...s });
    });
    if (points.length > 0) curves.push({ dose: arm.dose, label: arm.label, points });
  });
  return { dvid, binned: grouping.binned, curves, nonPositive };
}
