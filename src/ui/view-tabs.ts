import { css, html, LitElement, nothing } from 'lit';
import { controlStyles } from './shared-styles';

export interface ViewTab {
  id: string;
  label: string;
}

/**
 * The WAI-ARIA tabs pattern: a tab list (click, arrow keys, Home and End select a view; only the
 * selected tab is in the Tab sequence) over the tab panel, which holds the slotted view. The panel
 * lives in this shadow root so that the tabs' aria-controls and the panel's aria-labelledby resolve.
 * Emits `view-selected` with the id.
 */
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
      @media print {
        [role='tablist'] {
          display: none;
        }
      }
    `,
  ];

  override render() {
    return html`<div role="tablist" aria-label="Views" @keydown=${this.onKeyDown}>
        ${this.tabs.map(
          (tab) =>
            html`<button
              role="tab"
              id="tab-${tab.id}"
              aria-selected=${tab.id === this.selected ? 'true' : 'false'}
              aria-controls=${tab.id === this.selected ? `view-${tab.id}` : nothing}
              tabindex=${tab.id === this.selected ? 0 : -1}
              @click=${() => this.select(tab.id)}
            >
              ${tab.label}
            </button>`,
        )}
      </div>
      <div role="tabpanel" id="view-${this.selected}" aria-labelledby="tab-${this.selected}" tabindex="0"><slot></slot></div>`;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const count = this.tabs.length;
    const index = this.tabs.findIndex((t) => t.id === this.selected);
    const targets: Partial<Record<string, number>> = { ArrowRight: index + 1, ArrowLeft: index - 1 + count, Home: 0, End: count - 1 };
    const target = targets[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = this.tabs[target % count];
    this.select(next.id);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`#tab-${next.id}`)?.focus());
  }

  private select(id: string): void {
    this.selected = id;
    this.dispatchEvent(new CustomEvent('view-selected', { detail: id, bubbles: true, composed: true }));
  }
}

customElements.define('qp-view-tabs', ViewTabs);
