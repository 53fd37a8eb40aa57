export interface Throughput {
  samples_per_s: number;
  median_ms: number;
  runs: number;
}

export interface ThroughputOptions {
  /** Keep timing until this much time has passed (and at least `minRuns` runs). */
  seconds?: number;
  minRuns?: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median samples/s of `run` over repeated timed runs (the caller warms up first). Works in Node and
 * in the browser; `run` may return a promise (GPU work is timed until its data are read back).
 */
export async function measureThroughput(
  batch: number,
  run: () => unknown,
  { seconds = 1, minRuns = 3 }: ThroughputOptions = {},
): Promise<Throughput> {
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < seconds * 1000) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  const ms = median(times);
  return { samples_per_s: Math.round((batch / ms) * 1000 * 10) / 10, median_ms: Math.round(ms * 100) / 100, runs: times.length };
}
