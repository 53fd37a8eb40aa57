/**
 * Reads a TrainedModelMeta from untrusted plain data (an imported file): every field is checked,
 * and a problem is reported with its path ("meta.config.qubits: …"). JSON writes NaN as null, so
 * metric numbers accept null and read it back as NaN. Also the model file's limits, and the field
 * readers the model document's check shares. Free of TF.js.
 */
import { NAME_MAX_LENGTH } from '../store/names';
import { formatBytes, formatCount } from '../text/format';
import { ModelFormatError } from './errors';
import { MAX_MODEL_FILE_BYTES, smallestFeatureShape } from './parameter-budget';
import type { ClassificationHead } from './classification';
import type { TargetMetrics } from './metrics';
import type { ReportLabels } from './report/labels';
import type { TrainingCurvePoint } from './report/types';
import type { StopReason } from './train-network';
import type { BackendUsed, BranchEpochs, HybridFacts, ParameterCount, SplitFacts, SubjectMetrics, TrainedModelMeta } from './trained-model';
import { DEFAULT_TRAINING_CONFIG, TRAINING_LIMITS, type TrainingConfig, trainingConfigProblems } from './training-config';
import { displayKey } from './untrusted-json';

/** The deepest nesting a model file may have: in the files the app writes, the weights' values lie 7 levels down (file → model → branches → branch → network → weights → weight → values). */
export const MAX_MODEL_FILE_NESTING = 16;

/** The longest text a model file's description may hold (names, ids, the backend's reason…): the app writes at most a few hundred characters. */
export const MAX_MODEL_FILE_TEXT = 1000;

export type Plain = Record<string, unknown>;

const CHOOSE_A_MODEL_FILE = 'Choose a .qpkpd-model.json file exported from the Model view.';
const EXPORT_AGAIN = 'Export the model again from the QPKPD Studio it was saved in, and import the new file.';

/** Why a file of `bytes` bytes is not read as a model file (too large or empty), or null. */
export function modelFileSizeProblem(bytes: number): string | null {
  if (bytes === 0) return `This file is empty. ${CHOOSE_A_MODEL_FILE}`;
  if (bytes > MAX_MODEL_FILE_BYTES)
    return `This file is ${formatBytes(bytes)}, larger than any model file of QPKPD Studio (at most ${formatBytes(MAX_MODEL_FILE_BYTES)}), so it was not read. ${CHOOSE_A_MODEL_FILE}`;
  return null;
}

const STOP_REASONS: readonly StopReason[] = ['max-epochs', 'early-stopping', 'cancelled'];
const BACKENDS: readonly BackendUsed['backend'][] = ['cpu', 'wasm', 'webgpu'];
const METRIC_KEYS = ['n', 'rmse_z', 'mae_z', 'r2_z', 'rmse', 'mae', 'r2'] as const satisfies readonly (keyof TargetMetrics)[];

export function damaged(path: string, problem: string): ModelFormatError {
  return new ModelFormatError(`This model file is damaged: ${path} ${problem}. ${EXPORT_AGAIN}`);
}

export function object(value: unknown, path: string): Plain {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw damaged(path, 'is missing or not an object');
  return value as Plain;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw damaged(path, 'is missing or not a list');
  return value;
}

export function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw damaged(path, 'is missing or not text');
  if (value.length > MAX_MODEL_FILE_TEXT) throw damaged(path, `is longer than ${formatCount(MAX_MODEL_FILE_TEXT)} characters`);
  return value;
}

export function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw damaged(path, 'is missing or not a number');
  return value;
}

export function count(value: unknown, path: string): number {
  const n = finite(value, path);
  if (!Number.isInteger(n) || n < 0) throw damaged(path, 'is not a whole number ≥ 0');
  return n;
}

export function flag(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw damaged(path, 'is not true or false');
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) throw damaged(path, `is not one of ${allowed.join(', ')}`);
  return value as T;
}

function nullable<T>(value: unknown, read: (v: unknown) => T): T | null {
  return value === null ? null : read(value);
}

function record<T>(value: unknown, path: string, read: (v: unknown, path: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(object(value, path)).map(([key, v]) => [key, read(v, `${path}.${displayKey(key)}`)]));
}

function metrics(value: unknown, path: string): TargetMetrics {
  const m = object(value, path);
  const read = (key: (typeof METRIC_KEYS)[number]): number => (m[key] === null ? Number.NaN : finite(m[key], `${path}.${key}`));
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, read(key)])) as unknown as TargetMetrics;
}

function subjectMetrics(value: unknown, path: string): SubjectMetrics {
  const m = object(value, path);
  return { pk: nullable(m.pk, (v) => metrics(v, `${path}.pk`)), pd: nullable(m.pd, (v) => metrics(v, `${path}.pd`)) };
}

/** The training settings: the fields of DEFAULT_TRAINING_CONFIG (others are left out; no head: the direct one), each of its type and within the form's ranges. */
function config(value: unknown, path: string): TrainingConfig {
  const plain = object(value, path);
  const c = Object.fromEntries(Object.keys(DEFAULT_TRAINING_CONFIG).map((key) => [key, plain[key]])) as unknown as TrainingConfig;
  // Models saved before the hybrid head have the direct one.
  if (plain.head === undefined) (c as { head: string }).head = 'direct';
  for (const key of Object.keys(TRAINING_LIMITS))
    if (typeof plain[key] !== 'number') throw damaged(`${path}.${key}`, 'is missing or not a number');
  // The study's features are not known here: the size is counted on the smallest any study gives (the networks as built: checkModelDocument).
  const [problem] = Object.entries(trainingConfigProblems(c, smallestFeatureShape()));
  if (problem) throw damaged(`${path}.${problem[0]}`, `is invalid (${problem[1]})`);
  return c;
}

function backendUsed(value: unknown, path: string): BackendUsed {
  const b = object(value, path);
  return {
    backend: oneOf(b.backend, BACKENDS, `${path}.backend`),
    adapter: text(b.adapter, `${path}.adapter`),
    reason: text(b.reason, `${path}.reason`),
  };
}

function split(value: unknown, path: string): SplitFacts {
  const s = object(value, path);
  const ids = (key: string): string[] => array(s[key], `${path}.${key}`).map((v, i) => text(v, `${path}.${key}[${i}]`));
  return { name: text(s.name, `${path}.name`), rule: text(s.rule, `${path}.rule`), valIds: ids('valIds'), testIds: ids('testIds') };
}

function parameterCount(value: unknown, path: string): ParameterCount {
  const p = object(value, path);
  const out = {
    classical: count(p.classical, `${path}.classical`),
    quantum: count(p.quantum, `${path}.quantum`),
    total: count(p.total, `${path}.total`),
  };
  if (out.total !== out.classical + out.quantum) throw damaged(`${path}.total`, 'is not classical + quantum');
  return out;
}

function curvePoint(value: unknown, path: string): TrainingCurvePoint {
  const p = object(value, path);
  return {
    branch: text(p.branch, `${path}.branch`),
    epoch: count(p.epoch, `${path}.epoch`),
    trainLoss: finite(p.trainLoss, `${path}.trainLoss`),
    valLoss: nullable(p.valLoss, (v) => finite(v, `${path}.valLoss`)),
  };
}

function usage(value: unknown, path: string): number[][] {
  return array(value, path).map((block, b) => array(block, `${path}[${b}]`).map((v, e) => finite(v, `${path}[${b}][${e}]`)));
}

function branchEpochs(value: unknown, path: string): BranchEpochs {
  const e = object(value, path);
  return { run: count(e.run, `${path}.run`), best: count(e.best, `${path}.best`), stop: oneOf(e.stop, STOP_REASONS, `${path}.stop`) };
}

/** A saved classification head: `{ thresholdNgMl }` (files before study specs) or a criterion on an endpoint. */
export function savedClassification(value: unknown, path: string): ClassificationHead | { readonly thresholdNgMl: number } {
  const c = object(value, path);
  if (c.thresholdNgMl !== undefined && c.rule === undefined) {
    const thresholdNgMl = finite(c.thresholdNgMl, `${path}.thresholdNgMl`);
    if (!(thresholdNgMl > 0)) throw damaged(`${path}.thresholdNgMl`, 'is not above 0');
    return { thresholdNgMl };
  }
  return classificationHead(c, path);
}

/** A classification head in the current shape: a criterion on an endpoint, with its unit and name. */
function classificationHead(value: unknown, path: string): ClassificationHead {
  const c = object(value, path);
  const endpoint = oneOf(c.endpoint, ['pk', 'pd'] as const, `${path}.endpoint`);
  const rule = oneOf(c.rule, ['below', 'above', 'within'] as const, `${path}.rule`);
  const { unit, name } = endpointLabel(c, path);
  if (rule === 'within') {
    const range = array(c.range, `${path}.range`).map((x, i) => finite(x, `${path}.range[${i}]`));
    if (range.length !== 2 || !(range[0] < range[1])) throw damaged(`${path}.range`, 'is not [low, high] with low < high');
    return { endpoint, rule, range: [range[0], range[1]], unit, name };
  }
  return { endpoint, rule, threshold: finite(c.threshold, `${path}.threshold`), unit, name };
}

/** An endpoint's name and unit, no longer than a study spec allows. */
function endpointLabel(value: unknown, path: string): { name: string; unit: string } {
  const c = object(value, path);
  const unit = text(c.unit, `${path}.unit`);
  const name = text(c.name, `${path}.name`);
  if (unit.length > 100 || name.length > 200) throw damaged(path, 'has a unit or name longer than any study spec allows');
  return { name, unit };
}

/** The study labels recorded with a model (units, endpoint names, criterion). */
function reportLabels(value: unknown, path: string): ReportLabels {
  const l = object(value, path);
  const unit = (key: 'time' | 'amount'): string => {
    const u = text(l[key], `${path}.${key}`);
    if (u.length > 100) throw damaged(`${path}.${key}`, 'is longer than any study spec allows');
    return u;
  };
  return {
    time: unit('time'),
    amount: unit('amount'),
    pk: endpointLabel(l.pk, `${path}.pk`),
    pd: endpointLabel(l.pd, `${path}.pd`),
    criterion: nullable(l.criterion, (v) => classificationHead(v, `${path}.criterion`)),
  };
}

/** The meta of a model file, checked field by field; throws ModelFormatError("This model file is damaged: …"). */
export function readTrainedModelMeta(value: unknown, path = 'meta'): TrainedModelMeta {
  const m = object(value, path);
  const name = text(m.name, `${path}.name`).trim();
  if (name === '') throw damaged(`${path}.name`, 'is empty');
  if (name.length > NAME_MAX_LENGTH) throw damaged(`${path}.name`, `is longer than a name can be (${NAME_MAX_LENGTH} characters)`);
  const test = nullable(m.test, (v) => subjectMetrics(v, `${path}.test`));
  const testEvaluatedAt = nullable(m.testEvaluatedAt, (v) => finite(v, `${path}.testEvaluatedAt`));
  if ((test === null) !== (testEvaluatedAt === null)) throw damaged(`${path}.test`, 'and its date disagree');
  return {
    id: text(m.id, `${path}.id`),
    name,
    createdAt: finite(m.createdAt, `${path}.createdAt`),
    datasetId: nullable(m.datasetId, (v) => text(v, `${path}.datasetId`)),
    datasetName: text(m.datasetName, `${path}.datasetName`),
    fingerprint: text(m.fingerprint, `${path}.fingerprint`),
    config: config(m.config, `${path}.config`),
    backendUsed: backendUsed(m.backendUsed, `${path}.backendUsed`),
    split: split(m.split, `${path}.split`),
    parameters: record(m.parameters, `${path}.parameters`, parameterCount),
    validation: subjectMetrics(m.validation, `${path}.validation`),
    test,
    testEvaluatedAt,
    curves: array(m.curves, `${path}.curves`).map((p, i) => curvePoint(p, `${path}.curves[${i}]`)),
    expertUsage: record(m.expertUsage, `${path}.expertUsage`, usage),
    epochs: record(m.epochs, `${path}.epochs`, branchEpochs),
    cancelled: flag(m.cancelled, `${path}.cancelled`),
    seconds: finite(m.seconds, `${path}.seconds`),
    // Absent in files saved before the study's labels were recorded.
    ...(m.labels === undefined ? {} : { labels: reportLabels(m.labels, `${path}.labels`) }),
    // The direct head's models have none.
    ...(m.hybrid === undefined ? {} : { hybrid: hybridFacts(m.hybrid, `${path}.hybrid`) }),
  };
}

/** The fit facts of a hybrid model (the mechanistic head). */
function hybridFacts(value: unknown, path: string): HybridFacts {
  const h = object(value, path);
  const names = (key: string): string[] => array(h[key], `${path}.${key}`).map((v, i) => text(v, `${path}.${key}[${i}]`));
  const structure = object(h.structure, `${path}.structure`);
  const ofv = object(h.ofv, `${path}.ofv`);
  const rounds = array(ofv.rounds, `${path}.ofv.rounds`).map((v, i) => finite(v, `${path}.ofv.rounds[${i}]`));
  const keptRound = count(ofv.keptRound, `${path}.ofv.keptRound`);
  if (keptRound > rounds.length) throw damaged(`${path}.ofv.keptRound`, 'is not one of the rounds');
  return {
    shifted: names('shifted'),
    inputs: names('inputs'),
    structure: {
      pk: nullable(structure.pk, (v) => text(v, `${path}.structure.pk`)),
      pd: nullable(structure.pd, (v) => text(v, `${path}.structure.pd`)),
    },
    ofv: { withoutCovariates: finite(ofv.withoutCovariates, `${path}.ofv.withoutCovariates`), rounds, keptRound },
  };
}
