/**
 * What NONMEM files say about doses, read by ingest: ADDL/II, SS, RATE/DUR, EVID 2/3/4/101, occasions
 * where TIME restarts, and any DVID.
 */
import { describe, expect, it } from 'vitest';
import { ingestText } from './ingest';
import { OCCASION_TIME_ALIGN, OCCASION_TIME_GAP, occasionOffset } from './occasions';
import type { DataIssue, Dataset, IngestResult } from './types';

function accepted(result: IngestResult): { dataset: Dataset; warnings: DataIssue[] } {
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.errors.map((e) => e.message).join('; ')}`);
  return result;
}

function errorsOf(result: IngestResult): DataIssue[] {
  if (result.ok) throw new Error('expected the file to be rejected');
  for (const e of result.errors) {
    expect(e.message.startsWith('dosing.csv')).toBe(true);
    expect(e.hint.length).toBeGreaterThan(20);
  }
  return result.errors;
}

function read(lines: readonly string[]): { dataset: Dataset; warnings: DataIssue[] } {
  return accepted(ingestText(lines.join('\n'), 'dosing.csv'));
}

function onlyError(lines: readonly string[], code: string): DataIssue {
  const errors = errorsOf(ingestText(lines.join('\n'), 'dosing.csv'));
  expect(errors.map((e) => e.code)).toEqual([code]);
  return errors[0];
}

const column = (dataset: Dataset, name: keyof Dataset['records']): number[] => Array.from(dataset.records[name]);

describe('ADDL: additional doses', () => {
  const HEADER = 'ID,TIME,DV,EVID,MDV,AMT,CMT,DVID,ADDL,II,BW';

  it('expands ADDL = 3, II = 24 into four doses merged in time order, each with the line that asked for it', () => {
    const { dataset, warnings } = read([
      HEADER,
      '1,0,.,1,1,5,1,0,3,24,70',
      '1,12,2.0,0,0,0,2,1,0,0,70',
      '1,24,1.5,0,0,0,2,1,0,0,71',
      '1,50,1.8,0,0,0,2,1,0,0,72',
      '1,100,0.5,0,0,0,2,1,0,0,73',
    ]);
    expect(warnings).toEqual([]);
    expect(column(dataset, 'time')).toEqual([0, 12, 24, 24, 48, 50, 72, 100]);
    // The observation at 24 h stays before the dose at 24 h.
    expect(column(dataset, 'evid')).toEqual([1, 0, 0, 1, 1, 0, 1, 0]);
    expect(column(dataset, 'sourceLine')).toEqual([2, 3, 4, 2, 2, 5, 2, 6]);
    expect(column(dataset, 'sourceTime')).toEqual(column(dataset, 'time'));
    expect(column(dataset, 'amt')).toEqual([5, 0, 0, 5, 5, 0, 5, 0]);
    expect(column(dataset, 'ii')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(dataset.subjects[0]).toMatchObject({ doseCount: 4, recordCount: 8, pkCount: 4, armDose: 5 });
    // An additional dose carries the covariates of the line that asked for it.
    expect(Array.from(dataset.covariates[0].values)).toEqual([70, 70, 71, 70, 70, 72, 70, 73]);
  });

  it('merges two series and the file’s own doses stably, and keeps other subjects apart', () => {
    const { dataset } = read([
      HEADER,
      '1,0,.,1,1,5,1,0,2,12,70',
      '1,6,.,1,1,2,1,0,1,18,70',
      '1,24,.,1,1,7,1,0,0,0,70',
      '1,30,1.0,0,0,0,2,1,0,0,70',
      '2,0,.,1,1,9,1,0,1,10,80',
      '2,5,1.0,0,0,0,2,1,0,0,80',
      '2,20,1.0,0,0,0,2,1,0,0,80',
    ]);
    // Subject 1: 0 (5), 6 (2), 12 (5, +1), 24 (7, line 4), 24 (5, +2), 24 (2, +1), 30 obs.
    expect(column(dataset, 'time').slice(0, 7)).toEqual([0, 6, 12, 24, 24, 24, 30]);
    expect(column(dataset, 'amt').slice(0, 7)).toEqual([5, 2, 5, 7, 5, 2, 0]);
    expect(column(dataset, 'sourceLine').slice(0, 7)).toEqual([2, 3, 2, 4, 2, 3, 5]);
    expect(column(dataset, 'subject')).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(column(dataset, 'time').slice(7)).toEqual([0, 5, 10, 20]);
    expect(dataset.subjects.map((s) => [s.firstRecord, s.recordCount, s.doseCount])).toEqual([
      [0, 7, 6],
      [7, 4, 2],
    ]);
  });

  it('repeats an infusion with its rate and duration; only the dose as written is at steady state', () => {
    const { dataset } = read(['ID,TIME,DV,EVID,MDV,AMT,CMT,RATE,SS,ADDL,II', '1,0,.,1,1,10,1,5,1,2,12', '1,30,1.0,0,0,0,1,0,0,0,0']);
    expect(column(dataset, 'time')).toEqual([0, 12, 24, 30]);
    expect(column(dataset, 'rate')).toEqual([5, 5, 5, 0]);
    expect(column(dataset, 'duration')).toEqual([2, 2, 2, 0]);
    expect(column(dataset, 'ss')).toEqual([1, 0, 0, 0]);
    expect(column(dataset, 'ii')).toEqual([12, 0, 0, 0]);
  });

  it('refuses ADDL without II, a fractional or negative ADDL, naming the line', () => {
    expect(onlyError([HEADER, '1,0,.,1,1,5,1,0,3,0,70', '1,2,1.0,0,0,0,2,1,0,0,70'], 'addl-without-ii')).toMatchObject({
      line: 2,
      column: 'ADDL',
    });
    expect(onlyError([HEADER, '1,0,.,1,1,5,1,0,2.5,24,70', '1,2,1.0,0,0,0,2,1,0,0,70'], 'bad-addl').message).toBe(
      'dosing.csv, line 2, column ADDL: ADDL 2.5 is not a whole number of additional doses',
    );
    expect(onlyError([HEADER, '1,0,.,1,1,5,1,0,-1,24,70', '1,2,1.0,0,0,0,2,1,0,0,70'], 'bad-addl')).toMatchObject({ line: 2 });
    expect(onlyError([HEADER, '1,0,.,1,1,5,1,0,1,-24,70', '1,2,1.0,0,0,0,2,1,0,0,70'], 'bad-ii')).toMatchObject({ line: 2, column: 'II' });
  });

  it('refuses more additional doses than the limit, naming the line where the total passes it', () => {
    const text = [HEADER, '1,0,.,1,1,5,1,0,3,24,70', '1,1,1.0,0,0,0,2,1,0,0,70', '2,0,.,1,1,5,1,0,3,24,70', '2,1,1.0,0,0,0,2,1,0,0,70'];
    const result = ingestText(text.join('\n'), 'dosing.csv', undefined, { limits: { maxAdditionalDoses: 5 } });
    const errors = errorsOf(result);
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([['too-many-additional-doses', 4, 'ADDL']]);
    expect(errors[0].message).toBe(
      'dosing.csv, line 4, column ADDL: ADDL 3 asks for 3 additional dose records; with the 3 asked for on earlier lines that is more than the 5 a file may expand to',
    );
    const atLimit = accepted(ingestText(text.join('\n'), 'dosing.csv', undefined, { limits: { maxAdditionalDoses: 6 } }));
    expect(atLimit.dataset.records.time).toHaveLength(4 + 6);
  });

  it('refuses a reset or an SS = 1 dose among the additional doses of an earlier line', () => {
    const reset = onlyError(
      ['ID,TIME,DV,EVID,MDV,AMT,ADDL,II,SS', '1,0,.,1,1,5,3,24,0', '1,30,.,3,1,0,0,0,0', '1,31,1.0,0,0,0,0,0,0'],
      'additional-doses-past-reset',
    );
    expect(reset.line).toBe(3);
    expect(reset.message).toBe(
      'dosing.csv, line 3: the reset (EVID 3) on this line comes while the additional doses (ADDL) of line 2 still run, until TIME 72',
    );
    const steady = onlyError(
      ['ID,TIME,DV,EVID,MDV,AMT,ADDL,II,SS', '1,0,.,1,1,5,3,24,0', '1,48,.,1,1,5,0,24,1', '1,50,1.0,0,0,0,0,0,0'],
      'additional-doses-past-reset',
    );
    expect(steady.message).toContain('the steady-state dose (SS 1, which resets what came before) on this line');
    // After the series has ended, a reset is fine; so is SS = 2, which does not reset.
    read(['ID,TIME,DV,EVID,MDV,AMT,ADDL,II,SS', '1,0,.,1,1,5,3,24,0', '1,73,.,4,1,5,0,0,0', '1,80,1.0,0,0,0,0,0,0']);
    read(['ID,TIME,DV,EVID,MDV,AMT,ADDL,II,SS', '1,0,.,1,1,5,3,24,0', '1,48,.,1,1,5,0,24,2', '1,80,1.0,0,0,0,0,0,0']);
  });
});

describe('SS: doses at steady state', () => {
  const HEADER = 'ID,TIME,DV,EVID,MDV,AMT,SS,II';

  it('stores SS 1 and 2 with their interval', () => {
    const { dataset } = read([HEADER, '1,0,.,1,1,5,1,24', '1,12,3.0,0,0,0,0,0', '1,24,.,1,1,5,2,12', '1,30,2.0,0,0,0,0,0']);
    expect(column(dataset, 'ss')).toEqual([1, 0, 2, 0]);
    expect(column(dataset, 'ii')).toEqual([24, 0, 12, 0]);
    expect(column(dataset, 'reset')).toEqual([0, 0, 0, 0]);
  });

  it('refuses SS without II > 0, and SS codes other than 0, 1, 2, naming the line', () => {
    const error = onlyError([HEADER, '1,0,.,1,1,5,1,.', '1,12,3.0,0,0,0,0,0'], 'ss-without-ii');
    expect(error).toMatchObject({ line: 2, column: 'SS' });
    expect(error.message).toBe(
      'dosing.csv, line 2, column SS: SS 1 (a dose at steady state) needs the dosing interval II > 0, but II is 0',
    );
    expect(onlyError([HEADER, '1,0,.,1,1,5,3,24', '1,12,3.0,0,0,0,0,0'], 'bad-ss')).toMatchObject({ line: 2, column: 'SS' });
  });

  it('ignores SS, II and ADDL on records that are not doses', () => {
    const { dataset } = read([HEADER, '1,0,.,1,1,5,0,0', '1,12,3.0,0,0,0,1,0']);
    expect(column(dataset, 'ss')).toEqual([0, 0]);
  });

  it('says what a steady-state constant infusion (AMT 0, RATE > 0) is, and that it is not read', () => {
    const error = onlyError(['ID,TIME,DV,EVID,MDV,AMT,RATE,SS,II', '1,0,.,1,1,0,5,1,0', '1,12,3.0,0,0,0,0,0,0'], 'bad-amount');
    expect(error.message).toContain('a steady-state constant infusion');
    expect(error.hint).toContain('is not supported');
  });
});

describe('RATE and DUR: zero-order infusions', () => {
  it('reads RATE > 0 as an infusion lasting AMT / RATE, and ignores RATE on observations', () => {
    const { dataset, warnings } = read(['ID,TIME,DV,EVID,MDV,AMT,RATE', '1,0,.,1,1,100,50', '1,1,3.0,0,0,0,7', '1,12,.,1,1,30,0']);
    expect(warnings.map((w) => w.code)).toEqual(['dvid-assumed']);
    expect(column(dataset, 'rate')).toEqual([50, 0, 0]);
    expect(column(dataset, 'duration')).toEqual([2, 0, 0]);
  });

  it('reads RATE = −2 with DUR, and DUR alone (or TINF) without a RATE column', () => {
    const minus2 = read(['ID,TIME,DV,EVID,MDV,AMT,RATE,DUR', '1,0,.,1,1,100,-2,4', '1,1,3.0,0,0,0,0,0']).dataset;
    expect([column(minus2, 'rate')[0], column(minus2, 'duration')[0]]).toEqual([25, 4]);
    const tinf = read(['ID,TIME,DV,AMT,TINF', '1,0,.,100,0.5', '1,1,3.0,.,.']).dataset;
    expect([column(tinf, 'rate')[0], column(tinf, 'duration')[0]]).toEqual([200, 0.5]);
    expect(tinf.covariates).toEqual([]);
    // A DUR that agrees with AMT / RATE is accepted.
    read(['ID,TIME,DV,EVID,MDV,AMT,RATE,DUR', '1,0,.,1,1,100,50,2', '1,1,3.0,0,0,0,0,0']);
  });

  it('refuses RATE = −1 (rate estimated by the model) clearly', () => {
    const error = onlyError(['ID,TIME,DV,EVID,MDV,AMT,RATE', '1,0,.,1,1,100,-1', '1,1,3.0,0,0,0,0'], 'modelled-rate');
    expect(error).toMatchObject({ line: 2, column: 'RATE' });
    expect(error.message).toBe(
      'dosing.csv, line 2, column RATE: RATE −1 means that the model estimates the infusion rate, which this app does not support',
    );
  });

  it('refuses RATE = −2 without a usable DUR, a DUR that contradicts RATE, DUR on a bolus, and other negative rates', () => {
    expect(onlyError(['ID,TIME,DV,EVID,MDV,AMT,RATE', '1,0,.,1,1,100,-2', '1,1,3.0,0,0,0,0'], 'rate-without-duration').message).toContain(
      'no DUR column',
    );
    expect(
      onlyError(['ID,TIME,DV,EVID,MDV,AMT,RATE,DUR', '1,0,.,1,1,100,-2,0', '1,1,3.0,0,0,0,0,0'], 'rate-without-duration'),
    ).toMatchObject({
      column: 'DUR',
    });
    expect(
      onlyError(['ID,TIME,DV,EVID,MDV,AMT,RATE,DUR', '1,0,.,1,1,100,50,3', '1,1,3.0,0,0,0,0,0'], 'rate-and-duration').message,
    ).toContain('AMT / RATE = 2, but DUR says 3');
    expect(
      onlyError(['ID,TIME,DV,EVID,MDV,AMT,RATE,DUR', '1,0,.,1,1,100,0,3', '1,1,3.0,0,0,0,0,0'], 'duration-without-rate'),
    ).toMatchObject({
      line: 2,
    });
    expect(onlyError(['ID,TIME,DV,EVID,MDV,AMT,RATE', '1,0,.,1,1,100,-3', '1,1,3.0,0,0,0,0'], 'bad-rate')).toMatchObject({ line: 2 });
  });

  it('refuses text in a dosing column, naming its column as written', () => {
    expect(onlyError(['ID,TIME,DV,EVID,MDV,AMT,Rate', '1,0,.,1,1,100,fast', '1,1,3.0,0,0,0,0'], 'non-numeric')).toMatchObject({
      line: 2,
      column: 'Rate',
    });
  });
});

describe('EVID 2, 3, 4 and rxode2’s 101', () => {
  const HEADER = 'ID,TIME,DV,EVID,MDV,AMT,CMT';

  it('keeps EVID 2 as an other event, EVID 3 as a reset, and EVID 4 as a reset and dose', () => {
    const { dataset, warnings } = read([
      HEADER,
      '1,0,.,1,1,5,1',
      '1,2,3.0,0,0,0,2',
      '1,5,.,2,1,0,2',
      '1,10,.,3,1,0,1',
      '1,12,.,4,1,7,1',
      '1,14,2.0,0,0,0,2',
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['dvid-assumed']);
    expect(column(dataset, 'evid')).toEqual([1, 0, 2, 3, 1, 0]);
    expect(column(dataset, 'reset')).toEqual([0, 0, 0, 1, 1, 0]);
    expect(column(dataset, 'occasion')).toEqual([0, 0, 0, 1, 2, 2]);
    expect(column(dataset, 'amt')).toEqual([5, 0, 0, 0, 7, 0]);
    expect(column(dataset, 'time')).toEqual([0, 2, 5, 10, 12, 14]);
    expect(dataset.subjects[0]).toMatchObject({ doseCount: 2, pkCount: 2 });
  });

  it('reads EVID 101 as a dose into CMT 1 with one warning naming the coding; refuses 101 into another CMT', () => {
    const { dataset, warnings } = read(['ID,TIME,DV,EVID,AMT,CMT', '1,0,0,101,320,.', '1,1,5.0,0,0,2', '2,0,0,101,300,1', '2,1,4.0,0,0,2']);
    expect(column(dataset, 'evid')).toEqual([1, 0, 1, 0]);
    expect(column(dataset, 'cmt')).toEqual([1, 2, 1, 2]);
    expect(warnings.map((w) => w.code)).toEqual(['rxode2-evid', 'dvid-assumed']);
    expect(warnings[0].message).toBe(
      "dosing.csv, line 2, column EVID: EVID 101 (lines 2, 4) is rxode2/nlmixr2's code for a dose into compartment 1: read as doses (EVID 1) into CMT 1",
    );
    expect(onlyError(['ID,TIME,DV,EVID,AMT,CMT', '1,0,0,101,320,2', '1,1,5.0,0,0,2'], 'bad-evid').message).toContain('but CMT is 2');
  });
});

describe('occasions: TIME restarts within a subject', () => {
  const HEADER = 'ID,TIME,DV,EVID,MDV,AMT';
  const twoOccasions = (id: string): string[] => [
    `${id},0,.,1,1,5`,
    `${id},2,3.0,0,0,0`,
    `${id},30,1.0,0,0,0`,
    `${id},0,.,1,1,5`,
    `${id},2,3.2,0,0,0`,
  ];

  it('reads a restart at a dose as a reset, keeps TIME as written, and places the occasion after the previous one', () => {
    const { dataset, warnings } = read([HEADER, ...twoOccasions('1')]);
    const offset = occasionOffset(30, 0);
    expect(offset).toBe(72); // 30 h + 24 h gap = 54 h, rounded up to whole days
    expect(column(dataset, 'time')).toEqual([0, 2, 30, 72, 74]);
    expect(column(dataset, 'sourceTime')).toEqual([0, 2, 30, 0, 2]);
    expect(column(dataset, 'occasion')).toEqual([0, 0, 0, 1, 1]);
    expect(column(dataset, 'reset')).toEqual([0, 0, 0, 1, 0]);
    expect(column(dataset, 'evid')).toEqual([1, 0, 0, 1, 0]);
    expect(warnings.map((w) => w.code)).toEqual(['dvid-assumed', 'occasion-restart']);
    expect(warnings[1]).toMatchObject({ line: 5, column: 'TIME' });
    expect(warnings[1].message).toBe(
      "dosing.csv, line 5, column TIME: subject 1 restarts TIME at a new occasion (line 5): read as a reset, as NONMEM's EVID 4",
    );
  });

  it('places the next occasion at least the gap after the previous one ends, additional doses and infusions included', () => {
    expect(OCCASION_TIME_GAP).toBe(24);
    expect(OCCASION_TIME_ALIGN).toBe(24);
    const withAddl = read([
      'ID,TIME,DV,EVID,MDV,AMT,ADDL,II',
      '1,0,.,1,1,5,4,24',
      '1,2,3.0,0,0,0,0,0',
      '1,0,.,1,1,5,0,0',
      '1,1,3.0,0,0,0,0,0',
    ]);
    // The series ends at 96 h: the next occasion starts at 96 + 24 = 120 h.
    expect(column(withAddl.dataset, 'time')).toEqual([0, 2, 24, 48, 72, 96, 120, 121]);
    const withInfusion = read(['ID,TIME,DV,EVID,MDV,AMT,RATE', '1,0,.,1,1,50,1', '1,2,3.0,0,0,0,0', '1,0,.,1,1,5,0', '1,1,3.0,0,0,0,0']);
    // The infusion runs to 50 h: the next occasion starts at the first whole day at least 74 h, 96 h.
    expect(column(withInfusion.dataset, 'time')).toEqual([0, 2, 96, 97]);
  });

  it('gives one warning for many subjects that restart', () => {
    const lines = [HEADER];
    for (let id = 1; id <= 8; id++) lines.push(...twoOccasions(String(id)));
    const { warnings } = read(lines);
    const restart = warnings.filter((w) => w.code === 'occasion-restart');
    expect(restart).toHaveLength(1);
    expect(restart[0].message).toBe(
      "dosing.csv, line 5, column TIME: 8 subjects restart TIME at a new occasion (subjects 1, 2, 3, 4, 5, … on lines 5, 10, 15, 20, 25 and 3 more): read as a reset, as NONMEM's EVID 4",
    );
  });

  it('reads a restart at a row with both DV and AMT (no EVID) as one new occasion, the pre-dose sample first', () => {
    const { dataset } = read(['ID,TIME,DV,AMT', '1,0,0.1,5', '1,2,3.0,.', '1,0,0.2,5', '1,2,3.1,.']);
    expect(column(dataset, 'evid')).toEqual([0, 1, 0, 0, 1, 0]);
    expect(column(dataset, 'time')).toEqual([0, 0, 2, 48, 48, 50]);
    expect(column(dataset, 'reset')).toEqual([0, 0, 0, 1, 0, 0]);
    expect(column(dataset, 'occasion')).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('reads a restart where OCC changes, even at an observation; OCC is not a covariate', () => {
    const { dataset } = read([
      'ID,TIME,DV,EVID,MDV,AMT,OCC,WT',
      '1,0,.,1,1,5,1,70',
      '1,2,3.0,0,0,0,1,70',
      '1,1,2.0,0,0,0,2,70',
      '1,3,1.0,0,0,0,2,70',
    ]);
    expect(column(dataset, 'reset')).toEqual([0, 0, 1, 0]);
    expect(column(dataset, 'occasion')).toEqual([0, 0, 1, 1]);
    expect(column(dataset, 'time')).toEqual([0, 2, 49, 51]);
    expect(dataset.covariates.map((c) => c.name)).toEqual(['WT']);
  });

  it('still refuses TIME going back at an observation of the same occasion', () => {
    const error = onlyError(['ID,TIME,DV,EVID,MDV,AMT,OCC', '1,0,.,1,1,5,1', '1,5,3.0,0,0,0,1', '1,3,2.0,0,0,0,1'], 'decreasing-time');
    expect(error).toMatchObject({ line: 4, column: 'TIME' });
    expect(error.message).toBe('dosing.csv, line 4, column TIME: TIME 3 of subject 1 is earlier than 5 on line 3');
    expect(onlyError([HEADER, '1,0,.,1,1,5', '1,5,3.0,0,0,0', '1,3,2.0,0,0,0'], 'decreasing-time').hint).toContain('new occasion');
  });

  it('reads TIME going back at an explicit EVID 4 without the warning', () => {
    const { dataset, warnings } = read([HEADER, '1,0,.,1,1,5', '1,2,3.0,0,0,0', '1,0,.,4,1,5', '1,2,3.0,0,0,0']);
    expect(warnings.map((w) => w.code)).toEqual(['dvid-assumed']);
    expect(column(dataset, 'time')).toEqual([0, 2, 48, 50]);
    expect(column(dataset, 'reset')).toEqual([0, 0, 1, 0]);
  });

  it('does not call a record repeated in another occasion a duplicate, nor a sample at the same TIME a replicate', () => {
    const { warnings } = read([HEADER, '1,0,.,1,1,5', '1,2,3.0,0,0,0', '1,0,.,1,1,5', '1,2,3.0,0,0,0']);
    expect(warnings.map((w) => w.code)).toEqual(['dvid-assumed', 'occasion-restart']);
  });
});

describe('DVID: any observation type', () => {
  it('keeps DVID 3, 1001 and 1.5 as written, lists them, and warns once', () => {
    const { dataset, warnings } = read([
      'ID,TIME,DV,EVID,MDV,AMT,DVID',
      '1,0,.,1,1,5,0',
      '1,1,3.0,0,0,0,1',
      '1,1,9.0,0,0,0,2',
      '1,2,40,0,0,0,3',
      '1,3,41,0,0,0,3',
      '1,4,0.5,0,0,0,1001',
      '1,5,0.7,0,0,0,1.5',
    ]);
    expect(column(dataset, 'dvid')).toEqual([0, 1, 2, 3, 3, 1001, 1.5]);
    expect(dataset.observationTypes).toEqual([1, 1.5, 2, 3, 1001]);
    expect(dataset.subjects[0]).toMatchObject({ pkCount: 1, pdCount: 1 });
    expect(warnings.map((w) => w.code)).toEqual(['other-observation-types']);
    expect(warnings[0]).toMatchObject({ line: 5, column: 'DVID' });
    expect(warnings[0].message).toBe(
      'dosing.csv, line 5, column DVID: observations of 3 types other than DVID 1 (PK) and 2 (PD) are kept but not modelled (DVID 1.5: 1 (line 8); DVID 3: 2 (lines 5, 6); DVID 1001: 1 (line 7))',
    );
  });
});
