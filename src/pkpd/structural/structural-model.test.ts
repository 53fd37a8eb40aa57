import { describe, expect, it } from 'vitest';
import type { IndirectType, PdModelSpec, PkModelSpec } from '../../study/study-spec';
import { PkpdDataError, PkpdParameterError } from '../errors';
import { regimenDoses, scheduleDoses, type DoseEvent } from './doses';
import { historyLayout } from './pd-grid';
import { evaluatePk, inputNeeds, inputResponses, planPk, type PkRates } from './pk';
import { createStructuralModel, type ParameterValues } from './structural-model';
import { solveReferenceWithSteadyState } from './test-support';

const ORAL2: PkModelSpec = { route: 'oral', compartments: 2, lag: true };
const IV1: PkModelSpec = { route: 'iv', compartments: 1, lag: false };
const INDIRECT: PdModelSpec = { family: 'indirect', type: 'inhibit-loss' };
const VALUES: ParameterValues = { CL: 1, V: 8, KA: 0.9, TLAG: 0.5, Q: 1.5, V2: 12, BASE: 10, KOUT: 0.08, IMAX: 0.8, IC50: 1.5 };

describe('parameters by name', () => {
  it('lists what each structure needs', () => {
    expect(createStructuralModel({ pk: ORAL2, pd: INDIRECT }).parameters).toEqual([
      'CL',
      'V',
      'KA',
      'TLAG',
      'Q',
      'V2',
      'BASE',
      'KOUT',
      'IMAX',
      'IC50',
    ]);
    expect(
      createStructuralModel({ pk: IV1, pd: { family: 'effect-compartment', direction: 'increase', sigmoid: true } }).parameters,
    ).toEqual(['CL', 'V', 'E0', 'EMAX', 'EC50', 'HILL', 'KE0']);
    expect(
      createStructuralModel({ pk: IV1, pd: { family: 'indirect', type: 'stimulate-production' } }, { sigmoidIndirect: true }).parameters,
    ).toContain('HILL');
  });

  const model = createStructuralModel({ pk: ORAL2, pd: INDIRECT });
  const plan = model.prepare([{ time: 0, amount: 10, route: 'oral' }], { pk: [1, 2], pd: [1, 2] });
  it.each([
    [
      { KA: undefined },
      /Parameter KA is missing; the oral \(with lag\) 2-compartment model with an indirect response \(inhibit-loss\) needs CL, V, KA, TLAG, Q, V2, BASE, KOUT, IMAX, IC50/,
    ],
    [{ V: NaN }, /Parameter V is not a number \(NaN\); give it a positive value/],
    [{ CL: -0.2 }, /Parameter CL must be positive, got -0.2/],
    [{ Q: 0 }, /Parameter Q must be positive, got 0/],
    [{ V2: Infinity }, /Parameter V2 is Infinity; give it a finite value/],
    [{ TLAG: -1 }, /Parameter TLAG \(absorption lag\) must be zero or positive, got -1/],
    [{ IMAX: 1.2 }, /Parameter IMAX must be at most 1 \(complete inhibition\), got 1.2/],
    [{ KOUT: '0.1' as unknown as number }, /Parameter KOUT is not a number \("0.1"\)/],
  ])('rejects %o with a message naming the parameter', (change, message) => {
    const values = { ...VALUES, ...change };
    expect(() => model.predict(plan, values)).toThrow(PkpdParameterError);
    expect(() => model.predict(plan, values)).toThrow(message);
    expect(() => model.check(values)).toThrow(message);
  });

  it('accepts a zero lag and ignores parameters the structure does not have', () => {
    expect(() => model.predict(plan, { ...VALUES, TLAG: 0, EMAX: -5, HILL: NaN })).not.toThrow();
  });

  it('asks for a choice when the spec says "auto"', () => {
    expect(() => createStructuralModel({ pk: { ...ORAL2, compartments: 'auto' } })).toThrow(/choose 1 or 2/);
    expect(() => createStructuralModel({ pk: ORAL2, pd: { family: 'auto' } })).toThrow(/choose direct, effect-compartment or indirect/);
  });
});

describe('doses and times', () => {
  it('rejects an oral dose in an IV model, naming the dose', () => {
    const model = createStructuralModel({ pk: IV1 });
    expect(() =>
      model.prepare(
        [
          { time: 0, amount: 5, route: 'bolus' },
          { time: 12, amount: 5, route: 'oral' },
        ],
        { pk: [1] },
      ),
    ).toThrow(/Dose 2 \(time 12\) is oral, but the model's route is IV/);
    expect(() => model.prepareSteadyState({ interval: 12, route: 'oral' }, [0])).toThrow(PkpdDataError);
  });

  it('rejects PD times for a PK-only model, non-finite times and steady-state times outside the interval', () => {
    const model = createStructuralModel({ pk: IV1 });
    expect(() => model.prepare([], { pd: [1] })).toThrow(/has no PD part/);
    expect(() => model.prepare([], { pk: [1, NaN] })).toThrow(/PK time 2 is NaN/);
    expect(() => model.prepareSteadyState({ interval: 12, route: 'bolus' }, [0, 13])).toThrow(/between 0 and the interval \(12\)/);
    expect(() => model.prepareSteadyState({ interval: 0, route: 'bolus' }, [0])).toThrow(/interval must be a positive number/);
  });
});

describe('plans and caches', () => {
  it('gives the same predictions as a fresh plan, whatever changes between calls', () => {
    const specs: PdModelSpec[] = [
      INDIRECT,
      { family: 'indirect', type: 'stimulate-loss' },
      { family: 'effect-compartment', direction: 'decrease', sigmoid: false },
      { family: 'direct', direction: 'increase', sigmoid: true },
    ];
    const doses: DoseEvent[] = [
      ...regimenDoses({ amount: 20, interval: 24, route: 'oral' }, 5),
      { time: 130, amount: 30, route: 'bolus', steadyState: { interval: 12 } },
    ];
    const times = { pk: [1, 5, 30, 100, 130, 131, 150], pd: [0, 2, 24, 60, 130, 140, 200] };
    const pdValues = { E0: 4, EMAX: 3, EC50: 2, HILL: 1.5, KE0: 0.3, ...VALUES };
    const sequence: ParameterValues[] = [
      pdValues,
      { ...pdValues, KOUT: 0.5 }, // PD only (and a finer grid)
      { ...pdValues, BASE: 12, IC50: 0.9, EC50: 3 }, // PD only, KOUT holds (the panel weights are kept)
      { ...pdValues, KOUT: 0.081 }, // a KOUT on the same grid
      { ...pdValues, TLAG: 2 }, // lag: recount and new grid
      { ...pdValues, CL: 0.7, IC50: 1 },
      pdValues, // back to the first
      { ...pdValues, KE0: 0.9, EMAX: 5 },
    ];
    for (const pd of specs) {
      const model = createStructuralModel({ pk: ORAL2, pd });
      const plan = model.prepare(doses, times);
      for (const values of sequence) {
        const again = model.predict(plan, values);
        const fresh = model.predict(model.prepare(doses, times), values);
        expect(again).toEqual(fresh);
      }
    }
  });

  it('gives the same steady state as a fresh plan, whatever changes between calls', () => {
    const pdValues = { E0: 4, EMAX: 3, EC50: 2, HILL: 1.5, KE0: 0.3, ...VALUES };
    const sequence: [ParameterValues, number][] = [
      [pdValues, 10],
      [{ ...pdValues, KOUT: 0.5 }, 10],
      [{ ...pdValues, TLAG: 2 }, 10],
      [{ ...pdValues, CL: 0.7, KE0: 0.9 }, 10],
      [{ ...pdValues, CL: 0.7, KE0: 0.9 }, 25],
      [pdValues, 10],
    ];
    for (const pd of [INDIRECT, { family: 'effect-compartment', direction: 'increase', sigmoid: true } as PdModelSpec, undefined]) {
      const model = createStructuralModel({ pk: ORAL2, pd });
      const times = [0, 1, 3, 12];
      const plan = model.prepareSteadyState({ interval: 12, route: 'oral' }, times);
      for (const [values, amount] of sequence) {
        const fresh = model.predictSteadyState(model.prepareSteadyState({ interval: 12, route: 'oral' }, times), values, amount);
        expect(model.predictSteadyState(plan, values, amount)).toEqual(fresh);
      }
    }
  });

  it('writes into the arrays it is given', () => {
    const model = createStructuralModel({ pk: ORAL2, pd: INDIRECT });
    const plan = model.prepare([{ time: 0, amount: 10, route: 'oral' }], { pk: [1, 2], pd: [3] });
    const out = { pk: new Float64Array(2), pd: new Float64Array(1) };
    expect(model.predict(plan, VALUES, out)).toBe(out);
    expect(out.pk[0]).toBeGreaterThan(0);
    expect(out.pd[0]).toBeGreaterThan(VALUES.BASE as number);
  });
});

describe('steady-state doses in a history (SS=1)', () => {
  const types: IndirectType[] = ['inhibit-production', 'stimulate-production', 'inhibit-loss', 'stimulate-loss'];
  it.each(types)('%s: R starts at the periodic steady state at the SS dose and then follows the ODE', (type) => {
    const doses: DoseEvent[] = [
      { time: 0, amount: 60, route: 'oral' },
      { time: 50, amount: 25, route: 'infusion', duration: 3, steadyState: { interval: 24 } },
      { time: 74, amount: 40, route: 'infusion', duration: 3 },
      { time: 90, amount: 10, route: 'oral' },
    ];
    const times = [0, 10, 49, 50, 51, 60, 74, 80, 90, 96, 120, 200];
    const values: ParameterValues = { ...VALUES, TLAG: 1, EMAX: 2, EC50: 2 };
    const model = createStructuralModel({ pk: ORAL2, pd: { family: 'indirect', type } });
    const prediction = model.predict(model.prepare(doses, { pk: times, pd: times }), values);
    // 70 copies of the SS dose: 1680 h, over 30 half-lives of the slowest (43 h, inhibit-loss).
    const ode = solveReferenceWithSteadyState(
      { compartments: 2, cl: 1, v: 8, q: 1.5, v2: 12, ka: 0.9, tlag: 1, base: 10, kout: 0.08, imax: 0.8, ic50: 1.5, emax: 2, ec50: 2 },
      doses,
      times,
      70,
    );
    times.forEach((t, i) => {
      expect(Math.abs(prediction.pk[i] - ode.c[i]), `C at ${t}`).toBeLessThan(1e-8 * Math.max(...ode.c));
      expect(Math.abs(prediction.pd[i] - ode.r[type][i]), `R at ${t}`).toBeLessThan(1e-6 * 10);
    });
    // At the SS dose time R is the regimen's periodic steady state (its trough); the two grids
    // are refined differently, hence agreement to the integration accuracy only.
    const ss = model.prepareSteadyState({ interval: 24, route: 'infusion', duration: 3 }, [0]);
    expect(Math.abs(prediction.pd[times.indexOf(50)] - model.predictSteadyState(ss, values, 25).pd[0])).toBeLessThan(1e-7 * 10);
  });
});

describe('study-spec details the engine honours', () => {
  it("takes HILL for an indirect response from the spec's sigmoid flag, once", () => {
    const pd: PdModelSpec = { family: 'indirect', type: 'inhibit-production', sigmoid: true };
    const model = createStructuralModel({ pk: IV1, pd });
    expect(model.parameters.filter((p) => p === 'HILL')).toHaveLength(1);
    expect(createStructuralModel({ pk: IV1, pd }, { sigmoidIndirect: true }).parameters.filter((p) => p === 'HILL')).toHaveLength(1);
    const plan = model.prepare([{ time: 0, amount: 100, route: 'bolus' }], { pk: [], pd: [2, 6] });
    const values = { CL: 1, V: 10, BASE: 10, KOUT: 0.3, IMAX: 0.9, IC50: 2 };
    const steep = model.predict(plan, { ...values, HILL: 4 }).pd;
    const plain = createStructuralModel({ pk: IV1, pd: { family: 'indirect', type: 'inhibit-production' } });
    const hyperbolic = plain.predict(plain.prepare([{ time: 0, amount: 100, route: 'bolus' }], { pk: [], pd: [2, 6] }), values).pd;
    expect(model.predict(plan, { ...values, HILL: 1 }).pd).toEqual(hyperbolic);
    expect(Math.abs(steep[1] - hyperbolic[1])).toBeGreaterThan(0.01);
    expect(() => model.predict(plan, values)).toThrow(/Parameter HILL is missing/);
  });

  it('lets E0, and EMAX of a direct response, have either sign; EMAX of an indirect response stays positive', () => {
    const direct = createStructuralModel({ pk: IV1, pd: { family: 'direct', direction: 'increase', sigmoid: false } });
    const plan = direct.prepare([{ time: 0, amount: 10, route: 'bolus' }], { pk: [1], pd: [0, 1] });
    const out = direct.predict(plan, { CL: 1, V: 10, E0: -2, EMAX: -5, EC50: 1 });
    expect(out.pd[0]).toBe(-2);
    expect(out.pd[1]).toBeCloseTo(-2 - (5 * 0.9048374180359595) / (1 + 0.9048374180359595), 12);
    expect(() => direct.predict(plan, { CL: 1, V: 10, E0: NaN, EMAX: 1, EC50: 1 })).toThrow(
      /Parameter E0 is not a number \(NaN\); give it a finite value/,
    );
    const indirect = createStructuralModel({ pk: IV1, pd: { family: 'indirect', type: 'stimulate-production' } });
    const p2 = indirect.prepare([{ time: 0, amount: 10, route: 'bolus' }], { pk: [1], pd: [1] });
    expect(() => indirect.predict(p2, { CL: 1, V: 10, BASE: 5, KOUT: 0.1, EMAX: -0.5, EC50: 1 })).toThrow(
      /Parameter EMAX must be positive/,
    );
  });
});

describe('values as a vector, and the concentrations that drive the response', () => {
  const families: PdModelSpec[] = [
    INDIRECT,
    { family: 'indirect', type: 'stimulate-production', sigmoid: true },
    { family: 'effect-compartment', direction: 'decrease', sigmoid: false },
    { family: 'direct', direction: 'increase', sigmoid: true },
  ];
  const doses: DoseEvent[] = [
    ...regimenDoses({ amount: 20, interval: 24, route: 'oral' }, 5),
    { time: 130, amount: 30, route: 'bolus', steadyState: { interval: 12 } },
  ];
  const times = { pk: [1, 5, 30, 100, 130, 131, 150], pd: [0, 2, 24, 60, 130, 140, 200] };
  const all: ParameterValues = { ...VALUES, E0: 4, EMAX: 3, EC50: 2, HILL: 1.5, KE0: 0.3 };

  it.each([undefined, ...families])('predictVector gives predict’s numbers, bit for bit (%o)', (pd) => {
    const model = createStructuralModel({ pk: ORAL2, pd });
    const plan = model.prepare(doses, pd ? times : { pk: times.pk });
    for (const values of [all, { ...all, CL: 0.7, KOUT: 0.3, EMAX: 1 }, { ...all, TLAG: 0 }]) {
      const vector = Float64Array.from(model.parameters, (name) => values[name] as number);
      expect(model.predictVector(plan, vector)).toEqual(model.predict(model.prepare(doses, pd ? times : { pk: times.pk }), values));
    }
  });

  it('predictVector checks each value as predict does, naming it', () => {
    const model = createStructuralModel({ pk: ORAL2, pd: INDIRECT });
    const plan = model.prepare(doses, times);
    const vector = (change: ParameterValues): Float64Array =>
      Float64Array.from(model.parameters, (name) => ({ ...VALUES, ...change })[name] as number);
    expect(() => model.predictVector(plan, vector({ V: NaN }))).toThrow(/Parameter V is not a number \(NaN\); give it a positive value/);
    expect(() => model.predictVector(plan, vector({ IMAX: 1.2 }))).toThrow(/Parameter IMAX must be at most 1/);
    expect(() => model.predictVector(plan, vector({ TLAG: -1 }))).toThrow(PkpdParameterError);
    expect(() => model.predictVector(plan, vector({ TLAG: 0 }))).not.toThrow();
  });

  it.each(families)('drivingConcentrations is C at the integration nodes (indirect) or the PD times (%o)', (pd) => {
    const model = createStructuralModel({ pk: ORAL2, pd });
    const plan = model.prepare(doses, times);
    const rates: PkRates = { compartments: 2, cl: 1, v: 8, q: 1.5, v2: 12, ka: 0.9, tlag: 2 };
    const pk: ParameterValues = { CL: 1, V: 8, KA: 0.9, TLAG: 2, Q: 1.5, V2: 12 };
    const schedule = scheduleDoses(doses);
    const at = pd.family === 'indirect' ? historyLayout(schedule, times.pd, 2).nodePlan : planPk(schedule, times.pd, 2);
    expect(model.drivingConcentrations(plan, pk)).toEqual(evaluatePk(at, inputResponses(rates, [], inputNeeds(schedule))));
    // Other PK values and lags in between leave predict as a fresh plan's.
    model.predict(plan, all);
    model.drivingConcentrations(plan, { ...pk, TLAG: 0.5, CL: 2 });
    expect(model.predict(plan, all)).toEqual(model.predict(model.prepare(doses, times), all));
    model.drivingConcentrations(plan, pk);
    expect(model.predict(plan, { ...all, TLAG: 0.5 })).toEqual(model.predict(model.prepare(doses, times), { ...all, TLAG: 0.5 }));
  });

  it('drivingConcentrations is empty without a PD part', () => {
    const model = createStructuralModel({ pk: IV1 });
    expect(model.drivingConcentrations(model.prepare([{ time: 0, amount: 10, route: 'bolus' }], { pk: [1] }), { CL: 1, V: 10 })).toEqual(
      new Float64Array(0),
    );
  });
});

describe('time units', () => {
  // The same subject written in hours and in days: an oral dose absorbed within the hour, an indirect response.
  const pk: PkModelSpec = { route: 'oral', compartments: 1, lag: false };
  const pd: PdModelSpec = { family: 'indirect', type: 'inhibit-production' };
  const perHour: ParameterValues = { CL: 2, V: 20, KA: 3, BASE: 10, KOUT: 0.1, IMAX: 0.9, IC50: 0.5 };
  const perDay: ParameterValues = { ...perHour, CL: 48, KA: 72, KOUT: 2.4 };
  const hours = [0.25, 0.5, 1, 2, 3, 5, 8, 12, 24, 25, 26, 30, 48, 60];
  function predictIn(unit: number, values: ParameterValues, hoursPerTimeUnit?: number): Float64Array {
    const model = createStructuralModel({ pk, pd }, hoursPerTimeUnit === undefined ? {} : { hoursPerTimeUnit });
    const doses: DoseEvent[] = [0, 24].map((t) => ({ time: t / unit, amount: 100, route: 'oral' }));
    const times = hours.map((t) => t / unit);
    return model.predict(model.prepare(doses, { pk: times, pd: times }), values).pd;
  }
  const largestDifference = (a: Float64Array, b: Float64Array): number => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

  it('integrates a response timed in days as finely as one timed in hours', () => {
    const reference = predictIn(1, perHour);
    expect(largestDifference(predictIn(24, perDay, 24), reference)).toBeLessThan(1e-9);
    // Without the unit the grid's panels are 0.25–24 days long: the response is visibly off.
    expect(largestDifference(predictIn(24, perDay), reference)).toBeGreaterThan(1e-6);
  });
});
