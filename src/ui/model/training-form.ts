/**
 * `<qp-training-form .config=${TrainingConfig} .shape=${ModelFeatureShape|null} .disabled=${boolean}>`: the
 * choices before training, checked as the user types (a message under each field out of range; the
 * model's size counted on the open dataset's features under its study, `shape`). Emits `config-changed`
 * with every edit and `train-requested` with a valid config.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { formReader, type NumberField as Field, numberField } from '../number-field';
import {
  type ConfigProblems,
  HEAD_LABELS,
  MODE_LABELS,
  TRAINING_HEADS,
  TRAINING_SPLITS,
  type TrainingConfig,
  trainingConfigProblems,
} from '../../model/training-config';
import type { ModelFeatureShape } from '../../model/parameter-budget';
import { BACKEND_REQUESTS, type BackendRequest } from '../../platform/compute-backend';
import { ENCODER_LABELS, ENCODER_NAMES, isEncoderName, isQuantumEncoder } from '../../quantum/resources/architecture';
import { MAX_LAYERS, MAX_QUBITS } from '../../quantum/template';
import { controlStyles, formStyles } from '../shared-styles';
import { splitLabel } from './model-labels';
import { modelStyles } from './model-styles';

type NumberKey = 'epochs' | 'patience' | 'seed' | 'hidden' | 'depth' | 'experts' | 'dropout' | 'learningRate' | 'batchSize' | 'mcSamples';

type NumberField = Field<NumberKey>;

const MAIN_NUMBERS: readonly NumberField[] = [
  { key: 'epochs', label: 'Max epochs', step: '1' },
  { key: 'patience', label: 'Patience (epochs)', step: '1' },
  { key: 'seed', label: 'Seed', step: '1' },
];

const ADVANCED_NUMBERS: readonly NumberField[] = [
  { key: 'hidden', label: 'Hidden width', step: '1' },
  { key: 'depth', label: 'Depth (blocks)', step: '1' },
  { key: 'experts', label: 'Experts per MoE block', step: '1' },
  { key: 'dropout', label: 'Dropout', step: 'any' },
  { key: 'learningRate', label: 'Learning rate', step: 'any' },
  { key: 'batchSize', label: 'Batch size', step: '1' },
  { key: 'mcSamples', label: 'MC-dropout samples (0 = no bands)', step: '1' },
];

const BACKEND_LABELS: Readonly<Record<BackendRequest, string>> = {
  auto: 'Auto',
  wasm: 'WebAssembly',
  cpu: 'CPU (JavaScript)',
  webgpu: 'WebGPU',
};

const range = (max: number): number[] => Array.from({ length: max }, (_, i) => i + 1);

export class TrainingForm extends LitElement {
  static override properties = {
    config: { attribute: false },
    disabled: { type: Boolean },
    criterion: { attribute: false },
    shape: { attribute: false },
    draft: { state: true },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    formStyles,
    css`
      details .fields {
        margin-top: 0.5rem;
      }
      details {
        margin-top: 0.6rem;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
      }
    `,
  ];

  /** The initial values (the form is not reset when this changes mid-edit). */
  declare config: TrainingConfig;
  declare disabled: boolean;
  /** The study's criterion in words ("Biomarker below 3.3 ng/mL"); null: the study asks no question (no head). */
  declare criterion: string | null;
  /** The open dataset's feature columns and networks under its study (studyFeatureShape); null: EstData's defaults. */
  declare shape: ModelFeatureShape | null;
  /** What the form holds now. */
  declare draft: TrainingConfig | null;

  constructor() {
    super();
    this.disabled = false;
    this.criterion = null;
    this.shape = null;
    this.draft = null;
  }

  private get values(): TrainingConfig {
    return this.draft ?? this.config;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A config that is not the form's own edit (a retry on another backend) replaces what the form holds.
    if (changed.has('config') && this.draft !== null && this.config !== this.draft) this.draft = null;
  }

  protected override render(): TemplateResult {
    const values = this.values;
    const problems = this.problems(values);
    const quantum = isEncoderName(values.encoder) && isQuantumEncoder(values.encoder);
    const hybrid = values.head === 'mechanistic';
    return html`<form novalidate @input=${this.onEdit} @change=${this.onEdit} @submit=${this.onSubmit} aria-label="Training settings">
      <fieldset ?disabled=${this.disabled}>
        <div class="fields">
          ${this.select(
            'head',
            'Output head',
            TRAINING_HEADS.map((h) => [h, HEAD_LABELS[h]]),
          )}
          ${this.select(
            'encoder',
            'Encoder',
            ENCODER_NAMES.map((e) => [e, ENCODER_LABELS[e]]),
          )}
          ${this.select('mode', 'Mode', Object.entries(MODE_LABELS), hybrid)}
          ${this.select(
            'qubits',
            'Qubits',
            range(MAX_QUBITS).map((n) => [String(n), String(n)]),
            !quantum,
          )}
          ${this.select(
            'layers',
            'Circuit layers',
            range(MAX_LAYERS).map((n) => [String(n), String(n)]),
            !quantum,
          )}
          ${MAIN_NUMBERS.map((f) => this.number(f, problems))}
          ${this.select(
            'split',
            'Split',
            TRAINING_SPLITS.map((s) => [s, splitLabel(s)]),
          )}
          ${this.select(
            'backend',
            'Compute backend',
            BACKEND_REQUESTS.map((b) => [b, BACKEND_LABELS[b]]),
          )}
        </div>
        <p class="muted">
          Direct head: the network predicts the observations from time and dose-history features (the seed's system). Mechanistic head: the
          network maps each subject's covariates to the parameters of the study's population PK/PD model (a hybrid model, fitted by FOCE-I
          with the network as its covariate model), so dose history, other regimens and steady state are the structural model's; it needs
          the study's model and has no mode. Cascade: the PD network also gets the PK network's prediction; multitask: one network with a PK
          and a PD head. Reference split: EstData's published validation and test subjects (other files: one of each per dose arm). Auto
          backend: WebGPU on a hardware GPU, else WebAssembly.
        </p>
        <details>
          <summary>Advanced</summary>
          <div class="fields">
            ${ADVANCED_NUMBERS.map((f) => this.number(f, problems))}
            <div class="field check">
              <input
                id="f-classification"
                name="classification"
                type="checkbox"
                ?checked=${values.classification && !hybrid}
                ?disabled=${hybrid}
              />
              <label for="f-classification"
                >Classification head (${this.criterion ?? 'the study asks no dose question: none is added'})</label
              >
            </div>
          </div>
        </details>
        <div class="actions">
          <button class="primary" type="submit" data-testid="train">Train</button>
          ${Object.keys(problems).length > 0 ? html`<span class="problem" role="alert">Correct the marked fields to train.</span>` : nothing}
        </div>
      </fieldset>
    </form>`;
  }

  private problems(config: TrainingConfig): ConfigProblems {
    return trainingConfigProblems(config, this.shape ?? undefined);
  }

  private select(
    key: 'head' | 'encoder' | 'mode' | 'qubits' | 'layers' | 'split' | 'backend',
    label: string,
    options: readonly (readonly [string, string])[],
    off = false,
  ): TemplateResult {
    const current = String(this.values[key]);
    return html`<div class="field">
      <label for="f-${key}">${label}</label>
      <select id="f-${key}" name=${key} ?disabled=${off} .value=${current}>
        ${options.map(([value, text]) => html`<option value=${value} ?selected=${value === current}>${text}</option>`)}
      </select>
    </div>`;
  }

  private number(field: NumberField, problems: ConfigProblems): TemplateResult {
    return numberField(field, this.config[field.key], problems[field.key]);
  }

  /** The config the form's controls hold (NaN for an empty or unreadable number). */
  private read(): TrainingConfig {
    const form = this.renderRoot.querySelector('form') as HTMLFormElement;
    const { control, number } = formReader(form);
    const numbers = Object.fromEntries([...MAIN_NUMBERS, ...ADVANCED_NUMBERS].map((f) => [f.key, number(f.key)])) as Record<
      NumberKey,
      number
    >;
    return {
      ...numbers,
      head: control('head').value as TrainingConfig['head'],
      encoder: control('encoder').value as TrainingConfig['encoder'],
      mode: control('mode').value as TrainingConfig['mode'],
      qubits: number('qubits'),
      layers: number('layers'),
      split: control('split').value,
      backend: control('backend').value as BackendRequest,
      classification: (control('classification') as HTMLInputElement).checked,
    };
  }

  private readonly onEdit = (): void => {
    this.draft = this.read();
    this.dispatchEvent(new CustomEvent<TrainingConfig>('config-changed', { detail: this.draft, bubbles: true, composed: true }));
  };

  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const config = this.read();
    this.draft = config;
    const invalid = Object.keys(this.problems(config));
    if (invalid.length > 0) {
      const first = this.renderRoot.querySelector<HTMLElement>(`[name="${invalid[0]}"]`);
      if (first?.closest('details')) (first.closest('details') as HTMLDetailsElement).open = true;
      first?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent<TrainingConfig>('train-requested', { detail: config, bubbles: true, composed: true }));
  };
}

if (!customElements.get('qp-training-form')) customElements.define('qp-training-form', TrainingForm);

declare global {
  interface HTMLElementTagNameMap {
    'qp-training-form': TrainingForm;
  }
}
