/**
 * A hybrid model (hybrid-model.ts) as one versioned JSON document: the study spec (its structure
 * resolved, no covariate effects: the hybrid's are the covariate model), θ (the linear part's
 * included), Ω and the residual error,
 * the shifted parameters with their scales, the network's input standardisation, the training
 * subjects' target scalers, and the network's config and weights (float32 values written exactly, as
 * src/model/serialize.ts writes a direct model's). Loading checks the document as untrusted data
 * before any TF.js variable is made — the spec by the study spec's reader, every θ the structure needs,
 * the network as a direct model's network is checked — and gives identical predictions.
 */
import type { TargetScaler } from '../../data/features/scaler';
import type { ResidualValues, StudyPopulationModel } from '../../pkpd/population/fit-study';
import { linearEffects, networkEffects, populationStages } from '../../pkpd/population/parameter-model';
import { MODEL_PARAMETERS, RESIDUAL_COMBINATIONS, type ModelParameter, type StudySpec } from '../../study/study-spec';
import { describeSpecProblems, readStudySpec } from '../../study/study-spec-reader';
import { ENCODER_NAMES } from '../../quantum/resources/architecture';
import { formatCount } from '../../text/format';
import { ModelFormatError } from '../errors';
import { createNetwork, type NetworkConfig } from '../network';
import { MAX_MODEL_PARAMETERS, networkParameterCount } from '../parameter-budget';
import type { ParameterValues } from '../parameters';
import { checkNetwork, checkWeights } from '../serialize';
import { array, damaged, finite, flag, MAX_MODEL_FILE_NESTING, object, oneOf, text } from '../trained-model-check';
import { jsonShapeIssue } from '../untrusted-json';
import type { HybridScalers } from './hybrid-evaluation';
import type { HybridInputs, HybridModel } from './hybrid-model';
import { BASELINE_PD_COLUMN, type HybridBaseline } from './hybrid-baseline';

export const HYBRID_DOCUMENT_FORMAT = 'qpkpd-studio/hybrid-model';
export const HYBRID_DOCUMENT_VERSION = 1;

export interface HybridDocument {
  readonly format: typeof HYBRID_DOCUMENT_FORMAT;
  readonly version: typeof HYBRID_DOCUMENT_VERSION;
  readonly spec: StudySpec;
  readonly theta: Record<string, number>;
  readonly omega: Partial<Record<ModelParameter, number>>;
  readonly residual: { pk?: ResidualValues; pd?: ResidualValues };
  readonly shifted: readonly ModelParameter[];
  readonly scale: readonly number[];
  readonly inputs: HybridInputs;
  readonly scalers: HybridScalers;
  readonly network: { readonly config: NetworkConfig; readonly weights: readonly ParameterValues[] };
  /** The training subjects' baseline PD by stratum, when the network reads it (absent otherwise). */
  readonly baseline?: HybridBaseline;
  /** Free-form facts for display (split, metrics, timings); not read back into the model. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

export function saveHybrid(model: HybridModel, metadata: Record<string, unknown> = {}): HybridDocument {
  const p = model.population;
  return {
    format: HYBRID_DOCUMENT_FORMAT,
    version: HYBRID_DOCUMENT_VERSION,
    spec: model.spec,
    theta: { ...p.theta },
    omega: { ...p.omega },
    residual: { ...p.residual },
    shifted: [...model.shifted],
    scale: [...model.scale],
    inputs: { columns: [...model.inputs.columns], log: [...model.inputs.log], mean: [...model.inputs.mean], sd: [...model.inputs.sd] },
    scalers: model.scalers,
    network: {
      config: { ...model.network.config, architecture: { ...model.network.config.architecture } },
      weights: model.network.parameters.toValues(),
    },
    ...(model.baseline ? { baseline: { strata: [...model.baseline.strata], groups: { ...model.baseline.groups } } } : {}),
    metadata,
  };
}

export function hybridToJSON(model: HybridModel, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify(saveHybrid(model, metadata));
}

const MAX_INPUTS = 64;
const COLUMN = /^[A-Z_][A-Z0-9_.]{0,63}$/;
/** Training baselines a document may hold: one per subject, far more than any study here has. */
const MAX_BASELINES = 100_000;

/** The baseline PD of a document whose network reads it: strata among the input columns, sorted finite values per stratum. */
function baselineOf(value: unknown, path: string, columns: readonly string[]): HybridBaseline {
  const b = object(value, path);
  const strata = array(b.strata, `${path}.strata`).map((c, i) => {
    const name = text(c, `${path}.strata[${i}]`);
    if (!columns.includes(name) || name === BASELINE_PD_COLUMN) throw damaged(`${path}.strata[${i}]`, 'is not an input column');
    return name;
  });
  const groups = object(b.groups, `${path}.groups`);
  const out: Record<string, number[]> = {};
  let total = 0;
  for (const [key, list] of Object.entries(groups)) {
    const parts = key.split('|');
    if (key !== '' && (parts.length !== strata.length || parts.some((p) => p !== '0' && p !== '1')))
      throw damaged(`${path}.groups`, 'has a stratum that is not one of its 0/1 keys');
    const values = array(list, `${path}.groups["${key}"]`).map((v, i) => finite(v, `${path}.groups["${key}"][${i}]`));
    total += values.length;
    if (total > MAX_BASELINES) throw damaged(`${path}.groups`, `hold more than ${formatCount(MAX_BASELINES)} baselines`);
    if (values.some((v, i) => i > 0 && v < values[i - 1])) throw damaged(`${path}.groups["${key}"]`, 'is not sorted');
    out[key] = values;
  }
  if (!out['']) throw damaged(`${path}.groups`, 'lacks the values of all subjects');
  return { strata, groups: out };
}

function numbers(value: unknown, path: string, length: number, positive: boolean): number[] {
  const xs = array(value, path);
  if (xs.length !== length) throw damaged(path, `hold ${xs.length} numbers where ${length} are needed`);
  return xs.map((x, i) => {
    const v = finite(x, `${path}[${i}]`);
    if (positive && !(v > 0)) throw damaged(`${path}[${i}]`, 'is not a positive number');
    return v;
  });
}

function residualOf(value: unknown, path: string): ResidualValues | undefined {
  if (value === undefined) return undefined;
  const r = object(value, path);
  const additive = finite(r.additive, `${path}.additive`);
  const proportional = finite(r.proportional, `${path}.proportional`);
  if (additive < 0 || proportional < 0) throw damaged(path, 'holds a negative residual SD');
  const values: ResidualValues = { scale: oneOf(r.scale, ['log', 'natural'] as const, `${path}.scale`), additive, proportional };
  // Absent in documents written before the SD sum existed: the variances add.
  if (r.combined !== undefined) values.combined = oneOf(r.combined, RESIDUAL_COMBINATIONS, `${path}.combined`);
  return values;
}

function scalerOf(value: unknown, path: string): TargetScaler | null {
  if (value === null) return null;
  const s = object(value, path);
  const sd = finite(s.sd, `${path}.sd`);
  if (!(sd > 0)) throw damaged(`${path}.sd`, 'is not a positive number');
  return { version: 1, mean: finite(s.mean, `${path}.mean`), sd, constant: false, rows: finite(s.rows, `${path}.rows`) };
}

/** Rebuilds a hybrid model from a document or its JSON text; ModelFormatError naming the field for anything wrong. */
export function loadHybrid(document: unknown, path = 'model'): HybridModel {
  let value: unknown = document;
  if (typeof document === 'string') {
    try {
      value = JSON.parse(document);
    } catch {
      throw new ModelFormatError('not a QPKPD Studio model document');
    }
  }
  const issue = jsonShapeIssue(value, MAX_MODEL_FILE_NESTING, path);
  if (issue?.kind === 'reserved-key') throw damaged(issue.path, `holds a field named “${issue.key}”, which no model file has`);
  if (issue) throw damaged(issue.path, 'is nested deeper than any model file');
  const doc = object(value, path);
  if (doc.format !== HYBRID_DOCUMENT_FORMAT) throw damaged(`${path}.format`, `is not ${HYBRID_DOCUMENT_FORMAT}`);
  if (doc.version !== HYBRID_DOCUMENT_VERSION) throw damaged(`${path}.version`, `is not ${HYBRID_DOCUMENT_VERSION}`);
  const reading = readStudySpec(doc.spec);
  if (!reading.ok) throw damaged(`${path}.spec`, `is not a usable study spec (${describeSpecProblems(reading.problems)})`);
  const spec = reading.spec;
  const { pk, pd } = spec.model;
  if (pk.compartments === 'auto' || pd?.family === 'auto' || spec.model.covariates.length > 0)
    throw damaged(`${path}.spec.model`, 'is not the resolved structure of a hybrid model');
  const shifted = array(doc.shifted, `${path}.shifted`).map((p, i) => oneOf(p, MODEL_PARAMETERS, `${path}.shifted[${i}]`));
  if (shifted.length === 0 || new Set(shifted).size !== shifted.length) throw damaged(`${path}.shifted`, 'must name each parameter once');
  const inputs = object(doc.inputs, `${path}.inputs`);
  const columns = array(inputs.columns, `${path}.inputs.columns`).map((c, i) => {
    const name = text(c, `${path}.inputs.columns[${i}]`);
    if (!COLUMN.test(name) && name !== BASELINE_PD_COLUMN) throw damaged(`${path}.inputs.columns[${i}]`, 'is not a column name');
    return name;
  });
  if (columns.length === 0 || columns.length > MAX_INPUTS) throw damaged(`${path}.inputs.columns`, `must name 1 to ${MAX_INPUTS} columns`);
  let effects;
  try {
    effects = [...networkEffects(shifted, pd), ...linearEffects(shifted, columns, pd)];
  } catch {
    throw damaged(`${path}.shifted`, 'names a parameter a network cannot shift');
  }
  const population: StudyPopulationModel = {
    pk: { ...pk, compartments: pk.compartments },
    effects,
    theta: {},
    omega: {},
    residual: {},
  };
  if (pd) population.pd = pd;
  const theta = object(doc.theta, `${path}.theta`);
  const { pk: pkStage, pd: pdStage } = populationStages(spec, population);
  const stages = pdStage ? [pkStage, pdStage] : [pkStage];
  for (const t of stages.flatMap((s) => s.thetas)) population.theta[t.name] = finite(theta[t.name], `${path}.theta["${t.name}"]`);
  const omega = object(doc.omega, `${path}.omega`);
  for (const name of stages.flatMap((s) => s.etas)) {
    const sd = finite(omega[name], `${path}.omega.${name}`);
    if (sd < 0) throw damaged(`${path}.omega.${name}`, 'is a negative SD');
    population.omega[name] = sd;
  }
  const residual = object(doc.residual, `${path}.residual`);
  const pkResidual = residualOf(residual.pk, `${path}.residual.pk`);
  const pdResidual = residualOf(residual.pd, `${path}.residual.pd`);
  if (pkResidual) population.residual.pk = pkResidual;
  if (pdResidual) population.residual.pd = pdResidual;
  const scale = numbers(doc.scale, `${path}.scale`, shifted.length, true);
  const mean = numbers(inputs.mean, `${path}.inputs.mean`, columns.length, false);
  const sd = numbers(inputs.sd, `${path}.inputs.sd`, columns.length, true);
  const log = array(inputs.log, `${path}.inputs.log`).map((v, i) => flag(v, `${path}.inputs.log[${i}]`));
  if (log.length !== columns.length) throw damaged(`${path}.inputs.log`, `hold ${log.length} flags where ${columns.length} are needed`);
  const scalers = object(doc.scalers, `${path}.scalers`);
  const baseline = columns.includes(BASELINE_PD_COLUMN) ? baselineOf(doc.baseline, `${path}.baseline`, columns) : null;
  const network = object(doc.network, `${path}.network`);
  const configValue = object(network.config, `${path}.network.config`);
  const config = checkNetwork(
    network.config,
    `${path}.network.config`,
    oneOf(configValue.encoder, ENCODER_NAMES, `${path}.network.config.encoder`),
    'parameters',
  );
  if (config.targets.join('|') !== shifted.map((p) => `parameter:${p}`).join('|'))
    throw damaged(`${path}.network.config.targets`, 'are not the shifted parameters');
  if (config.architecture.nInputs !== columns.length)
    throw damaged(`${path}.network.config.architecture.nInputs`, 'is not the number of input columns');
  const count = networkParameterCount(config);
  if (count > MAX_MODEL_PARAMETERS)
    throw new ModelFormatError(
      `This model file describes a network of ${formatCount(count)} parameters; QPKPD Studio trains, saves and reads models of at most ${formatCount(MAX_MODEL_PARAMETERS)}.`,
    );
  const weights = checkWeights(network.weights, `${path}.network.weights`, config);
  const built = createNetwork(config);
  try {
    built.parameters.loadValues(weights);
  } catch (e) {
    built.dispose();
    throw new ModelFormatError(`${path}.network.weights: ${(e as Error).message}`);
  }
  return {
    spec,
    population,
    shifted,
    scale,
    ...(baseline ? { baseline } : {}),
    inputs: { columns, log, mean, sd },
    scalers: { pk: scalerOf(scalers.pk ?? null, `${path}.scalers.pk`), pd: scalerOf(scalers.pd ?? null, `${path}.scalers.pd`) },
    network: built,
  };
}
