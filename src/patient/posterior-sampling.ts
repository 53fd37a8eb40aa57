/**
 * Samples of a patient's posterior over η by sampling importance resampling (SIR, Rubin 1988; as
 * PsN's sir and mapbayr's posterior sampling use it): M proposals from a multivariate t with ν
 * degrees of freedom (heavier tails than the posterior, so the weights stay bounded) centred at the
 * MAP η with the Laplace covariance (map-estimate.ts), importance weights
 *   w ∝ exp(−OFV(η)/2) / q(η)
 * with the exact objective, and S draws from the proposals with probability ∝ w (multinomial
 * resampling, with replacement). Seeded (../pkpd/random.ts): the same seed gives the same samples.
 * Without levels the posterior is the prior, sampled directly (η = ω z).
 */
import { cholesky } from '../pkpd/linalg';
import { createRng } from '../pkpd/random';
import { residualSd } from '../pkpd/residual-error';
import type { MapEstimate, PatientPosterior } from './map-estimate';

export interface SirOptions {
  /** Proposals (default 2000). */
  proposals?: number;
  /** Resampled draws (default 500). */
  samples?: number;
  /** Degrees of freedom of the t proposal (default 4; Infinity: a normal proposal). */
  degreesOfFreedom?: number;
  /** Scale of the proposal's covariance (default 1.5²: wider than the Laplace approximation). */
  inflation?: number;
  /** Below this share of the proposals as effective sample size, a second round (default 0.1). */
  minEffectiveShare?: number;
  seed?: number;
}

export interface PosteriorSamples {
  /** S draws of η, each in the posterior's `etaNames` order. */
  eta: Float64Array[];
  /** Effective sample size of the importance weights (Kish): M when the proposal is the posterior. */
  effectiveSize: number;
  proposals: number;
  /** Largest normalised weight of a proposal (near 1/M is good; near 1 means one proposal dominates). */
  largestWeight: number;
  /** Importance-sampling rounds run (2: the first's weights were uneven; see samplePosterior). */
  rounds: number;
}

/** One importance-sampling round: M proposals from the t (or normal) centred at `center` with covariance `cov`, their normalised weights. */
function importanceRound(
  posterior: PatientPosterior,
  center: Float64Array,
  cov: Float64Array,
  m: number,
  nu: number,
  rng: ReturnType<typeof createRng>,
): { draws: Float64Array[]; weights: Float64Array; effectiveSize: number; largestWeight: number } | null {
  const k = center.length;
  const l = cholesky(cov, k);
  if (!l) return null;
  const draws: Float64Array[] = [];
  const logW = new Float64Array(m);
  const z = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    let q = 0;
    for (let j = 0; j < k; j++) {
      z[j] = rng.normal();
      q += z[j] * z[j];
    }
    let scale = 1;
    let logQ = -0.5 * q;
    if (Number.isFinite(nu)) {
      let chi = 0;
      for (let d = 0; d < nu; d++) chi += rng.normal() ** 2;
      scale = Math.sqrt(nu / chi);
      // Density of the t at this point, up to a constant: (1 + δ/ν)^(−(ν+k)/2), δ = |L⁻¹(x − μ)|² = q·ν/χ.
      logQ = (-(nu + k) / 2) * Math.log1p((q * scale * scale) / nu);
    }
    const x = Float64Array.from(center);
    for (let r = 0; r < k; r++) {
      let acc = 0;
      for (let c = 0; c <= r; c++) acc += l[r * k + c] * z[c];
      x[r] += scale * acc;
    }
    draws.push(x);
    logW[i] = -0.5 * posterior.objective(x) - logQ;
  }
  let top = -Infinity;
  for (const v of logW) if (v > top) top = v;
  const weights = new Float64Array(m);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    weights[i] = Number.isFinite(logW[i]) ? Math.exp(logW[i] - top) : 0;
    sum += weights[i];
  }
  let sum2 = 0;
  let largest = 0;
  for (let i = 0; i < m; i++) {
    weights[i] /= sum;
    sum2 += weights[i] * weights[i];
    largest = Math.max(largest, weights[i]);
  }
  return { draws, weights, effectiveSize: 1 / sum2, largestWeight: largest };
}

/** The weighted mean and covariance of a round's proposals (the second round's proposal). */
function weightedMoments(draws: readonly Float64Array[], weights: Float64Array): { mean: Float64Array; cov: Float64Array } {
  const k = draws[0].length;
  const mean = new Float64Array(k);
  draws.forEach((x, i) => x.forEach((v, j) => (mean[j] += weights[i] * v)));
  const cov = new Float64Array(k * k);
  draws.forEach((x, i) => {
    for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) cov[r * k + c] += weights[i] * (x[r] - mean[r]) * (x[c] - mean[c]);
  });
  return { mean, cov };
}

/**
 * SIR samples of the posterior (see the header). When the first round's weights are uneven (effective
 * sample size below `minEffectiveShare` of the proposals: the Laplace approximation misses the posterior's
 * shape), a second round proposes from the first round's weighted mean and covariance (inflated as the
 * first), and the round with the larger effective sample size is resampled (adaptive importance sampling).
 */
export function samplePosterior(posterior: PatientPosterior, map: MapEstimate, options: SirOptions = {}): PosteriorSamples {
  const k = map.eta.length;
  const m = options.proposals ?? 2000;
  const s = options.samples ?? 500;
  const nu = options.degreesOfFreedom ?? 4;
  const rng = createRng(options.seed ?? 1);
  if (k === 0)
    return { eta: Array.from({ length: s }, () => new Float64Array(0)), effectiveSize: m, proposals: m, largestWeight: 1 / m, rounds: 1 };
  if (posterior.nObservations === 0) {
    const eta = Array.from({ length: s }, () => Float64Array.from(posterior.omega, (w) => w * rng.normal()));
    return { eta, effectiveSize: s, proposals: s, largestWeight: 1 / s, rounds: 1 };
  }
  const inflation = options.inflation ?? 2.25;
  const prior = Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? posterior.omega[i / (k + 1)] ** 2 : 0));
  const first =
    importanceRound(
      posterior,
      Float64Array.from(map.eta),
      map.covariance.map((v) => v * inflation),
      m,
      nu,
      rng,
    ) ?? importanceRound(posterior, Float64Array.from(map.eta), prior, m, nu, rng);
  if (!first) throw new Error('samplePosterior: no proposal covariance');
  let chosen = first;
  let rounds = 1;
  if (first.effectiveSize < (options.minEffectiveShare ?? 0.1) * m) {
    const { mean, cov } = weightedMoments(first.draws, first.weights);
    const second = importanceRound(
      posterior,
      mean,
      cov.map((v) => v * inflation),
      m,
      nu,
      rng,
    );
    rounds = 2;
    if (second && second.effectiveSize > first.effectiveSize) chosen = second;
  }
  const cumulative = new Float64Array(m);
  let acc = 0;
  for (let i = 0; i < m; i++) {
    acc += chosen.weights[i];
    cumulative[i] = acc;
  }
  const eta: Float64Array[] = [];
  for (let i = 0; i < s; i++) {
    const u = rng.uniform() * acc;
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    eta.push(chosen.draws[lo]);
  }
  return { eta, effectiveSize: chosen.effectiveSize, proposals: m, largestWeight: chosen.largestWeight, rounds };
}

/** The q-quantile of sorted values (linear interpolation, as ../dose/percentiles.ts). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface PredictionBand {
  times: Float64Array;
  median: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * The central `level` band (default 90 %) of the patient's predicted curve of an endpoint over the
 * samples, at `times` under the patient's doses (or `doses`); `withError` adds the residual error
 * (a band for a measured level rather than for the true curve).
 */
export function predictionBand(
  posterior: PatientPosterior,
  samples: PosteriorSamples,
  endpoint: 'pk' | 'pd',
  times: ArrayLike<number>,
  options: { level?: number; withError?: boolean; seed?: number } = {},
): PredictionBand {
  const level = options.level ?? 0.9;
  const n = times.length;
  const rng = createRng(options.seed ?? 2);
  const residual = posterior.model.residual[endpoint];
  const columns = Array.from({ length: n }, () => new Float64Array(samples.eta.length));
  const plan = posterior.engine.prepare(posterior.doses, endpoint === 'pk' ? { pk: times } : { pk: [], pd: times });
  samples.eta.forEach((eta, i) => {
    const p = posterior.engine.predict(plan, posterior.parameters(eta));
    const values = endpoint === 'pk' ? p.pk : p.pd;
    for (let j = 0; j < n; j++) {
      let v = values[j];
      if (options.withError && residual) {
        if (residual.scale === 'log') v *= Math.exp(residual.additive * rng.normal());
        else v += residualSd(residual, v) * rng.normal();
      }
      columns[j][i] = v;
    }
  });
  const band: PredictionBand = {
    times: Float64Array.from(times),
    median: new Float64Array(n),
    lower: new Float64Array(n),
    upper: new Float64Array(n),
  };
  columns.forEach((c, j) => {
    c.sort();
    band.median[j] = quantileSorted(c, 0.5);
    band.lower[j] = quantileSorted(c, (1 - level) / 2);
    band.upper[j] = quantileSorted(c, 1 - (1 - level) / 2);
  });
  return band;
}

/**
 * Draws from the Laplace approximation itself (a normal at the MAP η with its covariance, no
 * importance weights): the quick posterior of a what-if, where SIR's extra objective evaluations are
 * not wanted. Without levels, the prior.
 */
export function laplaceSamples(map: MapEstimate, options: { samples?: number; seed?: number } = {}): PosteriorSamples {
  const k = map.eta.length;
  const s = options.samples ?? 500;
  const rng = createRng(options.seed ?? 1);
  const l = k > 0 ? cholesky(map.covariance, k) : new Float64Array(0);
  if (!l) throw new Error('laplaceSamples: the covariance is not positive definite');
  const eta = Array.from({ length: s }, () => {
    const z = Float64Array.from({ length: k }, () => rng.normal());
    const x = Float64Array.from(map.eta);
    for (let r = 0; r < k; r++) for (let c = 0; c <= r; c++) x[r] += l[r * k + c] * z[c];
    return x;
  });
  return { eta, effectiveSize: s, proposals: s, largestWeight: 1 / s, rounds: 0 };
}
