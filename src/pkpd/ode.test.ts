import { describe, expect, it } from 'vitest';
import { integrateDopri, integrateWithEvents, type OdeStats } from './ode';

describe('Dormand–Prince RK5(4)', () => {
  it('solves exponential decay to the requested tolerance', () => {
    const y = integrateDopri((_t, y, dy) => void (dy[0] = -0.3 * y[0]), 0, [2], 10, { rtol: 1e-10, atol: 1e-14 });
    expect(y[0]).toBeCloseTo(2 * Math.exp(-3), 10);
  });

  it('solves the harmonic oscillator over many periods', () => {
    const y = integrateDopri(
      (_t, y, dy) => {
        dy[0] = y[1];
        dy[1] = -y[0];
      },
      0,
      [1, 0],
      20 * Math.PI,
      { rtol: 1e-10, atol: 1e-12 },
    );
    expect(y[0]).toBeCloseTo(1, 7);
    expect(y[1]).toBeCloseTo(0, 7);
  });

  it('error falls with the tolerance and the step count rises about as tol^(-1/5)', () => {
    const rhs = (t: number, y: Float64Array, dy: Float64Array): void => void (dy[0] = Math.cos(t) * y[0]);
    const exact = Math.exp(Math.sin(30));
    const errors: number[] = [];
    const steps: number[] = [];
    for (const tol of [1e-4, 1e-7, 1e-10]) {
      const stats: OdeStats = { accepted: 0, rejected: 0 };
      const y = integrateDopri(rhs, 0, [1], 30, { rtol: tol, atol: tol }, stats);
      errors.push(Math.abs(y[0] - exact));
      steps.push(stats.accepted);
    }
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(errors[1]);
    expect(errors[2]).toBeLessThan(1e-8);
    const ratio = steps[2] / steps[1];
    expect(ratio).toBeGreaterThan(2);
    expect(ratio).toBeLessThan(8);
  });

  it('applies impulses after recording outputs at the same time', () => {
    const out = integrateWithEvents((_t, y, dy) => void (dy[0] = -y[0]), 0, [0], [0, 1, 2], [{ time: 1, apply: (y) => void (y[0] += 1) }]);
    expect(out[0][0]).toBe(0);
    expect(out[1][0]).toBe(0);
    expect(out[2][0]).toBeCloseTo(Math.exp(-1), 7);
  });
});
