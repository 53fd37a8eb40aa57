/**
 * The TF.js direct and effect-compartment PD against the float64 engine (../../pkpd/structural
 * `createStructuralModel`, effect-compartment.ts) and its ODE reference: values, gradients w.r.t. every
 * PK and PD parameter against central finite differences of the engine, the second divided difference
 * at and near coincident rates (KA ≈ KE0 ≈ CL/V), and tensor leaks.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { getBackend, grads, memory, setBackend, mul, scalar, sum, tensor1d, tensor2d, tensor3d } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduleDoses, type DoseEvent } from '../../pkpd/structural/doses';
import { effectSiteConcentration } from '../../pkpd/structural/effect-compartment';
import { directEffect, occupancy } from '../../pkpd/structural/pd';
import { planPk, type PkRates } from '../../pkpd/structural/pk';
import { createStructuralModel, type ParameterValues } from '../../pkpd/structural/structural-model';
import { solveReference } from '../../pkpd/structural/test-support';
import type { ModelParameter } from '../../study/study-spec';
import { SeedStream } from '../random';
import { useCpuBackend } from '../test-support';
import {
  between,
  DOSE_SCENARIOS,
  type DoseScenario,
  disposeParameters,
  gradientAgreement,
  maxAbs,
  parameterColumns,
  randomDosesAndTimes,
  randomPkValues,
  useNodeWasmPaths,
} from './test-support';
import { effectSiteConcentrations, pdResponses, secondDividedDecay, type DirectPdStructure, type PkPdTensorParameters } from './pd-tensor';
import { disposePkBatch, packPkBatch, type PkSubject } from './pk-tensor';

useNodeWasmPaths();
const PD_VARIANTS: DirectPdStructure[] = (['direct', 'effect-compartment'] as const).flatMap((family) =>
  (['increase', 'decrease'] as const).flatMap((direction) => [false, true].map((sigmoid) => ({ family, direction, sigmoid }))),
);

interface Case extends PkSubject {
  compartments: 1 | 2;
  pd: DirectPdStructure;
  values: ParameterValues;
  /** The parameters of the engine's structure, in its order. */
  names: ModelParameter[];
}

function engineOf(c: Case) {
  const oral = c.doses.some((d) => d.route === 'oral');
  const lag = c.values.TLAG !== undefined;
  return createStructuralModel({ pk: { route: oral ? 'oral' : 'iv', compartments: c.compartments, lag }, pd: c.pd });
}

function randomCase(
  random: SeedStream,
  compartments: 1 | 2,
  scenario: DoseScenario,
  pd: DirectPdStructure,
  doseCount: number,
  timeCount: number,
): Case {
  const { values, routes } = randomPkValues(random, compartments, scenario);
  values.E0 = between(random, 5, 100) * (pd.direction === 'increase' && random.uniform() < 0.3 ? -1 : 1);
  if (pd.direction === 'increase') {
    values.EMAX = between(random, 10, 200) * (random.uniform() < 0.5 ? -1 : 1);
    values.EC50 = between(random, 0.3, 8);
  } else {
    values.IMAX = random.uniform() < 0.3 ? 1 : between(random, 0.3, 1);
    values.IC50 = between(random, 0.3, 8);
  }
  if (pd.sigmoid) values.HILL = between(random, 0.5, 4);
  if (pd.family === 'effect-compartment') values.KE0 = between(random, 0.05, 2);
  const { doses, times } = randomDosesAndTimes(random, routes, doseCount, timeCount);
  const c: Case = { compartments, pd, values, doses, times, names: [] };
  c.names = [...engineOf(c).parameters];
  return c;
}

function enginePredict(c: Case, values: ParameterValues = c.values): Float64Array {
  const model = engineOf(c);
  return model.predict(model.prepare(c.doses, { pd: c.times }), values).pd;
}

function rates(c: Case): PkRates {
  const v = c.values;
  return {
    compartments: c.compartments,
    cl: v.CL as number,
    v: v.V as number,
    q: v.Q ?? Number.NaN,
    v2: v.V2 ?? Number.NaN,
    ka: v.KA ?? Number.NaN,
    tlag: v.TLAG ?? 0,
  };
}

/** The concentration the direct model reads, in float64: C (direct) or Ce (effect compartment). */
function engineDriver(c: Case): Float64Array {
  const p = rates(c);
  const plan = planPk(scheduleDoses(c.doses), c.times, p.tlag);
  if (c.pd.family === 'effect-compartment') return effectSiteConcentration(plan, p, c.values.KE0 as number);
  const model = createStructuralModel({ pk: engineOf(c).spec.pk, pd: { family: 'direct', direction: 'increase', sigmoid: false } });
  return model.drivingConcentrations(model.prepare(c.doses, { pd: c.times }), c.values);
}

/**
 * The size of the terms of E (its condition): |E0| + |EMAX|·occ for an increase (EMAX may cancel E0),
 * |E| itself for a decrease (evaluated without cancellation).
 */
function responseScale(c: Case, driver: number): number {
  const v = c.values;
  const h = c.pd.sigmoid ? (v.HILL as number) : 1;
  if (c.pd.direction === 'increase') return Math.abs(v.E0 as number) + Math.abs(v.EMAX as number) * occupancy(driver, v.EC50 as number, h);
  return Math.abs(v.E0 as number) * (1 - (v.IMAX as number) * occupancy(driver, v.IC50 as number, h));
}

function parameterTensors(cases: readonly Case[]): PkPdTensorParameters {
  return parameterColumns(cases) as PkPdTensorParameters;
}

/** Responses of the cases as one batch, [N][T] (rows trimmed to each case's times). */
function tensorPredict(cases: readonly Case[]): number[][] {
  const batch = packPkBatch(cases);
  const p = parameterTensors(cases);
  const e = pdResponses({ compartments: cases[0].compartments }, cases[0].pd, p, batch);
  const rows = e.arraySync();
  e.dispose();
  disposeParameters(p);
  disposePkBatch(batch);
  return rows.map((row, n) => row.slice(0, cases[n].times.length));
}

/** Per-observation gradients d E[n][i] / d θ_n for each parameter of the cases' structure, [name][n][i]. */
function tensorGradients(cases: readonly Case[]): Map<ModelParameter, number[][]> {
  const batch = packPkBatch(cases);
  const p = parameterTensors(cases);
  const names = cases[0].names;
  const out = new Map<ModelParameter, number[][]>(names.map((name) => [name, cases.map(() => [] as number[])]));
  for (let i = 0; i < batch.times; i++) {
    const pick = tensor2d(
      cases.flatMap(() => Array.from({ length: batch.times }, (_, k) => (k === i ? 1 : 0))),
      [cases.length, batch.times],
    );
    const f = (...xs: Tensor[]): Tensor => {
      const q = Object.fromEntries(names.map((name, k) => [name, xs[k]])) as unknown as PkPdTensorParameters;
      return sum(mul(pdResponses({ compartments: cases[0].compartments }, cases[0].pd, q, batch), pick));
    };
    const gs = grads(f)(names.map((name) => (p as unknown as Record<string, Tensor>)[name]));
    gs.forEach((g, k) => {
      const values = g.dataSync();
      cases.forEach((c, n) => {
        if (i < c.times.length) out.get(names[k])![n].push(values[n]);
      });
      g.dispose();
    });
    pick.dispose();
  }
  disposeParameters(p);
  disposePkBatch(batch);
  return out;
}

/**
 * Central finite differences of the float64 engine, relative step `relative` (TLAG: absolute 1e-6),
 * and the size of their rounding noise: 1e-15 |E|max / h (E0 + EMAX·occ may be far larger than a
 * parameter's effect on it, e.g. KA's long after an oral dose).
 */
function engineGradient(c: Case, name: ModelParameter, relative = 1e-5): { fd: Float64Array; noise: number } {
  const x = c.values[name] as number;
  let h = name === 'TLAG' ? 1e-6 : relative * Math.abs(x);
  const up = { ...c.values, [name]: x + h };
  const down = { ...c.values, [name]: x - h };
  // IMAX at its bound 1: a one-sided difference (E is linear in IMAX, so it is as exact).
  if (name === 'IMAX' && x + h > 1) {
    up.IMAX = x;
    h /= 2;
    down.IMAX = x - 2 * h;
  }
  const a = enginePredict(c, up);
  const b = enginePredict(c, down);
  return { fd: a.map((u, i) => (u - b[i]) / (2 * h)), noise: (1e-15 * maxAbs(enginePredict(c))) / h };
}

beforeAll(async () => {
  await useCpuBackend();
});

describe('direct and effect-compartment PD in TF.js against the float64 engine', () => {
  const random = new SeedStream(31);
  const groups: Case[][] = [];
  for (const compartments of [1, 2] as const) {
    for (const scenario of DOSE_SCENARIOS) {
      for (const pd of PD_VARIANTS) {
        groups.push(
          Array.from({ length: 3 }, (_, k) => randomCase(random, compartments, scenario, pd, 2 + ((k * 3) % 5), 5 + ((k * 5) % 9))),
        );
      }
    }
  }

  it('gives the engine’s responses for every route × 1/2 compartments × family × direction × sigmoid (within 2e-6 of the terms’ size)', () => {
    let worst = 0;
    let checked = 0;
    for (const cases of groups) {
      const rows = tensorPredict(cases);
      cases.forEach((c, n) => {
        const expected = enginePredict(c);
        const driver = engineDriver(c);
        expected.forEach((e, i) => {
          worst = Math.max(worst, Math.abs(rows[n][i] - e) / responseScale(c, driver[i]));
          checked++;
        });
      });
    }
    expect(checked).toBeGreaterThan(1500);
    expect(worst).toBeLessThan(2e-6);
  });

  it('gives the engine’s effect-site concentrations Ce for every route (relative 1e-5)', () => {
    let worst = 0;
    let positive = 0;
    for (const cases of groups.filter(
      (g) => g[0].pd.family === 'effect-compartment' && !g[0].pd.sigmoid && g[0].pd.direction === 'increase',
    )) {
      const batch = packPkBatch(cases);
      const p = parameterTensors(cases);
      const ce = effectSiteConcentrations({ compartments: cases[0].compartments }, p, p.KE0 as Tensor1D, batch);
      const rows = ce.arraySync();
      ce.dispose();
      disposeParameters(p);
      disposePkBatch(batch);
      cases.forEach((c, n) => {
        engineDriver(c).forEach((e, i) => {
          if (e === 0) expect(rows[n][i]).toBe(0);
          else worst = Math.max(worst, Math.abs(rows[n][i] - e) / e);
          if (e > 0) positive++;
        });
      });
    }
    expect(positive).toBeGreaterThan(150);
    expect(worst).toBeLessThan(1e-5);
  });

  it('gives the gradients w.r.t. every PK and PD parameter as central differences of the engine (within 1e-4 of the largest)', () => {
    // Every PD variant with both compartment counts, on two of the five dose scenarios each (the values test covers all).
    const subset = groups.filter((_, g) => g % 5 === 0 || g % 5 === 3);
    const { worst, checked, seen } = gradientAgreement(subset, tensorGradients, (c, name) => {
      const { fd, noise } = engineGradient(c, name);
      // Relative to the parameter's largest effect on this subject's curve, or where that is lost in the
      // differences' rounding noise, to 1e4 × that noise (0: no effect, the gradient must be 0).
      return { fd, scale: maxAbs(fd) === 0 ? 0 : Math.max(maxAbs(fd), 1e4 * noise) };
    });
    expect(seen).toEqual(['CL', 'E0', 'EC50', 'EMAX', 'HILL', 'IC50', 'IMAX', 'KA', 'KE0', 'Q', 'TLAG', 'V', 'V2']);
    expect(checked).toBeGreaterThan(2000);
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('coincident rates and memory', () => {
  /** One compartment, CL/V = 0.25 exactly; KA and KE0 at or within 1e-6 of it and of each other; oral, bolus and infusion doses. */
  function coincidentCases(): Case[] {
    const doses: DoseEvent[] = [
      { time: 0, amount: 100, route: 'oral' },
      { time: 12, amount: 50, route: 'bolus' },
      { time: 24, amount: 80, route: 'infusion', duration: 2 },
      { time: 30, amount: 40, route: 'infusion', duration: 0.01 },
    ];
    const times = [0.5, 2, 6, 12, 13, 25, 26, 30.005, 40, 96];
    const pd: DirectPdStructure = { family: 'effect-compartment', direction: 'increase', sigmoid: true };
    const factors: [number, number][] = [
      [0, 0],
      [1e-6, 0],
      [0, -1e-6],
      [1e-6, -1e-6],
      [1e-7, 1e-7],
      [0.3, 0],
    ];
    return factors.map(([f, g]) => ({
      compartments: 1,
      pd,
      values: { CL: 1, V: 4, KA: 0.25 * (1 + f), TLAG: 0.25, E0: 10, EMAX: 50, EC50: 3, HILL: 1.5, KE0: 0.25 * (1 + g) },
      doses,
      times,
      names: ['CL', 'V', 'KA', 'TLAG', 'E0', 'EMAX', 'EC50', 'HILL', 'KE0'],
    }));
  }

  function twoCompartmentCoincident(): Case[] {
    const k10 = 0.2;
    const k12 = 0.3;
    const k21 = 0.1;
    const s = k10 + k12 + k21;
    const alpha = (s + Math.sqrt(s * s - 4 * k10 * k21)) / 2;
    const beta = (k10 * k21) / alpha;
    const doses: DoseEvent[] = [
      { time: 0, amount: 100, route: 'oral' },
      { time: 24, amount: 100, route: 'infusion', duration: 1 },
    ];
    const pd: DirectPdStructure = { family: 'effect-compartment', direction: 'decrease', sigmoid: false };
    return [
      [beta, beta * (1 + 1e-6)],
      [alpha * (1 - 1e-6), alpha],
      [beta, alpha],
    ].map(([ka, ke0]) => ({
      compartments: 2,
      pd,
      values: { CL: 2, V: 10, KA: ka, Q: 3, V2: 30, E0: 80, IMAX: 0.9, IC50: 2, KE0: ke0 },
      doses,
      times: [1, 4, 12, 24, 24.5, 30, 72],
      names: ['CL', 'V', 'KA', 'Q', 'V2', 'E0', 'IMAX', 'IC50', 'KE0'],
    }));
  }

  it('E₂ at and near coincidence (all three rates, two of them, none): float64 values within 5e-7', () => {
    // Reference: f[a, b, c] = Σ_i e^{−x_i s} / Π_{k≠i} (x_i − x_k) for well-separated rates; s² e^{−a s}/2 for a = b = c;
    // for a double rate p and a single q: (e^{−q s} − e^{−p s} + (q − p) s e^{−p s}) / (q − p)².
    const s = [0, 0.1, 1, 4, 20];
    const expected = (x: number, y: number, z: number, t: number): number => {
      const [a, b, c] = [x, y, z].sort((u, v) => u - v);
      if (t === 0) return 0;
      if (a === b && b === c) return (t * t * Math.exp(-a * t)) / 2;
      // A double rate p and a single q.
      const pair = (p: number, q: number): number =>
        (Math.exp(-q * t) - Math.exp(-p * t) + (q - p) * t * Math.exp(-p * t)) / ((q - p) * (q - p));
      if (a === b) return pair(a, c);
      if (b === c) return pair(b, a);
      return Math.exp(-a * t) / ((a - b) * (a - c)) + Math.exp(-b * t) / ((b - a) * (b - c)) + Math.exp(-c * t) / ((c - a) * (c - b));
    };
    const triples: [number, number, number][] = [
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 2],
      [2, 0.5, 0.5],
      [0.5, 2, 0.5],
      [0.1, 1, 3],
      [3, 0.1, 1],
      [0, 0.5, 0.5],
      [0, 0.3, 1.5],
    ];
    let worst = 0;
    for (const [a, b, c] of triples) {
      const st = tensor3d(s, [1, s.length, 1]);
      const [ta, tb, tc] = [scalar(a), scalar(b), scalar(c)];
      const values = secondDividedDecay(st, ta, tb, tc);
      const got = values.dataSync();
      s.forEach((t, i) => {
        const e = expected(a, b, c, t);
        if (e === 0) expect(got[i]).toBe(0);
        else worst = Math.max(worst, Math.abs(got[i] - e) / e);
      });
      [st, ta, tb, tc, values].forEach((x) => x.dispose());
    }
    expect(worst).toBeLessThan(5e-7);
  });

  it('E₂ far from coincidence, long after the dose (u = (hi − lo) s up to 2e4): finite values and gradients', () => {
    const st = tensor3d([0, 1, 100, 1000, 4000], [1, 5, 1]);
    const rates = [scalar(0.01), scalar(1), scalar(5)];
    const values = secondDividedDecay(st, rates[0], rates[1], rates[2]);
    const gs = grads((a: Tensor, b: Tensor, c: Tensor) => sum(secondDividedDecay(st, a, b, c)))(rates);
    for (const t of [values, ...gs]) t.dataSync().forEach((x) => expect(Number.isFinite(x)).toBe(true));
    // At s = 100 the slowest rate alone is left: e^{−0.01 s} / ((1 − 0.01)(5 − 0.01)).
    expect(values.dataSync()[2]).toBeCloseTo(Math.exp(-1) / (0.99 * 4.99), 6);
    [st, ...rates, values, ...gs].forEach((x) => x.dispose());
  });

  /** E from the ODE reference's Ce (no partial fractions: no poles at coincident rates, nothing nudged). */
  function referenceResponse(c: Case, v: ParameterValues = c.values): number[] {
    const model = { compartments: c.compartments, cl: v.CL!, v: v.V!, q: v.Q, v2: v.V2, ka: v.KA, tlag: v.TLAG, ke0: v.KE0 };
    const ce = solveReference(model, c.doses, Array.from(c.times)).ce;
    const increase = c.pd.direction === 'increase';
    const p = {
      direction: c.pd.direction,
      e0: v.E0!,
      max: (increase ? v.EMAX : v.IMAX)!,
      c50: (increase ? v.EC50 : v.IC50)!,
      hill: c.pd.sigmoid ? v.HILL! : 1,
    };
    return Array.from(directEffect(p, ce));
  }

  it('KA and KE0 equal to or within 1e-6 of CL/V (or of β, α): finite, equal to the ODE reference (values and central differences)', () => {
    let worstValue = 0;
    let worstGradient = 0;
    for (const cases of [coincidentCases(), twoCompartmentCoincident()]) {
      const rows = tensorPredict(cases);
      const gradients = tensorGradients(cases);
      cases.forEach((c, n) => {
        const expected = referenceResponse(c);
        const ce = engineDriver(c);
        rows[n].forEach((e, i) => {
          expect(Number.isFinite(e)).toBe(true);
          worstValue = Math.max(worstValue, Math.abs(e - expected[i]) / responseScale(c, ce[i]));
        });
        for (const name of c.names) {
          // Relative step 1e-4: the reference's tolerance (1e-11) stays far below the differences.
          const x = c.values[name] as number;
          const h = name === 'TLAG' ? 1e-4 : 1e-4 * x;
          const up = referenceResponse(c, { ...c.values, [name]: x + h });
          const down = referenceResponse(c, { ...c.values, [name]: x - h });
          const fd = up.map((u, i) => (u - down[i]) / (2 * h));
          const g = gradients.get(name)![n];
          const scale = maxAbs(fd);
          g.forEach((x, i) => {
            expect(Number.isFinite(x)).toBe(true);
            worstGradient = Math.max(worstGradient, Math.abs(x - fd[i]) / scale);
          });
        }
      });
    }
    expect(worstValue).toBeLessThan(2e-6);
    expect(worstGradient).toBeLessThan(1e-5);
  });

  it('leaves no tensors behind (values and gradients)', () => {
    const before = memory().numTensors;
    tensorPredict(coincidentCases());
    tensorGradients(twoCompartmentCoincident());
    expect(memory().numTensors).toBe(before);
  });

  it('refuses missing PD parameters, naming them, and an unresolved ("auto") family', () => {
    const batch = packPkBatch([{ doses: [{ time: 0, amount: 10, route: 'bolus' }], times: [1] }]);
    const p = { CL: tensor1d([1]), V: tensor1d([4]), E0: tensor1d([1]), EMAX: tensor1d([2]), EC50: tensor1d([3]) };
    expect(() =>
      pdResponses({ compartments: 1 }, { family: 'effect-compartment', direction: 'increase', sigmoid: false }, p, batch),
    ).toThrow(/needs KE0/);
    expect(() => pdResponses({ compartments: 1 }, { family: 'direct', direction: 'decrease', sigmoid: false }, p, batch)).toThrow(
      /needs IMAX/,
    );
    expect(() => pdResponses({ compartments: 1 }, { family: 'direct', direction: 'increase', sigmoid: true }, p, batch)).toThrow(
      /needs HILL/,
    );
    expect(() => pdResponses({ compartments: 1 }, { family: 'auto' }, p, batch)).toThrow(/"auto" cannot be evaluated/);
    disposeParameters(p);
    disposePkBatch(batch);
  });
});

describe('the wasm backend', () => {
  it('gives the cpu backend’s responses for every PD variant (within 1e-5 of the terms’ size)', async () => {
    const random = new SeedStream(17);
    const groups = PD_VARIANTS.flatMap((pd) => [1, 2].map((k) => [0, 1].map(() => randomCase(random, k as 1 | 2, 'mixed', pd, 4, 10))));
    const cpu = groups.map((cases) => tensorPredict(cases));
    expect(await setBackend('wasm')).toBe(true);
    try {
      expect(getBackend()).toBe('wasm');
      let worst = 0;
      groups.forEach((cases, g) => {
        const rows = tensorPredict(cases);
        cases.forEach((c, n) => {
          const driver = engineDriver(c);
          rows[n].forEach((e, i) => (worst = Math.max(worst, Math.abs(e - cpu[g][n][i]) / responseScale(c, driver[i]))));
        });
      });
      expect(worst).toBeLessThan(1e-5);
    } finally {
      await useCpuBackend();
    }
  });
});
