import { describe, expect, it } from 'vitest';
import { individualPd, individualPk, type PkFixedEffects } from './covariates';

const TWO: PkFixedEffects = { compartments: 2, cl: 0.044, v: 2.6, ka: 0.9, q: 0.17, v2: 5.9, betaCl: 1.3, betaV: 1, comedOnCl: 0.8 };

describe('covariate models', () => {
  it('applies power models of body weight, the COMED factor and η', () => {
    const p = individualPk(TWO, { bw: 140, comed: 1 }, { cl: 0.1, v: -0.2 });
    if (p.compartments !== 2) throw new Error('expected two compartments');
    expect(p.cl).toBeCloseTo(0.044 * 2 ** 1.3 * 0.8 * Math.exp(0.1), 12);
    expect(p.v).toBeCloseTo(2.6 * 2 * Math.exp(-0.2), 12);
    expect(p.q).toBeCloseTo(0.17 * 2 ** 1.3, 12);
    expect(p.v2).toBeCloseTo(5.9 * 2, 12);
    expect(p.ka).toBe(0.9);
    const flat = individualPk({ ...TWO, peripheralAllometry: false }, { bw: 140, comed: 0 });
    if (flat.compartments !== 2) throw new Error('expected two compartments');
    expect(flat.q).toBe(0.17);
    expect(flat.cl).toBeCloseTo(0.044 * 2 ** 1.3, 12);
  });

  it('gives typical values at 70 kg without COMED', () => {
    expect(individualPk({ ...TWO, compartments: 1 }, { bw: 70, comed: 0 })).toEqual({ compartments: 1, ka: 0.9, cl: 0.044, v: 2.6 });
    const pd = individualPd(
      { base: 10, comedOnBase: 0.76, kout: 0.015, imax: 0.88, ic50: 1.2 },
      { bw: 90, comed: 1 },
      { base: 0.1, ic50: -0.1 },
    );
    expect(pd.base).toBeCloseTo(10 * 0.76 * Math.exp(0.1), 12);
    expect(pd.ic50).toBeCloseTo(1.2 * Math.exp(-0.1), 12);
    expect(pd.kout).toBe(0.015);
  });
});
