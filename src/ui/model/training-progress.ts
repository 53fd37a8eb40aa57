/**
 * `<qp-training-progress .progress=${TrainingProgress|null} .points=${TrainingCurvePoint[]}>`: the
 * running training — network, epoch, losses, best epoch, elapsed time and ETA, a progress bar, the
 * live loss chart (redrawn at most twice a second) and Cancel (`training-cancelled`). Screen readers
 * hear the network and each tenth of the run, not every epoch.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { TrainingCurvePoint } from '../../model/report/types';
import type { TrainingProgress } from '../../model/training-session';
import { formatSignificant } from '../../text/format';
import { controlStyles } from '../shared-styles';
import { branchLabel, formatDuration } from './model-labels';
import { modelStyles } from './model-styles';
import './training-curve-plot';

/** The live loss chart redraws at most this often (each redraw draws every epoch so far); the figures beside it follow every epoch. */
const CHART_INTERVAL_MS = 500;

export class TrainingProgressView extends LitElement {
  static override properties = {
    progress: { attribute: false },
    stage: { attribute: false },
    points: { attribute: false },
    chartPoints: { state: true },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    css`
      progress {
        width: 100%;
        height: 1rem;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: 0.4rem 1rem;
        margin: 0.6rem 0;
      }
      dt {
        font-size: 0.75rem;
        color: var(--qp-muted, #52606d);
      }
      dd {
        margin: 0;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  declare progress: TrainingProgress | null;
  /** What the run does between epochs (the mechanistic head's population fits), or null. */
  declare stage: string | null;
  declare points: readonly TrainingCurvePoint[];
  /** The points the chart shows: `points`, at most every CHART_INTERVAL_MS. */
  declare private chartPoints: readonly TrainingCurvePoint[];
  private chartDrawnAt = -Infinity;
  private chartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.progress = null;
    this.stage = null;
    this.points = [];
    this.chartPoints = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('points') || this.chartTimer !== undefined) return;
    const wait = this.chartDrawnAt + CHART_INTERVAL_MS - performance.now();
    if (wait <= 0) this.drawChart();
    else this.chartTimer = setTimeout(() => this.drawChart(), wait);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.chartTimer);
    this.chartTimer = undefined;
  }

  private drawChart(): void {
    this.chartTimer = undefined;
    this.chartDrawnAt = performance.now();
    this.chartPoints = this.points;
  }

  protected override render(): TemplateResult {
    const p = this.progress;
    return html`<section class="card" data-testid="training-progress" aria-labelledby="progress-title">
      <h3 id="progress-title">Training</h3>
      <p role="status" aria-live="polite" aria-atomic="true" data-testid="training-status">${this.announcement(p)}</p>
      <progress max="1" value=${p ? p.fraction : 0} aria-label="Training progress"></progress>
      ${p ? this.details(p) : html`<p class="muted">Preparing features and the compute backend…</p>`}
      <div class="actions">
        <button class="danger" data-testid="cancel-training" @click=${this.cancel}>Cancel</button>
        <span class="muted">or press Escape. The best epochs reached so far are kept.</span>
      </div>
      ${this.chartPoints.length > 0 ? html`<qp-training-curve-plot .points=${this.chartPoints}></qp-training-curve-plot>` : nothing}
    </section>`;
  }

  private announcement(p: TrainingProgress | null): string {
    if (this.stage) return this.stage;
    if (!p) return 'Training is starting…';
    const tenth = Math.floor(p.fraction * 10) * 10;
    return `Training the ${branchLabel(p.branch.branch)} (${p.branchNumber} of ${p.branchCount}): ${tenth}% of the run.`;
  }

  private details(p: TrainingProgress): TemplateResult {
    const b = p.branch;
    return html`<dl data-testid="training-details">
      <div>
        <dt>Network</dt>
        <dd>${branchLabel(b.branch)} (${p.branchNumber} of ${p.branchCount})</dd>
      </div>
      <div>
        <dt>Epoch</dt>
        <dd data-testid="training-epoch">${b.epoch} / ${b.epochs}</dd>
      </div>
      <div>
        <dt>Train loss</dt>
        <dd>${formatSignificant(b.trainLoss)}</dd>
      </div>
      <div>
        <dt>Validation loss</dt>
        <dd>${b.valLoss === null ? '–' : formatSignificant(b.valLoss)}</dd>
      </div>
      <div>
        <dt>Best epoch</dt>
        <dd>${b.bestEpoch}</dd>
      </div>
      <div>
        <dt>Elapsed</dt>
        <dd>${formatDuration(p.elapsedMs)}</dd>
      </div>
      <div>
        <dt>ETA (at most)</dt>
        <dd>${formatDuration(p.etaMs)}</dd>
      </div>
    </dl>`;
  }

  private readonly cancel = (): void => {
    this.dispatchEvent(new CustomEvent('training-cancelled', { bubbles: true, composed: true }));
  };
}

if (!customElements.get('qp-training-progress')) customElements.define('qp-training-progress', TrainingProgressView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-training-progress': TrainingProgressView;
  }
}
