import { mulberry32 } from '../../data/splits/prng';

/** Seeded uniform [0, 1) generator (mulberry32, src/data/splits/prng.ts), so random test cases are the same on every run. */
export const seededRandom: (seed: number) => () => number = mulberry32;

/** length values uniform in [low, high). */
export function uniformArray(random: () => number, length: number, low: number, high: number): Float64Array {
  return Float64Array.from({ length }, () => low + (high - low) * random());
}
