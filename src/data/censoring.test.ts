/** Below-LOQ observations at ingest: the CENS, BLQ + LLOQ and NONMEM MDV = 1 conventions (censoring.ts). */
import { describe, expect, it } from 'vitest';
import { ingestText } from './ingest';
import type { DataIssue, Dataset, IngestResult } from './types';

function accepted(result: IngestResult): { dataset: Dataset; warnings: DataIssue[] } {
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.errors.map((e) => e.message).join('; ')}`);
  return result;
}

function errorCodes(text: string): string[] {
  const result = ingestText(text, 'blq.csv');
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.errors.map((e) => e.code);
}

/** Observation records (EVID 0) as [line, dv, mdv, blq, lloq]. */
function observations(dataset: Dataset): number[][] {
  const r = dataset.records;
  const rows: number[][] = [];
  for (let k = 0; k < r.evid.length; k++) if (r.evid[k] === 0) rows.push([r.sourceLine[k], r.dv[k], r.mdv[k], r.blq[k], r.lloq[k]]);
  return rows;
}

describe('below-LOQ observations at ingest', () => {
  it('reads CENS = 1 with DV = LLOQ (Monolix, nlmixr2) as censored at DV, and counts them in a warning', () => {
    const { dataset, warnings } = accepted(
      ingestText(
        ['ID,TIME,DV,AMT,CENS', '1,0,.,100,0', '1,1,4.2,.,0', '1,12,0.1,.,1', '1,24,0.1,.,1', '2,0,.,100,0', '2,2,3,.,0'].join('\n'),
        'blq.csv',
      ),
    );
    expect(observations(dataset)).toEqual([
      [3, 4.2, 0, 0, 0],
      [4, 0.1, 0, 1, 0.1],
      [5, 0.1, 0, 1, 0.1],
      [7, 3, 0, 0, 0],
    ]);
    expect(dataset.subjects[0].pkCount).toBe(3);
    const warning = warnings.find((w) => w.code === 'below-loq-observations');
    expect(warning?.message).toContain('2 observations are below the limit of quantification (lines 4, 5)');
    expect(warning?.column).toBe('CENS');
    // CENS is not a covariate.
    expect(dataset.covariates.map((c) => c.name)).toEqual([]);
  });

  it('reads BLQ = 1 with the limit in LLOQ (or LOQ), whatever DV holds (0 or missing)', () => {
    for (const column of ['LLOQ', 'LOQ']) {
      const { dataset, warnings } = accepted(
        ingestText(
          [
            `ID,TIME,DV,EVID,MDV,AMT,BLQ,${column},WT`,
            '1,0,.,1,1,100,0,.,70',
            '1,1,4.2,0,0,0,0,0.5,70',
            '1,12,0,0,0,0,1,0.5,70',
            '1,24,.,0,0,0,1,0.5,70',
          ].join('\n'),
          'blq.csv',
        ),
      );
      expect(observations(dataset), column).toEqual([
        [3, 4.2, 0, 0, 0.5],
        [4, 0.5, 0, 1, 0.5],
        [5, 0.5, 0, 1, 0.5],
      ]);
      expect(warnings.map((w) => w.code)).toContain('below-loq-observations');
      expect(dataset.covariates.map((c) => c.name)).toEqual(['WT']);
    }
  });

  it('reads NONMEM rows excluded with MDV = 1 but flagged BLQ = 1 (EVID 0) as censored observations, and says so', () => {
    const { dataset, warnings } = accepted(
      ingestText(
        ['ID,TIME,DV,EVID,MDV,AMT,BLQ,LLOQ', '1,0,.,1,1,100,0,.', '1,1,4.2,0,0,0,0,0.5', '1,12,.,0,1,0,1,0.5', '1,24,.,0,1,0,0,0.5'].join(
          '\n',
        ),
        'blq.csv',
      ),
    );
    // Line 4 (BLQ) is a censored observation; line 5 (MDV 1, not BLQ) stays excluded.
    expect(observations(dataset)).toEqual([
      [3, 4.2, 0, 0, 0.5],
      [4, 0.5, 0, 1, 0.5],
      [5, Number.NaN, 1, 0, 0.5],
    ]);
    const warning = warnings.find((w) => w.code === 'below-loq-observations');
    expect(warning?.message).toContain('1 of them had MDV 1 (line 4), read as censored observations all the same');
    expect(warnings.find((w) => w.code === 'excluded-observations')?.message).toContain('1 observation records have MDV 1 (line 5)');
  });

  it('takes the limit from DV under BLQ = 1 without an LLOQ column, and refuses a censored observation without any limit', () => {
    const { dataset } = accepted(ingestText(['ID,TIME,DV,AMT,BLQ', '1,0,.,100,0', '1,2,3,.,0', '1,12,0.2,.,1'].join('\n'), 'blq.csv'));
    expect(observations(dataset)[1]).toEqual([4, 0.2, 0, 1, 0.2]);
    expect(errorCodes(['ID,TIME,DV,AMT,BLQ', '1,0,.,100,0', '1,2,3,.,0', '1,12,0,.,1'].join('\n'))).toEqual(['missing-lloq']);
  });

  it('keeps right-censored observations (CENS = −1) out of modelling with a warning, and refuses other flags', () => {
    const { dataset, warnings } = accepted(
      ingestText(['ID,TIME,DV,AMT,CENS', '1,0,.,100,0', '1,1,50,.,-1', '1,2,30,.,0'].join('\n'), 'blq.csv'),
    );
    expect(observations(dataset)).toEqual([
      [3, 50, 1, 0, 0],
      [4, 30, 0, 0, 0],
    ]);
    expect(warnings.map((w) => w.code)).toContain('right-censored-observations');
    expect(warnings.map((w) => w.code)).not.toContain('below-loq-observations');
    expect(errorCodes(['ID,TIME,DV,AMT,CENS', '1,0,.,100,0', '1,1,5,.,2'].join('\n'))).toEqual(['bad-censoring']);
    expect(errorCodes(['ID,TIME,DV,AMT,BLQ', '1,0,.,100,0', '1,1,5,.,yes'].join('\n'))).toEqual(['non-numeric']);
    expect(errorCodes(['ID,TIME,DV,AMT,LLOQ,LOQ', '1,0,.,100,0.1,0.1'].join('\n'))).toEqual(['duplicate-column']);
  });

  it('ignores a flag on a dose row and reads files without censoring columns as before (every blq 0, lloq 0)', () => {
    const { dataset } = accepted(ingestText(['ID,TIME,DV,EVID,MDV,AMT,BLQ', '1,0,.,1,1,100,1', '1,1,4,0,0,0,0'].join('\n'), 'blq.csv'));
    expect(Array.from(dataset.records.evid)).toEqual([1, 0]);
    expect(Array.from(dataset.records.blq)).toEqual([0, 0]);
    const plain = accepted(ingestText(['ID,TIME,DV,AMT', '1,0,.,100', '1,1,4,.'].join('\n'), 'plain.csv')).dataset;
    expect(Array.from(plain.records.blq)).toEqual([0, 0]);
    expect(Array.from(plain.records.lloq)).toEqual([0, 0]);
  });
});
