/**
 * Visual predictive check: R replicate trials simulated from a population model with the dataset's
 * own design — each subject's covariates, dose history and sampling times, new η from Ω and new
 * residual errors — stratified by the study's groups and binned by time (the data explorer's time grouping:
 * designed times exactly, jittered times in quantile bins). Per bin: the observed 5th, 50th and
 * 95th percentiles, and for each simulated percentile its median and 90 % interval over replicates
 * (the 5th and 95th percentiles of that percentile across replicates). Percentiles interpolate
 * linearly between order statistics (R's type 7).
 *
 * Below the limit of quantification (a target with a limit: `VpcLayout.lloq`), the censored VPC of
 * Bergstrand & Karlsson (2009, AAPS J 11:371): an observation flagged BLQ, and a simulated value below
 * its observation's limit, is censored — it counts in the order statistics of its bin, as a value below
 * every measured one, but has no value. A percentile whose interpolation reaches a censored order
 * statistic (`quantileOfSorted`: the nearer of its two neighbours is censored) is below the limit and
 * reported as NaN, observed or simulated (a simulated percentile's interval over replicates likewise);
 * beside the percentiles, each bin gives the fraction below the limit, observed and simulated (median
 * and 90 % interval over replicates), the panel that shows what the percentiles cannot.
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
  /** NaN where the percentile is below the limit of quantification (see the top comment). */
  observed: VpcPercentiles;
  simulated: { p05: VpcInterval; p50: VpcInterval; p95: VpcInterval };
  /** Fraction of the bin's observations below the limit of quantification: observed, and its simulated interval (targets with a limit). */
  blq?: { observed: number; simulated: VpcInterval };
}

export interface VpcStratum {
  /** The arm's dose (strata of the EstData fit by arm); absent for strata of a study's groups. */
  armDose?: number;
  label: string;
  /** The study groups pooled in this stratum: one, or several in "other" (see study-diagnostics.ts). */
  groups: string[];
  bins: VpcBin[];
  /** The stratum's observations; `blq` (targets with a limit only): censored, `dv` the limit. */
  observations: { time: number[]; dv: number[]; blq?: boolean[] };
}

export interface VpcTarget {
  target: DiagnosticTarget;
  /** Times were grouped into quantile bins (many distinct times) rather than used exactly. */
  binned: boolean;
  /** Some observation has a limit of quantification: percentiles are censored and bins give `blq` (see the top comment). */
  censored?: boolean;
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

/** A censored percentile (−∞ in the order statistics) is NaN where it is reported. */
const shown = (x: number): number => (x === Number.NEGATIVE_INFINITY ? Number.NaN : x);

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
  /**
   * The limit of quantification of each position (NaN where none), or null when the target has none:
   * a simulated value below it is censored. Set by the caller after `vpcLayout`.
   */
  lloq: Float64Array | null;
  /** 1 where the observation is below its limit (censored); null as `lloq`. */
  blq: Uint8Array | null;
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
    lloq: null,
    blq: null,
  };
}

/** Statistics per bin in `binPercentiles`: the 5/50/95th percentiles and the fraction below the limit. */
const STRIDE = 4;

/**
 * The 5/50/95th percentiles of every bin's values and the fraction of them below the limit of
 * quantification, flattened [stratum, bin, statistic]. With a limit (`layout.lloq`), a value is
 * censored where `censored` flags it (the observations), else where it lies below its position's
 * limit (simulations); a censored percentile is −∞ (see the top comment).
 */
export function binPercentiles(layout: VpcLayout, values: Float64Array, censored: Uint8Array | null = null): Float64Array {
  const out: number[] = [];
  const lloq = layout.lloq;
  for (const stratum of layout.members) {
    for (const bin of stratum) {
      let below = 0;
      const sorted = Float64Array.from(bin, (position) => {
        const v = values[position];
        if (lloq === null || !(censored ? censored[position] === 1 : v < lloq[position])) return v;
        below++;
        return Number.NEGATIVE_INFINITY;
      }).sort();
      out.push(...PROBABILITIES.map((p) => quantileOfSorted(sorted, p)), bin.length > 0 ? below / bin.length : Number.NaN);
    }
  }
  return Float64Array.from(out);
}

export function summariseVpc(layout: VpcLayout, replicateStats: Float64Array[]): VpcTarget {
  const [lo, median, hi] = sampleQuantiles(replicateStats, PROBABILITIES);
  const observed = binPercentiles(layout, layout.observed, layout.blq ?? new Uint8Array(layout.observed.length));
  const censoring = layout.lloq !== null;
  let k = 0;
  const strata = layout.strata.map((stratum, s) => {
    const bins = stratum.binTimes.map((time, b) => {
      const at = (q: number): VpcInterval => ({ lo: shown(lo[k + q]), median: shown(median[k + q]), hi: shown(hi[k + q]) });
      const bin: VpcBin = {
        time,
        n: layout.members[s][b].length,
        observed: { p05: shown(observed[k]), p50: shown(observed[k + 1]), p95: shown(observed[k + 2]) },
        simulated: { p05: at(0), p50: at(1), p95: at(2) },
      };
      if (censoring) bin.blq = { observed: observed[k + 3], simulated: at(3) };
      k += STRIDE;
      return bin;
    });
    const positions = layout.members[s].flat().sort((a, b) => a - b);
    const observations: VpcStratum['observations'] = {
      time: positions.map((p) => layout.times[p]),
      dv: positions.map((p) => layout.observed[p]),
    };
    if (censoring) observations.blq = positions.map((p) => layout.blq?.[p] === 1);
    const out: VpcStratum = { label: stratum.label, groups: [...stratum.groups], bins, observations };
    if (stratum.armDose !== undefined) out.armDose = stratum.armDose;
    return out;
  });
  const target: VpcTarget = { target: layout.target, binned: layout.binned, strata };
  if (censoring) target.censored = true;
  return target;
}
