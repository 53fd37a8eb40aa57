import { css, html, LitElement } from 'lit';
import { controlStyles } from './shared-styles';

export interface ViewTab {
  id: string;
  label: string;
}

/** An ARIA tab list: click or arrow keys move between views; emits `view-selected` with the id. */
export class ViewTabs extends LitElement {
  static override properties = { tabs: { attribute: false }, selected: {} };
  declare tabs: ViewTab[];
  declare selected: string;

  constructor() {
    super();
    this.tabs = [];
    this.selected = '';
  }

  static override styles = [
    controlStyles,
    css`
      [role='tablist'] {
        display: flex;
        gap: 0.25rem;
        border-bottom: 2px solid var(--qp-border, #c9d2db);
        margin-bottom: 1rem;
      }
      button {
        border: none;
        border-radius: 6px 6px 0 0;
        background: transparent;
        padding: 0.5rem 1rem;
        font-weight: 600;
        color: var(--qp-muted, #52606d);
        margin-bottom: -2px;
        border-bottom: 3px solid transparent;
      }
      button[aria-selected='true'] {
        color: var(--qp-accent, #0b5cad);
        border-bottom-color: var(--qp-accent, #0b5cad);
        background: var(--qp-surface, #fff);
      }
    `,
  ];

  override render() {
    return html`<div role="tablist" aria-label="Views" @keydown=${this.onKeyDown}>
      ${this.tabs.map(
        (tab) => html`<button
          role="tab"
          id="tab-${tab.id}"
          aria-selected=${tab.id === this.selected ? 'true' : 'false'}
          aria-controls="view-${tab.id}"
          tabindex=${tab.id === this.selected ? 0 : -1}
          @click=${() => this.select(tab.id)}
        >
          ${tab.label}
        </button>`,
      )}
    </div>`;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const index = this.tabs.findIndex((t) => t.id === this.selected);
    const next = this.tabs[(index + step + this.tabs.length) % this.tabs.length];
    this.select(next.id);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`#tab-${next.id}`)?.focus());
  }

  private select(id: string): void {
    this.selected = id;
    this.dispatchEvent(new CustomEvent('view-selected', { detail: id, bubbles: true, composed: true }));
  }
}

customElements.define('qp-view-tabs', ViewTabs);
