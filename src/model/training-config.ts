/**
 * What the user chooses before training (the Model view's form, saved with every model), its
 * checks with one message per field, and its translation into trainPkPd options. Pure and free of
 * TF.js, so the UI can import it.
 */
import { PD_SUPPRESSION_THRESHOLD } from '../data/explore/thresholds';
import { crossValidationSplits, DEFAULT_SPLIT_SEED, referenceSplit, type SubjectSplit } from '../data/splits/split';
import type { Dataset } from '../data/types';
import { BACKEND_REQUESTS, type BackendRequest } from '../platform/compute-backend';
import { DEFAULT_ARCHITECTURE, type EncoderName, isEncoderName } from '../quantum/resources/architecture';
import { MAX_LAYERS, MAX_QUBITS } from '../quantum/template';
import type { ModelMode } from './pkpd-model';
import type { PkPdTrainingOptions } from './train-pkpd';

export const CV_FOLDS = 5;
export const TRAINING_SPLITS = ['reference', ...Array.from({ length: CV_FOLDS }, (_, k) => `cv${CV_FOLDS}-fold${k + 1}`)] as const;
export type TrainingSplit = (typeof TRAINING_SPLITS)[number];

/** Labels of the modes; its keys are the modes the form offers (kept apart from pkpd-model, which loads TF.js). */
export const MODE_LABELS: Readonly<Record<ModelMode, string>> = {
  cascade: 'Cascade (PK → PD)',
  independent: 'Independent',
  multitask: 'Multitask',
};

export interface TrainingConfig {
  readonly encoder: EncoderName;
  readonly mode: ModelMode;
  readonly qubits: number;
  readonly layers: number;
  /** Maximum epochs per network (early stopping may end sooner). */
  readonly epochs: number;
  readonly patience: number;
  readonly seed: number;
  readonly split: TrainingSplit;
  readonly backend: BackendRequest;
  readonly hidden: number;
  readonly depth: number;
  readonly experts: number;
  readonly dropout: number;
  readonly learningRate: number;
  readonly batchSize: number;
  /** MC-dropout samples of the result plots' bands; 0 = no bands. */
  readonly mcSamples: number;
  /** Adds the "PD below 3.3 ng/mL" classification head. */
  readonly classification: boolean;
}

/**
 * The form's defaults: the headline model; the training numbers are the library's DEFAULT_TRAINING
 * (a test keeps the two equal — that module loads TF.js, which the UI must not).
 */
export const DEFAULT_TRAINING_CONFIG: TrainingConfig = Object.freeze({
  encoder: 'qnn-resmlp-moe',
  mode: 'cascade',
  qubits: 8,
  layers: 3,
  epochs: 300,
  patience: 30,
  seed: 0,
  split: 'reference',
  backend: 'auto',
  hidden: DEFAULT_ARCHITECTURE.hidden,
  depth: DEFAULT_ARCHITECTURE.depth,
  experts: DEFAULT_ARCHITECTURE.experts,
  dropout: DEFAULT_ARCHITECTURE.dropout,
  learningRate: 1e-3,
  batchSize: 64,
  mcSamples: 30,
  classification: false,
});

export type ConfigProblems = Partial<Record<keyof TrainingConfig, string>>;

const MAX_SEED = 2 ** 32 - 1;

function integerProblem(value: number, min: number, max: number): string | null {
  return Number.isInteger(value) && value >= min && value <= max
    ? null
    : `Enter a whole number from ${min} to ${max.toLocaleString('en-US')}.`;
}

/** One message per field that is out of range (empty when the config can be trained). */
export function trainingConfigProblems(config: TrainingConfig): ConfigProblems {
  const problems: ConfigProblems = {};
  const check = (key: keyof TrainingConfig, problem: string | null): void => {
    if (problem) problems[key] = problem;
  };
  check('encoder', isEncoderName(config.encoder) ? null : 'Choose an encoder from the list.');
  check('mode', Object.hasOwn(MODE_LABELS, config.mode) ? null : 'Choose a mode from the list.');
  check('qubits', integerProblem(config.qubits, 1, MAX_QUBITS));
  check('layers', integerProblem(config.layers, 1, MAX_LAYERS));
  check('epochs', integerProblem(config.epochs, 1, 10_000));
  check('patience', integerProblem(config.patience, 1, 10_000));
  check('seed', integerProblem(config.seed, 0, MAX_SEED));
  check('split', (TRAINING_SPLITS as readonly string[]).includes(config.split) ? null : 'Choose a split from the list.');
  check('backend', (BACKEND_REQUESTS as readonly string[]).includes(config.backend) ? null : 'Choose a compute backend from the list.');
  check('hidden', integerProblem(config.hidden, 2, 1024));
  check('depth', integerProblem(config.depth, 1, 16));
  check('experts', integerProblem(config.experts, 2, 32));
  check('dropout', config.dropout >= 0 && config.dropout <= 0.9 ? null : 'Enter a rate from 0 to 0.9.');
  check('learningRate', config.learningRate > 0 && config.learningRate <= 1 ? null : 'Enter a rate above 0 and at most 1.');
  check('batchSize', integerProblem(config.batchSize, 1, 1_000_000));
  check(
    'mcSamples',
    config.mcSamples === 0 ? null : integerProblem(config.mcSamples, 2, 1000) && 'Enter 0 (no bands) or a whole number from 2 to 1,000.',
  );
  check('classification', typeof config.classification === 'boolean' ? null : 'Classification head must be on or off.');
  return problems;
}

export class TrainingConfigError extends Error {
  override readonly name = 'TrainingConfigError';
}

/** Throws a TrainingConfigError naming every field that is out of range. */
export function checkTrainingConfig(config: TrainingConfig): void {
  const problems = Object.entries(trainingConfigProblems(config));
  if (problems.length > 0)
    throw new TrainingConfigError(`Training settings: ${problems.map(([key, message]) => `${key}: ${message}`).join(' ')}`);
}

/** The subject split a config names, on `dataset`. */
export function splitOf(dataset: Dataset, split: TrainingSplit): SubjectSplit {
  if (split === 'reference') return referenceSplit(dataset, DEFAULT_SPLIT_SEED);
  const fold = Number(split.slice(split.indexOf('fold') + 4));
  return crossValidationSplits(dataset, { folds: CV_FOLDS, seed: DEFAULT_SPLIT_SEED })[fold - 1];
}

export function pkPdOptions(config: TrainingConfig): PkPdTrainingOptions {
  return {
    mode: config.mode,
    encoder: config.encoder,
    architecture: {
      nQubits: config.qubits,
      nLayers: config.layers,
      hidden: config.hidden,
      depth: config.depth,
      experts: config.experts,
      dropout: config.dropout,
    },
    training: { epochs: config.epochs, patience: config.patience, learningRate: config.learningRate, batchSize: config.batchSize },
    classification: config.classification ? { thresholdNgMl: PD_SUPPRESSION_THRESHOLD } : null,
    seed: config.seed,
  };
}
