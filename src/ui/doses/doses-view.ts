/**
 * `<qp-doses-view .data=${Dataset|null} .datasetId=${string|null} .datasetName=${string|null} .study=${DatasetStudy|null}>`:
 * the Doses tab — the open dataset's study questions (its stored spec's `questions`, edited in the
 * form and saved back to the study on request) answered by the study's population model and by saved
 * networks, in a worker with progress and cancel: the answers table in the study's names and units,
 * dose–response plots with uncertainty bands, and the population fit with its diagnostics.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { WorkspaceBinding } from '../workspace-binding';
import { datasetFingerprint } from '../../data/fingerprint';
import type { Dataset } from '../../data/types';
import type { MechanisticRunReport, NetworkRunReport } from '../../dose/dose-run-report';
import { type DatasetStudy, saveDatasetStudy } from '../../store/datasets';
import { headerSignature } from '../../study/guess-spec';
import type { StudySpec } from '../../study/study-spec';
import { modelStyles } from '../model/model-styles';
import type { ReportDocument } from '../../export/report-html';
import { answersExport } from '../export/answers-csv';
import '../export/report-actions';
import { reportFigures } from '../export/report-figures';
import { dosesReportDocument } from '../export/run-reports';
import { failureNotice, type Notice, noticeView } from '../run-notice';
import { controlStyles } from '../shared-styles';
import { type ModelAnswers, modelAnswersOf } from './answer-rows';
import './answers-table';
import './diagnostics-panel';
import type { DoseRunRequested } from './dose-form';
import './dose-form';
import type { DoseFormValues } from './dose-form-model';
import './dose-progress';
import type { DoseResponseModel } from './dose-response-plots';
import './dose-response-plots';
import { dosesWorkspace, HYBRID_ID, type ModelRun } from './doses-workspace';
import { lastCovariateSearch } from './covariate-search-panel';
import './model-exports';
import './network-notes';
import './fit-panel';

export class DosesView extends LitElement {
  static override properties = {
    data: { attribute: false },
    datasetId: { attribute: false },
    datasetName: { attribute: false },
    study: { attribute: false },
    saveNotice: { state: true },
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
  /** The open dataset's stored study (its spec and whether a user confirmed it). */
  declare study: DatasetStudy | null;
  declare saveNotice: Notice | null;

  private readonly workspace = dosesWorkspace;
  private fingerprint: string | null = null;
  constructor() {
    super();
    this.data = null;
    this.datasetId = null;
    this.datasetName = null;
    this.study = null;
    this.saveNotice = null;
    new WorkspaceBinding(this, this.workspace, () => this.workspace.running);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data')) this.fingerprint = this.data ? datasetFingerprint(this.data) : null;
    if (changed.has('datasetId')) this.saveNotice = null;
    if (this.data && this.study) this.workspace.formFor(this.formKey(), this.study.spec, this.columns(this.data));
    // A network just saved (on the Model tab or in another tab) and trained on this dataset is offered ticked.
    if (this.fingerprint !== null) this.workspace.offerNetworks(this.fingerprint);
  }

  /** The form is made anew for another dataset and when its stored study changes (imported, edited, saved from here). */
  private formKey(): string {
    return `${this.datasetId ?? `unsaved:${this.fingerprint ?? ''}`}|${this.study?.updatedAt ?? 0}`;
  }

  /** The covariate columns a scenario can set: the file's. */
  private columns(data: Dataset): string[] {
    return data.covariates.map((c) => c.name);
  }

  protected override render(): TemplateResult {
    const data = this.data;
    return html`<h2>Dose questions</h2>
      ${
        data && this.study
          ? this.workbench(data, this.study)
          : html`<p class="notice" data-testid="doses-no-data">
              No dataset is open. Load a file or the demo data in the side panel, or open a stored dataset, to fit the study's population
              model and answer its dose questions.
            </p>`
      }`;
  }

  private workbench(data: Dataset, study: DatasetStudy): TemplateResult {
    const ws = this.workspace;
    const current = ws.runFingerprint === this.fingerprint;
    const form = ws.form ?? ws.formFor(this.formKey(), study.spec, this.columns(data));
    const name = this.datasetName ?? data.fileName;
    return html`${
        study.confirmed
          ? nothing
          : html`<p class="notice" data-tone="warning" role="note" data-testid="study-unconfirmed">
              The study settings of “${name}” were guessed from the file and are not confirmed yet. Check them in the Data tab (Study
              settings) before you trust the fit and the answers.
            </p>`
      }
      <section class="card" aria-labelledby="doses-settings-title">
        <h3 id="doses-settings-title">Questions of the study “${study.spec.name}”</h3>
        ${
          study.spec.questions
            ? nothing
            : html`<p class="muted" data-testid="no-questions">
                This study asks no dose questions yet: fill in the question below (at least the threshold), then Run, or Save to study to
                keep it with the dataset.
              </p>`
        }
        ${keyed(
          ws.formDataset,
          html`<qp-dose-form
            .values=${form}
            .spec=${study.spec}
            .networks=${ws.saved}
            .fingerprint=${this.fingerprint}
            ?can-save=${this.datasetId !== null}
            ?disabled=${ws.running}
            @form-changed=${(e: CustomEvent<DoseFormValues>) => (ws.form = e.detail)}
            @run-requested=${(e: CustomEvent<DoseRunRequested>) =>
              void ws.run({ data, spec: e.detail.spec, options: e.detail.options, form: e.detail.values, datasetName: name })}
            @save-requested=${(e: CustomEvent<StudySpec>) => void this.save(data, e.detail)}
          ></qp-dose-form>`,
        )}
        <div aria-live="polite">${noticeView(this.saveNotice, 'save-questions-notice', false)}</div>
      </section>
      <div aria-live="polite">${noticeView(ws.notice, 'doses-notice', ws.running)}</div>
      ${ws.running ? html`<qp-dose-progress .progress=${ws.progress} @doses-cancelled=${() => ws.cancel()}></qp-dose-progress>` : nothing}
      ${
        ws.runs.length > 0 && !current && !ws.running
          ? html`<p class="notice" data-tone="warning" role="note" data-testid="other-dataset-results">
              The results below were computed for “${ws.runDatasetName}”, not for “${name}” open now. Run again to answer for “${name}”, or
              open “${ws.runDatasetName}” again to go on with these.
            </p>`
          : nothing
      }
      ${ws.runs.length > 0 ? this.results(ws.runs) : nothing}
      <section class="card" aria-labelledby="covariate-search-title" data-testid="covariate-search">
        <h3 id="covariate-search-title">Covariate search</h3>
        ${keyed(
          this.datasetId ?? this.fingerprint,
          html`<qp-covariate-search .data=${data} .datasetId=${this.datasetId} .spec=${study.spec}></qp-covariate-search>`,
        )}
      </section>`;
  }

  /** "Save to study": the form's questions written into the dataset's stored spec (confirmed). */
  private async save(data: Dataset, spec: StudySpec): Promise<void> {
    const id = this.datasetId;
    if (!id) return;
    try {
      await saveDatasetStudy(id, spec, 'user', headerSignature(data.format.columns));
      this.saveNotice = { tone: 'success', text: `The questions were saved to the study “${spec.name}”.` };
    } catch (error) {
      this.saveNotice = failureNotice('The questions could not be saved', error);
    }
  }

  private results(runs: readonly ModelRun[]): TemplateResult {
    const answers: ModelAnswers[] = runs.map((r) => modelAnswersOf(r.id, r.report));
    const curves: DoseResponseModel[] = runs.map((r) => ({
      id: r.id,
      label: r.label,
      kind: r.report.kind,
      answers: r.report.answers,
      curves: r.report.curves,
      targets: r.report.questions.targets,
      unit: r.report.units.amount,
      question: r.report.question,
    }));
    // The population model's and the hybrid model's fits and diagnostics, each in its own cards.
    const fitted = runs.filter((r): r is ModelRun & { report: MechanisticRunReport } => r.report.kind === 'mechanistic');
    return html`<qp-report-actions
        .report=${this.workspace.running ? null : () => this.report(runs, answers)}
        .csv=${answersExport(answers)}
      ></qp-report-actions>
      <section class="card" aria-labelledby="answers-title" data-testid="dose-results">
        <h3 id="answers-title">Answers</h3>
        <qp-dose-answers-table .models=${answers}></qp-dose-answers-table>
        <qp-network-notes
          .reports=${runs.map((r) => r.report).filter((r): r is NetworkRunReport => r.kind === 'network')}
        ></qp-network-notes>
      </section>
      <section class="card" aria-labelledby="curves-title">
        <h3 id="curves-title">Dose–response</h3>
        <qp-dose-response-plots .models=${curves}></qp-dose-response-plots>
      </section>
      ${fitted.map((run) => {
        const r = run.report;
        const key = run.id === HYBRID_ID ? 'hybrid' : 'mechanistic';
        return html`<section class="card" aria-labelledby="${key}-fit-title" data-testid="${key}-fit">
            <h3 id="${key}-fit-title">${r.label}</h3>
            <qp-mechanistic-fit .report=${r.fit} .timing=${r.timing}></qp-mechanistic-fit>
            <qp-model-exports .report=${r}></qp-model-exports>
          </section>
          ${
            r.diagnostics
              ? html`<section class="card" aria-labelledby="${key}-diagnostics-title" data-testid="${key}-diagnostics">
                  <h3 id="${key}-diagnostics-title">Diagnostics${run.id === HYBRID_ID ? ' of the hybrid model' : ''}</h3>
                  <qp-mechanistic-diagnostics .diagnostics=${r.diagnostics} .spec=${this.workspace.runSpec}></qp-mechanistic-diagnostics>
                </section>`
              : nothing
          }`;
      })}`;
  }

  /** The Doses tab's printable report: the open data, the questions and options the run used, the answers and the plots as drawn. */
  private report(runs: readonly ModelRun[], models: readonly ModelAnswers[]): ReportDocument {
    const data = this.data as Dataset;
    return dosesReportDocument({
      data,
      datasetName: this.datasetName ?? data.fileName,
      models,
      report: runs[0].report,
      figures: reportFigures(this),
      fits: runs.map((r) => r.report).filter((r): r is MechanisticRunReport => r.kind === 'mechanistic'),
      covariateSearch: lastCovariateSearch(this.datasetId),
    });
  }
}

if (!customElements.get('qp-doses-view')) customElements.define('qp-doses-view', DosesView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-doses-view': DosesView;
  }
}
