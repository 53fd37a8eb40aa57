/** Numbers of the Doses view as people read them: doses (in the study's amount unit) without trailing zeros, shares in %. */

/** "5.5", "55", "∞" (an answer not reached within the grid). */
export function formatDose(dose: number): string {
  if (dose === Number.POSITIVE_INFINITY) return '∞';
  return Number.isFinite(dose) ? String(Number(dose.toFixed(3))) : '–';
}

/** A fraction as a percentage with at most one decimal: "90 %", "91.3 %". */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${Number((100 * fraction).toFixed(1))} %` : '–';
}

/** An interval of fractions as "89.4–92.9 %". */
export function formatPercentRange([lo, hi]: readonly [number, number]): string {
  return `${formatPercent(lo).replace(' %', '')}–${formatPercent(hi)}`;
}
