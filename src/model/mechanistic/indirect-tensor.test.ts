/**
 * The TF.js indirect-response PD against the float64 engine (../../pkpd/structural
 * `createStructuralModel` with the indirect family): values for the four types × sigmoid × 1/2
 * compartments × every dose route (cpu and wasm backends), placebo, gradients w.r.t. every PK and PD
 * parameter against central finite differences of the engine, grid refinement, stiff KOUT, refusals
 * and tensor leaks.
 *
 * The engine runs on a finer grid than its default (`ENGINE_GRID`: panels ≤ 0.5 h, 0.05 h after each
 * input change): on its default grid (panels growing to 24 h) it is itself off by up to ~1.5e-5 of
 * the effect's range in these cases (checked against the ODE reference of ../../pkpd/structural/
 * test-ts), more than the TF.js model; on the finer one, by less than 1e-6 of it.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { getBackend, grads, memory, mul, setBackend, sum, tensor1d, tensor2d } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParameterValues } from '../../pkpd/structural/structural-model';
import { INDIRECT_TYPES, type IndirectType, type ModelParameter } from '../../study/study-spec';
import { SeedStream } from '../random';
import { useCpuBackend } from '../test-support';
import { indirectResponses, type IndirectOptions, type IndirectPdStructure } from './indirect-tensor';
import { pdResponses, type PkPdTensorParameters } from './pd-tensor';
import { disposePkBatch, packPkBatch, type PkSubject } from './pk-tensor';
import {
  batchRows,
  between,
  disposeParameters,
  DOSE_SCENARIOS,
  type DoseScenario,
  gradientAgreement,
  maxAbs,
  parameterColumns,
  randomDosesAndTimes,
  randomPkValues,
  twinModel,
  useNodeWasmPaths,
} from './test-support';

useNodeWasmPaths();

interface Case extends PkSubject {
  compartments: 1 | 2;
  scenario: DoseScenario;
  pd: IndirectPdStructure;
  values: ParameterValues;
  /** The parameters of the engine's structure, in its order. */
  names: ModelParameter[];
}

const ENGINE_GRID = { firstPanel: 0.05, maxPanel: 0.5 };

const engineOf = (c: Case) => twinModel(c, c.pd, { grid: ENGINE_GRID });

function randomCase(
  random: SeedStream,
  compartments: 1 | 2,
  scenario: DoseScenario,
  pd: IndirectPdStructure,
  doseCount: number,
  timeCount: number,
): Case {
  const { values, routes } = randomPkValues(random, compartments, scenario);
  values.BASE = between(random, 5, 100);
  values.KOUT = between(random, 0.05, 1);
  if (pd.type.startsWith('inhibit')) {
    values.IMAX = random.uniform() < 0.3 ? 1 : between(random, 0.3, 1);
    values.IC50 = between(random, 0.3, 8);
  } else {
    values.EMAX = between(random, 0.3, 3);
    values.EC50 = between(random, 0.3, 8);
  }
  if (pd.sigmoid) values.HILL = between(random, 0.5, 4);
  const { doses, times } = randomDosesAndTimes(random, routes, doseCount, timeCount);
  const c: Case = { compartments, scenario, pd, values, doses, times, names: [] };
  c.names = [...engineOf(c).parameters];
  return c;
}

function enginePredict(c: Case, values: ParameterValues = c.values): Float64Array {
  const model = engineOf(c);
  return model.predict(model.prepare(c.doses, { pd: c.times }), values).pd;
}

const tensorsOf = (cases: readonly Case[]): PkPdTensorParameters => parameterColumns(cases) as PkPdTensorParameters;

/** Responses of the cases as one batch, [N][T] (rows trimmed to each case's times). */
function tensorPredict(cases: readonly Case[], options?: IndirectOptions): number[][] {
  return batchRows(cases, (p: PkPdTensorParameters, batch) =>
    indirectResponses({ compartments: cases[0].compartments }, cases[0].pd, p, batch, options),
  );
}

/**
 * Per-observation gradients d R[n][i] / d θ_n for each parameter of the cases' structure, [name][n][i],
 * from one `grads` call: each case is repeated once per observation, copy i reading only R[i].
 */
function tensorGradients(cases: readonly Case[]): Map<ModelParameter, number[][]> {
  const rows = cases.flatMap((c, n) => Array.from(c.times, (_, i) => ({ n, i })));
  const copies = rows.map(({ n }) => cases[n]);
  const batch = packPkBatch(copies);
  const p = tensorsOf(copies);
  const names = cases[0].names;
  const pick = tensor2d(
    rows.flatMap(({ i }) => Array.from({ length: batch.times }, (_, k) => (k === i ? 1 : 0))),
    [rows.length, batch.times],
  );
  const f = (...xs: Tensor[]): Tensor => {
    const q = Object.fromEntries(names.map((name, k) => [name, xs[k]])) as unknown as PkPdTensorParameters;
    return sum(mul(indirectResponses({ compartments: cases[0].compartments }, cases[0].pd, q, batch), pick));
  };
  const gs = grads(f)(names.map((name) => (p as unknown as Record<string, Tensor>)[name]));
  const out = new Map<ModelParameter, number[][]>(names.map((name) => [name, cases.map(() => [] as number[])]));
  gs.forEach((g, k) => {
    const values = g.dataSync();
    rows.forEach(({ n }, r) => out.get(names[k])![n].push(values[r]));
    g.dispose();
  });
  pick.dispose();
  disposeParameters(p);
  disposePkBatch(batch);
  return out;
}

/** The drug effect on a subject's curve: max |R − BASE| over its times (0 for a subject never reached by drug). */
function effectRange(c: Case, r: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < r.length; i++) m = Math.max(m, Math.abs(r[i] - (c.values.BASE as number)));
  return m;
}

/**
 * Values: 1e-5 of the drug effect's range (max |R − BASE|), plus an absolute floor of 2^-20 BASE: R is
 * float32 and carries BASE, so a few of its ulps remain where the effect is tiny. The errors measured
 * (cpu and wasm, maxStep 0.5 and 0.25) stay below 0.11 of this allowance: float32 rounding of C, D and
 * the scan, the scheme's own error being smaller (it does not change when maxStep is halved).
 */
const VALUE_TOLERANCE = 1e-5;
const FLOAT_FLOOR = 2 ** -20;

/** The error allowed at each time of a subject's curve (the engine's responses `expected`). */
function allowedError(c: Case, expected: ArrayLike<number>): number {
  return VALUE_TOLERANCE * effectRange(c, expected) + FLOAT_FLOOR * (c.values.BASE as number);
}

/** Largest |R − engine| / allowedError over the groups, the number of values compared, and how many subjects moved by ≥ 1 % of BASE. */
function compareWithEngine(groups: readonly Case[][], options?: IndirectOptions): { worst: number; checked: number; moved: number } {
  let worst = 0;
  let checked = 0;
  let moved = 0;
  for (const cases of groups) {
    const rows = tensorPredict(cases, options);
    cases.forEach((c, n) => {
      const expected = enginePredict(c);
      const allowed = allowedError(c, expected);
      if (effectRange(c, expected) >= 0.01 * (c.values.BASE as number)) moved++;
      expected.forEach((e, i) => {
        worst = Math.max(worst, Math.abs(rows[n][i] - e) / allowed);
        checked++;
      });
    });
  }
  return { worst, checked, moved };
}

/**
 * Central finite differences of the float64 engine, relative step 1e-5 (TLAG: absolute 1e-6; IMAX at
 * its bound 1: one-sided, R is smooth in IMAX there).
 */
function engineGradient(c: Case, name: ModelParameter): Float64Array {
  const x = c.values[name] as number;
  const h = name === 'TLAG' ? 1e-6 : 1e-5 * Math.abs(x);
  const [hi, lo] = name === 'IMAX' && x + h > 1 ? [x, x - h] : [x + h, x - h];
  const up = enginePredict(c, { ...c.values, [name]: hi });
  const down = enginePredict(c, { ...c.values, [name]: lo });
  return up.map((u, i) => (u - down[i]) / (hi - lo));
}

const VARIANTS: IndirectPdStructure[] = INDIRECT_TYPES.flatMap((type: IndirectType) =>
  [false, true].map((sigmoid) => ({ family: 'indirect' as const, type, sigmoid })),
);

beforeAll(async () => {
  await useCpuBackend();
});

describe('indirect responses in TF.js against the float64 engine', () => {
  const random = new SeedStream(41);
  const groups: Case[][] = [];
  for (const compartments of [1, 2] as const) {
    for (const scenario of DOSE_SCENARIOS) {
      for (const pd of VARIANTS) {
        groups.push(Array.from({ length: 2 }, (_, k) => randomCase(random, compartments, scenario, pd, 2 + k * 2, 6 + k * 3)));
      }
    }
  }

  it('gives the engine’s responses: four types × sigmoid × 1/2 compartments × every route (within 1e-5 of the effect’s range)', () => {
    const { worst, checked, moved } = compareWithEngine(groups);
    expect(checked).toBeGreaterThan(1000);
    // Most subjects are reached by the drug (a flat curve would compare BASE with BASE).
    expect(moved).toBeGreaterThan(100);
    expect(worst).toBeLessThan(1);
  });

  it('moves by less than the tolerance when maxStep is halved (the grid resolves the response)', () => {
    let worst = 0;
    for (const cases of groups.filter((_, g) => g % 4 === 1)) {
      const coarse = tensorPredict(cases);
      const fine = tensorPredict(cases, { maxStep: 0.25 });
      cases.forEach((c, n) => {
        const allowed = allowedError(c, enginePredict(c));
        coarse[n].forEach((r, i) => (worst = Math.max(worst, Math.abs(r - fine[n][i]) / allowed)));
      });
    }
    expect(worst).toBeLessThan(1);
  });

  it('gives the gradients w.r.t. every PK and PD parameter as central differences of the engine (within 3e-4 of the largest)', () => {
    // One group per PD variant, compartments and routes in turn (every parameter of every structure is seen).
    const scenarios: DoseScenario[] = ['mixed', 'oral-lag', 'bolus', 'infusion'];
    const subset = VARIANTS.map((pd, v) => {
      const compartments = 1 + (Math.floor(v / 2) % 2);
      const scenario = scenarios[(v + Math.floor(v / 4)) % 4];
      return groups.find((g) => g[0].pd === pd && g[0].compartments === compartments && g[0].scenario === scenario) as Case[];
    });
    const { worst, checked, seen } = gradientAgreement(subset, tensorGradients, (c, name) => {
      const fd = engineGradient(c, name);
      return { fd, scale: maxAbs(fd) };
    });
    expect(seen).toEqual(['BASE', 'CL', 'EC50', 'EMAX', 'HILL', 'IC50', 'IMAX', 'KA', 'KOUT', 'Q', 'TLAG', 'V', 'V2']);
    expect(checked).toBeGreaterThan(500);
    // Measured 6e-5 (TLAG: a time shift of the steep start of absorption; the others 2e-5 or less):
    // float32 backpropagation and the scheme's error in the derivative, with a 5-fold margin.
    expect(worst).toBeLessThan(3e-4);
  });
});

describe('placebo, stiff responses, options and memory', () => {
  const pd: IndirectPdStructure = { family: 'indirect', type: 'inhibit-loss', sigmoid: true };
  const values: ParameterValues = { CL: 2, V: 10, KA: 1.2, TLAG: 0.5, BASE: 37.3, KOUT: 0.3, IMAX: 0.8, IC50: 1.5, HILL: 2 };
  const names: ModelParameter[] = ['CL', 'V', 'KA', 'TLAG', 'BASE', 'KOUT', 'IMAX', 'IC50', 'HILL'];
  const subject = (doses: Case['doses'], times: number[], v: ParameterValues = values): Case => ({
    compartments: 1,
    scenario: 'mixed',
    pd,
    values: v,
    doses,
    times,
    names,
  });
  const dosed = subject(
    [
      { time: 2, amount: 100, route: 'oral' },
      { time: 30, amount: 50, route: 'infusion', duration: 2 },
    ],
    [0, 1, 2, 2.5, 2.75, 6, 24, 31, 48],
  );

  it('stays exactly at BASE without doses, and before the first input, beside a dosed subject', () => {
    const placebo = subject([], [0, 1, 12, 48]);
    const rows = tensorPredict([placebo, dosed]);
    const base = Math.fround(values.BASE as number);
    rows[0].forEach((r) => expect(r).toBe(base));
    // Times up to the oral dose + TLAG (2.5) see no drug; after it R has moved.
    expect(rows[1].slice(0, 4)).toEqual([base, base, base, base]);
    expect(rows[1][4]).not.toBe(base);
    const engine = enginePredict(dosed);
    rows[1].forEach((r, i) => expect(Math.abs(r - engine[i])).toBeLessThan(allowedError(dosed, engine)));
  });

  it('refines the grid for a fast KOUT (stimulate-loss: KOUT (1 + EMAX)), as the engine does', () => {
    const stiff = {
      ...subject(dosed.doses, [1, 2.6, 3, 4, 8, 20, 32, 36]),
      pd: { family: 'indirect', type: 'stimulate-loss', sigmoid: false } as IndirectPdStructure,
      values: { CL: 2, V: 10, KA: 1.2, TLAG: 0.5, BASE: 20, KOUT: 4, EMAX: 3, EC50: 2 },
      names: ['CL', 'V', 'KA', 'TLAG', 'BASE', 'KOUT', 'EMAX', 'EC50'] as ModelParameter[],
    };
    const expected = enginePredict(stiff);
    const allowed = allowedError(stiff, expected);
    const error = (options?: IndirectOptions): number => {
      const [row] = tensorPredict([stiff], options);
      return Math.max(...row.map((r, i) => Math.abs(r - expected[i]) / allowed));
    };
    expect(error()).toBeLessThan(1);
    // Without the refinement (KOUT (1 + EMAX) × 0.5 = 8 per panel) the quadrature is visibly off.
    expect(error({ stiffnessLimit: 1e6 })).toBeGreaterThan(10);
  });

  it('is what pdResponses gives for an indirect spec', () => {
    const cases = [dosed, subject([{ time: 0, amount: 80, route: 'bolus' }], [1, 5, 20])];
    const batch = packPkBatch(cases);
    const p = tensorsOf(cases);
    const a = indirectResponses({ compartments: 1 }, pd, p, batch);
    const b = pdResponses({ compartments: 1 }, pd, p, batch);
    expect(b.arraySync()).toEqual(a.arraySync());
    expect(() => pdResponses({ compartments: 1 }, { family: 'auto' }, p, batch)).toThrow(/"auto" cannot be evaluated/);
    [a, b].forEach((t) => t.dispose());
    disposeParameters(p);
    disposePkBatch(batch);
  });

  it('refuses missing parameters, bad options, non-finite values and a runaway grid, naming them', () => {
    const batch = packPkBatch([dosed]);
    const p = tensorsOf([dosed]);
    const run = (q: PkPdTensorParameters, options?: IndirectOptions, structure: IndirectPdStructure = pd) =>
      indirectResponses({ compartments: 1 }, structure, q, batch, options);
    expect(() => run({ ...p, KOUT: undefined })).toThrow(/needs KOUT/);
    expect(() => run({ ...p, HILL: undefined })).toThrow(/needs HILL/);
    expect(() => run(p, undefined, { family: 'indirect', type: 'stimulate-production' })).toThrow(/needs EMAX/);
    expect(() => run(p, { maxStep: 0 })).toThrow(/maxStep is 0/);
    const nan = tensor1d([Number.NaN]);
    expect(() => run({ ...p, TLAG: nan })).toThrow(/Subject 1: TLAG is NaN/);
    const fast = tensor1d([1e6]);
    expect(() => run({ ...p, KOUT: fast })).toThrow(/Subject 1: .*more than 20000/);
    [nan, fast].forEach((t) => t.dispose());
    disposeParameters(p);
    disposePkBatch(batch);
  });

  it('leaves no tensors behind (values, gradients, refusals)', () => {
    const before = memory().numTensors;
    tensorPredict([dosed, subject([], [1])]);
    tensorGradients([dosed]);
    // A refusal after the host read (the runaway grid) disposes what it made too.
    const batch = packPkBatch([dosed]);
    const p = tensorsOf([dosed]);
    const fast = tensor1d([1e6]);
    expect(() => indirectResponses({ compartments: 1 }, pd, { ...p, KOUT: fast }, batch)).toThrow(/more than 20000/);
    [fast, ...Object.values(p)].forEach((t: Tensor) => t.dispose());
    disposePkBatch(batch);
    expect(memory().numTensors).toBe(before);
  });
});

describe('the wasm backend', () => {
  it('gives the engine’s responses: every type × sigmoid × 1/2 compartments, mixed routes (within 1e-5 of the range)', async () => {
    const random = new SeedStream(17);
    const groups = VARIANTS.flatMap((pd) => ([1, 2] as const).map((k) => [0, 1].map(() => randomCase(random, k, 'mixed', pd, 4, 8))));
    expect(await setBackend('wasm')).toBe(true);
    try {
      expect(getBackend()).toBe('wasm');
      const { worst, checked, moved } = compareWithEngine(groups);
      expect(checked).toBe(8 * 2 * 2 * 8);
      expect(moved).toBeGreaterThan(20);
      expect(worst).toBeLessThan(1);
    } finally {
      await useCpuBackend();
    }
  });
});
