import { css, html, LitElement, type PropertyValues } from 'lit';
import type { Dataset } from '../data/types';
import type { DatasetMeta } from '../store/datasets';
import { datasetFacts, observationsFact } from './dataset-facts';
import { formatBytes } from '../text/format';

const DELIMITER_NAMES = { ',': 'comma', ';': 'semicolon', '\t': 'tab' } as const;

/** Key facts of the open dataset. */
export class DatasetSummary extends LitElement {
  static override properties = { meta: { attribute: false }, data: { attribute: false }, observations: { state: true } };
  declare meta: DatasetMeta | undefined;
  declare data: Dataset | undefined;
  /** The observations fact, worked out in a task of its own after the dataset is shown (a pass over its records). */
  declare observations: string | null;

  constructor() {
    super();
    this.meta = undefined;
    this.data = undefined;
    this.observations = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('data')) return;
    this.observations = null;
    const data = this.data;
    if (data)
      setTimeout(() => {
        if (this.data === data) this.observations = observationsFact(data);
      }, 0);
  }

  static override styles = css`
    h2 {
      margin: 0 0 0.5rem;
      font-size: 1.3rem;
    }
    dl {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
      gap: 0.5rem 1rem;
      margin: 0;
    }
    div {
      background: var(--qp-surface, #fff);
      border: 1px solid var(--qp-border, #d5dbe1);
      border-radius: 8px;
      padding: 0.4rem 0.6rem;
    }
    dt {
      font-size: 0.78rem;
      color: var(--qp-muted, #52606d);
      text-transform: uppercase;
      letter-spacing: 0.03em;
    }
    dd {
      margin: 0;
      font-weight: 600;
    }
  `;

  override render() {
    const { meta, data: dataset } = this;
    if (!meta || !dataset) return html``;
    const facts: [string, string][] = [
      ...datasetFacts(dataset, this.observations ?? '…'),
      [
        'File',
        `${formatBytes(meta.fileSize)}, ${DELIMITER_NAMES[dataset.format.delimiter]}-separated${dataset.format.inferredEvents ? ', events inferred (no EVID)' : ''}`,
      ],
    ];
    return html`<h2 data-testid="dataset-title">${meta.name}</h2>
      <dl data-testid="dataset-summary">
        ${facts.map(
          ([term, value]) =>
            html`<div>
              <dt>${term}</dt>
              <dd>${value}</dd>
            </div>`,
        )}
      </dl>`;
  }
}

customElements.define('qp-dataset-summary', DatasetSummary);
