import { describe, expect, it } from 'vitest';
import { DVID_PD, DVID_PK } from '../types';
import { subjectSeries } from './subject-series';
import { subjectSummaries } from './subject-summaries';
import { subjectGroups } from './groups';
import { buildDataset, fixtureSpec, type FixtureRow } from './test-fixture';

const rows: FixtureRow[] = [
  { id: 'x', time: 0, dv: 11, dvid: DVID_PD, cov: { BW: 60, COMED: 0 } },
  { id: 'y', time: 0, evid: 1, amt: 3, cov: { BW: 75, COMED: 1 } },
  { id: 'y', time: 0, dv: 9, dvid: DVID_PD },
  { id: 'y', time: 1, dv: 0.5, dvid: DVID_PK },
  { id: 'y', time: 1, dv: 7, dvid: DVID_PD },
  { id: 'y', time: 2, dv: 50, dvid: DVID_PK, mdv: 1 },
  { id: 'y', time: 24, evid: 1, amt: 3 },
  { id: 'y', time: 24, dv: 0.2, dvid: DVID_PK },
];

const ENDPOINTS = { pk: { dvid: DVID_PK }, pd: { dvid: DVID_PD } };

describe('subjectSeries', () => {
  it('splits one subject into PK, PD and dose events', () => {
    expect(subjectSeries(buildDataset(rows), 1, ENDPOINTS)).toEqual({
      subject: 1,
      id: 'y',
      pk: [
        { time: 1, dv: 0.5 },
        { time: 24, dv: 0.2 },
      ],
      pd: [
        { time: 0, dv: 9 },
        { time: 1, dv: 7 },
      ],
      doses: [
        { time: 0, amt: 3 },
        { time: 24, amt: 3 },
      ],
    });
  });

  it('gives a placebo subject no doses and no PK', () => {
    const s = subjectSeries(buildDataset(rows), 0, ENDPOINTS);
    expect([s.pk, s.doses, s.pd.length]).toEqual([[], [], 1]);
  });

  it('leaves out an endpoint the spec does not have', () => {
    const s = subjectSeries(buildDataset(rows), 1, { pk: { dvid: DVID_PK } });
    expect([s.pk.length, s.pd.length]).toEqual([2, 0]);
  });

  it('names an unknown subject index', () => {
    expect(() => subjectSeries(buildDataset(rows), 5, ENDPOINTS)).toThrow(RangeError);
  });
});

describe('subjectSummaries', () => {
  it('describes each subject for a picker, by group, with the covariates asked for that the file has', () => {
    const ds = buildDataset(rows);
    expect(subjectSummaries(ds, subjectGroups(ds, fixtureSpec()).groups, ['bw', 'HT', 'COMED'])).toEqual([
      {
        subject: 0,
        id: 'x',
        label: 'no doses',
        covariates: [
          { name: 'BW', value: 60 },
          { name: 'COMED', value: 0 },
        ],
      },
      {
        subject: 1,
        id: 'y',
        label: '3 mg oral, 2 doses every 24 h',
        covariates: [
          { name: 'BW', value: 75 },
          { name: 'COMED', value: 1 },
        ],
      },
    ]);
  });
});
