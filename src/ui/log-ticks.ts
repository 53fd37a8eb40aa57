import { maxOf, minOf } from '../data/min-max';

/** Multiples of each decade tried for log ticks, coarsest first. */
const LOG_TICK_STEPS = [[1], [1, 2, 3, 5], [1, 1.5, 2, 3, 4, 5, 6, 8]];

/**
 * Ticks of a log axis over [min, max] (both > 0): the coarsest steps per decade that give at least
 * three ticks — Plot's default log ticks leave ranges under a decade almost unlabelled.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0 && max >= min)) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  let ticks: number[] = [];
  for (const steps of LOG_TICK_STEPS) {
    ticks = [];
    for (let k = lo; k <= hi; k++) for (const m of steps) ticks.push(Number((m * 10 ** k).toPrecision(6)));
    ticks = ticks.filter((t) => t >= min && t <= max);
    if (ticks.length >= 3) break;
  }
  return ticks;
}

/** logTicks over the positive finite values of `values`; undefined when there are none. */
export function logTicksOf(values: readonly number[]): number[] | undefined {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return undefined;
  return logTicks(minOf(positive), maxOf(positive));
}
