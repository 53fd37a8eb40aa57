/** `<qp-install-button>`: "Install app", shown only while the browser offers to install it. */
import { html, LitElement, nothing } from 'lit';
import { controlStyles } from '../ui/shared-styles';
import { installPrompt, type InstallPrompt } from './install-prompt';

export class InstallButton extends LitElement {
  static override styles = [controlStyles];

  private readonly prompt: InstallPrompt = installPrompt;
  private readonly onChange = (): void => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    this.prompt.addEventListener('change', this.onChange);
  }

  override disconnectedCallback(): void {
    this.prompt.removeEventListener('change', this.onChange);
    super.disconnectedCallback();
  }

  override render() {
    if (!this.prompt.available) return nothing;
    return html`<button
      data-testid="install-app"
      title="Install QPKPD Studio as an app on this device; it works offline"
      @click=${() => void this.prompt.install()}
    >
      Install app
    </button>`;
  }
}

customElements.define('qp-install-button', InstallButton);
