import { describe, expect, it } from 'vitest';
import { FoceObjective, type FoceProblem } from './foce';
import { residualChoice } from './population/stage';
import { combinedVarianceSlope, residualSd, residualVariance, type ResidualSds } from './residual-error';

const SUM_OF_SDS: ResidualSds = { additive: 3.4, proportional: 0.227, combined: 'sum-of-sds' };
const SUM_OF_VARIANCES: ResidualSds = { additive: 3.4, proportional: 0.227 };

describe('residual error forms', () => {
  it('sum of SDs: SD = a + b|f|; sum of variances: Var = a² + b²f²; the SD is the root of the variance', () => {
    for (const f of [0, 0.5, 12, 250, -3]) {
      expect(residualSd(SUM_OF_SDS, f)).toBeCloseTo(3.4 + 0.227 * Math.abs(f), 12);
      expect(residualVariance(SUM_OF_VARIANCES, f)).toBeCloseTo(3.4 ** 2 + 0.227 ** 2 * f * f, 10);
      for (const r of [SUM_OF_SDS, SUM_OF_VARIANCES]) expect(residualSd(r, f) ** 2).toBeCloseTo(residualVariance(r, f), 9);
    }
    // The two forms agree when one component is zero, and differ otherwise (a 2ab|f| cross term).
    for (const [a, b] of [
      [0, 0.2],
      [1.5, 0],
    ]) {
      expect(residualVariance({ additive: a, proportional: b, combined: 'sum-of-sds' }, 7)).toBeCloseTo(
        residualVariance({ additive: a, proportional: b, combined: 'sum-of-variances' }, 7),
        12,
      );
    }
    expect(residualVariance(SUM_OF_SDS, 10) - residualVariance(SUM_OF_VARIANCES, 10)).toBeCloseTo(2 * 3.4 * 0.227 * 10, 10);
  });

  it('∂Var/∂f matches central differences for both forms, on either side of 0', () => {
    for (const r of [SUM_OF_SDS, SUM_OF_VARIANCES, { ...SUM_OF_SDS, additive: 0 }]) {
      for (const f of [-20, -0.7, 0.3, 5, 80]) {
        const h = 1e-5 * Math.max(1, Math.abs(f));
        const numeric = (residualVariance(r, f + h) - residualVariance(r, f - h)) / (2 * h);
        const slope = combinedVarianceSlope(r.additive ** 2, r.proportional ** 2, r.combined, f);
        expect(Math.abs(slope - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    }
  });

  it('the stage reads the form from the spec; an exponential error has nothing to combine', () => {
    expect(residualChoice('pk', { additive: 3.4, proportional: 0.227, combined: 'sum-of-sds' }, [])).toEqual({
      scale: 'natural',
      additive: 3.4,
      proportional: 0.227,
      combined: 'sum-of-sds',
    });
    // The default, written or not, leaves `combined` out (the FOCE problem's and the fit's shape of before).
    expect(residualChoice('pk', { additive: 1, proportional: 0.1, combined: 'sum-of-variances' }, [])).toEqual({
      scale: 'natural',
      additive: 1,
      proportional: 0.1,
    });
    expect(() => residualChoice('pk', { exponential: 0.2, combined: 'sum-of-sds' }, [])).toThrow(/model\.error\.pk/);
  });
});

/**
 * FOCE-I with SDs that add, on a one-subject, one-η problem f_j = θ e^η t_j, computed here by hand:
 * the mode of L(η) = Σ [log 2π + log r_j + (y_j − f_j)²/r_j] + η²/ω² by golden-section search, then
 * OFV = L(η̂) + log ω² + log(1/ω² + Σ a_j g_j²), a_j = 1/r_j + ½ (∂r/∂f)²/r_j², g_j = ∂f_j/∂η = f_j,
 * r_j = (σ_a + σ_p f_j)².
 */
describe('FOCE-I objective with a sum-of-SDs residual error', () => {
  const times = [0.5, 2, 6];
  const y = [2.1, 6.3, 21.5];
  const problem = (combined: 'sum-of-sds' | undefined): FoceProblem => ({
    thetas: [{ name: 'K', initial: 3, transform: 'log' }],
    etas: [{ name: 'K', initialSd: 0.4 }],
    residual: { additive: 0.5, proportional: 0.15, ...(combined ? { combined } : {}) },
    observations: [Float64Array.from(y)],
    predict: (theta, eta, _i, out) => times.forEach((t, j) => (out[j] = theta[0] * Math.exp(eta[0]) * t)),
  });

  function handOfv(theta: number, omega: number, a: number, b: number): number {
    const f = (eta: number) => times.map((t) => theta * Math.exp(eta) * t);
    const L = (eta: number) =>
      f(eta).reduce((s, fj, j) => {
        const r = (a + b * fj) ** 2;
        return s + Math.log(2 * Math.PI) + Math.log(r) + (y[j] - fj) ** 2 / r;
      }, 0) +
      (eta * eta) / (omega * omega);
    let lo = -3;
    let hi = 3;
    const g = (Math.sqrt(5) - 1) / 2;
    while (hi - lo > 1e-12) {
      const c = hi - g * (hi - lo);
      const d = lo + g * (hi - lo);
      if (L(c) < L(d)) hi = d;
      else lo = c;
    }
    const mode = (lo + hi) / 2;
    let info = 1 / (omega * omega);
    for (const fj of f(mode)) {
      const r = (a + b * fj) ** 2;
      const dr = 2 * (a + b * fj) * b;
      info += (1 / r + (0.5 * dr * dr) / (r * r)) * fj * fj;
    }
    return L(mode) + Math.log(omega * omega) + Math.log(info);
  }

  it('equals the hand computation at several parameter values, and differs from the sum-of-variances objective', () => {
    const objective = new FoceObjective(problem('sum-of-sds'));
    const plain = new FoceObjective(problem(undefined));
    for (const [theta, omega, a, b] of [
      [3, 0.4, 0.5, 0.15],
      [3.6, 0.25, 0.2, 0.3],
      [2.5, 0.8, 1.2, 0.05],
    ]) {
      const x = [Math.log(theta), Math.log(omega), Math.log(a), Math.log(b)];
      const ofv = objective.value(x, false);
      expect(Math.abs(ofv - handOfv(theta, omega, a, b))).toBeLessThan(1e-5);
      expect(Math.abs(plain.value(x, false) - ofv)).toBeGreaterThan(1e-2);
    }
  });
});
