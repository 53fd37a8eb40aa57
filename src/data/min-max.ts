/**
 * Smallest and largest of any number of values, as Math.min/Math.max give them (NaN if any value is
 * NaN; Infinity and -Infinity for none) but without spreading the values into a call:
 * `Math.min(...values)` overflows the call stack at around 100,000 values.
 */
export function minOf(values: Iterable<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of values) {
    if (Number.isNaN(v)) return Number.NaN;
    if (v < min) min = v;
  }
  return min;
}

export function maxOf(values: Iterable<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (Number.isNaN(v)) return Number.NaN;
    if (v > max) max = v;
  }
  return max;
}
