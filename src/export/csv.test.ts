import { describe, expect, it } from 'vitest';
import { csvText } from './csv';

/** A minimal RFC 4180 reader, to check that what is written reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('CSV text', () => {
  it('quotes fields with commas, quotes and line breaks, ends lines with CRLF and reads back', () => {
    const text = csvText(
      ['id', 'note'],
      [
        ['a,b', 'say "hi"'],
        ['line\nbreak', 'cr\rhere'],
        ['plain', ''],
      ],
    );
    expect(text).toBe('id,note\r\n"a,b","say ""hi"""\r\n"line\nbreak","cr\rhere"\r\nplain,\r\n');
    expect(parseCsv(text)).toEqual([
      ['id', 'note'],
      ['a,b', 'say "hi"'],
      ['line\nbreak', 'cr\rhere'],
      ['plain', ''],
    ]);
  });

  it('writes numbers at full precision, infinities as Inf, NaN and null as empty fields', () => {
    expect(csvText(['x'], [[0.1 + 0.2], [-1e-12], [Infinity], [-Infinity], [Number.NaN], [null], [true]])).toBe(
      'x\r\n0.30000000000000004\r\n-1e-12\r\nInf\r\n-Inf\r\n\r\n\r\ntrue\r\n',
    );
  });

  it('defuses text a spreadsheet would run as a formula and leaves numbers numeric', () => {
    const names = [
      '=HYPERLINK("http://x","y")',
      '+SUM(A1:A9)',
      '-2+3',
      '@cmd',
      '\tTAB',
      '\r=1',
      'a=b',
      '-0.5',
      '+3',
      '1e-3',
      '-',
      'EstData',
    ];
    const text = csvText(['name', 'value'], [...names.map((n) => [n, -0.5]), ['-', -1e-12]]);
    const read = parseCsv(text).slice(1);
    expect(read.map(([name]) => name)).toEqual([
      `'=HYPERLINK("http://x","y")`,
      `'+SUM(A1:A9)`,
      `'-2+3`,
      `'@cmd`,
      `'\tTAB`,
      `'\r=1`,
      'a=b',
      '-0.5',
      '+3',
      '1e-3',
      `'-`,
      'EstData',
      `'-`,
    ]);
    expect(read.map(([, value]) => value)).toEqual([...names.map(() => '-0.5'), '-1e-12']);
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")",-0.5\r\n`);
  });
});
