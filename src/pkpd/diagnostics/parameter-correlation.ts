/**
 * Correlation matrix of the estimates and its condition number, from the covariance step of a FOCE
 * fit (../foce.ts `FoceResult.covariance`: 2 H⁻¹ on the estimation scale — log θ, logit θ, log ω,
 * log σ). corr_ij = cov_ij / √(cov_ii cov_jj). The delta method maps the estimation scale to the
 * natural one by a diagonal Jacobian with positive entries (exp, logistic), which leaves the
 * correlations unchanged, so these are the correlations of the natural-scale estimates as well.
 *
 * Condition number: NONMEM's convention — the ratio of the largest to the smallest eigenvalue of the
 * correlation matrix (NONMEM prints these eigenvalues with PRINT=E; a ratio above 1000 is the usual
 * warning sign of an over-parameterised model). Parameters the covariance step set aside (flat
 * objective: NaN rows, see `covarianceFromHessian`) have no correlations (NaN) and are left out of
 * the eigenvalues; `excluded` names them.
 */
import { symmetricEigenvalues } from '../linalg';

export interface ParameterCorrelation {
  /** The covariance step's parameters, in its order: θ names ("CL", "CL~WT"), "omega(CL)", "sigma(add)", "sigma(prop)". */
  names: string[];
  /** correlation[i][j]; 1 on the diagonal; NaN for a parameter in `excluded`. */
  correlation: number[][];
  /** Eigenvalues of the correlation matrix of the parameters not excluded, ascending. */
  eigenvalues: number[];
  /** Largest / smallest eigenvalue (NaN when none; Infinity when the smallest is ≤ 0). */
  conditionNumber: number;
  /** Parameters without a standard error (set aside by the covariance step). */
  excluded: string[];
}

/** Correlations and condition number of a row-major n × n covariance matrix (NaN rows: parameters without one). */
export function parameterCorrelation(covariance: ArrayLike<number>, names: readonly string[]): ParameterCorrelation {
  const n = names.length;
  if (covariance.length !== n * n) throw new Error(`parameterCorrelation: ${covariance.length} entries for ${n} parameters`);
  const sd = Array.from({ length: n }, (_, i) => {
    const v = covariance[i * n + i];
    return v > 0 && Number.isFinite(v) ? Math.sqrt(v) : Number.NaN;
  });
  const kept = sd.map((s, i) => (Number.isNaN(s) ? -1 : i)).filter((i) => i >= 0);
  const correlation = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      if (Number.isNaN(sd[i]) || Number.isNaN(sd[j])) return Number.NaN;
      return i === j ? 1 : covariance[i * n + j] / (sd[i] * sd[j]);
    }),
  );
  const m = kept.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = correlation[kept[a]][kept[b]];
  const eigenvalues = m > 0 ? symmetricEigenvalues(sub, m) : [];
  let conditionNumber = Number.NaN;
  if (m > 0) conditionNumber = eigenvalues[0] > 0 ? eigenvalues[m - 1] / eigenvalues[0] : Number.POSITIVE_INFINITY;
  return { names: [...names], correlation, eigenvalues, conditionNumber, excluded: names.filter((_, i) => Number.isNaN(sd[i])) };
}
