import type { Dataset } from '../types';

/** A treatment arm: all subjects with the same Subject.armDose. */
export interface Arm {
  /** Arm dose in mg (0 = placebo; NaN = unknown). */
  dose: number;
  /** "Placebo", "1 mg", "0.5 mg", … or "Unknown dose". */
  label: string;
  /** Indices into Dataset.subjects, in dataset order. */
  subjects: number[];
}

export function armLabel(dose: number): string {
  if (!Number.isFinite(dose)) return 'Unknown dose';
  if (dose === 0) return 'Placebo';
  return `${Number(dose.toPrecision(6))} mg`;
}

/** Arms ordered by dose (placebo first, unknown dose last). */
export function deriveArms(dataset: Dataset): Arm[] {
  const byDose = new Map<string, Arm>();
  dataset.subjects.forEach((s, index) => {
    const dose = Number.isFinite(s.armDose) ? s.armDose : Number.NaN;
    const key = String(dose);
    let arm = byDose.get(key);
    if (!arm) {
      arm = { dose, label: armLabel(dose), subjects: [] };
      byDose.set(key, arm);
    }
    arm.subjects.push(index);
  });
  return [...byDose.values()].sort((a, b) => doseOrder(a.dose) - doseOrder(b.dose));
}

function doseOrder(dose: number): number {
  return Number.isFinite(dose) ? dose : Number.POSITIVE_INFINITY;
}

/** Arm index per subject index. */
export function armIndexBySubject(dataset: Dataset, arms: readonly Arm[]): Int32Array {
  const out = new Int32Array(dataset.subjects.length).fill(-1);
  arms.forEach((arm, a) => {
    for (const s of arm.subjects) out[s] = a;
  });
  return out;
}
