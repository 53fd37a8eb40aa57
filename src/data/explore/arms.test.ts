import { describe, expect, it } from 'vitest';
import { armIndexBySubject, armLabel, deriveArms } from './arms';
import { buildDataset } from './test-fixture';

describe('armLabel', () => {
  it('names placebo and doses in mg', () => {
    expect(armLabel(0)).toBe('Placebo');
    expect(armLabel(1)).toBe('1 mg');
    expect(armLabel(10)).toBe('10 mg');
    expect(armLabel(0.5)).toBe('0.5 mg');
    expect(armLabel(0.1 + 0.2)).toBe('0.3 mg');
    expect(armLabel(Number.NaN)).toBe('Unknown dose');
  });
});

describe('deriveArms', () => {
  it('groups subjects by arm dose, ordered by dose', () => {
    const ds = buildDataset([
      { id: 'a', time: 0, evid: 1, amt: 10 },
      { id: 'b', time: 0, dv: 5 },
      { id: 'c', time: 0, evid: 1, amt: 1 },
      { id: 'd', time: 0, evid: 1, amt: 10 },
      { id: 'e', time: 0, evid: 1, amt: 3 },
    ]);
    const arms = deriveArms(ds);
    expect(arms.map((a) => a.label)).toEqual(['Placebo', '1 mg', '3 mg', '10 mg']);
    expect(arms.map((a) => a.subjects)).toEqual([[1], [2], [4], [0, 3]]);
    expect(Array.from(armIndexBySubject(ds, arms))).toEqual([3, 0, 1, 3, 2]);
  });

  it('uses the DOSE covariate when present', () => {
    const ds = buildDataset([
      { id: 1, time: 0, evid: 1, amt: 5, cov: { DOSE: 3 } },
      { id: 2, time: 0, dv: 1, cov: { DOSE: 0 } },
    ]);
    expect(deriveArms(ds).map((a) => [a.label, a.subjects])).toEqual([
      ['Placebo', [1]],
      ['3 mg', [0]],
    ]);
  });
});
