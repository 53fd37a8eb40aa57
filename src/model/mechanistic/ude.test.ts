/**
 * The experimental UDE (ude.ts, ude-fit.ts): with g ≡ 0 against the float64 engine's indirect
 * response, a placebo subject exactly at BASE, gradients against central differences, refusals,
 * periodicity, tensor leaks, and the experiment with a known truth (testing/hill-truth.ts).
 */
import '@tensorflow/tfjs-backend-cpu';
import { div, mean, memory, setBackend, square, sub, tensor, tensor1d, variableGrads } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { median } from '../../pkpd/population/parameter-model';
import { bindStudy } from '../../study/study-data';
import { SeedStream } from '../random';
import { typicalValues } from './hybrid-evaluation';
import { HILL_SPEC, HILL_TRUTH, hillTrial } from './testing/hill-truth';
import { fitUde, mechanisticTypical, pdRmse, udeTypical } from './ude-fit';
import { between, randomDosesAndTimes, randomPkValues, type DoseScenario } from './test-support';
import {
  createUdeNetwork,
  disposeUdeBatch,
  disposeUdeModel,
  packUdeBatch,
  stageConcentrations,
  udeEngine,
  udeLossGradients,
  udePeriodicity,
  udePredict,
  udeResponses,
  udeStructure,
  zeroOutput,
  type UdeModel,
  type UdeStructure,
  type UdeSubject,
  type UdeType,
} from './ude';

beforeAll(async () => {
  await setBackend('cpu');
});

interface Case {
  structure: UdeStructure;
  subject: UdeSubject;
}

function structureOf(compartments: 1 | 2, scenario: DoseScenario, type: UdeType, sigmoid: boolean): UdeStructure {
  return udeStructure(
    { route: scenario === 'bolus' ? 'iv' : 'oral', compartments, lag: scenario === 'oral-lag' },
    { family: 'indirect', type, sigmoid },
  );
}

/**
 * A random subject: PK as the tensor tests draw it, PD values in ranges that move R by a visible
 * amount; HILL in `hill` (a sigmoid structure).
 */
function randomCase(
  random: SeedStream,
  compartments: 1 | 2,
  scenario: DoseScenario,
  type: UdeType,
  sigmoid: boolean,
  hill: [number, number] = [1, 3],
): Case {
  const { values, routes } = randomPkValues(random, compartments, scenario);
  const { doses, times } = randomDosesAndTimes(random, routes, 3, 12);
  values.BASE = between(random, 5, 20);
  values.KOUT = between(random, 0.02, 0.5);
  if (type === 'inhibit-production') {
    values.IMAX = between(random, 0.3, 1);
    values.IC50 = between(random, 0.5, 5);
  } else {
    values.EMAX = between(random, 0.5, 3);
    values.EC50 = between(random, 0.5, 5);
  }
  if (sigmoid) values.HILL = between(random, hill[0], hill[1]);
  return { structure: structureOf(compartments, scenario, type, sigmoid), subject: { doses, times, values } };
}

function engineResponses(c: Case): Float64Array {
  const engine = udeEngine(c.structure);
  return engine.predict(engine.prepare(c.subject.doses, { pd: c.subject.times }), c.subject.values).pd;
}

function modelOf(structure: UdeStructure, maxStep: number, seed = 1, rateStep?: number): UdeModel {
  return { structure, network: createUdeNetwork(seed), cRef: 1, grid: { maxStep, rateStep } };
}

/** Gives the output layer seeded values (a network that is not g ≡ 0). */
function randomiseOutput(model: UdeModel, seed: number, size = 0.5): void {
  const random = new SeedStream(seed);
  const values = Float32Array.from({ length: 8 }, () => size * random.normal());
  const t = tensor(values, [8, 1]);
  model.network.output.kernel.assign(t);
  t.dispose();
}

const KINDS: [1 | 2, DoseScenario, UdeType, boolean][] = [
  [1, 'oral', 'inhibit-production', false],
  [2, 'oral-lag', 'inhibit-production', false],
  [1, 'bolus', 'stimulate-production', false],
  [2, 'oral', 'stimulate-production', false],
  [1, 'oral-lag', 'inhibit-production', true],
  [2, 'bolus', 'stimulate-production', true],
];

describe('the UDE with g ≡ 0 is the engine’s indirect response', () => {
  /** The largest |R_UDE − R_engine| / |R_engine| over cases of every kind, each kind's cases batched. */
  function worstRelative(maxStep: number, rateStep: number | undefined, perKind: number, hill?: [number, number]): number {
    const random = new SeedStream(2026);
    let worst = 0;
    for (const [compartments, scenario, type, sigmoid] of KINDS) {
      const cases = Array.from({ length: perKind }, () => randomCase(random, compartments, scenario, type, sigmoid, hill));
      const model = modelOf(cases[0].structure, maxStep, 1, rateStep);
      const predicted = udePredict(
        model,
        cases.map((c) => c.subject),
      );
      disposeUdeModel(model);
      cases.forEach((c, n) => {
        const reference = engineResponses(c);
        reference.forEach((r, i) => (worst = Math.max(worst, Math.abs(predicted[n][i] - r) / Math.abs(r))));
      });
    }
    return worst;
  }

  // Measured (seed 2026, 4 subjects of each of the 6 kinds): 4.1e-4 at the default steps, 5.9e-5 at
  // half of both (4th order down to float32's ~1e-6); the bounds leave a factor ~2.5.
  it('within 1e-3 relative at the default steps (0.5 h, rate × step 0.5), 1.5e-4 at half of them', () => {
    expect(worstRelative(0.5, undefined, 4)).toBeLessThan(1e-3);
    expect(worstRelative(0.25, 0.25, 4)).toBeLessThan(1.5e-4);
  });

  // HILL < 1: C^h is not smooth where absorption starts and RK4 loses order (measured 1.2e-3 with HILL in [0.5, 1]).
  it('within 3e-3 with Hill exponents below 1', () => {
    expect(worstRelative(0.5, undefined, 4, [0.5, 1])).toBeLessThan(3e-3);
  });
});

describe('placebo and pre-dose times', () => {
  it('stay exactly at BASE with a network that is not zero', () => {
    const random = new SeedStream(7);
    const { structure, subject: dosed } = randomCase(random, 2, 'oral-lag', 'inhibit-production', false);
    const other = randomCase(random, 2, 'oral-lag', 'inhibit-production', false).subject;
    // Doses from 48 h on, four times before the first.
    const late: UdeSubject = {
      doses: other.doses.map((d) => ({ ...d, time: d.time + 48 })),
      times: [0, 5, 20, 47.5, ...Array.from(other.times, (t) => t + 48)],
      values: other.values,
    };
    const placebo: UdeSubject = { doses: [], times: [0, 1, 12, 24, 96], values: { ...dosed.values, BASE: 13.7 } };
    const model = modelOf(structure, 0.5);
    randomiseOutput(model, 3, 2);
    const [dosedR, lateR, placeboR] = udePredict(model, [dosed, late, placebo]);
    disposeUdeModel(model);
    expect(Array.from(placeboR)).toEqual([0, 1, 2, 3, 4].map(() => Math.fround(13.7)));
    expect(Array.from(lateR.subarray(0, 4))).toEqual([0, 1, 2, 3].map(() => Math.fround(late.values.BASE as number)));
    // The network does move a dosed subject away from the mechanistic response.
    const engine = engineResponses({ structure, subject: dosed });
    expect(Math.max(...Array.from(dosedR, (r, i) => Math.abs(r - engine[i]) / engine[i]))).toBeGreaterThan(1e-2);
  });
});

describe('gradients with respect to the network', () => {
  /** Three subjects, a network that is not zero, targets the engine's responses with 10 % noise. */
  function setting(): { model: UdeModel; subjects: UdeSubject[]; observed: Float64Array } {
    const random = new SeedStream(11);
    const cases = [0, 1, 2].map(() => randomCase(random, 2, 'oral-lag', 'inhibit-production', false));
    const subjects = cases.map((c) => c.subject);
    const observed = Float64Array.from(cases.flatMap((c) => Array.from(engineResponses(c), (r) => r * (1 + 0.1 * random.normal()))));
    const model = modelOf(cases[0].structure, 1, 5);
    randomiseOutput(model, 9, 1);
    const batch = packUdeBatch(model.structure, subjects, model.grid);
    model.cRef = median(stageConcentrations(batch));
    disposeUdeBatch(batch);
    return { model, subjects, observed };
  }
  const SCALE = 3;

  function hostLoss(model: UdeModel, subjects: UdeSubject[], observed: Float64Array): number {
    const predicted = udePredict(model, subjects).flatMap((p) => Array.from(p));
    return predicted.reduce((a, p, j) => a + ((p - observed[j]) / SCALE) ** 2, 0) / predicted.length;
  }

  // The same derivatives, summed in another order in float32: measured 7.2e-7 of the largest gradient.
  it('the adjoint equals TF.js’s tape through the RK4 loop', () => {
    const { model, subjects, observed } = setting();
    const batch = packUdeBatch(model.structure, subjects, model.grid);
    const adjoint = udeLossGradients(model, batch, observed, SCALE);
    const target = tensor1d(Float32Array.from(observed));
    const taped = variableGrads(
      () => mean(square(div(sub(udeResponses(model, batch), target), SCALE))) as Scalar,
      model.network.parameters.variables,
    );
    expect(Math.abs(taped.value.dataSync()[0] - adjoint.loss) / adjoint.loss).toBeLessThan(1e-5);
    let largest = 0;
    let worst = 0;
    for (const [name, g] of Object.entries(taped.grads)) {
      const a = adjoint.grads[name].dataSync();
      g.dataSync().forEach((x, j) => {
        largest = Math.max(largest, Math.abs(x));
        worst = Math.max(worst, Math.abs(x - a[j]));
      });
    }
    expect(Object.keys(adjoint.grads).sort()).toEqual(Object.keys(taped.grads).sort());
    expect(largest).toBeGreaterThan(0.01);
    expect(worst / largest).toBeLessThan(1e-5);
    [...Object.values(adjoint.grads), ...Object.values(taped.grads), taped.value, target].forEach((t: Tensor) => t.dispose());
    disposeUdeBatch(batch);
    disposeUdeModel(model);
  });

  // Central differences of the float32 loss with ε = 1e-2 on weights of size ~0.5: the truncation
  // ε²/6 · L‴ and the loss's rounding over 2ε (~1e-7 · L / ε) are each ~1e-5 to 1e-4 of an entry. Measured
  // over 5 entries of each weight tensor (all 25 above the floor): worst 3.7e-4; the bound leaves a factor 5.
  it('the adjoint agrees with central differences', () => {
    const { model, subjects, observed } = setting();
    const batch = packUdeBatch(model.structure, subjects, model.grid);
    const adjoint = udeLossGradients(model, batch, observed, SCALE);
    disposeUdeBatch(batch);
    const random = new SeedStream(13);
    const eps = 1e-2;
    let largest = 0;
    let checked = 0;
    const differences: { fd: number; g: number }[] = [];
    for (const p of model.network.parameters.parameters) {
      const g = adjoint.grads[p.variable.name].dataSync();
      g.forEach((x) => (largest = Math.max(largest, Math.abs(x))));
      const base = Float32Array.from(p.variable.dataSync());
      for (let pick = 0; pick < 5; pick++) {
        const j = Math.floor(random.uniform() * base.length);
        const at = (delta: number): number => {
          const moved = Float32Array.from(base);
          moved[j] += delta;
          const t = tensor(moved, [...p.shape]);
          p.variable.assign(t);
          t.dispose();
          return hostLoss(model, subjects, observed);
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        differences.push({ fd, g: g[j] });
        checked++;
      }
      const t = tensor(base, [...p.shape]);
      p.variable.assign(t);
      t.dispose();
    }
    expect(checked).toBe(25);
    expect(largest).toBeGreaterThan(0.01);
    // Each entry relative to itself, with a floor of 1e-3 of the largest (entries near 0 have no relative accuracy).
    const worst = Math.max(...differences.map((d) => Math.abs(d.fd - d.g) / (Math.abs(d.g) + 1e-3 * largest)));
    expect(worst).toBeLessThan(2e-3);
    Object.values(adjoint.grads).forEach((t) => t.dispose());
    disposeUdeModel(model);
  });
});

describe('what the UDE refuses', () => {
  const oral = structureOf(1, 'oral', 'inhibit-production', false);
  const values = { CL: 5, V: 50, KA: 1, BASE: 10, KOUT: 0.1, IMAX: 0.9, IC50: 1 };
  const refused =
    (structure: UdeStructure, subject: UdeSubject): (() => void) =>
    () =>
      disposeUdeBatch(packUdeBatch(structure, [subject], { maxStep: 0.5 }));

  it('PD models other than an indirect response on production', () => {
    const pk = { route: 'oral', compartments: 1, lag: false } as const;
    expect(() => udeStructure(pk, { family: 'indirect', type: 'inhibit-loss' })).toThrow(
      /inhibit-production or stimulate-production.*inhibit-loss/,
    );
    expect(() => udeStructure(pk, { family: 'direct', direction: 'decrease', sigmoid: false })).toThrow(/a direct PD model/);
    expect(() => udeStructure(pk, undefined)).toThrow(/no PD model/);
    expect(() => udeStructure({ ...pk, compartments: 'auto' }, { family: 'indirect', type: 'inhibit-production' })).toThrow(/compartments/);
  });

  it('infusions, steady-state doses, oral doses in an IV model and missing parameters', () => {
    const times = [1, 2];
    expect(refused(oral, { doses: [{ time: 0, amount: 10, route: 'infusion', duration: 1 }], times, values })).toThrow(
      /Subject 1: dose 1 \(time 0\) is an infusion, which is not in the experimental UDE/,
    );
    expect(refused(oral, { doses: [{ time: 0, amount: 10, route: 'oral', steadyState: { interval: 24 } }], times, values })).toThrow(
      /steady-state dose/,
    );
    const iv = structureOf(1, 'bolus', 'inhibit-production', false);
    expect(refused(iv, { doses: [{ time: 0, amount: 10, route: 'oral' }], times, values })).toThrow(/route is IV/);
    const { KOUT: _, ...withoutKout } = values;
    expect(refused(oral, { doses: [{ time: 0, amount: 10, route: 'oral' }], times, values: withoutKout })).toThrow(/Subject 1: .*KOUT/);
    expect(() => packUdeBatch(oral, [{ doses: [], times, values }], { maxStep: 0 })).toThrow(/longest step must be a positive number/);
  });
});

describe('periodicity', () => {
  // g ≡ 0: the interval the UDE settles into is the engine's periodic steady state (its exact fixed
  // point, pd.ts `periodicStart`), within the RK4 error: measured 4.6e-5 relative after 28 intervals.
  it('with g ≡ 0 the converged interval is the engine’s steady state', () => {
    const structure = structureOf(2, 'oral-lag', 'inhibit-production', false);
    const values = { CL: 3, V: 30, Q: 2, V2: 60, KA: 0.8, TLAG: 0.5, BASE: 12, KOUT: 0.15, IMAX: 0.8, IC50: 2 };
    const model = modelOf(structure, 0.5);
    const regimen = { amount: 100, interval: 24, route: 'oral' as const };
    const result = udePeriodicity(model, values, regimen, { tolerance: 1e-6, samples: 24 });
    const engine = udeEngine(structure);
    const steady = engine.predictSteadyState(engine.prepareSteadyState(regimen, result.times), values, regimen.amount).pd;
    disposeUdeModel(model);
    expect(result.converged).toBe(true);
    expect(result.intervals).toBeGreaterThan(2);
    expect(result.relativeDifference).toBeLessThanOrEqual(1e-6);
    const worst = Math.max(...Array.from(steady, (r, j) => Math.abs(result.lastInterval[0][j] - r) / r));
    expect(worst).toBeLessThan(2e-4);
    // The drug moves the response well away from BASE: the comparison is not of two flat lines.
    expect(Math.min(...steady)).toBeLessThan(0.8 * values.BASE);
  });

  it('reports no convergence when the intervals allowed are too few', () => {
    const structure = structureOf(1, 'oral', 'inhibit-production', false);
    const values = { CL: 5, V: 50, KA: 1, BASE: 10, KOUT: 0.01, IMAX: 0.9, IC50: 1 };
    const model = modelOf(structure, 0.5);
    const result = udePeriodicity(model, values, { amount: 100, interval: 24, route: 'oral' }, { maxIntervals: 3 });
    disposeUdeModel(model);
    expect(result.converged).toBe(false);
    expect(result.intervals).toBe(3);
    expect(result.relativeDifference).toBeGreaterThan(1e-3);
  });
});

describe('tensor memory', () => {
  it('prediction, gradients and periodicity leave no tensor behind', () => {
    const random = new SeedStream(17);
    const cases = [0, 1].map(() => randomCase(random, 1, 'oral', 'stimulate-production', true));
    const before = memory().numTensors;
    const model = modelOf(cases[0].structure, 0.5);
    randomiseOutput(model, 2);
    udePredict(
      model,
      cases.map((c) => c.subject),
    );
    const batch = packUdeBatch(
      model.structure,
      cases.map((c) => c.subject),
      model.grid,
    );
    const observed = cases.flatMap((c) => Array.from(c.subject.times, () => 10));
    Object.values(udeLossGradients(model, batch, observed, 1).grads).forEach((t) => t.dispose());
    disposeUdeBatch(batch);
    udePeriodicity(model, cases[0].subject.values, { amount: 50, interval: 12, route: 'oral' }, { maxIntervals: 4 });
    zeroOutput(model.network);
    disposeUdeModel(model);
    expect(memory().numTensors).toBe(before);
  });
});

// The experiment (docs/ude.md): 60 training subjects (48 teach the network, 12 stop it early) and 20
// held-out subjects of a trial whose drug effect is a Hill function with HILL = 3, fitted by a spec
// that assumes HILL = 1. PD RMSE of the typical predictions (η = 0) of the held-out subjects, measured
// on this machine (60 epochs, learning rate 0.02): mechanistic 1.142, UDE 1.082 (−5.2 %; the truth's own
// typical predictions 1.016, a model refitted with the correct HILL 1.037). The bound asks for 2 %.
describe('the experiment with a known truth (HILL 3, fitted with HILL 1)', () => {
  it('the UDE predicts held-out subjects better than the misspecified mechanistic model; it becomes periodic', () => {
    const before = memory().numTensors;
    const study = bindStudy(hillTrial(60, 11).dataset, HILL_SPEC);
    const ids = study.subjects.map((s) => s.id);
    const result = fitUde(study, {
      trainIds: ids.filter((_, i) => i % 5 !== 4),
      stopIds: ids.filter((_, i) => i % 5 === 4),
      epochs: 60,
      learningRate: 0.02,
    });
    const heldOut = bindStudy(hillTrial(20, 12).dataset, HILL_SPEC).subjects;
    const mechanistic = pdRmse(mechanisticTypical(result, heldOut));
    const ude = pdRmse(udeTypical(result, heldOut));
    const truth = pdRmse(mechanisticTypical({ spec: HILL_SPEC, population: HILL_TRUTH }, heldOut));
    console.log(`held-out PD RMSE: mechanistic ${mechanistic}, UDE ${ude}, truth ${truth}; best epoch ${result.bestEpoch}`);
    expect(result.bestEpoch).toBeGreaterThan(0);
    expect(result.fit.model.pd).toEqual({ family: 'indirect', type: 'inhibit-production' });
    expect(ude).toBeLessThan(0.98 * mechanistic);
    // A daily regimen of the higher dose: the trained UDE settles into a periodic response.
    const { values } = typicalValues(HILL_SPEC, result.population, [{}]);
    const periodic = udePeriodicity(result.model, values[0], { amount: 200, interval: 24, route: 'oral' }, { maxIntervals: 60 });
    console.log(`periodic after ${periodic.intervals} intervals (relative difference ${periodic.relativeDifference})`);
    expect(periodic.converged).toBe(true);
    expect(periodic.relativeDifference).toBeLessThanOrEqual(1e-3);
    disposeUdeModel(result.model);
    expect(memory().numTensors).toBe(before);
  }, 120_000);
});
