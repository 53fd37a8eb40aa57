import { describe, expect, it } from 'vitest';
import { createRng } from '../pkpd/random';
import { bisectDoseGrid, doseGrid } from './grid-search';
import { mctsDoseGrid } from './mcts';

/** Logistic dose–response rounded to 1/1000 (a population of 1000), midpoint and slope drawn at random. */
function logistic(mid: number, scale: number): (dose: number) => number {
  return (dose) => Math.round(1000 / (1 + Math.exp(-(dose - mid) / scale))) / 1000;
}

describe('Monte Carlo Tree Search over the dose grid', () => {
  it('finds the grid search’s answer on monotone problems, and certifies it', async () => {
    const rng = createRng(23);
    let cases = 0;
    let evaluations = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 20 + Math.floor(rng.uniform() * 180);
      const grid = doseGrid({ step: 0.5, max: 0.5 * n });
      const f = logistic(rng.uniform() * 0.4 * n, 0.3 + 5 * rng.uniform());
      const target = trial % 2 === 0 ? 0.9 : 0.75;
      const grid0 = await bisectDoseGrid(grid, target, f);
      const m = await mctsDoseGrid(grid, target, f, { seed: trial });
      expect(m.dose).toBe(grid0.dose);
      if (grid0.reached) {
        cases++;
        evaluations += m.evaluations;
        expect(m.certified).toBe(true);
        expect(m.fraction).toBe(f(m.dose!));
      }
    }
    expect(cases).toBeGreaterThan(150);
    // Far fewer evaluations than the grid has doses (≈ 110 on average).
    expect(evaluations / cases).toBeLessThan(45);
  });

  it('returns no dose when the target is out of reach, and is reproducible', async () => {
    const grid = doseGrid({ step: 5, max: 100 });
    const none = await mctsDoseGrid(grid, 0.9, () => 0.5, { iterations: 100 });
    expect(none).toMatchObject({ dose: null, reached: false, certified: false, iterations: 100 });
    const f = logistic(40, 8);
    const a = await mctsDoseGrid(grid, 0.9, f, { seed: 4 });
    const b = await mctsDoseGrid(grid, 0.9, f, { seed: 4 });
    expect(a).toEqual(b);
    const first = await mctsDoseGrid(grid, 0.9, () => 1);
    expect(first).toMatchObject({ dose: 5, certified: true });
  });
});
