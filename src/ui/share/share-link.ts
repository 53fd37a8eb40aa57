/**
 * `<qp-share-link view="model" .active=${DatasetMeta|null}>`: the header's "Share link" button. It
 * makes the link of the current view and the Model and Doses settings on the demo data and copies
 * it (a selectable field when the clipboard is not allowed). With a user's dataset open it says that
 * links never carry a user's data and offers the same view and settings on the demo data instead.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { DatasetMeta } from '../../store/datasets';
import { dosesWorkspace } from '../doses/doses-workspace';
import { modelWorkspace } from '../model/model-workspace';
import { controlStyles } from '../shared-styles';
import { isDemoEntry } from './demo-entry';
import { shareUrl } from './share-codec';
import { type ShareView, shareStateOf } from './share-state';

type Opened = 'demo' | 'user' | 'none';

const LEFT_OUT: Readonly<Record<'model' | 'doses', string>> = { model: 'Model', doses: 'Doses' };

export class ShareLink extends LitElement {
  static override properties = {
    view: {},
    active: { attribute: false },
    url: { state: true },
    opened: { state: true },
    leftOutNotes: { state: true },
    status: { state: true },
  };
  static override styles = [
    controlStyles,
    css`
      :host {
        position: relative;
        display: inline-block;
        color: var(--qp-text, #1b2733);
      }
      .panel {
        position: absolute;
        right: 0;
        top: calc(100% + 0.4rem);
        z-index: 10;
        width: min(30rem, 90vw);
        background: var(--qp-surface, #fff);
        border: 1px solid var(--qp-border, #c9d2db);
        border-radius: 8px;
        padding: 0.8rem 0.9rem;
        box-shadow: 0 6px 24px rgb(15 23 42 / 20%);
        font-size: 0.9rem;
      }
      .panel h2 {
        font-size: 1rem;
        margin: 0 0 0.4rem;
      }
      .panel p {
        margin: 0 0 0.5rem;
        line-height: 1.4;
      }
      label {
        display: block;
        font-weight: 600;
        margin-bottom: 0.2rem;
      }
      input {
        box-sizing: border-box;
        width: 100%;
        margin-bottom: 0.5rem;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .status {
        font-size: 0.85rem;
        color: var(--qp-muted, #52606d);
      }
    `,
  ];

  declare view: ShareView;
  declare active: DatasetMeta | null;
  /** The link offered, or null while the panel is closed. */
  declare url: string | null;
  declare opened: Opened;
  /** Why settings were left out of the link, one sentence each. */
  declare leftOutNotes: readonly string[];
  declare status: string;

  constructor() {
    super();
    this.view = 'data';
    this.active = null;
    this.url = null;
    this.opened = 'none';
    this.leftOutNotes = [];
    this.status = '';
  }

  protected override render(): TemplateResult {
    return html`<button
        type="button"
        aria-expanded=${this.url ? 'true' : 'false'}
        aria-controls="share-panel"
        data-testid="share-link"
        @click=${this.onShare}
      >
        Share link
      </button>
      ${this.url ? this.panel(this.url) : nothing}`;
  }

  private panel(url: string): TemplateResult {
    const user = this.opened === 'user';
    return html`<div
      class="panel"
      id="share-panel"
      role="dialog"
      aria-labelledby="share-title"
      data-testid="share-panel"
      @keydown=${this.onKeyDown}
    >
      <h2 id="share-title">${user ? 'Links never carry your data' : 'Link to this analysis'}</h2>
      <p data-testid="share-explanation">${this.explanation()}</p>
      ${
        this.leftOutNotes.length > 0
          ? html`<p data-testid="share-left-out">${this.leftOutNotes.join(' ')} The link leaves them at what the recipient has.</p>`
          : nothing
      }
      <label for="share-url">Link</label>
      <input
        id="share-url"
        type="text"
        readonly
        .value=${url}
        data-testid="share-url"
        @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
      />
      <div class="actions">
        <button type="button" class="primary" data-testid="copy-link" @click=${this.copy}>${user ? 'Copy demo link' : 'Copy link'}</button>
        <button type="button" @click=${this.close}>Close</button>
        <span class="status" role="status" data-testid="share-status">${this.status}</span>
      </div>
    </div>`;
  }

  private explanation(): string {
    if (this.opened === 'user')
      return `“${this.active?.name}” is your own data: it stays in this browser and no link carries it. The link below opens the same view and settings on the bundled demo data instead.`;
    if (this.opened === 'none')
      return 'No dataset is open: the link opens the bundled demo data with this view and your Model and Doses settings.';
    return 'The link opens the demo data with this view and your Model and Doses settings. It holds no data of yours.';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A link made for another view or dataset would be stale.
    if ((changed.has('view') || changed.has('active')) && this.hasUpdated) this.url = null;
  }

  private readonly onShare = async (): Promise<void> => {
    if (this.url) {
      this.close();
      return;
    }
    const { state, leftOut, why } = shareStateOf(this.view, modelWorkspace.config, dosesWorkspace.form);
    const active = this.active;
    this.opened = !active ? 'none' : (await isDemoEntry(active).catch(() => false)) ? 'demo' : 'user';
    this.leftOutNotes = leftOut.map((k) => `The ${LEFT_OUT[k]} settings ${why[k] ?? 'hold values out of range'}.`);
    this.status = '';
    this.url = shareUrl(state, window.location);
    if (this.opened !== 'user') await this.copy();
  };

  private readonly copy = async (): Promise<void> => {
    if (!this.url) return;
    try {
      await navigator.clipboard.writeText(this.url);
      this.status = 'Copied to the clipboard.';
    } catch {
      this.status = 'Copying is not allowed here: the link is selected, copy it with Ctrl+C (⌘C).';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#share-url')?.select();
    }
  };

  private readonly close = (): void => {
    this.url = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[data-testid=share-link]')?.focus());
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.close();
  };

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('url') && this.url && changed.get('url') === null)
      this.renderRoot.querySelector<HTMLInputElement>('#share-url')?.focus();
  }
}

if (!customElements.get('qp-share-link')) customElements.define('qp-share-link', ShareLink);

declare global {
  interface HTMLElementTagNameMap {
    'qp-share-link': ShareLink;
  }
}
