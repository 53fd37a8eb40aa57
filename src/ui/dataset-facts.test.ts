import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { readEstDataCsv, readRealDatasetCsv } from '../testing/fixture-files';
import { datasetFacts } from './dataset-facts';

function dataset(text: string, name: string): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error('did not ingest');
  return result.dataset;
}

describe('datasetFacts', () => {
  it('counts subjects, doses and observations by type, and lists every covariate (DOSE too: grouping is the study’s)', () => {
    const facts = new Map(datasetFacts(dataset(readEstDataCsv(), 'EstData.csv')));
    expect(facts.get('Subjects')).toBe('48');
    expect(facts.get('Dose records')).toBe('756');
    expect(facts.get('Observations')).toBe('2,064 (DVID 1: 864, DVID 2: 1,200)');
    expect(facts.get('Covariates')).toBe('BW, COMED, DOSE');
    expect([...facts.keys()].some((k) => k.startsWith('Arms'))).toBe(false);
  });

  it('counts observations by CMT when the file has no DVID column', () => {
    const facts = new Map(datasetFacts(dataset(readRealDatasetCsv('mavoglurant'), 'mavoglurant.csv')));
    expect(facts.get('Observations')).toBe('2,427');
    expect(facts.get('Covariates')).toBe('DOSE (time-varying), AGE, SEX, WT, HT');
  });

  it('names at most twelve covariates', () => {
    const names = Array.from({ length: 30 }, (_, k) => `X${k + 1}`);
    const text = [`ID,TIME,DV,AMT,${names.join(',')}`, `1,0,.,5${',1'.repeat(30)}`, `1,1,2.0,.${',1'.repeat(30)}`].join('\n');
    const facts = new Map(datasetFacts(dataset(text, 'wide.csv')));
    expect(facts.get('Covariates')).toBe('X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12 and 18 more');
  });
});
