/**
 * Training a PK/PD model on a SplitView: everything — feature models, scalers, networks, early
 * stopping, validation metrics — comes from `view.development` (training and validation subjects
 * only). The test subjects are reachable only through `evaluateFinal`, which calls the view's
 * finalEvaluation(FINAL_EVALUATION) once a model has been chosen.
 */
import { fitFeatureModel } from '../data/features/model';
import { studyFeatureOptions } from '../data/features/study-features';
import { fitFeatureScaler, fitTargetScaler } from '../data/features/scaler';
import type { FeatureModel, FeatureSpec } from '../data/features/spec';
import type { SplitView } from '../data/splits/view';
import { FINAL_EVALUATION } from '../data/splits/view';
import type { Dataset } from '../data/types';
import { DVID_PD, DVID_PK } from '../data/types';
import {
  type ArchitectureConfig,
  ENCODER_NAMES,
  type EncoderName,
  isEncoderName,
  modelArchitecture,
} from '../quantum/resources/architecture';
import type { StudySpec } from '../study/study-spec';
import { type ClassificationHead, classificationLabel, describeClassification, legacyClassification } from './classification';
import { DEFAULT_ROUTER_NOISE } from './encoders';
import { ModelConfigError, ModelDataError } from './errors';
import { checkFiniteInputs } from './input-check';
import { type TargetMetrics, targetMetrics } from './metrics';
import { createNetwork, type TargetName } from './network';
import { modelParameterCount, parameterBudgetProblem } from './parameter-budget';
import {
  type Branch,
  type BranchName,
  type BranchTarget,
  CASCADE_FEATURE,
  cascadeColumn,
  MODEL_MODES,
  type ModelMode,
  observationInputs,
  type PkPdModel,
  predictObservations,
  scaledInputs,
  type TargetPredictions,
} from './pkpd-model';
import { matrix } from './predict';
import type { QuantumBlockKind } from './quantum-block';
import { mixSeed } from './random';
import {
  type EpochProgress,
  resolveTrainingOptions,
  type TrainingHooks,
  type TrainingOptions,
  type TrainingResult,
  type TrainingSet,
  trainNetwork,
} from './train-network';

/** The classification head: a criterion on an endpoint (classification.ts), or `{ thresholdNgMl }`: PD below it (ng/mL). */
export type ClassificationOptions = ClassificationHead | { readonly thresholdNgMl: number };

export interface PkPdTrainingOptions {
  readonly mode: ModelMode;
  readonly encoder: EncoderName;
  /** Architecture overrides (nInputs follows the features; the head width follows H/2). */
  readonly architecture?: Partial<Omit<ArchitectureConfig, 'nInputs'>>;
  /**
   * The study the data follow (its spec): the features read its covariates, endpoints, time unit and
   * dosing scale (src/data/features/study-features.ts), and a study without a response endpoint gets
   * a PK network only. Absent: the feature code's defaults (DVID 1 and 2, no covariates, no per-kg
   * features) — EstData's features come from its preset (public/demo/EstData.study.json).
   */
  readonly study?: StudySpec;
  /** Covariates the user adds to the study's (with `study`). */
  readonly addedCovariates?: readonly string[];
  /** Feature options per target, over the study's (defaults: the data module's, i.e. our fixes; see referenceFeatureSpec). */
  readonly features?: { readonly pk?: Omit<FeatureSpec, 'dvid'>; readonly pd?: Omit<FeatureSpec, 'dvid'> };
  /** Adds a classification head (the study's criterion on its endpoint) with a binary cross-entropy loss. */
  readonly classification?: ClassificationOptions | null;
  readonly routerNoise?: number;
  /** Quantum encoders: circuits, or their width-matched classical controls. Default 'circuit'. */
  readonly quantumBlocks?: QuantumBlockKind;
  readonly training?: Partial<Omit<TrainingOptions, 'seed'>>;
  /** Seeds the initial weights, batch order, dropout and noise of every branch. Default 0. */
  readonly seed?: number;
}

export interface BranchProgress extends EpochProgress {
  readonly branch: BranchName;
}

export interface PkPdTrainingHooks {
  readonly onEpoch?: (progress: BranchProgress) => void;
  readonly signal?: TrainingHooks['signal'];
}

export interface ValidationMetrics {
  readonly pk: TargetMetrics | null;
  readonly pd: TargetMetrics | null;
}

export interface PkPdTrainingResult {
  readonly model: PkPdModel;
  /** Metrics of the restored (best-on-validation) networks on the validation subjects. */
  readonly validation: ValidationMetrics;
  readonly training: Partial<Record<BranchName, TrainingResult>>;
  /** Cascade mode: the PK_PRED column the PD network was trained and validated with (PK z-units). */
  readonly cascadeInputs: { readonly train: Float32Array; readonly val: Float32Array } | null;
  readonly seconds: number;
  readonly cancelled: boolean;
}

const TARGET_DVID: Readonly<Record<TargetName, number>> = { pk: DVID_PK, pd: DVID_PD };

/** The training subjects have no usable observations of `targets`: the network of `branch` cannot learn them. */
function noObservations(targets: readonly TargetName[], branch: BranchName, study?: StudySpec): ModelDataError {
  const selector = (t: TargetName): string => {
    const e = study?.endpoints[t];
    if (!e) return `DVID ${TARGET_DVID[t]}`;
    return [e.dvid !== undefined ? `DVID ${e.dvid}` : '', e.cmt !== undefined ? `CMT ${e.cmt}` : ''].filter(Boolean).join(' and ');
  };
  const observed = targets.map((t) => `${t.toUpperCase()} (${selector(t)})`).join(' or ');
  const network = branch === 'pkpd' ? 'the network' : `the ${branch.toUpperCase()} network`;
  return new ModelDataError(
    `The training subjects have no usable ${observed} observations, so ${network} cannot be trained. Load a file with ${observed} ` +
      `observations (not MDV = 1) for the subjects, or check its ${study ? "DVID and CMT columns and the study's endpoints" : 'DVID column'}.`,
  );
}

interface BranchPlan {
  readonly name: BranchName;
  readonly featureModel: FeatureModel;
  readonly targets: readonly { name: TargetName; logTarget: boolean }[];
  readonly cascadeInput: boolean;
}

export async function trainPkPd(view: SplitView, options: PkPdTrainingOptions, hooks: PkPdTrainingHooks = {}): Promise<PkPdTrainingResult> {
  const started = performance.now();
  if (!MODEL_MODES.includes(options.mode))
    throw new ModelConfigError(`unknown mode ${String(options.mode)}; choose one of ${MODEL_MODES.join(', ')}`);
  if (!isEncoderName(options.encoder))
    throw new ModelConfigError(`unknown encoder ${String(options.encoder)}; choose one of ${ENCODER_NAMES.join(', ')}`);
  const given = options.classification ?? null;
  const head: ClassificationHead | null =
    given === null ? null : 'thresholdNgMl' in given ? legacyClassification(given.thresholdNgMl) : given;
  if (head !== null && !(head.rule === 'within' ? head.range!.every(Number.isFinite) : Number.isFinite(head.threshold)))
    throw new Error(`trainPkPd: the classification criterion ${describeClassification(head)} needs finite numbers`);
  const seed = options.seed ?? 0;
  resolveTrainingOptions(options.training);
  const dataset = view.development;
  const train = [...view.train];
  const val = [...view.val];
  if (train.length === 0)
    throw new ModelDataError(
      `The split ${view.name} leaves no subjects to train on: the file has too few subjects for it. Choose the reference split, or load a file with more subjects.`,
    );

  const fromStudy = options.study ? studyFeatureOptions(options.study, dataset, options.addedCovariates) : null;
  const hasPd = fromStudy === null || fromStudy.pd !== null;
  const pkFeatures = fitFeatureModel(dataset, { ...fromStudy?.pk, ...options.features?.pk, dvid: DVID_PK }, train);
  const pdFeatures = hasPd ? fitFeatureModel(dataset, { ...fromStudy?.pd, ...options.features?.pd, dvid: DVID_PD }, train) : null;
  if (fromStudy) pkFeatures.notes.unshift(...fromStudy.notes);
  // A head on an endpoint the model does not predict has no rows to learn from.
  const classification = head !== null && (head.endpoint === 'pk' || hasPd) ? head : null;
  // A model that no model file could hold is refused before any network is built (the training form checks the same).
  const tooLarge = parameterBudgetProblem(
    modelParameterCount({
      encoder: options.encoder,
      mode: options.mode,
      architecture: options.architecture,
      features: { pk: pkFeatures.names.length, pd: pdFeatures?.names.length ?? 0 },
      classification: classification !== null,
      classificationEndpoint: classification?.endpoint,
      hasPd,
      quantumBlocks: options.quantumBlocks,
    }),
    options.encoder,
  );
  if (tooLarge !== null) throw new ModelConfigError(tooLarge);
  const pk = { name: 'pk' as const, logTarget: pkFeatures.spec.logTarget };
  // A study without a response endpoint: the PK network alone, whatever the mode.
  const plans: BranchPlan[] =
    pdFeatures === null
      ? [{ name: 'pk', featureModel: pkFeatures, targets: [pk], cascadeInput: false }]
      : options.mode === 'multitask'
        ? [
            {
              name: 'pkpd',
              featureModel: pdFeatures,
              targets: [pk, { name: 'pd', logTarget: pdFeatures.spec.logTarget }],
              cascadeInput: false,
            },
          ]
        : [
            { name: 'pk', featureModel: pkFeatures, targets: [pk], cascadeInput: false },
            {
              name: 'pd',
              featureModel: pdFeatures,
              targets: [{ name: 'pd', logTarget: pdFeatures.spec.logTarget }],
              cascadeInput: options.mode === 'cascade',
            },
          ];

  const branches: Branch[] = [];
  const model: PkPdModel = {
    mode: options.mode,
    encoder: options.encoder,
    branches,
    classification,
  };
  const training: Partial<Record<BranchName, TrainingResult>> = {};
  let cascadeInputs: PkPdTrainingResult['cascadeInputs'] = null;
  let cancelled = false;
  try {
    for (const plan of plans) {
      const built = await trainBranch(model, plan, dataset, train, val, options, classification, seed, hooks);
      branches.push(built.branch);
      training[plan.name] = built.result;
      if (plan.cascadeInput) cascadeInputs = built.cascade;
      if (built.result.stopReason === 'cancelled') {
        cancelled = true;
        break;
      }
    }
  } catch (e) {
    for (const b of branches) b.network.dispose();
    throw e;
  }
  const validation = cancelled || val.length === 0 ? { pk: null, pd: null } : evaluateSubjects(model, dataset, val).metrics;
  return { model, validation, training, cascadeInputs, seconds: (performance.now() - started) / 1000, cancelled };
}

interface BranchData {
  readonly set: TrainingSet;
  readonly raw: Float64Array;
  readonly rows: number;
  readonly cascade: Float32Array | null;
  /** Target values (model scale) per target, for the target scalers. */
  readonly targetValues: Float64Array[];
}

/** Raw inputs, targets and labels of a branch over `subjects`, target blocks stacked (PK rows, then PD rows). */
function branchData(
  model: PkPdModel,
  shell: Branch,
  dataset: Dataset,
  subjects: readonly number[],
  head: ClassificationHead | null,
): Omit<BranchData, 'set'> & {
  y: (scalers: readonly BranchTarget[]) => Float32Array;
  labels: Float32Array | null;
  /** Each row's subject (index into Dataset.subjects) and file line, for messages. */
  subjects: Int32Array;
  lines: Int32Array;
} {
  const T = shell.targets.length;
  const blocks = shell.targets.map((t) => {
    const { set, inputs } = observationInputs(model, shell, dataset, subjects, t);
    const cascade = shell.cascadeInput ? cascadeColumn(model, inputs.pk as Float64Array, inputs.rows) : null;
    return { target: t.name, set, cascade };
  });
  const rows = blocks.reduce((n, b) => n + b.set.nRows, 0);
  const nF = shell.featureModel.names.length;
  const raw = new Float64Array(rows * nF);
  const cascade = shell.cascadeInput ? new Float32Array(rows) : null;
  const labels = head !== null && shell.targets.some((t) => t.name === head.endpoint) ? new Float32Array(rows).fill(Number.NaN) : null;
  const subjectOf = new Int32Array(rows);
  const lines = new Int32Array(rows);
  let at = 0;
  for (const b of blocks) {
    raw.set(b.set.matrix, at * nF);
    subjectOf.set(b.set.rows.subject, at);
    lines.set(b.set.rows.sourceLine, at);
    if (cascade && b.cascade) cascade.set(b.cascade, at);
    if (labels && head && b.target === head.endpoint)
      for (let i = 0; i < b.set.nRows; i++) labels[at + i] = classificationLabel(head, b.set.rows.dv[i]);
    at += b.set.nRows;
  }
  const targetValues = shell.targets.map((t) => blocks.find((b) => b.target === t.name)!.set.rows.target);
  const y = (targets: readonly BranchTarget[]): Float32Array => {
    const out = new Float32Array(rows * T).fill(Number.NaN);
    let row = 0;
    for (const b of blocks) {
      const column = targets.findIndex((t) => t.name === b.target);
      const { mean, sd } = targets[column].scaler;
      for (let i = 0; i < b.set.nRows; i++) out[(row + i) * T + column] = (b.set.rows.target[i] - mean) / sd;
      row += b.set.nRows;
    }
    return out;
  };
  return { raw, rows, cascade, targetValues, y, labels, subjects: subjectOf, lines };
}

async function trainBranch(
  model: PkPdModel,
  plan: BranchPlan,
  dataset: Dataset,
  train: readonly number[],
  val: readonly number[],
  options: PkPdTrainingOptions,
  head: ClassificationHead | null,
  seed: number,
  hooks: PkPdTrainingHooks,
): Promise<{ branch: Branch; result: TrainingResult; cascade: { train: Float32Array; val: Float32Array } | null }> {
  const names = plan.cascadeInput ? [...plan.featureModel.names, CASCADE_FEATURE] : [...plan.featureModel.names];
  // a provisional branch (no network, no scalers yet) to read rows through the same code as prediction
  const shell = {
    name: plan.name,
    featureModel: plan.featureModel,
    targets: plan.targets,
    cascadeInput: plan.cascadeInput,
  } as unknown as Branch;
  const trainData = branchData(model, shell, dataset, train, head);
  if (trainData.rows === 0)
    throw noObservations(
      plan.targets.map((t) => t.name),
      plan.name,
      options.study,
    );
  const valData = val.length > 0 ? branchData(model, shell, dataset, val, head) : null;
  const nF = plan.featureModel.names.length;
  const inputsOf = (d: typeof trainData): Float64Array => (d.cascade ? withColumn(d.raw, d.rows, nF, d.cascade) : d.raw);
  const sourceOf = (d: typeof trainData) => (row: number) => ({ subject: dataset.subjects[d.subjects[row]].id, line: d.lines[row] });
  // A NaN or infinite input is the file's (or a diverged PK network's): say so in words, before the scaler fails on it.
  const scalerInput = inputsOf(trainData);
  checkFiniteInputs(scalerInput, names, sourceOf(trainData), 'training');
  if (valData && valData.rows > 0) checkFiniteInputs(inputsOf(valData), names, sourceOf(valData), 'validation');
  const targets: BranchTarget[] = plan.targets.map((t, i) => {
    if (trainData.targetValues[i].length === 0) throw noObservations([t.name], plan.name, options.study);
    return { ...t, scaler: fitTargetScaler(trainData.targetValues[i]) };
  });
  const featureScaler = fitFeatureScaler(scalerInput, names);
  const network = createNetwork({
    encoder: options.encoder,
    architecture: modelArchitecture(names.length, options.architecture),
    targets: plan.targets.map((t) => t.name),
    classification: head !== null && plan.targets.some((t) => t.name === head.endpoint),
    routerNoise: options.routerNoise ?? DEFAULT_ROUTER_NOISE,
    quantumBlocks: options.quantumBlocks,
    seed: mixSeed(seed, `network:${plan.name}`),
  });
  const branch: Branch = {
    name: plan.name,
    network,
    featureModel: plan.featureModel,
    featureScaler,
    targets,
    cascadeInput: plan.cascadeInput,
  };
  try {
    const toSet = (d: typeof trainData): TrainingSet => ({
      x: matrix(scaledInputs(branch, d.raw, d.rows, d.cascade), names.length),
      y: d.y(targets),
      labels: d.labels,
    });
    const result = await trainNetwork(
      network,
      toSet(trainData),
      valData && valData.rows > 0 ? toSet(valData) : null,
      { ...options.training, seed: mixSeed(seed, `training:${plan.name}`) },
      { signal: hooks.signal, onEpoch: hooks.onEpoch ? (p) => hooks.onEpoch?.({ ...p, branch: plan.name }) : undefined },
    );
    const cascade = trainData.cascade ? { train: trainData.cascade, val: valData?.cascade ?? new Float32Array(0) } : null;
    return { branch, result, cascade };
  } catch (e) {
    network.dispose();
    throw e;
  }
}

function withColumn(raw: Float64Array, rows: number, nF: number, column: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows * (nF + 1));
  for (let r = 0; r < rows; r++) {
    out.set(raw.subarray(r * nF, (r + 1) * nF), r * (nF + 1));
    out[r * (nF + 1) + nF] = column[r];
  }
  return out;
}

export interface SubjectEvaluation {
  readonly metrics: ValidationMetrics;
  readonly predictions: Partial<Record<TargetName, TargetPredictions>>;
}

/** Metrics of the model's deterministic predictions at the observations of `subjects`. */
export function evaluateSubjects(model: PkPdModel, dataset: Dataset, subjects: readonly number[]): SubjectEvaluation {
  const predictions = predictObservations(model, dataset, subjects);
  const metricsOf = (target: TargetName): TargetMetrics | null => {
    const p = predictions[target];
    const spec = model.branches.flatMap((b) => b.targets).find((t) => t.name === target);
    if (!p || !spec || p.observed.length === 0) return null;
    return targetMetrics(p.observed, p.predicted, spec.scaler, spec.logTarget);
  };
  return { metrics: { pk: metricsOf('pk'), pd: metricsOf('pd') }, predictions };
}

/**
 * The final evaluation of a chosen model on the withheld test subjects — the only place the model
 * code asks the split view for them.
 */
export function evaluateFinal(model: PkPdModel, view: SplitView): SubjectEvaluation {
  const { dataset, test } = view.finalEvaluation(FINAL_EVALUATION);
  return evaluateSubjects(model, dataset, test);
}
