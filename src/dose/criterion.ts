/**
 * The success criterion of the dose questions (the study spec's `questions.criterion`) and its
 * Monte-Carlo uncertainty. Over the last dosing interval at steady state, a subject's endpoint is
 *   below T    strictly below T       above T    strictly above T       within [a, b]   a ≤ value ≤ b
 * in the window the spec names: `throughout` (at every grid time: max < T, min > T, or both bounds),
 * `trough` (the value just before the next dose) or `average` (the mean over the interval). A NaN
 * fails. The population's success fraction comes with a Wilson score interval (binomial sampling of
 * the virtual subjects).
 */
import type { Criterion } from '../study/study-spec';
import type { EndpointSummary, SteadyStateResult } from './steady-state';

/** EstData's question: PD below 3.3 ng/mL throughout the last interval. */
export const DEFAULT_THRESHOLD = 3.3;
const Z95 = 1.959963984540054;

/** `threshold` as a criterion "below T throughout" (the EstData questions). */
export const belowThroughout = (threshold: number): Criterion => ({ rule: 'below', threshold, window: 'throughout' });

/** The summaries a criterion reads (steady-state.ts). */
export function criterionSummaries(criterion: Criterion): EndpointSummary[] {
  if (criterion.window === 'trough') return ['trough'];
  if (criterion.window === 'average') return ['average'];
  if (criterion.rule === 'below') return ['max'];
  if (criterion.rule === 'above') return ['min'];
  return ['min', 'max'];
}

/** The summaries that bound a subject's endpoint from below and above in the criterion's window. */
export function criterionBounds(criterion: Criterion): { low: EndpointSummary; high: EndpointSummary } {
  if (criterion.window === 'throughout') return { low: 'min', high: 'max' };
  return { low: criterion.window, high: criterion.window };
}

/** Whether a subject whose endpoint lies between `low` and `high` in the window succeeds (NaN fails). */
export function meets(criterion: Criterion, low: number, high: number): boolean {
  switch (criterion.rule) {
    case 'below':
      return high < criterion.threshold;
    case 'above':
      return low > criterion.threshold;
    case 'within':
      return low >= criterion.range[0] && high <= criterion.range[1];
  }
}

/** Success per subject (1 = the criterion holds) from a simulator's result. */
export function successMask(result: SteadyStateResult, criterion: Criterion, size: number): Uint8Array {
  const { low, high } = criterionBounds(criterion);
  const lows = criterion.rule === 'below' ? undefined : result[low];
  const highs = criterion.rule === 'above' ? undefined : result[high];
  const missing = criterion.rule !== 'below' && !lows ? low : criterion.rule !== 'above' && !highs ? high : null;
  if (missing) throw new Error(`successMask: the simulator returned no ${missing} summary`);
  const mask = new Uint8Array(size);
  for (let i = 0; i < size; i++) mask[i] = meets(criterion, lows ? lows[i] : Number.NaN, highs ? highs[i] : Number.NaN) ? 1 : 0;
  return mask;
}

/** Wilson score interval for `successes` out of `n` at confidence z (default 95%). */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  if (!(n > 0)) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface SuccessFraction {
  successes: number;
  n: number;
  fraction: number;
  /** Wilson 95% interval of the fraction. */
  ci: [number, number];
}

export function successFraction(mask: ArrayLike<number>): SuccessFraction {
  let successes = 0;
  for (let i = 0; i < mask.length; i++) successes += mask[i] ? 1 : 0;
  const n = mask.length;
  return { successes, n, fraction: n > 0 ? successes / n : NaN, ci: wilsonInterval(successes, n) };
}

/** "below 3.3 ng/mL throughout the last interval", "within 15–40 mg/L at the trough", … */
export function describeCriterion(criterion: Criterion, unit: string): string {
  const u = unit ? ` ${unit}` : '';
  const what =
    criterion.rule === 'within' ? `within ${criterion.range[0]}–${criterion.range[1]}${u}` : `${criterion.rule} ${criterion.threshold}${u}`;
  const where =
    criterion.window === 'throughout'
      ? 'throughout the last dosing interval'
      : criterion.window === 'trough'
        ? 'at the trough (just before the next dose)'
        : 'on average over the dosing interval';
  return `${what} ${where} at steady state`;
}
