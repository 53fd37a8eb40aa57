/**
 * `<qp-network-notes .reports=${NetworkReport[]}>`: what a reader needs to weigh each network's
 * answers — which subjects gave its context, the backend, how its bands were made (an ensemble), and the input
 * features its simulated histories push furthest past their training range.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { formatSignificant } from '../../text/format';
import { modelStyles } from '../model/model-styles';
import type { NetworkRunReport as NetworkReport } from '../../dose/dose-run-report';

/** Features listed per network, furthest beyond their training range first. */
const SHOWN_FEATURES = 3;

export class NetworkNotes extends LitElement {
  static override properties = { reports: { attribute: false } };
  static override styles = modelStyles;

  declare reports: readonly NetworkReport[];

  constructor() {
    super();
    this.reports = [];
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.reports.length === 0) return nothing;
    return html`<ul class="muted" data-testid="network-notes">
      ${this.reports.map((r) => html`<li><strong>${r.label}</strong>: ${this.note(r)}</li>`)}
    </ul>`;
  }

  private note(r: NetworkReport): string {
    const features = r.extrapolation
      .flatMap((e) =>
        e.features.map((f) => ({ ...f, where: `${e.scenario}, ${e.regimen}, ${formatSignificant(e.dose)} ${r.units.amount}` })),
      )
      .filter((f) => f.beyond > 0)
      .sort((a, b) => b.beyond - a.beyond)
      .slice(0, SHOWN_FEATURES)
      .map((f) => `${f.branch.toUpperCase()} ${f.feature} ${formatSignificant(f.beyond, 2)} range widths beyond training (${f.where})`);
    return (
      [
        `${r.seconds.toFixed(1)} s; ${r.backend}`,
        `context from ${r.context}`,
        r.band ? `bands: ${r.band.method}` : 'no bands (choose two or more networks of the same setup as an ensemble)',
        features.length > 0
          ? `inputs outside the training range at the answers: ${features.join('; ')}`
          : 'inputs stay within the training range at the answers',
      ].join('; ') + '.'
    );
  }
}

if (!customElements.get('qp-network-notes')) customElements.define('qp-network-notes', NetworkNotes);

declare global {
  interface HTMLElementTagNameMap {
    'qp-network-notes': NetworkNotes;
  }
}
