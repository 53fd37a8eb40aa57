import { maxOf } from './min-max';

/**
 * Times of a subject's prediction curve: `points` evenly spaced from 0 to the last of `required`,
 * plus every required time (dose and observation times, so troughs, jumps at doses and the
 * observations themselves lie on the curve), ascending without repeats.
 */
export function curveGrid(points: number, required: readonly number[]): number[] {
  if (!Number.isInteger(points) || points < 2) throw new Error(`a curve needs at least 2 grid points, got ${points}`);
  const end = Math.max(0, maxOf(required));
  const times = [...required, ...Array.from({ length: points }, (_, i) => (end * i) / (points - 1))];
  return [...new Set(times)].sort((a, b) => a - b);
}
