import { describe, expect, it } from 'vitest';
import { createRng } from '../pkpd/random';
import { DoseResponse } from './dose-response';
import { bisectDoseGrid, checkNeighbours, doseGrid, scanDoseGrid } from './grid-search';
import { belowThroughout } from './criterion';
import { oralEvery, type SteadyStateBatch, type SteadyStateRequest, type SteadyStateSimulator } from './steady-state';
import { drawPopulation } from './virtual-population';

/** A monotone step curve: sorted random fractions on the grid. */
function monotoneCurve(grid: number[], rng: ReturnType<typeof createRng>): (dose: number) => number {
  const values = grid.map(() => Math.round(rng.uniform() * 1000) / 1000).sort((a, b) => a - b);
  return (dose) => values[grid.indexOf(dose)];
}

/**
 * Toy simulator: subject i's PD maximum falls with dose and crosses the threshold 3.3 at its own
 * dose d_i; inside `dip` (if given) the odd subjects are pushed back above the threshold.
 */
class ToySimulator implements SteadyStateSimulator {
  readonly label = 'toy';
  readonly randomEffects = ['u'];
  constructor(private readonly dip?: [number, number]) {}
  simulate(request: SteadyStateRequest): SteadyStateBatch {
    const { population, amounts } = request;
    const u = population.random.u;
    return {
      regimen: request.regimen,
      grid: Float64Array.of(0, request.regimen.interval),
      results: amounts.map((amount) => {
        const max = new Float64Array(population.size);
        for (let i = 0; i < population.size; i++) {
          const critical = 5 * Math.exp(0.4 * u[i]);
          max[i] = 3.3 * (critical / Math.max(amount, 1e-9)) ** 0.5;
          if (this.dip && amount >= this.dip[0] && amount <= this.dip[1] && i % 2 === 1) max[i] = 4;
        }
        return { amount, max };
      }),
    };
  }
}

const toyPopulation = () =>
  drawPopulation({
    size: 500,
    seed: 9,
    scenario: { covariates: { BW: { uniform: [50, 100] }, COMED: { share: 0.5 } } },
    randomEffects: ['u'],
  });
const below = { criterion: belowThroughout(3.3), gridStep: 0.5 };

describe('dose grid', () => {
  it('is made of multiples of the step', () => {
    expect(doseGrid({ step: 0.5, max: 3 })).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(doseGrid({ step: 5, max: 22 })).toEqual([5, 10, 15, 20]);
    expect(doseGrid({ step: 0.1, max: 0.5, min: 0.2 })).toEqual([0.2, 0.3, 0.4, 0.5]);
    expect(() => doseGrid({ step: 0, max: 1 })).toThrow(/step/);
  });
});

describe('bisection on the dose grid', () => {
  it('finds the same dose as the brute-force scan on random monotone curves, with far fewer evaluations', async () => {
    const rng = createRng(17);
    for (let trial = 0; trial < 300; trial++) {
      const grid = doseGrid({ step: 0.5, max: 0.5 * (1 + Math.floor(rng.uniform() * 120)) });
      const f = monotoneCurve(grid, rng);
      const target = [0.9, 0.75, 0.5, 0][trial % 4];
      const bis = await bisectDoseGrid(grid, target, f);
      const scan = await scanDoseGrid(grid, target, f);
      expect(bis.dose).toBe(scan.dose);
      expect(bis.reached).toBe(scan.reached);
      expect(bis.path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(grid.length + 1)) + 1);
    }
  });

  it('reports when no grid dose reaches the target, and the first dose when all do', async () => {
    const grid = doseGrid({ step: 1, max: 10 });
    expect(await bisectDoseGrid(grid, 0.9, () => 0.5)).toMatchObject({ reached: false, dose: null, index: -1 });
    expect(await bisectDoseGrid(grid, 0.9, () => 0.95)).toMatchObject({ reached: true, dose: 1, index: 0 });
  });

  it('checks the neighbours of its answer', async () => {
    const grid = doseGrid({ step: 1, max: 10 });
    const monotone = (d: number) => Math.min(1, d / 10);
    const b = await bisectDoseGrid(grid, 0.75, monotone);
    expect(b.dose).toBe(8);
    expect(await checkNeighbours(grid, b.index, 0.75, monotone)).toEqual({
      below: { dose: 7, fraction: 0.7 },
      above: { dose: 9, fraction: 0.9 },
      consistent: true,
    });
    // A dip right above the answer.
    const dip = (d: number) => (d === 9 ? 0.6 : monotone(d));
    expect((await checkNeighbours(grid, 7, 0.75, dip)).consistent).toBe(false);
  });
});

describe('dose–response over a virtual population', () => {
  it('is monotone for a monotone simulator (common random numbers: no subject reverses)', async () => {
    const dr = new DoseResponse(new ToySimulator(), toyPopulation(), oralEvery(24), below);
    const grid = doseGrid({ step: 0.5, max: 20 });
    const b = await bisectDoseGrid(grid, 0.9, dr.fractionAt);
    const scan = await scanDoseGrid(grid, 0.9, dr.fractionAt);
    expect(b.dose).toBe(scan.dose);
    await dr.at(grid);
    const m = dr.monotonicity();
    expect(m).toMatchObject({ expected: 'rising', monotone: true, decreases: [], subjectReversals: 0, dosesEvaluated: grid.length });
    // Read downwards (a falling expectation), every step goes the wrong way.
    expect(dr.monotonicity('falling').monotone).toBe(false);
    expect(dr.monotonicity('not monotone')).toMatchObject({ monotone: true, decreases: [] });
    expect(dr.evaluations).toBe(grid.length); // memoised: every dose simulated once
    const p = dr.get(b.dose!)!;
    expect(p.fraction).toBeGreaterThanOrEqual(0.9);
    expect(p.ci[0]).toBeLessThan(p.fraction);
    expect(p.ci[1]).toBeGreaterThan(p.fraction);
  });

  it('flags a non-monotone dose–response', async () => {
    const dr = new DoseResponse(new ToySimulator([8, 9]), toyPopulation(), oralEvery(24), below);
    const grid = doseGrid({ step: 0.5, max: 20 });
    await dr.at(grid);
    const m = dr.monotonicity();
    expect(m.monotone).toBe(false);
    expect(m.decreases).toEqual([expect.objectContaining({ from: 7.5, to: 8 })]);
    expect(m.subjectReversals).toBeGreaterThan(100);
    // Bisection cannot see a dip it steps over; the neighbour check catches one next to its answer.
    const target = dr.get(7.5)!.fraction;
    expect(target).toBeGreaterThan(0.5);
    const bis = await bisectDoseGrid(grid, target, dr.fractionAt);
    expect(bis.dose).toBe(7.5);
    const around = await checkNeighbours(grid, bis.index, target, dr.fractionAt);
    expect(around.above!.fraction).toBeLessThan(target);
    expect(around.consistent).toBe(false);
  });

  it('fills a curve from per-subject ranges only when they agree with every simulated dose', async () => {
    const grid = doseGrid({ step: 0.5, max: 20 });
    const population = toyPopulation();
    // The toy's subject i succeeds from its critical dose 5 e^{0.4 u_i} on.
    const first = Int32Array.from(population.random.u, (u) => grid.findIndex((d) => d >= 5 * Math.exp(0.4 * u)));
    first.forEach((f, i) => (first[i] = f < 0 ? grid.length : f));
    const last = new Int32Array(population.size).fill(grid.length - 1);
    const simulated = new DoseResponse(new ToySimulator(), population, oralEvery(24), below);
    await simulated.at(grid);
    const filled = new DoseResponse(new ToySimulator(), population, oralEvery(24), below);
    await filled.at([grid[3], grid[20], grid[39]]);
    expect(filled.fillFromRanges(grid, first, last)).toBe(true);
    expect(filled.evaluations).toBe(3);
    expect(filled.curve()).toEqual(simulated.curve());
    // Ranges that contradict a simulated dose are refused and fill nothing.
    const wrong = new DoseResponse(new ToySimulator([8, 9]), population, oralEvery(24), below);
    await wrong.at([8.5]);
    expect(wrong.fillFromRanges(grid, first, last)).toBe(false);
    expect(wrong.curve()).toHaveLength(1);
  });
});
