/**
 * Nominal-time grouping for mean curves. Few distinct sampling times (a designed study) are used
 * as they are; many (actual times, jittered sampling) are grouped into quantile bins, each
 * represented by the median of the times that fall in it.
 */

/** At most this many distinct times are used exactly; more are binned. */
export const EXACT_TIME_LIMIT = 60;
/** Target number of quantile bins when binning. */
export const DEFAULT_BIN_COUNT = 30;

export interface TimeGrouping {
  /** True when times were grouped into quantile bins. */
  binned: boolean;
  /** Representative time per group, ascending: the exact time, or the bin's median time. */
  times: number[];
  /** Lower edge of each group (equal to times[] when exact). */
  lowerEdges: number[];
  /** Group index of a time; -1 when the time is not finite or lies before the first group. */
  groupOf(time: number): number;
}

export interface TimeGroupingOptions {
  exactLimit?: number;
  binCount?: number;
}

export function timeGrouping(times: Iterable<number>, options: TimeGroupingOptions = {}): TimeGrouping {
  const exactLimit = options.exactLimit ?? EXACT_TIME_LIMIT;
  const binCount = Math.max(1, Math.floor(options.binCount ?? DEFAULT_BIN_COUNT));
  const sorted = Float64Array.from([...times].filter(Number.isFinite)).sort();
  const distinct = uniqueSorted(sorted);

  if (distinct.length <= exactLimit) {
    const index = new Map(distinct.map((t, i) => [t, i]));
    return { binned: false, times: distinct, lowerEdges: distinct, groupOf: (t) => index.get(t) ?? -1 };
  }

  // Quantile bins: lower edges are observed times at the k/binCount quantiles, so no bin is empty.
  const n = sorted.length;
  const edges = uniqueSorted(Array.from({ length: binCount }, (_, k) => sorted[Math.floor((k * n) / binCount)]));
  const groupOf = (t: number): number => (Number.isFinite(t) ? lastAtMost(edges, t) : -1);
  const members: number[][] = edges.map(() => []);
  for (const t of sorted) members[groupOf(t)].push(t);
  return { binned: true, times: members.map(median), lowerEdges: edges, groupOf };
}

function uniqueSorted(sorted: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  return out;
}

/** Index of the last element ≤ x in an ascending array, -1 if none. */
function lastAtMost(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Median of an ascending array. */
function median(sorted: readonly number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}
