/** Bands and spreads of dose answers over replicates (models drawn from a fit's uncertainty, ensemble members). */
import { nearestRank, quantileOfSorted } from '../data/quantile';

/** One point of a dose–response band: the 5th, 50th and 95th (interpolated) percentiles of the success fraction at `dose` over replicates. */
export function bandPoint(dose: number, fractions: readonly number[]): { dose: number; p05: number; median: number; p95: number } {
  const s = [...fractions].sort((a, b) => a - b);
  return { dose, p05: quantileOfSorted(s, 0.05), median: quantileOfSorted(s, 0.5), p95: quantileOfSorted(s, 0.95) };
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
