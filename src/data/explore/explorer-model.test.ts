import { describe, expect, it } from 'vitest';
import { DVID_PD, DVID_PK } from '../types';
import { explorerModel } from './explorer-model';
import { buildDataset, type FixtureRow } from './test-fixture';

const rows: FixtureRow[] = [
  { id: 1, time: 0, dv: 10, dvid: DVID_PD, cov: { BW: 70, COMED: 1 } },
  { id: 2, time: 0, evid: 1, amt: 2, cov: { BW: 80, COMED: 0 } },
  { id: 2, time: 1, dv: 3, dvid: DVID_PK },
  { id: 2, time: 1, dv: 6, dvid: DVID_PD },
  { id: 2, time: 2, dv: 9, dvid: DVID_PD, mdv: 1 },
];

describe('explorerModel', () => {
  it('derives every panel of a full file', () => {
    const m = explorerModel(buildDataset(rows));
    expect(m.arms.map((a) => a.label)).toEqual(['Placebo', '2 mg']);
    expect(m.comed?.map((c) => [c.with, c.without])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(m.bodyWeight?.weights.map((w) => w.bw)).toEqual([70, 80]);
    expect(m.pk?.curves).toHaveLength(1);
    expect(m.pd?.curves).toHaveLength(2);
    expect(m.loops.map((l) => l.points)).toEqual([[{ time: 1, pk: 3, pd: 6, nPk: 1, nPd: 1 }]]);
    expect([m.pkCount, m.pdCount, m.subjects.length, m.pkIndividuals.length]).toEqual([1, 2, 2, 1]);
  });

  it('leaves out what a PK-only file without covariates lacks', () => {
    const m = explorerModel(buildDataset(rows.filter((r) => r.dvid !== DVID_PD).map(({ cov: _, ...r }) => r)));
    expect([m.comed, m.bodyWeight, m.pd, m.loops, m.pdCount]).toEqual([null, null, null, [], 0]);
    expect(m.pk?.curves.map((c) => c.label)).toEqual(['2 mg']);
  });

  it('treats a BW column with no values as no BW', () => {
    const m = explorerModel(buildDataset(rows.map((r) => ({ ...r, cov: { BW: Number.NaN } }))));
    expect(m.bodyWeight).toBeNull();
  });
});
