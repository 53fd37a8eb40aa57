import { describe, expect, it } from 'vitest';
import type { PdModelSpec } from '../../study/study-spec';
import { regimenDoses, type DoseRoute } from './doses';
import { createStructuralModel, type ParameterValues } from './structural-model';
import { solveReference, type ReferenceModel } from './test-support';

/**
 * Periodic steady state of every PD family against a long forward simulation of the full ODE
 * system (Dormand–Prince), for every route and both compartment counts. Slowest half-lives: PK 17.6 h
 * (two compartments), Ce 2 h, R 8.7 h (KOUT) and 43 h (inhibit-loss at full effect, KOUT (1 − IMAX));
 * 56 intervals of 24 h = 1344 h ≥ 30 of the slowest, leaving ≤ 1e-9 of the transient.
 */
const PK1 = { CL: 0.5, V: 10, KA: 1.2 };
const PK2 = { CL: 1, V: 8, KA: 0.9, Q: 1.5, V2: 12 };
const PD = { BASE: 10, KOUT: 0.08, IMAX: 0.8, IC50: 1.5, EMAX: 2, EC50: 2, E0: 5, KE0: 0.35, HILL: 1.6 };
const TAU = 24;
const INTERVALS = 56;
const AMOUNT = 30;
const S = [0, 0.2, 0.5, 1, 2, 4, 7.5, 12, 16, 20, 23.5, 24];

const FAMILIES: [string, PdModelSpec | undefined][] = [
  ['PK only', undefined],
  ['direct increase', { family: 'direct', direction: 'increase', sigmoid: false }],
  ['direct decrease (sigmoid)', { family: 'direct', direction: 'decrease', sigmoid: true }],
  ['effect compartment increase (sigmoid)', { family: 'effect-compartment', direction: 'increase', sigmoid: true }],
  ['effect compartment decrease', { family: 'effect-compartment', direction: 'decrease', sigmoid: false }],
  ['indirect inhibit-production', { family: 'indirect', type: 'inhibit-production' }],
  ['indirect stimulate-production', { family: 'indirect', type: 'stimulate-production' }],
  ['indirect inhibit-loss', { family: 'indirect', type: 'inhibit-loss' }],
  ['indirect stimulate-loss', { family: 'indirect', type: 'stimulate-loss' }],
];

const ROUTES: [string, DoseRoute, number | undefined, number | undefined][] = [
  ['oral', 'oral', undefined, undefined],
  ['oral with lag (3 h)', 'oral', undefined, 3],
  ['IV bolus', 'bolus', undefined, undefined],
  ['infusion (1 h)', 'infusion', 1, undefined],
  ['infusion (30 h, longer than the interval)', 'infusion', 30, undefined],
];

function fraction(c: number, c50: number, h: number): number {
  return c > 0 ? c ** h / (c50 ** h + c ** h) : 0;
}

describe('periodic steady state of every family = long forward simulation', () => {
  it.each(ROUTES)('%s, 1 and 2 compartments', (_name, route, duration, tlag) => {
    for (const pk of [PK1, PK2]) {
      const values: ParameterValues = { ...pk, ...PD, ...(tlag === undefined ? {} : { TLAG: tlag }) };
      if (route !== 'oral') delete values.KA;
      const reference: ReferenceModel = {
        compartments: values.Q === undefined ? 1 : 2,
        cl: values.CL as number,
        v: values.V as number,
        q: values.Q,
        v2: values.V2,
        ka: values.KA,
        tlag,
        ke0: PD.KE0,
        base: PD.BASE,
        kout: PD.KOUT,
        imax: PD.IMAX,
        ic50: PD.IC50,
        emax: PD.EMAX,
        ec50: PD.EC50,
        hill: 1, // the indirect families here are not sigmoid
      };
      // A loading dose (×2) changes the approach only.
      const doses = regimenDoses({ amount: AMOUNT, interval: TAU, route, duration, loading: 2 }, INTERVALS + 1);
      const lastInterval = S.map((s) => s + (INTERVALS - 1) * TAU);
      const forward = solveReference(reference, doses, lastInterval, { rtol: 1e-10, atol: 1e-12 });
      for (const [family, pd] of FAMILIES) {
        const model = createStructuralModel({
          pk: { route: route === 'oral' ? 'oral' : 'iv', compartments: values.Q === undefined ? 1 : 2, lag: tlag !== undefined },
          pd,
        });
        const plan = model.prepareSteadyState({ interval: TAU, route, duration }, S);
        const ss = model.predictSteadyState(plan, values, AMOUNT);
        const label = `${family}, ${pk === PK1 ? 1 : 2} compartment(s)`;
        // Defining property: the profile at 0 equals the profile at τ.
        expect(Math.abs(ss.pk[0] - ss.pk[S.length - 1]), label).toBeLessThan(1e-12 * Math.max(...ss.pk));
        if (pd) expect(Math.abs(ss.pd[0] - ss.pd[S.length - 1]), label).toBeLessThan(1e-10 * PD.BASE);
        const peak = Math.max(...forward.c);
        S.forEach((_, i) => expect(Math.abs(ss.pk[i] - forward.c[i]), label).toBeLessThan(1e-8 * peak));
        if (!pd) continue;
        let expected: number[];
        if (pd.family === 'indirect') {
          expected = forward.r[pd.type];
        } else if (pd.family === 'direct' || pd.family === 'effect-compartment') {
          const x = pd.family === 'direct' ? forward.c : forward.ce;
          const h = pd.sigmoid ? PD.HILL : 1;
          expected = x.map((c) =>
            pd.direction === 'increase' ? PD.E0 + PD.EMAX * fraction(c, PD.EC50, h) : PD.E0 * (1 - PD.IMAX * fraction(c, PD.IC50, h)),
          );
        } else {
          throw new Error('unreachable');
        }
        S.forEach((_, i) => expect(Math.abs(ss.pd[i] - expected[i]), `${label} at s = ${S[i]}`).toBeLessThan(1e-6 * PD.BASE));
      }
    }
  });

  it('scales PK linearly with the amount and returns the baseline for amount 0', () => {
    const model = createStructuralModel({
      pk: { route: 'oral', compartments: 2, lag: false },
      pd: { family: 'indirect', type: 'stimulate-loss' },
    });
    const plan = model.prepareSteadyState({ interval: 12, route: 'oral' }, [0, 3, 12]);
    const values: ParameterValues = { ...PK2, ...PD };
    const one = model.predictSteadyState(plan, values, 1);
    const ten = model.predictSteadyState(plan, values, 10);
    one.pk.forEach((c, i) => expect(ten.pk[i]).toBeCloseTo(10 * c, 12));
    const none = model.predictSteadyState(plan, values, 0);
    for (const r of none.pd) expect(r).toBe(PD.BASE);
    // Cached unit concentrations do not leak between amounts.
    expect(model.predictSteadyState(plan, values, 1).pd).toEqual(one.pd);
  });
});
