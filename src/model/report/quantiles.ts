/** Element-wise quantiles over samples (linear interpolation between order statistics, as R's type 7). */
export function sampleQuantiles(samples: readonly ArrayLike<number>[], probabilities: readonly number[]): Float64Array[] {
  if (samples.length === 0) throw new Error('quantiles of no samples');
  for (const p of probabilities) if (!(p >= 0 && p <= 1)) throw new Error(`a quantile's probability must lie in [0, 1], got ${p}`);
  const size = samples[0].length;
  const out = probabilities.map(() => new Float64Array(size));
  const column = new Float64Array(samples.length);
  for (let i = 0; i < size; i++) {
    samples.forEach((s, j) => (column[j] = s[i]));
    column.sort();
    probabilities.forEach((p, q) => {
      const h = p * (column.length - 1);
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, column.length - 1);
      out[q][i] = column[lo] + (h - lo) * (column[hi] - column[lo]);
    });
  }
  return out;
}
