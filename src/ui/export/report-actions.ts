/**
 * `<qp-report-actions .report=${() => ReportDocument} .csv=${CsvExport|null}>`: a results toolbar —
 * "Print report" (the run as a print-friendly page in a new tab) and the download of the table
 * behind the results as CSV. Hidden when printing.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { CsvExport } from '../../export/csv';
import { downloadCsv } from '../../export/download';
import type { ReportDocument } from '../../export/report-html';
import { controlStyles } from '../shared-styles';
import { openReport } from './open-report';

export class ReportActions extends LitElement {
  static override properties = { report: { attribute: false }, csv: { attribute: false } };
  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        justify-content: end;
        margin: 0 0 0.6rem;
      }
      @media print {
        :host {
          display: none;
        }
      }
    `,
  ];

  /** Builds the report when asked (the plots are serialised as drawn then). */
  declare report: (() => ReportDocument) | null;
  declare csv: CsvExport | null;

  constructor() {
    super();
    this.report = null;
    this.csv = null;
  }

  protected override render(): TemplateResult {
    const csv = this.csv;
    return html`${
        csv
          ? html`<button type="button" data-testid="download-csv" @click=${() => downloadCsv(csv)}>Download ${csv.label} (CSV)</button>`
          : nothing
      }
      <button type="button" data-testid="print-report" ?disabled=${!this.report} @click=${() => this.report && openReport(this.report())}>
        Print report
      </button>`;
  }
}

if (!customElements.get('qp-report-actions')) customElements.define('qp-report-actions', ReportActions);

declare global {
  interface HTMLElementTagNameMap {
    'qp-report-actions': ReportActions;
  }
}
