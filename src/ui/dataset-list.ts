import { css, html, LitElement } from 'lit';
import type { DatasetMeta } from '../store/datasets';
import { formatBytes, formatCount } from '../text/format';
import { formatDate } from './format';
import { deleteConfirm, renameForm } from './list-item-actions';
import { controlStyles } from './shared-styles';

export interface DatasetAction {
  id: string;
  action: 'open' | 'rename' | 'delete';
  name?: string;
}

/** Stored datasets with name, size, subjects; open, rename and delete. */
export class DatasetList extends LitElement {
  static override properties = {
    datasets: { attribute: false },
    activeId: { attribute: false },
    editingId: { state: true },
    confirmingId: { state: true },
  };
  declare datasets: DatasetMeta[];
  declare activeId: string | undefined;
  declare editingId: string | undefined;
  declare confirmingId: string | undefined;

  constructor() {
    super();
    this.datasets = [];
    this.activeId = undefined;
    this.editingId = undefined;
    this.confirmingId = undefined;
  }

  static override styles = [
    controlStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        border: 1px solid var(--qp-border, #b8c2cc);
        border-radius: 8px;
        padding: 0.5rem 0.6rem;
        background: var(--qp-surface, #fff);
      }
      li.active {
        border-color: var(--qp-accent, #0b5cad);
        box-shadow: inset 3px 0 0 var(--qp-accent, #0b5cad);
      }
      .name {
        font-weight: 600;
        background: none;
        border: none;
        padding: 0;
        text-align: left;
        color: var(--qp-accent, #0b5cad);
        text-decoration: underline;
      }
      .facts {
        font-size: 0.82rem;
        color: var(--qp-muted, #52606d);
        margin: 0.2rem 0 0.35rem;
      }
      .row {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
        align-items: center;
      }
      .empty {
        color: var(--qp-muted, #52606d);
        font-size: 0.9rem;
      }
      .rename-problem {
        flex-basis: 100%;
        color: #9b1c1c;
        font-size: 0.85rem;
      }
    `,
  ];

  override render() {
    if (this.datasets.length === 0) return html`<p class="empty" data-testid="no-datasets">No stored datasets yet.</p>`;
    return html`<ul aria-label="Stored datasets" data-testid="dataset-list">
      ${this.datasets.map((d) => this.renderItem(d))}
    </ul>`;
  }

  private renderItem(d: DatasetMeta) {
    const facts = `${d.subjectCount} subjects · ${formatCount(d.rowCount)} rows · ${formatBytes(d.fileSize)} · ${formatDate(d.createdAt)}`;
    return html`<li class=${d.id === this.activeId ? 'active' : ''} data-testid="dataset-item" data-name=${d.name}>
      ${
        this.editingId === d.id
          ? renameForm(d.name, (name) => this.renamed(d.id, name), {
              kind: 'dataset',
              taken: this.datasets.filter((o) => o.id !== d.id).map((o) => o.name),
            })
          : html`<button
              class="name"
              @click=${() => this.act({ id: d.id, action: 'open' })}
              aria-current=${d.id === this.activeId ? 'true' : 'false'}
            >
              ${d.name}
            </button>`
      }
      <div class="facts">${d.fileName} · ${facts}${d.study.confirmed ? '' : ' · study settings to confirm'}</div>
      ${
        this.confirmingId === d.id
          ? deleteConfirm(
              d.name,
              () => this.act({ id: d.id, action: 'delete' }),
              () => (this.confirmingId = undefined),
            )
          : html`<div class="row">
              <button @click=${() => (this.editingId = d.id)} aria-label="Rename ${d.name}">Rename</button>
              <button class="danger" @click=${() => (this.confirmingId = d.id)} aria-label="Delete ${d.name}">Delete</button>
            </div>`
      }
    </li>`;
  }

  private renamed(id: string, name: string | null): void {
    this.editingId = undefined;
    if (name !== null) this.act({ id, action: 'rename', name });
  }

  private act(detail: DatasetAction): void {
    this.confirmingId = undefined;
    this.dispatchEvent(new CustomEvent('dataset-action', { detail, bubbles: true, composed: true }));
  }
}

customElements.define('qp-dataset-list', DatasetList);
