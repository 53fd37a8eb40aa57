/**
 * `<qp-update-notice>`: a polite banner in the corner of the page — "A new version is ready" with a
 * Reload button once a new version is cached, "Ready to work offline" once the app is stored for
 * offline use. Either can be dismissed; nothing shows otherwise.
 */
import { css, html, LitElement, nothing } from 'lit';
import { controlStyles } from '../ui/shared-styles';
import { serviceWorkerState, type ServiceWorkerState } from './service-worker';

export class UpdateNotice extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        position: fixed;
        right: 1rem;
        bottom: 1rem;
        z-index: 10;
        max-width: min(26rem, calc(100vw - 2rem));
      }
      .banner {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        flex-wrap: wrap;
        background: #0e2a47;
        color: #fff;
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
        box-shadow: 0 4px 14px rgb(15 23 42 / 25%);
      }
      p {
        margin: 0;
        flex: 1 1 12rem;
      }
    `,
  ];

  private readonly state: ServiceWorkerState = serviceWorkerState;
  private readonly onChange = (): void => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.state.addEventListener('change', this.onChange);
  }

  override disconnectedCallback(): void {
    this.state.removeEventListener('change', this.onChange);
    super.disconnectedCallback();
  }

  override render() {
    return html`<div role="status" aria-live="polite">${this.banner()}</div>`;
  }

  private banner() {
    const state = this.state;
    if (state.needRefresh) {
      return html`<div class="banner" data-testid="update-notice">
        <p>A new version of QPKPD Studio is ready.</p>
        <button class="primary" @click=${() => void state.update()}>Reload</button>
        <button @click=${() => state.dismiss()}>Later</button>
      </div>`;
    }
    if (state.offlineReady) {
      return html`<div class="banner" data-testid="offline-ready">
        <p>Ready to work offline: the app and the demo data are stored in this browser.</p>
        <button @click=${() => state.dismiss()}>Dismiss</button>
      </div>`;
    }
    return nothing;
  }
}

customElements.define('qp-update-notice', UpdateNotice);
