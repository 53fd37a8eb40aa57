/**
 * `<qp-claims-panel .data=${dataset} .spec=${StudySpec|null}>`: the poster's claims — fewer parameters, faster convergence,
 * faster inference, better generalisation on small data — checked for each quantum encoder against
 * its width-matched classical control, trained in a worker with the same settings and output head
 * (direct, or mechanistic: hybrid models). Each trained model is evaluated once on the withheld test
 * subjects (the study's split, named before the run). RMSE of the study's response (PK in a study
 * without one), named and in its unit.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { Dataset } from '../../data/types';
import type { ClaimsResult, ClaimsRow, RmsePair } from '../../model/experiments/claims';
import type { ExperimentProgress } from '../../model/experiments/progress';
import { QUANTUM_ENCODERS } from '../../model/experiments/quantum-encoders';
import { CLAIM_TITLES, type ClaimVerdict } from '../../model/experiments/verdicts';
import type { ModelMode } from '../../model/pkpd-model';
import { endpointTitle, experimentEndpoint } from '../../model/report/labels';
import type { StudySpec } from '../../study/study-spec';
import { DEFAULT_TRAINING_CONFIG, type TrainingHead, type TrainingSplit } from '../../model/training-config';
import { testSubjectIds } from '../../model/experiments/split-choice';
import { ENCODER_LABELS, type EncoderName } from '../../quantum/resources/architecture';
import { MAX_LAYERS, MAX_QUBITS } from '../../quantum/template';
import { runClaimsInWorker, type WithBackend } from '../../../workers/experiments-client';
import { formatSignificant } from '../../text/format';
import { noticeView } from '../run-notice';
import {
  advancedSizes,
  checkboxGroup,
  DEFAULT_RAW_SIZES,
  experimentSettings,
  formatDuration,
  formatZ,
  headField,
  headNote,
  modeField,
  parametersCell,
  progressView,
  type RawSizes,
  runBlocker,
  runButtons,
  type SizeKey,
  sizeField,
  sizeProblems,
  splitField,
  unitWords,
  workersNote,
} from './experiment-fields';
import { experimentStyles } from './experiment-styles';
import { ExperimentTask } from './experiment-task';

type Result = WithBackend<ClaimsResult>;

const range = (max: number): number[] => Array.from({ length: max }, (_, i) => i + 1);
const VERDICT_BADGES = { true: 'Supported', false: 'Not supported', null: 'Not measurable' } as const;

export class ClaimsPanel extends LitElement {
  static override properties = {
    data: { attribute: false },
    spec: { attribute: false },
    encoders: { state: true },
    head: { state: true },
    mode: { state: true },
    qubits: { state: true },
    layers: { state: true },
    split: { state: true },
    sizes: { state: true },
  };
  static override styles = experimentStyles;

  declare data: Dataset | null;
  /** The open dataset's study (its split's groups, the endpoint scored, its name and unit); null: EstData's defaults. */
  declare spec: StudySpec | null;
  declare encoders: readonly EncoderName[];
  declare head: TrainingHead;
  declare mode: ModelMode;
  declare qubits: number;
  declare layers: number;
  declare split: TrainingSplit;
  declare sizes: RawSizes;

  private readonly task = new ExperimentTask<ExperimentProgress, Result>(this, 'The claims check failed');
  /** The output head of the run whose result is shown. */
  private resultHead: TrainingHead = DEFAULT_TRAINING_CONFIG.head;

  constructor() {
    super();
    this.data = null;
    this.spec = null;
    this.encoders = QUANTUM_ENCODERS;
    this.head = DEFAULT_TRAINING_CONFIG.head;
    this.mode = DEFAULT_TRAINING_CONFIG.mode;
    this.qubits = DEFAULT_TRAINING_CONFIG.qubits;
    this.layers = DEFAULT_TRAINING_CONFIG.layers;
    this.split = DEFAULT_TRAINING_CONFIG.split;
    this.sizes = DEFAULT_RAW_SIZES;
  }

  protected override render(): TemplateResult {
    return html`<section aria-labelledby="claims-title">
      <h2 id="claims-title">Claims check: quantum models against width-matched classical controls</h2>
      <p class="intro">
        The poster claims that quantum models need fewer parameters, converge faster, infer faster and generalise better on small data. Each
        quantum encoder is trained beside its control — the same network with every circuit replaced by a classical layer of the same
        widths, q = tanh(dense(n → 4n)(a)) — and the numbers decide, whichever way they fall.
      </p>
      ${this.data ? this.controls(this.data) : html`<p class="note">Load a dataset to run the claims check.</p>`}
      ${this.task.running ? progressView('Model', this.task.progress, this.task.cancelling) : nothing}
      ${noticeView(this.task.notice, 'claims-notice', this.task.running)}
      ${this.task.result && !this.task.running ? this.results(this.task.result) : nothing}
    </section>`;
  }

  private controls(data: Dataset): TemplateResult {
    const running = this.task.running;
    const problems = sizeProblems(this.sizes);
    const blocker = runBlocker(this.encoders.length === 0 ? 'Choose at least one encoder.' : null, problems);
    // The subjects the worker will read: the study's split, by its groups.
    const testIds = testSubjectIds(data, this.split, this.spec);
    const models = 2 * this.encoders.length;
    return html`<div class="controls">
        ${checkboxGroup(
          'Quantum encoders',
          'encoders',
          QUANTUM_ENCODERS,
          this.encoders,
          (name) => ENCODER_LABELS[name],
          running,
          (names) => (this.encoders = names),
        )}
      </div>
      <div class="controls">
        ${headField(this.head, running, (head) => (this.head = head))}
        ${modeField(this.mode, running || this.head === 'mechanistic', (mode) => (this.mode = mode))}
        ${this.numberSelect('Qubits', 'qubits', range(MAX_QUBITS), this.qubits, (n) => (this.qubits = n))}
        ${this.numberSelect('Layers', 'layers', range(MAX_LAYERS), this.layers, (n) => (this.layers = n))}
        ${sizeField('epochs', this.sizes, problems.epochs, running, this.onSize)}
        ${splitField(this.split, running, (s) => (this.split = s))}
      </div>
      ${advancedSizes(this.sizes, problems, running, this.onSize)}
      <p class="note test-subjects" data-testid="test-subjects-note">
        Running the check reads the test subjects of this split (${testIds.length === 0 ? 'none' : `IDs ${testIds.join(', ')}`}) once per
        trained model: ${models} model${models === 1 ? '' : 's'}, each evaluated after its pair is trained. Choose the settings first — do
        not tune them on these numbers.
      </p>
      ${runButtons(running, blocker, this.run, () => this.task.cancel())}`;
  }

  private numberSelect(label: string, name: string, options: readonly number[], value: number, set: (n: number) => void): TemplateResult {
    return html`<label
      >${label}
      <select
        data-control=${name}
        ?disabled=${this.task.running}
        @change=${(e: Event) => set(Number((e.target as HTMLSelectElement).value))}
      >
        ${options.map((n) => html`<option value=${n} ?selected=${n === value}>${n}</option>`)}
      </select></label
    >`;
  }

  private readonly onSize = (key: SizeKey, value: string): void => {
    this.sizes = { ...this.sizes, [key]: value };
  };

  private readonly run = (): void => {
    const data = this.data;
    if (!data) return;
    const head = this.head;
    const options = {
      ...experimentSettings(head, this.mode, this.sizes),
      encoders: [...this.encoders],
      qubits: this.qubits,
      layers: this.layers,
    };
    void this.task.start((onProgress, signal, backend) => {
      this.resultHead = head;
      return runClaimsInWorker(data, this.split, options, onProgress, signal, backend);
    });
  };

  private results(r: Result): TemplateResult {
    const pairs = Array.from({ length: r.rows.length / 2 }, (_, i) => [r.rows[2 * i], r.rows[2 * i + 1]] as const);
    const seconds = r.rows.reduce((s, row) => s + row.trainingSeconds, 0);
    return html`<p class="outcome" role="status">
        ${r.cancelled ? `Cancelled: ${pairs.length} finished pair${pairs.length === 1 ? '' : 's'} shown; an unfinished pair is dropped untested` : 'Finished'}
        (training ${formatDuration(seconds * 1000)}, on ${r.backend.name}: ${r.backend.reason}${workersNote(r.workers)}).
      </p>
      ${pairs.length > 0 ? html`${headNote(this.resultHead)}${this.table(pairs)}` : nothing}
      ${pairs.map(([q]) =>
        this.verdicts(
          q,
          r.verdicts.filter((v) => v.encoder === q.encoder),
        ),
      )}
      ${
        pairs.length > 0
          ? html`<p class="note">
              One split and one seed, with few test subjects: differences of a few hundredths of a z-unit are within run-to-run noise.
              Inference times are this device's, with the circuits simulated.
            </p>`
          : nothing
      }`;
  }

  private table(pairs: readonly (readonly [ClaimsRow, ClaimsRow])[]): TemplateResult {
    const endpoint = experimentEndpoint(this.spec);
    const title = endpointTitle(endpoint);
    const pd = endpoint.target === 'pd';
    const hybrid = this.resultHead === 'mechanistic';
    const loss = hybrid
      ? "mean squared η/ω of the covariate network's kept round"
      : `MSE (z) of the ${pd ? 'PD network (multitask: the network)' : 'PK network'}`;
    return html`<div class="table-wrap">
      <table data-testid="claims-table">
        <caption>
          Each quantum model beside its width-matched control. Parameters: ${hybrid ? 'the covariate network' : 'all networks of the model'}
          (circuit angles in brackets). Validation loss: ${loss}. RMSE${hybrid ? ' of the typical predictions' : ''} in z-units of the
          training scaler, ${unitWords(endpoint)} in brackets.
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Parameters (circuit)</th>
            <th scope="col">Epochs to the control's best val loss</th>
            <th scope="col">Best val loss (epoch)</th>
            <th scope="col">Inference µs / ${hybrid ? 'subject (covariate network)' : 'sample'}</th>
            <th scope="col">Val ${title} RMSE</th>
            <th scope="col">Test ${title} RMSE</th>
            ${pd ? html`<th scope="col">Test PK RMSE</th>` : nothing}
          </tr>
        </thead>
        ${pairs.map(
          ([q, c]) =>
            html`<tbody>
              ${this.row(q, endpoint.target)}${this.row(c, endpoint.target)}
            </tbody>`,
        )}
      </table>
    </div>`;
  }

  private row(r: ClaimsRow, target: 'pk' | 'pd'): TemplateResult {
    return html`<tr data-encoder=${r.encoder} data-kind=${r.quantumBlocks}>
      <th scope="row">${r.label}${r.quantumBlocks === 'circuit' ? nothing : html` <span class="sub">(classical)</span>`}</th>
      <td>${parametersCell(r.parameters)}</td>
      <td>${r.epochsToControlBest ?? html`never <span class="sub">in ${r.epochsRun}</span>`}</td>
      <td>${formatZ(r.bestValLoss)} <span class="sub">(${r.bestEpoch})</span></td>
      <td>${formatSignificant(r.inferenceMicroseconds, 3)}</td>
      <td>${rmse(r.validation[target])}</td>
      <td>${rmse(r.test[target])}</td>
      ${target === 'pd' ? html`<td>${rmse(r.test.pk)}</td>` : nothing}
    </tr>`;
  }

  private verdicts(q: ClaimsRow, verdicts: readonly ClaimVerdict[]): TemplateResult {
    return html`<h3>${q.label}: the claims</h3>
      <ul class="verdicts" data-testid="claims-verdicts" data-encoder=${q.encoder}>
        ${verdicts.map(
          (v) =>
            html`<li data-claim=${v.claim} data-holds=${String(v.holds)}>
              <strong>${CLAIM_TITLES[v.claim]}:</strong>
              <span class="badge">${VERDICT_BADGES[String(v.holds) as keyof typeof VERDICT_BADGES]}</span> ${v.text}
            </li>`,
        )}
      </ul>`;
  }
}

const rmse = (p: RmsePair | null): TemplateResult | string =>
  p ? html`${formatZ(p.rmseZ)} <span class="sub">(${formatSignificant(p.rmse, 3)})</span>` : '–';

if (!customElements.get('qp-claims-panel')) customElements.define('qp-claims-panel', ClaimsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-claims-panel': ClaimsPanel;
  }
}
