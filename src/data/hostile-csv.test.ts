/**
 * The hostile-input corpus (`src/testing/hostile-csv.ts`) through the whole ingest: each case checks
 * the kind of message a user sees (code and key words, file, line, column) and that a refused file
 * yields nothing partial.
 */
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, ingestBytes, ingestFile } from './ingest-file';
import { ingestText } from './ingest';
import { MAX_ID_LENGTH } from './event-rows';
import { MAX_COLUMNS } from './columns';
import type { DataIssue, Dataset, IngestResult } from './types';
import { readEstDataCsv } from '../testing/fixture-files';
import { MAX_ADDITIONAL_DOSES } from './dose-details';
import {
  addlBombCsv,
  DOSE_LINES,
  encodeUtf16,
  encodeUtf32,
  encodeUtf8,
  encodeWindows1252,
  FORMULA_IDS,
  formulaIdsCsv,
  formulaInNumberCsv,
  hugeCellCsv,
  IMG_COLUMN,
  IMG_ID,
  latin1Text,
  LATIN1_IDS,
  lineWhere,
  longLineCsv,
  nulByteCsv,
  oneLargeSubjectCsv,
  overflowCsv,
  PROTOTYPE_KEYS,
  prototypeKeysCsv,
  randomBytes,
  SCRIPT_COLUMN,
  SCRIPT_ID,
  scriptInjectionCsv,
  splitSubjectsCsv,
  validCsv,
  wideHeaderCsv,
  withCell,
  withDosing,
} from '../testing/hostile-csv';

function accepted(result: IngestResult): { dataset: Dataset; warnings: DataIssue[] } {
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.errors.map((e) => e.message).join('; ')}`);
  return result;
}

/** The errors of a refused file; checks that nothing partial came with them. */
function refused(result: IngestResult): DataIssue[] {
  if (result.ok) throw new Error('expected the file to be refused');
  expect(Object.keys(result).sort()).toEqual(['errors', 'fileName', 'ok', 'omittedErrors', 'warnings']);
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(e.message.startsWith(`${result.fileName}`)).toBe(true);
    expect(e.hint.length).toBeGreaterThan(20);
  }
  return result.errors;
}

/** The single error of a refused file, of the given code. */
function onlyError(result: IngestResult, code: string): DataIssue {
  const errors = refused(result);
  expect(errors.map((e) => e.code)).toEqual([code]);
  return errors[0];
}

describe('every number is finite or refused', () => {
  it.each(['TIME', 'DV', 'AMT', 'BW'] as const)('refuses 1e309 (read as Infinity) in %s, naming line and column', (column) => {
    const error = onlyError(ingestText(overflowCsv(column), 'trial.csv'), 'number-out-of-range');
    expect(error).toMatchObject({ line: 4, column });
    expect(error.message).toBe(
      'trial.csv, line 4, column ' + column + ': 1e309 is too large to be a number (beyond ±1.8e308, it would be read as infinity)',
    );
    expect(error.hint).toContain(`Correct this ${column} value`);
  });

  it('refuses -1e309, a 400-digit number and 1e309 on a dose line, and overflow in dosing columns', () => {
    expect(onlyError(ingestText(overflowCsv('DV', 4, '-1e309'), 'trial.csv'), 'number-out-of-range').message).toContain('-1e309');
    const digits = '9'.repeat(400);
    const long = onlyError(ingestText(overflowCsv('TIME', 4, digits), 'trial.csv'), 'number-out-of-range');
    expect(long.message).toContain('(400 characters)');
    expect(onlyError(ingestText(overflowCsv('AMT', 3), 'trial.csv'), 'number-out-of-range')).toMatchObject({ line: 3, column: 'AMT' });
    const withRate = validCsv()
      .split('\n')
      .map((l, i) => `${l},${i === 0 ? 'RATE' : i === 2 ? '1e400' : '0'}`)
      .join('\n');
    expect(onlyError(ingestText(withRate, 'trial.csv'), 'number-out-of-range')).toMatchObject({ line: 3, column: 'RATE' });
  });

  it('still refuses the text Infinity as not a number', () => {
    expect(onlyError(ingestText(overflowCsv('DV', 4, 'Infinity'), 'trial.csv'), 'non-numeric').message).toContain(
      '"Infinity" is not a number',
    );
  });
});

describe('values orders of magnitude beyond their column', () => {
  const estData = readEstDataCsv();
  const pdLine = lineWhere(estData, (c) => c.DVID === '2' && c.EVID === '0' && Number(c.DV) > 1);

  it('refuses one PD value of 1e308 in EstData (it moved a dose answer from 5 to 15.5 mg)', () => {
    const result = ingestText(withCell(estData, pdLine, 'DV', '1e308'), 'EstData.csv');
    const error = onlyError(result, 'implausible-value');
    expect(error).toMatchObject({ line: pdLine, column: 'DV' });
    expect(error.message).toMatch(/DV \(PD, DVID 2\) 1e\+308 is more than a million times the column's typical size \(median [\d.]+\)$/);
  });

  it('refuses a body weight of 7e9 and a TIME of 1e12; warns about a PK value 50,000 times the median', () => {
    expect(onlyError(ingestText(withCell(estData, 2, 'BW', '7e9'), 'EstData.csv'), 'implausible-value')).toMatchObject({
      line: 2,
      column: 'BW',
    });
    // A TIME of 1e12 also puts the subject's next records before it: that error comes too.
    const time = refused(ingestText(withCell(estData, pdLine, 'TIME', '1e12'), 'EstData.csv'));
    expect(time.find((e) => e.code === 'implausible-value')).toMatchObject({ line: pdLine, column: 'TIME' });
    const pkLine = lineWhere(estData, (c) => c.DVID === '1' && c.EVID === '0');
    const result = accepted(ingestText(withCell(estData, pkLine, 'DV', '330000'), 'EstData.csv'));
    expect(result.warnings.map((w) => w.code)).toEqual(['unusual-value']);
    expect(result.warnings[0]).toMatchObject({ line: pkLine, column: 'DV' });
    expect(result.warnings[0].message).toContain('more than 10,000 times');
  });

  it('groups several such values of a column into one error', () => {
    let text = estData;
    const pd = [0, 1, 2].map((k) => lineWhere(text, (c) => c.DVID === '2' && c.ID === String(k + 2)));
    for (const line of pd) text = withCell(text, line, 'DV', '5e20');
    const error = onlyError(ingestText(text, 'EstData.csv'), 'implausible-value');
    expect(error.message).toContain(`3 DV (PD, DVID 2) values are more than a million times`);
    expect(error.message).toContain(`lines ${pd.join(', ')}`);
  });
});

describe('warnings are grouped and capped', () => {
  it('gives one warning for 150,000 subjects split across a file, not 150,000', () => {
    const { dataset, warnings } = accepted(ingestText(splitSubjectsCsv(150_000), 'split.csv'));
    expect(dataset.subjects).toHaveLength(150_000);
    expect(warnings).toHaveLength(1);
    // The first half: a dose for three subjects in four and a PK sample for each (262,500 lines after the header).
    expect(warnings[0]).toMatchObject({ code: 'subject-split', line: 262_502, column: 'ID' });
    expect(warnings[0].message).toBe(
      'split.csv, line 262502, column ID: 150,000 subjects have records split across the file: subjects 1, 2, 3, 4, 5 … ' +
        '(resuming on lines 262502, 262503, 262504, 262505, 262506 and 149,995 more)',
    );
  });

  it('names the one subject when only one is split', () => {
    const lines = validCsv(2).split('\n');
    const text = [...lines.slice(0, 3), ...lines.slice(13), ...lines.slice(3, 13)].join('\n');
    const warnings = accepted(ingestText(text, 'trial.csv')).warnings;
    expect(warnings.map((w) => w.message)).toEqual([
      `trial.csv, line 16, column ID: records of subject 1 resume here after other subjects' records`,
    ]);
  });

  it('folds a thousand columns of missing covariates into three warnings and one grouped warning', () => {
    const header = Array.from({ length: 1000 - 10 }, (_, k) => `X${k + 1}`);
    const text = validCsv(2)
      .split('\n')
      .map((l, i) => (i === 0 ? `${l},${header.join(',')}` : `${l}${i <= 12 ? ',5'.repeat(header.length) : ',.'.repeat(header.length)}`))
      .join('\n');
    const { warnings } = accepted(ingestText(text, 'wide.csv'));
    expect(warnings.map((w) => w.code)).toEqual(['missing-covariate', 'missing-covariate', 'missing-covariate', 'missing-covariate']);
    expect(warnings[3]).toMatchObject({ count: 987 });
    expect(warnings[3].message).toBe('wide.csv: 987 more like the 3 above (columns X4, X5, X6, X7, X8, …)');
  });
});

describe('a subject with very many records', () => {
  it('reads one subject of 200,000 rows (a spread into push() overflowed the stack)', () => {
    // Node's stack takes about 125,000 spread arguments, Chrome's fewer: the tester's 100,000 failed there.
    const { dataset } = accepted(ingestText(oneLargeSubjectCsv(200_000), 'one.csv'));
    expect(dataset.subjects).toHaveLength(1);
    expect(dataset.subjects[0].recordCount).toBe(200_000);
    expect(dataset.records.sourceLine[199_999]).toBe(200_001);
  });
});

describe('encodings and odd bytes', () => {
  it('reads a Windows-1252 (Latin-1) file with its accents, with a warning naming the first non-UTF-8 line', () => {
    const { dataset, warnings } = accepted(ingestBytes(encodeWindows1252(latin1Text()), 'latin1.csv'));
    expect(dataset.subjects.map((s) => s.id)).toEqual([...LATIN1_IDS]);
    expect(dataset.covariates.map((c) => c.name)).toEqual(['BW', 'COMÉD']);
    expect(warnings.map((w) => w.code)).toEqual(['not-utf8']);
    expect(warnings[0].message).toBe('latin1.csv, line 1: the file is not UTF-8 text, so it was read as Windows-1252 (Western European)');
    expect(warnings[0].hint).toContain('CSV UTF-8');
  });

  it('reads the same file in UTF-8 without a warning', () => {
    const { dataset, warnings } = accepted(ingestBytes(encodeUtf8(latin1Text()), 'utf8.csv'));
    expect(dataset.subjects.map((s) => s.id)).toEqual([...LATIN1_IDS]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['UTF-16 LE with a byte-order mark', encodeUtf16(latin1Text(), 'le')],
    ['UTF-16 BE with a byte-order mark', encodeUtf16(latin1Text(), 'be')],
    ['UTF-16 LE without one', encodeUtf16(latin1Text(), 'le', false)],
  ])('reads %s', (_, bytes) => {
    const { dataset, warnings } = accepted(ingestBytes(bytes, 'unicode.txt'));
    expect(dataset.subjects.map((s) => s.id)).toEqual([...LATIN1_IDS]);
    expect(dataset.records.time.length).toBe(48);
    expect(warnings).toEqual([]);
  });

  it('refuses UTF-32 and damaged UTF-16 clearly', () => {
    expect(onlyError(ingestBytes(encodeUtf32(validCsv()), 'u32.csv'), 'unsupported-encoding').message).toBe(
      'u32.csv: the file is UTF-32 text, which this app does not read',
    );
    const damaged = encodeUtf16(validCsv(), 'le');
    damaged.set([0x00, 0xdc], 40); // a lone low surrogate
    const error = onlyError(ingestBytes(damaged, 'u16.csv'), 'unsupported-encoding');
    expect(error.message).toContain('holds bytes that are not valid UTF-16 LE');
  });

  it.each([
    ['in the first lines', 4, 4],
    ['past the first 8 KB', 1000, 100],
  ])('reports a NUL byte %s as a damaged file, with line and column', (_, line, subjects) => {
    const error = onlyError(ingestText(nulByteCsv(line, subjects), 'nul.csv'), 'damaged-file');
    expect(error).toMatchObject({ line, column: 'DV' });
    expect(error.message).toBe(
      `nul.csv, line ${line}, column DV: a NUL byte is in this value, which a text file never holds: the file is damaged, or it is not a CSV text file`,
    );
  });

  it('reports other control characters by name, and one in the header', () => {
    const bell = onlyError(ingestText(withCell(validCsv(), 5, 'BW', '7\u00070'), 'bell.csv'), 'damaged-file');
    expect(bell.message).toContain('the control character U+0007 is in this value');
    const header = onlyError(ingestText(validCsv().replace('COMED', 'CO\u0000MED'), 'h.csv'), 'damaged-file');
    expect(header).toMatchObject({ line: 1, column: 'field 10' });
  });

  it('drops the Ctrl-Z that old DOS tools put at the end of a file', () => {
    expect(accepted(ingestText(`${validCsv()}\n\u001a`, 'dos.csv')).dataset.rowCount).toBe(48);
  });

  it.each([1, 2, 3])('refuses random bytes (seed %i) as not a text file', (seed) => {
    const error = onlyError(ingestBytes(randomBytes(64 * 1024, seed), 'random.csv'), 'binary-file');
    expect(error.message).toBe('random.csv: this is not a text file (it looks like a spreadsheet, archive or other binary format)');
  });

  it('refuses an empty file', () => {
    expect(onlyError(ingestBytes(new Uint8Array(0), 'empty.csv'), 'empty-file').message).toBe('empty.csv: the file is empty');
  });
});

describe('markup, formulas and prototype keys stay plain text', () => {
  it('keeps script and HTML in IDs, column names and values as text', () => {
    const { dataset, warnings } = accepted(ingestText(scriptInjectionCsv(), 'xss.csv'));
    expect(dataset.subjects.map((s) => s.id)).toEqual([SCRIPT_ID, IMG_ID, '<b onmouseover=alert(1)>x</b>', '<svg onload=alert(1)>']);
    expect(dataset.covariates.map((c) => c.name)).toContain(SCRIPT_COLUMN.toUpperCase());
    expect(warnings.map((w) => w.code)).toEqual(['text-column-ignored']);
    expect(warnings[0].column).toBe(IMG_COLUMN.toUpperCase());
    expect((globalThis as { __hostile?: unknown }).__hostile).toBeUndefined();
  });

  it('keeps formula-like IDs as text, and refuses a formula where a number belongs', () => {
    expect(accepted(ingestText(formulaIdsCsv(), 'formula.csv')).dataset.subjects.map((s) => s.id)).toEqual([...FORMULA_IDS]);
    const error = onlyError(ingestText(formulaInNumberCsv(), 'formula.csv'), 'non-numeric');
    expect(error).toMatchObject({ line: 4, column: 'DV' });
    expect(error.message).toBe(`formula.csv, line 4, column DV: "=cmd|' /C calc'!A0" is not a number`);
  });

  it('reads __proto__, constructor and prototype as IDs and columns without touching Object.prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const { dataset } = accepted(ingestText(prototypeKeysCsv(), 'proto.csv'));
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(dataset.subjects.map((s) => s.id)).toEqual([...PROTOTYPE_KEYS]);
    expect(dataset.covariates.map((c) => c.name)).toEqual(['BW', 'COMED', '__PROTO__', 'CONSTRUCTOR', 'PROTOTYPE']);
    const baseline = dataset.subjects[0].baseline;
    expect(Object.getPrototypeOf(baseline)).toBe(Object.prototype);
    expect(Object.hasOwn(baseline, '__PROTO__') && baseline.__PROTO__).toBe(1);
    expect(baseline.CONSTRUCTOR).toBe(2);
  });
});

describe('huge cells and long lines', () => {
  const size = 5_000_000;

  it('quotes only the start of a 5 MB cell where a number belongs', () => {
    const error = onlyError(ingestText(hugeCellCsv(size, 'DV'), 'huge.csv'), 'non-numeric');
    expect(error.message).toBe(`huge.csv, line 4, column DV: "${'A'.repeat(39)}… (5,000,000 characters)" is not a number`);
  });

  it('refuses a 5 MB subject ID', () => {
    const error = onlyError(ingestText(hugeCellCsv(size, 'ID'), 'huge.csv'), 'long-id');
    expect(error.message).toBe(`huge.csv, line 4, column ID: the subject ID is 5,000,000 characters long (at most ${MAX_ID_LENGTH})`);
  });

  it('accepts a 5 MB note in a text column, which is not kept', () => {
    const { dataset, warnings } = accepted(ingestText(hugeCellCsv(size, 'NOTE'), 'huge.csv'));
    expect(warnings.map((w) => w.code)).toEqual(['text-column-ignored']);
    expect(dataset.covariates.map((c) => c.name)).toEqual(['BW', 'COMED']);
  });

  it('refuses a line of 100,000 extra fields, a header of 5,000 columns and a 10,000-character column name', () => {
    expect(onlyError(ingestText(longLineCsv(100_000), 'long.csv'), 'field-count').message).toBe(
      'long.csv, line 4: expected 10 fields as in the header, found 100,010',
    );
    expect(onlyError(ingestText(wideHeaderCsv(5000), 'wide.csv'), 'too-many-columns').message).toBe(
      `wide.csv, line 1: the header has 5,000 columns; at most ${MAX_COLUMNS.toLocaleString('en-US')} are read`,
    );
    const longName = onlyError(ingestText(validCsv().replace('COMED', 'C'.repeat(10_000)), 'name.csv'), 'long-column-name');
    expect(longName.message).toContain('field 10 of the header is 10,000 characters long');
  });
});

describe('no technical message reaches the user', () => {
  it('turns an exception thrown while reading into words, keeping the technical text apart', async () => {
    const blob = {
      size: 10,
      arrayBuffer: () => Promise.reject(new RangeError('Invalid typed array length: 12345678901')),
    } as unknown as Blob;
    const error = onlyError(await ingestFile(blob, 'absurd.csv'), 'unreadable-file');
    expect(error.message).toBe(
      'absurd.csv: the file is too large or too unusual for this browser tab to read (it ran out of memory or of nesting depth)',
    );
    expect(error.message).not.toContain('Invalid typed array length');
    expect(error.detail).toBe('RangeError: Invalid typed array length: 12345678901');
  });

  it('refuses a file over the size limit before reading it', async () => {
    let read = false;
    const blob = {
      size: 3 * MAX_FILE_BYTES,
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    } as unknown as Blob;
    const error = onlyError(await ingestFile(blob, 'giant.csv'), 'file-too-large');
    expect(error.message).toBe('giant.csv: the file is 600 MB; the largest file this app reads is 200 MB');
    expect(read).toBe(false);
  });

  it('reads a real Blob through the same path as the worker', async () => {
    const blob = new Blob([encodeWindows1252(latin1Text()).buffer as ArrayBuffer]);
    const result = accepted(await ingestFile(blob, 'latin1.csv'));
    expect(result.dataset.subjects.map((s) => s.id)).toEqual([...LATIN1_IDS]);
  });
});

describe('dosing columns with absurd values', () => {
  it('refuses an ADDL bomb (ADDL = 1e9) before allocating a record, naming the line', () => {
    const error = onlyError(ingestText(addlBombCsv(), 'bomb.csv'), 'too-many-additional-doses');
    expect(error).toMatchObject({ line: DOSE_LINES[0], column: 'ADDL' });
    expect(error.message).toBe(
      `bomb.csv, line 3, column ADDL: ADDL 1,000,000,000 asks for 1,000,000,000 additional dose records, more than the ${MAX_ADDITIONAL_DOSES.toLocaleString('en-US')} a file may expand to`,
    );
    expect(onlyError(ingestText(addlBombCsv('1e300'), 'bomb.csv'), 'too-many-additional-doses').line).toBe(3);
  });

  it('refuses additional doses that reach absurd times (II = 1e300, II = 1e308)', () => {
    const far = onlyError(ingestText(withDosing({ 3: { ADDL: '2', II: '1e300' } }), 'ii.csv'), 'implausible-value');
    expect(far).toMatchObject({ line: 3, column: 'ADDL' });
    expect(far.message).toMatch(
      /^ii\.csv, line 3, column ADDL: ADDL × II 2e\+300 is more than a million times the typical size of TIME \(median [\d.]+\)$/,
    );
    const beyond = onlyError(ingestText(withDosing({ 3: { ADDL: '2', II: '1e308' } }), 'ii.csv'), 'implausible-value');
    expect(beyond.message).toBe(
      'ii.csv, line 3, column ADDL: ADDL 2 doses every II 1e+308 reach beyond ±1.8e308, the largest number there is',
    );
  });

  it('refuses infusions of absurd rates: lasting 1e300 times TIME, beyond any number, or 1e300 times the other rates', () => {
    const slow = onlyError(ingestText(withDosing({ 3: { RATE: '1e-300' } }), 'rate.csv'), 'implausible-value');
    expect(slow).toMatchObject({ line: 3, column: 'RATE' });
    expect(slow.message).toContain('infusion duration 1e+300 is more than a million times the typical size of TIME');
    const endless = onlyError(ingestText(withDosing({ 3: { RATE: '1e-320' } }), 'rate.csv'), 'implausible-value');
    expect(endless.message).toContain('beyond the numbers this app can compute with');
    const fast = withDosing({ 3: { RATE: '1e300' }, 15: { RATE: '2' }, 27: { RATE: '2' }, 39: { RATE: '2' } });
    expect(onlyError(ingestText(fast, 'rate.csv'), 'implausible-value').message).toContain(
      'infusion rate 1e+300 is more than a million times the column',
    );
    expect(onlyError(ingestText(withDosing({ 3: { RATE: '-5' } }), 'rate.csv'), 'bad-rate').message).toBe(
      'rate.csv, line 3, column RATE: RATE -5 is not an infusion rate',
    );
  });

  it('reads sane dosing columns on the same file', () => {
    const { dataset, warnings } = accepted(ingestText(withDosing({ 3: { RATE: '2', ADDL: '1', II: '12' } }), 'sane.csv'));
    expect(warnings).toEqual([]);
    expect(dataset.subjects[0].doseCount).toBe(2);
  });
});
