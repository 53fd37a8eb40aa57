import { css, html, LitElement } from 'lit';
import { chooseBackend } from '../platform/compute-backend';
import { probeWebGpu, type WebGpuProbe } from '../platform/webgpu-probe';
import './thread-setting';

/**
 * The WebGPU adapter this browser offers and the compute path `auto` takes, so results can be read with their backend,
 * and the threads the heavy work uses with their setting (thread-setting.ts).
 */
export class GpuStatus extends LitElement {
  static override properties = { probe: { state: true } };
  declare probe: WebGpuProbe | undefined;

  constructor() {
    super();
    this.probe = undefined;
  }

  static override styles = css`
    :host {
      font-size: 0.85rem;
      color: var(--qp-muted, #52606d);
    }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void probeWebGpu().then((probe) => (this.probe = probe));
  }

  private threads() {
    return html`<qp-thread-setting></qp-thread-setting>`;
  }

  override render() {
    const probe = this.probe;
    if (!probe) return html`WebGPU: checking… · ${this.threads()}`;
    const kind = !probe.available ? 'none' : probe.software ? 'software adapter' : 'hardware adapter';
    const choice = chooseBackend('auto', probe);
    return html`<span data-testid="gpu-status" data-available=${String(probe.available)} data-software=${String(probe.software)}
        >WebGPU: ${kind} (${probe.description}) · Compute (auto):
        <strong data-testid="compute-backend">${choice.backend.toUpperCase()}</strong> — ${choice.reason}</span
      >
      · ${this.threads()}`;
  }
}

customElements.define('qp-gpu-status', GpuStatus);
