/**
 * How large a model may be: what a model file can hold decides what may be trained, so that every
 * model trained here can be saved, exported and imported again. Parameter counts come from
 * arithmetic over the architecture (the resource estimator's formulas), before any network is built.
 * Pure and free of TF.js (types only), so the training form can check as the user types.
 */
import { featureLayout } from '../data/features/history';
import { type FeatureSpec, resolveFeatureSpec } from '../data/features/spec';
import { studyFeatureOptions, studySizeColumn } from '../data/features/study-features';
import { type Dataset, DVID_PD, DVID_PK } from '../data/types';
import { estDataPreset } from '../study/estdata-preset';
import type { StudySpec } from '../study/study-spec';
import { type ArchitectureConfig, type EncoderName, modelArchitecture } from '../quantum/resources/architecture';
import { dense } from '../quantum/resources/layer-parameters';
import { encoderParameters, headParameters } from '../quantum/resources/model-parameters';
import { formatCount } from '../text/format';
import type { NetworkConfig } from './network';
import type { ModelMode } from './pkpd-model';
import type { QuantumBlockKind } from './quantum-block';

/**
 * The largest model file the app reads, checked on the file's size before its text is read (a
 * model at MAX_MODEL_PARAMETERS fits, see there). The largest model of the training form's default
 * sizes — ResMLP-MoE, cascade, with the classification head: 418,051 parameters — makes an 8.7 MB
 * file (about 21 bytes a weight), read, checked and built in 75 ms (`bench/input-limits.ts`,
 * `bench/results-input-limits-2026-12-06.json`).
 */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The most bytes one weight takes in a model file: a float32 value written exactly is at most 25
 * characters ("-0.0000011884279729201808"), then its comma.
 */
export const MAX_WEIGHT_FILE_BYTES = 26;

/**
 * The most trainable parameters a model's networks may have together — one limit for training
 * (`trainingConfigProblems`, `trainPkPd`) and for importing (`checkModelDocument`). Its weights take
 * at most 52 MB of a model file, which leaves over 14 MiB of MAX_MODEL_FILE_BYTES for the rest (the
 * description with up to 20,000 curve points, weight names and shapes, feature model and scalers):
 * every model trained here can be exported and imported again (tested with a file of the largest kind).
 */
export const MAX_MODEL_PARAMETERS = 2_000_000;

/** What decides a network's parameter count (a NetworkConfig without its seed and router noise). */
export type NetworkShape = Pick<NetworkConfig, 'encoder' | 'architecture' | 'targets' | 'classification' | 'quantumBlocks'>;

/**
 * Parameters of the network `config` describes, by arithmetic (createNetwork makes exactly these):
 * the encoder's and one head per target and for the classification head; in width-matched controls
 * each circuit's 3nL angles are replaced by a dense(n → 4n).
 */
export function networkParameterCount(config: NetworkShape): number {
  const a = config.architecture;
  const encoder = encoderParameters(config.encoder, a);
  const encoderTotal =
    config.quantumBlocks === 'width-matched-control'
      ? encoder.classical + encoder.circuits * dense(a.nQubits, a.readoutsPerQubit * a.nQubits)
      : encoder.total;
  return encoderTotal + (config.targets.length + (config.classification ? 1 : 0)) * headParameters(a);
}

/** A whole model's shape: its networks follow from the mode (trainPkPd's plan). */
export interface ModelShape {
  readonly encoder: EncoderName;
  readonly mode: ModelMode;
  /** Architecture overrides, as trainPkPd takes them (the inputs follow the features; the head width follows H/2). */
  readonly architecture?: Partial<Omit<ArchitectureConfig, 'nInputs'>>;
  /** Feature columns of the PK and the PD network (the PD network of a cascade reads one more: PK_PRED). */
  readonly features: { readonly pk: number; readonly pd: number };
  readonly classification: boolean;
  /** The endpoint of the classification head (default 'pd'). */
  readonly classificationEndpoint?: 'pk' | 'pd';
  /** The study has a response endpoint (default true); without one, the PK network alone. */
  readonly hasPd?: boolean;
  readonly quantumBlocks?: QuantumBlockKind;
}

/**
 * The networks of a model: multitask, one network on the PD features with a PK and a PD head;
 * independent and cascade, a PK network and a PD network (in cascade with PK_PRED as one more input).
 * The classification head sits on the network with its endpoint's target (default PD). A study
 * without a response endpoint has the PK network alone.
 */
export function modelNetworkShapes(model: ModelShape): NetworkShape[] {
  const network = (nInputs: number, targets: NetworkShape['targets']): NetworkShape => ({
    encoder: model.encoder,
    architecture: modelArchitecture(nInputs, model.architecture),
    targets,
    classification: model.classification && targets.includes(model.classificationEndpoint ?? 'pd'),
    quantumBlocks: model.quantumBlocks,
  });
  if (model.hasPd === false) return [network(model.features.pk, ['pk'])];
  if (model.mode === 'multitask') return [network(model.features.pd, ['pk', 'pd'])];
  return [network(model.features.pk, ['pk']), network(model.features.pd + (model.mode === 'cascade' ? 1 : 0), ['pd'])];
}

/** Parameters of all the networks of a model, together. */
export function modelParameterCount(model: ModelShape): number {
  return modelNetworkShapes(model).reduce((n, shape) => n + networkParameterCount(shape), 0);
}

/** Feature columns of options resolved against `available` covariates, with every estimated feature present (the elimination rate, the PK shape). */
function featureCount(options: FeatureSpec, available?: readonly string[]): number {
  return featureLayout(resolveFeatureSpec(options, available).spec, 1, { ka: 1, alpha: 1, rho: 0 }).names.length;
}

/**
 * The feature columns of EstData's PK and PD networks, from its preset (its two covariates, per kg by
 * its body weight, the elimination rate and the PK shape, the PD baseline): the count of settings
 * without a dataset (share links, experiments).
 */
export function defaultFeatureCounts(): { pk: number; pd: number } {
  const preset = estDataPreset();
  const named = { covariates: preset.model.covariates.map((c) => c.column), bodyWeight: studySizeColumn(preset) };
  return { pk: featureCount({ ...named, dvid: DVID_PK }), pd: featureCount({ ...named, dvid: DVID_PD }) };
}

/** What a model's size depends on besides the training settings: its networks' feature columns, whether it has a PD network, its head's endpoint. */
export interface ModelFeatureShape {
  readonly features: { readonly pk: number; readonly pd: number };
  readonly hasPd: boolean;
  /** The endpoint of the classification head the study's question gives; null: the study asks none (no head). */
  readonly classificationEndpoint: 'pk' | 'pd' | null;
}

/** The shape of models without a study (EstData's features, from its preset; a head on PD). */
export function defaultFeatureShape(): ModelFeatureShape {
  return { features: defaultFeatureCounts(), hasPd: true, classificationEndpoint: 'pd' };
}

/**
 * The smallest models any study gives: the PK network alone, on the fewest feature columns (no
 * covariates, no body weight, no estimated features), without a head. A config too large even then
 * was trained nowhere — the check of a model file's settings, whose study is not known there.
 */
export function smallestFeatureShape(): ModelFeatureShape {
  const fewest = resolveFeatureSpec({ dvid: DVID_PK, covariates: [], bodyWeight: null, baselinePd: false }).spec;
  return { features: { pk: featureLayout(fewest, null, null).names.length, pd: 0 }, hasPd: false, classificationEndpoint: null };
}

/**
 * The shape of a study's models on a dataset, as trainPkPd builds them (src/data/features/study-features.ts):
 * the study's covariates the file has, its body-size covariate, its endpoints and question — counted
 * with every estimated feature present, so that the real count is never larger. From names only (no
 * pass over the records): cheap enough for the training form.
 */
export function studyFeatureShape(spec: StudySpec, dataset: Dataset): ModelFeatureShape {
  const options = studyFeatureOptions(spec, dataset);
  const available = dataset.covariates.map((c) => c.name);
  const pd = options.pd === null ? 0 : featureCount({ ...options.pd, dvid: DVID_PD }, available);
  return {
    features: { pk: featureCount({ ...options.pk, dvid: DVID_PK }, available), pd },
    hasPd: options.pd !== null,
    classificationEndpoint: spec.questions?.endpoint ?? null,
  };
}

const USES_EXPERTS: readonly EncoderName[] = ['moe', 'resmlp-moe', 'qnn-resmlp-moe', 'qmoe-resmlp'];

/** Why a model of `parameters` parameters cannot be trained or imported here, or null when it can. */
export function parameterBudgetProblem(parameters: number, encoder: EncoderName): string | null {
  if (parameters <= MAX_MODEL_PARAMETERS) return null;
  const lower = USES_EXPERTS.includes(encoder)
    ? 'the hidden width, the depth or the experts per MoE block'
    : 'the hidden width or the depth';
  return (
    `This model's networks would have ${formatCount(parameters)} parameters; at most ${formatCount(MAX_MODEL_PARAMETERS)} can be ` +
    `saved and shared. Lower ${lower}.`
  );
}
