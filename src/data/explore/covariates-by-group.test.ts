import { describe, expect, it } from 'vitest';
import { covariatesByGroup } from './covariates-by-group';
import { subjectGroups } from './groups';
import { buildDataset, fixtureSpec, type FixtureRow } from './test-fixture';

const rows: FixtureRow[] = [
  { id: 1, time: 0, dv: 1, cov: { WT: 60.5, SEX: 0, ARM: 0 } },
  { id: 2, time: 0, dv: 1, cov: { WT: 80, SEX: 1, ARM: 0 } },
  { id: 2, time: 1, dv: 1, cov: { WT: 81, SEX: 1, ARM: 0 } },
  { id: 3, time: 0, evid: 1, amt: 1, cov: { WT: 70, SEX: 1, ARM: 1 } },
  { id: 4, time: 0, evid: 1, amt: 1, cov: { WT: Number.NaN, SEX: Number.NaN, ARM: 1 } },
  { id: 5, time: 0, evid: 1, amt: 1, cov: { WT: 90, SEX: 2, ARM: 1 } },
];

describe('covariatesByGroup', () => {
  const ds = buildDataset(rows);
  const groups = subjectGroups(
    ds,
    fixtureSpec((s) => (s.groupBy = 'ARM')),
  ).groups;

  it('draws a continuous covariate as each subject’s baseline by group and a few-valued one as counts per level', () => {
    const { panels, omitted, empty } = covariatesByGroup(ds, groups, { exclude: ['arm'] });
    expect([omitted, empty]).toEqual([[], []]);
    expect(panels).toEqual([
      {
        kind: 'continuous',
        name: 'WT',
        timeVarying: true,
        points: [
          { subject: 0, id: '1', label: 'ARM 0', value: 60.5 },
          { subject: 1, id: '2', label: 'ARM 0', value: 80 },
          { subject: 2, id: '3', label: 'ARM 1', value: 70 },
          { subject: 4, id: '5', label: 'ARM 1', value: 90 },
        ],
        missing: 1,
      },
      {
        kind: 'categorical',
        name: 'SEX',
        timeVarying: false,
        levels: [0, 1, 2],
        groups: [
          { label: 'ARM 0', counts: [1, 1, 0], missing: 0, total: 2 },
          { label: 'ARM 1', counts: [0, 1, 1], missing: 1, total: 3 },
        ],
      },
    ]);
  });

  it('draws the covariates a model uses first, at most the panel limit, naming the others', () => {
    const { panels, omitted } = covariatesByGroup(ds, groups, { first: ['sex'], panelLimit: 2 });
    expect(panels.map((p) => p.name)).toEqual(['SEX', 'WT']);
    expect(omitted).toEqual(['ARM']);
  });

  it('draws whole numbers with more than six values as continuous', () => {
    const many = buildDataset(Array.from({ length: 8 }, (_, i) => ({ id: i, time: 0, dv: 1, cov: { AGE: 20 + i } })));
    const all = subjectGroups(many, fixtureSpec()).groups;
    expect(covariatesByGroup(many, all).panels.map((p) => p.kind)).toEqual(['continuous']);
  });
});
