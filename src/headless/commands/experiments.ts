/**
 * Headless commands for the experiments, run in the experiments worker (as the app runs them):
 * - 'ablation' { csvText, fileName, decoding?, specText?, specName?, head?, encoder?, mode?, qubits?: number[], layers?: number[],
 *   seed?, split?, epochs?, hidden?, depth? }
 *   → { config, study, cells, cancelled, backend, workers, seconds }: the qubits × layers grid, validation metrics only.
 * - 'claims' { csvText, fileName, decoding?, specText?, specName?, head?, mode?, qubits?, layers?, seed?, split?, epochs?, encoders?,
 *   hidden?, depth? }
 *   → { config, study, rows, verdicts, cancelled, backend, workers, seconds }: each quantum model beside its width-matched control.
 * The study (as `train` reads it, `trainStudy`): the spec given, else the one proposed for the data (EstData: its preset). Head
 * 'direct' (default) or 'mechanistic' (each model a hybrid model; its config shows no mode, as `train`'s).
 * - 'mount-experiment-panels' { csvText, fileName, decoding? }: shows the ablation and claims panels on this page
 *   with the file loaded (for the browser tests).
 * Split: 'reference' or 'cv5:K'. `workers`: how many workers trained the runs at once (the pool: the page's thread setting).
 */
import type { Dataset } from '../../data/types';
import type { StudySpec } from '../../study/study-spec';
import type { ExperimentSettings } from '../../model/experiments/experiment-run';
import { QUANTUM_ENCODERS } from '../../model/experiments/quantum-encoders';
import { parseSplitChoice } from '../../model/experiments/split-choice';
import { DEFAULT_TRAINING_CONFIG, type TrainingHead } from '../../model/training-config';
import '../../ui/model/ablation-panel';
import '../../ui/model/claims-panel';
import { runAblationInWorker, runClaimsInWorker } from '../../../workers/experiments-client';
import { type DataFileArgs, datasetOf } from '../data-file';
import { registerHeadlessCommand } from '../registry';
import { trainStudy } from './train';

interface SettingsArgs extends DataFileArgs {
  /** The study spec's text and file name (absent: the spec proposed for the data). */
  specText?: string;
  specName?: string;
  head?: string;
  mode?: string;
  seed?: number;
  split?: string;
  epochs?: number;
  hidden?: number;
  depth?: number;
}

export interface AblationArgs extends SettingsArgs {
  encoder?: string;
  qubits?: number[];
  layers?: number[];
}

export interface ClaimsArgs extends SettingsArgs {
  encoders?: string[];
  qubits?: number;
  layers?: number;
}

/** The training form's defaults, and the ablation's grid. */
const { mode, seed, split, encoder, qubits, layers } = DEFAULT_TRAINING_CONFIG;
export const EXPERIMENT_DEFAULTS = { head: 'direct', mode, seed, split } as const;
export const ABLATION_DEFAULTS = { encoder, qubits: [2, 4, 8], layers: [1, 2, 3] } as const;
export const CLAIMS_DEFAULTS = { qubits, layers };

/** The settings every run shares, with the study; the model code checks the values and names what is wrong. */
function settings(args: SettingsArgs, dataset: Dataset): ExperimentSettings & { split: string; study: StudySpec } {
  return {
    head: (args.head ?? EXPERIMENT_DEFAULTS.head) as TrainingHead,
    mode: (args.mode ?? EXPERIMENT_DEFAULTS.mode) as ExperimentSettings['mode'],
    seed: args.seed ?? EXPERIMENT_DEFAULTS.seed,
    split: args.split ?? EXPERIMENT_DEFAULTS.split,
    training: args.epochs === undefined ? {} : { epochs: args.epochs },
    architecture: {
      ...(args.hidden === undefined ? {} : { hidden: args.hidden }),
      ...(args.depth === undefined ? {} : { depth: args.depth }),
    },
    study: trainStudy(args, dataset),
  };
}

/** The printed config: the options without the study (printed as its name beside), no mode for the mechanistic head. */
function shownConfig(csv: string, split: string, options: ExperimentSettings): Record<string, unknown> {
  const { study: _study, ...rest } = options;
  return { csv, split, ...rest, ...(options.head === 'mechanistic' ? { mode: null } : {}) };
}

const seconds = (started: number): number => Number(((performance.now() - started) / 1000).toFixed(2));

registerHeadlessCommand('ablation', async (raw) => {
  const args = raw as AblationArgs;
  const started = performance.now();
  const dataset = datasetOf(args);
  const { split, ...shared } = settings(args, dataset);
  const options = {
    ...shared,
    encoder: args.encoder ?? ABLATION_DEFAULTS.encoder,
    qubits: args.qubits ?? [...ABLATION_DEFAULTS.qubits],
    layers: args.layers ?? [...ABLATION_DEFAULTS.layers],
  };
  const { cells, cancelled, backend, workers } = await runAblationInWorker(dataset, parseSplitChoice(split), options, () => undefined);
  const config = shownConfig(args.fileName, split, options);
  return { config, study: options.study.name, cells, cancelled, backend, workers, seconds: seconds(started) };
});

registerHeadlessCommand('claims', async (raw) => {
  const args = raw as ClaimsArgs;
  const started = performance.now();
  const dataset = datasetOf(args);
  const { split, ...shared } = settings(args, dataset);
  const options = {
    ...shared,
    encoders: args.encoders ?? QUANTUM_ENCODERS,
    qubits: args.qubits ?? CLAIMS_DEFAULTS.qubits,
    layers: args.layers ?? CLAIMS_DEFAULTS.layers,
  };
  const { rows, verdicts, cancelled, backend, workers } = await runClaimsInWorker(
    dataset,
    parseSplitChoice(split),
    options,
    () => undefined,
  );
  const config = shownConfig(args.fileName, split, options);
  return { config, study: options.study.name, rows, verdicts, cancelled, backend, workers, seconds: seconds(started) };
});

registerHeadlessCommand('mount-experiment-panels', (raw) => {
  const data = datasetOf(raw as DataFileArgs);
  const tags = ['qp-ablation-panel', 'qp-claims-panel'] as const;
  for (const tag of tags) {
    document.querySelector(tag)?.remove();
    const panel = document.createElement(tag);
    panel.data = data;
    document.body.append(panel);
  }
  return Promise.resolve({ tags });
});
