/**
 * Opens a report in a new tab (a same-origin blob URL, so no network and no inline script) and
 * asks the browser to print it; where pop-ups are blocked, downloads it as an HTML file instead.
 */
import { downloadBlob } from '../../export/download';
import { fileNameOf } from '../../export/file-name';
import { type ReportDocument, reportHtml } from '../../export/report-html';

/** Long enough for the new tab to load the document before its URL is released. */
const URL_LIFETIME_MS = 60_000;

export function openReport(doc: ReportDocument): void {
  const blob = new Blob([reportHtml(doc)], { type: 'text/html' });
  const url = URL.createObjectURL(blob);
  const view = window.open(url, '_blank');
  if (!view) {
    URL.revokeObjectURL(url);
    downloadBlob(blob, `${fileNameOf(doc.title)}.html`);
    return;
  }
  view.addEventListener('load', () => view.print(), { once: true });
  setTimeout(() => URL.revokeObjectURL(url), URL_LIFETIME_MS);
}
