import { describe, expect, it } from 'vitest';
import { fileNameOf } from './file-name';
import { reportHtml } from './report-html';

describe('printable report', () => {
  const html = reportHtml({
    title: 'Report <1>',
    subtitle: 'Dataset “a & b”',
    sections: [
      {
        heading: 'Data',
        facts: [['Subjects', '48']],
        tables: [{ caption: 'Metrics', columns: ['Target', 'n'], rows: [['<PK>', 12]] }],
        notes: ['Validation subjects.'],
        figures: [
          {
            caption: 'PK: fit',
            detail: 'dots: observed',
            svg: '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="2"/></svg>',
          },
        ],
      },
    ],
  });

  it('escapes text, keeps the plots as inline SVG and has a print stylesheet but no script', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Report &lt;1&gt;</title>');
    expect(html).toContain('Dataset “a &amp; b”');
    expect(html).toContain('<td>&lt;PK&gt;</td><td>12</td>');
    expect(html).toContain(
      '<figcaption>PK: fit<span>dots: observed</span></figcaption><svg xmlns="http://www.w3.org/2000/svg"><circle r="2"/></svg>',
    );
    expect(html).not.toContain('<?xml');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|\son\w+=/i);
  });

  it('makes file names from captions', () => {
    expect(fileNameOf('D. Mean PK concentration over time')).toBe('mean-pk-concentration-over-time');
    expect(fileNameOf('PD: predicted vs observed')).toBe('pd-predicted-vs-observed');
    expect(fileNameOf('Dose–response (weekly, R²)')).toBe('dose-response-weekly-r2');
    expect(fileNameOf('…')).toBe('plot');
  });
});
