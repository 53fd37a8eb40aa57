import { describe, expect, it } from 'vitest';
import { DVID_PD, DVID_PK } from '../types';
import { individualSeries } from './individual-series';
import { subjectGroups } from './groups';
import { buildDataset, fixtureSpec } from './test-fixture';

describe('individualSeries', () => {
  const ds = buildDataset([
    { id: 7, time: 0, evid: 1, amt: 3 },
    { id: 7, time: 2, dv: 1.5, dvid: DVID_PK },
    { id: 7, time: 1, dv: 2.5, dvid: DVID_PK }, // out of order in the file
    { id: 7, time: 3, dv: 99, dvid: DVID_PK, mdv: 1 },
    { id: 7, time: 1, dv: 8, dvid: DVID_PD },
    { id: 8, time: 0, dv: 9, dvid: DVID_PD },
  ]);

  const groups = subjectGroups(ds, fixtureSpec()).groups;

  it('gives each subject its usable observations of one endpoint in time order, with its group', () => {
    expect(individualSeries(ds, { dvid: DVID_PK }, groups)).toEqual([
      {
        subject: 0,
        id: '7',
        label: '3 mg oral',
        points: [
          { time: 1, dv: 2.5 },
          { time: 2, dv: 1.5 },
        ],
      },
    ]);
    expect(individualSeries(ds, { dvid: DVID_PD }, groups).map((s) => [s.id, s.label, s.points.length])).toEqual([
      ['7', '3 mg oral', 1],
      ['8', 'no doses', 1],
    ]);
  });
});
