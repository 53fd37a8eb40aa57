import { describe, expect, it } from 'vitest';
import { dispositionRates } from '../pk-model';
import { regimenDoses, scheduleDoses, type DoseEvent, type DoseRoute } from './doses';
import { effectSiteConcentration, effectSiteResponses } from './effect-compartment';
import { planPk, planSteadyState, type PkRates } from './pk';
import { solveReference, solveReferenceWithSteadyState, type ReferenceModel } from './test-support';

const ONE: PkRates = { compartments: 1, cl: 0.5, v: 10, q: NaN, v2: NaN, ka: 1.2, tlag: 0 };
const TWO: PkRates = { compartments: 2, cl: 1, v: 8, q: 1.5, v2: 12, ka: 0.9, tlag: 0 };
const KE0 = 0.35;
const TIMES = [0, 0.2, 1, 3, 8, 12, 12.5, 20, 24, 30, 48, 49, 60, 96, 150];

function reference(p: PkRates, ke0: number): ReferenceModel {
  return { compartments: p.compartments, cl: p.cl, v: p.v, q: p.q, v2: p.v2, ka: p.ka, tlag: p.tlag, ke0 };
}

function ce(p: PkRates, ke0: number, doses: DoseEvent[], times: number[]): Float64Array {
  return effectSiteConcentration(planPk(scheduleDoses(doses), times, p.tlag), p, ke0);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * scale)) {
      throw new Error(`index ${i}: ${actual[i]} vs ${expected[i]} (allowed ${tolerance * scale})`);
    }
  }
}

function history(route: DoseRoute, duration?: number): DoseEvent[] {
  return [
    { time: 0, amount: 40, route, duration },
    ...regimenDoses({ amount: 20, interval: 12, route, duration }, 4, 12),
    { time: 55, amount: 10, route, duration },
  ];
}

describe('effect compartment Ce (closed form) against the ODE system', () => {
  const routes: [string, DoseRoute, number | undefined, number][] = [
    ['oral', 'oral', undefined, 0],
    ['oral with lag', 'oral', undefined, 1.25],
    ['IV bolus', 'bolus', undefined, 0],
    ['infusion (2 h)', 'infusion', 2, 0],
    ['infusion (16 h, overlapping)', 'infusion', 16, 0],
  ];
  for (const [name, route, duration, tlag] of routes) {
    it.each([
      ['1 compartment', ONE],
      ['2 compartments', TWO],
    ])(`${name}, %s`, (_n, base) => {
      const p = { ...base, tlag };
      const doses = history(route, duration);
      expectClose(ce(p, KE0, doses, TIMES), solveReference(reference(p, KE0), doses, TIMES).ce, 1e-8);
    });
  }

  it('stays at zero before the first dose and rises continuously after a bolus', () => {
    const c = ce(ONE, KE0, [{ time: 5, amount: 10, route: 'bolus' }], [0, 5, 5 + 1e-6, 6]);
    expect(c[0]).toBe(0);
    expect(Math.abs(c[1])).toBeLessThan(1e-15);
    expect(c[2]).toBeGreaterThan(0);
    expect(c[2]).toBeLessThan(1e-6);
    expect(c[3]).toBeGreaterThan(c[2]);
  });

  it.each([
    ['KE0 = k (one compartment)', ONE, ONE.cl / ONE.v],
    ['KE0 = beta (two compartments)', TWO, dispositionRates({ ...TWO, compartments: 2 })[0]],
    ['KE0 = KA', TWO, TWO.ka],
    ['KE0 = KA = k (three coincident rates)', { ...ONE, ka: ONE.cl / ONE.v }, ONE.cl / ONE.v],
  ])('coincident rates: %s', (_n, p, ke0) => {
    for (const route of ['oral', 'bolus', 'infusion'] as const) {
      const doses = history(route, route === 'infusion' ? 3 : undefined);
      const tolerance = _n.includes('three') ? 1e-7 : 1e-8;
      expectClose(ce(p, ke0, doses, TIMES), solveReference(reference(p, ke0), doses, TIMES).ce, tolerance);
    }
  });

  it('follows an SS=1 dose: Ce is at its periodic steady state from the SS dose on', () => {
    const doses: DoseEvent[] = [
      { time: 0, amount: 50, route: 'oral' },
      { time: 24, amount: 20, route: 'infusion', duration: 4, steadyState: { interval: 12 } },
      { time: 36, amount: 20, route: 'infusion', duration: 4 },
    ];
    const times = [6, 23.9, 24, 25, 30, 36, 40, 60];
    const p = { ...TWO, tlag: 0 };
    expectClose(ce(p, KE0, doses, times), solveReferenceWithSteadyState(reference(p, KE0), doses, times, 60).ce, 1e-8);
  });
});

describe('effect compartment at periodic steady state', () => {
  it('equals a long forward simulation and Ce(0) = Ce(τ) (every route)', () => {
    const tau = 24;
    const s = [0, 0.5, 2, 6, 12, 18, 24];
    const cases: [DoseRoute, number | undefined, number][] = [
      ['oral', undefined, 0],
      ['oral', undefined, 2],
      ['bolus', undefined, 0],
      ['infusion', 1, 0],
      ['infusion', 36, 0],
    ];
    for (const [route, duration, tlag] of cases) {
      for (const base of [ONE, TWO]) {
        const p = { ...base, tlag };
        const plan = planSteadyState({ interval: tau, route, duration }, s, tlag);
        const ss = effectSiteConcentration(plan, p, KE0).map((x) => 30 * x);
        expect(Math.abs(ss[0] - ss[s.length - 1])).toBeLessThan(1e-13 * Math.max(...ss));
        const n = 25; // 600 h: over 30 half-lives of PK (≤ 17.6 h) and of Ce (2 h)
        const forward = solveReference(
          reference(p, KE0),
          regimenDoses({ amount: 30, interval: tau, route, duration }, n + 1),
          s.map((x) => x + (n - 1) * tau),
        ).ce;
        expectClose(ss, forward, 1e-8);
      }
    }
  });

  it('has responses whose coefficients sum to zero (Ce starts from zero for every input)', () => {
    for (const p of [ONE, TWO]) {
      const r = effectSiteResponses(p, KE0);
      for (const unit of [r.oral, r.iv]) {
        const sum = (unit as { coefs: Float64Array }).coefs.reduce((a, b) => a + b, 0);
        const size = Math.max(...Array.from((unit as { coefs: Float64Array }).coefs, Math.abs));
        expect(Math.abs(sum)).toBeLessThan(1e-14 * size);
      }
    }
  });
});
