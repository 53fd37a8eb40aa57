/**
 * Normalised prediction distribution errors (Brendel et al. 2006, Pharm Res 23:2036; Comets, Brendel
 * & Mentré 2008, Comput Methods Programs Biomed 90:154 — the npde R package's method), per subject
 * from K simulations of its observations under the design:
 *
 * 1. E_i and V_i: the mean and covariance (K − 1 denominator) of the subject's K simulated vectors.
 * 2. Decorrelation by the Cholesky factor V_i = L Lᵀ: y* = L⁻¹ (y − E_i), and the same for every
 *    simulated vector.
 * 3. pde_ij = the share of the K decorrelated simulations below the decorrelated observation (ties
 *    count a half); 0 becomes 1/(2K) and 1 becomes 1 − 1/(2K), so that npde stays finite.
 * 4. npde_ij = Φ⁻¹(pde_ij): N(0, 1), independent within and between subjects, under the model.
 *
 * `pd` is the same share without decorrelation (prediction discrepancy). Where V_i is not positive
 * definite (fewer simulations than observations, or a constant observation) the subject's pde is its
 * pd and `decorrelated` is false. Replicates with a non-finite value for the subject (a simulated
 * subject whose parameters the engine refuses) are left out of its K.
 *
 * `npdeSummary` gives what the npde package reports per endpoint: mean (0 expected), variance (1), and
 * a Kolmogorov–Smirnov test of N(0, 1) (statistic and asymptotic p-value, Stephens' correction) in
 * place of Shapiro–Wilk.
 */
import { cholesky, forwardSolve } from '../linalg';
import { normalCdf, normalQuantile } from '../random';

export interface SubjectNpde {
  /** Mean of the simulated observations (EPRED), on the scale given. */
  epred: Float64Array;
  pd: Float64Array;
  pde: Float64Array;
  npde: Float64Array;
  decorrelated: boolean;
  /** Simulations used (K less the replicates left out). */
  simulations: number;
}

export interface NpdeSummary {
  n: number;
  mean: number;
  variance: number;
  /** Kolmogorov–Smirnov distance between the npde's empirical distribution and N(0, 1). */
  ksStatistic: number;
  ksPValue: number;
}

/** Share of `values` below `y` (ties: a half), clipped to [1/(2K), 1 − 1/(2K)]. */
function discrepancy(values: ArrayLike<number>, y: number): number {
  const k = values.length;
  let below = 0;
  for (let r = 0; r < k; r++) {
    if (values[r] < y) below++;
    else if (values[r] === y) below += 0.5;
  }
  return Math.min(1 - 1 / (2 * k), Math.max(1 / (2 * k), below / k));
}

/**
 * NPDE of one subject: `observed` (n values) and `simulated` (K × n, row-major: replicate r's value of
 * observation j at r·n + j), both on the scale the decorrelation works on.
 */
export function subjectNpde(observed: ArrayLike<number>, simulated: ArrayLike<number>): SubjectNpde {
  const n = observed.length;
  if (n === 0 || simulated.length % n !== 0) throw new Error(`subjectNpde: ${simulated.length} simulated values for ${n} observations`);
  const all = simulated.length / n;
  const rows: number[] = [];
  for (let r = 0; r < all; r++) {
    let finite = true;
    for (let j = 0; j < n && finite; j++) finite = Number.isFinite(simulated[r * n + j]);
    if (finite) rows.push(r);
  }
  const k = rows.length;
  const nan = (): Float64Array => new Float64Array(n).fill(Number.NaN);
  if (k < 2) return { epred: nan(), pd: nan(), pde: nan(), npde: nan(), decorrelated: false, simulations: k };
  const epred = new Float64Array(n);
  for (const r of rows) for (let j = 0; j < n; j++) epred[j] += simulated[r * n + j];
  for (let j = 0; j < n; j++) epred[j] /= k;
  const column = new Float64Array(k);
  const pd = Float64Array.from({ length: n }, (_, j) => {
    rows.forEach((r, q) => (column[q] = simulated[r * n + j]));
    return discrepancy(column, observed[j]);
  });
  const v = new Float64Array(n * n);
  for (const r of rows) {
    for (let a = 0; a < n; a++) {
      const da = simulated[r * n + a] - epred[a];
      for (let b = 0; b <= a; b++) v[a * n + b] += (da * (simulated[r * n + b] - epred[b])) / (k - 1);
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) v[b * n + a] = v[a * n + b];
  const factor = k > n ? cholesky(v, n) : null;
  // A pivot lost to rounding (a variance near 0 relative to its diagonal) counts as singular.
  const l = factor && v.every((_, a) => a >= n || factor[a * n + a] ** 2 > 1e-10 * v[a * n + a]) ? factor : null;
  let pde = pd;
  if (l) {
    const centred = new Float64Array(n);
    const decorrelate = (values: ArrayLike<number>, offset: number): Float64Array => {
      for (let j = 0; j < n; j++) centred[j] = values[offset + j] - epred[j];
      return forwardSolve(l, n, centred);
    };
    const y = decorrelate(observed, 0);
    const sims = rows.map((r) => decorrelate(simulated, r * n));
    pde = Float64Array.from({ length: n }, (_, j) => {
      sims.forEach((s, q) => (column[q] = s[j]));
      return discrepancy(column, y[j]);
    });
  }
  return { epred, pd, pde, npde: pde.map(normalQuantile), decorrelated: l !== null, simulations: k };
}

/** P(K > λ) of the Kolmogorov distribution. */
function kolmogorovTail(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = 2 * (j % 2 === 1 ? 1 : -1) * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

/** Mean, variance and a KS test of N(0, 1) over the finite values. */
export function npdeSummary(values: ArrayLike<number>): NpdeSummary {
  const x = Float64Array.from(Array.from(values).filter(Number.isFinite)).sort();
  const n = x.length;
  if (n === 0) return { n, mean: Number.NaN, variance: Number.NaN, ksStatistic: Number.NaN, ksPValue: Number.NaN };
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : Number.NaN;
  let d = 0;
  x.forEach((v, i) => {
    const f = normalCdf(v);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  });
  const root = Math.sqrt(n);
  return { n, mean, variance, ksStatistic: d, ksPValue: kolmogorovTail((root + 0.12 + 0.11 / root) * d) };
}
