/**
 * Headless command 'train' { csvText, fileName, decoding?, specText?, specName?, head?, encoder?, mode?, qubits?, layers?, seed?, split?, epochs?, backend? }:
 * trains a PK/PD model on the file with the model code (trainPkPd: early stopping on the validation
 * subjects), then evaluates it once on the withheld test subjects (evaluateFinal). Head 'direct' (the
 * default): the encoder predicts the observations (the seed's system); head 'mechanistic': the
 * encoder is the covariate model of the study's mechanistic model (a hybrid model,
 * src/model/mechanistic/hybrid-run.ts), with `hybrid` facts beside the same metrics keys. The study spec
 * (`--spec S.json`; default: the EstData preset for EstData, else the spec guessed from the file, as
 * the app proposes it) gives the features, the endpoints and the groups of the splits.
 * - split 'reference': one model; metrics { val: {pk, pd}, test: {pk, pd} }.
 * - split 'cv5': one model per fold of crossValidationSplits (5 folds); per-fold metrics, and
 *   `metrics` / `metrics_sd` the mean and sample SD of each number across the folds.
 * The TF.js backend follows chooseBackend(request, probeWebGpu()) — 'auto' by default. On the cpu/wasm paths the
 * quantum layer's batches are split across the page's threads (`--threads N`, workers/qnn-threads.ts):
 * `quantum_threads` says how many it used to the end, `quantum_kernels` the time spent in the layer's cpu/wasm kernels.
 */
import { crossValidationSplits, DEFAULT_SPLIT_SEED, referenceSplit } from '../../data/splits/index';
import { studyGrouping } from '../../data/splits/split';
import { datasetFingerprint } from '../../data/fingerprint';
import { proposeStudy } from '../../study/guess-spec';
import type { StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpecText } from '../../study/study-spec-reader';
import type { Dataset } from '../../data/types';
import { DEFAULT_TRAINING, MODEL_MODES, type ModelMode, type TargetMetrics } from '../../model/index';
import { BACKEND_REQUESTS, isBackendRequest } from '../../platform/compute-backend';
import { poolSize } from '../../platform/threads';
import { ENCODER_NAMES, isEncoderName } from '../../quantum/resources/architecture';
import { DEFAULT_TRAINING_CONFIG, TRAINING_LIMITS } from '../../model/training-config';
import { trainFoldsOnPool } from '../../../workers/train-fold-client';
import {
  type FoldResult,
  type Metrics,
  round,
  TRAIN_HEADS,
  TRAIN_SPLITS,
  type TrainConfig,
  type TrainHead,
  trainOnSplit,
  type TrainSplit,
  useBackend,
} from '../train-fold';
import { type DataFileArgs, datasetOf } from '../data-file';
import { registerHeadlessCommand } from '../registry';
import { qnnThreadsInUse, startQnnThreads } from '../../../workers/qnn-threads';
import { qnnKernelTime } from '../../quantum/tfjs/cpu-kernels';

export {
  hybridOptions,
  TRAIN_HEADS,
  TRAIN_SPLITS,
  type TrainConfig,
  type TrainHead,
  trainingOptions,
  type TrainSplit,
  useBackend,
} from '../train-fold';

export interface TrainArgs extends DataFileArgs {
  /** The study spec's text and file name (absent: the spec proposed for the data). */
  specText?: string;
  specName?: string;
  encoder?: string;
  mode?: string;
  qubits?: number;
  layers?: number;
  seed?: number;
  split?: string;
  epochs?: number;
  backend?: string;
  head?: string;
}

/** The defaults of the headless `train` command (docs/architecture.md, the headless runner): the training form's. */
const { encoder, mode, qubits, layers, seed, backend } = DEFAULT_TRAINING_CONFIG;
export const TRAIN_DEFAULTS = { head: 'direct', encoder, mode, qubits, layers, seed, split: 'reference', backend } as const;

/** Checks the arguments and fills the defaults; throws an Error with a message naming what is wrong. */
export function trainConfig(args: TrainArgs): TrainConfig {
  const encoder = args.encoder ?? TRAIN_DEFAULTS.encoder;
  if (!isEncoderName(encoder)) throw new Error(`unknown encoder "${encoder}"; valid encoders: ${ENCODER_NAMES.join(', ')}`);
  const mode = args.mode ?? TRAIN_DEFAULTS.mode;
  if (!(MODEL_MODES as readonly string[]).includes(mode)) throw new Error(`unknown mode "${mode}"; valid modes: ${MODEL_MODES.join(', ')}`);
  const split = args.split ?? TRAIN_DEFAULTS.split;
  if (!(TRAIN_SPLITS as readonly string[]).includes(split))
    throw new Error(`unknown split "${split}"; valid splits: ${TRAIN_SPLITS.join(', ')}`);
  const head = args.head ?? TRAIN_DEFAULTS.head;
  if (!(TRAIN_HEADS as readonly string[]).includes(head)) throw new Error(`unknown head "${head}"; valid heads: ${TRAIN_HEADS.join(', ')}`);
  const backend = args.backend ?? TRAIN_DEFAULTS.backend;
  if (!isBackendRequest(backend)) throw new Error(`unknown backend "${backend}"; valid backends: ${BACKEND_REQUESTS.join(', ')}`);
  const integer = (name: keyof typeof TRAINING_LIMITS, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    const { min, max } = TRAINING_LIMITS[name];
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
    return v;
  };
  return {
    csv: args.fileName,
    head: head as TrainHead,
    encoder,
    mode: mode as ModelMode,
    qubits: integer('qubits', args.qubits, TRAIN_DEFAULTS.qubits),
    layers: integer('layers', args.layers, TRAIN_DEFAULTS.layers),
    seed: integer('seed', args.seed, TRAIN_DEFAULTS.seed),
    split: split as TrainSplit,
    split_seed: DEFAULT_SPLIT_SEED,
    epochs: integer('epochs', args.epochs, DEFAULT_TRAINING.epochs),
    backend,
  };
}

/** The study a headless run reads: the spec given (refused with its problems when it is not one), else the one proposed for the data. */
export function trainStudy(args: Pick<TrainArgs, 'specText' | 'specName'>, dataset: Dataset): StudySpec {
  if (args.specText === undefined) return proposeStudy(dataset, datasetFingerprint(dataset)).spec;
  const reading = readStudySpecText(args.specText);
  if (!reading.ok) throw new Error(`${args.specName ?? 'the spec'} is not a usable study spec: ${describeSpecProblems(reading.problems)}.`);
  return reading.spec;
}

const METRIC_KEYS = ['n', 'rmse_z', 'mae_z', 'r2_z', 'rmse', 'mae', 'r2'] as const satisfies readonly (keyof TargetMetrics)[];

/** Mean and sample SD across folds of every metric number (folds without the target are left out). */
function summarise(folds: readonly FoldResult[]): { mean: Metrics; sd: Metrics } {
  const part = (set: 'val' | 'test', target: 'pk' | 'pd', stat: 'mean' | 'sd'): TargetMetrics | null => {
    const values = folds.map((f) => f.metrics[set][target]).filter((m): m is TargetMetrics => m !== null);
    if (values.length === 0) return null;
    const out: Record<string, number> = {};
    for (const key of METRIC_KEYS) {
      const xs = values.map((m) => m[key]);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : Number.NaN;
      out[key] = stat === 'mean' ? mean : sd;
    }
    return out as unknown as TargetMetrics;
  };
  const metrics = (stat: 'mean' | 'sd'): Metrics => ({
    val: { pk: part('val', 'pk', stat), pd: part('val', 'pd', stat) },
    test: { pk: part('test', 'pk', stat), pd: part('test', 'pd', stat) },
  });
  return { mean: metrics('mean'), sd: metrics('sd') };
}

registerHeadlessCommand('train', async (args) => {
  const input = args as TrainArgs;
  const config = trainConfig(input);
  const started = performance.now();
  const dataset = datasetOf(input);
  const spec = trainStudy(input, dataset);
  const grouping = studyGrouping(dataset, spec);
  const choice = await useBackend(config.backend);
  // the quantum layer's sub-workers (--threads N > 1, cross-origin isolated), started before the synchronous kernels need them
  if (choice.backend !== 'webgpu') await startQnnThreads();
  const backend = { name: choice.backend, adapter: choice.adapter, reason: choice.reason };
  // A hybrid model has no mode (one network gives every parameter).
  const shown = config.head === 'mechanistic' ? { ...config, mode: null } : config;
  if (config.split === 'reference') {
    const result = await trainOnSplit(dataset, referenceSplit(dataset, config.split_seed, grouping), config, spec);
    return {
      config: shown,
      study: spec.name,
      metrics: result.metrics,
      split: { name: result.split, val_ids: result.val_ids, test_ids: result.test_ids },
      epochs: result.epochs,
      parameters: result.parameters,
      curves: result.curves,
      ...(result.hybrid ? { hybrid: result.hybrid } : {}),
      seconds: round((performance.now() - started) / 1000, 2),
      backend,
      quantum_threads: await qnnThreadsInUse(),
      quantum_kernels: qnnKernelTime(),
    };
  }
  const splits = crossValidationSplits(dataset, { folds: 5, seed: config.split_seed, grouping });
  // The folds are independent trainings: on a pool of workers (one TF.js thread each) when the thread setting allows more than one.
  const workers = Math.min(poolSize(), splits.length);
  const folds: FoldResult[] = [];
  if (workers > 1) folds.push(...(await trainFoldsOnPool(dataset, splits, config, spec, workers)));
  else for (const split of splits) folds.push(await trainOnSplit(dataset, split, config, spec));
  const { mean, sd } = summarise(folds);
  return {
    config: shown,
    study: spec.name,
    metrics: mean,
    metrics_sd: sd,
    folds,
    seconds: round((performance.now() - started) / 1000, 2),
    backend,
    workers,
  };
});
