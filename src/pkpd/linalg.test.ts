import { describe, expect, it } from 'vitest';
import { cholesky, choleskyLogDet, choleskySolve, inverseSpd, symmetricEigen } from './linalg';

const A = [4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3];

describe('small dense linear algebra', () => {
  it('factorises, solves and inverts a positive-definite matrix', () => {
    const l = cholesky(A, 3)!;
    const x = choleskySolve(l, 3, [1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      const ax = A[i * 3] * x[0] + A[i * 3 + 1] * x[1] + A[i * 3 + 2] * x[2];
      expect(ax).toBeCloseTo(i + 1, 12);
    }
    const det = 4 * (5 * 3 - 1.5 * 1.5) - 2 * (2 * 3 - 1.5 * 0.6) + 0.6 * (2 * 1.5 - 5 * 0.6);
    expect(choleskyLogDet(l, 3)).toBeCloseTo(Math.log(det), 12);
    const inv = inverseSpd(A, 3)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += A[i * 3 + k] * inv[k * 3 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('rejects matrices that are not positive definite', () => {
    expect(cholesky([1, 2, 2, 1], 2)).toBeNull();
    expect(inverseSpd([0, 0, 0, 1], 2)).toBeNull();
  });

  it('finds eigenpairs of a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen(A, 3);
    expect(values[0]).toBeLessThan(values[1]);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 10);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += A[i * 3 + j] * vectors[j * 3 + k];
        expect(av).toBeCloseTo(values[k] * vectors[i * 3 + k], 10);
      }
    }
  });
});
