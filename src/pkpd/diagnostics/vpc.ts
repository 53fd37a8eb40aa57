/**
 * Visual predictive check: R replicate trials simulated from a population model with the dataset's
 * own design — each subject's covariates, dose history and sampling times, new η from Ω and new
 * residual errors — stratified by the study's groups and binned by time (the data explorer's time grouping:
 * designed times exactly, jittered times in quantile bins). Per bin: the observed 5th, 50th and
 * 95th percentiles, and for each simulated percentile its median and 90 % interval over replicates
 * (the 5th and 95th percentiles of that percentile across replicates). Percentiles interpolate
 * linearly between order statistics (R's type 7).
 *
 * The binning and summary (`vpcLayout`, `binPercentiles`, `summariseVpc`) are the one implementation;
 * study-diagnostics.ts simulates the replicates of a study fit and stratifies by the spec's groups.
 */
import { timeGrouping } from '../../data/explore/time-grouping';
import { quantileOfSorted, sampleQuantiles } from '../../data/quantile';
import type { DiagnosticTarget } from './observation-diagnostics';

export interface VpcPercentiles {
  p05: number;
  p50: number;
  p95: number;
}

/** A simulated percentile over replicates: its 5th, 50th and 95th percentiles. */
export interface VpcInterval {
  lo: number;
  median: number;
  hi: number;
}

export interface VpcBin {
  /** Representative time: the exact time, or the bin's median time. */
  time: number;
  n: number;
  observed: VpcPercentiles;
  simulated: { p05: VpcInterval; p50: VpcInterval; p95: VpcInterval };
}

export interface VpcStratum {
  /** The arm's dose (strata of the EstData fit by arm); absent for strata of a study's groups. */
  armDose?: number;
  label: string;
  /** The study groups pooled in this stratum: one, or several in "other" (see study-diagnostics.ts). */
  groups: string[];
  bins: VpcBin[];
  observations: { time: number[]; dv: number[] };
}

export interface VpcTarget {
  target: DiagnosticTarget;
  /** Times were grouped into quantile bins (many distinct times) rather than used exactly. */
  binned: boolean;
  strata: VpcStratum[];
}

export interface VpcResult {
  replicates: number;
  seed: number;
  pk: VpcTarget | null;
  pd: VpcTarget | null;
}

export const DEFAULT_VPC_REPLICATES = 100;

const PROBABILITIES = [0.05, 0.5, 0.95];

function percentiles(values: Float64Array): VpcPercentiles {
  values.sort();
  const [p05, p50, p95] = PROBABILITIES.map((p) => quantileOfSorted(values, p));
  return { p05, p50, p95 };
}

/** A stratum of a VPC before binning: what it shows and which study groups (or arm) it holds. */
export interface VpcStratumKey {
  label: string;
  groups: string[];
  armDose?: number;
}

/** Where each observation of a target sits: its stratum and bin, and its place in the flat value array. */
export interface VpcLayout {
  target: DiagnosticTarget;
  binned: boolean;
  strata: (VpcStratumKey & { binTimes: number[] })[];
  /** [stratum][bin] → positions in the flat arrays of this target's observations. */
  members: number[][][];
  times: Float64Array;
  observed: Float64Array;
}

/**
 * Bins a target's observations (flat arrays; `stratumOf[k]` indexes `strata`) by time within each
 * stratum: the designed times exactly (at most 40 distinct), else 20 quantile bins. Strata without
 * observations are dropped.
 */
export function vpcLayout(
  target: DiagnosticTarget,
  strata: readonly VpcStratumKey[],
  stratumOf: ArrayLike<number>,
  times: Float64Array,
  observed: Float64Array,
): VpcLayout {
  let binned = false;
  const present = new Set(Array.from(stratumOf));
  const used = strata.map((_, k) => k).filter((k) => present.has(k));
  const groupings = used.map((k) => {
    const grouping = timeGrouping(
      Array.from(times).filter((_, i) => stratumOf[i] === k),
      { exactLimit: 40, binCount: 20 },
    );
    binned ||= grouping.binned;
    return grouping;
  });
  const place = new Map(used.map((k, u) => [k, u]));
  const members = groupings.map((g) => g.times.map(() => [] as number[]));
  for (let position = 0; position < times.length; position++) {
    const u = place.get(stratumOf[position]) as number;
    members[u][groupings[u].groupOf(times[position])].push(position);
  }
  return {
    target,
    binned,
    strata: used.map((k, u) => ({ ...strata[k], binTimes: groupings[u].times })),
    members,
    times,
    observed,
  };
}

/** The 5/50/95th percentiles of every bin's values, flattened [stratum, bin, percentile]. */
export function binPercentiles(layout: VpcLayout, values: Float64Array): Float64Array {
  const out: number[] = [];
  for (const stratum of layout.members) {
    for (const bin of stratum) {
      const p = percentiles(Float64Array.from(bin, (position) => values[position]));
      out.push(p.p05, p.p50, p.p95);
    }
  }
  return Float64Array.from(out);
}

export function summariseVpc(layout: VpcLayout, replicateStats: Float64Array[]): VpcTarget {
  const [lo, median, hi] = sampleQuantiles(replicateStats, PROBABILITIES);
  const observed = binPercentiles(layout, layout.observed);
  let k = 0;
  const strata = layout.strata.map((stratum, s) => {
    const bins = stratum.binTimes.map((time, b) => {
      const at = (q: number): VpcInterval => ({ lo: lo[k + q], median: median[k + q], hi: hi[k + q] });
      const bin: VpcBin = {
        time,
        n: layout.members[s][b].length,
        observed: { p05: observed[k], p50: observed[k + 1], p95: observed[k + 2] },
        simulated: { p05: at(0), p50: at(1), p95: at(2) },
      };
      k += 3;
      return bin;
    });
    const positions = layout.members[s].flat().sort((a, b) => a - b);
    const observations = { time: positions.map((p) => layout.times[p]), dv: positions.map((p) => layout.observed[p]) };
    const out: VpcStratum = { label: stratum.label, groups: [...stratum.groups], bins, observations };
    if (stratum.armDose !== undefined) out.armDose = stratum.armDose;
    return out;
  });
  return { target: layout.target, binned: layout.binned, strata };
}
