/**
 * Visual predictive check: R replicate trials simulated from a population model with the dataset's
 * own design — each subject's covariates, dose history and sampling times, new η from Ω and new
 * residual errors — stratified by arm and binned by time (the data explorer's time grouping:
 * designed times exactly, jittered times in quantile bins). Per bin: the observed 5th, 50th and
 * 95th percentiles, and for each simulated percentile its median and 90 % interval over replicates
 * (the 5th and 95th percentiles of that percentile across replicates). Percentiles interpolate
 * linearly between order statistics (R's type 7).
 */
import { timeGrouping } from '../../data/explore/time-grouping';
import { armLabel } from '../../data/explore/arms';
import { quantileOfSorted, sampleQuantiles } from '../../data/quantile';
import { PD_ETA_NAMES, PK_ETA_NAMES } from '../covariates';
import { sampleEtas } from '../population-model';
import { createRng } from '../random';
import { type DiagnosticsInput, type DiagnosticTarget, type FittedObservations, subjectParameters } from './observation-diagnostics';
import { SubjectPredictor } from './subject-predictor';

export interface VpcOptions {
  /** Replicate trials (default 100). */
  replicates?: number;
  seed?: number;
  /** Called after each replicate. */
  onProgress?: (done: number, total: number) => void;
}

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
  armDose: number;
  label: string;
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

/** Where each observation of a target sits: its stratum and bin, and its place in the flat value array. */
interface TargetLayout {
  target: DiagnosticTarget;
  binned: boolean;
  strata: { armDose: number; binTimes: number[] }[];
  /** [stratum][bin] → positions in the flat arrays of this target's observations. */
  members: number[][][];
  times: Float64Array;
  observed: Float64Array;
  /** Offset of each subject's observations in the flat array (−1: none). */
  offsets: Int32Array;
}

function layoutOf(target: DiagnosticTarget, input: DiagnosticsInput, observations: readonly FittedObservations[]): TargetLayout | null {
  const byId = new Map(observations.map((o) => [o.id, o]));
  const offsets = new Int32Array(input.subjects.length).fill(-1);
  const flat: { armDose: number; time: number; dv: number }[] = [];
  input.subjects.forEach((s, i) => {
    const o = byId.get(s.id);
    if (!o || o.times.length === 0) return;
    offsets[i] = flat.length;
    o.times.forEach((time, j) => flat.push({ armDose: s.armDose, time, dv: o.dv[j] }));
  });
  if (flat.length === 0) return null;
  // Arms by dose, an unknown dose (NaN) last; Object.is matches NaN with NaN.
  const doses = [...new Set(flat.map((f) => f.armDose))].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const stratumOf = flat.map((f) => doses.findIndex((d) => Object.is(d, f.armDose)));
  let binned = false;
  const strata = doses.map((armDose, k) => {
    const grouping = timeGrouping(
      flat.filter((_, i) => stratumOf[i] === k).map((f) => f.time),
      { exactLimit: 40, binCount: 20 },
    );
    binned ||= grouping.binned;
    return { armDose, grouping };
  });
  const members = strata.map((s) => s.grouping.times.map(() => [] as number[]));
  flat.forEach((f, position) => {
    const k = stratumOf[position];
    members[k][strata[k].grouping.groupOf(f.time)].push(position);
  });
  return {
    target,
    binned,
    strata: strata.map(({ armDose, grouping }) => ({ armDose, binTimes: grouping.times })),
    members,
    times: Float64Array.from(flat, (f) => f.time),
    observed: Float64Array.from(flat, (f) => f.dv),
    offsets,
  };
}

/** The 5/50/95th percentiles of every bin's values, flattened [stratum, bin, percentile]. */
function binPercentiles(layout: TargetLayout, values: Float64Array): Float64Array {
  const out: number[] = [];
  for (const stratum of layout.members) {
    for (const bin of stratum) {
      const p = percentiles(Float64Array.from(bin, (position) => values[position]));
      out.push(p.p05, p.p50, p.p95);
    }
  }
  return Float64Array.from(out);
}

function summarise(layout: TargetLayout, replicateStats: Float64Array[]): VpcTarget {
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
    return { armDose: stratum.armDose, label: armLabel(stratum.armDose), bins, observations };
  });
  return { target: layout.target, binned: layout.binned, strata };
}

export function visualPredictiveCheck(input: DiagnosticsInput, options: VpcOptions = {}): VpcResult {
  const replicates = options.replicates ?? DEFAULT_VPC_REPLICATES;
  const seed = options.seed ?? 1;
  const { model, subjects } = input;
  const pk = layoutOf('pk', input, input.observations.pk);
  const pd = layoutOf('pd', input, input.observations.pd);
  const timesOf = (observations: readonly FittedObservations[], id: string): ArrayLike<number> =>
    observations.find((o) => o.id === id)?.times ?? [];
  const predictors = subjects.map(
    (s) => new SubjectPredictor(s.doses, timesOf(input.observations.pk, s.id), timesOf(input.observations.pd, s.id), input.pdGrid),
  );
  const rng = createRng(seed);
  const simulated = { pk: new Float64Array(pk?.observed.length ?? 0), pd: new Float64Array(pd?.observed.length ?? 0) };
  const stats: { pk: Float64Array[]; pd: Float64Array[] } = { pk: [], pd: [] };
  for (let r = 0; r < replicates; r++) {
    subjects.forEach((subject, i) => {
      const etas = { pk: sampleEtas(model.pk.omega, PK_ETA_NAMES, rng), pd: sampleEtas(model.pd.omega, PD_ETA_NAMES, rng) };
      const p = subjectParameters(model, subject, etas);
      const pkAt = pk?.offsets[i] ?? -1;
      if (pkAt >= 0) {
        const c = predictors[i].pk(p.pk);
        for (let j = 0; j < c.length; j++) simulated.pk[pkAt + j] = c[j] * Math.exp(model.pk.sigmaLog * rng.normal());
      }
      const pdAt = pd?.offsets[i] ?? -1;
      if (pdAt >= 0) {
        const resp = predictors[i].pd(p);
        for (let j = 0; j < resp.length; j++)
          simulated.pd[pdAt + j] = resp[j] * (1 + model.pd.sigmaProp * rng.normal()) + model.pd.sigmaAdd * rng.normal();
      }
    });
    if (pk) stats.pk.push(binPercentiles(pk, simulated.pk));
    if (pd) stats.pd.push(binPercentiles(pd, simulated.pd));
    options.onProgress?.(r + 1, replicates);
  }
  return {
    replicates,
    seed,
    pk: pk && replicates > 0 ? summarise(pk, stats.pk) : null,
    pd: pd && replicates > 0 ? summarise(pd, stats.pd) : null,
  };
}
