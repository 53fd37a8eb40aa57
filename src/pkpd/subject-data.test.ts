import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import { PkpdDataError } from './errors';
import { extractSubjects } from './subject-data';
import { readRealDatasetCsv } from '../testing/fixture-files';

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

  const HEADER = 'ID,BW,TIME,DV,EVID,MDV,AMT,CMT,DVID,RATE,SS,II,ADDL';
  const ORAL = [
    '1,70,0,.,1,1,5,1,0,0,0,0,0',
    '1,70,2,3.1,0,0,0,2,1,0,0,0,0',
    '1,70,24,.,1,1,5,1,0,0,0,0,0',
    '1,70,26,3.3,0,0,0,2,1,0,0,0,0',
  ];
  const refusal = (lines: string[]): string => {
    try {
      extractSubjects(dataset([HEADER, ...lines].join('\n')));
    } catch (error) {
      expect(error).toBeInstanceOf(PkpdDataError);
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('refuses infusions, steady-state doses and resets after a dose rather than read them as oral doses', () => {
    expect(refusal([...ORAL, '2,60,0,.,1,1,5,1,0,10,0,0,0', '2,60,2,3.1,0,0,0,2,1,0,0,0,0'])).toBe(
      'trial.csv has zero-order infusions (RATE or DUR): 1 infusion, first on line 6, subject 2. The mechanistic fit cannot model these yet: reading them as oral doses given at once would be wrong, so nothing was computed. The data can still be explored.',
    );
    expect(refusal(['1,70,0,.,1,1,5,1,0,0,1,24,0', ...ORAL.slice(1)])).toContain(
      'trial.csv has doses at steady state (SS): 1 steady-state dose, first on line 2, subject 1.',
    );
    expect(refusal([...ORAL, '1,70,0,.,1,1,5,1,0,0,0,0,0', '1,70,2,3.0,0,0,0,2,1,0,0,0,0'])).toContain(
      'resets of the compartments after a dose (EVID 3 or 4, or a new occasion where TIME restarts): 1 reset, first on line 6, subject 1.',
    );
    const both = refusal(['1,70,0,.,1,1,5,1,0,10,1,24,0', ...ORAL.slice(1)]);
    expect(both).toContain('zero-order infusions (RATE or DUR): 1 infusion, first on line 2, subject 1; and doses at steady state (SS)');
  });

  it('refuses mavoglurant.csv for its infusions and occasions before anything else', () => {
    const result = ingestText(readRealDatasetCsv('mavoglurant'), 'mavoglurant.csv');
    if (!result.ok) throw new Error('mavoglurant.csv rejected');
    expect(() => extractSubjects(result.dataset)).toThrow(
      /^mavoglurant\.csv has zero-order infusions \(RATE or DUR\): 198 infusions, first on line 2, subject 793; and resets of the compartments after a dose .*: 78 resets, first on line 588, subject 829\. The mechanistic fit cannot model these yet/,
    );
  });

  it('refuses doses the study says are intravenous', () => {
    expect(() => extractSubjects(dataset([HEADER, ...ORAL].join('\n')), { route: 'iv' })).toThrow(
      'The doses of trial.csv are intravenous (route iv), which the mechanistic fit does not model yet',
    );
  });

  it('reads additional doses (ADDL) as the doses they stand for', () => {
    const addl = extractSubjects(dataset([HEADER, '1,70,0,.,1,1,5,1,0,0,0,24,1', ...ORAL.slice(1, 2), ORAL[3]].join('\n')));
    const written = extractSubjects(dataset([HEADER, ...ORAL].join('\n')));
    expect(addl).toEqual(written);
    expect(addl[0].doses).toEqual([
      { time: 0, amount: 5 },
      { time: 24, amount: 5 },
    ]);
  });
});
