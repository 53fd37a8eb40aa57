/**
 * Below-LOQ observations in FOCE (Beal's M3): the objective by hand and against quadrature, and a
 * simulated censored trial with known truth, fitted with M3 and with the BLQ observations discarded.
 */
import { describe, expect, it } from 'vitest';
import { fitFoce, FoceObjective, type FoceProblem } from './foce';
import { createRng, logNormalCdf } from './random';

const LOG_2PI = Math.log(2 * Math.PI);

/** ln C = ln A_i − k_i t + ε: A, k log-normal (truth A 10, k 0.2, ω 0.3 and 0.3, σ 0.2 on the log scale). */
const TRUTH = { a: 10, k: 0.2, omegaA: 0.3, omegaK: 0.3, sigma: 0.2 };
const TIMES = [0.5, 1, 2, 4, 6, 8, 12, 16, 20, 24];
/** Limit of quantification: C = 2, about half the observations below it. */
const LLOQ = Math.log(2);

/** A trial's observations with those below the LOQ censored (at the LOQ), and the same without censoring. */
function trial(seed: number, subjects: number): { y: Float64Array[]; censored: Uint8Array[]; full: Float64Array[] } {
  const rng = createRng(seed);
  const y: Float64Array[] = [];
  const censored: Uint8Array[] = [];
  const full: Float64Array[] = [];
  for (let i = 0; i < subjects; i++) {
    const a = Math.log(TRUTH.a) + TRUTH.omegaA * rng.normal();
    const k = TRUTH.k * Math.exp(TRUTH.omegaK * rng.normal());
    const values = Float64Array.from(TIMES, (t) => a - k * t + TRUTH.sigma * rng.normal());
    const below = Uint8Array.from(values, (v) => (v < LLOQ ? 1 : 0));
    full.push(values);
    y.push(values.map((v, j) => (below[j] ? LLOQ : v)));
    censored.push(below);
  }
  return { y, censored, full };
}

function problem(y: Float64Array[], times: number[][], censored?: Uint8Array[]): FoceProblem {
  return {
    thetas: [
      { name: 'A', initial: 5, transform: 'log' },
      { name: 'k', initial: 0.1, transform: 'log' },
    ],
    etas: [
      { name: 'A', initialSd: 0.5 },
      { name: 'k', initialSd: 0.5 },
    ],
    residual: { additive: 0.5 },
    observations: y,
    ...(censored ? { censored } : {}),
    predict: (theta, eta, i, out) => {
      const a = Math.log(theta[0]) + eta[0];
      const k = theta[1] * Math.exp(eta[1]);
      times[i].forEach((t, j) => (out[j] = a - k * t));
    },
  };
}

describe('FOCE with below-LOQ observations (M3)', () => {
  it('adds −2 log Φ((LLOQ − f)/σ) for a censored observation and the normal terms for the others (no η: by hand)', () => {
    const objective = new FoceObjective({
      thetas: [{ name: 'm', initial: 1, transform: 'identity' }],
      etas: [],
      residual: { additive: 0.5 },
      observations: [Float64Array.of(1.3, 0.2, 0.2)],
      censored: [Uint8Array.of(0, 1, 1)],
      predict: (theta, _eta, _i, out) => out.set([theta[0], theta[0] - 0.5, theta[0] - 1]),
    });
    const x = Float64Array.of(1, Math.log(0.5));
    const byHand = LOG_2PI + Math.log(0.25) + 0.3 ** 2 / 0.25 - 2 * logNormalCdf((0.2 - 0.5) / 0.5) - 2 * logNormalCdf((0.2 - 0) / 0.5);
    expect(objective.value(x)).toBeCloseTo(byHand, 12);
  });

  it('is close to the marginal likelihood by quadrature for one random intercept with two censored observations', () => {
    // y = m + η + ε, ω 0.6, σ 0.4; observations 1.1, 0.7 and two below 0.3.
    const y = Float64Array.of(1.1, 0.7, 0.3, 0.3);
    const censored = Uint8Array.of(0, 0, 1, 1);
    const shift = [0, 0.2, 0.9, 1.2];
    const objective = new FoceObjective({
      thetas: [{ name: 'm', initial: 1, transform: 'identity' }],
      etas: [{ name: 'm', initialSd: 0.6 }],
      residual: { additive: 0.4 },
      observations: [y],
      censored: [censored],
      predict: (theta, eta, _i, out) => shift.forEach((s, j) => (out[j] = theta[0] + eta[0] - s)),
    });
    const laplace = objective.value(Float64Array.of(1, Math.log(0.6), Math.log(0.4)));
    let integral = 0;
    const h = 0.001;
    for (let eta = -6; eta <= 6; eta += h) {
      let logLik = -0.5 * (eta / 0.6) ** 2 - 0.5 * LOG_2PI - Math.log(0.6);
      shift.forEach((s, j) => {
        const f = 1 + eta - s;
        logLik += censored[j] ? logNormalCdf((y[j] - f) / 0.4) : -0.5 * ((y[j] - f) / 0.4) ** 2 - 0.5 * LOG_2PI - Math.log(0.4);
      });
      integral += Math.exp(logLik) * h;
    }
    expect(Math.abs(laplace - -2 * Math.log(integral))).toBeLessThan(0.05);
  });

  it('recovers from trials with half their observations below the LOQ what the uncensored data give; discarding biases k, A, ω(k)', () => {
    type Row = { k: number; a: number; omegaK: number };
    const row = (r: ReturnType<typeof fitFoce>): Row => ({ a: r.theta[0], k: r.theta[1], omegaK: r.omegaSd[1] });
    const rows: { full: Row; m3: Row; discard: Row }[] = [];
    for (const seed of [21, 22, 23]) {
      const { y, censored, full } = trial(seed, 120);
      const share = censored.reduce((a, c) => a + c.reduce((b, v) => b + v, 0), 0) / (120 * TIMES.length);
      expect(share).toBeGreaterThan(0.4);
      expect(share).toBeLessThan(0.55);
      const all = y.map(() => TIMES);
      const m3 = fitFoce(problem(y, all, censored), { covariance: false });
      expect(m3.converged).toBe(true);
      // IWRES and CWRES are NaN exactly at the censored observations.
      m3.diagnostics.forEach((d, i) =>
        censored[i].forEach((c, j) => {
          expect(Number.isNaN(d.iwres[j])).toBe(c === 1);
          expect(Number.isNaN(d.cwres[j])).toBe(c === 1);
        }),
      );
      // Discarding: each subject keeps only its observations above the LOQ.
      const kept = y.map((v, i) => v.filter((_, j) => censored[i][j] === 0));
      const keptTimes = y.map((_, i) => TIMES.filter((_, j) => censored[i][j] === 0));
      rows.push({
        full: row(fitFoce(problem(full, all), { covariance: false })),
        m3: row(m3),
        discard: row(fitFoce(problem(kept, keptTimes), { covariance: false })),
      });
    }
    const mean = (f: (r: (typeof rows)[number]) => number): number => rows.reduce((a, r) => a + f(r), 0) / rows.length;
    // Bias of k against the truth (measured: M3 +3 %, discarding −10 %).
    expect(Math.abs(mean((r) => r.m3.k) / TRUTH.k - 1)).toBeLessThan(0.05);
    expect(mean((r) => r.discard.k) / TRUTH.k - 1).toBeLessThan(-0.07);
    // Against the estimates of the same trials uncensored: M3 is closer for k in every trial, and on average for A and ω(k).
    for (const r of rows) expect(Math.abs(r.m3.k - r.full.k)).toBeLessThan(Math.abs(r.discard.k - r.full.k));
    // Measured mean |difference|: A 0.14 (M3) vs 0.45 (discarding), ω(k) 0.019 vs 0.038.
    const closer = { a: 0.5, omegaK: 0.8 };
    for (const p of ['a', 'omegaK'] as const) {
      const m3 = mean((r) => Math.abs(r.m3[p] - r.full[p]));
      expect(m3, p).toBeLessThan(closer[p] * mean((r) => Math.abs(r.discard[p] - r.full[p])));
      expect(
        mean((r) => r.discard[p] - r.full[p]),
        p,
      ).toBeLessThan(0);
    }
  });
});
