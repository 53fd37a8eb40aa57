/**
 * PK/PD models in three modes (docs/reference-system.md, "Modes"; known flaw 2):
 * - independent: a PK network on the PK features and a PD network on the PD features;
 * - cascade: as independent, but the PD network gets one more input, PK_PRED: the PK network's
 *   prediction (z-units of the PK target) for the same subject and time. The PK network is trained
 *   first; PK_PRED on the training rows is its prediction there (never the observed PK), and the
 *   same function fills the column at validation, test and simulation time;
 * - multitask: one network (shared encoder, a PK head and a PD head) on the PD feature columns, one
 *   row per observation, the loss on whichever target the row observes.
 * Predictions come back in observation units (target scaler inverted, then exp for a log target).
 */
import type { FeatureSet } from '../data/features/dataset-features';
import { buildDatasetFeatures } from '../data/features/dataset-features';
import type { HistoryInputs } from '../data/features/history';
import { historyFeatures } from '../data/features/history';
import type { FeatureScaler, TargetScaler } from '../data/features/scaler';
import { scaleFeatures } from '../data/features/scaler';
import type { FeatureModel } from '../data/features/spec';
import type { Dataset } from '../data/types';
import { DVID_PD, DVID_PK } from '../data/types';
import type { EncoderName } from '../quantum/resources/architecture';
import type { ClassificationHead } from './classification';
import { INFERENCE, type ForwardMode } from './layers';
import { fromTargetScale } from './metrics';
import type { Network, TargetName } from './network';
import { matrix, meanAndSd, runNetwork } from './predict';
import { SeedStream } from './random';

export type ModelMode = 'independent' | 'cascade' | 'multitask';
export const MODEL_MODES: readonly ModelMode[] = ['independent', 'cascade', 'multitask'];

/** 'pk' and 'pd' in independent and cascade mode; 'pkpd' is the multitask network. */
export type BranchName = 'pk' | 'pd' | 'pkpd';

/** Name of the cascade input column of the PD network. */
export const CASCADE_FEATURE = 'PK_PRED';

export interface BranchTarget {
  readonly name: TargetName;
  /** The target is ln(DV) (rows with DV ≤ 0 left out). */
  readonly logTarget: boolean;
  /** Fitted on the training rows of this target. */
  readonly scaler: TargetScaler;
}

/** One trained network and everything needed to feed it. */
export interface Branch {
  readonly name: BranchName;
  readonly network: Network;
  /** The input columns (built by the data module); the cascade column comes after them. */
  readonly featureModel: FeatureModel;
  /** Fitted on the training rows; names = featureModel.names (+ PK_PRED). */
  readonly featureScaler: FeatureScaler;
  /** In the network's output-column order. */
  readonly targets: readonly BranchTarget[];
  /** The last input is the PK branch's prediction (cascade PD network). */
  readonly cascadeInput: boolean;
}

export interface PkPdModel {
  readonly mode: ModelMode;
  readonly encoder: EncoderName;
  readonly branches: readonly Branch[];
  /** The classification head's criterion on its endpoint (classification.ts), or null without one. */
  readonly classification: ClassificationHead | null;
}

export function disposeModel(model: PkPdModel): void {
  for (const b of model.branches) b.network.dispose();
}

export const dvidOf = (target: TargetName): number => (target === 'pk' ? DVID_PK : DVID_PD);

/** The branch predicting `target`, and the target's column in its output. */
export function branchFor(model: PkPdModel, target: TargetName): { branch: Branch; column: number; spec: BranchTarget } | null {
  for (const branch of model.branches) {
    const column = branch.targets.findIndex((t) => t.name === target);
    if (column >= 0) return { branch, column, spec: branch.targets[column] };
  }
  return null;
}

/** The feature model with its rows retargeted: the observations of `target`, with its log-target rule. */
export function retargetFeatureModel(model: FeatureModel, target: TargetName, logTarget: boolean): FeatureModel {
  const dvid = dvidOf(target);
  if (model.spec.dvid === dvid && model.spec.logTarget === logTarget) return model;
  return { ...model, spec: { ...model.spec, dvid, logTarget } };
}

/** Feature rows of `featureModel`'s columns at the observations of `target` of `subjects`. */
export function observationRows(
  dataset: Dataset,
  featureModel: FeatureModel,
  target: { name: TargetName; logTarget: boolean },
  subjects: readonly number[],
): FeatureSet {
  return buildDatasetFeatures(dataset, retargetFeatureModel(featureModel, target.name, target.logTarget), subjects);
}

/**
 * Raw features with an optional extra last column, scaled by the branch's scaler (Float32 for the
 * network) — (x − mean)/sd in float64 as scaleFeatures does, written straight into the result.
 */
export function scaledInputs(branch: Branch, raw: Float64Array, rows: number, extra: ArrayLike<number> | null): Float32Array {
  const nF = branch.featureModel.names.length;
  if (raw.length !== rows * nF) throw new Error(`branch ${branch.name}: expected ${rows} × ${nF} features`);
  if (branch.cascadeInput !== (extra !== null))
    throw new Error(`branch ${branch.name}: the cascade column is ${branch.cascadeInput ? 'missing' : 'unexpected'}`);
  if (extra === null) return scaleFeatures(branch.featureScaler, raw) as Float32Array;
  const width = nF + 1;
  const { mean, sd } = branch.featureScaler;
  const x = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < nF; f++) x[r * width + f] = (raw[r * nF + f] - mean[f]) / sd[f];
    x[r * width + nF] = (extra[r] - mean[nF]) / sd[nF];
  }
  return x;
}

/** Column `column` of a row-major [rows × columns] matrix. */
export function columnOf(values: Float32Array, columns: number, column: number): Float32Array {
  const rows = values.length / columns;
  return Float32Array.from({ length: rows }, (_, r) => values[r * columns + column]);
}

/**
 * Source of a branch's raw inputs at some rows: its own feature columns, and (cascade) the PK
 * branch's raw feature columns at the same rows.
 */
export interface BranchRowInputs {
  readonly rows: number;
  readonly own: Float64Array;
  readonly pk: Float64Array | null;
}

/** z-unit outputs [rows × targets] of `branch`; a cascade branch first runs the PK branch in the same mode. */
export function branchOutputs(model: PkPdModel, branch: Branch, inputs: BranchRowInputs, mode: ForwardMode): Float32Array {
  let extra: Float32Array | null = null;
  if (branch.cascadeInput) {
    const pk = branchFor(model, 'pk');
    if (!pk || pk.branch.cascadeInput || inputs.pk === null) throw new Error('cascade: the PK branch or its inputs are missing');
    const pkOut = branchOutputs(model, pk.branch, { rows: inputs.rows, own: inputs.pk, pk: null }, mode);
    extra = columnOf(pkOut, pk.branch.targets.length, pk.column);
  }
  const x = scaledInputs(branch, inputs.own, inputs.rows, extra);
  return runNetwork(branch.network, matrix(x, branch.featureScaler.names.length), mode).regression;
}

/** The PK branch's z-unit prediction (the cascade column) at the given PK-feature rows. */
export function cascadeColumn(model: PkPdModel, pkRaw: Float64Array, rows: number, mode: ForwardMode = INFERENCE): Float32Array {
  const pk = branchFor(model, 'pk');
  if (!pk) throw new Error('cascade: the model has no PK branch');
  return columnOf(branchOutputs(model, pk.branch, { rows, own: pkRaw, pk: null }, mode), pk.branch.targets.length, pk.column);
}

function pkBranchOf(model: PkPdModel): Branch | null {
  return branchFor(model, 'pk')?.branch ?? null;
}

/** Inputs of `branch` at the observations of `target` of `subjects`, and the rows' facts. */
export function observationInputs(
  model: PkPdModel,
  branch: Branch,
  dataset: Dataset,
  subjects: readonly number[],
  target: BranchTarget,
): { set: FeatureSet; inputs: BranchRowInputs } {
  const set = observationRows(dataset, branch.featureModel, target, subjects);
  let pk: Float64Array | null = null;
  if (branch.cascadeInput) {
    const pkBranch = pkBranchOf(model);
    if (!pkBranch) throw new Error('cascade: the model has no PK branch');
    const pkSet = observationRows(dataset, pkBranch.featureModel, target, subjects);
    if (pkSet.nRows !== set.nRows || pkSet.rows.record.some((r, i) => r !== set.rows.record[i])) {
      throw new Error('cascade: PK and PD feature rows do not align');
    }
    pk = pkSet.matrix;
  }
  return { set, inputs: { rows: set.nRows, own: set.matrix, pk } };
}

export interface PredictionOptions {
  /** MC dropout: dropout kept on at inference, predictions averaged over samples, with their SD. Default off (one deterministic pass). */
  readonly mcDropout?: boolean;
  /** MC-dropout samples (default 30, the reference's). */
  readonly mcSamples?: number;
  /** Seeds the MC-dropout masks (default 0). */
  readonly seed?: number;
}

export const DEFAULT_MC_SAMPLES = 30;

export interface TargetPredictions {
  readonly target: TargetName;
  readonly subject: Int32Array;
  readonly time: Float64Array;
  /** Observed DV (observation units). */
  readonly observed: Float64Array;
  /** Predicted DV: the deterministic prediction, or the mean of the MC samples in DV units. */
  readonly predicted: Float64Array;
  /** Prediction in z-units of the train target scaler (mean of the samples with MC dropout). */
  readonly predictedZ: Float64Array;
  /** SD of the MC samples in DV units; null without MC dropout. */
  readonly sd: Float64Array | null;
  /** Probability that the observation meets the classification head's criterion (its endpoint, with a head). */
  readonly probabilityMet: Float64Array | null;
}

/** z samples of one target → DV summary. */
function summarise(
  zSamples: readonly Float32Array[],
  spec: BranchTarget,
): { predicted: Float64Array; predictedZ: Float64Array; sd: Float64Array | null } {
  const { mean: zMean } = meanAndSd(zSamples);
  const dvSamples = zSamples.map((z) =>
    Float64Array.from(z, (v) => fromTargetScale(v * spec.scaler.sd + spec.scaler.mean, spec.logTarget)),
  );
  if (zSamples.length === 1) return { predicted: dvSamples[0], predictedZ: zMean, sd: null };
  const { mean, sd } = meanAndSd(dvSamples);
  return { predicted: mean, predictedZ: zMean, sd };
}

function outputSamples(model: PkPdModel, branch: Branch, inputs: BranchRowInputs, options: PredictionOptions): Float32Array[] {
  if (!options.mcDropout) return [branchOutputs(model, branch, inputs, INFERENCE)];
  const samples = options.mcSamples ?? DEFAULT_MC_SAMPLES;
  if (!Number.isInteger(samples) || samples < 2) throw new Error(`MC dropout needs at least 2 samples, got ${samples}`);
  const random = new SeedStream(options.seed ?? 0).fork('mc-dropout');
  return Array.from({ length: samples }, () => branchOutputs(model, branch, inputs, { kind: 'mc', random }));
}

/** Predictions at the observations of `subjects` (all targets the model has). */
export function predictObservations(
  model: PkPdModel,
  dataset: Dataset,
  subjects: readonly number[],
  options: PredictionOptions = {},
): Partial<Record<TargetName, TargetPredictions>> {
  const out: Partial<Record<TargetName, TargetPredictions>> = {};
  for (const target of ['pk', 'pd'] as const) {
    const found = branchFor(model, target);
    if (!found) continue;
    const { branch, column, spec } = found;
    const { set, inputs } = observationInputs(model, branch, dataset, subjects, spec);
    const T = branch.targets.length;
    const samples = outputSamples(model, branch, inputs, options).map((o) => columnOf(o, T, column));
    const summary = summarise(samples, spec);
    let probabilityMet: Float64Array | null = null;
    if (target === model.classification?.endpoint && branch.network.config.classification) {
      const x = scaledInputs(
        branch,
        inputs.own,
        inputs.rows,
        branch.cascadeInput ? cascadeColumn(model, inputs.pk as Float64Array, inputs.rows) : null,
      );
      probabilityMet = Float64Array.from(
        runNetwork(branch.network, matrix(x, branch.featureScaler.names.length)).probability as Float32Array,
      );
    }
    out[target] = {
      target,
      subject: set.rows.subject,
      time: set.rows.time,
      observed: set.rows.dv,
      ...summary,
      probabilityMet,
    };
  }
  return out;
}

export interface HistoryPredictions {
  /** Rows: history by history, then time, as given. */
  readonly predicted: Float64Array;
  readonly predictedZ: Float64Array;
  readonly sd: Float64Array | null;
}

/**
 * Predictions for dose histories (observed or simulated regimens) at `times`, for each target the
 * model has: the route the dose-optimisation code takes. Rows: history by history, then time.
 */
export function predictHistories(
  model: PkPdModel,
  histories: readonly HistoryInputs[],
  times: ArrayLike<number>,
  options: PredictionOptions = {},
): Partial<Record<TargetName, HistoryPredictions>> {
  const rows = histories.length * times.length;
  const features = (fm: FeatureModel): Float64Array => {
    const nF = fm.names.length;
    const out = new Float64Array(rows * nF);
    histories.forEach((h, i) => out.set(historyFeatures(fm, h, times), i * times.length * nF));
    return out;
  };
  const out: Partial<Record<TargetName, HistoryPredictions>> = {};
  for (const target of ['pk', 'pd'] as const) {
    const found = branchFor(model, target);
    if (!found) continue;
    const { branch, column, spec } = found;
    const pkBranch = branch.cascadeInput ? pkBranchOf(model) : null;
    const inputs: BranchRowInputs = { rows, own: features(branch.featureModel), pk: pkBranch ? features(pkBranch.featureModel) : null };
    const samples = outputSamples(model, branch, inputs, options).map((o) => columnOf(o, branch.targets.length, column));
    out[target] = summarise(samples, spec);
  }
  return out;
}
