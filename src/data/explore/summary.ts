/** Descriptive statistics of one group of observations. */
export interface Summary {
  /** Values averaged (all finite values). */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN when n < 2. */
  sd: number;
  /** Geometric mean of the positive values; NaN when there are none. */
  geoMean: number;
  /** Geometric standard deviation (a factor ≥ 1) of the positive values; NaN when fewer than 2. */
  geoSd: number;
  /** Positive values, used for the geometric statistics. */
  nPositive: number;
  /** Values ≤ 0, excluded from the geometric statistics (and from log-scale plots). */
  nNonPositive: number;
}

export function summarise(values: readonly number[]): Summary {
  let n = 0;
  let sum = 0;
  let nPositive = 0;
  let logSum = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    if (v > 0) {
      nPositive++;
      logSum += Math.log(v);
    }
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  const logMean = nPositive > 0 ? logSum / nPositive : Number.NaN;
  let ss = 0;
  let logSs = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    ss += (v - mean) ** 2;
    if (v > 0) logSs += (Math.log(v) - logMean) ** 2;
  }
  return {
    n,
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN,
    geoMean: nPositive > 0 ? Math.exp(logMean) : Number.NaN,
    geoSd: nPositive > 1 ? Math.exp(Math.sqrt(logSs / (nPositive - 1))) : Number.NaN,
    nPositive,
    nNonPositive: n - nPositive,
  };
}
