/**
 * `<qp-patient-view>`: the Patient tab (issue 14) — pick a population model (the shipped example or an
 * imported `.study.json` with fixed values), enter or import one patient, and see, recomputed on every
 * valid change in this page: the individual parameters beside the population's, the MAP η, the
 * recommended dose with its posterior probability, the predicted curve with its 90 % band, the
 * measured levels and the target, and a what-if dose; print a one-page dosing note; keep the patient
 * (with the model) encrypted in this browser (`<qp-patient-vault>`). Nothing is sent anywhere.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { downloadBlob } from '../../export/download';
import { fileNameOf } from '../../export/file-name';
import { MODEL_LIBRARY } from '../../patient/model-library';
import type { IntervalOption } from '../../patient/recommend';
import { BASELINE_PD_COLUMN } from '../../model/mechanistic/hybrid-baseline';
import type { TrainedModelMeta } from '../../model/trained-model';
import { listHybridModels } from '../../store/models';
import { onStoreChange } from '../../store/store-changes';
import { DosesClient } from '../../../workers/doses-client';
import { dosesWorkspace } from '../doses/doses-workspace';
import { describePatientProblems, readPatientRecordText, type PatientProblem } from '../../patient/patient-record';
import { questionInWords } from '../../dose/dose-run-report';
import type { StoredPatient } from '../../store/patients';
import type { ModelParameter, StudySpec } from '../../study/study-spec';
import { formatSignificant } from '../../text/format';
import { controlStyles, formStyles } from '../shared-styles';
import {
  chooseModel,
  computePatient,
  emptyForm,
  formDocument,
  formOfRecord,
  type ModelChoice,
  type PatientForm,
  type PatientResult,
  readForm,
  type WhatIf,
  whatIf,
} from './patient-compute';
import type { NoteInput } from './patient-note';
import './patient-note';
import { patientPlot } from './patient-plot';
import './patient-vault-panel';
import { vaultSession } from './vault-session';

/** The doses worker that evaluates hybrid models' networks for the Patient tab (its own: the Doses tab's is cancelled by terminating it). */
let hybridClient: DosesClient | null = null;

interface PendingHybrid {
  id: string;
  name: string;
  /** Covariate columns the network reads (upper case). */
  columns: string[];
  /** Whether it reads the response before the first dose. */
  baseline: boolean;
  /** Values as typed, by column (and BASELINE_PD_COLUMN). */
  values: Record<string, string>;
}

/** What is saved with a patient of the model it was computed with. */
interface SavedModel {
  document: unknown;
  source: string;
}

/** The entry kept in memory while the page is open, so that another tab and back finds it (stored only by "Save"). */
let kept: { choice: ModelChoice | null; form: PatientForm | null; whatIfText: string; patientName: string; openedId: string | null } = {
  choice: null,
  form: null,
  whatIfText: '',
  patientName: '',
  openedId: null,
};

export class PatientView extends LitElement {
  static override properties = {
    choice: { state: true },
    form: { state: true },
    problems: { state: true },
    result: { state: true },
    message: { state: true },
    whatIfText: { state: true },
    whatIfResult: { state: true },
    patientName: { state: true },
    openedId: { state: true },
    printedAt: { state: true },
    modelKey: { state: true },
    notice: { state: true },
    hybrids: { state: true },
    pendingHybrid: { state: true },
    modelText: { state: true },
  };
  static override styles = [
    controlStyles,
    formStyles,
    css`
      h2 {
        font-size: 1.3rem;
        margin: 0 0 0.5rem;
      }
      h3 {
        font-size: 1.05rem;
        margin: 1rem 0 0.4rem;
      }
      section {
        margin-bottom: 1rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: flex-end;
        margin-bottom: 0.4rem;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 0.15rem;
      }
      .field input {
        width: 7rem;
      }
      .check {
        display: flex;
        gap: 0.3rem;
        align-items: center;
        padding-bottom: 0.3rem;
      }
      .problem {
        color: #9b1c1c;
        font-size: 0.85rem;
        max-width: 22rem;
      }
      .warning {
        color: #7a4a00;
        font-size: 0.85rem;
        max-width: 22rem;
      }
      .alert {
        background: #fdecea;
        border: 1px solid #e3a39c;
        border-radius: 8px;
        padding: 0.5rem 0.8rem;
      }
      .privacy {
        background: #eef4fb;
        border: 1px solid #9dbbe0;
        border-radius: 8px;
        padding: 0.4rem 0.8rem;
      }
      table {
        border-collapse: collapse;
      }
      th,
      td {
        padding: 0.2rem 0.6rem;
        text-align: right;
        border-bottom: 1px solid var(--qp-border, #d5dbe1);
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      .recommendation {
        font-size: 1.1rem;
      }
      .hint {
        font-size: 0.9rem;
        color: #4a5563;
        margin: 0;
      }
      .note {
        display: none;
      }
      @media print {
        :host > :not(.note) {
          display: none !important;
        }
        .note {
          display: block;
        }
      }
    `,
  ];

  declare choice: ModelChoice | null;
  declare form: PatientForm | null;
  declare problems: PatientProblem[];
  declare result: PatientResult | null;
  declare message: string;
  declare whatIfText: string;
  declare whatIfResult: WhatIf | null;
  declare patientName: string;
  /** The stored patient the form came from (saving replaces it), or null. */
  declare openedId: string | null;
  declare printedAt: Date;
  /** The model picked in the list (not yet in use until "Use this model"). */
  declare modelKey: string;
  /** Information about the entry (a conversion made), '' when none. */
  declare notice: string;
  /** Saved hybrid models (Model tab, mechanistic head): each can make one patient's prior. */
  declare hybrids: TrainedModelMeta[];
  /** A hybrid model chosen, waiting for the patient's covariates its network reads. */
  declare pendingHybrid: PendingHybrid | null;
  private unsubscribeModels: (() => void) | null = null;
  /** The hand editor's text (starts as the model in use, or the library's first model). */
  declare modelText: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onVault = (): void => this.requestUpdate();

  constructor() {
    super();
    this.choice = null;
    this.form = null;
    this.problems = [];
    this.result = null;
    this.message = '';
    this.whatIfText = '';
    this.whatIfResult = null;
    this.patientName = '';
    this.openedId = null;
    this.printedAt = new Date();
    this.modelKey = `library:${MODEL_LIBRARY[0].id}`;
    this.notice = '';
    this.hybrids = [];
    this.pendingHybrid = null;
    this.modelText = '';
  }

  /** Opening the hand editor: it starts from the model in use (or the library's first), to be edited. */
  private onEditorToggle(event: Event): void {
    if (!(event.target as HTMLDetailsElement).open || this.modelText.trim() !== '') return;
    this.modelText = this.choice?.ok ? JSON.stringify(this.choice.document, null, 2) : MODEL_LIBRARY[0].text;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    vaultSession.addEventListener('change', this.onVault);
    void this.readHybrids();
    this.unsubscribeModels = onStoreChange('models', () => void this.readHybrids());
    if (!this.choice && kept.choice) {
      this.choice = kept.choice;
      this.form = kept.form;
      this.whatIfText = kept.whatIfText;
      this.patientName = kept.patientName;
      this.openedId = kept.openedId;
      this.recompute();
    }
  }

  protected override updated(): void {
    kept = { choice: this.choice, form: this.form, whatIfText: this.whatIfText, patientName: this.patientName, openedId: this.openedId };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    vaultSession.removeEventListener('change', this.onVault);
    this.unsubscribeModels?.();
    clearTimeout(this.timer);
  }

  override render(): TemplateResult {
    const saved = this.openedId !== null;
    return html`<h2>Patient</h2>
      <p class="privacy" data-testid="patient-privacy">
        Everything is computed in this page: nothing is sent anywhere.
        ${
          saved
            ? html`This patient is saved, encrypted, in this browser; changes are kept when you save again.`
            : html`This patient is <strong>not saved</strong> until you save it (encrypted, in this browser only).`
        }
      </p>
      <qp-patient-vault @patient-opened=${this.onOpened} @patient-deleted=${this.onDeleted}></qp-patient-vault>
      ${this.renderModel()} ${this.pendingHybrid ? this.renderPendingHybrid(this.pendingHybrid) : nothing}
      ${this.message ? html`<p class="alert" role="alert" data-testid="patient-message">${this.message}</p>` : nothing}
      ${this.notice ? html`<p class="privacy" role="status" data-testid="patient-notice">${this.notice}</p>` : nothing}
      ${this.choice?.ok && this.form ? this.renderForm(this.form) : nothing} ${this.renderResult()} ${this.renderNote()}`;
  }

  private noteInput(): NoteInput | null {
    const result = this.result;
    const choice = this.choice;
    if (!result || !choice?.ok) return null;
    return {
      spec: choice.spec,
      modelName: choice.name,
      modelSource: choice.source,
      patientName: this.patientName.trim(),
      result,
      whatIf: this.whatIfResult,
      nextDose: result.report.nextDose,
      printedAt: this.printedAt,
    };
  }

  private renderNote(): TemplateResult | typeof nothing {
    const input = this.noteInput();
    return input ? html`<qp-patient-note class="note" data-testid="patient-note" .input=${input}></qp-patient-note>` : nothing;
  }

  private async print(): Promise<void> {
    this.printedAt = new Date();
    await this.updateComplete;
    const note = this.renderRoot.querySelector('qp-patient-note');
    if (note) await note.updateComplete;
    window.print();
  }

  private renderSave(): TemplateResult {
    const unlocked = vaultSession.state === 'unlocked';
    return html`<div class="row">
      ${this.field('p-name', 'Patient name or ID', this.patientName, 'name', (v) => (this.patientName = v))}
      ${
        unlocked
          ? html`<button data-testid="patient-save" ?disabled=${vaultSession.busy} @click=${() => void this.save()}>
              ${this.openedId ? 'Save changes' : 'Save patient'}
            </button>`
          : html`<p class="hint" data-testid="patient-save-hint">
              ${vaultSession.state === 'locked' ? 'Unlock the saved patients above to save this one.' : 'Set a passphrase above to save patients.'}
            </p>`
      }
      <button @click=${() => this.newPatient()}>New patient</button>
    </div>`;
  }

  private async save(): Promise<void> {
    const choice = this.choice;
    const form = this.form;
    if (!choice?.ok || !form) return;
    const name = this.patientName.trim();
    const reading = readForm(choice.spec, form);
    if (!reading.ok) {
      this.problems = reading.problems;
      this.message = 'The entry has problems (see the fields): fix them before saving.';
      return;
    }
    if (name === '') {
      this.problems = [{ path: 'name', message: 'give a name or ID to save the patient under' }];
      return;
    }
    const saved = await vaultSession.save({
      id: this.openedId ?? undefined,
      name,
      document: formDocument(choice.spec, form),
      model: { document: choice.document, source: choice.source } satisfies SavedModel,
    });
    if (saved) {
      this.openedId = saved.id;
      this.patientName = saved.name;
      this.message = '';
    }
  }

  private newPatient(): void {
    const choice = this.choice;
    this.openedId = null;
    this.patientName = '';
    this.notice = '';
    this.result = null;
    this.whatIfResult = null;
    this.whatIfText = '';
    this.problems = [];
    if (choice?.ok) this.form = emptyForm(choice.spec);
  }

  private onOpened(event: CustomEvent<StoredPatient>): void {
    const stored = event.detail;
    if (stored.model !== null) {
      const saved = stored.model as Partial<SavedModel>;
      const choice = chooseModel(JSON.stringify(saved.document), `the model saved with ${stored.summary.name}`, String(saved.source ?? ''));
      if (!choice.ok) {
        this.message = choice.message;
        return;
      }
      this.choice = choice;
    } else if (!this.choice?.ok) {
      this.message = `${stored.summary.name} was saved without a model: choose one, then open the patient again.`;
      return;
    }
    const choice = this.choice;
    const form = formOfRecord(choice.spec, stored.record);
    if (!form.ok) {
      this.message = `${stored.summary.name} does not fit this model: ${describePatientProblems(form.problems)}.`;
      return;
    }
    this.message = '';
    this.openedId = stored.summary.id;
    this.patientName = stored.summary.name;
    this.form = form.form;
    this.whatIfText = '';
    this.recompute();
  }

  private onDeleted(event: CustomEvent<string>): void {
    if (event.detail === this.openedId) this.openedId = null;
  }

  private renderModel(): TemplateResult {
    const chosen = this.choice?.ok ? this.choice : null;
    const fitted = fittedModel();
    return html`<section aria-labelledby="p-model-h">
      <h3 id="p-model-h">Population model</h3>
      <div class="row">
        <div class="field">
          <label for="p-library">Model</label>
          <select
            id="p-library"
            data-testid="patient-library"
            @change=${(e: Event) => (this.modelKey = (e.target as HTMLSelectElement).value)}
          >
            <optgroup label="Library">
              ${MODEL_LIBRARY.map(
                (m) =>
                  html`<option value="library:${m.id}" ?selected=${this.modelKey === `library:${m.id}`}>
                    ${m.name}${m.published ? '' : ' — illustrative'}
                  </option>`,
              )}
            </optgroup>
            ${
              this.hybrids.length > 0
                ? html`<optgroup label="Hybrid models (Model tab)">
                    ${this.hybrids.map(
                      (m) => html`<option value="hybrid:${m.id}" ?selected=${this.modelKey === `hybrid:${m.id}`}>${m.name}</option>`,
                    )}
                  </optgroup>`
                : nothing
            }
            ${
              fitted
                ? html`<optgroup label="Fitted in this session">
                    <option value="fitted" ?selected=${this.modelKey === 'fitted'}>${fitted.label}</option>
                  </optgroup>`
                : nothing
            }
          </select>
        </div>
        <button data-testid="patient-use-model" @click=${() => this.useSelectedModel()}>Use this model</button>
        <label
          >Or import a model (.study.json with fixed values)
          <input type="file" accept=".json,application/json" data-testid="patient-model-file" @change=${this.onModelFile}
        /></label>
      </div>
      <details data-testid="patient-model-editor" @toggle=${this.onEditorToggle}>
        <summary>Enter or edit a model by hand (the study spec's JSON, fixed values)</summary>
        <label for="p-model-text" class="hint"
          >Typical values (volumes in L, clearances in L per the spec's time unit), covariate effects with their <code>value</code>, Ω as
          SDs of log-normal η, residual error, <code>questions.endpoint</code> and <code>criterion</code> (see docs/patient.md).</label
        >
        <textarea
          id="p-model-text"
          rows="14"
          cols="90"
          spellcheck="false"
          .value=${this.modelText}
          @input=${(e: Event) => (this.modelText = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <div>
          <button
            data-testid="patient-model-text-use"
            @click=${() => this.setModel(this.modelText, 'the model entered by hand', 'entered by hand')}
          >
            Use the model as written
          </button>
        </div>
      </details>
      ${
        chosen
          ? html`<p data-testid="patient-model-name">
              Model: <strong>${chosen.name}</strong>${chosen.source ? html` <span class="hint">(${chosen.source})</span>` : nothing};
              target: ${criterionText(chosen.spec)}
              <button data-testid="patient-model-download" @click=${() => this.downloadModel(chosen)}>Download the model file</button>
            </p>`
          : nothing
      }
    </section>`;
  }

  /** The model in use as a `.study.json` file (fixed values), to keep, share or import elsewhere. */
  private downloadModel(chosen: Extract<ModelChoice, { ok: true }>): void {
    const text = JSON.stringify(chosen.document, null, 2);
    downloadBlob(new Blob([text], { type: 'application/json' }), `${fileNameOf(chosen.name)}.study.json`);
  }

  private async readHybrids(): Promise<void> {
    try {
      this.hybrids = await listHybridModels();
    } catch {
      this.hybrids = []; // no store (private mode): the library and files still work
    }
  }

  private renderPendingHybrid(pending: PendingHybrid): TemplateResult {
    return html`<fieldset data-testid="patient-hybrid">
      <legend>${pending.name}: this patient's values for the network</legend>
      <p class="hint">
        A hybrid model's covariate model is a network: for one patient it gives that patient's typical values, which then work as a fixed
        model (Ω and residual error of the hybrid). Change a value later: make the patient's model again.
      </p>
      <div class="row">
        ${pending.columns.map((c) =>
          this.field(`p-hybrid-${c}`, c, pending.values[c] ?? '', `hybrid.${c}`, (v) => (pending.values[c] = v)),
        )}
        ${
          pending.baseline
            ? this.field(
                'p-hybrid-baseline',
                'Pre-dose response (the last level before the first dose)',
                pending.values[BASELINE_PD_COLUMN] ?? '',
                'hybrid.baseline',
                (v) => (pending.values[BASELINE_PD_COLUMN] = v),
              )
            : nothing
        }
        <button data-testid="patient-hybrid-make" @click=${() => void this.makeHybridModel(pending)}>Make this patient's model</button>
      </div>
    </fieldset>`;
  }

  private async makeHybridModel(pending: PendingHybrid): Promise<void> {
    const number = (text: string | undefined): number => (text === undefined || text.trim() === '' ? NaN : Number(text));
    const covariates: Record<string, number> = {};
    const problems: PatientProblem[] = [];
    for (const c of pending.columns) {
      const x = number(pending.values[c]);
      if (Number.isFinite(x)) covariates[c] = x;
      else problems.push({ path: `hybrid.${c}`, message: 'give the patient’s value (a number)' });
    }
    const baseline = pending.baseline ? number(pending.values[BASELINE_PD_COLUMN]) : undefined;
    if (baseline !== undefined && !Number.isFinite(baseline))
      problems.push({ path: 'hybrid.baseline', message: 'this model reads the response before the first dose: give it' });
    this.problems = problems;
    if (problems.length > 0) return;
    try {
      hybridClient ??= new DosesClient();
      const document = await hybridClient.patientModel(pending.id, covariates, baseline);
      const given = Object.entries(covariates).map(([c, x]) => `${c} ${x}`);
      this.setModel(
        JSON.stringify(document),
        document.name,
        `hybrid model “${pending.name}” of the Model tab, its network evaluated for ${given.join(', ') || 'this patient'}`,
      );
      if (this.choice?.ok) this.pendingHybrid = null;
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  private useSelectedModel(): void {
    const hybrid = this.hybrids.find((m) => `hybrid:${m.id}` === this.modelKey);
    if (hybrid) {
      const inputs = hybrid.hybrid?.inputs ?? [];
      this.choice = null;
      this.form = null;
      this.result = null;
      this.message = '';
      this.problems = [];
      this.pendingHybrid = {
        id: hybrid.id,
        name: hybrid.name,
        columns: inputs.filter((c) => c !== BASELINE_PD_COLUMN).map((c) => c.toUpperCase()),
        baseline: inputs.includes(BASELINE_PD_COLUMN),
        values: {},
      };
      return;
    }
    this.pendingHybrid = null;
    if (this.modelKey === 'fitted') {
      const fitted = fittedModel();
      if (fitted) this.setModel(JSON.stringify(fitted.document), fitted.label, fitted.source);
      else this.message = 'The model fitted in the Doses tab is no longer there (another dataset was answered since?).';
      return;
    }
    const entry = MODEL_LIBRARY.find((m) => `library:${m.id}` === this.modelKey);
    if (entry) this.setModel(entry.text, entry.name, entry.citation);
  }

  private problem(path: string): string | undefined {
    const found = this.problems.filter((p) => p.path === path);
    return found.length > 0 ? found.map((p) => p.message).join('; ') : undefined;
  }

  private field(id: string, label: string, value: string, path: string, set: (v: string) => void, step = 'any'): TemplateResult {
    const problem = this.problem(path);
    const warning = this.result?.report.covariateWarnings.find((w) => `covariates.${w.column.toUpperCase()}` === path)?.message;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="text"
        inputmode="decimal"
        data-step=${step}
        .value=${value}
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${problem ? `${id}-problem` : nothing}
        @input=${(e: Event) => this.edit(() => set((e.target as HTMLInputElement).value))}
      />
      ${problem ? html`<span class="problem" id="${id}-problem" data-testid="${id}-problem">${problem}</span>` : nothing}
      ${!problem && warning ? html`<span class="warning" data-testid="${id}-warning">${warning}</span>` : nothing}
    </div>`;
  }

  private renderForm(form: PatientForm): TemplateResult {
    const choice = this.choice as Extract<ModelChoice, { ok: true }>;
    const units = choice.spec.units;
    const levelIndex = levelPaths(form);
    const hasPd = choice.spec.model.pd !== undefined;
    const known = new Set([
      ...Object.keys(form.covariates).map((c) => `covariates.${c}`),
      ...form.doses.flatMap((_, i) => ['time', 'amount', 'duration', 'every', 'count', 'route'].map((k) => `doses[${i}].${k}`)),
      ...levelIndex.flatMap((p) => (p ? [`${p}.time`, `${p}.value`, `${p}.endpoint`] : [])),
      'regimen.interval',
      'regimen.duration',
      'regimen.step',
      'probability',
      'name',
    ]);
    const other = this.problems.filter((p) => !known.has(p.path));
    return html`<section aria-labelledby="p-entry-h">
      <h3 id="p-entry-h">The patient</h3>
      ${this.renderSave()}
      <div class="row">
        <label
          >Import a patient (qpkpd-patient .json)
          <input type="file" accept=".json,application/json" data-testid="patient-file" @change=${this.onPatientFile}
        /></label>
      </div>
      <fieldset>
        <legend>Covariates</legend>
        <div class="row">
          ${Object.keys(form.covariates).map((c) =>
            this.field(`p-cov-${c}`, c, form.covariates[c], `covariates.${c}`, (v) => (form.covariates[c] = v)),
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Doses given (time in ${units.time}, amount in ${units.amount})</legend>
        ${form.doses.map(
          (d, i) =>
            html`<div class="row">
              ${this.field(`p-dose${i}-time`, 'Time', d.time, `doses[${i}].time`, (v) => (d.time = v))}
              ${this.field(`p-dose${i}-amount`, 'Amount', d.amount, `doses[${i}].amount`, (v) => (d.amount = v))}
              <div class="field">
                <label for="p-dose${i}-route">Route</label>
                <select id="p-dose${i}-route" @change=${(e: Event) => this.edit(() => (d.route = (e.target as HTMLSelectElement).value))}>
                  <option value="oral" ?selected=${d.route === 'oral'}>oral</option>
                  <option value="iv" ?selected=${d.route === 'iv'}>iv</option>
                </select>
              </div>
              ${
                d.route === 'iv'
                  ? this.field(
                      `p-dose${i}-duration`,
                      `Infusion over (${units.time}; empty: bolus)`,
                      d.duration,
                      `doses[${i}].duration`,
                      (v) => (d.duration = v),
                    )
                  : nothing
              }
              ${this.field(`p-dose${i}-every`, `Every (${units.time})`, d.every, `doses[${i}].every`, (v) => (d.every = v))}
              ${this.field(`p-dose${i}-count`, 'Count', d.count, `doses[${i}].count`, (v) => (d.count = v))}
              ${
                form.doses.length > 1
                  ? html`<button @click=${() => this.edit(() => form.doses.splice(i, 1))}>Remove dose ${i + 1}</button>`
                  : nothing
              }
            </div>`,
        )}
        <button
          @click=${() =>
            this.edit(() =>
              form.doses.push({
                time: '',
                amount: '',
                route: form.doses[0]?.route ?? 'oral',
                duration: form.doses[0]?.duration ?? '',
                every: '',
                count: '1',
              }),
            )}
        >
          Add a dose
        </button>
      </fieldset>
      <fieldset>
        <legend>Measured levels (concentration in ${units.concentration}${hasPd ? `, response in ${units.response}` : ''})</legend>
        ${form.levels.map(
          (l, i) =>
            html`<div class="row">
              ${this.field(`p-level${i}-time`, 'Time', l.time, `${levelIndex[i]}.time`, (v) => (l.time = v))}
              <div class="field">
                <label for="p-level${i}-endpoint">Endpoint</label>
                <select
                  id="p-level${i}-endpoint"
                  @change=${(e: Event) => this.edit(() => (l.endpoint = (e.target as HTMLSelectElement).value))}
                >
                  <option value="pk" ?selected=${l.endpoint === 'pk'}>concentration</option>
                  ${hasPd ? html`<option value="pd" ?selected=${l.endpoint === 'pd'}>response</option>` : nothing}
                </select>
              </div>
              ${this.field(`p-level${i}-value`, l.blq ? 'LOQ' : 'Value', l.value, `${levelIndex[i]}.value`, (v) => (l.value = v))}
              <label class="check"
                ><input
                  type="checkbox"
                  id="p-level${i}-blq"
                  .checked=${l.blq}
                  @change=${(e: Event) => this.edit(() => (l.blq = (e.target as HTMLInputElement).checked))}
                />
                below the LOQ</label
              >
              <button @click=${() => this.edit(() => form.levels.splice(i, 1))}>Remove level ${i + 1}</button>
            </div>`,
        )}
        <button
          @click=${() => this.edit(() => form.levels.push({ time: '', endpoint: choice.spec.questions?.endpoint ?? 'pk', value: '', blq: false }))}
        >
          Add a level
        </button>
      </fieldset>
      <fieldset>
        <legend>Regimen to recommend</legend>
        <div class="row">
          ${this.field('p-interval', `Interval (${units.time})`, form.interval, 'regimen.interval', (v) => (form.interval = v))}
          ${this.field('p-intervals', 'Also consider (e.g. 8, 12)', form.intervals, 'regimen.intervals', (v) => (form.intervals = v))}
          ${
            choice.spec.model.pk.route === 'iv'
              ? this.field(
                  'p-duration',
                  `Infusion over (${units.time}; empty: bolus)`,
                  form.duration,
                  'regimen.duration',
                  (v) => (form.duration = v),
                )
              : nothing
          }
          ${this.field('p-step', `Dose step (${units.amount})`, form.step, 'regimen.step', (v) => (form.step = v))}
          ${this.field('p-probability', 'Probability to reach', form.probability, 'probability', (v) => (form.probability = v))}
        </div>
      </fieldset>
      ${
        other.length > 0
          ? html`<p class="alert" role="alert" data-testid="patient-problems">${describePatientProblems(other)}</p>`
          : nothing
      }
    </section>`;
  }

  private renderIntervalOptions(options: IntervalOption[], units: StudySpec['units']): TemplateResult {
    const chosen = this.result?.report.recommendation.regimen.interval;
    return html`<table data-testid="interval-options">
      <caption>
        Each interval considered: the smallest dose reaching the probability (the least amount per day is recommended; a tie goes to the
        longer interval)
      </caption>
      <thead>
        <tr>
          <th scope="col">Interval (${units.time})</th>
          <th scope="col">Dose (${units.amount})</th>
          <th scope="col">Probability</th>
          <th scope="col">Per day (${units.amount})</th>
        </tr>
      </thead>
      <tbody>
        ${options.map(
          (o) =>
            html`<tr aria-current=${o.interval === chosen ? 'true' : nothing}>
              <td>${formatSignificant(o.interval)}${o.interval === chosen ? ' (recommended)' : ''}</td>
              <td>${o.dose === null ? 'none on the grid' : formatSignificant(o.dose)}</td>
              <td>${o.probability.toFixed(2)}</td>
              <td>${o.perDay === null ? '–' : formatSignificant(o.perDay)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderResult(): TemplateResult | typeof nothing {
    const result = this.result;
    const choice = this.choice;
    if (!result || !choice?.ok) return nothing;
    const r = result.report;
    const rec = r.recommendation;
    const units = choice.spec.units;
    const regimen = `every ${formatSignificant(rec.regimen.interval)} ${units.time} (${rec.regimen.route})`;
    const names = Object.keys(r.individual) as ModelParameter[];
    return html`<section aria-labelledby="p-result-h" data-testid="patient-result">
      <h3 id="p-result-h">Recommendation</h3>
      ${
        rec.dose !== null
          ? html`<p class="recommendation">
              Recommended dose: <strong data-testid="recommended-dose">${formatSignificant(rec.dose)} ${units.amount} ${regimen}</strong>,
              posterior probability <strong data-testid="recommended-probability">${rec.probability.toFixed(2)}</strong> of
              ${criterionText(choice.spec)} (asked: ${formatSignificant(rec.target)}); next dose at
              <span data-testid="next-dose">${formatSignificant(r.nextDose)} ${units.time}</span>.
            </p>`
          : html`<p class="recommendation" data-testid="recommended-dose">
              No dose on the grid reaches probability ${formatSignificant(rec.target)}; the highest is
              <span data-testid="recommended-probability">${rec.probability.toFixed(2)}</span>.
            </p>`
      }
      <p data-testid="steady-state">
        Steady state: about 90 % reached ${formatSignificant(r.steadyState.time90, 2)} ${units.time} after a change of dose (half-life
        ${formatSignificant(r.steadyState.halfLife, 2)} ${units.time}, set by ${steadyStateLimit(r.steadyState.limitedBy)}).
      </p>
      ${rec.options.length > 1 ? this.renderIntervalOptions(rec.options, units) : nothing}
      ${
        r.notes.length > 0
          ? html`<ul>
              ${r.notes.map((n) => html`<li>${n}</li>`)}
            </ul>`
          : nothing
      }
      <p><button data-testid="patient-print" @click=${() => void this.print()}>Print the dosing note</button></p>
      <div class="row">
        <div class="field">
          <label for="p-whatif">What-if dose (${units.amount} ${regimen})</label>
          <input
            id="p-whatif"
            type="text"
            inputmode="decimal"
            .value=${this.whatIfText}
            @input=${(e: Event) => this.setWhatIf((e.target as HTMLInputElement).value)}
          />
        </div>
        ${
          this.whatIfResult
            ? html`<p data-testid="whatif-probability-text">
                At ${formatSignificant(this.whatIfResult.dose)} ${units.amount}: probability
                <strong data-testid="whatif-probability">${this.whatIfResult.probability.toFixed(2)}</strong>
              </p>`
            : this.whatIfText.trim() !== ''
              ? html`<p class="problem" data-testid="whatif-problem">The what-if dose must be a number &gt; 0.</p>`
              : nothing
        }
      </div>
      <figure data-testid="patient-plot">
        ${patientPlot(result, this.whatIfResult, choice.spec)}
        <figcaption>
          Blue: predicted ${result.endpoint === 'pk' ? 'concentration' : 'response'} (median) with its 90 % band; dots: measured levels; red
          dashed: target${this.whatIfResult ? '; orange: continuing at the what-if dose' : ''}.
        </figcaption>
      </figure>
      <h3>Individual and population parameters</h3>
      <table data-testid="patient-parameters">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">This patient (MAP)</th>
            <th scope="col">Population (typical, same covariates)</th>
            <th scope="col">Unit</th>
            <th scope="col">η (SD)</th>
          </tr>
        </thead>
        <tbody>
          ${names.map(
            (n) =>
              html`<tr>
                <td>${n}</td>
                <td>${formatSignificant(r.individual[n] as number)}</td>
                <td>${formatSignificant(r.typical[n] as number)}</td>
                <td>${r.units[n] ?? ''}</td>
                <td>${r.eta[n] === undefined ? '–' : `${r.eta[n].toFixed(3)} (${(r.etaSd[n] as number).toFixed(3)})`}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p>
        Objective (−2 log posterior) ${formatSignificant(r.ofv, 5)}; ${r.levels} level(s); computed in
        ${formatSignificant(r.seconds * 1000, 2)} ms.
      </p>
    </section>`;
  }

  private setModel(text: string, name: string, source = ''): void {
    const choice = chooseModel(text, name, source);
    this.result = null;
    this.whatIfResult = null;
    if (!choice.ok) {
      this.message = choice.message;
      return;
    }
    this.message = '';
    this.choice = choice;
    this.form = emptyForm(choice.spec);
    this.problems = [];
    this.openedId = null;
    this.patientName = '';
    this.notice = '';
  }

  private async onModelFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > 1_000_000) {
      this.message = `${file.name} is larger than 1 MB: not a model file.`;
      return;
    }
    this.setModel(await file.text(), file.name);
    input.value = '';
  }

  private async onPatientFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    const choice = this.choice;
    if (!file || !choice?.ok) return;
    input.value = '';
    if (file.size > 5_000_000) {
      this.message = `${file.name} is larger than 5 MB: not a patient record.`;
      return;
    }
    const reading = readPatientRecordText(await file.text());
    if (!reading.ok) {
      this.message = `${file.name} is not a usable patient record: ${describePatientProblems(reading.problems)}.`;
      this.result = null;
      return;
    }
    const form = formOfRecord(choice.spec, reading.record);
    if (!form.ok) {
      this.message = `${file.name} does not fit this model: ${describePatientProblems(form.problems)}.`;
      this.result = null;
      return;
    }
    this.message = '';
    this.notice = form.converted ? `${file.name} is in units of its own: its values are shown converted to the model's units.` : '';
    this.form = form.form;
    this.recompute();
  }

  /** A change of the form: recompute shortly after typing stops. */
  private edit(change: () => void): void {
    vaultSession.touch();
    change();
    this.form = this.form ? { ...this.form } : null;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.recompute(), 150);
  }

  private recompute(): void {
    const choice = this.choice;
    const form = this.form;
    if (!choice?.ok || !form) return;
    const reading = readForm(choice.spec, form);
    this.whatIfResult = null;
    if (!reading.ok) {
      this.problems = reading.problems;
      this.result = null;
      return;
    }
    this.problems = [];
    try {
      this.result = computePatient(choice.spec, choice.model, reading.record);
      this.message = '';
      this.updateWhatIf();
    } catch (error) {
      this.result = null;
      this.message = (error as Error).message;
    }
  }

  private setWhatIf(text: string): void {
    this.whatIfText = text;
    this.updateWhatIf();
  }

  private updateWhatIf(): void {
    const result = this.result;
    const choice = this.choice;
    const dose = Number(this.whatIfText.trim());
    if (!result || !choice?.ok || this.whatIfText.trim() === '' || !(dose > 0)) {
      this.whatIfResult = null;
      return;
    }
    this.whatIfResult = whatIf(result, choice.spec, choice.model, dose);
  }
}

/** The population model the Doses tab fitted in this page (its last run), as a fixed-value model document. */
function fittedModel(): { label: string; source: string; document: unknown } | null {
  const run = dosesWorkspace.runs.find((r) => r.report.kind === 'mechanistic');
  if (run?.report.kind !== 'mechanistic' || run.report.patientModel === null) return null;
  const dataset = dosesWorkspace.runDatasetName ?? 'the open dataset';
  return {
    label: `Fitted to ${dataset} (Doses tab)`,
    source: `FOCE-I fit in the Doses tab to ${dataset}, this session`,
    document: run.report.patientModel,
  };
}

function steadyStateLimit(limitedBy: PatientResult['report']['steadyState']['limitedBy']): string {
  return limitedBy === 'elimination'
    ? 'elimination'
    : limitedBy === 'absorption'
      ? 'absorption'
      : limitedBy === 'KE0'
        ? 'the effect compartment (KE0)'
        : 'the response turnover (KOUT)';
}

/** The model's target in words: "PD below 3.3 ng/mL throughout the last dosing interval at steady state". */
function criterionText(spec: StudySpec): string {
  const q = spec.questions;
  return q ? questionInWords(spec, q.endpoint, q.criterion) : 'none given';
}

/** The reader's path of each level row (empty rows are left out of the document). */
function levelPaths(form: PatientForm): (string | null)[] {
  let k = 0;
  return form.levels.map((l) => (l.time.trim() !== '' || l.value.trim() !== '' ? `observations[${k++}]` : null));
}

customElements.define('qp-patient-view', PatientView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-patient-view': PatientView;
  }
}
