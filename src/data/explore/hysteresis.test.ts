import { describe, expect, it } from 'vitest';
import { DVID_PD, DVID_PK } from '../types';
import { subjectGroups } from './groups';
import { hysteresisLoops } from './hysteresis';
import { buildDataset, fixtureSpec, type FixtureRow } from './test-fixture';

const obs = (id: string, time: number, dv: number, dvid: number): FixtureRow => ({ id, time, dv, dvid });
const PK = { dvid: DVID_PK };
const PD = { dvid: DVID_PD };

function loops(rows: FixtureRow[]) {
  const ds = buildDataset(rows);
  return hysteresisLoops(ds, PK, PD, subjectGroups(ds, fixtureSpec()).groups);
}

describe('hysteresisLoops', () => {
  const rows: FixtureRow[] = [
    obs('P', 0, 10, DVID_PD), // placebo: PD only → no loop
    { id: 'A', time: 0, evid: 1, amt: 5 },
    obs('A', 0, 10, DVID_PD),
    obs('A', 1, 4, DVID_PK),
    obs('A', 1, 8, DVID_PD),
    obs('A', 2, 6, DVID_PK), // no PD at 2 → not paired
    obs('A', 4, 2, DVID_PK),
    obs('A', 4, 6, DVID_PD),
    { id: 'B', time: 0, evid: 1, amt: 5 },
    obs('B', 4, 4, DVID_PK),
    obs('B', 4, 9, DVID_PD),
    obs('B', 1, 6, DVID_PK),
  ];

  it('pairs mean PK and mean PD at times where both exist, in time order', () => {
    const found = loops(rows);
    expect(found.map((l) => l.label)).toEqual(['5 mg oral']);
    expect(found[0].points).toEqual([
      { time: 1, pk: 5, pd: 8, nPk: 2, nPd: 1 },
      { time: 4, pk: 3, pd: 7.5, nPk: 2, nPd: 2 },
    ]);
  });

  it('is empty without PD observations', () => {
    expect(loops(rows.filter((r) => r.dvid !== DVID_PD))).toEqual([]);
  });

  it('pairs binned PK and PD through one shared time grouping', () => {
    // PK at 0, 1, …, 39 and PD at 0.5, 1.5, …, 39.5: no exact time in common, 80 distinct times.
    const [loop] = loops([
      { id: 'A', time: 0, evid: 1, amt: 1 },
      ...Array.from({ length: 40 }, (_, i) => obs('A', i, 2, DVID_PK)),
      ...Array.from({ length: 40 }, (_, i) => obs('A', i + 0.5, 5, DVID_PD)),
    ]);
    expect(loop.binned).toBe(true);
    expect(loop.points.length).toBeGreaterThan(20);
    expect(loop.points.every((p) => p.pk === 2 && p.pd === 5)).toBe(true);
  });
});
