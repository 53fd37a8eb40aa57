/**
 * `<qp-dose-progress .progress=${RunProgress|null}>`: the running dose questions — which model, which
 * stage, a progress bar (indeterminate while the fit iterates) and Cancel (`doses-cancelled`).
 * Screen readers hear each model and stage, not every step.
 */
import { css, html, LitElement, type TemplateResult } from 'lit';
import { modelStyles } from '../model/model-styles';
import { controlStyles } from '../shared-styles';
import type { RunProgress } from './doses-workspace';

const STAGES: Readonly<Record<RunProgress['stage'], string>> = {
  loading: 'Loading the network',
  fit: 'Fitting the population model',
  questions: 'Answering the dose questions',
  uncertainty: 'Uncertainty bands',
  diagnostics: 'Diagnostics (visual predictive check)',
};

export class DoseProgressView extends LitElement {
  static override properties = { progress: { attribute: false } };
  static override styles = [
    controlStyles,
    modelStyles,
    css`
      progress {
        width: 100%;
        height: 1rem;
      }
      .detail {
        margin: 0.3rem 0 0;
      }
    `,
  ];

  declare progress: RunProgress | null;

  constructor() {
    super();
    this.progress = null;
  }

  /** The Run button is disabled while running: keyboard focus moves to Cancel rather than to the page. */
  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid=cancel-doses]')?.focus();
  }

  protected override render(): TemplateResult {
    const p = this.progress;
    const stage = p ? STAGES[p.stage] : 'Starting';
    const model = p && p.modelCount > 1 ? ` — model ${p.modelNumber} of ${p.modelCount}: ${p.modelLabel}` : p ? ` — ${p.modelLabel}` : '';
    const determinate = p !== null && p.total > 0;
    return html`<section class="card" data-testid="dose-progress" aria-labelledby="dose-progress-title">
      <h3 id="dose-progress-title">Running</h3>
      <p role="status" aria-live="polite" aria-atomic="true" data-testid="dose-stage">${stage}${model}</p>
      ${determinate ? html`<progress max=${p.total} value=${p.done} aria-label=${stage}></progress>` : html`<progress aria-label=${stage}></progress>`}
      <p class="muted detail" data-testid="dose-step">
        ${p ? `${p.message}${determinate ? ` (${p.done} of ${p.total})` : ''}` : 'Starting the worker…'}
      </p>
      <div class="actions">
        <button class="danger" data-testid="cancel-doses" @click=${this.cancel}>Cancel</button>
        <span class="muted">or press Escape.</span>
      </div>
    </section>`;
  }

  private readonly cancel = (): void => {
    this.dispatchEvent(new CustomEvent('doses-cancelled', { bubbles: true, composed: true }));
  };
}

if (!customElements.get('qp-dose-progress')) customElements.define('qp-dose-progress', DoseProgressView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-dose-progress': DoseProgressView;
  }
}
