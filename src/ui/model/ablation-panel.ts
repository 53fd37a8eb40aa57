/**
 * `<qp-ablation-panel .data=${dataset} .spec=${StudySpec|null}>`: the qubits × layers ablation of a
 * quantum encoder with either output head (direct, or mechanistic: hybrid models), as the poster's
 * heatmaps — one model per cell, trained in a worker and scored on
 * the validation subjects (the test subjects are never read); a heatmap of the validation RMSE of the
 * study's response (PK in a study without one; experimentEndpoint) and a table of every cell, in the
 * study's names and units.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import type { Dataset } from '../../data/types';
import type { AblationCell, AblationProgress, AblationResult } from '../../model/experiments/ablation';
import { QUANTUM_ENCODERS } from '../../model/experiments/quantum-encoders';
import type { ModelMode } from '../../model/pkpd-model';
import { endpointTitle, experimentEndpoint } from '../../model/report/labels';
import type { StudySpec } from '../../study/study-spec';
import { DEFAULT_TRAINING_CONFIG, type TrainingHead, type TrainingSplit } from '../../model/training-config';
import { ENCODER_LABELS, type EncoderName } from '../../quantum/resources/architecture';
import { runAblationInWorker, type WithBackend } from '../../../workers/experiments-client';
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
import './heatmap-plot';

const QUBIT_CHOICES = [2, 4, 6, 8, 9] as const;
const LAYER_CHOICES = [1, 2, 3, 4] as const;

type Result = WithBackend<AblationResult>;

export class AblationPanel extends LitElement {
  static override properties = {
    data: { attribute: false },
    spec: { attribute: false },
    encoder: { state: true },
    head: { state: true },
    mode: { state: true },
    qubits: { state: true },
    layers: { state: true },
    split: { state: true },
    sizes: { state: true },
    cells: { state: true },
    cellsHead: { state: true },
  };
  static override styles = experimentStyles;

  declare data: Dataset | null;
  /** The open dataset's study (the endpoint scored, its name and unit); null: EstData's PD in ng/mL. */
  declare spec: StudySpec | null;
  declare encoder: EncoderName;
  declare head: TrainingHead;
  declare mode: ModelMode;
  declare qubits: readonly number[];
  declare layers: readonly number[];
  declare split: TrainingSplit;
  declare sizes: RawSizes;
  /** Finished cells, shown as they arrive. */
  declare cells: readonly AblationCell[];
  /** The output head of the run the cells come from. */
  declare cellsHead: TrainingHead;

  private readonly task = new ExperimentTask<AblationProgress, Result>(this, 'The ablation failed', (p) => {
    if (p.cell) this.cells = [...this.cells, p.cell];
  });

  constructor() {
    super();
    this.data = null;
    this.spec = null;
    this.encoder = DEFAULT_TRAINING_CONFIG.encoder;
    this.head = DEFAULT_TRAINING_CONFIG.head;
    this.mode = DEFAULT_TRAINING_CONFIG.mode;
    this.qubits = [2, 4, 8];
    this.layers = [1, 2, 3];
    this.split = DEFAULT_TRAINING_CONFIG.split;
    this.sizes = DEFAULT_RAW_SIZES;
    this.cells = [];
    this.cellsHead = this.head;
  }

  protected override render(): TemplateResult {
    return html`<section aria-labelledby="ablation-title">
      <h2 id="ablation-title">Qubits × layers ablation</h2>
      <p class="intro">
        One model per combination of circuit qubits and layers, trained with early stopping on the validation subjects and scored on them,
        like the poster's PD heatmaps. The test subjects are never read.
      </p>
      ${this.data ? this.controls() : html`<p class="note">Load a dataset to run the ablation.</p>`}
      ${this.task.running ? progressView('Model', this.task.progress, this.task.cancelling) : nothing}
      ${noticeView(this.task.notice, 'ablation-notice', this.task.running)} ${this.outcome()}
      ${this.cells.length > 0 ? this.results() : nothing}
    </section>`;
  }

  private get runs(): number {
    return this.qubits.length * this.layers.length;
  }

  private controls(): TemplateResult {
    const running = this.task.running;
    const problems = sizeProblems(this.sizes);
    const blocker = runBlocker(this.runs === 0 ? 'Choose at least one qubit count and one layer count.' : null, problems);
    return html`<div class="controls">
        <label
          >Encoder
          <select
            data-control="encoder"
            ?disabled=${running}
            @change=${(e: Event) => (this.encoder = (e.target as HTMLSelectElement).value as EncoderName)}
          >
            ${QUANTUM_ENCODERS.map((name) => html`<option value=${name} ?selected=${name === this.encoder}>${ENCODER_LABELS[name]}</option>`)}
          </select></label
        >
        ${headField(this.head, running, (head) => (this.head = head))}
        ${modeField(this.mode, running || this.head === 'mechanistic', (mode) => (this.mode = mode))}
        ${splitField(this.split, running, (split) => (this.split = split))}
        ${sizeField('epochs', this.sizes, problems.epochs, running, this.onSize)}
      </div>
      <div class="controls">
        ${checkboxGroup('Qubits', 'qubits', QUBIT_CHOICES, this.qubits, String, running, (values) => (this.qubits = values))}
        ${checkboxGroup('Layers', 'layers', LAYER_CHOICES, this.layers, String, running, (values) => (this.layers = values))}
      </div>
      ${advancedSizes(this.sizes, problems, running, this.onSize)} ${runButtons(running, blocker, this.run, () => this.task.cancel())}
      <p class="note">${this.runs} model${this.runs === 1 ? '' : 's'} to train${this.eachModel()}.</p>`;
  }

  private eachModel(): string {
    if (this.head === 'mechanistic')
      return ', each a hybrid model (its covariate network trained in alternating rounds with population fits)';
    return this.mode === 'multitask' || experimentEndpoint(this.spec).target === 'pk' ? '' : ', each a PK and a PD network';
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
      encoder: this.encoder,
      qubits: [...this.qubits],
      layers: [...this.layers],
    };
    void this.task.start((onProgress, signal, backend) => {
      this.cells = [];
      this.cellsHead = head;
      // Cells arrive as they finish (on a pool, not in the grid's order); the result lists them in the grid's order.
      return runAblationInWorker(data, this.split, options, onProgress, signal, backend).then((result) => {
        this.cells = result.cells;
        return result;
      });
    });
  };

  private outcome(): TemplateResult | typeof nothing {
    const r = this.task.result;
    if (!r || this.task.running) return nothing;
    const total = `${r.cells.length} model${r.cells.length === 1 ? '' : 's'}`;
    const time = formatDuration(r.cells.reduce((s, c) => s + c.seconds, 0) * 1000);
    return html`<p class="outcome" role="status">
      ${r.cancelled ? `Cancelled: ${total} finished before stopping` : `Finished: ${total}`} in ${time}, on ${r.backend.name}
      (${r.backend.reason})${workersNote(r.workers)}.
    </p>`;
  }

  private results(): TemplateResult {
    const endpoint = experimentEndpoint(this.spec);
    const title = endpointTitle(endpoint);
    const pd = endpoint.target === 'pd';
    const hybrid = this.cellsHead === 'mechanistic';
    const monitored = hybrid ? "covariate network's kept round" : pd ? 'PD network (multitask: the network)' : 'PK network';
    const z = (c: AblationCell): number | null => (pd ? c.valPdRmseZ : c.valPkRmseZ);
    const inUnit = (c: AblationCell): number | null => (pd ? c.valPdRmse : c.valPkRmse);
    const cells = this.cells.flatMap((c) => {
      const value = z(c);
      return value === null ? [] : [{ x: c.layers, y: c.qubits, value }];
    });
    return html`<h3>Validation ${title} RMSE (z-units)</h3>
      ${headNote(this.cellsHead)}
      <qp-heatmap-plot .cells=${cells} x-label="Layers" y-label="Qubits" value-label="Validation ${title} RMSE (z)"></qp-heatmap-plot>
      <div class="table-wrap">
        <table data-testid="ablation-cells">
          <caption>
            Every cell: validation RMSE (z-units of the training scaler; ${title} also in
            ${unitWords(endpoint)}${hybrid ? ', typical predictions' : ''}), trainable parameters of
            ${hybrid ? 'the covariate network' : "all the model's networks"}, epochs of the ${monitored}.
          </caption>
          <thead>
            <tr>
              <th scope="col">Qubits × layers</th>
              <th scope="col">Val ${title} RMSE (z)</th>
              <th scope="col">Val ${title} RMSE${endpoint.unit ? ` (${endpoint.unit})` : ''}</th>
              ${pd ? html`<th scope="col">Val PK RMSE (z)</th>` : nothing}
              <th scope="col">Parameters (circuit)</th>
              <th scope="col">Best / run epochs</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            ${this.cells.map(
              (c) =>
                html`<tr>
                  <th scope="row">${c.qubits} × ${c.layers}</th>
                  <td>${formatZ(z(c))}</td>
                  <td>${inUnit(c) === null ? '–' : formatSignificant(inUnit(c) as number, 3)}</td>
                  ${pd ? html`<td>${formatZ(c.valPkRmseZ)}</td>` : nothing}
                  <td>${parametersCell(c.parameters)}</td>
                  <td>${c.bestEpoch} / ${c.epochs}</td>
                  <td>${formatDuration(c.seconds * 1000)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}

if (!customElements.get('qp-ablation-panel')) customElements.define('qp-ablation-panel', AblationPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-ablation-panel': AblationPanel;
  }
}
