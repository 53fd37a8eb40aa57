/** Percentiles of sorted samples (answers over replicates, fractions over ensemble members). */

/** Nearest-rank percentile (a value of the sample, e.g. a grid dose). */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Linearly interpolated percentile. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (!Number.isFinite(sorted[lo]) || !Number.isFinite(sorted[hi])) return sorted[Math.round(pos)];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
