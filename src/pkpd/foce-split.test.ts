import { describe, expect, it } from 'vitest';
import {
  fitFoce,
  fitFoceAsync,
  FoceObjective,
  type FoceProblem,
  type SplitMode,
  splitRequest,
  type SubjectAnswer,
  type SubjectRequest,
} from './foce';
import { createRng } from './random';

/** y = A e^{η_A} e^{−k e^{η_k} t} (1 + ε), subjects with 3 to 8 observations. */
function problem(seed: number, subjects: number): FoceProblem {
  const rng = createRng(seed);
  const times = Array.from({ length: subjects }, (_, i) => [0.5, 1, 2, 4, 8, 12, 16, 24].slice(0, 3 + (i % 6)));
  return {
    thetas: (['A', 'k'] as const).map((name, i) => ({ name, initial: [5, 0.5][i], transform: 'log' as const })),
    etas: (['A', 'k'] as const).map((name) => ({ name, initialSd: 0.5 })),
    residual: { additive: 0.2, proportional: 0.3 },
    observations: times.map((t) => {
      const a = 10 * Math.exp(0.3 * rng.normal());
      const k = 0.2 * Math.exp(0.2 * rng.normal());
      return Float64Array.from(t, (tt) => a * Math.exp(-k * tt) * (1 + 0.1 * rng.normal()) + 0.2 * rng.normal());
    }),
    predict: (theta, eta, i, out) => {
      const a = theta[0] * Math.exp(eta[0]);
      const k = theta[1] * Math.exp(eta[1]);
      for (let j = 0; j < out.length; j++) out[j] = a * Math.exp(-k * times[i][j]);
    },
  };
}

/**
 * Answers requests as a pool of `count` workers would: split, each part answered by that part's own
 * objective (a worker's copy of the problem), joined — in this thread, through the same interface.
 */
function partitioned(p: FoceProblem, count: number, mode: SplitMode) {
  const copies = Array.from({ length: count }, () => new FoceObjective(p));
  const weights = p.observations.map((y) => y.length);
  const sizes: number[] = [];
  return {
    sizes,
    answer: (request: SubjectRequest): Promise<SubjectAnswer> => {
      const split = splitRequest(request, count, weights, mode);
      sizes.push(split.parts.length);
      // Parts go to the copies in reverse: which copy answers which part must not matter.
      return Promise.resolve(split.join(split.parts.map((part, k) => copies[count - 1 - k].subjectValues(structuredClone(part)))));
    },
  };
}

describe('FOCE split by subject or point', () => {
  it('splits a request into contiguous subject ranges of about equal observations, or into points, and joins the same numbers', () => {
    const p = problem(3, 11);
    const objective = new FoceObjective(p);
    const weights = p.observations.map((y) => y.length);
    const points = [objective.x0, objective.x0.map((v) => v + 0.05), objective.x0.map((v) => v - 0.05), objective.x0.map((v) => v * 1.1)];
    const whole = objective.subjectValues(objective.request(points, false));
    const bySubject = splitRequest(objective.request(points, false), 3, weights, 'subject');
    expect(bySubject.parts.map((r) => [r.from, r.to])).toEqual([
      [0, 4],
      [4, 8],
      [8, 11],
    ]);
    expect(bySubject.join(bySubject.parts.map((r) => new FoceObjective(p).subjectValues(r)))).toStrictEqual(whole);
    const byPoint = splitRequest(objective.request(points, false), 2, weights, 'point');
    expect(byPoint.parts.map((r) => [r.points.length, r.from, r.to])).toEqual([
      [2, 0, 11],
      [2, 0, 11],
    ]);
    expect(byPoint.join(byPoint.parts.map((r) => new FoceObjective(p).subjectValues(r)))).toStrictEqual(whole);
    // By default: by subject, whatever the number of points.
    expect(splitRequest(objective.request(points.slice(0, 3), false), 2, weights).parts.map((r) => r.to - r.from)).toEqual([6, 5]);
    expect(splitRequest(objective.request(points, false), 2, weights).parts.map((r) => r.points.length)).toEqual([4, 4]);
    // A kept evaluation (modes asked) is split by subject, and its modes are joined in subject order.
    const kept = objective.request([points[1]], true);
    const keptSplit = splitRequest(kept, 2, weights, 'point');
    expect(keptSplit.parts).toHaveLength(2);
    expect(keptSplit.join(keptSplit.parts.map((r) => new FoceObjective(p).subjectValues(r)))).toStrictEqual(objective.subjectValues(kept));
  });

  it('fits to the same estimates, OFV, EBEs, standard errors and diagnostics as the serial fit, on 2 and 3 parts', async () => {
    const p = problem(5, 30);
    const serial = fitFoce(p);
    const strip = (r: typeof serial) => ({ ...r, elapsedMs: 0 });
    for (const [count, mode] of [
      [2, 'subject'],
      [3, 'subject'],
      [2, 'point'],
      [3, 'point'],
    ] as const) {
      const parts = partitioned(p, count, mode);
      const pooled = await fitFoceAsync(new FoceObjective(p), {}, parts.answer);
      expect(strip(pooled)).toStrictEqual(strip(serial));
      expect(Math.max(...parts.sizes)).toBe(count);
    }
  });

  it('reports a part that cannot be computed as an infinite OFV, as the serial objective does', () => {
    const p = problem(5, 6);
    const objective = new FoceObjective(p);
    const bad = Float64Array.from(objective.x0);
    bad[0] = Infinity;
    const split = splitRequest(objective.request([bad], false), 2, [1, 1, 1, 1, 1, 1], 'subject');
    const joined = split.join(split.parts.map((r) => new FoceObjective(p).subjectValues(r)));
    expect(objective.settle([bad], false, joined)).toEqual([Infinity]);
    expect(objective.value(bad)).toBe(Infinity);
  });
});
