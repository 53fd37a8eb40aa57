import { css, html, LitElement } from 'lit';
import type { IngestProgress } from './dataset-library-controller';
import { controlStyles } from './shared-styles';

/** Drop zone, file button and demo button; shows parse progress with a cancel button. */
export class DatasetImport extends LitElement {
  static override properties = {
    progress: { attribute: false },
    dragging: { state: true },
  };
  declare progress: IngestProgress | undefined;
  declare dragging: boolean;

  constructor() {
    super();
    this.progress = undefined;
    this.dragging = false;
  }

  static override styles = [
    controlStyles,
    css`
      .zone {
        border: 2px dashed var(--qp-border, #b8c2cc);
        border-radius: 10px;
        padding: 1rem;
        text-align: center;
        background: var(--qp-surface, #fff);
      }
      .zone.dragging {
        border-color: var(--qp-accent, #0b5cad);
        background: #eaf2fb;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        justify-content: center;
        flex-wrap: wrap;
        margin-top: 0.6rem;
      }
      p {
        margin: 0.2rem 0;
      }
      .small {
        font-size: 0.85rem;
        color: var(--qp-muted, #52606d);
      }
      progress {
        width: 100%;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
    `,
  ];

  override render() {
    if (this.progress) {
      const percent = Math.round(this.progress.fraction * 100);
      return html`<div class="zone" data-testid="ingest-progress" role="status" aria-live="polite">
        <p>Reading <strong>${this.progress.fileName}</strong>… ${percent}%</p>
        <progress max="100" value=${percent} aria-label="Reading ${this.progress.fileName}"></progress>
        <div class="actions"><button @click=${() => this.emit('import-cancelled')}>Cancel</button></div>
      </div>`;
    }
    return html`<div
      class="zone ${this.dragging ? 'dragging' : ''}"
      data-testid="drop-zone"
      @dragover=${this.onDragOver}
      @dragleave=${() => (this.dragging = false)}
      @drop=${this.onDrop}
    >
      <p><strong>Drop a NONMEM-style CSV here</strong></p>
      <p class="small">Comma, semicolon or tab separated. It is read in this browser and never uploaded.</p>
      <div class="actions">
        <label>
          <input
            type="file"
            tabindex="-1"
            accept=".csv,.txt,.tsv,.dat,text/csv,text/plain"
            data-testid="file-input"
            @change=${this.onFileInput}
          />
          <button @click=${this.openPicker}>Choose file…</button>
        </label>
        <button class="primary" data-testid="load-demo" @click=${() => this.emit('demo-requested')}>Load demo data</button>
      </div>
    </div>`;
  }

  private openPicker(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging = true;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    event.stopPropagation();
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (file) this.emit('file-chosen', file);
  }

  private onFileInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) this.emit('file-chosen', file);
    input.value = '';
  }

  private emit(type: string, detail?: File): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

customElements.define('qp-dataset-import', DatasetImport);
