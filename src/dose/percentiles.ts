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

/** One point of a dose–response band: the 5th, 50th and 95th (interpolated) percentiles of the success fraction at `dose` over replicates. */
export function bandPoint(dose: number, fractions: readonly number[]): { dose: number; p05: number; median: number; p95: number } {
  const s = [...fractions].sort((a, b) => a - b);
  return { dose, p05: percentile(s, 0.05), median: percentile(s, 0.5), p95: percentile(s, 0.95) };
}

/**
 * An answer over replicates: how many, the 5th, 50th and 95th percentiles (nearest rank: grid doses)
 * of the doses (Infinity where the target was not reached), and how many did not reach it.
 */
export function answerSpread(doses: readonly number[]): {
  replicates: number;
  p05: number;
  median: number;
  p95: number;
  notReached: number;
} {
  const s = [...doses].sort((a, b) => a - b);
  return {
    replicates: s.length,
    p05: nearestRank(s, 0.05),
    median: nearestRank(s, 0.5),
    p95: nearestRank(s, 0.95),
    notReached: s.filter((v) => !Number.isFinite(v)).length,
  };
}
