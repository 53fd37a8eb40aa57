/**
 * `<qp-model-view .data=${Dataset|null} .datasetId=${string|null} .datasetName=${string|null}>`: the
 * Model tab — train a model on the open dataset (settings, live progress, cancel), its results and
 * final test evaluation, the models saved in this browser (open, rename, export, import, delete),
 * then the quantum resource estimator, the qubits × layers ablation and the claims check.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { WorkspaceBinding } from '../workspace-binding';
import { datasetFingerprint } from '../../data/fingerprint';
import type { Dataset } from '../../data/types';
import type { TrainingConfig } from '../../model/training-config';
import { describeClassification, studyClassification } from '../../model/classification';
import { type ReportLabels, studyHasPd, studyReportLabels, trainedModelLabels } from '../../model/report/labels';
import { type ModelFeatureShape, studyFeatureShape } from '../../model/parameter-budget';
import type { DatasetStudy } from '../../store/schema';
import type { DatasetInput } from '../../../workers/training-client';
import type { CsvExport } from '../../export/csv';
import { predictionsExport } from '../../export/predictions-csv';
import type { ReportDocument } from '../../export/report-html';
import '../export/report-actions';
import { reportFigures } from '../export/report-figures';
import { modelReportDocument } from '../export/run-reports';
import { noticeView } from '../run-notice';
import { controlStyles } from '../shared-styles';
import './ablation-panel';
import './claims-panel';
import './model-results';
import { modelStyles } from './model-styles';
import { type CurrentModel, modelWorkspace, type SubjectSet } from './model-workspace';
import './quantum-resources-panel';
import './saved-models-list';
import type { SavedModelAction } from './saved-models-list';
import './training-form';
import './training-progress';

export class ModelView extends LitElement {
  static override properties = {
    data: { attribute: false },
    datasetId: { attribute: false },
    datasetName: { attribute: false },
    study: { attribute: false },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    css`
      h2 {
        font-size: 1.3rem;
        margin: 0 0 0.75rem;
      }
      details.section {
        margin-top: 1rem;
      }
      details.section > summary {
        cursor: pointer;
        font-weight: 600;
        font-size: 1.05rem;
        padding: 0.4rem 0;
      }
      qp-quantum-resources {
        margin-top: 1rem;
      }
    `,
  ];

  declare data: Dataset | null;
  declare datasetId: string | null;
  declare datasetName: string | null;
  /** The open dataset's study (its spec gives the classification head's criterion). */
  declare study: DatasetStudy | null;

  private readonly workspace = modelWorkspace;
  private fingerprint: string | null = null;
  /** The open dataset's feature columns and networks under its study: the training form's parameter count (once per dataset and spec). */
  private shape: ModelFeatureShape | null = null;
  constructor() {
    super();
    this.data = null;
    this.datasetId = null;
    this.datasetName = null;
    this.study = null;
    new WorkspaceBinding(this, this.workspace, () => this.workspace.phase === 'training');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data')) this.fingerprint = this.data ? datasetFingerprint(this.data) : null;
    if (changed.has('data') || changed.has('study'))
      this.shape = this.data && this.study ? studyFeatureShape(this.study.spec, this.data) : null;
  }

  protected override render(): TemplateResult {
    const config = this.workspace.config;
    return html`<h2>Models</h2>
      ${
        this.data
          ? this.workbench(this.data)
          : html`<p class="notice" data-testid="model-no-data">
              No dataset is open. Load a file or the demo data in the side panel, or open a stored dataset (the <strong>Data</strong> tab
              shows it), to train models. The quantum resource estimator below works without data.
            </p>`
      }
      <qp-quantum-resources .encoder=${config.encoder} .nQubits=${config.qubits} .nLayers=${config.layers}></qp-quantum-resources>
      ${
        this.data
          ? html`<details class="section">
                <summary>Ablation: qubits × layers</summary>
                <qp-ablation-panel .data=${this.data} .spec=${this.study?.spec ?? null}></qp-ablation-panel>
              </details>
              <details class="section">
                <summary>Claims check: quantum models beside width-matched classical controls</summary>
                <qp-claims-panel .data=${this.data} .spec=${this.study?.spec ?? null}></qp-claims-panel>
              </details>`
          : nothing
      }`;
  }

  private workbench(data: Dataset): TemplateResult {
    const ws = this.workspace;
    const idle = ws.phase === 'idle';
    return html`<section class="card" aria-labelledby="train-title">
        <h3 id="train-title">Train a model on “${this.datasetName ?? data.fileName}”</h3>
        <qp-training-form
          .config=${ws.config}
          .criterion=${this.criterion()}
          .shape=${this.shape}
          ?disabled=${!idle}
          @config-changed=${this.onConfigChanged}
          @train-requested=${(e: CustomEvent<TrainingConfig>) => void ws.train(this.input(data), e.detail, this.hasPd())}
        ></qp-training-form>
      </section>
      <div aria-live="polite">
        ${noticeView(ws.notice, 'model-notice', !idle)}
        ${ws.phase === 'working' ? html`<p class="muted" data-testid="model-activity">${ws.activity}</p>` : nothing}
      </div>
      ${
        ws.phase === 'training'
          ? html`<qp-training-progress
              .progress=${ws.progress}
              .stage=${ws.stage}
              .points=${ws.points}
              @training-cancelled=${() => ws.cancel()}
            ></qp-training-progress>`
          : nothing
      }
      ${ws.current ? this.otherDatasetNote(ws.current, data) : nothing}
      ${
        ws.current
          ? html`<qp-report-actions
                .report=${idle && this.onOpenDataset(ws.current) ? () => this.report(data) : null}
                .csv=${this.predictionsCsv()}
              ></qp-report-actions>
              <qp-model-results
                .current=${ws.current}
                .reports=${ws.reports}
                .subjectSet=${ws.subjectSet}
                .labels=${this.currentLabels(ws.current)}
                .datasets=${ws.datasets}
                .external=${ws.external}
                ?busy=${!idle}
                @save-requested=${(e: CustomEvent<string>) => void ws.save(e.detail)}
                @test-requested=${() => void ws.evaluateTest()}
                @subject-set-selected=${(e: CustomEvent<SubjectSet>) => void ws.showReport(e.detail)}
                @external-requested=${(e: CustomEvent<{ id: string; name: string }>) => void ws.evaluateExternal(e.detail.id, e.detail.name)}
              ></qp-model-results>`
          : nothing
      }
      <section class="card" aria-labelledby="saved-title">
        <h3 id="saved-title">Saved models</h3>
        <qp-saved-models
          .models=${ws.saved}
          .currentId=${ws.current?.meta?.id ?? null}
          .fingerprint=${this.fingerprint}
          .openLabels=${this.openLabels()}
          ?disabled=${!idle}
          @saved-model-action=${(e: CustomEvent<SavedModelAction>) => this.onSavedModelAction(data, e.detail)}
          @model-file-chosen=${(e: CustomEvent<File>) => void ws.importModel(e.detail)}
        ></qp-saved-models>
      </section>`;
  }

  /** The current model's results were computed on the dataset open now. */
  private onOpenDataset(current: CurrentModel): boolean {
    return current.on.id === this.datasetId;
  }

  /** After another dataset was opened, the results shown are still the other dataset's: say so, by name. */
  private otherDatasetNote(current: CurrentModel, data: Dataset): TemplateResult | typeof nothing {
    if (this.onOpenDataset(current)) return nothing;
    const open = this.datasetName ?? data.fileName;
    return html`<p class="notice" data-tone="warning" role="note" data-testid="other-dataset-results">
      The results below belong to “${current.on.name}”, not to “${open}” open now: their metrics and predictions are on the subjects of
      “${current.on.name}”. Train a model on “${open}” above, open one of its saved models, or open “${current.on.name}” again to go on with
      these.
    </p>`;
  }

  /** The Model tab's printable report: the open data, the current model and its plots as drawn. */
  private report(data: Dataset): ReportDocument {
    const { current, subjectSet } = this.workspace;
    const results = this.renderRoot.querySelector('qp-model-results');
    return modelReportDocument({
      data,
      datasetName: this.datasetName ?? data.fileName,
      facts: (current as CurrentModel).facts,
      labels: this.currentLabels(current as CurrentModel),
      modelName: current?.meta?.name ?? null,
      subjectSet,
      figures: results ? reportFigures(results) : [],
    });
  }

  private predictionsCsv(): CsvExport | null {
    const report = this.workspace.reports[this.workspace.subjectSet];
    return report
      ? predictionsExport(
          [report.targets.pk, report.targets.pd].filter((t) => t !== undefined),
          report.subjectSet,
        )
      : null;
  }

  /** The open dataset's study labels (units, endpoint names, its questions' criterion); null without a study. */
  private openLabels(): ReportLabels | null {
    const spec = this.study?.spec;
    return spec ? studyReportLabels(spec, studyClassification(spec)) : null;
  }

  /** The current model's labels: recorded with it; for a model saved without them, the open study's when it is the model's data. */
  private currentLabels(current: CurrentModel): ReportLabels {
    return trainedModelLabels(current.facts, current.facts.fingerprint === this.fingerprint ? this.openLabels() : null);
  }

  /** The open study has a response endpoint (without one, the PK network alone is trained). */
  private hasPd(): boolean {
    return this.study ? studyHasPd(this.study.spec) : true;
  }

  /** The classification head's criterion in words (the study's question), or null when the study asks none. */
  private criterion(): string | null {
    const head = this.study ? studyClassification(this.study.spec) : null;
    return head ? describeClassification(head) : null;
  }

  private input(data: Dataset): DatasetInput {
    return { data, datasetId: this.datasetId, datasetName: this.datasetName ?? data.fileName };
  }

  private readonly onConfigChanged = (event: CustomEvent<TrainingConfig>): void => {
    this.workspace.config = event.detail;
    this.requestUpdate();
  };

  private onSavedModelAction(data: Dataset, { id, action, name }: SavedModelAction): void {
    const ws = this.workspace;
    if (action === 'open') void ws.open(id, this.input(data));
    else if (action === 'rename' && name !== undefined) void ws.rename(id, name);
    else if (action === 'export') void ws.exportModel(id);
    else if (action === 'delete') void ws.remove(id);
  }
}

if (!customElements.get('qp-model-view')) customElements.define('qp-model-view', ModelView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-model-view': ModelView;
  }
}
