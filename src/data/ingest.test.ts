import { describe, expect, it } from 'vitest';
import { ingestText } from './ingest';
import type { DataIssue, Dataset, IngestResult } from './types';
import { readEstDataCsv } from '../testing/fixture-files';

const ESTDATA = readEstDataCsv();

function accepted(result: IngestResult): { dataset: Dataset; warnings: DataIssue[] } {
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.errors.map((e) => e.message).join('; ')}`);
  return result;
}

function rejected(result: IngestResult): DataIssue[] {
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.errors;
}

function errorCodes(text: string): string[] {
  return rejected(ingestText(text, 'trial.csv')).map((e) => e.code);
}

function onlyError(text: string, code: string): DataIssue {
  const errors = rejected(ingestText(text, 'trial.csv'));
  expect(errors.map((e) => e.code)).toEqual([code]);
  expect(errors[0].message.startsWith('trial.csv')).toBe(true);
  expect(errors[0].hint.length).toBeGreaterThan(10);
  return errors[0];
}

const GOOD = [
  'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,BW,COMED',
  '1,0,.,1,1,5,1,0,70,0',
  '1,0,0.05,0,0,0,2,1,70,0',
  '1,0,10.2,0,0,0,3,2,70,0',
  '1,2,3.1,0,0,0,2,1,70,0',
  '1,2,9.5,0,0,0,3,2,70,0',
  '2,0,11.0,0,0,0,3,2,82,1',
  '2,24,10.7,0,0,0,3,2,82,1',
].join('\n');

describe('ingestText accepts what real files look like', () => {
  it('reads a NONMEM-style file into grouped columnar records', () => {
    const { dataset } = accepted(ingestText(GOOD, 'trial.csv'));
    expect(dataset.rowCount).toBe(7);
    expect(dataset.subjects.map((s) => s.id)).toEqual(['1', '2']);
    expect(Array.from(dataset.records.evid)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(dataset.records.dvid)).toEqual([0, 1, 2, 1, 2, 2, 2]);
    expect(Array.from(dataset.records.sourceLine)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(dataset.records.amt)).toEqual([5, 0, 0, 0, 0, 0, 0]);
    expect(dataset.observationTypes).toEqual([1, 2]);
    expect(dataset.covariates.map((c) => [c.name, c.kind, c.binary])).toEqual([
      ['BW', 'subject', false],
      ['COMED', 'subject', true],
    ]);
    expect(dataset.subjects[0]).toMatchObject({ armDose: 5, doseCount: 1, pkCount: 2, pdCount: 2 });
    expect(dataset.subjects[1]).toMatchObject({ armDose: 0, doseCount: 0, pkCount: 0, pdCount: 2, baseline: { BW: 82, COMED: 1 } });
  });

  it('accepts semicolons with decimal commas, a byte-order mark, CRLF and lower-case headers', () => {
    const text = '\uFEFF' + GOOD.toLowerCase().replaceAll(',', ';').replace('10.2', '10,2').replaceAll('\n', '\r\n');
    const { dataset } = accepted(ingestText(text, 'trial.csv'));
    expect(dataset.format).toMatchObject({ delimiter: ';', hadByteOrderMark: true, decimalComma: true });
    expect(dataset.records.dv[2]).toBeCloseTo(10.2);
    expect(dataset.subjects).toHaveLength(2);
  });

  it('accepts a tab-separated Monolix-style file with . for missing and no EVID/MDV', () => {
    const text = [
      'ID\tTIME\tY\tAMT\tYTYPE\tWT',
      '7\t0\t.\t10\t.\t64',
      '7\t1\t4.2\t.\t1\t64',
      '7\t24\t1.1\t10\t1\t64',
      '7\t48\t0.9\t.\t1\t.',
    ].join('\n');
    const { dataset } = accepted(ingestText(text, 'monolix.txt'));
    expect(dataset.format.inferredEvents).toBe(true);
    expect(dataset.format.delimiter).toBe('\t');
    // The row with both AMT and Y gives an observation (pre-dose) then a dose.
    expect(Array.from(dataset.records.evid)).toEqual([1, 0, 0, 1, 0]);
    expect(Array.from(dataset.records.time)).toEqual([0, 1, 24, 24, 48]);
    expect(dataset.subjects[0]).toMatchObject({ doseCount: 2, pkCount: 3, armDose: 10 });
    expect(dataset.covariates[0]).toMatchObject({ name: 'WT', kind: 'subject' });
  });

  it('tolerates a trailing delimiter and blank lines', () => {
    const text =
      GOOD.split('\n')
        .map((l) => `${l},`)
        .join('\n\n') + '\n\n';
    expect(accepted(ingestText(text, 'trial.csv')).dataset.rowCount).toBe(7);
  });

  it('reads the challenge dataset with its known facts', () => {
    const { dataset, warnings } = accepted(ingestText(ESTDATA, 'EstData.csv'));
    expect(warnings).toEqual([]);
    expect(dataset.subjects).toHaveLength(48);
    const arms = new Map<number, number>();
    for (const s of dataset.subjects) arms.set(s.armDose, (arms.get(s.armDose) ?? 0) + 1);
    expect([...arms.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 12],
      [1, 12],
      [3, 12],
      [10, 12],
    ]);
    const dosed = dataset.subjects.filter((s) => s.armDose > 0);
    expect(dosed.every((s) => s.doseCount === 21)).toBe(true);
    expect(dataset.subjects.filter((s) => s.armDose === 0).every((s) => s.doseCount === 0 && s.pkCount === 0)).toBe(true);
    expect(dataset.covariates.map((c) => c.name)).toEqual(['BW', 'COMED', 'DOSE']);
    expect(dataset.observationTypes).toEqual([1, 2]);
  });
});

describe('ingestText warns about oddities that can still be modelled', () => {
  const warningCodes = (text: string): string[] => accepted(ingestText(text, 'trial.csv')).warnings.map((w) => w.code);

  it('warns about MDV 1 observations, replicates and concentrations ≤ 0', () => {
    const text = `${GOOD}\n2,24,10.9,0,0,0,3,2,82,1\n2,30,9,0,1,0,3,2,82,1\n1,3,-0.1,0,0,0,2,1,70,0`;
    expect(warningCodes(text).sort()).toEqual(
      ['excluded-observations', 'non-positive-concentration', 'replicate-observations', 'subject-split'].sort(),
    );
  });

  it('ignores text covariate columns and reports missing covariates and time-varying ones', () => {
    const text = GOOD.replace('COMED', 'COMED,SEX')
      .split('\n')
      .map((l, i) => (i === 0 ? l : `${l},${i % 2 ? 'M' : 'F'}`))
      .join('\n')
      .replace('2,24,10.7,0,0,0,3,2,82,1', '2,24,10.7,0,0,0,3,2,.,1')
      .replace('2,0,11.0,0,0,0,3,2,82,1', '2,0,11.0,0,0,0,3,2,.,1')
      .replace('1,2,9.5,0,0,0,3,2,70,0', '1,2,9.5,0,0,0,3,2,71,0');
    const { dataset, warnings } = accepted(ingestText(text, 'trial.csv'));
    expect(warnings.map((w) => w.code).sort()).toEqual(['missing-covariate', 'text-column-ignored']);
    expect(dataset.covariates.find((c) => c.name === 'BW')?.kind).toBe('time-varying');
  });

  it('infers DVID from two observation compartments and warns', () => {
    const withoutDvid = GOOD.split('\n').map((l) =>
      l
        .split(',')
        .filter((_, i) => i !== 7)
        .join(','),
    );
    const { dataset, warnings } = accepted(ingestText(withoutDvid.join('\n'), 'trial.csv'));
    expect(warnings.map((w) => w.code)).toEqual(['dvid-from-cmt']);
    expect(Array.from(dataset.records.dvid)).toEqual([0, 1, 2, 1, 2, 2, 2]);
  });

  it('reads RATE > 0 as an infusion without a warning (it was "ignored" with one)', () => {
    const text = GOOD.replace('COMED', 'COMED,RATE')
      .split('\n')
      .map((l, i) => (i === 0 ? l : `${l},${i === 1 ? 2 : 0}`))
      .join('\n');
    const { dataset, warnings } = accepted(ingestText(text, 'trial.csv'));
    expect(warnings).toEqual([]);
    expect(Array.from(dataset.records.rate)).toEqual([2, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(dataset.records.duration)).toEqual([2.5, 0, 0, 0, 0, 0, 0]);
  });
});

describe('ingestText rejects bad input with a message naming file, line, column and remedy', () => {
  it('rejects an empty file', () => {
    onlyError('', 'empty-file');
    onlyError('\uFEFF \r\n', 'empty-file');
  });

  it('rejects a binary file', () => {
    onlyError('PK\u0003\u0004\u0014\u0000\u0006\u0000xl/workbook.xml', 'binary-file');
  });

  it('rejects a header without data rows', () => {
    onlyError('ID,TIME,DV\n', 'no-data-rows');
  });

  it('rejects a missing required column, naming it', () => {
    const error = onlyError(GOOD.replace('TIME', 'TAD'), 'missing-column');
    expect(error).toMatchObject({ column: 'TIME', line: 1 });
    expect(error.message).toContain('TIME');
  });

  it('rejects duplicate column names', () => {
    expect(errorCodes(GOOD.replace('BW', 'DV'))).toContain('duplicate-column');
  });

  it('rejects non-numeric values in standard and covariate columns', () => {
    const error = onlyError(GOOD.replace('1,2,3.1', '1,2,3.1x'), 'non-numeric');
    expect(error).toMatchObject({ line: 5, column: 'DV' });
    expect(error.message).toBe('trial.csv, line 5, column DV: "3.1x" is not a number');
    expect(onlyError(GOOD.replace('82,1\n2,24', '82kg,1\n2,24'), 'non-numeric')).toMatchObject({ line: 7, column: 'BW' });
  });

  it('rejects a negative TIME', () => {
    expect(onlyError(GOOD.replace('1,2,3.1', '1,-2,3.1'), 'negative-time')).toMatchObject({ line: 5, column: 'TIME' });
  });

  it('rejects TIME decreasing within a subject', () => {
    const error = onlyError(GOOD.replace('2,24,10.7', '2,-0,10.7').replace('2,0,11.0', '2,5,11.0'), 'decreasing-time');
    expect(error).toMatchObject({ line: 8, column: 'TIME' });
    expect(error.message).toContain('line 7');
  });

  it('rejects exactly duplicated records', () => {
    const text = `${GOOD}\n2,24,10.7,0,0,0,3,2,82,1`;
    const error = onlyError(text, 'duplicate-record');
    expect(error).toMatchObject({ line: 9 });
    expect(error.message).toContain('line 8');
  });

  it('accepts any DVID, with one warning for types beyond PK and PD; rejects a missing one', () => {
    const { dataset, warnings } = accepted(ingestText(GOOD.replace('1,2,3.1,0,0,0,2,1', '1,2,3.1,0,0,0,2,3'), 'trial.csv'));
    expect(warnings.map((w) => w.code)).toEqual(['other-observation-types']);
    expect(dataset.observationTypes).toEqual([1, 2, 3]);
    expect(onlyError(GOOD.replace('1,2,3.1,0,0,0,2,1', '1,2,3.1,0,0,0,2,.'), 'missing-dvid')).toMatchObject({ line: 5, column: 'DVID' });
  });

  it('rejects a subject without observations', () => {
    const error = onlyError(`${GOOD}\n3,0,.,1,1,5,1,0,60,0\n3,24,.,1,1,5,1,0,60,0`, 'subject-without-observations');
    expect(error.message).toContain('subject 3');
    expect(error.message).toContain('2 dose records');
  });

  it('rejects an observation without DV, a dose without amount, and unknown EVIDs', () => {
    expect(onlyError(GOOD.replace('1,2,3.1,0,0', '1,2,.,0,0'), 'missing-dv')).toMatchObject({ line: 5 });
    expect(onlyError(GOOD.replace('1,0,.,1,1,5', '1,0,.,1,1,0'), 'bad-amount')).toMatchObject({ line: 2, column: 'AMT' });
    expect(onlyError(GOOD.replace('1,2,3.1,0,0', '1,2,3.1,9,0'), 'bad-evid')).toMatchObject({ line: 5 });
    expect(onlyError(GOOD.replace('1,2,3.1,0,0', '1,2,3.1,7,0'), 'unsupported-evid').message).toContain('rxode2');
    expect(onlyError(GOOD.replace('1,2,3.1,0,0', '1,2,3.1,10101,0'), 'unsupported-evid').message).toContain('only 101');
  });

  it('rejects a line with the wrong number of fields', () => {
    expect(onlyError(GOOD.replace('1,2,3.1,0', '1,2,3.1,,0'), 'field-count')).toMatchObject({ line: 5 });
  });

  it('rejects steady-state dosing without a dosing interval (SS and ADDL are read now)', () => {
    const text = GOOD.replace('COMED', 'COMED,SS,II')
      .split('\n')
      .map((l, i) => (i === 0 ? l : `${l},${i === 1 ? '1,0' : '0,0'}`))
      .join('\n');
    expect(onlyError(text, 'ss-without-ii')).toMatchObject({ line: 2, column: 'SS' });
  });

  it('rejects rows without ID, TIME or EVID', () => {
    expect(onlyError(GOOD.replace('\n1,2,3.1', '\n,2,3.1'), 'missing-id')).toMatchObject({ line: 5, column: 'ID' });
    expect(onlyError(GOOD.replace('1,2,3.1', '1,.,3.1'), 'missing-time')).toMatchObject({ line: 5, column: 'TIME' });
    expect(onlyError(GOOD.replace('1,2,3.1,0', '1,2,3.1,.'), 'missing-evid')).toMatchObject({ line: 5, column: 'EVID' });
  });

  it('rejects an unbalanced quote', () => {
    expect(errorCodes(GOOD.replace('1,2,3.1', '1,2,"3.1'))).toContain('malformed-line');
  });

  it('rejects dose records when there is no AMT column', () => {
    const text = 'ID,TIME,DV,EVID\n1,0,.,1\n1,1,2.0,0';
    expect(onlyError(text, 'missing-column')).toMatchObject({ column: 'AMT' });
  });

  it('rejects observations from more than two compartments when there is no DVID column', () => {
    const text = 'ID,TIME,DV,CMT\n1,1,2.0,2\n1,2,3.0,3\n1,3,4.0,4';
    expect(onlyError(text, 'ambiguous-observations')).toMatchObject({ column: 'CMT' });
  });

  it('reads all observations as PK, with a warning, when nothing tells their type', () => {
    const result = accepted(ingestText('ID,TIME,DV\n1,1,2.0\n1,2,3.0', 'trial.csv'));
    expect(result.warnings.map((w) => w.code)).toEqual(['dvid-assumed']);
    expect(result.dataset.observationTypes).toEqual([1]);
  });

  it('lists ten errors of a kind and folds the rest into one issue that counts them and names their lines', () => {
    const rows = Array.from({ length: 150 }, (_, i) => `1,${i},bad`);
    const result = ingestText(['ID,TIME,DV', ...rows].join('\n'), 'big.csv');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(11);
      expect(result.errors.slice(0, 10).map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(result.errors[10]).toMatchObject({
        code: 'non-numeric',
        line: 12,
        column: 'DV',
        count: 140,
        message: 'big.csv, line 12, column DV: 140 more like the 10 above (lines 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 and 130 more)',
      });
      expect(result.omittedErrors).toBe(0);
    }
  });
});

describe('ingestText reports progress', () => {
  it('reports rising fractions ending at 1', () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => `${1 + Math.floor(i / 100)},${i % 100},${(i % 7) + 1}`);
    const fractions: number[] = [];
    accepted(ingestText(['ID,TIME,DV', ...rows].join('\n'), 'big.csv', (f) => fractions.push(f)));
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions[fractions.length - 1]).toBe(1);
  });
});
