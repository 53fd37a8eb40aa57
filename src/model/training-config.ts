/**
 * What the user chooses before training (the Model view's form, saved with every model), its
 * checks with one message per field, and its translation into trainPkPd options. Pure and free of
 * TF.js, so the UI can import it.
 */
import {
  armGrouping,
  crossValidationSplits,
  DEFAULT_SPLIT_SEED,
  referenceSplit,
  studyGrouping,
  type SubjectSplit,
} from '../data/splits/split';
import type { StudySpec } from '../study/study-spec';
import { legacyClassification, studyClassification } from './classification';
import type { Dataset } from '../data/types';
import { BACKEND_REQUESTS, type BackendRequest } from '../platform/compute-backend';
import { type ArchitectureConfig, DEFAULT_ARCHITECTURE, type EncoderName, isEncoderName } from '../quantum/resources/architecture';
import { MAX_LAYERS, MAX_QUBITS } from '../quantum/template';
import { defaultFeatureShape, type ModelFeatureShape, modelParameterCount, parameterBudgetProblem } from './parameter-budget';
import type { ModelMode } from './pkpd-model';
import type { PkPdTrainingOptions } from './train-pkpd';
import { formatCount } from '../text/format';

/** PD level (ng/mL) of the classification head of models trained without a study spec (EstData's threshold; models saved before specs). */
export const PD_SUPPRESSION_THRESHOLD = 3.3;

export const CV_FOLDS = 5;
export const TRAINING_SPLITS = ['reference', ...Array.from({ length: CV_FOLDS }, (_, k) => `cv${CV_FOLDS}-fold${k + 1}`)] as const;
export type TrainingSplit = (typeof TRAINING_SPLITS)[number];

/** Labels of the modes; its keys are the modes the form offers (kept apart from pkpd-model, which loads TF.js). */
export const MODE_LABELS: Readonly<Record<ModelMode, string>> = {
  cascade: 'Cascade (PK → PD)',
  independent: 'Independent',
  multitask: 'Multitask',
};

/**
 * What the encoder's output is: the observations from time and dose-history features (the seed's
 * system) or, 'mechanistic', the covariate model of the study's population PK/PD model (a hybrid
 * model, src/model/mechanistic: the structural model carries dose history and steady state).
 */
export const TRAINING_HEADS = ['direct', 'mechanistic'] as const;
export type TrainingHead = (typeof TRAINING_HEADS)[number];

export const HEAD_LABELS: Readonly<Record<TrainingHead, string>> = {
  direct: 'Direct: predicts the observations',
  mechanistic: 'Mechanistic: covariate model of the population model (hybrid)',
};

export interface TrainingConfig {
  readonly head: TrainingHead;
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
  /** Adds the classification head: the study's criterion on its question endpoint (none when the spec asks no questions). */
  readonly classification: boolean;
}

/**
 * The form's defaults: the headline model; the training numbers are the library's DEFAULT_TRAINING
 * (a test keeps the two equal — that module loads TF.js, which the UI must not).
 */
export const DEFAULT_TRAINING_CONFIG: TrainingConfig = Object.freeze({
  head: 'direct',
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

/** A closed range of a numeric setting; `integer` settings take whole numbers only. */
export interface SettingRange {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/**
 * The ranges the training form allows: one source of truth for the form's checks, share links and
 * imported model files (whose networks must have been trainable here). Circuits follow the quantum
 * engine (n ≤ MAX_QUBITS, L ≤ MAX_LAYERS); the network sizes keep one training run within a
 * browser's memory, and together they must also fit MAX_MODEL_PARAMETERS (parameter-budget.ts), so
 * that every model trained here can be saved and imported again; the seed is a 32-bit unsigned integer.
 */
export const TRAINING_LIMITS = {
  qubits: { min: 1, max: MAX_QUBITS, integer: true },
  layers: { min: 1, max: MAX_LAYERS, integer: true },
  epochs: { min: 1, max: 10_000, integer: true },
  patience: { min: 1, max: 10_000, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  hidden: { min: 2, max: 1024, integer: true },
  depth: { min: 1, max: 16, integer: true },
  experts: { min: 2, max: 32, integer: true },
  dropout: { min: 0, max: 0.9, integer: false },
  /** Above 0 (the minimum is exclusive). */
  learningRate: { min: 0, max: 1, integer: false },
  batchSize: { min: 1, max: 1_000_000, integer: true },
  /** Or 0: no bands. */
  mcSamples: { min: 2, max: 1000, integer: true },
} as const satisfies Partial<Record<keyof TrainingConfig, SettingRange>>;

function integerProblem(value: number, { min, max }: SettingRange): string | null {
  return Number.isInteger(value) && value >= min && value <= max ? null : `Enter a whole number from ${min} to ${formatCount(max)}.`;
}

/** The settings a model's parameter count depends on. */
const SIZE_SETTINGS = ['encoder', 'mode', 'qubits', 'layers', 'hidden', 'depth', 'experts', 'dropout', 'classification'] as const;

/**
 * One message per field that is out of range (empty when the config can be trained); the model's
 * size is counted on `shape` (studyFeatureShape of the open dataset; default EstData's features).
 */
export function trainingConfigProblems(config: TrainingConfig, shape?: ModelFeatureShape): ConfigProblems {
  const problems: ConfigProblems = {};
  const check = (key: keyof TrainingConfig, problem: string | null): void => {
    if (problem) problems[key] = problem;
  };
  const L = TRAINING_LIMITS;
  check('head', (TRAINING_HEADS as readonly string[]).includes(config.head) ? null : 'Choose an output head from the list.');
  check('encoder', isEncoderName(config.encoder) ? null : 'Choose an encoder from the list.');
  check('mode', Object.hasOwn(MODE_LABELS, config.mode) ? null : 'Choose a mode from the list.');
  check('qubits', integerProblem(config.qubits, L.qubits));
  check('layers', integerProblem(config.layers, L.layers));
  check('epochs', integerProblem(config.epochs, L.epochs));
  check('patience', integerProblem(config.patience, L.patience));
  check('seed', integerProblem(config.seed, L.seed));
  check('split', (TRAINING_SPLITS as readonly string[]).includes(config.split) ? null : 'Choose a split from the list.');
  check('backend', (BACKEND_REQUESTS as readonly string[]).includes(config.backend) ? null : 'Choose a compute backend from the list.');
  check('hidden', integerProblem(config.hidden, L.hidden));
  check('depth', integerProblem(config.depth, L.depth));
  check('experts', integerProblem(config.experts, L.experts));
  check('dropout', dropoutProblem(config.dropout));
  check(
    'learningRate',
    config.learningRate > L.learningRate.min && config.learningRate <= L.learningRate.max
      ? null
      : `Enter a rate above ${L.learningRate.min} and at most ${L.learningRate.max}.`,
  );
  check('batchSize', integerProblem(config.batchSize, L.batchSize));
  check(
    'mcSamples',
    config.mcSamples === 0
      ? null
      : integerProblem(config.mcSamples, L.mcSamples) &&
          `Enter 0 (no bands) or a whole number from ${L.mcSamples.min} to ${formatCount(L.mcSamples.max)}.`,
  );
  check('classification', typeof config.classification === 'boolean' ? null : 'Classification head must be on or off.');
  // The model must fit a model file: counted once the settings that size it are valid, shown at the hidden width.
  if (SIZE_SETTINGS.every((key) => problems[key] === undefined))
    check('hidden', parameterBudgetProblem(configParameterCount(config, shape), config.encoder));
  return problems;
}

let defaultShape: ModelFeatureShape | null = null;

/**
 * Parameters of the networks a config trains (all of them together) on models of `shape`: the open
 * dataset's under its study (studyFeatureShape, the most columns its features can give, so that
 * training never finds the model larger); without one, EstData's features (from its preset).
 */
export function configParameterCount(config: TrainingConfig, shape?: ModelFeatureShape): number {
  const s = shape ?? (defaultShape ??= defaultFeatureShape());
  const { mode, encoder, architecture } = pkPdOptions(config);
  return modelParameterCount({
    encoder,
    mode,
    architecture,
    features: s.features,
    hasPd: s.hasPd,
    classification: config.classification && s.classificationEndpoint !== null,
    classificationEndpoint: s.classificationEndpoint ?? undefined,
  });
}

function dropoutProblem(value: number): string | null {
  const { min, max } = TRAINING_LIMITS.dropout;
  return value >= min && value <= max ? null : `Enter a rate from ${min} to ${max}.`;
}

/**
 * Ranges of the architecture constants the form does not offer: the app always builds the defaults
 * (top-k 2; expansions 1, 4 and 2; head width H/2; one output per head; 4 readouts and 3 angles per
 * qubit); the ranges leave the library's other choices room. Network inputs are the feature columns
 * (21 by default, plus chosen covariates and PK_PRED); 4,096 is far beyond any feature set.
 */
export const ARCHITECTURE_LIMITS = {
  nInputs: { min: 1, max: 4096, integer: true },
  topK: { min: 1, max: TRAINING_LIMITS.experts.max, integer: true },
  resMlpExpansion: { min: 1, max: 8, integer: true },
  residualExpansion: { min: 1, max: 8, integer: true },
  expertExpansion: { min: 1, max: 8, integer: true },
  headHidden: { min: 1, max: TRAINING_LIMITS.hidden.max, integer: true },
  outputs: { min: 1, max: 1, integer: true },
  readoutsPerQubit: { min: 4, max: 4, integer: true },
  weightsPerQubitLayer: { min: 3, max: 3, integer: true },
  /** The quantum block's initial skip weight: any moderate number. */
  alphaInit: { min: -1000, max: 1000, integer: false },
} as const satisfies Partial<Record<keyof ArchitectureConfig, SettingRange>>;

/**
 * One message per field of a network architecture (e.g. read from a model file) that a model trained
 * here cannot have: H, D, E, n, L and dropout within the training form's ranges, the other constants
 * within ARCHITECTURE_LIMITS, top-k ≤ E and the head no wider than H. Missing or non-numeric fields count.
 */
export function architectureProblems(
  arch: Readonly<Record<keyof ArchitectureConfig, unknown>>,
): Partial<Record<keyof ArchitectureConfig, string>> {
  const problems: Partial<Record<keyof ArchitectureConfig, string>> = {};
  const numberOf = (key: keyof ArchitectureConfig): number => {
    const value = arch[key];
    return typeof value === 'number' ? value : Number.NaN;
  };
  const L = TRAINING_LIMITS;
  const ranges: [keyof ArchitectureConfig, SettingRange][] = [
    ['hidden', L.hidden],
    ['depth', L.depth],
    ['experts', L.experts],
    ['nQubits', L.qubits],
    ['nLayers', L.layers],
    ...(Object.entries(ARCHITECTURE_LIMITS) as [keyof ArchitectureConfig, SettingRange][]),
  ];
  for (const [key, range] of ranges) {
    const value = numberOf(key);
    const problem = range.integer
      ? integerProblem(value, range)
      : value >= range.min && value <= range.max
        ? null
        : `Enter a number from ${range.min} to ${range.max}.`;
    if (problem) problems[key] = problem;
  }
  const dropout = dropoutProblem(numberOf('dropout'));
  if (dropout) problems.dropout = dropout;
  if (!problems.topK && !problems.experts && numberOf('topK') > numberOf('experts'))
    problems.topK = 'Top-k cannot exceed the number of experts.';
  if (!problems.headHidden && !problems.hidden && numberOf('headHidden') > numberOf('hidden'))
    problems.headHidden = 'The head cannot be wider than the hidden width.';
  return problems;
}

export class TrainingConfigError extends Error {
  override readonly name = 'TrainingConfigError';
}

/** Throws a TrainingConfigError naming every field that is out of range (the size counted on `shape`, as trainingConfigProblems). */
export function checkTrainingConfig(config: TrainingConfig, shape?: ModelFeatureShape): void {
  const problems = Object.entries(trainingConfigProblems(config, shape));
  if (problems.length > 0)
    throw new TrainingConfigError(`Training settings: ${problems.map(([key, message]) => `${key}: ${message}`).join(' ')}`);
}

/** The subject split a config names, on `dataset`, by the study's groups (its spec; without one, the arms). */
export function splitOf(dataset: Dataset, split: TrainingSplit, spec: StudySpec | null = null): SubjectSplit {
  const grouping = spec ? studyGrouping(dataset, spec) : armGrouping(dataset);
  if (split === 'reference') return referenceSplit(dataset, DEFAULT_SPLIT_SEED, grouping);
  const fold = Number(split.slice(split.indexOf('fold') + 4));
  return crossValidationSplits(dataset, { folds: CV_FOLDS, seed: DEFAULT_SPLIT_SEED, grouping })[fold - 1];
}

/** The network sizes a config chooses (the rest of the architecture is the library's defaults). */
export function architectureOf(config: TrainingConfig): Partial<ArchitectureConfig> {
  return {
    nQubits: config.qubits,
    nLayers: config.layers,
    hidden: config.hidden,
    depth: config.depth,
    experts: config.experts,
    dropout: config.dropout,
  };
}

/** trainPkPd's options for a config and the study (its features, endpoints and criterion; without a spec, the feature code's defaults and EstData's criterion). */
export function pkPdOptions(config: TrainingConfig, spec: StudySpec | null = null): PkPdTrainingOptions {
  const classification = !config.classification ? null : spec ? studyClassification(spec) : legacyClassification(PD_SUPPRESSION_THRESHOLD);
  return {
    ...(spec ? { study: spec } : {}),
    mode: config.mode,
    encoder: config.encoder,
    architecture: architectureOf(config),
    training: { epochs: config.epochs, patience: config.patience, learningRate: config.learningRate, batchSize: config.batchSize },
    classification,
    seed: config.seed,
  };
}
