import { describe, expect, it } from 'vitest';
import { compressDoses, regimen, type Dose } from './dose-history';
import { PkpdParameterError } from './errors';
import { integrateWithEvents } from './ode';
import {
  concentrationAt,
  dispositionRates,
  oralUnitResponse,
  steadyStateConcentration,
  terminalHalfLife,
  type PkParameters,
} from './pk-model';

const ONE: PkParameters = { compartments: 1, ka: 1, cl: 0.04, v: 6.9 };
const TWO: PkParameters = { compartments: 2, ka: 0.9, cl: 0.044, v: 2.6, q: 0.17, v2: 5.9 };

/** Reference: the compartment ODEs (amounts in mg, depot → central ⇄ peripheral), by Dormand–Prince. */
function odeConcentration(p: PkParameters, doses: Dose[], times: number[]): number[] {
  const k10 = p.cl / p.v;
  const k12 = p.compartments === 2 ? p.q / p.v : 0;
  const k21 = p.compartments === 2 ? p.q / p.v2 : 0;
  const rhs = (_t: number, y: Float64Array, dy: Float64Array): void => {
    dy[0] = -p.ka * y[0];
    dy[1] = p.ka * y[0] - (k10 + k12) * y[1] + k21 * y[2];
    dy[2] = k12 * y[1] - k21 * y[2];
  };
  const events = doses.map((d) => ({ time: d.time, apply: (y: Float64Array) => void (y[0] += d.amount) }));
  return integrateWithEvents(rhs, 0, [0, 0, 0], times, events, { rtol: 1e-11, atol: 1e-14, maxStep: 2 }).map((y) => y[1] / p.v);
}

const COINCIDENT_KA: PkParameters = { compartments: 1, ka: 0.04 / 6.9, cl: 0.04, v: 6.9 };
const FAST_ABSORPTION: PkParameters = { compartments: 2, ka: 8, cl: 0.5, v: 1, q: 2, v2: 10 };

describe('oral closed-form PK', () => {
  it('matches the textbook one-compartment single-dose formula', () => {
    const k = ONE.cl / ONE.v;
    const times = [0, 0.5, 1, 3, 12, 100];
    const c = concentrationAt(ONE, [{ time: 0, amount: 10 }], times);
    times.forEach((t, i) => {
      const expected = ((10 * ONE.ka) / (ONE.v * (ONE.ka - k))) * (Math.exp(-k * t) - Math.exp(-ONE.ka * t));
      expect(c[i]).toBeCloseTo(expected, 12);
    });
  });

  it('starts from zero and has coefficients summing to zero', () => {
    for (const p of [ONE, TWO]) {
      const unit = oralUnitResponse(p);
      const sum = unit.coefs.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum)).toBeLessThan(1e-12 * Math.max(...unit.coefs.map(Math.abs)));
    }
  });

  it('two-compartment macro rates satisfy α + β = k10 + k12 + k21 and αβ = k10 k21', () => {
    if (TWO.compartments !== 2) throw new Error('unreachable');
    const [beta, alpha] = dispositionRates(TWO);
    const k10 = TWO.cl / TWO.v;
    const k12 = TWO.q / TWO.v;
    const k21 = TWO.q / TWO.v2;
    expect(alpha + beta).toBeCloseTo(k10 + k12 + k21, 14);
    expect(alpha * beta).toBeCloseTo(k10 * k21, 14);
    expect(terminalHalfLife(TWO)).toBeCloseTo(Math.LN2 / beta, 10);
  });

  it.each([
    ['one compartment', ONE],
    ['two compartments', TWO],
    ['ka equal to k (coincident rates)', COINCIDENT_KA],
    ['fast absorption', FAST_ABSORPTION],
  ])('agrees with the ODE solution over an irregular dose history (%s)', (_name, p) => {
    const doses: Dose[] = [
      { time: 0, amount: 3 },
      { time: 10, amount: 3 },
      { time: 24, amount: 1 },
      { time: 30.5, amount: 7 },
      ...regimen(2, 24, 10, 48),
    ];
    const times = [0, 0.25, 1, 5, 10, 10.5, 24, 31, 47.9, 48, 49, 100, 200, 300, 500];
    const closed = concentrationAt(p, doses, times);
    const ode = odeConcentration(p, doses, times);
    const peak = Math.max(...ode);
    times.forEach((_, i) => expect(Math.abs(closed[i] - ode[i])).toBeLessThan(1e-8 * peak));
  });

  it('sums regular blocks as geometric series exactly as dose-by-dose superposition', () => {
    const doses = [...regimen(10, 24, 21), { time: 600, amount: 5 }, ...regimen(1, 12, 5, 700)];
    expect(compressDoses(doses)).toHaveLength(3);
    const times = Array.from({ length: 120 }, (_, i) => i * 7.3);
    for (const p of [ONE, TWO]) {
      const fast = concentrationAt(p, doses, times);
      const unit = oralUnitResponse(p);
      times.forEach((t, i) => {
        let slow = 0;
        for (const d of doses) {
          if (d.time > t) continue;
          for (let j = 0; j < unit.rates.length; j++) slow += d.amount * unit.coefs[j] * Math.exp(-unit.rates[j] * (t - d.time));
        }
        expect(fast[i]).toBeCloseTo(slow, 12);
      });
    }
  });

  it('counts a dose at an observation time as not yet absorbed (pre-dose trough)', () => {
    const c = concentrationAt(ONE, regimen(10, 24, 3), [24, 48, 72]);
    const justAfter = concentrationAt(ONE, regimen(10, 24, 2), [24, 48, 72]);
    expect(c[0]).toBeCloseTo(justAfter[0], 14);
    expect(c[1]).toBeCloseTo(concentrationAt(ONE, regimen(10, 24, 2), [48])[0], 14);
  });

  it('many doses converge to the closed-form steady state', () => {
    for (const [p, tau] of [
      [ONE, 24],
      [TWO, 24],
      [TWO, 168],
    ] as [PkParameters, number][]) {
      const n = Math.ceil((12 * terminalHalfLife(p)) / tau) + 5;
      const grid = Array.from({ length: 49 }, (_, i) => (i * tau) / 48);
      const tLast = (n - 1) * tau;
      const many = concentrationAt(
        p,
        regimen(5, tau, n),
        grid.map((t) => tLast + t),
      );
      const ss = steadyStateConcentration(p, 5, tau, grid);
      grid.forEach((t, i) => {
        if (t === tau) return; // next dose time: the closed form wraps to the trough, the history does not
        expect(Math.abs(many[i] - ss[i])).toBeLessThan(1e-3 * ss[i]);
      });
      // Average over the interval is A / (CL τ).
      let auc = 0;
      const fine = Array.from({ length: 2001 }, (_, i) => (i * tau) / 2000);
      const css = steadyStateConcentration(p, 5, tau, fine.slice(0, -1));
      for (let i = 0; i < 2000; i++) auc += css[i] * (tau / 2000);
      expect(auc / tau).toBeCloseTo(5 / (p.cl * tau), 3);
    }
  });

  it('a nearly empty peripheral compartment reduces to one compartment', () => {
    const two: PkParameters = { compartments: 2, ka: 1, cl: 0.04, v: 6.9, q: 1e-9, v2: 1 };
    const times = [1, 5, 50, 500];
    const a = concentrationAt(two, regimen(3, 24, 5), times);
    const b = concentrationAt(ONE, regimen(3, 24, 5), times);
    times.forEach((_, i) => expect(a[i]).toBeCloseTo(b[i], 6));
  });

  it('rejects non-positive parameters with a named error', () => {
    expect(() => concentrationAt({ ...ONE, cl: -1 }, [], [1])).toThrow(PkpdParameterError);
    expect(() => steadyStateConcentration(ONE, 1, 0, [1])).toThrow(PkpdParameterError);
  });
});
