import { describe, expect, it } from 'vitest';
import { compileCircuit } from '../compile';
import { reuploadingStronglyEntangling } from '../template';
import { applyMap, composeMaps, identityMap, invertMap, isIdentityMap, linearMapOf, NonLinearPermutationError } from './linear-layout';

describe('GF(2)-linear layouts', () => {
  it('read a CNOT run as a linear map and reproduce its permutation table', () => {
    for (const n of [2, 3, 5, 9]) {
      const stage = compileCircuit(reuploadingStronglyEntangling(n, 1)).stages.find((s) => s.kind === 'permutation');
      if (stage?.kind !== 'permutation') throw new Error('expected a permutation stage');
      const source = linearMapOf(stage.source, n);
      const destination = linearMapOf(stage.destination, n);
      for (let i = 0; i < 1 << n; i++) {
        expect(applyMap(source, i)).toBe(stage.source[i]);
        expect(applyMap(destination, applyMap(source, i))).toBe(i);
      }
      expect(isIdentityMap(composeMaps(destination, source))).toBe(true);
      expect(Array.from(invertMap(source))).toEqual(Array.from(destination));
    }
  });

  it('compose right to left and invert', () => {
    const a = Int32Array.from([0b011, 0b010, 0b100]);
    const b = Int32Array.from([0b001, 0b110, 0b100]);
    const ab = composeMaps(a, b);
    for (let i = 0; i < 8; i++) expect(applyMap(ab, i)).toBe(applyMap(a, applyMap(b, i)));
    for (let i = 0; i < 8; i++) expect(applyMap(invertMap(ab), applyMap(ab, i))).toBe(i);
    expect(isIdentityMap(identityMap(4))).toBe(true);
  });

  it('refuse permutations that are not linear, and singular maps', () => {
    const swap01 = Int32Array.from([1, 0, 2, 3]); // |00⟩ ↔ |01⟩: an X gate, affine but not linear
    expect(() => linearMapOf(swap01, 2)).toThrow(NonLinearPermutationError);
    expect(() => invertMap(Int32Array.from([1, 1]))).toThrow(NonLinearPermutationError);
  });
});
