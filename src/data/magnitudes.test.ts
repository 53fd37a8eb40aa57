import { describe, expect, it } from 'vitest';
import { createCellReader } from './cells';
import { parseDelimited } from './delimited-text';
import { ingestText } from './ingest';
import { IssueLog } from './issues';
import { checkMagnitudes, columnScale, formatValue, MAGNITUDE_ERROR_FACTOR, MAGNITUDE_WARNING_FACTOR } from './magnitudes';
import { detectDelimiter } from './text-sniff';
import { readEstDataCsv, readRealDatasetCsv, type RealDatasetName } from '../testing/fixture-files';

const FILES: [string, string][] = [
  ['EstData.csv', readEstDataCsv()],
  ...(['theo_sd', 'pheno_sd', 'mavoglurant'] as RealDatasetName[]).map((name): [string, string] => [
    `${name}.csv`,
    readRealDatasetCsv(name),
  ]),
];

/** Every numeric column of a file (DV per DVID, or per CMT without DVID, among observation rows). */
function numericColumns(text: string): { label: string; values: number[]; lines: number[] }[] {
  const table = parseDelimited(text, detectDelimiter(text));
  const reader = createCellReader(false);
  const header = table.header.map((h) => h.trim().toUpperCase());
  const at = (name: string): number => header.indexOf(name);
  const typeColumn = at('DVID') >= 0 ? at('DVID') : at('CMT');
  const columns = new Map<string, { label: string; values: number[]; lines: number[] }>();
  table.rows.forEach((cells, row) => {
    header.forEach((name, k) => {
      const value = reader.read(cells[k]);
      if (value === null || Number.isNaN(value)) return;
      let label = name;
      if (name === 'DV') {
        if (at('EVID') >= 0 && reader.read(cells[at('EVID')]) !== 0) return;
        if (typeColumn >= 0) label = `DV@${cells[typeColumn]}`;
      }
      const column = columns.get(label) ?? { label, values: [], lines: [] };
      column.values.push(value);
      column.lines.push(table.lines[row]);
      columns.set(label, column);
    });
  });
  return [...columns.values()];
}

describe('the magnitude rule on real data', () => {
  it.each(FILES)('finds no value orders of magnitude beyond its column in %s', (name, text) => {
    const log = new IssueLog(name);
    const columns = numericColumns(text);
    expect(columns.length).toBeGreaterThan(5);
    for (const c of columns) {
      checkMagnitudes({ label: c.label, column: c.label, values: c.values, lines: c.lines }, log);
      // Two orders of magnitude of room below the warning threshold on every column.
      const scale = columnScale(c.values);
      if (scale !== null)
        expect(Math.max(...c.values.map(Math.abs)) / scale, `${name} ${c.label}`).toBeLessThan(MAGNITUDE_WARNING_FACTOR / 100);
    }
    expect(log.errors).toEqual([]);
    expect(log.warnings).toEqual([]);
  });

  it.each(FILES)('ingest of %s reports no such value, and no overflow or damage', (name, text) => {
    const result = ingestText(text, name);
    const codes = [...(result.ok ? [] : result.errors), ...result.warnings].map((i) => i.code);
    for (const code of ['implausible-value', 'unusual-value', 'number-out-of-range', 'damaged-file']) expect(codes).not.toContain(code);
  });
});

describe('columnScale and checkMagnitudes', () => {
  it('takes the lower median of the finite non-zero magnitudes', () => {
    expect(columnScale([0, 0, -4, 1, 2, 8, 0])).toBe(2);
    expect(columnScale([5, 1e308])).toBeNull();
    expect(columnScale([5, 6, 1e308])).toBe(6);
    expect(columnScale([1, 2, 3, 4], (i) => i >= 2)).toBeNull();
  });

  it('warns above 10⁴ times the scale and refuses above 10⁶ times, only upwards', () => {
    const values = [1, 1, 1, 1, 1, 1.5e4, 2e6, 1e-300];
    const log = new IssueLog('f.csv');
    checkMagnitudes({ label: 'X', column: 'X', values, lines: values.map((_, i) => i + 2) }, log);
    expect(log.errors.map((e) => [e.code, e.line, e.message])).toEqual([
      ['implausible-value', 8, "f.csv, line 8, column X: X 2e+6 is more than a million times the column's typical size (median 1)"],
    ]);
    expect(log.warnings.map((e) => [e.code, e.line, e.message])).toEqual([
      ['unusual-value', 7, "f.csv, line 7, column X: X 15000 is more than 10,000 times the column's typical size (median 1)"],
    ]);
    expect(MAGNITUDE_ERROR_FACTOR / MAGNITUDE_WARNING_FACTOR).toBe(100);
  });

  it('formats values compactly', () => {
    expect([1e308, 15000, 1.0714, 0.00227, 2e6, -3.5e-9].map(formatValue)).toEqual([
      '1e+308',
      '15000',
      '1.07',
      '0.00227',
      '2e+6',
      '-3.5e-9',
    ]);
  });
});
