import { css, html, LitElement } from 'lit';
import type { DataIssue } from '../data/types';
import type { IngestReport } from './dataset-library-controller';
import { controlStyles } from './shared-styles';

/** What was wrong with a file (nothing stored), or the warnings of an accepted one. */
export class IngestReportView extends LitElement {
  static override properties = { report: { attribute: false } };
  declare report: IngestReport | undefined;

  constructor() {
    super();
    this.report = undefined;
  }

  static override styles = [
    controlStyles,
    css`
      section {
        border-radius: 8px;
        padding: 0.75rem 1rem;
        margin-bottom: 1rem;
        border: 1px solid;
      }
      .rejected {
        background: #fdecea;
        border-color: #e3a39c;
      }
      .warned {
        background: #fff8e1;
        border-color: #e6c66e;
      }
      h2 {
        font-size: 1.05rem;
        margin: 0 0 0.4rem;
      }
      ul {
        margin: 0.3rem 0;
        padding-left: 1.2rem;
        max-height: 18rem;
        overflow: auto;
      }
      li {
        margin-bottom: 0.3rem;
      }
      .hint {
        color: var(--qp-muted, #52606d);
      }
    `,
  ];

  override render() {
    const report = this.report;
    if (!report) return html``;
    if (!report.accepted) {
      return html`<section class="rejected" role="alert" data-testid="ingest-errors">
        <h2>${report.fileName} was not loaded</h2>
        <p>
          ${report.errors.length + report.omittedErrors} problem${report.errors.length + report.omittedErrors === 1 ? '' : 's'} must be
          fixed first. Nothing was stored; your saved datasets are unchanged.
        </p>
        ${this.renderIssues(report.errors)} ${report.omittedErrors ? html`<p>…and ${report.omittedErrors} more errors not listed.</p>` : ''}
        <button @click=${this.dismiss}>Dismiss</button>
      </section>`;
    }
    return html`<section class="warned" role="status" data-testid="ingest-warnings">
      <h2>${report.fileName} was loaded with ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}</h2>
      ${this.renderIssues(report.warnings)}
      <button @click=${this.dismiss}>Dismiss</button>
    </section>`;
  }

  private renderIssues(issues: DataIssue[]) {
    return html`<ul>
      ${issues.map((i) => html`<li data-code=${i.code}>${i.message}. <span class="hint">${i.hint}</span></li>`)}
    </ul>`;
  }

  private dismiss(): void {
    this.dispatchEvent(new CustomEvent('report-dismissed', { bubbles: true, composed: true }));
  }
}

customElements.define('qp-ingest-report', IngestReportView);
