/**
 * `<qp-share-notice .message=${string|null}>`: why a share link could not be opened, as an alert
 * with a Dismiss button (emits `share-notice-dismissed`); nothing when there is no message.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { controlStyles } from '../shared-styles';

export class ShareNotice extends LitElement {
  static override properties = { message: { attribute: false } };
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      div {
        display: flex;
        gap: 0.8rem;
        align-items: start;
        justify-content: space-between;
        background: #fff4e5;
        border: 1px solid #e0b36a;
        border-radius: 8px;
        padding: 0.6rem 0.9rem;
        margin-bottom: 1rem;
        line-height: 1.4;
      }
      button {
        flex: none;
      }
    `,
  ];

  declare message: string | null;

  constructor() {
    super();
    this.message = null;
  }

  protected override render(): TemplateResult | typeof nothing {
    if (!this.message) return nothing;
    return html`<div role="alert" data-testid="share-problem">
      <span>${this.message}</span>
      <button
        type="button"
        @click=${() => this.dispatchEvent(new CustomEvent('share-notice-dismissed', { bubbles: true, composed: true }))}
      >
        Dismiss
      </button>
    </div>`;
  }
}

if (!customElements.get('qp-share-notice')) customElements.define('qp-share-notice', ShareNotice);

declare global {
  interface HTMLElementTagNameMap {
    'qp-share-notice': ShareNotice;
  }
}
