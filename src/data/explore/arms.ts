/** "Placebo", "1 mg", "0.5 mg", … or "Unknown dose": an arm of EstData-like trials named by its dose in mg (the fit's diagnostics and reports). */
export function armLabel(dose: number): string {
  if (!Number.isFinite(dose)) return 'Unknown dose';
  if (dose === 0) return 'Placebo';
  return `${Number(dose.toPrecision(6))} mg`;
}
