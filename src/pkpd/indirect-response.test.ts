import { describe, expect, it } from 'vitest';
import { regimen } from './dose-history';
import { PkpdParameterError } from './errors';
import {
  buildPdGrid,
  inhibition,
  integrateIndirectResponse,
  simulateIndirectResponse,
  type IndirectResponseParameters,
} from './indirect-response';
import { integrateWithEvents } from './ode';
import type { PkParameters } from './pk-model';

const PD: IndirectResponseParameters = { base: 10, kout: 0.015, imax: 0.88, ic50: 1.2 };
const PK: PkParameters = { compartments: 1, ka: 1, cl: 0.04, v: 6.9 };
const PK2: PkParameters = { compartments: 2, ka: 0.9, cl: 0.044, v: 2.6, q: 0.17, v2: 5.9 };
const TIMES = [0, 1, 2, 4, 8, 12, 24, 36, 48, 72, 168, 336, 480, 481, 482, 484, 488, 492, 504, 552, 600, 672, 840, 1008, 1176];

/** Reference: PK compartments and R together as one ODE system, by Dormand–Prince at tight tolerance. */
function odeResponse(pk: PkParameters, pd: IndirectResponseParameters, amount: number, times: number[]): number[] {
  const k10 = pk.cl / pk.v;
  const k12 = pk.compartments === 2 ? pk.q / pk.v : 0;
  const k21 = pk.compartments === 2 ? pk.q / pk.v2 : 0;
  const rhs = (_t: number, y: Float64Array, dy: Float64Array): void => {
    const c = y[1] / pk.v;
    dy[0] = -pk.ka * y[0];
    dy[1] = pk.ka * y[0] - (k10 + k12) * y[1] + k21 * y[2];
    dy[2] = k12 * y[1] - k21 * y[2];
    dy[3] = pd.base * pd.kout * (1 - inhibition(c, pd.imax, pd.ic50)) - pd.kout * y[3];
  };
  const events = regimen(amount, 24, 21).map((d) => ({ time: d.time, apply: (y: Float64Array) => void (y[0] += d.amount) }));
  return integrateWithEvents(rhs, 0, [0, 0, 0, pd.base], times, events, { rtol: 1e-11, atol: 1e-13, maxStep: 4 }).map((y) => y[3]);
}

describe('indirect response (inhibition of production)', () => {
  it('matches the analytic solution for a constant concentration', () => {
    const c = 2.5;
    const times = [0, 0.5, 3, 24, 100, 500, 1000];
    const grid = buildPdGrid([], times, { maxPanel: 24 });
    const conc = new Float64Array(grid.nodes.length).fill(c);
    const r = integrateIndirectResponse(PD, grid, conc);
    const rss = PD.base * (1 - inhibition(c, PD.imax, PD.ic50));
    times.forEach((t, i) => {
      const exact = rss + (PD.base - rss) * Math.exp(-PD.kout * t);
      expect(Math.abs(r[i] - exact)).toBeLessThan(1e-9 * PD.base);
    });
  });

  it('builds a grid for 200,000 output times (a spread into Math.min/max overflowed the stack)', () => {
    const times = Array.from({ length: 200_000 }, (_, i) => 0.5 + i * 0.01);
    const grid = buildPdGrid([0], times);
    expect(grid.start).toBe(0);
    expect(grid.outputTimes).toHaveLength(200_000);
    expect(grid.outputPanel[199_999]).toBe(grid.panelCount - 1);
  });

  it('stays exactly at baseline without drug', () => {
    const r = simulateIndirectResponse(PD, PK, [], TIMES);
    for (const v of r) expect(v).toBe(PD.base);
  });

  it.each([
    ['one-compartment PK, 10 mg', PK, 10],
    ['two-compartment PK, 3 mg', PK2, 3],
  ])('agrees with a joint ODE solution over the EstData design (%s)', (_n, pk, amount) => {
    const fast = simulateIndirectResponse(PD, pk, regimen(amount, 24, 21), TIMES);
    const ode = odeResponse(pk, PD, amount, TIMES);
    TIMES.forEach((_, i) => expect(Math.abs(fast[i] - ode[i])).toBeLessThan(1e-6 * PD.base));
  });

  it('converges under step refinement at high order', () => {
    const doses = regimen(10, 24, 21);
    const errorsFor = (pk: PkParameters, pd: IndirectResponseParameters): { refined: number[]; defaultGrid: number } => {
      const reference = simulateIndirectResponse(pd, pk, doses, TIMES, { subdivisions: 64 });
      const errorAt = (options: Parameters<typeof buildPdGrid>[2]): number => {
        const r = simulateIndirectResponse(pd, pk, doses, TIMES, options);
        return Math.max(...TIMES.map((_, i) => Math.abs(r[i] - reference[i])));
      };
      const refined = [1, 2, 4, 8].map((subdivisions) => errorAt({ firstPanel: 2, maxPanel: 24, subdivisions }));
      return { refined, defaultGrid: errorAt({}) };
    };
    // Near the EstData fits: Gauss–Legendre's sixth order shows (error ratios → 64 per halving).
    const typical = errorsFor(PK, PD);
    expect(typical.refined[1] / typical.refined[2]).toBeGreaterThan(25);
    expect(typical.refined[2] / typical.refined[3]).toBeGreaterThan(40);
    expect(typical.defaultGrid).toBeLessThan(1e-6 * PD.base);
    // A hard case: fast absorption and a low IC50 saturate I(C) within minutes of the first dose.
    const hard = errorsFor({ compartments: 1, ka: 3, cl: 0.2, v: 2 }, { base: 10, kout: 0.1, imax: 0.95, ic50: 0.3 });
    expect(hard.refined[3]).toBeLessThan(hard.refined[2] / 3);
    expect(hard.defaultGrid).toBeLessThan(1e-4 * 10);
  });

  it('reads outputs at the start and at dose times (trough before the dose)', () => {
    const grid = buildPdGrid([0, 24, 48], [0, 24, 30]);
    expect(grid.outputPanel[0]).toBe(-1);
    expect(grid.start).toBe(0);
    const r = simulateIndirectResponse(PD, PK, regimen(10, 24, 3), [0, 24, 30]);
    expect(r[0]).toBe(PD.base);
    expect(r[1]).toBeLessThan(PD.base);
  });

  it('rejects invalid parameters with a named error', () => {
    expect(() => simulateIndirectResponse({ ...PD, imax: 1.2 }, PK, [], [1])).toThrow(PkpdParameterError);
  });
});
