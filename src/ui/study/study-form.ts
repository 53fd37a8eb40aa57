/**
 * `<qp-study-form .spec=${StudySpec} .facts=${StudyFacts} .columns=${string[]} .checkProblems=${SpecProblem[]}
 * mode="confirm|edit" ?busy>`: the study settings as a form — which observations are the drug
 * concentration and which the response (with their counts), units, the route of the doses, how
 * subjects are grouped, and (folded) the model: compartments, lag, PD family, covariate effects. The
 * fields are drawn from the spec's types and written back through the one validator (study-draft.ts);
 * each problem shows under its field. Emits `study-submitted` with a valid spec and `study-cancelled`;
 * its children (e.g. an import button) sit beside its buttons.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { StudyFacts } from '../../study/guess-spec';
import { guessRoute } from '../../study/guess-spec';
import {
  AMOUNT_UNITS,
  CONCENTRATION_UNITS,
  COVARIATE_FORMS,
  INDIRECT_TYPES,
  PD_DIRECTIONS,
  type StudySpec,
  TIME_UNITS,
} from '../../study/study-spec';
import type { SpecProblem } from '../../study/study-spec-reader';
import { cardStyles, controlStyles } from '../shared-styles';
import {
  checkDraft,
  type DraftCheck,
  draftOf,
  type EffectDraft,
  effectColumnOptions,
  endpointOptions,
  groupOptions,
  newEffect,
  type Option,
  parametersOf,
  problemsByField,
  selectorOfKey,
  type StudyDraft,
} from './study-draft';
import { studyStyles } from './study-styles';

const ROUTES: Option[] = [
  { value: 'oral', label: 'Oral (absorbed from a depot)' },
  { value: 'iv', label: 'Intravenous (bolus or infusion)' },
];
const COMPARTMENTS: Option[] = [
  { value: 'auto', label: 'Choose by AIC (1 or 2)' },
  { value: '1', label: '1 compartment' },
  { value: '2', label: '2 compartments' },
];
const PD_FAMILIES: Option[] = [
  { value: 'auto', label: 'Choose by AIC' },
  { value: 'direct', label: 'Direct effect' },
  { value: 'effect-compartment', label: 'Effect compartment' },
  { value: 'indirect', label: 'Indirect response' },
];
const FORM_LABELS: Record<string, string> = {
  power: 'Power (x/ref)^θ',
  linear: 'Linear 1 + θ(x − ref)',
  factor: 'Factor θ^x (0/1)',
};

type Field = keyof Omit<StudyDraft, 'effects'>;

/** Field → the spec path whose problems show under it. */
const PATHS: Record<Field, string> = {
  name: 'name',
  pk: 'endpoints.pk',
  pkName: 'endpoints.pk.name',
  pd: 'endpoints.pd',
  pdName: 'endpoints.pd.name',
  time: 'units.time',
  amount: 'units.amount',
  concentration: 'units.concentration',
  response: 'units.response',
  route: 'model.pk.route',
  groupBy: 'groupBy',
  compartments: 'model.pk.compartments',
  lag: 'model.pk.lag',
  pdFamily: 'model.pd.family',
  pdType: 'model.pd.type',
  pdDirection: 'model.pd.direction',
  pdSigmoid: 'model.pd.sigmoid',
};
/** Groups of fields with problems of their own. */
const GROUP_PATHS = ['endpoints', 'units', 'model.pd', 'model.covariates'];

export class StudyForm extends LitElement {
  static override properties = {
    spec: { attribute: false },
    facts: { attribute: false },
    columns: { attribute: false },
    checkProblems: { attribute: false },
    mode: {},
    busy: { type: Boolean },
    draft: { state: true },
    submitted: { state: true },
    modelOpen: { state: true },
  };
  static override styles = [controlStyles, cardStyles, studyStyles];

  /** The spec the form starts from (and whose other settings it keeps). */
  declare spec: StudySpec;
  declare facts: StudyFacts;
  /** The file's columns as written. */
  declare columns: readonly string[];
  /** Problems found reading the data through the submitted spec (each naming its field). */
  declare checkProblems: readonly SpecProblem[];
  /** "confirm": the mapping step of a new file; "edit": the study settings of a confirmed one (with Cancel). */
  declare mode: 'confirm' | 'edit';
  declare busy: boolean;
  declare draft: StudyDraft | null;
  declare submitted: boolean;
  declare modelOpen: boolean;

  constructor() {
    super();
    this.columns = [];
    this.checkProblems = [];
    this.mode = 'confirm';
    this.busy = false;
    this.draft = null;
    this.submitted = false;
    this.modelOpen = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('spec') || this.draft === null) this.draft = draftOf(this.spec);
  }

  private edit(change: Partial<StudyDraft>): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...change };
    this.checkProblems = [];
  }

  private editEffect(index: number, change: Partial<EffectDraft>): void {
    if (!this.draft) return;
    this.edit({ effects: this.draft.effects.map((e, i) => (i === index ? { ...e, ...change } : e)) });
  }

  private check(): DraftCheck {
    return checkDraft(this.draft ?? draftOf(this.spec), this.spec, this.columns);
  }

  protected override render(): TemplateResult {
    const draft = this.draft ?? draftOf(this.spec);
    const check = this.check();
    const problems = [...check.problems, ...this.checkProblems];
    const fields = [...Object.values(PATHS), ...GROUP_PATHS, ...draft.effects.map((_, i) => `model.covariates[${i}]`)];
    const byField = problemsByField(problems, fields);
    const general = byField.get('') ?? [];
    const modelPaths = fields.filter((f) => f.startsWith('model.') && f !== PATHS.route);
    const modelProblems = modelPaths.some((f) => byField.has(f));
    const facts = this.facts;
    const endpoints = endpointOptions(facts, [draft.pk, draft.pd]);
    const reason = guessRoute(facts, draft.pk ? selectorOfKey(draft.pk) : undefined).reason;
    const confirm = this.mode === 'confirm';
    return html`<form novalidate @submit=${this.onSubmit} aria-busy=${this.busy ? 'true' : 'false'}>
      ${
        this.submitted && problems.length > 0
          ? html`<div class="problems" role="alert" data-testid="study-form-problems">
              ${problems.length === 1 ? 'One setting needs attention' : `${problems.length} settings need attention`}:
              <ul>
                ${problems.map((p) => html`<li>${p.path ? `${p.path}: ` : ''}${p.message}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      ${general.length > 0 && !this.submitted ? html`<div class="problems">${general.map((m) => html`<div>${m}</div>`)}</div>` : nothing}
      <fieldset>
        <legend>Observations</legend>
        ${this.problemsOf(byField, 'endpoints')}
        <div class="fields">
          ${this.select('pk', 'Drug concentration (PK)', draft.pk, [{ value: '', label: 'None' }, ...endpoints], byField)}
          ${this.text('pkName', 'PK name on plots', draft.pkName, byField, 'Concentration', draft.pk === '')}
          ${this.select('pd', 'Response (PD)', draft.pd, [{ value: '', label: 'None' }, ...endpoints], byField)}
          ${this.text('pdName', 'PD name on plots', draft.pdName, byField, 'Response', draft.pd === '')}
        </div>
      </fieldset>
      <fieldset>
        <legend>Units</legend>
        <p class="muted">A data file does not say its units: check them (axes, volumes and clearances are shown in these).</p>
        ${this.problemsOf(byField, 'units')}
        <div class="fields">
          ${this.select('time', 'Time (TIME)', draft.time, options(TIME_UNITS), byField)}
          ${this.select('amount', 'Doses (AMT)', draft.amount, options(AMOUNT_UNITS), byField)}
          ${this.select('concentration', 'Concentrations (DV of PK)', draft.concentration, options(CONCENTRATION_UNITS), byField)}
          ${this.text('response', 'Response (DV of PD)', draft.response, byField, 'e.g. %, ng/mL, score', draft.pd === '')}
        </div>
      </fieldset>
      <fieldset>
        <legend>Doses and groups</legend>
        <div class="fields">
          ${this.select('route', 'Route of the doses', draft.route, ROUTES, byField, `What the file shows: ${reason}.`)}
          ${this.select('groupBy', 'Group subjects by', draft.groupBy, groupOptions(facts, draft.groupBy), byField)}
          ${this.text('name', 'Study name', draft.name, byField, '', false)}
        </div>
      </fieldset>
      <details ?open=${this.modelOpen || (this.submitted && modelProblems)} @toggle=${this.onToggle}>
        <summary>Model (compartments, PD family, covariate effects)</summary>
        ${this.modelFields(draft, byField, facts)}
      </details>
      <div class="actions">
        <button type="submit" class="primary" data-testid="study-confirm" ?disabled=${this.busy}>
          ${this.busy ? 'Checking…' : confirm ? 'Confirm and explore' : 'Save study settings'}
        </button>
        ${confirm ? nothing : html`<button type="button" ?disabled=${this.busy} @click=${this.onCancel}>Cancel</button>`}
        <slot></slot>
      </div>
    </form>`;
  }

  private modelFields(draft: StudyDraft, byField: Map<string, string[]>, facts: StudyFacts): TemplateResult {
    const hasPd = draft.pd !== '';
    const parameters = parametersOf(draft);
    const columns = effectColumnOptions(facts, draft.effects);
    return html`<div class="fields">
        ${this.select('compartments', 'PK compartments', draft.compartments, COMPARTMENTS, byField)}
        ${this.checkbox('lag', 'Absorption lag (oral doses)', draft.lag, byField, draft.route !== 'oral')}
        ${hasPd ? this.select('pdFamily', 'PD family', draft.pdFamily, PD_FAMILIES, byField) : nothing}
        ${hasPd && draft.pdFamily === 'indirect' ? this.select('pdType', 'Indirect response type', draft.pdType, options(INDIRECT_TYPES), byField) : nothing}
        ${
          hasPd && (draft.pdFamily === 'direct' || draft.pdFamily === 'effect-compartment')
            ? this.select('pdDirection', 'Drug effect', draft.pdDirection, options(PD_DIRECTIONS), byField)
            : nothing
        }
        ${hasPd && draft.pdFamily !== 'auto' ? this.checkbox('pdSigmoid', 'Sigmoid (Hill exponent)', draft.pdSigmoid, byField, false) : nothing}
      </div>
      ${hasPd ? this.problemsOf(byField, 'model.pd') : nothing}
      <h3 id="effects-title">Covariate effects</h3>
      <p class="muted">
        None by default. A power or linear effect is centred on its reference (empty: the column’s median); a factor effect needs a 0/1
        column.
      </p>
      ${this.problemsOf(byField, 'model.covariates')}
      <div class="effects" role="list" aria-labelledby="effects-title">
        ${draft.effects.map((effect, i) => this.effectRow(effect, i, columns, parameters, byField))}
      </div>
      <div class="actions">
        <button
          type="button"
          data-testid="add-effect"
          ?disabled=${columns.length === 0}
          @click=${() => this.edit({ effects: [...draft.effects, newEffect(facts, draft.effects, draft.groupBy)] })}
        >
          Add a covariate effect
        </button>
      </div>`;
  }

  private effectRow(
    effect: EffectDraft,
    i: number,
    columns: string[],
    parameters: string[],
    byField: Map<string, string[]>,
  ): TemplateResult {
    const id = `effect-${i}`;
    const problems = byField.get(`model.covariates[${i}]`) ?? [];
    const described = problems.length > 0 ? `${id}-problem` : nothing;
    const invalid = problems.length > 0 ? 'true' : 'false';
    const onOptions = parameters.includes(effect.on) ? parameters : [...parameters, effect.on];
    return html`<div class="effect" role="listitem" data-testid="effect-row">
      <div class="field">
        <label for="${id}-column">Column</label>
        <select
          id="${id}-column"
          aria-invalid=${invalid}
          aria-describedby=${described}
          @change=${(e: Event) => this.editEffect(i, { column: value(e) })}
        >
          ${columns.map((c) => html`<option value=${c} ?selected=${c.toUpperCase() === effect.column.toUpperCase()}>${c}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="${id}-on">Acts on</label>
        <select
          id="${id}-on"
          aria-invalid=${invalid}
          aria-describedby=${described}
          @change=${(e: Event) => this.editEffect(i, { on: value(e) })}
        >
          ${onOptions.map((p) => html`<option value=${p} ?selected=${p === effect.on}>${p}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="${id}-form">Form</label>
        <select
          id="${id}-form"
          aria-invalid=${invalid}
          aria-describedby=${described}
          @change=${(e: Event) => this.editEffect(i, { form: value(e) })}
        >
          ${COVARIATE_FORMS.map((f) => html`<option value=${f} ?selected=${f === effect.form}>${FORM_LABELS[f]}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="${id}-reference">Reference</label>
        <input
          id="${id}-reference"
          type="text"
          inputmode="decimal"
          autocomplete="off"
          placeholder=${effect.form === 'factor' ? 'none' : 'median'}
          ?disabled=${effect.form === 'factor'}
          .value=${effect.form === 'factor' ? '' : effect.reference}
          aria-invalid=${invalid}
          aria-describedby=${described}
          @input=${(e: Event) => this.editEffect(i, { reference: value(e) })}
        />
      </div>
      <div class="field">
        <button type="button" aria-label="Remove the effect of ${effect.column} on ${effect.on}" @click=${() => this.removeEffect(i)}>
          Remove
        </button>
      </div>
      ${problems.length > 0 ? html`<span class="problem" id="${id}-problem">${problems.join('; ')}</span>` : nothing}
    </div>`;
  }

  private removeEffect(index: number): void {
    if (this.draft) this.edit({ effects: this.draft.effects.filter((_, i) => i !== index) });
  }

  private problemsOf(byField: Map<string, string[]>, path: string): TemplateResult | typeof nothing {
    const problems = byField.get(path);
    return problems ? html`<p class="problem" data-field=${path}>${problems.join('; ')}</p>` : nothing;
  }

  private select(
    field: Field,
    label: string,
    current: string,
    choices: readonly Option[],
    byField: Map<string, string[]>,
    hint = '',
  ): TemplateResult {
    const id = `study-${field}`;
    const problems = byField.get(PATHS[field]) ?? [];
    const known = choices.some((c) => c.value === current);
    const all = known ? choices : [...choices, { value: current, label: current }];
    return html`<div class="field" data-field=${PATHS[field]}>
      <label for=${id}>${label}</label>
      <select
        id=${id}
        name=${field}
        ?disabled=${this.busy}
        aria-invalid=${problems.length > 0 ? 'true' : 'false'}
        aria-describedby=${problems.length > 0 ? `${id}-problem` : hint ? `${id}-hint` : nothing}
        @change=${(e: Event) => this.edit({ [field]: value(e) })}
      >
        ${all.map((c) => html`<option value=${c.value} ?selected=${c.value === current}>${c.label}</option>`)}
      </select>
      ${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : nothing}
      ${problems.length > 0 ? html`<span class="problem" id="${id}-problem">${problems.join('; ')}</span>` : nothing}
    </div>`;
  }

  private text(
    field: Field,
    label: string,
    current: string,
    byField: Map<string, string[]>,
    placeholder: string,
    disabled: boolean,
  ): TemplateResult {
    const id = `study-${field}`;
    const problems = byField.get(PATHS[field]) ?? [];
    return html`<div class="field" data-field=${PATHS[field]}>
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${field}
        type="text"
        autocomplete="off"
        maxlength="200"
        placeholder=${placeholder}
        ?disabled=${disabled || this.busy}
        .value=${current}
        aria-invalid=${problems.length > 0 ? 'true' : 'false'}
        aria-describedby=${problems.length > 0 ? `${id}-problem` : nothing}
        @input=${(e: Event) => this.edit({ [field]: value(e) })}
      />
      ${problems.length > 0 ? html`<span class="problem" id="${id}-problem">${problems.join('; ')}</span>` : nothing}
    </div>`;
  }

  private checkbox(field: Field, label: string, current: boolean, byField: Map<string, string[]>, disabled: boolean): TemplateResult {
    const id = `study-${field}`;
    const problems = byField.get(PATHS[field]) ?? [];
    return html`<div class="field check" data-field=${PATHS[field]}>
      <input
        id=${id}
        name=${field}
        type="checkbox"
        .checked=${current}
        ?disabled=${disabled || this.busy}
        aria-invalid=${problems.length > 0 ? 'true' : 'false'}
        aria-describedby=${problems.length > 0 ? `${id}-problem` : nothing}
        @change=${(e: Event) => this.edit({ [field]: (e.target as HTMLInputElement).checked })}
      />
      <label for=${id}>${label}</label>
      ${problems.length > 0 ? html`<span class="problem" id="${id}-problem">${problems.join('; ')}</span>` : nothing}
    </div>`;
  }

  private readonly onToggle = (event: Event): void => {
    this.modelOpen = (event.target as HTMLDetailsElement).open;
  };

  private readonly onCancel = (): void => {
    this.dispatchEvent(new CustomEvent('study-cancelled', { bubbles: true, composed: true }));
  };

  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    if (this.busy) return;
    this.submitted = true;
    const check = this.check();
    if (!check.ok) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    this.dispatchEvent(new CustomEvent<StudySpec>('study-submitted', { detail: check.spec, bubbles: true, composed: true }));
  };

  /** Moves the focus to the first field with a problem (after the data check found one). */
  focusProblem(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }
}

function options(values: readonly string[]): Option[] {
  return values.map((v) => ({ value: v, label: v }));
}

function value(event: Event): string {
  return (event.target as HTMLInputElement | HTMLSelectElement).value;
}

if (!customElements.get('qp-study-form')) customElements.define('qp-study-form', StudyForm);

declare global {
  interface HTMLElementTagNameMap {
    'qp-study-form': StudyForm;
  }
}
