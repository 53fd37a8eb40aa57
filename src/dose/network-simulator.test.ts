import { tensor2d } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeModel, type PkPdModel, predictHistories } from '../model/pkpd-model';
import { useCpuBackend } from '../model/test-support';
import { normalCdf } from '../pkpd/random';
import { belowThroughout, successMask } from './criterion';
import { DoseResponse } from './dose-response';
import { BASELINE_PD_EFFECT, NetworkPdSimulator } from './network-simulator';
import { oralEvery, type SteadyStateResult, type SteadyStateSimulator } from './steady-state';
import { type TinyNetwork, trainTinyNetwork } from './network-test-support';
import { drawPopulation, type VirtualPopulation } from './virtual-population';

let tiny: TinyNetwork;

beforeAll(async () => {
  await useCpuBackend();
  tiny = await trainTinyNetwork();
});

afterAll(() => disposeModel(tiny.model));

const population = (size: number, comedShare = 0.5, bwRange: [number, number] = [50, 100]): VirtualPopulation =>
  drawPopulation({
    size,
    seed: 7,
    scenario: { covariates: { BW: { uniform: bwRange }, COMED: { share: comedShare } } },
    randomEffects: [BASELINE_PD_EFFECT],
  });

const below = (threshold: number) => ({ criterion: belowThroughout(threshold), gridStep: 0.5 });
const mask = (result: SteadyStateResult, threshold: number): Uint8Array =>
  successMask(result, belowThroughout(threshold), result.max!.length);

/** The memory rule computed independently from the feature models: longest window, ln(1/0.01)/slowest rate. */
function expectedMemoryHours(model: PkPdModel): number {
  let hours = 0;
  let slowest = Infinity;
  for (const b of model.branches) {
    const fm = b.featureModel;
    hours = Math.max(hours, ...fm.spec.windowsH);
    for (const r of [fm.k, fm.shape?.alpha, fm.shape?.ka]) if (r) slowest = Math.min(slowest, r);
  }
  return Math.max(hours, Math.log(100) / slowest);
}

describe('dose histories fed to the network', () => {
  it('plans K from the features’ memory and caps the last interval at the training time span', () => {
    const sim = new NetworkPdSimulator(tiny.model, tiny.context);
    const memory = expectedMemoryHours(tiny.model);
    expect(tiny.context.maxTime).toBe(1176);
    const daily = sim.plan(24);
    expect(daily.memoryHours).toBeCloseTo(memory, 9);
    expect(daily.intervals).toBe(Math.ceil(memory / 24) + 2);
    expect(daily.intervals * 24).toBeLessThanOrEqual(1176);
    expect(daily.limitedBy).toBe('memory');
    const weekly = sim.plan(168);
    expect(weekly.memoryIntervals).toBe(Math.ceil(memory / 168) + 2);
    expect(weekly.memoryIntervals * 168).toBeGreaterThan(1176);
    expect(weekly).toMatchObject({ intervals: 7, limitedBy: 'training time span', lastIntervalStart: 1008 });
    expect(new NetworkPdSimulator(tiny.model, tiny.context, { capAtTrainingTime: false }).plan(168).intervals).toBe(weekly.memoryIntervals);
  });

  it('gives each subject the regimen from t = 0 to Kτ, its covariates, and a baseline PD of its COMED group', () => {
    const sim = new NetworkPdSimulator(tiny.model, tiny.context);
    const pop = population(40);
    const K = sim.plan(24).intervals;
    const histories = sim.histories(pop, 24, 5);
    expect(tiny.context.strata).toEqual(['COMED']);
    const byComed = (c: number): number[] => tiny.context.baselines.filter((b) => b.strata[0] === c).map((b) => b.pd);
    expect(byComed(0).length).toBeGreaterThan(5);
    expect(byComed(1).length).toBeGreaterThan(5);
    histories.forEach((h, i) => {
      expect(Array.from(h.doses.times)).toEqual(Array.from({ length: K + 1 }, (_, j) => 24 * j));
      expect(Array.from(h.doses.amounts)).toEqual(new Array(K + 1).fill(5));
      expect(h.armDose).toBe(5);
      expect(h.covariates).toMatchObject({ BW: pop.covariates.BW[i], COMED: pop.covariates.COMED[i] });
      expect(byComed(pop.covariates.COMED[i])).toContain(h.baselinePd);
    });
    // the baseline is the subject's quantile Φ(z) of its group
    const group = byComed(pop.covariates.COMED[0]).sort((a, b) => a - b);
    expect(histories[0].baselinePd).toBe(group[Math.floor(normalCdf(pop.random[BASELINE_PD_EFFECT][0]) * group.length)]);
  });

  it('predicts on the grid of the last interval, as predictHistories does for the same histories', () => {
    const sim = new NetworkPdSimulator(tiny.model, tiny.context);
    const pop = population(12);
    const K = sim.plan(24).intervals;
    const times = sim.lastIntervalTimes(24, 0.5);
    expect(times.length).toBe(49);
    expect(times[0]).toBe((K - 1) * 24);
    expect(times[48]).toBe(K * 24);
    expect(times[1] - times[0]).toBeCloseTo(0.5, 12);
    const batch = sim.simulate({ population: pop, regimen: oralEvery(24), amounts: [2, 8], gridStep: 0.5, keepProfiles: true });
    expect(Array.from(batch.grid)).toEqual(Array.from(times, (t) => t - (K - 1) * 24));
    batch.results.forEach((res) => {
      const expected = predictHistories(tiny.model, sim.histories(pop, 24, res.amount), times).pd!.predicted;
      expect(res.profiles!.length).toBe(12 * 49);
      // the same arithmetic (history columns shared by all subjects at one dose): equal, not just close
      expect(Array.from(res.profiles!)).toEqual(Array.from(expected));
      for (let i = 0; i < 12; i++) expect(res.max![i]).toBe(Math.max(...res.profiles!.subarray(i * 49, (i + 1) * 49)));
    });
    // a different dose gives a different profile
    expect(batch.results[0].profiles!.some((v, r) => Math.abs(v - batch.results[1].profiles![r]) > 1e-3)).toBe(true);
  });

  it('screening on a coarse sub-grid leaves every subject’s success unchanged', () => {
    const pop = population(60);
    const plain = new NetworkPdSimulator(tiny.model, tiny.context);
    const threshold = 4;
    const screened = new NetworkPdSimulator(tiny.model, tiny.context, { screenThreshold: threshold });
    for (const interval of [24, 168]) {
      const amounts = interval === 24 ? [0.5, 3, 10] : [5, 40, 150];
      const a = plain.simulate({ population: pop, regimen: oralEvery(interval), amounts, gridStep: 0.5 });
      const b = screened.simulate({ population: pop, regimen: oralEvery(interval), amounts, gridStep: 0.5 });
      a.results.forEach((res, k) => {
        expect(Array.from(mask(b.results[k], threshold))).toEqual(Array.from(mask(res, threshold)));
        res.max!.forEach((v, i) => {
          if (v < threshold) expect(b.results[k].max![i]).toBe(v);
        });
      });
    }
  });

  it('reuses subjects a scenario leaves unchanged, with the results of a fresh simulator', () => {
    const base = population(50, 0.5);
    const noComed = population(50, 0);
    const sim = new NetworkPdSimulator(tiny.model, tiny.context, { screenThreshold: 3.3 });
    sim.simulate({ population: base, regimen: oralEvery(24), amounts: [3], gridStep: 0.5 });
    const reused = sim.simulate({ population: noComed, regimen: oralEvery(24), amounts: [3], gridStep: 0.5 }).results[0].max!;
    const fresh = new NetworkPdSimulator(tiny.model, tiny.context, { screenThreshold: 3.3 }).simulate({
      population: noComed,
      regimen: oralEvery(24),
      amounts: [3],
      gridStep: 0.5,
    }).results[0].max!;
    expect(Array.from(reused)).toEqual(Array.from(fresh));
    expect(base.covariates.COMED.some((c) => c === 1)).toBe(true);
  });
});

describe('steady state', () => {
  /** The same network with the absolute-time inputs cut off (first-layer rows zeroed): it then has a steady state. */
  function withoutClockInputs<T>(run: () => T): T {
    const clock = ['TIME', 'TIME2', 'LN1P_TIME', 'LAST_DOSE_TIME', 'N_DOSES', 'CUM_DOSE'];
    const saved = tiny.model.branches.map((b) => b.network.parameters.snapshot());
    try {
      for (const b of tiny.model.branches) {
        const kernel = b.network.parameters.get('encoder/layer1/kernel').variable;
        const values = kernel.dataSync().slice();
        const width = kernel.shape[1] as number;
        b.featureScaler.names.forEach((name, f) => {
          if (clock.includes(name)) values.fill(0, f * width, (f + 1) * width);
        });
        kernel.assign(tensor2d(values, [kernel.shape[0], width]));
      }
      return run();
    } finally {
      tiny.model.branches.forEach((b, i) => {
        b.network.parameters.restore(saved[i]);
        saved[i].forEach((t) => t.dispose());
      });
    }
  }

  const check = (sim: NetworkPdSimulator, interval: number, amount: number) =>
    sim.simulate({ population: population(20), regimen: oralEvery(interval), amounts: [amount], gridStep: 0.5, checkSteadyState: true })
      .results[0].steadyState!;

  it('fails with too few intervals and passes with the planned number, daily and weekly', () => {
    withoutClockInputs(() => {
      for (const [interval, amount] of [
        [24, 3],
        [168, 40],
      ]) {
        const few = check(new NetworkPdSimulator(tiny.model, tiny.context, { intervals: 2 }), interval, amount);
        expect(few.ok).toBe(false);
        expect(few.worstRelativeDifference).toBeGreaterThan(0.01);
        expect(few.intervalsSimulated).toBe(2);
        const planned = new NetworkPdSimulator(tiny.model, tiny.context);
        const enough = check(planned, interval, amount);
        expect(enough).toMatchObject({
          method: 'network: last two intervals',
          ok: true,
          tolerance: 0.01,
          subjectsChecked: 16,
          intervalsSimulated: planned.plan(interval).intervals,
        });
        expect(enough.worstRelativeDifference).toBeLessThan(few.worstRelativeDifference / 3);
      }
    });
  });

  it('reports the drift of the network as trained, with the plan in its detail', () => {
    const sim = new NetworkPdSimulator(tiny.model, tiny.context);
    const weekly = check(sim, 168, 40);
    expect(weekly.detail).toContain('capped from 8 at the training time span 1176 h');
    expect(weekly.detail).toContain('last interval 1008–1176 h');
    expect(Number.isFinite(weekly.worstRelativeDifference)).toBe(true);
    expect(weekly.ok).toBe(weekly.worstRelativeDifference <= 0.01);
  });
});

describe('common random numbers and monotonicity', () => {
  it('keeps each subject’s covariates and baseline at every dose and moves only its COMED group with the scenario', () => {
    const sim = new NetworkPdSimulator(tiny.model, tiny.context);
    const base = population(200, 0.5);
    const low = sim.histories(base, 24, 1);
    const high = sim.histories(base, 24, 9);
    low.forEach((h, i) => {
      expect(high[i].covariates).toEqual(h.covariates);
      expect(high[i].baselinePd).toBe(h.baselinePd);
    });
    const noComed = sim.histories(population(200, 0), 24, 1);
    const group0 = tiny.context.baselines
      .filter((b) => b.strata[0] === 0)
      .map((b) => b.pd)
      .sort((a, b) => a - b);
    noComed.forEach((h, i) => {
      expect(h.covariates!.BW).toBe(low[i].covariates!.BW);
      if (base.covariates.COMED[i] === 0) expect(h.baselinePd).toBe(low[i].baselinePd);
      else expect(h.baselinePd).toBe(group0[Math.floor(normalCdf(base.random[BASELINE_PD_EFFECT][i]) * group0.length)]);
    });
  });

  it('the monotonicity report of the network’s dose–response matches its per-subject outcomes', async () => {
    const pop = population(80);
    const sim = new NetworkPdSimulator(tiny.model, tiny.context);
    const doses = [0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24];
    const dr = new DoseResponse(sim, pop, oralEvery(24), below(3.3));
    const points = await dr.at(doses);
    const report = dr.monotonicity();
    expect(report.dosesEvaluated).toBe(doses.length);
    const masks = sim.simulate({ population: pop, regimen: oralEvery(24), amounts: doses, gridStep: 0.5 }).results.map((r) => mask(r, 3.3));
    const falls = points.flatMap((p, k) => (k > 0 && p.fraction < points[k - 1].fraction ? [p.dose] : []));
    expect(report.decreases.map((d) => d.to)).toEqual(falls);
    let reversals = 0;
    for (let i = 0; i < pop.size; i++) {
      const first = masks.findIndex((m) => m[i] === 1);
      if (first >= 0 && masks.slice(first).some((m) => m[i] === 0)) reversals++;
    }
    expect(report.subjectReversals).toBe(reversals);
    expect(report.monotone).toBe(falls.length === 0);
    expect(points[0].fraction).toBeLessThan(points[points.length - 1].fraction);
  });

  it('flags a dose–response that is not monotone', async () => {
    const sim = new NetworkPdSimulator(tiny.model, tiny.context);
    // The network evaluated at |dose − 12|: success rises towards 0 and 24 mg and falls around 12.
    const folded: SteadyStateSimulator = {
      label: 'folded',
      randomEffects: sim.randomEffects,
      simulate: (request) => {
        const batch = sim.simulate({ ...request, amounts: request.amounts.map((a) => Math.abs(a - 12)) });
        return { ...batch, results: batch.results.map((r, k) => ({ ...r, amount: request.amounts[k] })) };
      },
    };
    const dr = new DoseResponse(folded, population(80), oralEvery(24), below(3.3));
    await dr.at([2, 6, 10, 12, 14, 18, 22]);
    const report = dr.monotonicity();
    expect(report.monotone).toBe(false);
    expect(report.decreases.length).toBeGreaterThan(0);
    expect(report.subjectReversals).toBeGreaterThan(0);
  });
});
