/**
 * `<qp-doses-view .data=${Dataset|null} .datasetId=${string|null} .datasetName=${string|null}>`: the Doses tab — the challenge's
 * dose questions answered by the mechanistic population model and by saved networks, in a worker
 * with progress and cancel: settings, the answers table, dose–response plots with uncertainty
 * bands, and the mechanistic fit with its diagnostics.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { WorkspaceBinding } from '../workspace-binding';
import { datasetFingerprint } from '../../data/fingerprint';
import type { Dataset } from '../../data/types';
import { modelStyles } from '../model/model-styles';
import type { ReportDocument } from '../../export/report-html';
import { answersExport } from '../export/answers-csv';
import '../export/report-actions';
import { reportFigures } from '../export/report-figures';
import { dosesReportDocument } from '../export/run-reports';
import { noticeView } from '../run-notice';
import { controlStyles } from '../shared-styles';
import type { ModelAnswers } from './answer-rows';
import './answers-table';
import './diagnostics-panel';
import type { DoseFormValues } from './dose-settings';
import './dose-form';
import './dose-progress';
import type { DoseResponseModel } from './dose-response-plots';
import './dose-response-plots';
import { dosesWorkspace, type ModelRun } from './doses-workspace';
import type { MechanisticReport, NetworkReport } from '../../../workers/doses-client';
import './network-notes';
import './fit-panel';

export class DosesView extends LitElement {
  static override properties = {
    data: { attribute: false },
    datasetId: { attribute: false },
    datasetName: { attribute: false },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    css`
      h2 {
        font-size: 1.3rem;
        margin: 0 0 0.75rem;
      }
    `,
  ];

  declare data: Dataset | null;
  declare datasetId: string | null;
  /** The open dataset's name in the library. */
  declare datasetName: string | null;

  private readonly workspace = dosesWorkspace;
  private fingerprint: string | null = null;
  constructor() {
    super();
    this.data = null;
    this.datasetId = null;
    this.datasetName = null;
    new WorkspaceBinding(this, this.workspace, () => this.workspace.running);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data')) this.fingerprint = this.data ? datasetFingerprint(this.data) : null;
    // A network just saved (on the Model tab or in another tab) and trained on this dataset is offered ticked.
    if (this.fingerprint !== null) this.workspace.offerNetworks(this.fingerprint);
  }

  protected override render(): TemplateResult {
    const data = this.data;
    return html`<h2>Dose questions</h2>
      ${
        data
          ? this.workbench(data)
          : html`<p class="notice" data-testid="doses-no-data">
              No dataset is open. Load a file or the demo data in the side panel, or open a stored dataset, to fit the mechanistic model and
              answer the dose questions.
            </p>`
      }`;
  }

  private workbench(data: Dataset): TemplateResult {
    const ws = this.workspace;
    const current = ws.runFingerprint === this.fingerprint;
    return html`<section class="card" aria-labelledby="doses-settings-title">
        <h3 id="doses-settings-title">Settings</h3>
        <qp-dose-form
          .values=${ws.form}
          .networks=${ws.saved}
          .fingerprint=${this.fingerprint}
          ?disabled=${ws.running}
          @form-changed=${(e: CustomEvent<DoseFormValues>) => (ws.form = e.detail)}
          @run-requested=${(e: CustomEvent<DoseFormValues>) => void ws.run(data, e.detail, 'auto', this.datasetName ?? data.fileName)}
        ></qp-dose-form>
      </section>
      <div aria-live="polite">${noticeView(ws.notice, 'doses-notice', ws.running)}</div>
      ${ws.running ? html`<qp-dose-progress .progress=${ws.progress} @doses-cancelled=${() => ws.cancel()}></qp-dose-progress>` : nothing}
      ${
        ws.runs.length > 0 && !current && !ws.running
          ? html`<p class="notice" data-tone="warning" role="note" data-testid="other-dataset-results">
              The results below were computed for “${ws.runDatasetName}”, not for “${this.datasetName ?? data.fileName}” open now. Run again
              to answer for “${this.datasetName ?? data.fileName}”, or open “${ws.runDatasetName}” again to go on with these.
            </p>`
          : nothing
      }
      ${ws.runs.length > 0 ? this.results(ws.runs) : nothing}`;
  }

  private results(runs: readonly ModelRun[]): TemplateResult {
    const answers: ModelAnswers[] = runs.map((r) => ({
      id: r.id,
      label: r.label,
      kind: r.report.kind,
      answers: r.report.answers,
      settings: r.report.settings,
      differences: r.report.kind === 'network' ? r.report.differences : null,
    }));
    const curves: DoseResponseModel[] = runs.map((r) => ({
      id: r.id,
      label: r.label,
      kind: r.report.kind,
      answers: r.report.answers,
      curves: r.report.curves,
      targets: r.report.settings.targets,
    }));
    const mechanistic = runs.map((r) => r.report).find((r): r is MechanisticReport => r.kind === 'mechanistic') ?? null;
    return html`<qp-report-actions
        .report=${this.workspace.running ? null : () => this.report(runs, answers)}
        .csv=${answersExport(answers)}
      ></qp-report-actions>
      <section class="card" aria-labelledby="answers-title" data-testid="dose-results">
        <h3 id="answers-title">Answers</h3>
        <qp-dose-answers-table .models=${answers}></qp-dose-answers-table>
        <qp-network-notes .reports=${runs.map((r) => r.report).filter((r): r is NetworkReport => r.kind === 'network')}></qp-network-notes>
      </section>
      <section class="card" aria-labelledby="curves-title">
        <h3 id="curves-title">Dose–response</h3>
        <qp-dose-response-plots .models=${curves}></qp-dose-response-plots>
      </section>
      ${
        mechanistic
          ? html`<section class="card" aria-labelledby="fit-title" data-testid="mechanistic-fit">
                <h3 id="fit-title">Mechanistic population model</h3>
                <qp-mechanistic-fit .report=${mechanistic}></qp-mechanistic-fit>
              </section>
              <section class="card" aria-labelledby="diagnostics-title" data-testid="mechanistic-diagnostics">
                <h3 id="diagnostics-title">Diagnostics</h3>
                <qp-mechanistic-diagnostics
                  .diagnostics=${mechanistic.diagnostics}
                  .threshold=${mechanistic.settings.threshold}
                ></qp-mechanistic-diagnostics>
              </section>`
          : nothing
      }`;
  }

  /** The Doses tab's printable report: the open data, the settings the run used, the answers and the plots as drawn. */
  private report(runs: readonly ModelRun[], models: readonly ModelAnswers[]): ReportDocument {
    const data = this.data as Dataset;
    return dosesReportDocument({
      data,
      datasetName: this.datasetName ?? data.fileName,
      models,
      settings: runs[0].report.settings,
      figures: reportFigures(this),
    });
  }
}

if (!customElements.get('qp-doses-view')) customElements.define('qp-doses-view', DosesView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-doses-view': DosesView;
  }
}
