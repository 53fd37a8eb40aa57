import { describe, expect, it } from 'vitest';
import { centralGradient, finiteDifferenceHessian, forwardGradient, minimizeBfgs } from './optimizer';

const rosenbrock = (x: Float64Array): number => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;

describe('BFGS with finite-difference gradients', () => {
  it('minimises the Rosenbrock function', () => {
    const result = minimizeBfgs({ value: rosenbrock, gradient: (x, fx) => forwardGradient(rosenbrock, x, fx, 1e-8) }, [-1.2, 1], {
      fTolerance: 1e-14,
      maxIterations: 500,
    });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });

  it('backs off from points where the objective is undefined', () => {
    // log barrier: undefined for x ≤ 0; minimum at x = 1.
    const f = (x: Float64Array): number => (x[0] > 0 ? x[0] - Math.log(x[0]) : NaN);
    const result = minimizeBfgs({ value: f, gradient: (x) => centralGradient(f, x, 1e-6) }, [20], { maxStep: 50, fTolerance: 1e-12 });
    expect(result.x[0]).toBeCloseTo(1, 4);
  });

  it('computes Hessians of quadratics exactly', () => {
    const q = (x: Float64Array): number => 3 * x[0] * x[0] + 2 * x[0] * x[1] + 5 * x[1] * x[1];
    const h = finiteDifferenceHessian(q, [0.3, -0.7], q(Float64Array.of(0.3, -0.7)));
    expect(Array.from(h).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([6, 2, 2, 10]);
  });
});
