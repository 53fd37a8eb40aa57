import { describe, expect, it } from 'vitest';
import { regimen as oralRegimen, type Dose } from '../dose-history';
import { concentrationAt, dispositionRates, oralUnitResponse, steadyStateConcentration, type PkParameters } from '../pk-model';
import { regimenDoses, scheduleDoses, type DoseEvent, type DoseRoute } from './doses';
import {
  cascade,
  centralResponses,
  createResponseStore,
  dispositionResponse,
  evaluatePk,
  inputNeeds,
  inputResponses,
  planPk,
  planSteadyState,
  setPlanLag,
  type InputResponses,
  type PkPlan,
  type PkRates,
  type Polyexponential,
} from './pk';
import { solveReference, solveReferenceWithSteadyState, type ReferenceModel } from './test-support';

const ONE: PkRates = { compartments: 1, cl: 0.5, v: 10, q: NaN, v2: NaN, ka: 1.2, tlag: 0 };
const TWO: PkRates = { compartments: 2, cl: 1, v: 8, q: 1.5, v2: 12, ka: 0.9, tlag: 0 };

function asReference(p: PkRates, extra: Partial<ReferenceModel> = {}): ReferenceModel {
  return { compartments: p.compartments, cl: p.cl, v: p.v, q: p.q, v2: p.v2, ka: p.ka, tlag: p.tlag, ...extra };
}

function pkOf(p: PkRates): PkParameters {
  return p.compartments === 1
    ? { compartments: 1, ka: p.ka, cl: p.cl, v: p.v }
    : { compartments: 2, ka: p.ka, cl: p.cl, v: p.v, q: p.q, v2: p.v2 };
}

function closedForm(p: PkRates, doses: DoseEvent[], times: number[]): Float64Array {
  const plan = planPk(scheduleDoses(doses), times, p.tlag);
  return evaluatePk(plan, inputResponses(p));
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = maxAbs(expected);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance * scale)) {
      throw new Error(`index ${i}: ${actual[i]} vs ${expected[i]} (difference ${actual[i] - expected[i]}, allowed ${tolerance * scale})`);
    }
  }
}

/** Irregular history of one route: single doses, a regular run, a late extra dose. */
function history(route: DoseRoute, duration?: number): DoseEvent[] {
  const dose = (time: number, amount: number): DoseEvent =>
    route === 'infusion' ? { time, amount, route, duration } : { time, amount, route };
  return [dose(0, 30), dose(7, 10), dose(20.5, 50), ...regimenDoses({ amount: 20, interval: 12, route, duration }, 8, 36), dose(140, 5)];
}

const TIMES = [0, 0.1, 0.5, 1, 3, 6.99, 7, 7.5, 12, 20.5, 21, 24, 36, 37, 40, 47.9, 48, 60.25, 100, 120, 131.5, 140, 141, 160, 220, 300];

describe('structural PK: oral doses equal ../pk-model', () => {
  const doses: Dose[] = [
    { time: 0, amount: 3 },
    { time: 10, amount: 3 },
    { time: 24, amount: 1 },
    { time: 30.5, amount: 7 },
    ...oralRegimen(2, 24, 10, 48),
  ];
  const times = [0.01, 0.25, 1, 5, 10, 10.5, 24, 31, 47.9, 48, 49, 100, 200, 300, 500];
  it.each([
    ['one compartment', ONE],
    ['two compartments', TWO],
    ['ka equal to k (coincident rates)', { ...ONE, ka: ONE.cl / ONE.v }],
    ['ka equal to beta (coincident rates)', { ...TWO, ka: dispositionRates(pkOf(TWO))[0] }],
    ['fast absorption', { ...TWO, ka: 8, cl: 0.5, v: 1, q: 2, v2: 10 }],
  ])('concentrations to 1e-12 relative (%s)', (_name, p) => {
    const engine = closedForm(
      p,
      doses.map((d) => ({ ...d, route: 'oral' })),
      times,
    );
    const reference = concentrationAt(pkOf(p), doses, times);
    times.forEach((_, i) => expect(Math.abs(engine[i] - reference[i])).toBeLessThanOrEqual(1e-12 * Math.abs(reference[i])));
  });

  it('cascade through KA gives ../pk-model oralUnitResponse up to rounding (the base of the effect site)', () => {
    for (const p of [ONE, TWO, { ...TWO, ka: 8 }]) {
      const mine = cascade(dispositionResponse(p), [p.ka]);
      const theirs = oralUnitResponse(pkOf(p));
      const order = (u: typeof mine): number[] => Array.from(u.rates.keys()).sort((a, b) => u.rates[a] - u.rates[b]);
      const [a, b] = [order(mine), order(theirs)];
      a.forEach((j, k) => {
        expect(mine.rates[j]).toBe(theirs.rates[b[k]]);
        expect(Math.abs(mine.coefs[j] - theirs.coefs[b[k]])).toBeLessThan(1e-13 * Math.abs(theirs.coefs[b[k]]));
      });
    }
  });

  it('steady state equals ../pk-model steadyStateConcentration', () => {
    for (const p of [ONE, TWO]) {
      const s = [0, 0.5, 2, 6, 11.9, 12];
      const plan = planSteadyState({ interval: 12, route: 'oral' }, s);
      const mine = evaluatePk(plan, inputResponses(p)).map((c) => 25 * c);
      const theirs = steadyStateConcentration(pkOf(p), 25, 12, s);
      s.forEach((_, i) => expect(Math.abs(mine[i] - theirs[i])).toBeLessThanOrEqual(1e-12 * theirs[i]));
    }
  });
});

describe('structural PK against the ODE system (Dormand–Prince)', () => {
  const routes: [string, DoseRoute, number | undefined, number][] = [
    ['oral', 'oral', undefined, 0],
    ['oral with lag', 'oral', undefined, 0.75],
    ['IV bolus', 'bolus', undefined, 0],
    ['short infusion (0.5 h)', 'infusion', 0.5, 0],
    ['long infusion (30 h, overlapping 12-hourly doses)', 'infusion', 30, 0],
  ];
  for (const [name, route, duration, tlag] of routes) {
    it.each([
      ['1 compartment', ONE],
      ['2 compartments', TWO],
    ])(`${name}, %s`, (_n, base) => {
      const p = { ...base, tlag };
      const doses = history(route, duration);
      const engine = closedForm(p, doses, TIMES);
      const ode = solveReference(asReference(p), doses, TIMES);
      expectClose(engine, ode.c, 1e-8);
    });
  }

  it('a bolus at an observation time is not seen there (trough), and is just after', () => {
    const doses: DoseEvent[] = [
      { time: 0, amount: 10, route: 'bolus' },
      { time: 12, amount: 10, route: 'bolus' },
    ];
    const c = closedForm(ONE, doses, [0, 12, 12 + 1e-7]);
    expect(c[0]).toBe(0);
    const k = ONE.cl / ONE.v;
    expect(c[1]).toBeCloseTo((10 / ONE.v) * Math.exp(-k * 12), 14);
    expect(c[2]).toBeCloseTo((10 / ONE.v) * (1 + Math.exp(-k * 12)), 6);
  });

  it('two routes in one history (IV loading bolus, then oral and an infusion) superpose', () => {
    const doses: DoseEvent[] = [
      { time: 0, amount: 40, route: 'bolus' },
      ...regimenDoses({ amount: 10, interval: 8, route: 'oral' }, 6, 4),
      { time: 30, amount: 15, route: 'infusion', duration: 2 },
    ];
    for (const p of [ONE, { ...TWO, tlag: 0.4 }])
      expectClose(closedForm(p, doses, TIMES), solveReference(asReference(p), doses, TIMES).c, 1e-8);
  });
});

describe('limits and shifts', () => {
  it('a very short infusion tends to the bolus (error proportional to the duration)', () => {
    const times = [0.5, 1, 4, 12, 30, 60];
    for (const p of [ONE, TWO]) {
      const bolus = closedForm(p, [{ time: 0, amount: 10, route: 'bolus' }], times);
      const gaps = [1e-2, 1e-3, 1e-4].map((duration) => {
        const inf = closedForm(p, [{ time: 0, amount: 10, route: 'infusion', duration }], times);
        return maxAbs(inf.map((c, i) => c - bolus[i])) / maxAbs(bolus);
      });
      expect(gaps[0]).toBeLessThan(1e-2);
      expect(gaps[1] / gaps[0]).toBeCloseTo(0.1, 2);
      expect(gaps[2] / gaps[1]).toBeCloseTo(0.1, 2);
    }
  });

  it('a lag shifts the oral profile in time (zero before absorption starts)', () => {
    const lag = 1.7;
    const doses = history('oral');
    for (const p of [ONE, TWO]) {
      const lagged = closedForm({ ...p, tlag: lag }, doses, TIMES);
      const shifted = closedForm(
        p,
        doses.map((d) => ({ ...d, time: d.time + lag })),
        TIMES,
      );
      TIMES.forEach((_, i) => expect(lagged[i]).toBeCloseTo(shifted[i], 12));
      expect(lagged[TIMES.indexOf(1)]).toBe(0);
    }
  });

  it('does not depend on the order of the times (epochs interleaved)', () => {
    const doses: DoseEvent[] = [...history('oral'), { time: 50, amount: 20, route: 'bolus', steadyState: { interval: 12 } }];
    const sorted = [...TIMES].sort((a, b) => a - b);
    const shuffled = [...sorted].reverse();
    shuffled.splice(3, 0, shuffled.splice(10, 1)[0]);
    const a = closedForm(TWO, doses, sorted);
    const b = closedForm(TWO, doses, shuffled);
    shuffled.forEach((t, i) => expect(b[i]).toBe(a[sorted.indexOf(t)]));
  });

  it('setPlanLag recounts a plan as a fresh plan would', () => {
    const doses = history('oral');
    const plan = planPk(scheduleDoses(doses), TIMES, 0);
    setPlanLag(plan, 2.5);
    const fresh = planPk(scheduleDoses(doses), TIMES, 2.5);
    expect(evaluatePk(plan, inputResponses(TWO))).toEqual(evaluatePk(fresh, inputResponses(TWO)));
  });
});

describe('coincident rates', () => {
  it('a stage equal to a disposition rate is continuous with nearby values and matches the ODE', () => {
    const k = ONE.cl / ONE.v;
    const times = [0.5, 2, 10, 40, 100];
    const doses: DoseEvent[] = [{ time: 0, amount: 10, route: 'oral' }];
    const exact = closedForm({ ...ONE, ka: k }, doses, times);
    const ode = solveReference(asReference({ ...ONE, ka: k }), doses, times).c;
    expectClose(exact, ode, 1e-9);
    for (const rel of [1e-7, 2.9e-6, 3.1e-6, 1e-4]) {
      expectClose(closedForm({ ...ONE, ka: k * (1 + rel) }, doses, times), exact, 2 * rel + 1e-9);
    }
  });

  it('cascade keeps the response of a unit input (its integral is the disposition AUC)', () => {
    // ∫ Σ c_j e^{−λ_j t} dt = Σ c_j / λ_j is unchanged by stages of gain 1.
    const auc = (u: { rates: Float64Array; coefs: Float64Array }): number => u.coefs.reduce((s, c, j) => s + c / u.rates[j], 0);
    const d = dispositionResponse(TWO);
    const [beta] = d.rates;
    for (const stages of [[0.9], [0.9, 0.3], [beta], [beta, beta], [0.5, 0.5]]) {
      expect(auc(cascade(d, stages)) / auc(d)).toBeCloseTo(1, 7);
    }
  });
});

describe('steady state', () => {
  it('an SS=1 dose resets the history and equals a long run of doses before it (every route)', () => {
    const cases: [DoseRoute, number | undefined, number][] = [
      ['oral', undefined, 0],
      ['oral', undefined, 14], // lag longer than the interval
      ['bolus', undefined, 0],
      ['infusion', 2, 0],
      ['infusion', 20, 0], // longer than the interval
    ];
    for (const [route, duration, tlag] of cases) {
      for (const base of [ONE, TWO]) {
        const p = { ...base, tlag };
        const doses: DoseEvent[] = [
          { time: 0, amount: 100, route: 'bolus' },
          { time: 30, amount: 80, route: 'oral' },
          { time: 48, amount: 25, route, duration, steadyState: { interval: 12 } },
          { time: 54, amount: 5, route: 'bolus' },
          ...regimenDoses({ amount: 25, interval: 12, route, duration }, 3, 60),
        ];
        const times = [0, 10, 47, 48, 48.5, 50, 54, 55, 59.99, 60, 66, 80, 100, 140];
        const engine = closedForm(p, doses, times);
        // 60 copies: over 40 terminal half-lives of the slowest case.
        const ode = solveReferenceWithSteadyState(asReference(p), doses, times, 60);
        expectClose(engine, ode.c, 1e-8);
      }
    }
  });

  it('the periodic steady state equals a long forward simulation, and C(0) = C(τ) (every route)', () => {
    const tau = 12;
    const s = [0, 0.3, 1, 2.5, 5, 8, 11, 12];
    const cases: [DoseRoute, number | undefined, number][] = [
      ['oral', undefined, 0],
      ['oral', undefined, 3],
      ['bolus', undefined, 0],
      ['infusion', 1, 0],
      ['infusion', 30, 0],
    ];
    for (const [route, duration, tlag] of cases) {
      for (const base of [ONE, TWO]) {
        const p = { ...base, tlag };
        const plan = planSteadyState({ interval: tau, route, duration }, s, tlag);
        const ss = evaluatePk(plan, inputResponses(p)).map((c) => 20 * c);
        expect(Math.abs(ss[0] - ss[s.length - 1])).toBeLessThan(1e-13 * maxAbs(ss));
        // 50 intervals = 600 h ≥ 30 terminal half-lives (17.6 h at most).
        const n = 50;
        const doses = regimenDoses({ amount: 20, interval: tau, route, duration, loading: 2 }, n + 1);
        const forward = solveReference(
          asReference(p),
          doses,
          s.map((x) => x + n * tau - tau),
        ).c;
        expectClose(ss, forward, 1e-8);
      }
    }
  });
});

/**
 * evaluatePk as first written: term by term, every factor computed at every pair. The engine takes
 * the terms of a pair together and reuses factors neighbouring pairs share: it must give the same
 * numbers, bit for bit (a fit's estimates depend on them).
 */
function termByTerm(plan: PkPlan, responses: InputResponses): Float64Array {
  const result = new Float64Array(plan.times.length);
  plan.schedule.runs.forEach((run, r) => {
    const unit = (run.route === 'oral' ? responses.oral : responses.iv) as Polyexponential;
    const tau = run.interval;
    for (let j = 0; j < unit.rates.length; j++) {
      const lambda = unit.rates[j];
      const denom = run.count > 1 ? -Math.expm1(-lambda * tau) : 1;
      const rate = run.amount / run.duration;
      const level = (rate * unit.coefs[j]) / lambda;
      const finished = level * -Math.expm1(-lambda * run.duration);
      for (let p = plan.pairStart[r]; p < plan.pairStart[r + 1]; p++) {
        const n = plan.given[p];
        if (run.route !== 'infusion') {
          if (n === 0) continue;
          const series = n === 1 ? 1 : -Math.expm1(-lambda * n * tau) / denom;
          result[plan.pairTime[p]] += run.amount * unit.coefs[j] * Math.exp(-lambda * plan.since[p]) * series;
          continue;
        }
        let c = 0;
        if (n > 0) {
          const series = n === 1 ? 1 : -Math.expm1(-lambda * n * tau) / denom;
          c = finished * Math.exp(-lambda * plan.since[p]) * series;
        }
        const k = plan.running[p];
        if (k > 0) {
          let sum = 0;
          for (let m = 0; m < k; m++) sum -= Math.expm1(-lambda * (plan.runningSince[p] + m * tau));
          c += level * sum;
        }
        result[plan.pairTime[p]] += c;
      }
    }
  });
  return result;
}

describe('evaluation shortcuts give the same numbers, bit for bit', () => {
  // Every route, several runs and epochs (a steady-state dose), times out of order and repeated.
  const doses: DoseEvent[] = [
    ...history('oral'),
    ...regimenDoses({ amount: 15, interval: 12, route: 'bolus' }, 6, 2),
    ...regimenDoses({ amount: 40, interval: 24, route: 'infusion', duration: 30 }, 4, 1),
    { time: 230, amount: 25, route: 'oral', steadyState: { interval: 24 } },
    { time: 250, amount: 10, route: 'infusion', duration: 2 },
  ];
  const times = [...TIMES, 230, 231, 240, 240, 251, 299, 12, 36, 5];
  const cases: [string, PkRates][] = [
    ['one compartment', ONE],
    ['two compartments', TWO],
    ['two compartments with a lag', { ...TWO, tlag: 0.75 }],
    ['coincident KA (nudged response, six terms)', { ...TWO, ka: dispositionRates(pkOf(TWO))[0] }],
  ];

  it.each(cases)('evaluatePk equals the term-by-term sums (%s)', (_name, p) => {
    const plan = planPk(scheduleDoses(doses), times, p.tlag);
    for (const responses of [inputResponses(p), inputResponses(p, [0.4]), inputResponses(p, [0.4, 2])]) {
      expect(evaluatePk(plan, responses)).toEqual(termByTerm(plan, responses));
    }
  });

  it.each(cases)('centralResponses equals inputResponses (%s), call after call', (_name, p) => {
    const store = createResponseStore(p.compartments);
    const plan = planPk(scheduleDoses(doses), times, p.tlag);
    const needs = inputNeeds(plan.schedule);
    for (const q of [p, { ...p, cl: p.cl * 1.3, ka: p.ka * 0.7 }, { ...p, ka: dispositionRates(pkOf(p))[0] }, p]) {
      for (const n of [needs, { oral: true, iv: false }, { oral: false, iv: true }]) {
        const mine = centralResponses(q, n, store);
        const theirs = inputResponses(q, [], n);
        expect(mine).toEqual(theirs);
        if (n.oral && n.iv) expect(evaluatePk(plan, mine)).toEqual(evaluatePk(plan, theirs));
      }
    }
    expect(() => centralResponses(p, needs, createResponseStore(p.compartments === 1 ? 2 : 1))).toThrow(/another number of compartments/);
  });
});
