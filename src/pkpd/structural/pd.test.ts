import { describe, expect, it } from 'vitest';
import type { IndirectType, PdModelSpec, PkModelSpec } from '../../study/study-spec';
import { regimen as oralRegimen } from '../dose-history';
import { buildPdGrid, simulateIndirectResponse, type IndirectResponseParameters } from '../indirect-response';
import type { PkParameters } from '../pk-model';
import { regimenDoses, type DoseEvent, type DoseRoute } from './doses';
import { advanceIndirect, createIndirectWorkspace, GL_REST, occupancy, periodicStart, type IndirectParameters } from './pd';
import { createStructuralModel, type ParameterValues, type StructuralModelOptions } from './structural-model';
import { solveReference, type ReferenceModel, type ReferenceSolution } from './test-support';

const INDIRECT_TYPES: IndirectType[] = ['inhibit-production', 'stimulate-production', 'inhibit-loss', 'stimulate-loss'];

/** PK and PD values shared by the reference ODE and the engine. */
const PK1 = { CL: 0.5, V: 10, KA: 1.2 };
const PK2 = { CL: 1, V: 8, KA: 0.9, Q: 1.5, V2: 12 };
const PD = { BASE: 10, KOUT: 0.08, IMAX: 0.8, IC50: 1.5, EMAX: 2, EC50: 2, E0: 5, KE0: 0.35 };

function referenceModel(values: ParameterValues): ReferenceModel {
  return {
    compartments: values.Q === undefined ? 1 : 2,
    cl: values.CL as number,
    v: values.V as number,
    q: values.Q,
    v2: values.V2,
    ka: values.KA,
    tlag: values.TLAG,
    ke0: values.KE0,
    base: values.BASE,
    kout: values.KOUT,
    imax: values.IMAX,
    ic50: values.IC50,
    emax: values.EMAX,
    ec50: values.EC50,
    hill: values.HILL,
  };
}

function pkSpec(values: ParameterValues, route: DoseRoute): PkModelSpec {
  return { route: route === 'oral' ? 'oral' : 'iv', compartments: values.Q === undefined ? 1 : 2, lag: values.TLAG !== undefined };
}

function predictPd(
  values: ParameterValues,
  route: DoseRoute,
  pd: PdModelSpec,
  doses: DoseEvent[],
  times: number[],
  options?: StructuralModelOptions,
): Float64Array {
  const model = createStructuralModel({ pk: pkSpec(values, route), pd }, options);
  return model.predict(model.prepare(doses, { pd: times }), values).pd;
}

function worst(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < expected.length; i++) w = Math.max(w, Math.abs(actual[i] - expected[i]));
  return w;
}

function history(route: DoseRoute, duration?: number): DoseEvent[] {
  return [
    { time: 0, amount: 40, route, duration },
    ...regimenDoses({ amount: 25, interval: 12, route, duration }, 6, 12),
    { time: 90, amount: 10, route, duration },
  ];
}

const TIMES = [0, 0.25, 1, 2, 5, 11.9, 12, 13, 24, 36.5, 50, 72, 84, 90, 91, 100, 130, 180, 240];

const ROUTES: [string, DoseRoute, number | undefined, number | undefined][] = [
  ['oral', 'oral', undefined, undefined],
  ['oral with lag', 'oral', undefined, 0.8],
  ['IV bolus', 'bolus', undefined, undefined],
  ['infusion (1 h)', 'infusion', 1, undefined],
  ['infusion (20 h, overlapping)', 'infusion', 20, undefined],
];

describe('Gauss–Legendre pieces', () => {
  it('GL_REST integrates the quadratic interpolant from each node to the panel end exactly', () => {
    const nodes = [0.5 - Math.sqrt(15) / 10, 0.5, 0.5 + Math.sqrt(15) / 10];
    for (const [k, f] of [
      [0, (u: number) => u],
      [1, (u: number) => (u * u) / 2],
      [2, (u: number) => (u * u * u) / 3],
    ] as const) {
      nodes.forEach((cq, q) => {
        const quadrature = GL_REST[q].reduce((s, w, r) => s + w * nodes[r] ** k, 0);
        expect(quadrature).toBeCloseTo(f(1) - f(cq), 14);
      });
    }
  });

  it('occupancy is c^h/(c50^h + c^h), without overflow for steep curves', () => {
    expect(occupancy(2, 2, 3)).toBeCloseTo(0.5, 15);
    expect(occupancy(1, 2, 2)).toBeCloseTo(1 / 5, 15);
    expect(occupancy(1e6, 1, 80)).toBe(1);
    expect(occupancy(1e-6, 1, 80)).toBe(0);
    expect(occupancy(0, 1, 1)).toBe(0);
    expect(occupancy(-1, 1, 2)).toBe(0);
  });
});

describe('direct and effect-compartment PD against the ODE system', () => {
  const specs: [string, Extract<PdModelSpec, { direction: unknown }>, ParameterValues][] = [
    ['direct increase', { family: 'direct', direction: 'increase', sigmoid: false }, {}],
    ['direct decrease, sigmoid', { family: 'direct', direction: 'decrease', sigmoid: true }, { HILL: 2.3 }],
    ['effect compartment increase, sigmoid', { family: 'effect-compartment', direction: 'increase', sigmoid: true }, { HILL: 0.7 }],
    ['effect compartment decrease', { family: 'effect-compartment', direction: 'decrease', sigmoid: false }, {}],
  ];
  for (const [name, pd, extra] of specs) {
    it.each(ROUTES)(`${name}, %s (1 and 2 compartments)`, (_r, route, duration, tlag) => {
      for (const pk of [PK1, PK2]) {
        const values: ParameterValues = { ...pk, ...PD, ...extra, ...(tlag === undefined ? {} : { TLAG: tlag }) };
        if (route !== 'oral') delete values.KA;
        const doses = history(route, duration);
        const engine = predictPd(values, route, pd, doses, TIMES);
        const ode = solveReference(referenceModel(values), doses, TIMES);
        const x = pd.family === 'direct' ? ode.c : ode.ce;
        const h = pd.sigmoid ? (values.HILL as number) : 1;
        const f = (c: number): number => (c > 0 ? c ** h : 0);
        const expected = x.map((c) =>
          pd.direction === 'increase'
            ? PD.E0 + (PD.EMAX * f(c)) / (PD.EC50 ** h + f(c))
            : PD.E0 * (1 - (PD.IMAX * f(c)) / (PD.IC50 ** h + f(c))),
        );
        expect(worst(engine, expected)).toBeLessThan(1e-9 * PD.E0);
      }
    });
  }
});

describe('indirect responses (all four types) against the ODE system', () => {
  for (const type of INDIRECT_TYPES) {
    it.each(ROUTES)(`${type}, %s (1 and 2 compartments)`, (_r, route, duration, tlag) => {
      for (const pk of [PK1, PK2]) {
        const values: ParameterValues = { ...pk, ...PD, ...(tlag === undefined ? {} : { TLAG: tlag }) };
        if (route !== 'oral') delete values.KA;
        const doses = history(route, duration);
        const engine = predictPd(values, route, { family: 'indirect', type }, doses, TIMES);
        const ode: ReferenceSolution = solveReference(referenceModel(values), doses, TIMES);
        expect(worst(engine, ode.r[type])).toBeLessThan(1e-6 * PD.BASE);
      }
    });
  }

  it('with sigmoidIndirect, uses HILL on the drug effect (and ignores a HILL otherwise)', () => {
    const values: ParameterValues = { ...PK2, ...PD, HILL: 2.5 };
    const doses = history('oral');
    const ode = solveReference(referenceModel(values), doses, TIMES);
    const plain = solveReference(referenceModel({ ...values, HILL: 1 }), doses, TIMES);
    for (const type of INDIRECT_TYPES) {
      const sigmoid = predictPd(values, 'oral', { family: 'indirect', type }, doses, TIMES, { sigmoidIndirect: true });
      expect(worst(sigmoid, ode.r[type])).toBeLessThan(1e-6 * PD.BASE);
      const ignored = predictPd(values, 'oral', { family: 'indirect', type }, doses, TIMES);
      expect(worst(ignored, plain.r[type])).toBeLessThan(1e-6 * PD.BASE);
    }
  });

  it('stays exactly at BASE without drug (all four types)', () => {
    for (const type of INDIRECT_TYPES) {
      const r = predictPd({ ...PK1, ...PD }, 'oral', { family: 'indirect', type }, [], TIMES);
      for (const v of r) expect(v).toBe(PD.BASE);
    }
  });

  it('refines the grid when KOUT is fast for its panels (KOUT = 0.6/h, stimulate-loss EMAX = 4)', () => {
    const values: ParameterValues = { ...PK1, ...PD, KOUT: 0.6, EMAX: 4 };
    const doses = regimenDoses({ amount: 25, interval: 48, route: 'oral' }, 3);
    const times = [1, 6, 20, 40, 47, 60, 90, 130, 150];
    const ode = solveReference(referenceModel(values), doses, times);
    for (const type of INDIRECT_TYPES) {
      const refined = predictPd(values, 'oral', { family: 'indirect', type }, doses, times);
      expect(worst(refined, ode.r[type])).toBeLessThan(1e-6 * PD.BASE);
      // Without refinement the 24-h panels are far too long for a 1.2-h half-life.
      const coarse = predictPd(values, 'oral', { family: 'indirect', type }, doses, times, { stiffnessLimit: Infinity });
      expect(worst(coarse, ode.r[type])).toBeGreaterThan(1e-3 * PD.BASE);
    }
  });

  it('converges at sixth order under step refinement (all four types)', () => {
    const values: ParameterValues = { ...PK1, ...PD, KA: 0.7 };
    const doses = regimenDoses({ amount: 30, interval: 24, route: 'oral' }, 5);
    const times = [3, 12, 30, 60, 100, 130];
    for (const type of INDIRECT_TYPES) {
      const at = (subdivisions: number): Float64Array =>
        predictPd(values, 'oral', { family: 'indirect', type }, doses, times, {
          grid: { firstPanel: 2, maxPanel: 12, graded: false, subdivisions },
          stiffnessLimit: Infinity, // the subdivisions alone set the grid here
        });
      const reference = at(64);
      const errors = [2, 4, 8, 16].map((s) => worst(at(s), reference));
      // Error ratios per halving approach 2^6 = 64 (measured 25–30, 41–46, 54–57); a fourth-order
      // method would stay near 16.
      expect(errors[0] / errors[1]).toBeGreaterThan(20);
      expect(errors[1] / errors[2]).toBeGreaterThan(35);
      expect(errors[2] / errors[3]).toBeGreaterThan(45);
    }
  });
});

describe('inhibit-production equals ../indirect-response', () => {
  const times = [0, 1, 2, 4, 8, 12, 24, 36, 48, 72, 168, 336, 480, 481, 482, 484, 488, 492, 504, 552, 600, 672, 840, 1008, 1176];
  const pd: IndirectResponseParameters = { base: 10, kout: 0.015, imax: 0.88, ic50: 1.2 };
  const one: PkParameters = { compartments: 1, ka: 1, cl: 0.04, v: 6.9 };
  const two: PkParameters = { compartments: 2, ka: 0.9, cl: 0.044, v: 2.6, q: 0.17, v2: 5.9 };
  it.each([
    ['one compartment, 10 mg daily', one, 10],
    ['two compartments, 3 mg daily', two, 3],
  ])('to 1e-12 relative over the EstData design (%s)', (_n, pk, amount) => {
    const doses = oralRegimen(amount, 24, 21);
    const existing = simulateIndirectResponse(pd, pk, doses, times);
    const values: ParameterValues = { CL: pk.cl, V: pk.v, KA: pk.ka, BASE: pd.base, KOUT: pd.kout, IMAX: pd.imax, IC50: pd.ic50 };
    if (pk.compartments === 2) Object.assign(values, { Q: pk.q, V2: pk.v2 });
    const engine = predictPd(
      values,
      'oral',
      { family: 'indirect', type: 'inhibit-production' },
      doses.map((d) => ({ ...d, route: 'oral' })),
      times,
    );
    times.forEach((_, i) => expect(Math.abs(engine[i] - existing[i])).toBeLessThanOrEqual(1e-12 * existing[i]));
  });
});

describe('a workspace used again', () => {
  it('keeps the per-panel weights while KOUT holds and recomputes them when KOUT or the type needs it: a fresh workspace’s numbers', () => {
    const grid = buildPdGrid([0, 24, 48], [0, 1, 6, 30, 50, 72]);
    const concentration = Float64Array.from(grid.nodes, (t) => 3 * Math.exp(-0.1 * (t % 24)) * (t > 0 ? 1 : 0));
    const base: IndirectParameters = { type: 'inhibit-production', base: 10, kout: 0.08, max: 0.8, c50: 1.5, hill: 1 };
    const sequence: IndirectParameters[] = [
      base,
      { ...base, base: 12, c50: 0.7 }, // KOUT holds
      { ...base, type: 'inhibit-loss' }, // the loss types need more of them
      base,
      { ...base, type: 'stimulate-loss', max: 2 },
      { ...base, type: 'inhibit-loss', kout: 0.2 },
      { ...base, kout: 0.2 },
      { ...base, kout: 0.080000001 },
      { ...base, type: 'stimulate-production', max: 2, hill: 2 },
    ];
    const ws = createIndirectWorkspace(grid);
    for (const p of sequence) {
      const fresh = createIndirectWorkspace(grid);
      const out = new Float64Array(grid.outputTimes.length);
      const expected = new Float64Array(grid.outputTimes.length);
      expect(advanceIndirect(p, grid, concentration, 0, 9, ws, out)).toBe(advanceIndirect(p, grid, concentration, 0, 9, fresh, expected));
      expect(out).toEqual(expected);
      expect(periodicStart(p, grid, concentration, 0, ws)).toBe(periodicStart(p, grid, concentration, 0, createIndirectWorkspace(grid)));
    }
  });
});
