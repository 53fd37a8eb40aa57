/**
 * Searches over a dose grid for the smallest dose whose success fraction reaches a target.
 * Bisection assumes the fraction does not fall with dose (true per subject for the mechanistic
 * model with common random numbers); it then checks the neighbours of its answer, so a violation
 * next to the answer is caught. A full scan (every grid dose) is the brute-force reference.
 */
import { DoseSettingsError } from './errors';

/** Returns the success fraction at a dose (sync or async). */
export type FractionAt = (dose: number) => number | Promise<number>;

export interface DoseGridSpec {
  /** Dose step (mg): 0.5 daily, 5 weekly. */
  step: number;
  /** Largest dose of the grid (mg). */
  max: number;
  /** Smallest dose (default one step). */
  min?: number;
}

/** min, min + step, …, ≤ max, each rounded to the step's decimals. */
export function doseGrid(spec: DoseGridSpec): number[] {
  const { step, max } = spec;
  const min = spec.min ?? step;
  if (!(step > 0)) throw new DoseSettingsError(`The dose step must be positive, got ${step} mg.`);
  if (!(min >= 0 && max >= min)) throw new DoseSettingsError(`The dose grid needs 0 ≤ min ≤ max, got ${min}–${max} mg.`);
  const count = Math.floor((max - min) / step + 1e-9) + 1;
  if (count > 100_000) throw new DoseSettingsError(`The dose grid would have ${count} doses; use a larger step or a smaller maximum.`);
  return Array.from({ length: count }, (_, k) => Number((min + k * step).toFixed(10)));
}

export interface GridSearchResult {
  /** Index of the answer in the grid, or −1 when no grid dose reaches the target. */
  index: number;
  dose: number | null;
  fraction: number | null;
  reached: boolean;
  /** Doses evaluated by this search, in order. */
  path: number[];
}

async function evaluate(fractionAt: FractionAt, grid: readonly number[], index: number, path: number[]): Promise<number> {
  path.push(grid[index]);
  return await fractionAt(grid[index]);
}

/** Smallest grid dose with fraction ≥ target by bisection (assumes monotone). */
export async function bisectDoseGrid(grid: readonly number[], target: number, fractionAt: FractionAt): Promise<GridSearchResult> {
  const path: number[] = [];
  if (grid.length === 0) return { index: -1, dose: null, fraction: null, reached: false, path };
  const top = await evaluate(fractionAt, grid, grid.length - 1, path);
  if (!(top >= target)) return { index: -1, dose: null, fraction: null, reached: false, path };
  // Invariant: fraction(lo) < target (lo = −1 is a virtual dose below the grid), fraction(hi) ≥ target.
  let lo = -1;
  let hi = grid.length - 1;
  let fHi = top;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const f = await evaluate(fractionAt, grid, mid, path);
    if (f >= target) {
      hi = mid;
      fHi = f;
    } else lo = mid;
  }
  return { index: hi, dose: grid[hi], fraction: fHi, reached: true, path };
}

/** Smallest grid dose with fraction ≥ target by evaluating every dose from the bottom (brute force). */
export async function scanDoseGrid(grid: readonly number[], target: number, fractionAt: FractionAt): Promise<GridSearchResult> {
  const path: number[] = [];
  for (let k = 0; k < grid.length; k++) {
    const f = await evaluate(fractionAt, grid, k, path);
    if (f >= target) return { index: k, dose: grid[k], fraction: f, reached: true, path };
  }
  return { index: -1, dose: null, fraction: null, reached: false, path };
}

export interface NeighbourCheck {
  below: { dose: number; fraction: number } | null;
  above: { dose: number; fraction: number } | null;
  /** fraction(below) < target ≤ fraction(answer) ≤ fraction(above) where those exist. */
  consistent: boolean;
}

/** Evaluates the grid neighbours of an answer and checks they are consistent with a monotone curve. */
export async function checkNeighbours(
  grid: readonly number[],
  index: number,
  target: number,
  fractionAt: FractionAt,
): Promise<NeighbourCheck> {
  if (index < 0) return { below: null, above: null, consistent: true };
  const at = await fractionAt(grid[index]);
  const below = index > 0 ? { dose: grid[index - 1], fraction: await fractionAt(grid[index - 1]) } : null;
  const above = index + 1 < grid.length ? { dose: grid[index + 1], fraction: await fractionAt(grid[index + 1]) } : null;
  const consistent =
    (below === null || (below.fraction < target && below.fraction <= at)) && at >= target && (above === null || above.fraction >= at);
  return { below, above, consistent };
}
