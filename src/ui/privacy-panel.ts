/**
 * `<qp-privacy-panel>`: "Privacy & storage" — where the data live (this browser's IndexedDB; nothing
 * is uploaded, and the page's Content-Security-Policy forbids connections to other sites), how much
 * is stored and whether the browser may evict it, and "Delete all my data" with a confirm step.
 * Fires `data-deleted` (bubbling, composed) once everything is deleted.
 */
import { css, html, LitElement, nothing } from 'lit';
import { deleteAllData } from '../store/delete-all';
import { storageUsage, type StorageUsage } from '../store/storage-usage';
import { formatBytes } from '../text/format';
import { technicalDetails, describeError } from './run-notice';
import { controlStyles } from './shared-styles';

type Phase = 'idle' | 'confirming' | 'deleting';

const PERSISTENCE: Record<StorageUsage['persistence'], string> = {
  persistent: 'Persistent: the browser keeps your data even when disk space runs low.',
  'best-effort': 'Best effort: the browser may clear stored data when disk space runs low. Export models you want to keep.',
  unsupported: 'Unknown: this browser does not say whether it may clear stored data.',
};

/** Quotas run to gigabytes, beyond what formatBytes names. */
function largeBytes(bytes: number): string {
  const gigabyte = 1024 ** 3;
  return bytes >= gigabyte ? `${(bytes / gigabyte).toFixed(1)} GB` : formatBytes(bytes);
}

export class PrivacyPanel extends LitElement {
  static override properties = {
    usage: { state: true },
    phase: { state: true },
    message: { state: true },
    detail: { state: true },
  };
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        margin-top: 1.25rem;
        font-size: 0.9rem;
        line-height: 1.45;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        font-size: 1rem;
      }
      p {
        margin: 0.5rem 0;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.25rem 0.6rem;
        margin: 0.5rem 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      .confirm {
        background: #fff4e5;
        border: 1px solid #e0b070;
        border-radius: 6px;
        padding: 0.5rem 0.7rem;
        margin: 0.5rem 0;
      }
      .confirm button {
        margin: 0.2rem 0.4rem 0.2rem 0;
      }
    `,
  ];

  declare usage: StorageUsage | null;
  declare phase: Phase;
  declare message: string;
  /** An unexpected error's technical text, folded under the message. */
  declare detail: string | null;

  constructor() {
    super();
    this.usage = null;
    this.phase = 'idle';
    this.message = '';
    this.detail = null;
  }

  override render() {
    return html`<details @toggle=${this.onToggle} data-testid="privacy-panel">
      <summary>Privacy &amp; storage</summary>
      <p>
        Your datasets and models are stored only in <strong>this browser’s IndexedDB</strong>, on this device. Nothing is uploaded: the app
        has no server, and its Content-Security-Policy forbids the page to connect to any other site.
      </p>
      <p>The app itself, its workers and the demo data are kept in this browser’s cache so that it works offline.</p>
      <dl>
        <dt>Stored</dt>
        <dd data-testid="storage-used">${this.usageText()}</dd>
        <dt>Persistence</dt>
        <dd data-testid="storage-persistence">${this.usage ? PERSISTENCE[this.usage.persistence] : '…'}</dd>
      </dl>
      ${
        this.phase === 'idle'
          ? html`<button class="danger" data-testid="delete-all" @click=${this.onAsk}>Delete all my data…</button>`
          : html`<div class="confirm" role="alertdialog" aria-labelledby="delete-all-text">
              <p id="delete-all-text">
                Delete all datasets and saved models from this browser, and the offline copy of the app? This cannot be undone; export
                models you want to keep first.
              </p>
              <button class="danger" data-testid="confirm-delete-all" ?disabled=${this.phase === 'deleting'} @click=${this.onConfirm}>
                Delete everything
              </button>
              <button data-testid="cancel-delete-all" ?disabled=${this.phase === 'deleting'} @click=${this.onCancel}>Cancel</button>
            </div>`
      }
      <p role="status" aria-live="polite" data-testid="privacy-message">${this.message || nothing}</p>
      ${technicalDetails(this.detail)}
    </details>`;
  }

  private usageText(): string {
    const usage = this.usage;
    if (!usage) return '…';
    if (usage.usage === undefined) return 'This browser does not say.';
    return usage.quota ? `${formatBytes(usage.usage)} of ${largeBytes(usage.quota)} available to this site` : formatBytes(usage.usage);
  }

  private onToggle(event: Event): void {
    if ((event.target as HTMLDetailsElement).open) void this.refreshUsage();
  }

  private async refreshUsage(): Promise<void> {
    try {
      this.usage = await storageUsage();
    } catch {
      this.usage = { persistence: 'unsupported' };
    }
  }

  private async onAsk(): Promise<void> {
    this.message = '';
    this.detail = null;
    this.phase = 'confirming';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid=cancel-delete-all]')?.focus();
  }

  private onCancel(): void {
    this.phase = 'idle';
    void this.focusDeleteButton();
  }

  private async focusDeleteButton(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid=delete-all]')?.focus();
  }

  private async onConfirm(): Promise<void> {
    this.phase = 'deleting';
    this.message = 'Deleting…';
    try {
      await deleteAllData({ onBlocked: (message) => (this.message = message) });
      this.message =
        'All your data were deleted from this browser. The offline copy of the app is made again the next time you open it online.';
      this.dispatchEvent(new CustomEvent('data-deleted', { bubbles: true, composed: true }));
    } catch (error) {
      const { text, detail } = describeError(error);
      this.message = text;
      this.detail = detail;
    } finally {
      this.phase = 'idle';
      void this.focusDeleteButton();
      void this.refreshUsage();
    }
  }
}

customElements.define('qp-privacy-panel', PrivacyPanel);
