import { describe, expect, it } from 'vitest';
import { FitCancelledError } from './errors';
import { fitFoce, FoceObjective, type FoceProblem } from './foce';
import { cholesky, choleskyLogDet, forwardSolve } from './linalg';
import { createRng } from './random';

/** y_ij = θ1 + η1 + (θ2 + η2) t_j + ε: linear in η, so the Laplace/FOCE objective is exact. */
function linearProblem(seed: number, subjects: number, times: number[]): FoceProblem {
  const rng = createRng(seed);
  const observations = Array.from({ length: subjects }, () => {
    const a = 5 + 1.0 * rng.normal();
    const b = -0.5 + 0.3 * rng.normal();
    return Float64Array.from(times, (t) => a + b * t + 0.4 * rng.normal());
  });
  return {
    thetas: [
      { name: 'intercept', initial: 1, transform: 'identity' },
      { name: 'slope', initial: 0, transform: 'identity' },
    ],
    etas: [
      { name: 'intercept', initialSd: 0.5 },
      { name: 'slope', initialSd: 0.5 },
    ],
    residual: { additive: 1 },
    observations,
    predict: (theta, eta, _i, out) => {
      for (let j = 0; j < times.length; j++) out[j] = theta[0] + eta[0] + (theta[1] + eta[1]) * times[j];
    },
  };
}

/** Exact −2 log-likelihood of the linear model: y_i ~ N(X θ, Z Ω Zᵀ + σ² I). */
function exactOfv(problem: FoceProblem, times: number[], theta: number[], omegaSd: number[], sigma: number): number {
  const n = times.length;
  let total = 0;
  for (const y of problem.observations) {
    const c = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) c[a * n + b] = omegaSd[0] ** 2 + omegaSd[1] ** 2 * times[a] * times[b] + (a === b ? sigma ** 2 : 0);
    }
    const l = cholesky(c, n)!;
    const z = forwardSolve(
      l,
      n,
      Float64Array.from(y, (v, j) => v - theta[0] - theta[1] * times[j]),
    );
    total += n * Math.log(2 * Math.PI) + choleskyLogDet(l, n) + z.reduce((s, v) => s + v * v, 0);
  }
  return total;
}

describe('FOCE-I engine', () => {
  const times = [0, 1, 2, 4, 6, 8];

  it('equals the exact marginal likelihood for a linear mixed model at any parameter values', () => {
    const problem = linearProblem(1, 20, times);
    const objective = new FoceObjective(problem);
    for (const [t0, t1, w0, w1, s] of [
      [1, 0, 0.5, 0.5, 1],
      [5, -0.5, 1, 0.3, 0.4],
      [4, -0.2, 2, 0.1, 0.8],
    ]) {
      const x = Float64Array.of(t0, t1, Math.log(w0), Math.log(w1), Math.log(s));
      expect(objective.value(x)).toBeCloseTo(exactOfv(problem, times, [t0, t1], [w0, w1], s), 5);
    }
  });

  it('finds the maximum-likelihood estimates of a balanced random-intercept model (closed form)', () => {
    const rng = createRng(5);
    const nSubj = 30;
    const nObs = 5;
    const observations = Array.from({ length: nSubj }, () => {
      const a = 3 + 0.7 * rng.normal();
      return Float64Array.from({ length: nObs }, () => a + 0.5 * rng.normal());
    });
    const result = fitFoce({
      thetas: [{ name: 'mu', initial: 0, transform: 'identity' }],
      etas: [{ name: 'a', initialSd: 1 }],
      residual: { additive: 1 },
      observations,
      predict: (theta, eta, _i, out) => out.fill(theta[0] + eta[0]),
    });
    const means = observations.map((y) => y.reduce((a, b) => a + b, 0) / nObs);
    const grand = means.reduce((a, b) => a + b, 0) / nSubj;
    const ssw = observations.reduce((acc, y, i) => acc + y.reduce((a, v) => a + (v - means[i]) ** 2, 0), 0);
    const ssb = nObs * means.reduce((a, m) => a + (m - grand) ** 2, 0);
    const sigma2 = ssw / (nSubj * (nObs - 1));
    const omega2 = ssb / (nSubj * nObs) - sigma2 / nObs;
    expect(result.converged).toBe(true);
    expect(result.theta[0]).toBeCloseTo(grand, 4);
    expect(result.sigmaAdditive ** 2).toBeCloseTo(sigma2, 4);
    expect(result.omegaSd[0] ** 2).toBeCloseTo(omega2, 4);
    // SE of the mean: sqrt((ω² + σ²/n) / N).
    const mu = result.parameters.find((p) => p.name === 'mu')!;
    expect(mu.se).toBeCloseTo(Math.sqrt((omega2 + sigma2 / nObs) / nSubj), 3);
    // Conditional modes are the BLUPs: shrunken subject means.
    const shrink = omega2 / (omega2 + sigma2 / nObs);
    result.etas.forEach((e, i) => expect(e[0]).toBeCloseTo(shrink * (means[i] - grand), 3));
    expect(result.aic).toBeCloseTo(result.ofv + 6, 10);
  });

  it('recovers a nonlinear model with proportional error and reports sensible standard errors', () => {
    // y = A e^{η_A} e^{−k e^{η_k} t} (1 + ε), 40 subjects.
    const rng = createRng(9);
    const t = [0.5, 1, 2, 4, 8, 12];
    const observations = Array.from({ length: 60 }, () => {
      const a = 10 * Math.exp(0.3 * rng.normal());
      const k = 0.2 * Math.exp(0.2 * rng.normal());
      return Float64Array.from(t, (tt) => a * Math.exp(-k * tt) * (1 + 0.1 * rng.normal()));
    });
    const progress: number[] = [];
    const result = fitFoce(
      {
        thetas: [
          { name: 'A', initial: 5, transform: 'log' },
          { name: 'k', initial: 0.5, transform: 'log' },
        ],
        etas: [
          { name: 'A', initialSd: 0.5 },
          { name: 'k', initialSd: 0.5 },
        ],
        residual: { proportional: 0.3 },
        observations,
        predict: (theta, eta, _i, out) => {
          const a = theta[0] * Math.exp(eta[0]);
          const k = theta[1] * Math.exp(eta[1]);
          for (let j = 0; j < t.length; j++) out[j] = a * Math.exp(-k * t[j]);
        },
      },
      { onProgress: (p) => progress.push(p.ofv) },
    );
    const est = Object.fromEntries(result.parameters.map((p) => [p.name, p]));
    expect(est.A.estimate).toBeGreaterThan(10 * 0.85);
    expect(est.A.estimate).toBeLessThan(10 * 1.15);
    expect(est.k.estimate).toBeGreaterThan(0.2 * 0.9);
    expect(est.k.estimate).toBeLessThan(0.2 * 1.1);
    expect(est['omega(A)'].estimate).toBeGreaterThan(0.3 * 0.7);
    expect(est['omega(A)'].estimate).toBeLessThan(0.3 * 1.3);
    expect(est['omega(k)'].estimate).toBeGreaterThan(0.2 * 0.6);
    expect(est['omega(k)'].estimate).toBeLessThan(0.2 * 1.4);
    expect(est['sigma(prop)'].estimate).toBeGreaterThan(0.09);
    expect(est['sigma(prop)'].estimate).toBeLessThan(0.11);
    // SE of log A ≈ ω_A / √N.
    expect(est.A.rse).toBeGreaterThan(100 * (0.3 / Math.sqrt(60)) * 0.7);
    expect(est.A.rse).toBeLessThan(100 * (0.3 / Math.sqrt(60)) * 1.4);
    for (const p of result.parameters) {
      expect(p.lower).toBeLessThan(p.estimate);
      expect(p.upper).toBeGreaterThan(p.estimate);
    }
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBeLessThanOrEqual(progress[0]);
    // The convergence trace: the starting OFV, then each accepted iteration's (non-increasing), ending at the final OFV.
    const trace = result.ofvTrace;
    expect(trace).toHaveLength(result.iterations + 1);
    expect(trace.slice(1)).toEqual(progress);
    for (let i = 1; i < trace.length; i++) expect(trace[i]).toBeLessThanOrEqual(trace[i - 1]);
    expect(trace[0] - trace[trace.length - 1]).toBeGreaterThan(100);
    expect(Math.abs(trace[trace.length - 1] - result.ofv)).toBeLessThan(1e-4);
    // Residuals: CWRES roughly standard normal.
    const cw = result.diagnostics.flatMap((d) => Array.from(d.cwres));
    const mean = cw.reduce((a, b) => a + b, 0) / cw.length;
    const sd = Math.sqrt(cw.reduce((a, b) => a + (b - mean) ** 2, 0) / cw.length);
    expect(Math.abs(mean)).toBeLessThan(0.15);
    expect(sd).toBeGreaterThan(0.85);
    expect(sd).toBeLessThan(1.15);
  });

  it('stops with FitCancelledError when the signal is aborted', () => {
    const problem = linearProblem(2, 10, times);
    const signal = { aborted: false };
    let calls = 0;
    expect(() =>
      fitFoce(problem, {
        signal,
        onProgress: () => {
          calls++;
          signal.aborted = true;
        },
      }),
    ).toThrow(FitCancelledError);
    expect(calls).toBe(1);
  });
});
