/**
 * Quantiles of samples — the one implementation (dose-answer spreads and bands, the visual
 * predictive check, MC-dropout bands): linear interpolation between order statistics (R's type 7,
 * h = p (n − 1)), or the nearest rank (a value of the sample, e.g. a grid dose). Next to min-max.ts:
 * descriptive statistics every layer may import.
 */

/**
 * The p-quantile of ascending values by linear interpolation between order statistics (type 7);
 * NaN for none. Where a neighbour is not finite (an answer that never reached its target is
 * Infinity), the nearest of the two is taken instead of interpolating.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = p * (n - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  if (!Number.isFinite(sorted[lo]) || !Number.isFinite(sorted[hi])) return sorted[Math.round(h)];
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Nearest-rank quantile of ascending values: the smallest value with at least a share q at or below it (NaN for none). */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Element-wise quantiles over samples (each sample an array of the same length), by `quantileOfSorted`. */
export function sampleQuantiles(samples: readonly ArrayLike<number>[], probabilities: readonly number[]): Float64Array[] {
  if (samples.length === 0) throw new Error('quantiles of no samples');
  for (const p of probabilities) if (!(p >= 0 && p <= 1)) throw new Error(`a quantile's probability must lie in [0, 1], got ${p}`);
  const size = samples[0].length;
  const out = probabilities.map(() => new Float64Array(size));
  const column = new Float64Array(samples.length);
  for (let i = 0; i < size; i++) {
    samples.forEach((s, j) => (column[j] = s[i]));
    column.sort();
    probabilities.forEach((p, q) => (out[q][i] = quantileOfSorted(column, p)));
  }
  return out;
}
