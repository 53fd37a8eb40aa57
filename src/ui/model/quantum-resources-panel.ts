/** `<qp-quantum-resources>`: what a model's quantum circuits cost, beside the poster's formulas, and whether today's hardware could run them. */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { QuantumShapeError } from '../../quantum/errors';
import {
  DEFAULT_ARCHITECTURE,
  ENCODER_LABELS,
  ENCODER_NAMES,
  type EncoderName,
  isEncoderName,
  isQuantumEncoder,
} from '../../quantum/resources/architecture';
import { estimateResources, type ResourceEstimate } from '../../quantum/resources/estimate';
import { DEFAULT_QUANTUM_VOLUME } from '../../quantum/resources/feasibility';
import { MAX_LAYERS, MAX_QUBITS } from '../../quantum/template';
import { cardStyles, controlStyles } from '../shared-styles';
import { feasibilityView, resourceRows } from './quantum-resources-rows';

/** Detail of the `model-config-changed` event. */
export interface ModelConfigChange {
  readonly encoder: EncoderName;
  readonly nQubits: number;
  readonly nLayers: number;
}

const QUANTUM_VOLUMES = [16, 32, 64, 128, 256, 512, 1024] as const;
const MAX_INPUTS = 999;
const range = (max: number): number[] => Array.from({ length: max }, (_, i) => i + 1);

export class QuantumResourcesPanel extends LitElement {
  static override properties = {
    encoder: { type: String },
    nQubits: { type: Number, attribute: 'n-qubits' },
    nLayers: { type: Number, attribute: 'n-layers' },
    nInputs: { type: Number, attribute: 'n-inputs' },
    quantumVolume: { type: Number, attribute: 'quantum-volume' },
    inputsInvalid: { state: true },
  };

  declare encoder: EncoderName;
  declare nQubits: number;
  declare nLayers: number;
  /** N_in: input features per observation. */
  declare nInputs: number;
  declare quantumVolume: number;
  declare inputsInvalid: boolean;

  private estimate: ResourceEstimate | null = null;
  private problem: string | null = null;

  constructor() {
    super();
    this.encoder = 'qnn-resmlp-moe';
    this.nQubits = DEFAULT_ARCHITECTURE.nQubits;
    this.nLayers = DEFAULT_ARCHITECTURE.nLayers;
    this.nInputs = DEFAULT_ARCHITECTURE.nInputs;
    this.quantumVolume = DEFAULT_QUANTUM_VOLUME;
    this.inputsInvalid = false;
  }

  static override styles = [
    controlStyles,
    cardStyles,
    css`
      .intro {
        margin: 0 0 0.75rem;
        font-size: 0.88rem;
        color: var(--qp-muted, #52606d);
        max-width: 52rem;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem 1.2rem;
        align-items: flex-end;
        margin: 0 0 0.8rem;
      }
      .controls label {
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
        font-size: 0.78rem;
        color: var(--qp-muted, #52606d);
        text-transform: uppercase;
        letter-spacing: 0.03em;
      }
      select,
      input[type='number'] {
        font: inherit;
        font-size: 0.95rem;
        text-transform: none;
        letter-spacing: normal;
        color: var(--qp-text, #1b2733);
        background: var(--qp-surface, #fff);
        border: 1px solid var(--qp-border, #c9d2db);
        border-radius: 4px;
        padding: 0.25rem 0.4rem;
      }
      input[type='number'] {
        width: 5rem;
      }
      input[aria-invalid='true'] {
        border-color: var(--qp-danger, #a4161a);
      }
      select:disabled {
        opacity: 0.55;
      }
      .hint {
        font-size: 0.78rem;
        color: var(--qp-danger, #a4161a);
        text-transform: none;
        letter-spacing: normal;
      }
      .table-wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.9rem;
      }
      caption {
        text-align: left;
        font-size: 0.85rem;
        color: var(--qp-muted, #52606d);
        padding: 0 0 0.35rem;
      }
      thead th:first-child {
        width: 36%;
      }
      th,
      td {
        padding: 0.35rem 0.6rem;
        border-bottom: 1px solid #e4e9ee;
        vertical-align: top;
      }
      thead th {
        font-size: 0.75rem;
        text-transform: uppercase;
        letter-spacing: 0.03em;
        color: var(--qp-muted, #52606d);
        border-bottom: 2px solid var(--qp-border, #c9d2db);
        text-align: right;
      }
      thead th:first-child,
      tbody th {
        text-align: left;
      }
      tbody th {
        font-weight: 500;
      }
      td {
        text-align: right;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      td .value {
        font-weight: 600;
      }
      td .sub {
        display: block;
        font-size: 0.75rem;
        color: var(--qp-muted, #52606d);
        white-space: pre-line;
      }
      tr.total th,
      tr.total td {
        border-top: 2px solid var(--qp-border, #c9d2db);
      }
      .status {
        display: flex;
        gap: 0.7rem;
        align-items: flex-start;
        margin-top: 0.8rem;
        padding: 0.6rem 0.8rem;
        border-radius: 6px;
        border-left: 4px solid var(--tone, #52606d);
        background: var(--tone-bg, #f1f4f7);
        font-size: 0.9rem;
        line-height: 1.4;
      }
      .status[data-tone='fits'] {
        --tone: #1b7a3d;
        --tone-bg: #e8f5ec;
      }
      .status[data-tone='noise-limited'] {
        --tone: #9a6700;
        --tone-bg: #fff6dd;
      }
      .status[data-tone='exceeds'] {
        --tone: var(--qp-danger, #a4161a);
        --tone-bg: #fdecea;
      }
      .badge {
        flex: none;
        font-size: 0.75rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.03em;
        color: #fff;
        background: var(--tone, #52606d);
        border-radius: 999px;
        padding: 0.1rem 0.55rem;
        margin-top: 0.1rem;
      }
      .problem {
        background: #fdecea;
        border: 1px solid #e3a39c;
        border-radius: 6px;
        padding: 0.5rem 0.8rem;
      }
      .footnote {
        margin: 0.6rem 0 0;
        font-size: 0.78rem;
        color: var(--qp-muted, #52606d);
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      changed.has('encoder') ||
      changed.has('nQubits') ||
      changed.has('nLayers') ||
      changed.has('nInputs') ||
      changed.has('quantumVolume')
    ) {
      try {
        if (!isEncoderName(this.encoder)) {
          throw new QuantumShapeError(
            `Unknown encoder "${String(this.encoder)}": choose one of ${ENCODER_NAMES.map((e) => ENCODER_LABELS[e]).join(', ')}`,
          );
        }
        this.estimate = estimateResources({
          encoder: this.encoder,
          nQubits: this.nQubits,
          nLayers: this.nLayers,
          nInputs: this.nInputs,
          quantumVolume: this.quantumVolume,
        });
        this.problem = null;
      } catch (error) {
        this.estimate = null;
        this.problem = error instanceof Error ? error.message : String(error);
      }
    }
  }

  protected override render(): TemplateResult {
    const e = this.estimate;
    return html`<section aria-labelledby="title">
      <h2 id="title">Quantum resources</h2>
      <p class="intro">
        What one encoder needs: circuit size counted gate by gate, trainable parameters, the poster's closed-form counts beside ours, and
        whether a device of the given quantum volume could run the circuit.
      </p>
      ${this.controls()} ${e ? this.table(e) : html`<p class="problem" role="alert">${this.problem}</p>`} ${e ? this.status(e) : nothing}
    </section>`;
  }

  private controls(): TemplateResult {
    const quantum = isEncoderName(this.encoder) && isQuantumEncoder(this.encoder);
    return html`<div class="controls">
      <label
        >Encoder
        <select data-control="encoder" @change=${this.onEncoder}>
          ${ENCODER_NAMES.map((name) => html`<option value=${name} ?selected=${name === this.encoder}>${ENCODER_LABELS[name]}</option>`)}
        </select></label
      >
      <label
        >Qubits
        <select data-control="qubits" ?disabled=${!quantum} @change=${this.onQubits}>
          ${range(MAX_QUBITS).map((n) => html`<option value=${n} ?selected=${n === this.nQubits}>${n}</option>`)}
        </select></label
      >
      <label
        >Layers
        <select data-control="layers" ?disabled=${!quantum} @change=${this.onLayers}>
          ${range(MAX_LAYERS).map((n) => html`<option value=${n} ?selected=${n === this.nLayers}>${n}</option>`)}
        </select></label
      >
      <label
        >Input features (N_in)
        <input
          data-control="inputs"
          type="number"
          min="1"
          max=${MAX_INPUTS}
          step="1"
          inputmode="numeric"
          .value=${String(this.nInputs)}
          aria-invalid=${this.inputsInvalid ? 'true' : 'false'}
          aria-describedby=${this.inputsInvalid ? 'inputs-hint' : nothing}
          @change=${this.onInputs}
        />
        ${this.inputsInvalid ? html`<span class="hint" id="inputs-hint">Enter a whole number from 1 to ${MAX_INPUTS}.</span>` : nothing}</label
      >
      <label
        >Device quantum volume
        <select data-control="quantum-volume" ?disabled=${!quantum} @change=${this.onQuantumVolume}>
          ${QUANTUM_VOLUMES.map((qv) => html`<option value=${qv} ?selected=${qv === this.quantumVolume}>QV ${qv} (≤ ${Math.log2(qv)} × ${Math.log2(qv)})</option>`)}
        </select></label
      >
    </div>`;
  }

  private table(e: ResourceEstimate): TemplateResult {
    const caption = e.quantum
      ? `One ${ENCODER_LABELS[e.encoder]} encoder: ${e.config.nQubits}-qubit, ${e.config.nLayers}-layer circuits; ${e.config.nInputs} input features.`
      : `One ${ENCODER_LABELS[e.encoder]} encoder (classical); ${e.config.nInputs} input features.`;
    return html`<div class="table-wrap">
        <table data-testid="quantum-resources">
          <caption>
            ${caption}
          </caption>
          <thead>
            <tr>
              <th scope="col">Quantity</th>
              <th scope="col">This model</th>
              <th scope="col">Poster's formula</th>
            </tr>
          </thead>
          <tbody>
            ${resourceRows(e).map(
              (row) =>
                html`<tr data-row=${row.key} class=${row.key === 'total' ? 'total' : ''}>
                  <th scope="row">${row.label}</th>
                  <td><span class="value">${row.ours}</span>${row.detail ? html`<span class="sub">${row.detail}</span>` : nothing}</td>
                  <td><span class="value">${row.poster}</span>${row.formula ? html`<span class="sub">${row.formula}</span>` : nothing}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="footnote">
        Depth counts time steps, gates on different wires running in parallel. The regression head is counted apart from the encoder. The
        poster's formulas count a plain stack of weight matrices (no biases, normalisation or experts), so they come out far smaller than
        this architecture.
      </p>`;
  }

  private status(e: ResourceEstimate): TemplateResult {
    const view = feasibilityView(e);
    return html`<div class="status" role="status" data-tone=${view.tone} data-testid="quantum-feasibility">
      <span class="badge">${view.badge}</span><span>${view.message}</span>
    </div>`;
  }

  private readonly onEncoder = (event: Event): void => {
    const value = (event.target as HTMLSelectElement).value;
    if (isEncoderName(value)) this.choose({ encoder: value });
  };

  private readonly onQubits = (event: Event): void => {
    this.choose({ nQubits: Number((event.target as HTMLSelectElement).value) });
  };

  private readonly onLayers = (event: Event): void => {
    this.choose({ nLayers: Number((event.target as HTMLSelectElement).value) });
  };

  private readonly onInputs = (event: Event): void => {
    const value = Number((event.target as HTMLInputElement).value);
    this.inputsInvalid = !(Number.isInteger(value) && value >= 1 && value <= MAX_INPUTS);
    if (!this.inputsInvalid) this.nInputs = value;
  };

  private readonly onQuantumVolume = (event: Event): void => {
    this.quantumVolume = Number((event.target as HTMLSelectElement).value);
  };

  /** Applies a user's choice and, when it changes the model, tells the app (`model-config-changed`, bubbling out of the shadow root). */
  private choose(change: Partial<ModelConfigChange>): void {
    const detail: ModelConfigChange = { encoder: this.encoder, nQubits: this.nQubits, nLayers: this.nLayers, ...change };
    if (detail.encoder === this.encoder && detail.nQubits === this.nQubits && detail.nLayers === this.nLayers) return;
    this.encoder = detail.encoder;
    this.nQubits = detail.nQubits;
    this.nLayers = detail.nLayers;
    this.dispatchEvent(new CustomEvent<ModelConfigChange>('model-config-changed', { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('qp-quantum-resources')) customElements.define('qp-quantum-resources', QuantumResourcesPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-quantum-resources': QuantumResourcesPanel;
  }
  interface HTMLElementEventMap {
    'model-config-changed': CustomEvent<ModelConfigChange>;
  }
}
