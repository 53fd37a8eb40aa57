/**
 * `<qp-covariate-search .data=${Dataset} .datasetId=${string|null} .spec=${StudySpec}>`: the stepwise
 * covariate search of the open dataset's study (src/pkpd/population/covariate-search.ts, in a dose
 * worker of its own): forward inclusion (ΔOFV > 3.84) and backward elimination (ΔOFV > 6.63) over the
 * study's covariates on the parameters with random effects — progress per fit and cancel, each step's
 * table as it completes, the chosen covariates, and on request the study spec with them saved back to
 * the stored dataset (`study-saved` event with the new DatasetMeta). Holds no science.
 * Test ids: `covariate-search-run`, `covariate-search-cancel`, `covariate-search-progress`,
 * `covariate-steps` (one table per step, `data-phase`, rows `data-effect` / `data-chosen`),
 * `covariate-chosen`, `covariate-search-save`, `covariate-search-notice`.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { Dataset } from '../../data/types';
import type { CovariateSearchReport, CovariateStepReport } from '../../pkpd/population/covariate-search-report';
import { saveDatasetStudy } from '../../store/datasets';
import { headerSignature } from '../../study/guess-spec';
import type { StudySpec } from '../../study/study-spec';
import { DoseRunCancelledError, DosesClient } from '../../../workers/doses-client';
import { modelStyles } from '../model/model-styles';
import { failureNotice, type Notice, noticeStyles, noticeView } from '../run-notice';
import { controlStyles } from '../shared-styles';

/** The last search per dataset, kept while the page is open (another tab and back finds it). */
const kept = new Map<string, { steps: CovariateStepReport[]; result: { report: CovariateSearchReport; spec: StudySpec } | null }>();

/** The last finished covariate search of a stored dataset in this page (the Doses report includes it), or null. */
export function lastCovariateSearch(datasetId: string | null): CovariateSearchReport | null {
  return (datasetId ? kept.get(datasetId)?.result?.report : null) ?? null;
}

export class CovariateSearchPanel extends LitElement {
  static override properties = {
    data: { attribute: false },
    datasetId: { attribute: false },
    spec: { attribute: false },
    running: { state: true },
    progress: { state: true },
    steps: { state: true },
    result: { state: true },
    notice: { state: true },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    noticeStyles,
    css`
      table {
        margin: 0.3rem 0 0.8rem;
      }
      tr[data-chosen='true'] td {
        font-weight: 700;
      }
      .steps {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
        gap: 0 1.5rem;
      }
    `,
  ];

  declare data: Dataset | null;
  declare datasetId: string | null;
  declare spec: StudySpec | null;
  declare running: boolean;
  declare progress: string;
  declare steps: CovariateStepReport[];
  declare result: { report: CovariateSearchReport; spec: StudySpec } | null;
  declare notice: Notice | null;
  private client: DosesClient | null = null;

  constructor() {
    super();
    this.data = null;
    this.datasetId = null;
    this.spec = null;
    this.running = false;
    this.progress = '';
    this.steps = [];
    this.result = null;
    this.notice = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const last = this.datasetId ? kept.get(this.datasetId) : undefined;
    if (last) {
      this.steps = last.steps;
      this.result = last.result;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.client?.terminate();
    this.client = null;
  }

  override render(): TemplateResult | typeof nothing {
    if (!this.data || !this.spec) return nothing;
    return html`<p class="muted">
        Forward inclusion (ΔOFV &gt; 3.84, p &lt; 0.05) then backward elimination (ΔOFV &gt; 6.63, p &lt; 0.01) over the study's covariate
        columns on every parameter with a random effect: power for positive continuous columns, linear otherwise (both centred on the
        median), factor for 0/1 columns; the structure held as the base fit chooses it. Each step is one FOCE-I fit per candidate.
      </p>
      <p>
        <button data-testid="covariate-search-run" ?disabled=${this.running} @click=${() => void this.run()}>Search covariates</button>
        ${
          this.running
            ? html`<button data-testid="covariate-search-cancel" @click=${() => this.cancel()}>Cancel</button>
                <span role="status" data-testid="covariate-search-progress">${this.progress}</span>`
            : nothing
        }
      </p>
      <div aria-live="polite">${noticeView(this.notice, 'covariate-search-notice', false)}</div>
      ${this.steps.length > 0 ? html`<div class="steps" data-testid="covariate-steps">${this.steps.map((s) => this.stepTable(s))}</div>` : nothing}
      ${this.result ? this.renderResult(this.result.report) : nothing}`;
  }

  private stepTable(step: CovariateStepReport): TemplateResult {
    const forward = step.phase === 'forward';
    return html`<table data-phase=${step.phase}>
      <caption>
        ${forward ? 'Forward' : 'Backward'} step ${step.step} from ${step.from.length > 0 ? step.from.join(', ') : 'the base model'}:
        ${step.chosen ? html`<strong>${forward ? 'adds' : 'removes'} ${step.chosen}</strong>` : forward ? 'nothing added' : 'nothing removed'}
        (threshold ${step.threshold})
      </caption>
      <thead>
        <tr>
          <th scope="col">Effect</th>
          <th scope="col">Form</th>
          <th scope="col">OFV</th>
          <th scope="col">${forward ? 'ΔOFV (drop)' : 'ΔOFV (rise)'}</th>
          ${forward ? html`<th scope="col">θ</th>` : nothing}
        </tr>
      </thead>
      <tbody>
        ${step.rows.map(
          (r) =>
            html`<tr data-effect=${r.effect} data-chosen=${String(r.chosen)}>
              <td>${r.effect}${r.converged ? '' : ' (not converged)'}${r.error ? ` — ${r.error}` : ''}</td>
              <td>${r.form}</td>
              <td>${r.ofv ?? '–'}</td>
              <td>${r.deltaOfv ?? '–'}</td>
              ${forward ? html`<td>${r.estimate ?? '–'}</td>` : nothing}
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderResult(report: CovariateSearchReport): TemplateResult {
    return html`<p data-testid="covariate-chosen">
        Chosen:
        <strong
          >${report.covariates.length > 0 ? report.covariates.map((c) => `${c.on}~${c.column} (${c.form})`).join(', ') : 'none'}</strong
        >
        — ${report.fits} fits in ${report.seconds} s; structure held:
        ${report.structure.pk}${report.structure.pd ? `, ${report.structure.pd}` : ''}.
      </p>
      ${
        report.skipped.length > 0
          ? html`<p class="muted">Not searched: ${report.skipped.map((s) => `${s.column} (${s.reason})`).join('; ')}.</p>`
          : nothing
      }
      ${
        report.notes.length > 0
          ? html`<ul class="muted">
              ${report.notes.map((n) => html`<li>${n}</li>`)}
            </ul>`
          : nothing
      }
      ${
        this.datasetId
          ? html`<p>
              <button data-testid="covariate-search-save" @click=${() => void this.save()}>Use these covariates in the study</button>
              <span class="muted">(the study's model.covariates, estimated at the next fit)</span>
            </p>`
          : nothing
      }`;
  }

  private async run(): Promise<void> {
    const data = this.data;
    const spec = this.spec;
    if (!data || !spec) return;
    this.running = true;
    this.notice = null;
    this.steps = [];
    this.result = null;
    this.progress = 'starting';
    this.client ??= new DosesClient();
    try {
      this.result = await this.client.covariateSearch(
        data,
        spec,
        (p) => (this.progress = `${p.message} — fit ${p.done}`),
        (step) => (this.steps = [...this.steps, step]),
      );
      this.notice = { tone: 'success', text: `Covariate search finished in ${this.result.report.seconds} s.` };
    } catch (error) {
      this.notice =
        error instanceof DoseRunCancelledError
          ? { tone: 'info', text: 'The covariate search was cancelled; the steps finished so far are shown.' }
          : failureNotice('The covariate search failed', error);
    } finally {
      this.running = false;
      if (this.datasetId) kept.set(this.datasetId, { steps: this.steps, result: this.result });
    }
  }

  private cancel(): void {
    this.client?.cancel();
  }

  private async save(): Promise<void> {
    const result = this.result;
    const data = this.data;
    if (!result || !data || !this.datasetId) return;
    try {
      const meta = await saveDatasetStudy(this.datasetId, result.spec, 'user', headerSignature(data.format.columns));
      this.notice = { tone: 'success', text: `The chosen covariates were saved to the study “${result.spec.name}”.` };
      this.dispatchEvent(new CustomEvent('study-saved', { detail: meta, bubbles: true, composed: true }));
    } catch (error) {
      this.notice = failureNotice('The covariates could not be saved', error);
    }
  }
}

customElements.define('qp-covariate-search', CovariateSearchPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-covariate-search': CovariateSearchPanel;
  }
}
