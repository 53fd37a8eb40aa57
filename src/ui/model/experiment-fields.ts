/**
 * Controls and read-outs shared by the experiment panels: output head, mode, split, maximum epochs,
 * network sizes (under "Advanced"), Run/Cancel and the progress line. Templates only; the panels own
 * state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ExperimentSettings } from '../../model/experiments/experiment-run';
import type { ExperimentProgress } from '../../model/experiments/progress';
import type { ModelMode } from '../../model/pkpd-model';
import {
  DEFAULT_TRAINING_CONFIG,
  HEAD_LABELS,
  MODE_LABELS,
  TRAINING_HEADS,
  type TrainingHead,
  TRAINING_SPLITS,
  type TrainingConfig,
  trainingConfigProblems,
  type TrainingSplit,
} from '../../model/training-config';
import { formatCount } from '../../text/format';
import { branchLabel } from './model-labels';
import type { EndpointLabel } from '../../model/report/labels';

const MODES = Object.keys(MODE_LABELS) as ModelMode[];

const splitLabel = (split: TrainingSplit): string =>
  split === 'reference'
    ? 'Reference split'
    : `Cross-validation fold ${split.slice(split.indexOf('fold') + 4)} of ${TRAINING_SPLITS.length - 1}`;

export type SizeKey = 'epochs' | 'hidden' | 'depth' | 'experts';

const SIZE_LABELS: Readonly<Record<SizeKey, string>> = {
  epochs: 'Max epochs',
  hidden: 'Hidden width',
  depth: 'Depth (blocks)',
  experts: 'Experts per MoE block',
};

/** The sizes as typed (checked by the training form's rules before a run). */
export type RawSizes = Readonly<Record<SizeKey, string>>;

export const DEFAULT_RAW_SIZES: RawSizes = {
  epochs: String(DEFAULT_TRAINING_CONFIG.epochs),
  hidden: String(DEFAULT_TRAINING_CONFIG.hidden),
  depth: String(DEFAULT_TRAINING_CONFIG.depth),
  experts: String(DEFAULT_TRAINING_CONFIG.experts),
};

const number = (raw: string): number => (raw.trim() === '' ? Number.NaN : Number(raw));

/** A message per size that is out of range. */
export function sizeProblems(raw: RawSizes): Partial<Record<SizeKey, string>> {
  const sizes: Pick<TrainingConfig, SizeKey> = {
    epochs: number(raw.epochs),
    hidden: number(raw.hidden),
    depth: number(raw.depth),
    experts: number(raw.experts),
  };
  const problems = trainingConfigProblems({ ...DEFAULT_TRAINING_CONFIG, ...sizes });
  return Object.fromEntries((Object.keys(SIZE_LABELS) as SizeKey[]).flatMap((k) => (problems[k] ? [[k, problems[k]]] : [])));
}

/** What every run of the experiment shares (seed 0; the training form's other defaults). */
export function experimentSettings(head: TrainingHead, mode: ModelMode, raw: RawSizes): ExperimentSettings {
  return {
    head,
    mode,
    seed: DEFAULT_TRAINING_CONFIG.seed,
    training: { epochs: number(raw.epochs) },
    architecture: { hidden: number(raw.hidden), depth: number(raw.depth), experts: number(raw.experts) },
  };
}

export function headField(head: TrainingHead, disabled: boolean, onChange: (head: TrainingHead) => void): TemplateResult {
  return html`<label
    >Output head
    <select
      data-control="head"
      ?disabled=${disabled}
      @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value as TrainingHead)}
    >
      ${TRAINING_HEADS.map((h) => html`<option value=${h} ?selected=${h === head}>${HEAD_LABELS[h]}</option>`)}
    </select></label
  >`;
}

/** Which head a result's models have, in words, above its table. */
export function headNote(head: TrainingHead): TemplateResult {
  const what =
    head === 'mechanistic'
      ? " — each model a hybrid model: the encoder is the covariate network of the study's population model, fitted in alternating rounds"
      : '';
  return html`<p class="note" data-testid="experiment-head">Output head: ${HEAD_LABELS[head]}${what}.</p>`;
}

/** The direct head's mode (the panels disable it for the mechanistic head, which has none). */
export function modeField(mode: ModelMode, disabled: boolean, onChange: (mode: ModelMode) => void): TemplateResult {
  return html`<label
    >Mode
    <select data-control="mode" ?disabled=${disabled} @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value as ModelMode)}>
      ${MODES.map((m) => html`<option value=${m} ?selected=${m === mode}>${MODE_LABELS[m]}</option>`)}
    </select></label
  >`;
}

export function splitField(split: TrainingSplit, disabled: boolean, onChange: (split: TrainingSplit) => void): TemplateResult {
  return html`<label
    >Split
    <select data-control="split" ?disabled=${disabled} @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
      ${TRAINING_SPLITS.map((o) => html`<option value=${o} ?selected=${o === split}>${splitLabel(o)}</option>`)}
    </select></label
  >`;
}

export function sizeField(
  key: SizeKey,
  raw: RawSizes,
  problem: string | undefined,
  disabled: boolean,
  onInput: (key: SizeKey, value: string) => void,
): TemplateResult {
  return html`<label
    >${SIZE_LABELS[key]}
    <input
      data-control=${key}
      type="number"
      inputmode="numeric"
      step="1"
      .value=${raw[key]}
      ?disabled=${disabled}
      aria-invalid=${problem ? 'true' : 'false'}
      @input=${(e: Event) => onInput(key, (e.target as HTMLInputElement).value)}
    />
    ${problem ? html`<span class="hint">${problem}</span>` : nothing}</label
  >`;
}

export function advancedSizes(
  raw: RawSizes,
  problems: Partial<Record<SizeKey, string>>,
  disabled: boolean,
  onInput: (key: SizeKey, value: string) => void,
): TemplateResult {
  return html`<details class="advanced">
    <summary>Advanced: network size</summary>
    <div class="controls">
      ${(['hidden', 'depth', 'experts'] as const).map((key) => sizeField(key, raw, problems[key], disabled, onInput))}
    </div>
  </details>`;
}

/** z-unit RMSE and losses: three decimals, so cells compare at a glance. */
export const formatZ = (v: number | null): string => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(3));

/** How many workers trained the runs at once, where more than one (the pool: the thread setting, else the cores). */
export const workersNote = (workers: number): string => (workers > 1 ? `; ${workers} workers at once` : '');

export function formatDuration(ms: number): string {
  if (ms < 9950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "Run 2 of 9 (4 qubits × 2 layers): PD network, epoch 37 of 300 · about 3 min left", with a progress bar. */
export function progressView(what: string, p: ExperimentProgress | null, cancelling: boolean): TemplateResult {
  const epoch = p?.epoch ? `: ${branchLabel(p.epoch.branch)}, epoch ${p.epoch.epoch} of ${p.epoch.epochs}` : '';
  const eta = p && p.etaMs !== null ? ` · about ${formatDuration(p.etaMs)} left` : '';
  const line = cancelling
    ? 'Cancelling: stopping after the current batch…'
    : p
      ? `${what} ${p.run} of ${p.runs} (${p.label})${epoch}${eta}`
      : 'Starting…';
  return html`<div class="progress" data-testid="experiment-progress">
    <p role="status" aria-live="polite">${line}</p>
    <progress max="1" .value=${p?.fraction ?? 0} aria-label="Experiment progress"></progress>
  </div>`;
}

/** Why Run is unavailable: nothing chosen (`nothingChosen`, when so), or sizes out of range; null when it can run. */
export function runBlocker(nothingChosen: string | null, problems: Partial<Record<SizeKey, string>>): string | null {
  if (nothingChosen !== null) return nothingChosen;
  return Object.keys(problems).length > 0 ? 'Fix the settings marked in red (some may be under Advanced).' : null;
}

/** A group of checkboxes, one per option; `set` gets the options ticked, in the options' order. */
export function checkboxGroup<T extends string | number>(
  legend: string,
  name: string,
  options: readonly T[],
  chosen: readonly T[],
  label: (option: T) => string,
  disabled: boolean,
  set: (values: T[]) => void,
): TemplateResult {
  const toggle = (value: T, on: boolean): void => set(options.filter((o) => (o === value ? on : chosen.includes(o))));
  return html`<fieldset data-control=${name} ?disabled=${disabled}>
    <legend>${legend}</legend>
    ${options.map(
      (o) =>
        html`<label
          ><input
            type="checkbox"
            value=${o}
            .checked=${chosen.includes(o)}
            @change=${(e: Event) => toggle(o, (e.target as HTMLInputElement).checked)}
          />${label(o)}</label
        >`,
    )}
  </fieldset>`;
}

/** "12,345 (576)": a model's parameters, its circuit angles in brackets. */
export function parametersCell(p: { readonly total: number; readonly quantum: number }): TemplateResult {
  return html`${formatCount(p.total)} <span class="sub">(${formatCount(p.quantum)})</span>`;
}

/** Run and Cancel, and why Run is unavailable when it is. */
export function runButtons(running: boolean, blocker: string | null, onRun: () => void, onCancel: () => void): TemplateResult {
  return html`<div class="actions">
    <button class="primary" data-action="run" ?disabled=${running || blocker !== null} @click=${onRun}>Run</button>
    <button data-action="cancel" ?disabled=${!running} @click=${onCancel}>Cancel</button>
    ${blocker && !running ? html`<span class="blocker">${blocker}</span>` : nothing}
  </div>`;
}

/** An endpoint's unit in a caption: "ng/mL"; "its unit" for an endpoint without one. */
export function unitWords(endpoint: EndpointLabel): string {
  return endpoint.unit || 'its unit';
}
