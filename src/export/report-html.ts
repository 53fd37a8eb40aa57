/**
 * A printable report as one standalone HTML document: title, sections of facts, tables and plots
 * (inline SVG), styled for the screen and for paper (@media print: no page break inside a plot or
 * table row). Text is escaped; the SVGs are trusted (serialised from the app's own plots). No
 * scripts, so a Content-Security-Policy without inline scripts lets it open. Pure.
 */
export interface ReportTable {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface ReportFigure {
  readonly caption: string;
  readonly detail: string;
  /** A standalone SVG document's text. */
  readonly svg: string;
}

export interface ReportSection {
  readonly heading: string;
  readonly facts?: readonly (readonly [string, string])[];
  readonly tables?: readonly ReportTable[];
  readonly notes?: readonly string[];
  readonly figures?: readonly ReportFigure[];
}

export interface ReportDocument {
  readonly title: string;
  readonly subtitle: string;
  readonly sections: readonly ReportSection[];
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const STYLE = `
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b2733; margin: 2rem auto; max-width: 60rem; padding: 0 1.25rem; }
  h1 { font-size: 1.5rem; margin: 0 0 0.2rem; }
  h2 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; border-bottom: 2px solid #c9d2db; padding-bottom: 0.2rem; }
  .subtitle, .note, figcaption span { color: #52606d; }
  .hint { background: #eef4fb; border-left: 4px solid #0b5cad; padding: 0.5rem 0.8rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0; }
  dt { color: #52606d; }
  dd { margin: 0; font-weight: 600; }
  table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.85rem; }
  caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
  th, td { border: 1px solid #c9d2db; padding: 0.2rem 0.45rem; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  thead th { background: #f1f4f7; }
  figure { margin: 1rem 0; }
  figcaption { font-weight: 600; margin-bottom: 0.3rem; }
  figcaption span { display: block; font-weight: 400; font-size: 0.85rem; }
  figure svg { max-width: 100%; height: auto; }
  @media print {
    body { margin: 0; max-width: none; font-size: 11pt; }
    .hint { display: none; }
    h2 { break-after: avoid; }
    figure, tr, dl { break-inside: avoid; }
  }
`;

function table(t: ReportTable): string {
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(String(cell))}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** An SVG document's root element (the XML declaration left out, as HTML wants it). */
const inlineSvg = (svg: string): string => svg.replace(/^<\?xml[^>]*\?>\s*/, '');

function section(s: ReportSection): string {
  const facts = s.facts?.length
    ? `<dl>${s.facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`
    : '';
  const notes = (s.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n');
  const figures = (s.figures ?? [])
    .map(
      (f) =>
        `<figure><figcaption>${escapeHtml(f.caption)}${f.detail ? `<span>${escapeHtml(f.detail)}</span>` : ''}</figcaption>${inlineSvg(f.svg)}</figure>`,
    )
    .join('\n');
  return `<section>\n<h2>${escapeHtml(s.heading)}</h2>\n${facts}\n${(s.tables ?? []).map(table).join('\n')}\n${notes}\n${figures}\n</section>`;
}

export function reportHtml(doc: ReportDocument): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
<p class="subtitle">${escapeHtml(doc.subtitle)}</p>
<p class="hint">Use your browser's Print command (Ctrl+P or ⌘P) to print this report or save it as PDF.</p>
${doc.sections.map(section).join('\n')}
</body>
</html>
`;
}
