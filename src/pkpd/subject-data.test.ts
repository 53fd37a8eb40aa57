import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import { PkpdDataError } from './errors';
import { extractSubjects } from './subject-data';

function dataset(text: string) {
  const result = ingestText(text, 'trial.csv');
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.dataset;
}

describe('subjects for mechanistic modelling', () => {
  it('splits dose records, PK and PD observations per subject', () => {
    const subjects = extractSubjects(
      dataset(
        [
          'ID,BW,COMED,TIME,DV,EVID,MDV,AMT,CMT,DVID',
          '1,70,0,0,.,1,1,5,1,0',
          '1,70,0,0,10.2,0,0,0,3,2',
          '1,70,0,2,3.1,0,0,0,2,1',
          '1,70,0,2,9.5,0,0,0,3,2',
          '1,70,0,24,.,1,1,5,1,0',
          '2,82,1,0,11.0,0,0,0,3,2',
        ].join('\n'),
      ),
    );
    expect(subjects.map((s) => [s.id, s.bw, s.comed, s.doses.length, s.pk.times.length, s.pd.times.length])).toEqual([
      ['1', 70, 0, 2, 1, 2],
      ['2', 82, 1, 0, 0, 1],
    ]);
    expect(subjects[0].doses).toEqual([
      { time: 0, amount: 5 },
      { time: 24, amount: 5 },
    ]);
  });

  it('needs body weight, and reads a missing COMED column as 0', () => {
    expect(() => extractSubjects(dataset(['ID,TIME,DV,EVID,MDV,AMT,CMT,DVID', '1,0,.,1,1,5,1,0', '1,2,3,0,0,0,2,1'].join('\n')))).toThrow(
      PkpdDataError,
    );
    const subjects = extractSubjects(
      dataset(['ID,BW,TIME,DV,EVID,MDV,AMT,CMT,DVID', '1,60,0,.,1,1,5,1,0', '1,60,2,3,0,0,0,2,1'].join('\n')),
    );
    expect(subjects[0].comed).toBe(0);
  });
});
