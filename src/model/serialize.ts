/**
 * A trained PK/PD model as one versioned JSON document: per branch the network config and weights
 * (plain number arrays, float32 values written exactly), the fitted feature model, the feature
 * scaler and the target scalers. Loading rebuilds networks that give identical predictions.
 */
import { parseFeatureModel } from '../data/features/model';
import { type FeatureScaler, featureScalerFromJSON, type TargetScaler, targetScalerFromJSON } from '../data/features/scaler';
import type { FeatureModel } from '../data/features/spec';
import { architecture, type EncoderName, isEncoderName } from '../quantum/resources/architecture';
import { ModelFormatError } from './errors';
import { checkNetworkConfig, createNetwork, type NetworkConfig, type TargetName } from './network';
import type { ParameterValues } from './parameters';
import { type Branch, type BranchName, CASCADE_FEATURE, MODEL_MODES, type ModelMode, type PkPdModel } from './pkpd-model';

export const MODEL_DOCUMENT_FORMAT = 'qpkpd-studio/pkpd-model';
export const MODEL_DOCUMENT_VERSION = 1;

export interface SavedBranch {
  readonly name: BranchName;
  readonly network: { readonly config: NetworkConfig; readonly weights: readonly ParameterValues[] };
  readonly featureModel: FeatureModel;
  readonly featureScaler: FeatureScaler;
  readonly targets: readonly { readonly name: TargetName; readonly logTarget: boolean; readonly scaler: TargetScaler }[];
  readonly cascadeInput: boolean;
}

export interface ModelDocument {
  readonly format: typeof MODEL_DOCUMENT_FORMAT;
  readonly version: typeof MODEL_DOCUMENT_VERSION;
  readonly mode: ModelMode;
  readonly encoder: EncoderName;
  readonly classification: { readonly thresholdNgMl: number } | null;
  readonly branches: readonly SavedBranch[];
  /** Free-form facts for display (split, metrics, timings); not read back into the model. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

export function saveModel(model: PkPdModel, metadata: Record<string, unknown> = {}): ModelDocument {
  return {
    format: MODEL_DOCUMENT_FORMAT,
    version: MODEL_DOCUMENT_VERSION,
    mode: model.mode,
    encoder: model.encoder,
    classification: model.classification ? { thresholdNgMl: model.classification.thresholdNgMl } : null,
    branches: model.branches.map((b) => ({
      name: b.name,
      network: {
        config: {
          ...b.network.config,
          quantumBlocks: b.network.config.quantumBlocks ?? 'circuit',
          architecture: { ...b.network.config.architecture },
        },
        weights: b.network.parameters.toValues(),
      },
      featureModel: b.featureModel,
      featureScaler: b.featureScaler,
      targets: b.targets.map((t) => ({ name: t.name, logTarget: t.logTarget, scaler: t.scaler })),
      cascadeInput: b.cascadeInput,
    })),
    metadata,
  };
}

export function modelToJSON(model: PkPdModel, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify(saveModel(model, metadata));
}

/** Rebuilds a model from a document (or its JSON text); checks format, version and shapes. */
export function loadModel(document: unknown): PkPdModel {
  const doc = (typeof document === 'string' ? JSON.parse(document) : document) as ModelDocument;
  if (typeof doc !== 'object' || doc === null || doc.format !== MODEL_DOCUMENT_FORMAT)
    throw new ModelFormatError('not a QPKPD Studio model document');
  if (doc.version !== MODEL_DOCUMENT_VERSION)
    throw new ModelFormatError(`model document version ${String(doc.version)} is not supported (expected ${MODEL_DOCUMENT_VERSION})`);
  if (!MODEL_MODES.includes(doc.mode) || !isEncoderName(doc.encoder) || !Array.isArray(doc.branches) || doc.branches.length === 0) {
    throw new ModelFormatError('model document: mode, encoder or branches are missing or unknown');
  }
  const classification =
    doc.classification === null || doc.classification === undefined ? null : { thresholdNgMl: Number(doc.classification.thresholdNgMl) };
  if (classification && !Number.isFinite(classification.thresholdNgMl))
    throw new ModelFormatError('model document: invalid classification threshold');
  const branches: Branch[] = [];
  try {
    for (const saved of doc.branches) branches.push(loadBranch(saved));
  } catch (e) {
    for (const b of branches) b.network.dispose();
    throw e instanceof ModelFormatError ? e : new ModelFormatError(`model document: ${(e as Error).message}`);
  }
  return { mode: doc.mode, encoder: doc.encoder, branches, classification };
}

function loadBranch(saved: SavedBranch): Branch {
  // Documents written before width-matched controls existed have no quantumBlocks: they hold circuits.
  const config: NetworkConfig = {
    ...saved.network.config,
    quantumBlocks: saved.network.config.quantumBlocks ?? 'circuit',
    architecture: architecture(saved.network.config.architecture),
  };
  checkNetworkConfig(config);
  const featureModel = parseFeatureModel(saved.featureModel);
  const featureScaler = featureScalerFromJSON(JSON.stringify(saved.featureScaler));
  const expectedNames = saved.cascadeInput ? [...featureModel.names, CASCADE_FEATURE] : featureModel.names;
  if (featureScaler.names.join('|') !== expectedNames.join('|') || config.architecture.nInputs !== expectedNames.length) {
    throw new ModelFormatError(`branch ${saved.name}: feature columns, scaler and network inputs disagree`);
  }
  const targets = saved.targets.map((t) => ({
    name: t.name,
    logTarget: Boolean(t.logTarget),
    scaler: targetScalerFromJSON(JSON.stringify(t.scaler)),
  }));
  if (targets.map((t) => t.name).join('|') !== config.targets.join('|'))
    throw new ModelFormatError(`branch ${saved.name}: targets disagree with the network heads`);
  const network = createNetwork(config);
  try {
    network.parameters.loadValues(saved.network.weights);
  } catch (e) {
    network.dispose();
    throw e;
  }
  return { name: saved.name, network, featureModel, featureScaler, targets, cascadeInput: Boolean(saved.cascadeInput) };
}
