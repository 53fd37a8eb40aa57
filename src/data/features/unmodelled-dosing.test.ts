/**
 * The network features read every dose as an oral bolus: they refuse infusions, steady-state doses and
 * resets after a dose (rather than read them as oral boluses), and read additional doses (ADDL) as
 * the plain doses they are.
 */
import { describe, expect, it } from 'vitest';
import { UnmodelledDosingError } from '../unmodelled-dosing';
import { buildDatasetFeatures } from './dataset-features';
import { fitFeatureModel } from './model';
import type { FeatureSpec } from './spec';
import { readSubjectRecords } from './subject-records';
import { csvDataset } from './test-support';
import { ingestText } from '../ingest';
import { readRealDatasetCsv } from '../../testing/fixture-files';

const FIXED: Partial<FeatureSpec> = { eliminationRate: 0.05, pkShape: { ka: 1, alpha: 0.1, rho: 0.5 } };
const HEADER = 'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW,RATE,SS,II,ADDL';
const ORAL = [
  '1,0,.,1,1,10,1,0,70,0,0,0,0',
  '1,2,0.5,0,0,0,2,1,70,0,0,0,0',
  '1,24,.,1,1,10,1,0,70,0,0,0,0',
  '1,26,0.6,0,0,0,2,1,70,0,0,0,0',
];

function refusal(run: () => unknown): UnmodelledDosingError {
  try {
    run();
  } catch (error) {
    if (error instanceof UnmodelledDosingError) return error;
    throw error;
  }
  throw new Error('expected an UnmodelledDosingError');
}

describe('the features refuse what they do not model', () => {
  const subject2 = (line: string): string[] => [line, '2,2,0.4,0,0,0,2,1,60,0,0,0,0'];

  it.each([
    ['an infusion (RATE)', '2,0,.,1,1,10,1,0,60,5,0,0,0', 'zero-order infusions (RATE or DUR): 1 infusion, first on line 6, subject 2'],
    [
      'a dose at steady state (SS)',
      '2,0,.,1,1,10,1,0,60,0,1,24,0',
      'doses at steady state (SS): 1 steady-state dose, first on line 6, subject 2',
    ],
  ])('refuses %s, naming file, line and subject, in fitting, building and reading', (_, line, what) => {
    const dataset = csvDataset([HEADER, ...ORAL, ...subject2(line)], 'study.csv');
    const fit = refusal(() => fitFeatureModel(dataset, { dvid: 1, ...FIXED }, [0, 1]));
    expect(fit.name).toBe('UnmodelledDosingError');
    expect(fit.message).toBe(
      `study.csv has ${what}. The network features cannot model these yet: reading them as oral doses given at once would be wrong, so nothing was computed. The data can still be explored.`,
    );
    const model = fitFeatureModel(dataset, { dvid: 1, ...FIXED }, [0]);
    expect(() => buildDatasetFeatures(dataset, model, [0, 1])).toThrow(UnmodelledDosingError);
    expect(() => readSubjectRecords(dataset, 1, 1)).toThrow(UnmodelledDosingError);
    // Subject 1 alone has only oral doses.
    expect(buildDatasetFeatures(dataset, model, [0]).nRows).toBe(2);
  });

  it('refuses a reset after a dose (a new occasion), not a reset before any dose', () => {
    const restart = csvDataset([HEADER, ...ORAL, '1,0,.,1,1,10,1,0,70,0,0,0,0', '1,2,0.5,0,0,0,2,1,70,0,0,0,0'], 'occasions.csv');
    expect(refusal(() => fitFeatureModel(restart, { dvid: 1, ...FIXED }, [0])).message).toContain(
      'occasions.csv has resets of the compartments after a dose (EVID 3 or 4, or a new occasion where TIME restarts): 1 reset, first on line 6, subject 1.',
    );
    const resetFirst = csvDataset([HEADER, '1,0,.,4,1,10,1,0,70,0,0,0,0', ...ORAL.slice(1)]);
    expect(fitFeatureModel(resetFirst, { dvid: 1, ...FIXED }, [0]).trainingSubjects).toBe(1);
  });

  it('refuses mavoglurant.csv (infusions and occasions)', () => {
    const result = ingestText(readRealDatasetCsv('mavoglurant'), 'mavoglurant.csv');
    if (!result.ok) throw new Error('mavoglurant.csv rejected');
    const message = refusal(() => fitFeatureModel(result.dataset, { dvid: 1 }, [0, 1, 2])).message;
    expect(message).toMatch(/^mavoglurant\.csv has zero-order infusions \(RATE or DUR\): 3 infusions, first on line 2, subject 793\. /);
  });
});

describe('the features read additional doses (ADDL) as the doses they stand for', () => {
  it('gives the same features as the doses written out', () => {
    const written = csvDataset([HEADER, ...ORAL, '1,48,.,1,1,10,1,0,70,0,0,0,0', '1,50,0.7,0,0,0,2,1,70,0,0,0,0']);
    const addl = csvDataset([
      HEADER,
      '1,0,.,1,1,10,1,0,70,0,0,24,2',
      '1,2,0.5,0,0,0,2,1,70,0,0,0,0',
      '1,26,0.6,0,0,0,2,1,70,0,0,0,0',
      '1,50,0.7,0,0,0,2,1,70,0,0,0,0',
    ]);
    const model = fitFeatureModel(written, { dvid: 1, ...FIXED }, [0]);
    expect(fitFeatureModel(addl, { dvid: 1, ...FIXED }, [0])).toEqual(model);
    const fromAddl = buildDatasetFeatures(addl, model, [0]);
    const fromWritten = buildDatasetFeatures(written, model, [0]);
    expect(fromAddl.matrix).toEqual(fromWritten.matrix);
    expect(Array.from(fromAddl.rows.time)).toEqual([2, 26, 50]);
  });
});
