import { describe, expect, it } from 'vitest';
import { regimen } from '../pkpd/dose-history';
import { simulateIndirectResponse } from '../pkpd/indirect-response';
import { concentrationAt, oralUnitResponse, steadyStateConcentration, terminalHalfLife, type PkParameters } from '../pkpd/pk-model';
import { ESTDATA_LIKE_MODEL, type PopulationModel } from '../pkpd/population-model';
import { SCENARIO_ESTDATA_2CMT } from '../pkpd/testing/scenarios';
import { DoseSearchCancelledError } from './errors';
import { intervalNodes, MechanisticPdSimulator, MECHANISTIC_RANDOM_EFFECTS, unitSteadyStateAtNodes } from './mechanistic-simulator';
import { oralEvery } from './steady-state';
import { drawPopulation } from './virtual-population';

const population = (size: number, seed = 3, bwRange: [number, number] = [50, 100]) =>
  drawPopulation({
    size,
    seed,
    scenario: { covariates: { BW: { uniform: bwRange }, COMED: { share: 0.5 } } },
    randomEffects: MECHANISTIC_RANDOM_EFFECTS,
  });

function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
  return worst;
}

describe('closed-form PK steady state at the integration nodes', () => {
  const cases: [string, PkParameters][] = [
    ['one compartment', { compartments: 1, ka: 1, cl: 0.04, v: 6.9 }],
    ['two compartments', { compartments: 2, ka: 0.9, cl: 0.044, v: 2.6, q: 0.17, v2: 5.9 }],
    ['ka equal to k (coincident rates)', { compartments: 1, ka: 0.04 / 6.9, cl: 0.04, v: 6.9 }],
  ];
  it.each(cases)('%s: agrees with steadyStateConcentration and with a long superposition', (_, p) => {
    for (const interval of [24, 168]) {
      const panels = interval * 2;
      const nodes = intervalNodes(interval, panels);
      const ours = unitSteadyStateAtNodes(oralUnitResponse(p), interval, panels);
      const closed = steadyStateConcentration(p, 1, interval, nodes);
      // The coincident case is a difference of two nudged responses (cancellation ≈ 1e-16 / 1e-5).
      expect(maxRelative(ours, closed)).toBeLessThan(1e-9);
      // 400 doses: the accumulation is complete to far below 1e-10 for these half-lives.
      const count = 400;
      const history = concentrationAt(
        p,
        regimen(1, interval, count),
        Array.from(nodes, (t) => (count - 1) * interval + t),
      );
      expect(maxRelative(ours, history)).toBeLessThan(1e-8);
    }
  });
});

describe('mechanistic steady-state PD simulator', () => {
  it('matches src/pkpd’s indirect-response integrator run over a long dose history', () => {
    const pop = population(6);
    for (const model of [ESTDATA_LIKE_MODEL, SCENARIO_ESTDATA_2CMT]) {
      const sim = new MechanisticPdSimulator(model);
      for (const [interval, amount] of [
        [24, 5],
        [168, 50],
      ]) {
        const batch = sim.simulate({ population: pop, regimen: oralEvery(interval), amounts: [amount], gridStep: 0.5, keepProfiles: true });
        const points = batch.grid.length;
        for (let i = 0; i < pop.size; i++) {
          const { pk, pd } = sim.subject(pop, i);
          // ≥ 20 half-lives of the slowest process: the remaining transient is < 1e-6.
          const slowest = Math.max(Math.LN2 / Math.min(pk.cl / pk.v, pk.ka), Math.LN2 / pd.kout, 400);
          const count = Math.ceil((20 * slowest) / interval) + 1;
          const times = Array.from(batch.grid, (t) => (count - 1) * interval + t);
          const reference = simulateIndirectResponse(pd, pk, regimen(amount, interval, count), times);
          const ours = batch.results[0].profiles!.subarray(i * points, (i + 1) * points);
          expect(maxRelative(ours, reference)).toBeLessThan(1e-5);
          expect(batch.results[0].max![i]).toBeCloseTo(Math.max(...reference), 4);
        }
      }
    }
  });

  it('is periodic, returns BASE without drug, and is monotone in dose per subject', () => {
    const pop = population(200);
    const sim = new MechanisticPdSimulator(ESTDATA_LIKE_MODEL);
    const amounts = [0, 1, 2, 4, 8, 16, 50];
    const batch = sim.simulate({ population: pop, regimen: oralEvery(24), amounts, gridStep: 0.5, keepProfiles: true });
    const points = batch.grid.length;
    expect(points).toBe(49);
    expect(batch.grid[points - 1]).toBe(24);
    for (let i = 0; i < pop.size; i++) {
      const base = sim.subject(pop, i).pd.base;
      expect(batch.results[0].max![i]).toBeCloseTo(base, 10);
      for (const res of batch.results) {
        const prof = res.profiles!;
        expect(Math.abs(prof[i * points] - prof[i * points + points - 1]) / prof[i * points]).toBeLessThan(1e-12);
      }
      for (let a = 1; a < amounts.length; a++) expect(batch.results[a].max![i]).toBeLessThan(batch.results[a - 1].max![i]);
    }
  });

  it('passes its steady-state check, and a forward cold-start simulation agrees with the periodic state', () => {
    const pop = population(60, 5, [70, 140]);
    const periodic = new MechanisticPdSimulator(SCENARIO_ESTDATA_2CMT, { checkSubjects: 3 });
    const cold = new MechanisticPdSimulator(SCENARIO_ESTDATA_2CMT, { mode: 'cold-start' });
    for (const [interval, amount] of [
      [24, 6],
      [168, 60],
    ]) {
      const p = periodic.simulate({
        population: pop,
        regimen: oralEvery(interval),
        amounts: [amount],
        gridStep: 0.5,
        checkSteadyState: true,
      });
      const check = p.results[0].steadyState!;
      expect(check.ok).toBe(true);
      expect(check.subjectsChecked).toBe(3);
      expect(check.worstRelativeDifference).toBeLessThan(5e-3);
      // ≥ 10 half-lives of the slowest subject (PK terminal half-life or ln 2 / k_out).
      let slowest = 0;
      for (let i = 0; i < pop.size; i++) {
        const { pk, pd } = periodic.subject(pop, i);
        slowest = Math.max(slowest, terminalHalfLife(pk), Math.LN2 / pd.kout);
      }
      expect(slowest).toBeGreaterThan(200);
      expect(check.intervalsSimulated * interval).toBeGreaterThanOrEqual(10 * slowest);
      const c = cold.simulate({ population: pop, regimen: oralEvery(interval), amounts: [amount], gridStep: 0.5 });
      expect(maxRelative(c.results[0].max!, p.results[0].max!)).toBeLessThan(5e-3);
    }
  });

  it('has converged in the grid step and the integration panels', () => {
    const pop = population(100);
    const sim = new MechanisticPdSimulator(SCENARIO_ESTDATA_2CMT);
    const fine = new MechanisticPdSimulator(SCENARIO_ESTDATA_2CMT, { subdivisions: 4 });
    for (const interval of [24, 168]) {
      const amount = interval === 24 ? 6 : 60;
      const coarse = sim.simulate({ population: pop, regimen: oralEvery(interval), amounts: [amount], gridStep: 0.5 }).results[0].max!;
      const refined = fine.simulate({ population: pop, regimen: oralEvery(interval), amounts: [amount], gridStep: 0.5 }).results[0].max!;
      expect(maxRelative(coarse, refined)).toBeLessThan(1e-5);
      // The maximum over the grid: the sharpest peak (R turning down just after a dose) is resolved to
      // ≈ 1e-4 with 0.5 h and ≈ 3e-5 with 0.25 h (the default of the dose questions).
      const dense = sim.simulate({ population: pop, regimen: oralEvery(interval), amounts: [amount], gridStep: 0.05 }).results[0].max!;
      const quarter = sim.simulate({ population: pop, regimen: oralEvery(interval), amounts: [amount], gridStep: 0.25 }).results[0].max!;
      expect(maxRelative(coarse, dense)).toBeLessThan(5e-4);
      expect(maxRelative(quarter, dense)).toBeLessThan(1e-4);
    }
  });

  it('gives the whole dose–response by per-subject bisection, identical to evaluating every dose', () => {
    const pop = population(300, 8);
    const sim = new MechanisticPdSimulator(SCENARIO_ESTDATA_2CMT);
    const doses = Array.from({ length: 40 }, (_, k) => 0.5 * (k + 1));
    const first = sim.successIndices(pop, 24, doses, 3.3, 0.25);
    const batch = sim.simulate({ population: pop, regimen: oralEvery(24), amounts: doses, gridStep: 0.25 });
    for (let i = 0; i < pop.size; i++) {
      for (let k = 0; k < doses.length; k++) expect(batch.results[k].max![i] < 3.3).toBe(k >= first[i]);
    }
  });

  it('uses the same virtual subjects for every model (η = ω·z)', () => {
    const pop = population(50);
    const wider: PopulationModel = { ...ESTDATA_LIKE_MODEL, pk: { ...ESTDATA_LIKE_MODEL.pk, omega: { cl: 0.5, v: 0.1 } } };
    const a = new MechanisticPdSimulator(ESTDATA_LIKE_MODEL);
    const b = new MechanisticPdSimulator(wider);
    for (let i = 0; i < pop.size; i++) {
      const la = Math.log(a.subject(pop, i).pk.cl / ESTDATA_LIKE_MODEL.pk.fixed.cl);
      const lb = Math.log(b.subject(pop, i).pk.cl / ESTDATA_LIKE_MODEL.pk.fixed.cl);
      const cov = ESTDATA_LIKE_MODEL.pk.fixed.betaCl * Math.log(pop.covariates.BW[i] / 70);
      expect(lb - cov).toBeCloseTo(2 * (la - cov), 10);
    }
  });

  it('stops when cancelled', () => {
    const sim = new MechanisticPdSimulator(ESTDATA_LIKE_MODEL);
    const controller = new AbortController();
    controller.abort();
    expect(() =>
      sim.simulate({ population: population(10), regimen: oralEvery(24), amounts: [1], gridStep: 0.5, signal: controller.signal }),
    ).toThrow(DoseSearchCancelledError);
  });
});
