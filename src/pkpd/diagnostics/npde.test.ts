/**
 * NPDE on a model whose distribution is known: y_ij = μ + η_i + ε_ij (compound symmetry, within-subject
 * correlation ω²/(ω² + σ²) = 0.5), observations and K = 200 simulations per subject drawn from it.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../random';
import { npdeSummary, subjectNpde, type SubjectNpde } from './npde';

const SUBJECTS = 300;
const N = 5;
const K = 200;

function draw(rng: Rng, mu: number, omega: number, sigma: number): Float64Array {
  const eta = omega * rng.normal();
  return Float64Array.from({ length: N }, () => mu + eta + sigma * rng.normal());
}

/** NPDE of every subject: observations from (μ, ω, σ) = (10, 1, 1), simulations from the model given. */
function run(seed: number, model: { mu: number; omega: number; sigma: number }): SubjectNpde[] {
  const rng = createRng(seed);
  return Array.from({ length: SUBJECTS }, () => {
    const observed = draw(rng, 10, 1, 1);
    const simulated = new Float64Array(K * N);
    for (let r = 0; r < K; r++) simulated.set(draw(rng, model.mu, model.omega, model.sigma), r * N);
    return subjectNpde(observed, simulated);
  });
}

/** Correlation of consecutive values within subjects (pairs j, j + 1). */
function withinCorrelation(values: Float64Array[]): number {
  const a = values.flatMap((v) => Array.from(v.subarray(0, N - 1)));
  const b = values.flatMap((v) => Array.from(v.subarray(1)));
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((v, i) => {
    sab += (v - ma) * (b[i] - mb);
    saa += (v - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}

describe('NPDE (Brendel 2006, Comets 2008)', () => {
  it('is N(0, 1) and uncorrelated within subjects under the true model, where pd is correlated', () => {
    const results = run(11, { mu: 10, omega: 1, sigma: 1 });
    const summary = npdeSummary(results.flatMap((r) => Array.from(r.npde)));
    expect(summary.n).toBe(SUBJECTS * N);
    expect(Math.abs(summary.mean)).toBeLessThan(0.08);
    expect(summary.variance).toBeGreaterThan(0.9);
    expect(summary.variance).toBeLessThan(1.1);
    expect(summary.ksPValue).toBeGreaterThan(0.05);
    expect(results.every((r) => r.decorrelated && r.simulations === K)).toBe(true);
    // Decorrelation removes the shared η: npde ≈ 0 correlation, the pd's normal scores ≈ 0.5.
    expect(Math.abs(withinCorrelation(results.map((r) => r.npde)))).toBeLessThan(0.08);
    const pdScores = results.map((r) => r.pd.map((p) => (p <= 0.5 ? -1 : 1) * Math.abs(p - 0.5)));
    expect(withinCorrelation(pdScores)).toBeGreaterThan(0.35);
  });

  it('departs from N(0, 1) under a misspecified model: ω too small widens it, a shifted mean moves it', () => {
    const narrow = npdeSummary(run(12, { mu: 10, omega: 0.3, sigma: 1 }).flatMap((r) => Array.from(r.npde)));
    expect(narrow.variance).toBeGreaterThan(1.3);
    expect(narrow.ksPValue).toBeLessThan(1e-3);
    const shifted = npdeSummary(run(13, { mu: 9, omega: 1, sigma: 1 }).flatMap((r) => Array.from(r.npde)));
    expect(shifted.mean).toBeGreaterThan(0.25);
    expect(shifted.ksPValue).toBeLessThan(1e-6);
  });

  it('clips pde to [1/(2K), 1 − 1/(2K)], drops non-finite replicates, falls back to pd when V is singular', () => {
    // Observation above every simulation: pde = 1 − 1/(2K); below every one: 1/(2K).
    const sims = Float64Array.from({ length: 10 * 2 }, (_, i) => (i % 2 === 0 ? i : -i) * 0.1 + (i % 3) * 0.01);
    const high = subjectNpde([100, -100], sims);
    expect(high.pde[0]).toBeCloseTo(1 - 1 / 20, 12);
    expect(high.pde[1]).toBeCloseTo(1 / 20, 12);
    expect(high.npde[0]).toBeCloseTo(1.6448536, 6);
    // A replicate with NaN is left out of K.
    const withNan = Float64Array.from(sims);
    withNan[3] = Number.NaN;
    expect(subjectNpde([100, -100], withNan).simulations).toBe(9);
    // A constant second observation: V singular, pde = pd, not decorrelated.
    const constant = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i : 1));
    const flat = subjectNpde([5, 1], constant);
    expect(flat.decorrelated).toBe(false);
    expect(Array.from(flat.pde)).toEqual(Array.from(flat.pd));
    expect(flat.pd[1]).toBe(0.5);
  });

  it('summarises with the KS statistic by hand for three values', () => {
    const s = npdeSummary([-1, 0, 1, Number.NaN]);
    expect(s.n).toBe(3);
    expect(s.mean).toBe(0);
    expect(s.variance).toBe(1);
    // Φ(−1) = 0.158655; D = max(1/3 − 0.158655, 0.5 − 1/3, ...) = 0.174679.
    expect(s.ksStatistic).toBeCloseTo(1 / 3 - 0.158655, 5);
  });
});
