/**
 * `<qp-saved-models .models .currentId .fingerprint .openLabels .disabled>`: the models saved in this browser —
 * name, dataset, encoder and mode, validation (and test) RMSE of the response (of PK in a study without
 * one) named and in the unit recorded with the model, date — with open, rename, export
 * and delete (confirmed), a file button to import a model file, and a mark on models trained on
 * other data than the open dataset (`fingerprint`). Emits `saved-model-action` and `model-file-chosen`.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { type ReportLabels, trainedModelLabels } from '../../model/report/labels';
import type { TrainedModelMeta } from '../../model/trained-model';
import { ENCODER_LABELS } from '../../quantum/resources/architecture';
import { formatDate } from '../format';
import { deleteConfirm, renameForm } from '../list-item-actions';
import { headlineMetric } from './model-labels';
import { controlStyles } from '../shared-styles';
import { modelStyles } from './model-styles';

export interface SavedModelAction {
  readonly id: string;
  readonly action: 'open' | 'rename' | 'export' | 'delete';
  readonly name?: string;
}

export class SavedModelsList extends LitElement {
  static override properties = {
    models: { attribute: false },
    currentId: { attribute: false },
    fingerprint: { attribute: false },
    openLabels: { attribute: false },
    disabled: { type: Boolean },
    editingId: { state: true },
    confirmingId: { state: true },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        border: 1px solid var(--qp-border, #c9d2db);
        border-radius: 8px;
        padding: 0.5rem 0.7rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1rem;
        align-items: center;
        justify-content: space-between;
      }
      li.current {
        border-color: var(--qp-accent, #0b5cad);
        box-shadow: inset 3px 0 0 var(--qp-accent, #0b5cad);
      }
      .name {
        font-weight: 600;
      }
      .facts {
        font-size: 0.85rem;
        color: var(--qp-muted, #52606d);
        margin-top: 0.15rem;
      }
      .row {
        display: flex;
        gap: 0.35rem;
        flex-wrap: wrap;
        align-items: center;
      }
      .other-data {
        --badge: #9a6700;
        margin-left: 0.3rem;
      }
      .file input {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
      .file span {
        display: inline-block;
        border: 1px solid var(--qp-border, #b8c2cc);
        border-radius: 6px;
        padding: 0.35rem 0.75rem;
        cursor: pointer;
      }
      .file:focus-within span {
        outline: 3px solid var(--qp-focus, #f0a202);
        outline-offset: 2px;
      }
      .file[data-disabled] span {
        opacity: 0.55;
        cursor: default;
      }
    `,
  ];

  declare models: readonly TrainedModelMeta[];
  declare currentId: string | null;
  declare fingerprint: string | null;
  /** The open dataset's study labels: for models saved without their own, trained on the open dataset. */
  declare openLabels: ReportLabels | null;
  declare disabled: boolean;
  declare editingId: string | null;
  declare confirmingId: string | null;

  constructor() {
    super();
    this.models = [];
    this.currentId = null;
    this.fingerprint = null;
    this.openLabels = null;
    this.disabled = false;
    this.editingId = null;
    this.confirmingId = null;
  }

  protected override render(): TemplateResult {
    return html`${
        this.models.length === 0
          ? html`<p class="muted" data-testid="no-saved-models">No models saved in this browser yet.</p>`
          : html`<ul aria-label="Saved models">
              ${this.models.map((m) => this.item(m))}
            </ul>`
      }
      <div class="actions">
        <label class="file" ?data-disabled=${this.disabled}>
          <input type="file" accept=".json,application/json" data-testid="import-model" ?disabled=${this.disabled} @change=${this.onFile} />
          <span>Import a model file…</span>
        </label>
      </div>`;
  }

  private item(m: TrainedModelMeta): TemplateResult {
    const otherData = this.fingerprint !== null && m.fingerprint !== this.fingerprint;
    const metric = headlineMetric(m, trainedModelLabels(m, this.fingerprint !== null && !otherData ? this.openLabels : null));
    return html`<li class=${m.id === this.currentId ? 'current' : ''} data-testid="saved-model" data-name=${m.name}>
      <div>
        ${
          this.editingId === m.id
            ? renameForm(m.name, (name) => this.renamed(m.id, name), {
                kind: 'model',
                taken: this.models.filter((o) => o.id !== m.id).map((o) => o.name),
              })
            : html`<span class="name">${m.name}</span>`
        }
        <div class="facts">
          ${m.datasetName}${
            otherData
              ? html`<span class="badge other-data" title="Trained on other data than the dataset open now" data-testid="other-data"
                  >other data</span
                >`
              : nothing
          }
          · ${ENCODER_LABELS[m.config.encoder]} ${m.config.mode}${m.cancelled ? ' (cancelled)' : ''} · val ${metric.endpoint} RMSE
          <span data-metric="val-${metric.target}-rmse">${metric.value(m.validation)}</span>${
            m.test
              ? html` · test ${metric.endpoint} RMSE <span data-metric="test-${metric.target}-rmse">${metric.value(m.test)}</span>`
              : nothing
          }
          · ${formatDate(m.createdAt)}
        </div>
      </div>
      ${
        this.confirmingId === m.id
          ? deleteConfirm(
              m.name,
              () => this.act({ id: m.id, action: 'delete' }),
              () => (this.confirmingId = null),
            )
          : html`<div class="row">
              <button ?disabled=${this.disabled} @click=${() => this.act({ id: m.id, action: 'open' })} aria-label="Open ${m.name}">
                Open
              </button>
              <button ?disabled=${this.disabled} @click=${() => (this.editingId = m.id)} aria-label="Rename ${m.name}">Rename</button>
              <button ?disabled=${this.disabled} @click=${() => this.act({ id: m.id, action: 'export' })} aria-label="Export ${m.name}">
                Export
              </button>
              <button class="danger" ?disabled=${this.disabled} @click=${() => (this.confirmingId = m.id)} aria-label="Delete ${m.name}">
                Delete
              </button>
            </div>`
      }
    </li>`;
  }

  private renamed(id: string, name: string | null): void {
    this.editingId = null;
    if (name !== null) this.act({ id, action: 'rename', name });
  }

  private act(detail: SavedModelAction): void {
    this.confirmingId = null;
    this.dispatchEvent(new CustomEvent<SavedModelAction>('saved-model-action', { detail, bubbles: true, composed: true }));
  }

  private readonly onFile = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.dispatchEvent(new CustomEvent<File>('model-file-chosen', { detail: file, bubbles: true, composed: true }));
  };
}

if (!customElements.get('qp-saved-models')) customElements.define('qp-saved-models', SavedModelsList);

declare global {
  interface HTMLElementTagNameMap {
    'qp-saved-models': SavedModelsList;
  }
}
