import { describe, expect, it } from 'vitest';
import { ingestText } from '../data/ingest';
import type { Dataset } from '../data/types';
import { readEstDataCsv } from '../testing/fixture-files';
import { datasetFacts } from './dataset-facts';

function dataset(text: string, name: string): Dataset {
  const result = ingestText(text, name);
  if (!result.ok) throw new Error('did not ingest');
  return result.dataset;
}

describe('datasetFacts', () => {
  it('shows DOSE as the arms’ label, not as a covariate', () => {
    const facts = new Map(datasetFacts(dataset(readEstDataCsv(), 'EstData.csv')));
    expect(facts.get('Arms (by DOSE)')).toBe('4 — 0, 1, 3, 10 mg');
    expect(facts.get('Covariates')).toBe('BW, COMED');
    expect(facts.get('Subjects')).toBe('48');
  });

  it('says arms come from each subject’s usual dose when the file has no DOSE column', () => {
    const text = ['ID,TIME,DV,AMT,WT', '1,0,.,5,70', '1,1,2.0,.,70', '2,0,.,10,80', '2,1,3.0,.,80'].join('\n');
    const facts = new Map(datasetFacts(dataset(text, 'arms.csv')));
    expect(facts.get('Arms (by usual dose)')).toBe('2 — 5, 10 mg');
    expect(facts.get('Covariates')).toBe('WT');
  });

  it('names at most twelve covariates', () => {
    const names = Array.from({ length: 30 }, (_, k) => `X${k + 1}`);
    const text = [`ID,TIME,DV,AMT,${names.join(',')}`, `1,0,.,5${',1'.repeat(30)}`, `1,1,2.0,.${',1'.repeat(30)}`].join('\n');
    const facts = new Map(datasetFacts(dataset(text, 'wide.csv')));
    expect(facts.get('Covariates')).toBe('X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12 and 18 more');
  });
});
