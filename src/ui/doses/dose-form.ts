/**
 * `<qp-dose-form .values=${DoseFormValues} .networks=${TrainedModelMeta[]} .fingerprint=${string|null} ?disabled>`:
 * the dose questions' settings and the models to answer with, checked as the user types (a message
 * under each field out of range). Emits `form-changed` with every edit and `run-requested` with
 * valid values.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { formReader, type NumberField as Field, numberField } from '../number-field';
import type { TrainedModelMeta } from '../../model/trained-model';
import { modelStyles } from '../model/model-styles';
import { controlStyles, formStyles } from '../shared-styles';
import { type DoseFormProblems, type DoseFormValues, doseFormProblems, type NumberSetting } from './dose-settings';

type NumberField = Field<NumberSetting>;

const QUESTION_FIELDS: readonly NumberField[] = [
  { key: 'nVirtual', label: 'Virtual subjects (N)', step: '1' },
  { key: 'seed', label: 'Seed', step: '1' },
  { key: 'threshold', label: 'PD threshold (ng/mL)', step: 'any' },
  { key: 'targetHigh', label: 'Target 1 (% suppressed)', step: 'any' },
  { key: 'targetLow', label: 'Target 2 (% suppressed)', step: 'any' },
  { key: 'dailyStep', label: 'Daily dose step (mg)', step: 'any' },
  { key: 'weeklyStep', label: 'Weekly dose step (mg)', step: 'any' },
  { key: 'gridStep', label: 'Time grid step (h)', step: 'any' },
];

const UNCERTAINTY_FIELDS: readonly NumberField[] = [
  { key: 'uncertaintyReplicates', label: 'Uncertainty replicates (0 = no bands)', step: '1' },
  { key: 'vpcReplicates', label: 'VPC replicates (0 = no VPC)', step: '1' },
];

export class DoseForm extends LitElement {
  static override properties = {
    values: { attribute: false },
    networks: { attribute: false },
    fingerprint: { attribute: false },
    disabled: { type: Boolean },
    draft: { state: true },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    formStyles,
    css`
      fieldset.models {
        margin-top: 0.9rem;
      }
      legend {
        font-weight: 600;
        font-size: 0.95rem;
        padding: 0;
        margin-bottom: 0.3rem;
      }
      .model-list {
        display: flex;
        flex-direction: column;
        gap: 0.3rem;
      }
      .model-list .muted {
        margin-left: 1.6rem;
      }
    `,
  ];

  /** The initial values (the form is not reset when this changes mid-edit). */
  declare values: DoseFormValues;
  declare networks: readonly TrainedModelMeta[];
  /** Fingerprint of the open dataset, to mark networks trained on other data. */
  declare fingerprint: string | null;
  declare disabled: boolean;
  declare draft: DoseFormValues | null;

  constructor() {
    super();
    this.networks = [];
    this.fingerprint = null;
    this.disabled = false;
    this.draft = null;
  }

  private get current(): DoseFormValues {
    return this.draft ?? this.values;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The view passes back what this form emitted; new values from elsewhere are networks offered
    // ticked (just saved): keep the edits and tick those networks too.
    const draft = this.draft;
    if (changed.has('values') && draft && this.values !== draft) {
      const added = this.values.networkIds.filter((id) => !draft.networkIds.includes(id));
      if (added.length > 0) this.draft = { ...draft, networkIds: [...draft.networkIds, ...added] };
    }
  }

  protected override render(): TemplateResult {
    const values = this.current;
    const problems = doseFormProblems(values);
    return html`<form novalidate @input=${this.onEdit} @change=${this.onEdit} @submit=${this.onSubmit} aria-label="Dose question settings">
      <fieldset ?disabled=${this.disabled}>
        <div class="fields">
          ${QUESTION_FIELDS.map((f) => this.number(f, problems))}
          <div class="field">
            <label for="f-method">Search method</label>
            <select id="f-method" name="method">
              <option value="bisection" ?selected=${values.method === 'bisection'}>Bisection</option>
              <option value="mcts" ?selected=${values.method === 'mcts'}>MCTS</option>
            </select>
          </div>
          ${UNCERTAINTY_FIELDS.map((f) => this.number(f, problems))}
        </div>
        <p class="muted">
          Scenarios: base (BW 50–100 kg, COMED at the trial's share), BW 70–140 kg, and no COMED. A virtual subject is suppressed when PD
          stays below the threshold at every grid time of the last dosing interval at steady state. Targets are the shares of suppressed
          subjects. The other search runs beside the chosen one (for networks only when MCTS is chosen). Uncertainty replicates are models
          drawn from the mechanistic fit's covariance; networks get bands as an ensemble.
        </p>
        ${this.models(values, problems)}
        <div class="actions">
          <button class="primary" type="submit" data-testid="run-doses">Run</button>
          ${Object.keys(problems).length > 0 ? html`<span class="problem" role="alert">Correct the marked fields to run.</span>` : nothing}
        </div>
      </fieldset>
    </form>`;
  }

  private models(values: DoseFormValues, problems: DoseFormProblems): TemplateResult {
    return html`<fieldset class="models" aria-describedby=${problems.models ? 'f-models-problem' : nothing}>
      <legend>Models</legend>
      <div class="model-list">
        <div class="field check">
          <input id="f-mechanistic" name="mechanistic" type="checkbox" ?checked=${values.mechanistic} />
          <label for="f-mechanistic">Mechanistic population model (fitted to this dataset; the reference)</label>
        </div>
        ${this.networks.map(
          (m) =>
            html`<div class="field check">
                <input id="f-net-${m.id}" name="network" value=${m.id} type="checkbox" .checked=${values.networkIds.includes(m.id)} />
                <label for="f-net-${m.id}">${m.name}</label>
              </div>
              ${
                this.fingerprint !== null && m.fingerprint !== this.fingerprint
                  ? html`<span class="muted">Trained on another dataset (${m.datasetName}).</span>`
                  : nothing
              }`,
        )}
        ${this.networks.length === 0 ? html`<span class="muted">No trained networks are saved in this browser; train and save one in the Model tab.</span>` : nothing}
        ${
          this.networks.length > 1
            ? html`<div class="field check">
                <input id="f-ensemble" name="ensemble" type="checkbox" ?checked=${values.ensemble} />
                <label for="f-ensemble"
                  >Answer with the chosen networks as one ensemble (same setup, other seeds): the first answers, all give the bands</label
                >
              </div>`
            : nothing
        }
      </div>
      ${problems.models ? html`<span class="problem" id="f-models-problem">${problems.models}</span>` : nothing}
    </fieldset>`;
  }

  private number(field: NumberField, problems: DoseFormProblems): TemplateResult {
    return numberField(field, this.values[field.key], problems[field.key]);
  }

  /** The values the form's controls hold (NaN for an empty or unreadable number). */
  private read(): DoseFormValues {
    const form = this.renderRoot.querySelector('form') as HTMLFormElement;
    const { control, number } = formReader(form);
    const numbers = Object.fromEntries([...QUESTION_FIELDS, ...UNCERTAINTY_FIELDS].map((f) => [f.key, number(f.key)])) as Record<
      NumberSetting,
      number
    >;
    const networks = Array.from(form.querySelectorAll<HTMLInputElement>('input[name=network]'));
    return {
      ...numbers,
      method: control('method').value as DoseFormValues['method'],
      mechanistic: (control('mechanistic') as HTMLInputElement).checked,
      networkIds: networks.filter((n) => n.checked).map((n) => n.value),
      ensemble: (control('ensemble') as HTMLInputElement | null)?.checked ?? false,
    };
  }

  private readonly onEdit = (): void => {
    this.draft = this.read();
    this.dispatchEvent(new CustomEvent<DoseFormValues>('form-changed', { detail: this.draft, bubbles: true, composed: true }));
  };

  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const values = this.read();
    this.draft = values;
    const invalid = Object.keys(doseFormProblems(values));
    if (invalid.length > 0) {
      const name = invalid[0] === 'models' ? 'mechanistic' : invalid[0];
      this.renderRoot.querySelector<HTMLElement>(`[name="${name}"]`)?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent<DoseFormValues>('run-requested', { detail: values, bubbles: true, composed: true }));
  };
}

if (!customElements.get('qp-dose-form')) customElements.define('qp-dose-form', DoseForm);

declare global {
  interface HTMLElementTagNameMap {
    'qp-dose-form': DoseForm;
  }
}
