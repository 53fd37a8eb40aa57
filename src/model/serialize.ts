/**
 * A trained PK/PD model as one versioned JSON document: per branch the network config and weights
 * (plain number arrays, float32 values written exactly), the fitted feature model, the feature
 * scaler and the target scalers. Loading rebuilds networks that give identical predictions; it first
 * checks the document as untrusted data (`checkModelDocument`), so that no TF.js variable is created
 * for a document whose architecture is out of range or whose weights do not fit it.
 */
import { parseFeatureModel } from '../data/features/model';
import { type FeatureScaler, featureScalerFromJSON, type TargetScaler, targetScalerFromJSON } from '../data/features/scaler';
import type { FeatureModel } from '../data/features/spec';
import {
  architecture,
  type ArchitectureConfig,
  DEFAULT_ARCHITECTURE,
  ENCODER_NAMES,
  type EncoderName,
} from '../quantum/resources/architecture';
import { formatCount } from '../text/format';
import { type ClassificationHead, readClassification } from './classification';
import { ModelFormatError } from './errors';
import {
  checkNetworkConfig,
  createNetwork,
  type HeadName,
  isParameterHead,
  type NetworkConfig,
  TARGET_NAMES,
  type TargetName,
} from './network';
import { MAX_MODEL_PARAMETERS, networkParameterCount } from './parameter-budget';
import type { ParameterValues } from './parameters';
import { type Branch, type BranchName, CASCADE_FEATURE, MODEL_MODES, type ModelMode, type PkPdModel } from './pkpd-model';
import { QUANTUM_BLOCK_KINDS } from './quantum-block';
import {
  array,
  count,
  damaged,
  finite,
  flag,
  MAX_MODEL_FILE_NESTING,
  object,
  oneOf,
  type Plain,
  savedClassification,
  text,
} from './trained-model-check';
import { architectureProblems } from './training-config';
import { jsonShapeIssue } from './untrusted-json';

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
  /** The classification head; `{ thresholdNgMl }` in files saved before study specs (PD below it). */
  readonly classification: ClassificationHead | { readonly thresholdNgMl: number } | null;
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
    classification: model.classification ? { ...model.classification } : null,
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

const BRANCH_NAMES: readonly BranchName[] = ['pk', 'pd', 'pkpd'];
/** Weight names as the app writes them ('encoder/block1/fc1/kernel'). */
const WEIGHT_NAME = /^[A-Za-z0-9_.:/-]{1,200}$/;
/** Tensors of the networks have at most 3 dimensions (circuit weights [L, n, 3]). */
const MAX_WEIGHT_RANK = 3;

const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * A network config: every field of its type, the architecture within the training form's ranges; the
 * heads PK and/or PD (a direct model's branch) or parameter heads (a hybrid model's covariate network).
 */
export function checkNetwork(
  value: unknown,
  path: string,
  encoder: EncoderName,
  heads: 'targets' | 'parameters' = 'targets',
): NetworkConfig {
  const c = object(value, path);
  if (c.encoder !== encoder) throw damaged(`${path}.encoder`, "is not the model's encoder");
  const plainArchitecture = object(c.architecture, `${path}.architecture`);
  const [problem] = Object.entries(architectureProblems(plainArchitecture as Record<keyof ArchitectureConfig, unknown>));
  if (problem) throw damaged(`${path}.architecture.${problem[0]}`, `is invalid (${problem[1]})`);
  const targets: HeadName[] = array(c.targets, `${path}.targets`).map((t, i) => {
    if (heads === 'targets') return oneOf(t, TARGET_NAMES, `${path}.targets[${i}]`);
    if (typeof t !== 'string' || !isParameterHead(t)) throw damaged(`${path}.targets[${i}]`, 'is not a parameter head');
    return t;
  });
  if (targets.length === 0 || new Set(targets).size !== targets.length)
    throw damaged(`${path}.targets`, heads === 'targets' ? 'must name pk, pd or both, once each' : 'must name each parameter once');
  const routerNoise = finite(c.routerNoise, `${path}.routerNoise`);
  if (routerNoise < 0 || routerNoise > 100) throw damaged(`${path}.routerNoise`, 'is not a number from 0 to 100');
  return {
    encoder,
    architecture: architecture(Object.fromEntries(Object.keys(DEFAULT_ARCHITECTURE).map((key) => [key, plainArchitecture[key]]))),
    targets,
    classification: flag(c.classification, `${path}.classification`),
    routerNoise,
    seed: count(c.seed, `${path}.seed`),
    quantumBlocks: c.quantumBlocks === undefined ? 'circuit' : oneOf(c.quantumBlocks, QUANTUM_BLOCK_KINDS, `${path}.quantumBlocks`),
  };
}

/**
 * A branch's weights against the network they must fill, before any is built: the number of values
 * in the file equals the parameter count the architecture implies, then each weight has a name, a
 * shape of positive whole numbers, as many values as its shape holds, and only finite numbers.
 */
export function checkWeights(value: unknown, path: string, config: NetworkConfig): ParameterValues[] {
  const weights = array(value, path);
  const entries = weights.map((w, i) => object(w, `${path}[${i}]`));
  let held = 0;
  entries.forEach((w, i) => (held += array(w.values, `${path}[${i}].values`).length));
  const needed = networkParameterCount(config);
  if (held !== needed) {
    const a = config.architecture;
    throw damaged(
      path,
      `hold ${plural(held, 'value')}, but the network they belong to (hidden width ${a.hidden}, ${plural(a.depth, 'block')}) has ${plural(needed, 'parameter')}`,
    );
  }
  return entries.map((w, i) => {
    const at = `${path}[${i}]`;
    if (!WEIGHT_NAME.test(text(w.name, `${at}.name`))) throw damaged(`${at}.name`, 'is not a weight name');
    const shape = array(w.shape, `${at}.shape`).map((d, k) => count(d, `${at}.shape[${k}]`));
    if (shape.length > MAX_WEIGHT_RANK || shape.some((d) => d === 0)) throw damaged(`${at}.shape`, 'is not the shape of a weight');
    const values = w.values as unknown[];
    const size = shape.reduce((p, d) => p * d, 1);
    if (values.length !== size)
      throw damaged(`${at}.values`, `hold ${plural(values.length, 'value')} where the shape needs ${plural(size, 'value')}`);
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw damaged(`${at}.values[${k}]`, 'is not a finite number');
    }
    return { name: w.name as string, shape, values: values as number[] };
  });
}

/**
 * Checks a model document from outside the app (an imported file; storage) as untrusted data, before
 * anything is built: no prototype keys or deep nesting, format and version, mode and encoder, one or
 * two branches, each network's architecture within the training form's ranges and its weights exactly
 * the parameters that architecture implies. Throws ModelFormatError naming the field ("This model file
 * is damaged: model.branches[0].network.config.architecture.depth is invalid (…)"). Returns the document
 * rebuilt from the fields the app reads (others are left out); the feature model, the scalers and
 * the free-form metadata are kept as they are (their own readers check them when the model is built).
 */
export function checkModelDocument(value: unknown, path = 'model'): ModelDocument {
  const issue = jsonShapeIssue(value, MAX_MODEL_FILE_NESTING, path);
  if (issue?.kind === 'reserved-key') throw damaged(issue.path, `holds a field named “${issue.key}”, which no model file has`);
  if (issue) throw damaged(issue.path, 'is nested deeper than any model file');
  const doc = object(value, path);
  if (doc.format !== MODEL_DOCUMENT_FORMAT) throw damaged(`${path}.format`, `is not ${MODEL_DOCUMENT_FORMAT}`);
  if (doc.version !== MODEL_DOCUMENT_VERSION) throw damaged(`${path}.version`, `is not ${MODEL_DOCUMENT_VERSION}`);
  const mode = oneOf(doc.mode, MODEL_MODES, `${path}.mode`);
  const encoder = oneOf(doc.encoder, ENCODER_NAMES, `${path}.encoder`);
  let classification: ModelDocument['classification'] = null;
  if (doc.classification !== null && doc.classification !== undefined)
    classification = savedClassification(doc.classification, `${path}.classification`);
  const metadata = doc.metadata === undefined ? {} : object(doc.metadata, `${path}.metadata`);
  const branches = array(doc.branches, `${path}.branches`);
  if (branches.length < 1 || branches.length > 2)
    throw damaged(`${path}.branches`, `hold ${plural(branches.length, 'network')}; a model has 1 or 2`);
  const names = new Set<string>();
  let parameters = 0;
  const saved = branches.map((value, i): SavedBranch => {
    const at = `${path}.branches[${i}]`;
    const b: Plain = object(value, at);
    const name = oneOf(b.name, BRANCH_NAMES, `${at}.name`);
    if (names.has(name)) throw damaged(`${at}.name`, 'is the name of another branch');
    names.add(name);
    const targets = array(b.targets, `${at}.targets`).map((value, k) => {
      const t = object(value, `${at}.targets[${k}]`);
      return {
        name: oneOf(t.name, TARGET_NAMES, `${at}.targets[${k}].name`),
        logTarget: flag(t.logTarget, `${at}.targets[${k}].logTarget`),
        scaler: object(t.scaler, `${at}.targets[${k}].scaler`) as unknown as TargetScaler,
      };
    });
    const network = object(b.network, `${at}.network`);
    const config = checkNetwork(network.config, `${at}.network.config`, encoder);
    // Before any weight is read: a model larger than any the app trains is refused on its architecture.
    parameters += networkParameterCount(config);
    if (parameters > MAX_MODEL_PARAMETERS)
      throw new ModelFormatError(
        `This model file describes networks of ${formatCount(parameters)}${i + 1 < branches.length ? ' or more' : ''} parameters; ` +
          `QPKPD Studio trains, saves and reads models of at most ${formatCount(MAX_MODEL_PARAMETERS)}. Choose a model file exported from the Model view.`,
      );
    return {
      name,
      network: { config, weights: checkWeights(network.weights, `${at}.network.weights`, config) },
      featureModel: object(b.featureModel, `${at}.featureModel`) as unknown as FeatureModel,
      featureScaler: object(b.featureScaler, `${at}.featureScaler`) as unknown as FeatureScaler,
      targets,
      cascadeInput: flag(b.cascadeInput, `${at}.cascadeInput`),
    };
  });
  return { format: MODEL_DOCUMENT_FORMAT, version: MODEL_DOCUMENT_VERSION, mode, encoder, classification, branches: saved, metadata };
}

/** Rebuilds a model from a document (or its JSON text): checks it completely (`checkModelDocument`), then builds the networks. */
export function loadModel(document: unknown): PkPdModel {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      throw new ModelFormatError('not a QPKPD Studio model document');
    }
  }
  const doc = checkModelDocument(parsed);
  const classification = doc.classification ? readClassification(doc.classification) : null;
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
