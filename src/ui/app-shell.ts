import { css, html, LitElement, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import './dataset-import';
import './dataset-list';
import './dataset-summary';
import './explorer/explorer-view';
import './study/study-panel';
import './gpu-status';
import './ingest-report';
import './model/model-view';
import './doses/doses-view';
import './patient/patient-view';
import './view-tabs';
import './share/share-link';
import './share/share-notice';
import { ShareLinkController } from './share/share-link-controller';
import './privacy-panel';
import '../pwa';
import { modelWorkspace } from './model/model-workspace';
import { dosesWorkspace } from './doses/doses-workspace';
import type { ViewTab } from './view-tabs';
import { DatasetLibraryController } from './dataset-library-controller';
import type { DatasetAction } from './dataset-list';
import type { DatasetMeta } from '../store/datasets';
import { RETRY_LABEL, technicalDetails } from './run-notice';
import { controlStyles } from './shared-styles';

/** The application: dataset library on the side, the open dataset's summary and explorer in the main area. */
const VIEWS: ViewTab[] = [
  { id: 'data', label: 'Data' },
  { id: 'model', label: 'Model' },
  { id: 'doses', label: 'Doses' },
  { id: 'patient', label: 'Patient' },
];

export class App extends LitElement {
  static override properties = { view: { state: true } };
  declare view: string;
  private readonly library = new DatasetLibraryController(this);
  /** Opens `#demo` and `#s=…` links (after the library, which it uses). */
  private readonly share = new ShareLinkController(this, this.library, (view) => (this.view = view));

  constructor() {
    super();
    this.view = 'data';
  }

  static override styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr auto;
        min-height: 100vh;
      }
      header {
        display: flex;
        align-items: baseline;
        gap: 1rem;
        flex-wrap: wrap;
        padding: 0.7rem 1.25rem;
        background: #0e2a47;
        color: #fff;
      }
      header h1 {
        font-size: 1.25rem;
        margin: 0;
      }
      header .privacy {
        margin-left: auto;
        font-size: 0.85rem;
        opacity: 0.9;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(16rem, 20rem) 1fr;
        gap: 1.25rem;
        padding: 1rem 1.25rem;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      aside h2 {
        font-size: 1rem;
        margin: 1rem 0 0.5rem;
      }
      main {
        min-width: 0;
      }
      .problem {
        background: #fdecea;
        border: 1px solid #e3a39c;
        border-radius: 8px;
        padding: 0.6rem 0.9rem;
        margin-bottom: 1rem;
      }
      .notice {
        background: #eef4fb;
        border: 1px solid #9dbbe0;
        border-radius: 8px;
        padding: 0.6rem 0.9rem;
        margin-bottom: 1rem;
      }
      .welcome {
        max-width: 40rem;
        line-height: 1.5;
      }
      footer {
        padding: 0.5rem 1.25rem;
        border-top: 1px solid var(--qp-border, #d5dbe1);
      }
      @media print {
        header,
        aside,
        footer,
        .problem,
        .notice {
          display: none !important;
        }
        .layout {
          display: block;
          padding: 0;
        }
      }
    `,
  ];

  override render() {
    const library = this.library;
    const active = library.active;
    return html`
      <header>
        <h1>QPKPD Studio</h1>
        <span>PK/PD modelling and dose optimisation</span>
        <span class="privacy">Your data stay in this browser: nothing is uploaded.</span>
        <qp-share-link view=${this.view === 'patient' ? 'data' : this.view} .active=${active?.meta ?? null}></qp-share-link>
        <qp-install-button></qp-install-button>
      </header>
      <div class="layout" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${this.onDrop}>
        <aside>
          <qp-dataset-import
            .progress=${library.progress}
            @file-chosen=${(e: CustomEvent<File>) => library.importFile(e.detail, e.detail.name)}
            @demo-requested=${() => library.importDemo()}
            @import-cancelled=${() => library.cancelImport()}
          ></qp-dataset-import>
          <h2>Stored datasets</h2>
          <qp-dataset-list
            .datasets=${library.datasets}
            .activeId=${active?.meta.id}
            @dataset-action=${this.onDatasetAction}
          ></qp-dataset-list>
          <qp-privacy-panel @data-deleted=${this.onDataDeleted}></qp-privacy-panel>
        </aside>
        <main>
          <qp-view-tabs .tabs=${VIEWS} selected=${this.view} @view-selected=${(e: CustomEvent<string>) => (this.view = e.detail)}>
            ${
              library.problem
                ? html`<div class="problem" role="alert" data-testid="problem">
                    ${library.problem}${technicalDetails(library.problemDetail)}
                  </div>`
                : ''
            }
            ${
              library.problem && library.retry
                ? html`<p>
                    <button data-testid="retry-run" ?disabled=${Boolean(library.progress)} @click=${library.retry}>${RETRY_LABEL}</button>
                  </p>`
                : ''
            }
            ${
              library.notice
                ? html`<div class="notice" role="status" data-testid="library-notice">
                    ${library.notice} <button @click=${() => library.dismissNotice()}>Dismiss</button>
                  </div>`
                : ''
            }
            <qp-share-notice .message=${this.share.message} @share-notice-dismissed=${() => this.share.dismiss()}></qp-share-notice>
            ${keyed(this.share.revision, this.view === 'model' ? this.renderModelView() : this.view === 'doses' ? this.renderDosesView() : this.view === 'patient' ? html`<qp-patient-view></qp-patient-view>` : this.renderDataView())}
          </qp-view-tabs>
        </main>
      </div>
      <footer><qp-gpu-status></qp-gpu-status><qp-update-notice></qp-update-notice></footer>
    `;
  }

  private renderDataView() {
    const library = this.library;
    const active = library.active;
    return html`<qp-ingest-report .report=${library.report} @report-dismissed=${() => library.dismissReport()}></qp-ingest-report> ${
        active
          ? html`<qp-dataset-summary .meta=${active.meta} .data=${active.stored.dataset}></qp-dataset-summary> ${keyed(
                active.meta.id,
                html`<qp-study-panel
                  .meta=${active.meta}
                  .data=${active.stored.dataset}
                  @study-saved=${(e: CustomEvent<DatasetMeta>) => library.studySaved(e.detail)}
                ></qp-study-panel>`,
              )}
              ${
                active.meta.study.confirmed
                  ? html`<qp-explorer
                      .data=${active.stored.dataset}
                      .datasetId=${active.meta.id}
                      .spec=${active.meta.study.spec}
                    ></qp-explorer>`
                  : nothing
              }`
          : html`<section class="welcome" data-testid="welcome">
              <h2>Start with data</h2>
              <p>
                Drop a NONMEM-, Monolix- or nlmixr2-style CSV (columns such as ID, TIME, DV, EVID, MDV, AMT, CMT, DVID and any covariates),
                choose one with the file button, or press <strong>Load demo data</strong> for the public Quantum Innovation Challenge 2025
                dataset. Files are checked line by line; then you confirm what the columns mean. Datasets are kept in this browser's
                storage.
              </p>
            </section>`
      }`;
  }

  private renderModelView() {
    const active = this.library.active;
    return html`<qp-model-view
      .data=${active?.stored.dataset ?? null}
      .datasetId=${active?.meta.id ?? null}
      .datasetName=${active?.meta.name ?? null}
      .study=${active?.meta.study ?? null}
    ></qp-model-view>`;
  }

  private renderDosesView() {
    const active = this.library.active;
    return html`<qp-doses-view
      .data=${active?.stored.dataset ?? null}
      .datasetId=${active?.meta.id ?? null}
      .datasetName=${active?.meta.name ?? null}
      .study=${active?.meta.study ?? null}
      @study-saved=${(e: CustomEvent<DatasetMeta>) => this.library.studySaved(e.detail)}
    ></qp-doses-view>`;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (file) void this.library.importFile(file, file.name);
  }

  /** "Delete all my data" emptied the store: show the empty library and saved-model lists. */
  private onDataDeleted(): void {
    this.library.active = undefined;
    void this.library.refresh();
    void modelWorkspace.refreshSaved();
    void dosesWorkspace.refreshSaved();
  }

  private onDatasetAction(event: CustomEvent<DatasetAction>): void {
    const { id, action, name } = event.detail;
    if (action === 'open') void this.library.open(id);
    else if (action === 'rename' && name !== undefined) void this.library.rename(id, name);
    else if (action === 'delete') void this.library.remove(id);
  }
}

customElements.define('qp-app', App);
