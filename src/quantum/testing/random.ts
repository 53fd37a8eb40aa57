/** Seeded uniform [0, 1) generator (mulberry32), so random test cases are the same on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** length values uniform in [low, high). */
export function uniformArray(random: () => number, length: number, low: number, high: number): Float64Array {
  return Float64Array.from({ length }, () => low + (high - low) * random());
}
