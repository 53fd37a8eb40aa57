import { describe, expect, it } from 'vitest';
import { DVID_PD, DVID_PK } from '../types';
import { subjectSeries } from './subject-series';
import { subjectSummaries } from './subject-summaries';
import { buildDataset, type FixtureRow } from './test-fixture';

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

describe('subjectSeries', () => {
  it('splits one subject into PK, PD and dose events', () => {
    expect(subjectSeries(buildDataset(rows), 1)).toEqual({
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
    const s = subjectSeries(buildDataset(rows), 0);
    expect([s.pk, s.doses, s.pd.length]).toEqual([[], [], 1]);
  });

  it('names an unknown subject index', () => {
    expect(() => subjectSeries(buildDataset(rows), 5)).toThrow(RangeError);
  });
});

describe('subjectSummaries', () => {
  it('describes each subject for a picker, by arm', () => {
    expect(subjectSummaries(buildDataset(rows))).toEqual([
      { subject: 0, id: 'x', dose: 0, label: 'Placebo', bw: 60, comed: 'without' },
      { subject: 1, id: 'y', dose: 3, label: '3 mg', bw: 75, comed: 'with' },
    ]);
  });

  it('gives null BW and COMED when the file has neither', () => {
    const bare = buildDataset(rows.map(({ cov: _, ...r }) => r));
    expect(subjectSummaries(bare).map((s) => [s.bw, s.comed])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});
