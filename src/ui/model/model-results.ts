/**
 * `<qp-model-results .current .reports .subjectSet .busy>`: the current model — how it was trained,
 * validation metrics (test metrics beside them once evaluated), training curves, expert usage,
 * saving, the once-only final test evaluation, and its predictions per subject set (PK and PD:
 * predicted vs observed, subject fits with MC-dropout bands, residuals over time).
 * For the mechanistic head, its covariate model; an external validation on another stored dataset.
 * Emits `save-requested` (name), `test-requested`, `subject-set-selected` (set) and
 * `external-requested` ({ id, name } of a stored dataset).
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ModelReport, TargetReport } from '../../model/report/types';
import type { ReportLabels } from '../../model/report/labels';
import type { StopReason } from '../../model/train-network';
import type { HybridFacts, TrainedModelFacts } from '../../model/trained-model';
import type { DatasetMeta } from '../../store/datasets';
import { BASELINE_PD_COLUMN } from '../../model/mechanistic/hybrid-baseline';
import { MODE_LABELS } from '../../model/training-config';
import { ENCODER_LABELS, isQuantumEncoder } from '../../quantum/resources/architecture';
import { NAME_MAX_LENGTH } from '../../store/names';
import { formatDate } from '../format';
import { controlStyles } from '../shared-styles';
import './expert-usage-plot';
import './metrics-table';
import { branchLabel, defaultModelName, splitLabel } from './model-labels';
import type { CurrentModel, ExternalResult, SubjectSet } from './model-workspace';
import { modelStyles } from './model-styles';
import './pred-vs-obs-plot';
import './residual-plot';
import './subject-fit-plot';
import './training-curve-plot';
import { formText } from '../form-text';
import { formatCount } from '../../text/format';

const SUBJECT_SETS: readonly { set: SubjectSet; label: string }[] = [
  { set: 'validation', label: 'Validation' },
  { set: 'training', label: 'Training' },
  { set: 'test', label: 'Test (final evaluation)' },
  { set: 'external', label: 'External file' },
];

/** What the two heads predict, for the predictions' caption. */
function predictionsCaption(report: ModelReport, head: TrainedModelFacts['config']['head']): string {
  if (head === 'mechanistic')
    return 'Typical predictions of the hybrid model: each subject’s covariates through the network, every random effect at 0 (no observation of the subject used).';
  return report.mcSamples > 1
    ? `Mean of ${report.mcSamples} MC-dropout samples, with 95 % bands.`
    : 'Deterministic predictions (no MC dropout).';
}

function stopLabel(stop: StopReason, patience: number): string {
  if (stop === 'early-stopping') return `early stopping (no better validation loss in ${patience} epoch${patience === 1 ? '' : 's'})`;
  return stop === 'max-epochs' ? 'reached the maximum epochs' : 'cancelled';
}

export class ModelResults extends LitElement {
  static override properties = {
    current: { attribute: false },
    reports: { attribute: false },
    subjectSet: { attribute: false },
    busy: { type: Boolean },
    labels: { attribute: false },
    datasets: { attribute: false },
    external: { attribute: false },
    confirmingTest: { state: true },
  };
  static override styles = [
    controlStyles,
    modelStyles,
    css`
      .facts {
        margin: 0 0 0.8rem;
      }
      .plots {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));
        gap: 0.8rem;
      }
      .target {
        border-top: 1px solid var(--qp-border, #c9d2db);
        margin-top: 0.8rem;
        padding-top: 0.4rem;
      }
      fieldset.sets {
        border: 0;
        padding: 0;
        margin: 0 0 0.6rem;
        display: flex;
        gap: 1rem;
        flex-wrap: wrap;
      }
      fieldset.sets legend {
        font-weight: 600;
        font-size: 0.85rem;
        margin-bottom: 0.3rem;
      }
      /* The epochs table fits a 1366 px screen: the long "stopped by" words and the headers wrap. */
      table.epochs thead th,
      table.epochs td.stop {
        white-space: normal;
      }
      table.epochs .stop {
        text-align: left;
        min-width: 11rem;
      }
      .confirm {
        margin-top: 0.6rem;
      }
      .confirm p {
        margin: 0 0 0.5rem;
      }
      form.save {
        display: flex;
        gap: 0.5rem;
        align-items: end;
        flex-wrap: wrap;
      }
      form.save input {
        min-width: 16rem;
      }
    `,
  ];

  declare current: CurrentModel;
  declare reports: Partial<Record<SubjectSet, ModelReport>>;
  declare subjectSet: SubjectSet;
  declare busy: boolean;
  declare confirmingTest: boolean;
  /** The model's endpoint names and units for the metrics table (trainedModelLabels); null: those of models saved before study specs. */
  declare labels: ReportLabels | null;
  /** The datasets stored in this browser: the external validation's choices (those other than the model's own data). */
  declare datasets: readonly DatasetMeta[];
  /** The current model's external validation, if one was run. */
  declare external: ExternalResult | null;

  constructor() {
    super();
    this.reports = {};
    this.subjectSet = 'validation';
    this.busy = false;
    this.confirmingTest = false;
    this.labels = null;
    this.datasets = [];
    this.external = null;
  }

  protected override render(): TemplateResult {
    const { facts, meta } = this.current;
    return html`<section class="card" data-testid="model-results" aria-labelledby="results-title">
      <h3 id="results-title">Results: ${meta ? `“${meta.name}”` : 'new model (not saved)'}</h3>
      <p class="facts muted" data-testid="model-facts">${this.describe(facts)}</p>
      ${facts.cancelled ? html`<p class="notice" data-tone="warning">Training was cancelled: this model holds the best epochs reached before the cancel.</p>` : nothing}
      ${
        this.current.datasetMatches
          ? nothing
          : html`<p class="notice" data-tone="warning" role="note" data-testid="fingerprint-warning">
              This model was trained on other data (“${facts.datasetName}”) than the dataset open now. Its predictions below are on the open
              dataset's subjects; its final test evaluation needs the original data.
            </p>`
      }
      <qp-metrics-table
        .validation=${facts.validation}
        .test=${facts.test}
        .external=${this.external?.metrics ?? null}
        .externalName=${this.external?.datasetName ?? ''}
        .labels=${this.labels}
      ></qp-metrics-table>
      ${facts.hybrid ? this.covariateModel(facts.hybrid) : nothing} ${this.training(facts)} ${this.saving()} ${this.testEvaluation(facts)}
      ${this.externalValidation(facts)}
      <qp-expert-usage-plot .usage=${facts.expertUsage}></qp-expert-usage-plot>
      ${this.predictions()}
    </section>`;
  }

  private describe(f: TrainedModelFacts): string {
    const c = f.config;
    const circuit = isQuantumEncoder(c.encoder) ? ` · ${c.qubits} qubits × ${c.layers} layers` : '';
    const how = c.head === 'mechanistic' ? 'mechanistic head (hybrid model)' : MODE_LABELS[c.mode];
    return (
      `${ENCODER_LABELS[c.encoder]} · ${how}${circuit} · hidden ${c.hidden}, depth ${c.depth} · split: ${splitLabel(c.split)} · ` +
      `trained on ${f.datasetName} in ${f.seconds.toFixed(1)} s · ${f.backendUsed.backend.toUpperCase()} (${f.backendUsed.reason})`
    );
  }

  private training(f: TrainedModelFacts): TemplateResult {
    return html`<h4>Training</h4>
      <div class="table-wrap">
        <table class="epochs" data-testid="epochs-table">
          <thead>
            <tr>
              <th scope="col">Network</th>
              <th scope="col">Epochs run</th>
              <th scope="col">Best epoch</th>
              <th scope="col" class="stop">Stopped by</th>
              <th scope="col">Parameters (classical + quantum)</th>
            </tr>
          </thead>
          <tbody>
            ${Object.entries(f.epochs).map(([branch, e]) => {
              // The mechanistic head trains one network over its rounds.
              const p = f.parameters[branch] ?? (f.hybrid ? f.parameters.hybrid : undefined);
              return html`<tr>
                <th scope="row">${branchLabel(branch)}</th>
                <td>${e.run}</td>
                <td>${e.best}</td>
                <td class="stop">${stopLabel(e.stop, f.config.patience)}</td>
                <td>${p ? `${formatCount(p.total)} (${formatCount(p.classical)} + ${formatCount(p.quantum)})` : '–'}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <qp-training-curve-plot .points=${f.curves}></qp-training-curve-plot>`;
  }

  /** The mechanistic head's covariate model: what the network shifts, from what, and the population objective per round. */
  private covariateModel(h: HybridFacts): TemplateResult {
    const structure = [h.structure.pk, h.structure.pd].filter((x) => x !== null).join(' + ');
    return html`<h4>Covariate model</h4>
      <p class="muted" data-testid="hybrid-facts">
        Population model ${structure ? `(${structure}) ` : ''}whose covariate model is the network: it shifts ${h.shifted.join(', ')} from
        ${h.inputs.map((c) => (c === BASELINE_PD_COLUMN ? 'the response before the first dose' : c)).join(', ')}. FOCE-I objective without
        covariates ${h.ofv.withoutCovariates.toFixed(1)}; after each round ${h.ofv.rounds.map((v) => v.toFixed(1)).join(', ')}; round
        ${h.ofv.keptRound} kept (the lowest). The Doses tab asks this model's dose questions (its hybrid model option).
      </p>`;
  }

  /** External validation: the model, unchanged, on every subject of another stored dataset of the same study. */
  private externalValidation(f: TrainedModelFacts): TemplateResult {
    const others = this.datasets.filter((d) => d.fingerprint !== f.fingerprint);
    return html`<h4>External validation</h4>
      ${
        others.length === 0
          ? html`<p class="muted" data-testid="external-none">
              Load another file of the same study (same columns and endpoints) in the side panel to evaluate this model on its subjects.
            </p>`
          : html`<form class="save" @submit=${this.onExternal}>
                <div class="field">
                  <label for="external-dataset">Another dataset of this study</label>
                  <select id="external-dataset" name="dataset" data-testid="external-dataset">
                    ${others.map((d) => html`<option value=${d.id}>${d.name} (${formatCount(d.subjectCount)} subjects)</option>`)}
                  </select>
                </div>
                <button type="submit" data-testid="external-evaluate" ?disabled=${this.busy}>Evaluate on this dataset</button>
              </form>
              <p class="muted">
                Every subject of the other file, read through this model's study; no observation of them is used. Its metrics join the table
                above and its predictions are shown under “External file”.
              </p>`
      }`;
  }

  private saving(): TemplateResult {
    const { meta, facts } = this.current;
    if (meta) return html`<p class="muted" data-testid="saved-as">Saved in this browser as “${meta.name}”.</p>`;
    return html`<h4>Save</h4>
      <form class="save" @submit=${this.onSave}>
        <div class="field">
          <label for="model-name">Model name</label>
          <input id="model-name" name="name" type="text" required maxlength=${NAME_MAX_LENGTH} .value=${defaultModelName(facts)} />
        </div>
        <button type="submit" data-testid="save-model" ?disabled=${this.busy}>Save in this browser</button>
      </form>`;
  }

  private testEvaluation(f: TrainedModelFacts): TemplateResult {
    const done = f.test !== null;
    const blocked = !this.current.datasetMatches;
    return html`<h4>Final test evaluation</h4>
      ${
        done
          ? html`<p class="muted" data-testid="test-done">
              The test subjects (${f.split.testIds.join(', ')}) were evaluated on ${formatDate(f.testEvaluatedAt as number)}; their metrics
              are the rows marked “final” above.
            </p>`
          : html`<p class="muted">
              The test subjects (${f.split.testIds.join(', ') || 'none'}) have not been looked at. Evaluate them once, when every choice
              about this model is final.
            </p>`
      }
      <button
        data-testid="final-test"
        ?disabled=${done || blocked || this.busy || this.confirmingTest}
        @click=${() => (this.confirmingTest = true)}
      >
        Final test evaluation${done ? ' (done)' : '…'}
      </button>
      ${
        this.confirmingTest && !done
          ? html`<div class="notice confirm" data-tone="warning" role="alertdialog" aria-labelledby="confirm-text">
              <p id="confirm-text">
                The test subjects can be evaluated <strong>once per model</strong>, and the app records that they were. Do it only after all
                choices (encoder, settings, epochs, which model to keep) are made: choosing again after seeing test results makes them
                optimistic.
              </p>
              <button class="primary" data-testid="confirm-final-test" @click=${this.onConfirmTest}>Evaluate the test subjects now</button>
              <button @click=${() => (this.confirmingTest = false)}>Not yet</button>
            </div>`
          : nothing
      }`;
  }

  private predictions(): TemplateResult {
    const report = this.reports[this.subjectSet];
    const firstPredictions = report
      ? Object.values(report.targets).flatMap((t) => t.points.slice(0, 3).map((p) => p.predicted.toPrecision(6)))
      : [];
    return html`<h4>Predictions</h4>
      <fieldset class="sets">
        <legend>Subjects</legend>
        ${SUBJECT_SETS.map(
          ({ set, label }) =>
            html`<label>
              <input
                type="radio"
                name="subject-set"
                value=${set}
                .checked=${set === this.subjectSet}
                ?disabled=${this.busy || ((set === 'test' || set === 'external') && !this.reports[set])}
                @change=${() => this.emit('subject-set-selected', set)}
              />
              ${label}
            </label>`,
        )}
      </fieldset>
      ${
        report
          ? html`<p class="muted">${predictionsCaption(report, this.current.facts.config.head)}</p>
              <div data-testid="predictions" data-subject-set=${report.subjectSet} data-first-predictions=${firstPredictions.join(' ')}>
                ${(['pk', 'pd'] as const).map((t) => (report.targets[t] ? this.target(report.targets[t], report.criterion) : nothing))}
              </div>`
          : html`<p class="muted">
              ${
                this.subjectSet === 'test'
                  ? 'The test predictions are shown right after the final evaluation.'
                  : this.subjectSet === 'external'
                    ? 'Evaluate the model on another dataset (above) to see its predictions there.'
                    : 'Computing predictions…'
              }
            </p>`
      }`;
  }

  private target(t: TargetReport, criterion: ModelReport['criterion']): TemplateResult {
    const title = `${t.target === 'pk' ? 'PK' : 'PD'}: ${t.name && t.name !== t.target.toUpperCase() ? t.name : t.target === 'pk' ? 'concentration' : 'response'}`;
    const own = criterion && criterion.target === t.target ? criterion : null;
    return html`<section class="target" data-target=${t.target} aria-label=${title}>
      <h4>${title}</h4>
      <div class="plots">
        <qp-pred-vs-obs-plot .report=${t}></qp-pred-vs-obs-plot>
        <qp-residual-plot .report=${t}></qp-residual-plot>
      </div>
      <qp-subject-fit-plot .report=${t} .levels=${own ? own.levels : null} .levelLabel=${own ? own.label : ''}></qp-subject-fit-plot>
    </section>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('confirmingTest') || changed.get('confirmingTest') === undefined) return;
    const target = this.confirmingTest ? 'confirm-final-test' : 'final-test';
    this.renderRoot.querySelector<HTMLElement>(`[data-testid=${target}]`)?.focus();
  }

  private readonly onSave = (event: Event): void => {
    event.preventDefault();
    const name = formText(event.target as HTMLFormElement, 'name').trim();
    if (name !== '') this.emit('save-requested', name);
  };

  private readonly onExternal = (event: Event): void => {
    event.preventDefault();
    const id = formText(event.target as HTMLFormElement, 'dataset');
    const chosen = this.datasets.find((d) => d.id === id);
    if (chosen) this.emit('external-requested', { id: chosen.id, name: chosen.name });
  };

  private readonly onConfirmTest = (): void => {
    this.confirmingTest = false;
    this.emit('test-requested', null);
  };

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('qp-model-results')) customElements.define('qp-model-results', ModelResults);

declare global {
  interface HTMLElementTagNameMap {
    'qp-model-results': ModelResults;
  }
}
