/**
 * `<qp-dose-form .values=${DoseFormValues} .spec=${StudySpec} .networks=${TrainedModelMeta[]} .fingerprint=${string|null}
 * ?can-save ?disabled>`: the study's dose questions as fields — the criterion (endpoint, rule, threshold or range,
 * window), the targets, the regimens and the scenarios (each covariate of the file drawn from a
 * distribution or resampled from the trial), added and removed as the study needs — plus the run
 * options that are not part of the study and the models to answer with. Checked as the user types by
 * the one validator of study specs (dose-form-model.ts `checkDoseForm`), each problem under its field.
 * Emits `form-changed` (DoseFormValues) with every edit, `run-requested` ({ values, spec, options })
 * with valid values, and `save-requested` (the spec with these questions) for "Save to study".
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { DoseRunOptions } from '../../dose/dose-run-report';
import { questionInWords } from '../../dose/dose-run-report';
import type { TrainedModelMeta } from '../../model/trained-model';
import { ENCODER_LABELS, ENCODER_NAMES, type EncoderName } from '../../quantum/resources/architecture';
import { CRITERION_RULES, CRITERION_WINDOWS, PK_ROUTES, type StudySpec } from '../../study/study-spec';
import { STUDY_LIMITS } from '../../study/study-spec-reader';
import { modelStyles } from '../model/model-styles';
import { controlStyles, formStyles } from '../shared-styles';
import {
  addRegimen,
  addScenario,
  checkDoseForm,
  checkQuestions,
  DISTRIBUTION_KINDS,
  DISTRIBUTION_LABELS,
  type DistributionDraft,
  type DoseFormProblems,
  type DoseFormValues,
  problemAt,
  type QuestionsDraft,
  type RegimenDraft,
  removeAt,
  RULE_LABELS,
  type ScenarioDraft,
  WINDOW_LABELS,
} from './dose-form-model';

export interface DoseRunRequested {
  values: DoseFormValues;
  spec: StudySpec;
  options: DoseRunOptions;
}

const ROUTE_LABELS: Readonly<Record<(typeof PK_ROUTES)[number], string>> = { oral: 'oral', iv: 'IV (bolus or infusion)' };

export class DoseForm extends LitElement {
  static override properties = {
    values: { attribute: false },
    spec: { attribute: false },
    networks: { attribute: false },
    fingerprint: { attribute: false },
    canSave: { type: Boolean, attribute: 'can-save' },
    disabled: { type: Boolean },
    draft: { state: true },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    formStyles,
    css`
      fieldset.group {
        margin-top: 0.9rem;
      }
      fieldset.item {
        border: 1px solid var(--qp-border, #c9d2db);
        border-radius: 6px;
        padding: 0.5rem 0.6rem 0.6rem;
        margin: 0.4rem 0 0;
      }
      legend {
        font-weight: 600;
        font-size: 0.95rem;
        padding: 0;
        margin-bottom: 0.3rem;
      }
      fieldset.item > legend {
        font-size: 0.85rem;
        padding: 0 0.2rem;
      }
      .covariates {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr));
        gap: 0.5rem 1rem;
        margin-top: 0.5rem;
      }
      .covariate {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 0.5rem;
        align-items: end;
      }
      .covariate .field {
        width: 5.5rem;
      }
      .covariate .field.kind {
        width: 8rem;
      }
      .covariate .field.values {
        width: 13rem;
      }
      .model-list {
        display: flex;
        flex-direction: column;
        gap: 0.3rem;
      }
      .model-list .muted {
        margin-left: 1.6rem;
      }
      .item-actions {
        margin-top: 0.4rem;
      }
      p.question {
        margin: 0.5rem 0 0;
        font-weight: 600;
      }
      ul.problems {
        margin: 0.3rem 0 0;
      }
    `,
  ];

  /** The initial values (the form is not reset when this changes mid-edit, except for networks offered ticked). */
  declare values: DoseFormValues;
  /** The open dataset's study spec: units, endpoints, and the rest of the study the questions are checked with. */
  declare spec: StudySpec;
  declare networks: readonly TrainedModelMeta[];
  /** Fingerprint of the open dataset, to mark networks trained on other data. */
  declare fingerprint: string | null;
  /** The open dataset is stored, so "Save to study" can write the questions to its spec. */
  declare canSave: boolean;
  declare disabled: boolean;
  declare draft: DoseFormValues | null;
  /** The encoder the hybrid model's select shows while the hybrid model is not chosen. */
  private hybridEncoder: EncoderName = 'qnn-resmlp-moe';

  constructor() {
    super();
    this.networks = [];
    this.fingerprint = null;
    this.canSave = false;
    this.disabled = false;
    this.draft = null;
  }

  private get current(): DoseFormValues {
    return this.draft ?? this.values;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
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
    const check = checkDoseForm(this.spec, values);
    const p = check.problems;
    const q = values.questions;
    const placed = this.placedPaths(values);
    const unplaced = Object.entries(p).filter(
      ([path]) => !placed.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`)),
    );
    return html`<form novalidate @submit=${this.onSubmit} aria-label="Dose question settings">
      <fieldset ?disabled=${this.disabled}>
        ${this.criterion(q, p)}
        ${
          check.spec?.questions
            ? html`<p class="question" data-testid="dose-question">
                Question: the dose at which the target share of virtual subjects has
                ${questionInWords(check.spec, check.spec.questions.endpoint, check.spec.questions.criterion)}.
              </p>`
            : nothing
        }
        ${this.regimens(q, p)} ${this.scenarios(q, p)} ${this.runOptions(values, p)} ${this.models(values, p)}
        <div class="actions">
          <button class="primary" type="submit" data-testid="run-doses">Run</button>
          ${this.canSave ? html`<button type="button" data-testid="save-questions" @click=${this.onSave}>Save to study</button>` : nothing}
          ${Object.keys(p).length > 0 ? html`<span class="problem" role="alert">Correct the marked fields to run.</span>` : nothing}
        </div>
        ${
          unplaced.length > 0
            ? html`<ul class="problems problem" data-testid="dose-form-problems">
                ${unplaced.map(([path, message]) => html`<li>${path}: ${message}</li>`)}
              </ul>`
            : nothing
        }
      </fieldset>
    </form>`;
  }

  /** Paths that have a field of their own (problems elsewhere are listed under the form). */
  private placedPaths(values: DoseFormValues): string[] {
    const q = values.questions;
    return [
      'questions.endpoint',
      'questions.criterion',
      'questions.virtualSubjects',
      'questions.seed',
      'questions.targets',
      ...q.regimens.map((_, i) => `questions.regimens[${i}]`),
      ...q.scenarios.map((_, i) => `questions.scenarios[${i}]`),
      'run',
      'models',
    ];
  }

  private criterion(q: QuestionsDraft, p: DoseFormProblems): TemplateResult {
    const unit = (endpoint: string): string => (endpoint === 'pk' ? this.spec.units.concentration : (this.spec.units.response ?? ''));
    const u = unit(q.endpoint);
    const endpoints = (['pk', 'pd'] as const).filter((e) => this.spec.endpoints[e]);
    const targetsProblem = problemAt(p, 'questions.targets');
    return html`<fieldset class="group">
      <legend>Question</legend>
      <div class="fields">
        ${this.select(
          'q-endpoint',
          'Endpoint',
          q.endpoint,
          endpoints.map((e) => [e, `${e.toUpperCase()}${this.spec.endpoints[e]?.name ? ` (${this.spec.endpoints[e]?.name})` : ''}`]),
          (v) => this.editQuestions({ endpoint: v }),
          problemAt(p, 'questions.endpoint'),
        )}
        ${this.select(
          'q-rule',
          'Success when the endpoint is',
          q.rule,
          CRITERION_RULES.map((r) => [r, RULE_LABELS[r]]),
          (v) => this.editQuestions({ rule: v }),
          p['questions.criterion.rule'],
        )}
        ${
          q.rule === 'within'
            ? html`${this.input('q-low', `Range low${u ? ` (${u})` : ''}`, q.low, (v) => this.editQuestions({ low: v }), p['questions.criterion.range[0]'] ?? p['questions.criterion.range'] ?? p['questions.criterion'])}
              ${this.input('q-high', `Range high${u ? ` (${u})` : ''}`, q.high, (v) => this.editQuestions({ high: v }), p['questions.criterion.range[1]'])}`
            : this.input(
                'q-threshold',
                `Threshold${u ? ` (${u})` : ''}`,
                q.threshold,
                (v) => this.editQuestions({ threshold: v }),
                p['questions.criterion.threshold'] ?? p['questions.criterion'],
              )
        }
        ${this.select(
          'q-window',
          'Over the last interval at steady state',
          q.window,
          CRITERION_WINDOWS.map((w) => [w, WINDOW_LABELS[w]]),
          (v) => this.editQuestions({ window: v }),
          p['questions.criterion.window'],
        )}
        ${q.targets.map((t, i) =>
          this.input(
            `q-target-${i}`,
            `Target ${i + 1} (% of subjects)`,
            t,
            (v) => this.editQuestions({ targets: q.targets.map((x, k) => (k === i ? v : x)) }),
            p[`questions.targets[${i}]`],
          ),
        )}
        ${this.input('q-virtual', 'Virtual subjects (N)', q.virtualSubjects, (v) => this.editQuestions({ virtualSubjects: v }), p['questions.virtualSubjects'], 'number', '1')}
        ${this.input('q-seed', 'Seed', q.seed, (v) => this.editQuestions({ seed: v }), p['questions.seed'], 'number', '1')}
      </div>
      <div class="item-actions">
        ${
          q.targets.length < STUDY_LIMITS.targets
            ? html`<button type="button" @click=${() => this.editQuestions({ targets: [...q.targets, ''] })}>Add a target</button>`
            : nothing
        }
        ${
          q.targets.length > 1
            ? html`<button type="button" @click=${() => this.editQuestions({ targets: q.targets.slice(0, -1) })}>
                Remove the last target
              </button>`
            : nothing
        }
        ${targetsProblem && !q.targets.some((_, i) => p[`questions.targets[${i}]`]) ? html`<span class="problem">${targetsProblem}</span>` : nothing}
      </div>
    </fieldset>`;
  }

  private regimens(q: QuestionsDraft, p: DoseFormProblems): TemplateResult {
    const t = this.spec.units.time;
    const a = this.spec.units.amount;
    return html`<fieldset class="group">
      <legend>Regimens</legend>
      ${repeat(
        q.regimens,
        (r) => r.key,
        (r, i) => {
          const path = `questions.regimens[${i}]`;
          const edit = (change: Partial<RegimenDraft>): void =>
            this.editQuestions({ regimens: q.regimens.map((x, k) => (k === i ? { ...x, ...change } : x)) });
          const id = `r${r.key}`;
          return html`<fieldset class="item" data-testid="regimen">
            <legend>Regimen ${i + 1}${r.name.trim() ? `: ${r.name.trim()}` : ''}</legend>
            <div class="fields">
              ${this.input(`${id}-name`, 'Name', r.name, (v) => edit({ name: v }), p[`${path}.name`], 'text')}
              ${this.input(`${id}-interval`, `Dosing interval (${t})`, r.interval, (v) => edit({ interval: v }), p[`${path}.interval`])}
              ${this.select(
                `${id}-route`,
                'Route',
                r.route,
                PK_ROUTES.map((x) => [x, ROUTE_LABELS[x]]),
                (v) => edit({ route: v, ...(v === 'oral' ? { duration: '' } : {}) }),
                p[`${path}.route`],
              )}
              ${
                r.route === 'iv'
                  ? this.input(
                      `${id}-duration`,
                      `Infusion duration (${t}; empty: bolus)`,
                      r.duration,
                      (v) => edit({ duration: v }),
                      p[`${path}.duration`],
                    )
                  : nothing
              }
              ${this.input(`${id}-loading`, 'Loading dose (× dose; empty: none)', r.loading, (v) => edit({ loading: v }), p[`${path}.loading`])}
              ${this.input(`${id}-step`, `Dose step (${a})`, r.step, (v) => edit({ step: v }), p[`${path}.step`])}
              ${this.input(`${id}-max`, `Largest dose (${a}; empty: 60 steps)`, r.max, (v) => edit({ max: v }), p[`${path}.max`])}
            </div>
            ${
              problemAt(p, path) && !Object.keys(p).some((k) => k.startsWith(`${path}.`))
                ? html`<span class="problem">${problemAt(p, path)}</span>`
                : nothing
            }
            ${
              q.regimens.length > 1
                ? html`<div class="item-actions">
                    <button type="button" @click=${() => this.editQuestions({ regimens: removeAt(q.regimens, i) })}>
                      Remove regimen ${i + 1}
                    </button>
                  </div>`
                : nothing
            }
          </fieldset>`;
        },
      )}
      ${
        q.regimens.length < STUDY_LIMITS.regimens
          ? html`<div class="item-actions">
              <button type="button" @click=${() => this.editQuestions(addRegimen(q))}>Add a regimen</button>
            </div>`
          : nothing
      }
    </fieldset>`;
  }

  private scenarios(q: QuestionsDraft, p: DoseFormProblems): TemplateResult {
    return html`<fieldset class="group">
      <legend>Scenarios (virtual populations)</legend>
      <p class="muted">
        Each covariate is drawn as given; covariates left “resampled” are taken together from a trial subject, so their correlations stay.
      </p>
      ${repeat(
        q.scenarios,
        (s) => s.key,
        (s, i) => {
          const path = `questions.scenarios[${i}]`;
          const edit = (change: Partial<ScenarioDraft>): void =>
            this.editQuestions({ scenarios: q.scenarios.map((x, k) => (k === i ? { ...x, ...change } : x)) });
          const id = `s${s.key}`;
          return html`<fieldset class="item" data-testid="scenario">
            <legend>Scenario ${i + 1}${s.name.trim() ? `: ${s.name.trim()}` : ''}</legend>
            <div class="fields">${this.input(`${id}-name`, 'Name', s.name, (v) => edit({ name: v }), p[`${path}.name`], 'text')}</div>
            <div class="covariates">
              ${Object.entries(s.covariates).map(([column, d], c) =>
                this.distribution(`${id}-c${c}`, column, d, `${path}.covariates.${column}`, p, (change) =>
                  edit({ covariates: { ...s.covariates, [column]: { ...d, ...change } } }),
                ),
              )}
            </div>
            ${p[`${path}.covariates`] ? html`<span class="problem">${p[`${path}.covariates`]}</span>` : nothing}
            ${
              q.scenarios.length > 1
                ? html`<div class="item-actions">
                    <button type="button" @click=${() => this.editQuestions({ scenarios: removeAt(q.scenarios, i) })}>
                      Remove scenario ${i + 1}
                    </button>
                  </div>`
                : nothing
            }
          </fieldset>`;
        },
      )}
      ${
        q.scenarios.length < STUDY_LIMITS.scenarios
          ? html`<div class="item-actions">
              <button type="button" @click=${() => this.editQuestions(addScenario(q))}>Add a scenario</button>
            </div>`
          : nothing
      }
    </fieldset>`;
  }

  private distribution(
    id: string,
    column: string,
    d: DistributionDraft,
    path: string,
    p: DoseFormProblems,
    edit: (change: Partial<DistributionDraft>) => void,
  ): TemplateResult {
    const problem = problemAt(p, path);
    const fields = (): TemplateResult | typeof nothing => {
      switch (d.kind) {
        case 'uniform':
          return html`${this.input(`${id}-a`, `${column} from`, d.a, (v) => edit({ a: v }), undefined)}
          ${this.input(`${id}-b`, `${column} to`, d.b, (v) => edit({ b: v }), undefined)}`;
        case 'normal':
          return html`${this.input(`${id}-a`, `${column} mean`, d.a, (v) => edit({ a: v }), undefined)}
          ${this.input(`${id}-b`, `${column} SD`, d.b, (v) => edit({ b: v }), undefined)}
          ${this.input(`${id}-low`, `${column} lowest (optional)`, d.low, (v) => edit({ low: v }), undefined)}
          ${this.input(`${id}-high`, `${column} highest (optional)`, d.high, (v) => edit({ high: v }), undefined)}`;
        case 'share':
          return this.input(`${id}-a`, `${column} = 1 in (%)`, d.a, (v) => edit({ a: v }), undefined);
        case 'values':
          return html`<div class="field values">
            <label for="f-${id}-values">${column} values (comma-separated)</label>
            <input
              id="f-${id}-values"
              type="text"
              value=${d.values}
              @input=${(e: Event) => edit({ values: (e.target as HTMLInputElement).value })}
            />
          </div>`;
        default:
          return nothing;
      }
    };
    return html`<div class="covariate" data-covariate=${column}>
      <div class="field kind">
        <label for="f-${id}-kind">${column}</label>
        <select
          id="f-${id}-kind"
          aria-invalid=${problem ? 'true' : 'false'}
          aria-describedby=${problem ? `f-${id}-problem` : nothing}
          @change=${(e: Event) => edit({ kind: (e.target as HTMLSelectElement).value as DistributionDraft['kind'] })}
        >
          ${DISTRIBUTION_KINDS.map((k) => html`<option value=${k} ?selected=${d.kind === k}>${DISTRIBUTION_LABELS[k]}</option>`)}
        </select>
      </div>
      ${fields()} ${problem ? html`<span class="problem" id="f-${id}-problem">${problem}</span>` : nothing}
    </div>`;
  }

  private runOptions(values: DoseFormValues, p: DoseFormProblems): TemplateResult {
    const r = values.run;
    const edit = (change: Partial<DoseFormValues['run']>): void => this.edit({ ...this.current, run: { ...this.current.run, ...change } });
    return html`<fieldset class="group">
      <legend>Run options (not part of the study)</legend>
      <div class="fields">
        ${this.select(
          'o-method',
          'Search method',
          r.method,
          [
            ['bisection', 'Bisection'],
            ['mcts', 'MCTS'],
          ],
          (v) => edit({ method: v }),
          p['run.method'],
        )}
        ${this.input('o-uncertainty', 'Uncertainty replicates (0 = no bands)', r.uncertaintyReplicates, (v) => edit({ uncertaintyReplicates: v }), p['run.uncertaintyReplicates'], 'number', '1')}
        ${this.input('o-vpc', 'VPC replicates (0 = no VPC)', r.vpcReplicates, (v) => edit({ vpcReplicates: v }), p['run.vpcReplicates'], 'number', '1')}
      </div>
      <p class="muted">
        The other search runs beside the chosen one (for networks only when MCTS is chosen). Uncertainty replicates are models drawn from
        the population fit's covariance; networks get bands as an ensemble. Save to study keeps the questions with the dataset; run options
        and models stay in this page.
      </p>
    </fieldset>`;
  }

  private models(values: DoseFormValues, problems: DoseFormProblems): TemplateResult {
    const edit = (change: Partial<DoseFormValues>): void => this.edit({ ...this.current, ...change });
    return html`<fieldset class="group" aria-describedby=${problems.models ? 'f-models-problem' : nothing}>
      <legend>Models</legend>
      <div class="model-list">
        <div class="field check">
          <input
            id="f-mechanistic"
            name="mechanistic"
            type="checkbox"
            .checked=${values.mechanistic}
            @change=${(e: Event) => edit({ mechanistic: (e.target as HTMLInputElement).checked })}
          />
          <label for="f-mechanistic">Population model of the study (fitted to this dataset; the reference)</label>
        </div>
        <div class="field check">
          <input
            id="f-hybrid"
            name="hybrid"
            type="checkbox"
            .checked=${values.hybrid !== null}
            @change=${(e: Event) => edit({ hybrid: (e.target as HTMLInputElement).checked ? this.hybridEncoder : null })}
          />
          <label for="f-hybrid">Hybrid model: the population model with a covariate network (fitted to this dataset)</label>
        </div>
        ${this.select(
          'hybrid-encoder',
          'Covariate network',
          values.hybrid ?? this.hybridEncoder,
          ENCODER_NAMES.map((name) => [name, ENCODER_LABELS[name]] as const),
          (value) => {
            this.hybridEncoder = value as EncoderName;
            if (this.current.hybrid !== null) edit({ hybrid: this.hybridEncoder });
          },
          undefined,
        )}
        ${this.networks.map(
          (m) =>
            html`<div class="field check">
                <input
                  id="f-net-${m.id}"
                  name="network"
                  value=${m.id}
                  type="checkbox"
                  .checked=${values.networkIds.includes(m.id)}
                  @change=${(e: Event) => {
                    const ids = this.current.networkIds.filter((x) => x !== m.id);
                    edit({ networkIds: (e.target as HTMLInputElement).checked ? [...ids, m.id] : ids });
                  }}
                />
                <label for="f-net-${m.id}">${m.name}</label>
              </div>
              ${
                this.fingerprint !== null && m.fingerprint !== this.fingerprint
                  ? html`<span class="muted">Trained on another dataset (${m.datasetName}).</span>`
                  : nothing
              }`,
        )}
        ${
          this.networks.length === 0
            ? html`<span class="muted">No trained networks are saved in this browser; train and save one in the Model tab.</span>`
            : nothing
        }
        ${
          this.networks.length > 1
            ? html`<div class="field check">
                <input
                  id="f-ensemble"
                  name="ensemble"
                  type="checkbox"
                  .checked=${values.ensemble}
                  @change=${(e: Event) => edit({ ensemble: (e.target as HTMLInputElement).checked })}
                />
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

  private input(
    id: string,
    label: string,
    value: string,
    onValue: (value: string) => void,
    problem: string | undefined,
    type: 'number' | 'text' = 'number',
    step = 'any',
  ): TemplateResult {
    return html`<div class="field">
      <label for="f-${id}">${label}</label>
      <input
        id="f-${id}"
        type=${type}
        step=${type === 'number' ? step : nothing}
        inputmode=${type === 'number' ? 'decimal' : nothing}
        value=${value}
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${problem ? `f-${id}-problem` : nothing}
        @input=${(e: Event) => onValue((e.target as HTMLInputElement).value)}
      />
      ${problem ? html`<span class="problem" id="f-${id}-problem">${problem}</span>` : nothing}
    </div>`;
  }

  private select(
    id: string,
    label: string,
    value: string,
    options: readonly (readonly [string, string])[],
    onValue: (value: string) => void,
    problem: string | undefined,
  ): TemplateResult {
    return html`<div class="field">
      <label for="f-${id}">${label}</label>
      <select
        id="f-${id}"
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${problem ? `f-${id}-problem` : nothing}
        @change=${(e: Event) => onValue((e.target as HTMLSelectElement).value)}
      >
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>
      ${problem ? html`<span class="problem" id="f-${id}-problem">${problem}</span>` : nothing}
    </div>`;
  }

  private editQuestions(change: Partial<QuestionsDraft>): void {
    this.edit({ ...this.current, questions: { ...this.current.questions, ...change } });
  }

  private edit(values: DoseFormValues): void {
    this.draft = values;
    this.dispatchEvent(new CustomEvent<DoseFormValues>('form-changed', { detail: values, bubbles: true, composed: true }));
  }

  private focusFirstProblem(): void {
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()).catch(() => undefined);
  }

  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const values = this.current;
    const check = checkDoseForm(this.spec, values);
    if (!check.spec || !check.options) {
      if (check.problems.models && Object.keys(check.problems).length === 1)
        this.renderRoot.querySelector<HTMLElement>('#f-mechanistic')?.focus();
      else this.focusFirstProblem();
      return;
    }
    this.dispatchEvent(
      new CustomEvent<DoseRunRequested>('run-requested', {
        detail: { values, spec: check.spec, options: check.options },
        bubbles: true,
        composed: true,
      }),
    );
  };

  private readonly onSave = (): void => {
    const check = checkQuestions(this.spec, this.current.questions);
    if (!check.spec) {
      this.focusFirstProblem();
      return;
    }
    this.dispatchEvent(new CustomEvent<StudySpec>('save-requested', { detail: check.spec, bubbles: true, composed: true }));
  };
}

if (!customElements.get('qp-dose-form')) customElements.define('qp-dose-form', DoseForm);

declare global {
  interface HTMLElementTagNameMap {
    'qp-dose-form': DoseForm;
  }
}
