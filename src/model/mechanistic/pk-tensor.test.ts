/**
 * The TF.js closed-form PK against its float64 twin (../../pkpd/structural `createStructuralModel`):
 * values, gradients against central finite differences of the twin, batching with padding, the
 * coincident-rate case, the lag's kink, tensor leaks, and the wasm backend against cpu.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { getBackend, grads, memory, mul, setBackend, sum, tensor1d, tensor2d } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DoseEvent } from '../../pkpd/structural/doses';
import { createStructuralModel, type ParameterValues } from '../../pkpd/structural/structural-model';
import type { ModelParameter } from '../../study/study-spec';
import { SeedStream } from '../random';
import { useCpuBackend } from '../test-support';
import {
  DOSE_SCENARIOS,
  type DoseScenario,
  disposeParameters,
  parameterColumns,
  randomDosesAndTimes,
  randomPkValues,
  useNodeWasmPaths,
} from './test-support';
import { disposePkBatch, packPkBatch, pkConcentrations, type PkSubject, type PkTensorParameters } from './pk-tensor';

useNodeWasmPaths();

interface Case extends PkSubject {
  compartments: 1 | 2;
  values: ParameterValues;
  /** The parameters of the twin's structure, in its order. */
  names: ModelParameter[];
}

function twinOf(c: Case) {
  const oral = c.doses.some((d) => d.route === 'oral');
  const lag = c.values.TLAG !== undefined;
  return createStructuralModel({ pk: { route: oral ? 'oral' : 'iv', compartments: c.compartments, lag } });
}

function randomCase(random: SeedStream, compartments: 1 | 2, scenario: DoseScenario, doseCount: number, timeCount: number): Case {
  const { values, routes } = randomPkValues(random, compartments, scenario);
  const { doses, times } = randomDosesAndTimes(random, routes, doseCount, timeCount);
  const c: Case = { compartments, values, doses, times, names: [] };
  c.names = [...twinOf(c).parameters];
  return c;
}

function twinPredict(c: Case, values: ParameterValues = c.values): Float64Array {
  const model = twinOf(c);
  return model.predict(model.prepare(c.doses, { pk: c.times }), values).pk;
}

function parameterTensors(cases: readonly Case[]): PkTensorParameters {
  return parameterColumns(cases) as PkTensorParameters;
}

/** Concentrations of the cases as one batch, [N][T] (rows trimmed to each case's times). */
function tensorPredict(cases: readonly Case[]): number[][] {
  const batch = packPkBatch(cases);
  const p = parameterTensors(cases);
  const c = pkConcentrations({ compartments: cases[0].compartments }, p, batch);
  const rows = c.arraySync();
  c.dispose();
  disposeParameters(p);
  disposePkBatch(batch);
  return rows.map((row, n) => row.slice(0, cases[n].times.length));
}

/** Per-observation gradients d C[n][i] / d θ_n for each parameter of the cases' structure, [name][n][i]. */
function tensorGradients(cases: readonly Case[]): Map<ModelParameter, number[][]> {
  const batch = packPkBatch(cases);
  const p = parameterTensors(cases);
  const names = Object.keys(p) as (keyof PkTensorParameters)[];
  const out = new Map<ModelParameter, number[][]>(names.map((name) => [name, cases.map(() => [] as number[])]));
  for (let i = 0; i < batch.times; i++) {
    const pick = tensor2d(
      cases.flatMap(() => Array.from({ length: batch.times }, (_, k) => (k === i ? 1 : 0))),
      [cases.length, batch.times],
    );
    const f = (...xs: Tensor[]): Tensor => {
      const q = Object.fromEntries(names.map((name, k) => [name, xs[k]])) as unknown as PkTensorParameters;
      return sum(mul(pkConcentrations({ compartments: cases[0].compartments }, q, batch), pick));
    };
    const gs = grads(f)(names.map((name) => p[name] as Tensor));
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

/** Central finite differences of the float64 twin, relative step 1e-5 (TLAG: absolute 1e-6). */
function twinGradient(c: Case, name: ModelParameter): Float64Array {
  const x = c.values[name] as number;
  const h = name === 'TLAG' ? 1e-6 : 1e-5 * x;
  const up = twinPredict(c, { ...c.values, [name]: x + h });
  const down = twinPredict(c, { ...c.values, [name]: x - h });
  return up.map((u, i) => (u - down[i]) / (2 * h));
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/** Largest |actual − expected| / |expected| (0/0 counts as 0). */
function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const d = Math.abs(actual[i] - e);
    worst = Math.max(worst, d === 0 ? 0 : d / Math.abs(e));
  }
  return worst;
}

beforeAll(async () => {
  await useCpuBackend();
});

describe('closed-form PK in TF.js against the float64 twin', () => {
  const random = new SeedStream(13);
  const groups: { compartments: 1 | 2; scenario: DoseScenario; cases: Case[] }[] = [];
  for (const compartments of [1, 2] as const) {
    for (const scenario of DOSE_SCENARIOS) {
      const cases = Array.from({ length: 5 }, (_, k) => randomCase(random, compartments, scenario, 2 + ((k * 3) % 5), 6 + ((k * 5) % 9)));
      groups.push({ compartments, scenario, cases });
    }
  }

  it('gives the twin’s concentrations for every route, 1 and 2 compartments, with and without lag (relative 1e-5)', () => {
    let worst = 0;
    let positive = 0;
    for (const { cases } of groups) {
      const rows = tensorPredict(cases);
      cases.forEach((c, n) => {
        const expected = twinPredict(c);
        worst = Math.max(worst, worstRelative(rows[n], expected));
        positive += expected.filter((v) => v > 0).length;
        // Exactly zero where nothing has been given (before the first dose or its lag).
        expected.forEach((v, i) => {
          if (v === 0) expect(rows[n][i]).toBe(0);
        });
      });
    }
    expect(positive).toBeGreaterThan(300);
    expect(worst).toBeLessThan(1e-5);
  });

  it('gives the gradients w.r.t. every parameter as central differences of the twin (within 1e-4 of the largest)', () => {
    let worst = 0;
    let checked = 0;
    for (const { cases } of groups) {
      const gradients = tensorGradients(cases);
      cases.forEach((c, n) => {
        expect([...gradients.keys()].sort()).toEqual([...c.names].sort());
        for (const name of c.names) {
          const fd = twinGradient(c, name);
          const g = gradients.get(name)![n];
          // Relative to the parameter's largest effect on this subject's curve (a derivative crosses zero somewhere).
          const scale = maxAbs(fd);
          if (scale === 0) {
            g.forEach((v) => expect(Math.abs(v)).toBe(0));
            continue;
          }
          g.forEach((v, i) => {
            expect(Number.isFinite(v)).toBe(true);
            worst = Math.max(worst, Math.abs(v - fd[i]) / scale);
            checked++;
          });
        }
      });
    }
    expect(checked).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(1e-4);
  });

  it('keeps its precision late in a long study (times near 5000 h: elapsed times are subtracted in float64)', () => {
    const late = new SeedStream(5);
    const cases = Array.from({ length: 4 }, () => {
      const c = randomCase(late, 2, 'mixed', 6, 12);
      c.doses.forEach((d) => (d.time += 4900));
      c.times = Array.from(c.times, (t) => t + 4900.001);
      return c;
    });
    const rows = tensorPredict(cases);
    cases.forEach((c, n) => expect(worstRelative(rows[n], twinPredict(c))).toBeLessThan(1e-5));
  });

  it('a batch of subjects with different numbers of doses and times gives what each gives alone', () => {
    const cases = groups.find((g) => g.compartments === 2 && g.scenario === 'mixed')!.cases;
    expect(new Set(cases.map((c) => c.doses.length)).size).toBeGreaterThan(1);
    expect(new Set(cases.map((c) => c.times.length)).size).toBeGreaterThan(1);
    const batch = packPkBatch(cases);
    const p = parameterTensors(cases);
    const together = pkConcentrations({ compartments: 2 }, p, batch).arraySync();
    disposeParameters(p);
    disposePkBatch(batch);
    cases.forEach((c, n) => {
      const alone = tensorPredict([c])[0];
      alone.forEach((v, i) => expect(Math.abs(together[n][i] - v)).toBeLessThanOrEqual(1e-6 * Math.abs(v)));
      // Padded observations are exactly zero.
      for (let i = c.times.length; i < together[n].length; i++) expect(together[n][i]).toBe(0);
    });
  });
});

describe('coincident rates, the lag’s kink and memory', () => {
  /** Oral (1 and 2 compartments) and a short infusion of a slow drug, KA at and within 1e-6 of a disposition rate. */
  function coincidentCases(): Case[] {
    const doses: DoseEvent[] = [
      { time: 0, amount: 100, route: 'oral' },
      { time: 12, amount: 50, route: 'oral' },
      { time: 24, amount: 80, route: 'infusion', duration: 0.01 },
    ];
    const times = [0.5, 2, 6, 12, 13, 24.005, 30, 48];
    const cases: Case[] = [];
    // 1 compartment: k = CL/V = 0.25 exactly in float32; KA = k, k(1 ± 1e-6), k(1 + 1e-7).
    for (const f of [0, 1e-6, -1e-6, 1e-7]) {
      const values = { CL: 1, V: 4, KA: 0.25 * (1 + f), TLAG: 0.25 };
      cases.push({ compartments: 1, values, doses, times, names: ['CL', 'V', 'KA', 'TLAG'] });
    }
    return cases;
  }

  function twoCompartmentCoincident(which: 0 | 1, f: number): Case {
    const values: ParameterValues = { CL: 2, V: 10, Q: 3, V2: 30 };
    const k10 = 0.2;
    const k12 = 0.3;
    const k21 = 0.1;
    const sum0 = k10 + k12 + k21;
    const alpha = (sum0 + Math.sqrt(sum0 * sum0 - 4 * k10 * k21)) / 2;
    const beta = (k10 * k21) / alpha;
    values.KA = (which === 0 ? beta : alpha) * (1 + f);
    const doses: DoseEvent[] = [
      { time: 0, amount: 100, route: 'oral' },
      { time: 24, amount: 100, route: 'oral' },
    ];
    return { compartments: 2, values, doses, times: [1, 4, 12, 24, 30, 72], names: ['CL', 'V', 'KA', 'Q', 'V2'] };
  }

  it('KA equal to or within 1e-6 of CL/V (or of β, α): finite values and gradients, equal to the twin', () => {
    const oneCompartment = coincidentCases();
    const twoCompartments = [twoCompartmentCoincident(0, 1e-6), twoCompartmentCoincident(1, -1e-6), twoCompartmentCoincident(0, 0)];
    for (const cases of [oneCompartment, twoCompartments]) {
      const rows = tensorPredict(cases);
      const gradients = tensorGradients(cases);
      cases.forEach((c, n) => {
        rows[n].forEach((v) => expect(Number.isFinite(v)).toBe(true));
        expect(worstRelative(rows[n], twinPredict(c))).toBeLessThan(1e-5);
        for (const name of c.names) {
          const fd = twinGradient(c, name);
          const g = gradients.get(name)![n];
          const scale = maxAbs(fd);
          g.forEach((v, i) => {
            expect(Number.isFinite(v)).toBe(true);
            expect(Math.abs(v - fd[i])).toBeLessThan(1e-3 * scale);
          });
        }
      });
    }
  });

  it('at an observation exactly at dose time + TLAG the TLAG gradient is the one-sided 0 (not yet absorbed), just after it the slope', () => {
    const c: Case = {
      compartments: 1,
      values: { CL: 1, V: 4, KA: 2, TLAG: 0.5 },
      doses: [{ time: 1, amount: 100, route: 'oral' }],
      times: [1.5, 1.5 + 1 / 1024],
      names: ['CL', 'V', 'KA', 'TLAG'],
    };
    const g = tensorGradients([c]).get('TLAG')![0];
    expect(Math.abs(g[0])).toBe(0);
    // Just after the kink dC/dTLAG ≈ −A·KA/V = −50.
    expect(g[1]).toBeLessThan(-40);
    expect(g[1]).toBeCloseTo(twinGradient(c, 'TLAG')[1], 1);
  });

  it('leaves no tensors behind (values and gradients)', () => {
    const cases = coincidentCases();
    const before = memory().numTensors;
    tensorPredict(cases);
    tensorGradients(cases);
    tensorGradients([twoCompartmentCoincident(0, 1e-6)]);
    expect(memory().numTensors).toBe(before);
  });

  it('refuses steady-state doses and oral doses without KA, naming the subject', () => {
    const ss: PkSubject = { doses: [{ time: 0, amount: 10, route: 'oral', steadyState: { interval: 24 } }], times: [1] };
    expect(() => packPkBatch([{ doses: [], times: [1] }, ss])).toThrow(/Subject 2: dose 1 .*steady-state/);
    const batch = packPkBatch([{ doses: [{ time: 0, amount: 10, route: 'oral' }], times: [1] }]);
    const p = { CL: tensor1d([1]), V: tensor1d([4]) };
    expect(() => pkConcentrations({ compartments: 1 }, p, batch)).toThrow(/oral doses, but no absorption rate KA/);
    disposeParameters(p);
    disposePkBatch(batch);
  });
});

describe('the wasm backend', () => {
  it('gives the cpu backend’s concentrations (relative 1e-5)', async () => {
    const random = new SeedStream(7);
    const cases = [1, 2].flatMap((k) =>
      DOSE_SCENARIOS.filter((s) => s === 'mixed' || s === 'oral-lag').map((s) => randomCase(random, k as 1 | 2, s, 4, 10)),
    );
    const ones = cases.filter((c) => c.compartments === 1);
    const twos = cases.filter((c) => c.compartments === 2);
    const cpu = [tensorPredict(ones), tensorPredict(twos)];
    expect(await setBackend('wasm')).toBe(true);
    try {
      expect(getBackend()).toBe('wasm');
      const wasm = [tensorPredict(ones), tensorPredict(twos)];
      wasm.forEach((rows, k) => rows.forEach((row, n) => expect(worstRelative(row, cpu[k][n])).toBeLessThan(1e-5)));
    } finally {
      await useCpuBackend();
    }
  });
});
