import { css, html, LitElement } from 'lit';
import type { DataIssue } from '../data/types';
import { formatCount } from '../text/format';
import type { IngestReport } from './dataset-library-controller';
import { controlStyles } from './shared-styles';

/** Items drawn at most: ingest caps its lists (100 errors, 20 warnings), and this keeps the page small for any list. */
const ISSUES_DRAWN = 100;

/** Occurrences behind a list of issues: a grouped issue counts for all it stands for. */
function occurrences(issues: readonly DataIssue[]): number {
  return issues.reduce((n, issue) => n + (issue.count ?? 1), 0);
}

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
      const problems = occurrences(report.errors) + report.omittedErrors;
      return html`<section class="rejected" role="alert" data-testid="ingest-errors">
        <h2>${report.fileName} was not loaded</h2>
        <p>
          ${formatCount(problems)} problem${problems === 1 ? '' : 's'} must be fixed first. Nothing was stored; your saved datasets are
          unchanged.
        </p>
        ${this.renderIssues(report.errors)}
        ${report.omittedErrors ? html`<p>…and ${formatCount(report.omittedErrors)} more errors not listed.</p>` : ''}
        <button @click=${() => this.dismiss()}>Dismiss</button>
      </section>`;
    }
    return html`<section class="warned" role="status" data-testid="ingest-warnings">
      <h2>${report.fileName} was loaded with ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}</h2>
      ${this.renderIssues(report.warnings)}
      <button @click=${() => this.dismiss()}>Dismiss</button>
    </section>`;
  }

  private renderIssues(issues: DataIssue[]) {
    const drawn = issues.slice(0, ISSUES_DRAWN);
    const rest = occurrences(issues.slice(ISSUES_DRAWN));
    return html`<ul>
        ${drawn.map(
          (i) =>
            html`<li data-code=${i.code}>
              ${i.message}. <span class="hint">${i.hint}</span>
              ${
                i.detail
                  ? html`<details>
                      <summary>Technical details</summary>
                      <code>${i.detail}</code>
                    </details>`
                  : ''
              }
            </li>`,
        )}
      </ul>
      ${rest > 0 ? html`<p>…and ${formatCount(rest)} more not listed.</p>` : ''}`;
  }

  private dismiss(): void {
    this.dispatchEvent(new CustomEvent('report-dismissed', { bubbles: true, composed: true }));
  }
}

customElements.define('qp-ingest-report', IngestReportView);
