import { describe, expect, it } from 'vitest';
import { createRng } from './random';

describe('seeded PRNG', () => {
  it('gives uniform and normal moments', () => {
    const rng = createRng(123);
    let s1 = 0;
    let s2 = 0;
    let u = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
      u += rng.uniform();
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.01);
    expect(Math.abs(u / n - 0.5)).toBeLessThan(0.003);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => rng.normal());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});
