/**
 * The residual error of an observation at its prediction f, the one implementation every objective,
 * diagnostic and simulation uses (FOCE ./foce.ts, the patient's MAP, simulation and VPC draws):
 * an additive SD a and a proportional SD b (a coefficient of variation) combined as
 *   `sum-of-variances` (default): Var = a² + b² f²   (NONMEM's Y = F + F·EPS(1) + EPS(2); nlmixr2's
 *                                                     and Monolix's `combined2`)
 *   `sum-of-sds`:                 SD = a + b |f|     (nlmixr2's, Monolix's and posologyr's `combined1`)
 * The two agree when a or b is 0. On the log scale (exponential error) f is ln C and b is 0, so the
 * variance is a² either way. |f| keeps the SD of a negative prediction (a PD response) positive.
 */
import type { ResidualCombination } from '../study/study-spec';

export type { ResidualCombination };

/** Residual SDs of an endpoint: `combined` absent means `sum-of-variances`. */
export interface ResidualSds {
  additive: number;
  proportional: number;
  combined?: ResidualCombination;
}

/**
 * The residual variance at prediction f from the components' variances a² and b² (FOCE's
 * parametrisation: the sum of variances is then exactly a² + b²f², as the fits before the SD sum).
 */
export function combinedVariance(a2: number, b2: number, combined: ResidualCombination | undefined, f: number): number {
  if (combined === 'sum-of-sds') {
    const sd = Math.sqrt(a2) + Math.sqrt(b2) * Math.abs(f);
    return sd * sd;
  }
  return a2 + b2 * f * f;
}

/** ∂Var/∂f at prediction f, from the components' variances (FOCE's interaction term). */
export function combinedVarianceSlope(a2: number, b2: number, combined: ResidualCombination | undefined, f: number): number {
  if (combined === 'sum-of-sds') {
    const b = Math.sqrt(b2);
    return 2 * (Math.sqrt(a2) + b * Math.abs(f)) * b * Math.sign(f);
  }
  return 2 * b2 * f;
}

/** The residual variance at prediction f. */
export function residualVariance(r: ResidualSds, f: number): number {
  return combinedVariance(r.additive * r.additive, r.proportional * r.proportional, r.combined, f);
}

/** The residual SD at prediction f. */
export function residualSd(r: ResidualSds, f: number): number {
  return r.combined === 'sum-of-sds' ? r.additive + r.proportional * Math.abs(f) : Math.sqrt(residualVariance(r, f));
}
