import { describe, expect, it } from 'vitest';
import { DVID_PD, DVID_PK } from '../types';
import { explorerModel } from './explorer-model';
import { buildDataset, fixtureSpec, type FixtureRow } from './test-fixture';

const rows: FixtureRow[] = [
  { id: 1, time: 0, dv: 10, dvid: DVID_PD, cov: { WT: 70, SEX: 1, ARM: 0 } },
  { id: 2, time: 0, evid: 1, amt: 2, cov: { WT: 80, SEX: 0, ARM: 2 } },
  { id: 2, time: 1, dv: 3, dvid: DVID_PK },
  { id: 2, time: 1, dv: 6, dvid: DVID_PD },
  { id: 2, time: 2, dv: 9, dvid: DVID_PD, mdv: 1 },
];

describe('explorerModel', () => {
  it('derives every panel of a full file through its spec: groups, covariates, endpoints, loops', () => {
    const m = explorerModel(
      buildDataset(rows),
      fixtureSpec((s) => (s.groupBy = 'ARM')),
    );
    expect(m.groupBy).toBe('ARM');
    expect(m.groups.map((g) => [g.label, g.dosed])).toEqual([
      ['ARM 0', false],
      ['ARM 2', true],
    ]);
    // ARM is the grouping: not drawn as a covariate of itself.
    expect(m.covariates.map((c) => [c.name, c.kind])).toEqual([
      ['WT', 'categorical'],
      ['SEX', 'categorical'],
    ]);
    expect(m.pk?.curves).toHaveLength(1);
    expect(m.pd?.curves).toHaveLength(2);
    expect(m.loops.map((l) => l.points)).toEqual([[{ time: 1, pk: 3, pd: 6, nPk: 1, nPd: 1 }]]);
    expect([m.pkCount, m.pdCount, m.subjects.length, m.pkIndividuals.length]).toEqual([1, 2, 2, 1]);
    expect(m.endpoints).toEqual({
      pk: { selector: { dvid: 1 }, name: 'Concentration', unit: 'ng/mL' },
      pd: { selector: { dvid: 2 }, name: 'Response', unit: 'ng/mL' },
    });
    expect([m.timeUnit, m.amountUnit, m.reference, m.defaultSubject]).toEqual(['h', 'mg', null, 1]);
    expect(m.subjects[1].covariates).toEqual([
      { name: 'WT', value: 80 },
      { name: 'SEX', value: 0 },
    ]);
  });

  it('names endpoints and units as the spec does, and draws the criterion on the endpoint it concerns', () => {
    const spec = fixtureSpec((s) => {
      s.endpoints = { pk: { dvid: 1, name: 'Theophylline' }, pd: { dvid: 2, name: 'Inhibition' } };
      s.units = { time: 'd', amount: 'µg', concentration: 'µg/L', response: '%' };
      s.questions = {
        endpoint: 'pk',
        criterion: { rule: 'within', range: [5, 15], window: 'trough' },
        targets: [0.9],
        regimens: [{ name: 'daily', interval: 1, route: 'oral', step: 1 }],
        scenarios: [{ name: 'all', covariates: 'resample' }],
        virtualSubjects: 100,
        seed: 1,
      };
    });
    const m = explorerModel(buildDataset(rows), spec);
    expect(m.endpoints.pk).toMatchObject({ name: 'Theophylline', unit: 'µg/L' });
    expect(m.endpoints.pd).toMatchObject({ name: 'Inhibition', unit: '%' });
    expect([m.timeUnit, m.amountUnit]).toEqual(['d', 'µg']);
    expect(m.reference).toEqual({ endpoint: 'pk', rule: 'within', range: [5, 15], unit: 'µg/L' });
    spec.questions!.criterion = { rule: 'below', threshold: 3.3, window: 'throughout' };
    spec.questions!.endpoint = 'pd';
    expect(explorerModel(buildDataset(rows), spec).reference).toEqual({ endpoint: 'pd', rule: 'below', value: 3.3, unit: '%' });
  });

  it('leaves out what a PK-only spec or file lacks: no PD, no loops, no covariates', () => {
    const bare = buildDataset(rows.map(({ cov: _, ...r }) => r));
    const m = explorerModel(
      bare,
      fixtureSpec((s) => delete s.endpoints.pd),
    );
    expect([m.endpoints.pd, m.pd, m.loops, m.pdCount, m.covariates]).toEqual([null, null, [], 0, []]);
    expect(m.pk?.curves.map((c) => c.label)).toEqual(['2 mg oral']);
    // A PD endpoint the file has no observations of: no PD plots either.
    const none = explorerModel(
      bare,
      fixtureSpec((s) => (s.endpoints.pd = { dvid: 9 })),
    );
    expect([none.pd, none.loops]).toEqual([null, []]);
  });

  it('treats a covariate column with no values as nothing to draw', () => {
    const m = explorerModel(buildDataset(rows.map((r) => ({ ...r, cov: { WT: Number.NaN } }))), fixtureSpec());
    expect(m.covariates).toEqual([]);
  });
});
