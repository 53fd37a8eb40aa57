import { describe, expect, it } from 'vitest';
import { parameterCorrelation } from './parameter-correlation';

describe('correlation matrix and condition number of the estimates', () => {
  it('2 × 2 by hand: corr = 1.2 / (2 · 1) = 0.6, eigenvalues 1 ± 0.6, condition number 1.6 / 0.4 = 4', () => {
    const c = parameterCorrelation([4, 1.2, 1.2, 1], ['CL', 'V']);
    expect(c.correlation[0][1]).toBeCloseTo(0.6, 14);
    expect(c.correlation[1][0]).toBeCloseTo(0.6, 14);
    expect(c.correlation[0][0]).toBe(1);
    expect(c.eigenvalues[0]).toBeCloseTo(0.4, 12);
    expect(c.eigenvalues[1]).toBeCloseTo(1.6, 12);
    expect(c.conditionNumber).toBeCloseTo(4, 10);
    expect(c.excluded).toEqual([]);
  });

  it('3 × 3 by hand: SDs 1, 2, 3 with ρ12 = ρ23 = 0.5, ρ13 = 0: eigenvalues 1 − √½, 1, 1 + √½', () => {
    const sd = [1, 2, 3];
    const rho = [
      [1, 0.5, 0],
      [0.5, 1, 0.5],
      [0, 0.5, 1],
    ];
    const cov = rho.flatMap((row, i) => row.map((r, j) => r * sd[i] * sd[j]));
    const c = parameterCorrelation(cov, ['a', 'b', 'c']);
    c.correlation.forEach((row, i) => row.forEach((r, j) => expect(r).toBeCloseTo(rho[i][j], 14)));
    const h = Math.SQRT1_2;
    expect(c.eigenvalues[0]).toBeCloseTo(1 - h, 12);
    expect(c.eigenvalues[1]).toBeCloseTo(1, 12);
    expect(c.eigenvalues[2]).toBeCloseTo(1 + h, 12);
    expect(c.conditionNumber).toBeCloseTo((1 + h) / (1 - h), 10);
  });

  it('leaves a parameter without a standard error (NaN row) out of the eigenvalues and names it', () => {
    const n = Number.NaN;
    const c = parameterCorrelation([4, n, 1.2, n, n, n, 1.2, n, 1], ['CL', 'KA', 'V']);
    expect(c.excluded).toEqual(['KA']);
    expect(c.correlation[0][2]).toBeCloseTo(0.6, 14);
    expect(c.correlation[1][1]).toBeNaN();
    expect(c.eigenvalues).toHaveLength(2);
    expect(c.conditionNumber).toBeCloseTo(4, 10);
  });
});
