/**
 * The one validator of study specs: reads untrusted text (a file, a share link, a form's output)
 * into a StudySpec, or lists every problem with the field it concerns ("questions.regimens[1].step:
 * must be a number > 0"). Explicit limits are checked before anything is built from the document's
 * claims: the text's length before parsing, every list's length before reading its items. Unknown
 * fields are problems (a misspelt "threshhold" must not be silently ignored), and object keys that
 * could reach Object.prototype are refused.
 */
import { FieldReader, type FieldProblem, FORBIDDEN_KEYS, type Plain } from '../text/field-reader';
import { modelParameters } from './model-parameters';
import {
  AMOUNT_UNITS,
  CONCENTRATION_UNITS,
  COVARIATE_FORMS,
  CRITERION_RULES,
  CRITERION_WINDOWS,
  type CovariateDistribution,
  type CovariateEffect,
  type Criterion,
  INDIRECT_TYPES,
  MODEL_PARAMETERS,
  type ModelParameter,
  PD_DIRECTIONS,
  PD_FAMILIES,
  type PdModelSpec,
  PK_ROUTES,
  type PkModelSpec,
  type QuestionsSpec,
  type RegimenSpec,
  RESIDUAL_COMBINATIONS,
  type ResidualErrorSpec,
  type ScenarioSpec,
  STUDY_FORMAT,
  STUDY_VERSION,
  type StudyEndpoints,
  type StudyModelSpec,
  type StudySpec,
  type StudyUnits,
  TIME_UNITS,
  type EndpointSelector,
} from './study-spec';
import { canonicalUnit, unitMismatch } from './units';

/** Limits, each far above what a real study needs and low enough that reading stays instant. */
export const STUDY_LIMITS = {
  /** Characters of the whole document (a real spec is 1–10 k). */
  textLength: 256_000,
  nameLength: 200,
  columnNameLength: 64,
  covariateEffects: 32,
  regimens: 12,
  scenarios: 12,
  targets: 8,
  /** Values of one categorical distribution. */
  distributionValues: 1000,
  virtualSubjects: 100_000,
  /** Grid points of one regimen (max ÷ step). */
  gridPoints: 10_000,
} as const;

/** A problem with one field of a spec, e.g. at "questions.regimens[0].step"; "" for the document itself. */
export type SpecProblem = FieldProblem;

export type StudySpecReading = { ok: true; spec: StudySpec } | { ok: false; problems: SpecProblem[] };

/** The field reader with the spec's column names. */
class Reader extends FieldReader {
  column(value: unknown, path: string): string | undefined {
    const name = this.text(value, path, STUDY_LIMITS.columnNameLength);
    if (name !== undefined && FORBIDDEN_KEYS.has(name)) return this.problem(path, 'is not allowed as a column name');
    return name;
  }
}

const TOP_FIELDS = ['format', 'version', 'name', 'units', 'endpoints', 'groupBy', 'model', 'questions'] as const;

/** Reads a study spec from text; never throws. */
export function readStudySpecText(text: string): StudySpecReading {
  if (text.length > STUDY_LIMITS.textLength) {
    return problemsOnly(
      '',
      `the study file is ${text.length.toLocaleString('en')} characters long; a study spec is at most ${STUDY_LIMITS.textLength.toLocaleString('en')}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problemsOnly('', 'this is not a study spec: the text is not JSON. Choose a .qpkpd-study.json file.');
  }
  return readStudySpec(parsed);
}

function problemsOnly(path: string, message: string): StudySpecReading {
  return { ok: false, problems: [{ path, message }] };
}

/** Reads a study spec from parsed JSON; never throws. */
export function readStudySpec(value: unknown): StudySpecReading {
  const r = new Reader();
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as Plain).format !== STUDY_FORMAT) {
    return problemsOnly('format', `this is not a study spec: "format" must be "${STUDY_FORMAT}"`);
  }
  const version = (value as Plain).version;
  if (typeof version === 'number' && Number.isInteger(version) && version > STUDY_VERSION) {
    return problemsOnly(
      'version',
      `this study spec was written by a newer version of QPKPD Studio (version ${version}; this app reads version ${STUDY_VERSION}). Reload the page to get the newest app.`,
    );
  }
  const doc = r.object(value, '', TOP_FIELDS);
  if (!doc) return { ok: false, problems: r.problems };
  if (version !== STUDY_VERSION) r.problem('version', `must be ${STUDY_VERSION}`);
  const name = r.text(doc.name, 'name', STUDY_LIMITS.nameLength);
  const units = readUnits(r, doc.units);
  const endpoints = readEndpoints(r, doc.endpoints);
  const groupBy = doc.groupBy === undefined ? 'regimen' : r.column(doc.groupBy, 'groupBy');
  const model = readModel(r, doc.model, endpoints);
  const questions = doc.questions === undefined ? undefined : readQuestions(r, doc.questions, endpoints, model);
  if (r.problems.length > 0 || !name || !units || !endpoints || !groupBy || !model) return { ok: false, problems: r.problems };
  const spec: StudySpec = { format: STUDY_FORMAT, version: STUDY_VERSION, name, units, endpoints, groupBy, model };
  if (questions) spec.questions = questions;
  return { ok: true, spec };
}

function readUnits(r: Reader, value: unknown): StudyUnits | undefined {
  const u = r.object(value, 'units', ['time', 'amount', 'concentration', 'response']);
  if (!u) return undefined;
  const unit = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const text = r.text(u[key], `units.${key}`, 20);
    return text === undefined ? undefined : r.oneOf(canonicalUnit(text), allowed, `units.${key}`);
  };
  const time = unit('time', TIME_UNITS);
  const amount = unit('amount', AMOUNT_UNITS);
  const concentration = unit('concentration', CONCENTRATION_UNITS);
  const response = u.response === undefined ? '' : r.text(u.response, 'units.response', 20);
  if (!time || !amount || !concentration || response === undefined) return undefined;
  const mismatch = unitMismatch({ amount, concentration });
  if (mismatch) return r.problem('units', mismatch);
  return { time, amount, concentration, response };
}

function readSelector(r: Reader, value: unknown, path: string): EndpointSelector | undefined {
  const s = r.object(value, path, ['dvid', 'cmt', 'name']);
  if (!s) return undefined;
  if (s.dvid === undefined && s.cmt === undefined)
    return r.problem(path, 'needs "dvid" or "cmt" (which observation records this endpoint is)');
  const selector: EndpointSelector = {};
  if (s.dvid !== undefined) selector.dvid = r.integer(s.dvid, `${path}.dvid`, 0, 999);
  if (s.cmt !== undefined) selector.cmt = r.integer(s.cmt, `${path}.cmt`, 0, 999);
  if (s.name !== undefined) selector.name = r.text(s.name, `${path}.name`, 60);
  return selector;
}

function readEndpoints(r: Reader, value: unknown): StudyEndpoints | undefined {
  const e = r.object(value, 'endpoints', ['pk', 'pd']);
  if (!e) return undefined;
  const endpoints: StudyEndpoints = {};
  if (e.pk !== undefined) endpoints.pk = readSelector(r, e.pk, 'endpoints.pk');
  if (e.pd !== undefined) endpoints.pd = readSelector(r, e.pd, 'endpoints.pd');
  if (e.pk === undefined && e.pd === undefined)
    return r.problem('endpoints', 'needs "pk" (the drug concentration) or "pd" (the response), or both');
  const { pk, pd } = endpoints;
  if (pk && pd && pk.dvid === pd.dvid && pk.cmt === pd.cmt)
    return r.problem('endpoints', 'pk and pd select the same observations; give them different dvid or cmt');
  return endpoints;
}

function readPk(r: Reader, value: unknown): PkModelSpec | undefined {
  const p = r.object(value, 'model.pk', ['route', 'compartments', 'lag']);
  if (!p) return undefined;
  const route = r.oneOf(p.route, PK_ROUTES, 'model.pk.route');
  const compartments =
    p.compartments === undefined
      ? 'auto'
      : p.compartments === 'auto' || p.compartments === 1 || p.compartments === 2
        ? p.compartments
        : undefined;
  if (compartments === undefined) r.problem('model.pk.compartments', 'must be 1, 2 or "auto"');
  const lag = p.lag === undefined ? false : r.flag(p.lag, 'model.pk.lag');
  if (lag && route === 'iv') r.problem('model.pk.lag', 'an absorption lag applies to oral doses only; set it to false for IV doses');
  if (!route || compartments === undefined || lag === undefined) return undefined;
  return { route, compartments, lag };
}

function readPd(r: Reader, value: unknown): PdModelSpec | undefined {
  const family = r.oneOf((value as Plain | null)?.family, PD_FAMILIES, 'model.pd.family');
  if (!family) return undefined;
  if (family === 'auto') return r.object(value, 'model.pd', ['family']) ? { family } : undefined;
  if (family === 'indirect') {
    const p = r.object(value, 'model.pd', ['family', 'type', 'sigmoid']);
    const type = p ? r.oneOf(p.type, INDIRECT_TYPES, 'model.pd.type') : undefined;
    const sigmoid = p?.sigmoid === undefined ? false : r.flag(p.sigmoid, 'model.pd.sigmoid');
    if (!type || sigmoid === undefined) return undefined;
    return sigmoid ? { family, type, sigmoid } : { family, type };
  }
  const p = r.object(value, 'model.pd', ['family', 'direction', 'sigmoid']);
  if (!p) return undefined;
  const direction = r.oneOf(p.direction, PD_DIRECTIONS, 'model.pd.direction');
  const sigmoid = p.sigmoid === undefined ? false : r.flag(p.sigmoid, 'model.pd.sigmoid');
  return direction && sigmoid !== undefined ? { family, direction, sigmoid } : undefined;
}

function readParameterName(r: Reader, value: unknown, path: string, allowed: readonly ModelParameter[]): ModelParameter | undefined {
  const name = typeof value === 'string' ? value.trim().toUpperCase() : value;
  if (!(MODEL_PARAMETERS as readonly unknown[]).includes(name))
    return r.problem(path, `must name a model parameter (${MODEL_PARAMETERS.join(', ')})`);
  if (!allowed.includes(name as ModelParameter))
    return r.problem(path, `${String(name)} is not a parameter of this model (it has ${allowed.join(', ')})`);
  return name as ModelParameter;
}

function readCovariateEffect(r: Reader, value: unknown, path: string, allowed: readonly ModelParameter[]): CovariateEffect | undefined {
  const c = r.object(value, path, ['column', 'on', 'form', 'reference', 'value']);
  if (!c) return undefined;
  const column = r.column(c.column, `${path}.column`);
  const on = readParameterName(r, c.on, `${path}.on`, allowed);
  const form = r.oneOf(c.form, COVARIATE_FORMS, `${path}.form`);
  if (!column || !on || !form) return undefined;
  const effect: CovariateEffect = { column, on, form };
  if (c.reference !== undefined) {
    if (form === 'factor') r.problem(`${path}.reference`, 'a factor effect has no reference value; remove it');
    else effect.reference = form === 'power' ? r.positive(c.reference, `${path}.reference`) : r.number(c.reference, `${path}.reference`);
  }
  if (c.value !== undefined) {
    effect.value = form === 'factor' ? r.positive(c.value, `${path}.value`) : r.number(c.value, `${path}.value`);
  }
  return effect;
}

/** Positive parameters; E0, BASE and EMAX may be any finite number, IMAX lies in (0, 1], TLAG ≥ 0. */
function readParameterValue(r: Reader, name: ModelParameter, value: unknown, path: string): number | undefined {
  switch (name) {
    case 'E0':
    case 'EMAX':
      return r.number(value, path);
    case 'IMAX':
      return r.number(value, path, (x) => x > 0 && x <= 1, 'in (0, 1]');
    case 'TLAG':
      return r.number(value, path, (x) => x >= 0, '≥ 0');
    default:
      return r.positive(value, path);
  }
}

function readError(r: Reader, value: unknown, path: string): ResidualErrorSpec | undefined {
  const e = r.object(value, path, ['additive', 'proportional', 'exponential', 'combined']);
  if (!e) return undefined;
  const out: ResidualErrorSpec = {};
  for (const key of ['additive', 'proportional', 'exponential'] as const) {
    if (e[key] !== undefined) out[key] = r.number(e[key], `${path}.${key}`, (x) => x >= 0, '≥ 0');
  }
  if (![out.additive, out.proportional, out.exponential].some((x) => x !== undefined && x > 0))
    return r.problem(path, 'needs at least one of additive, proportional, exponential > 0');
  if (e.combined !== undefined) {
    // How additive and proportional combine: an exponential (log-scale) error has nothing to combine.
    if ((out.exponential ?? 0) > 0) return r.problem(`${path}.combined`, 'applies to additive and proportional error, not to exponential');
    const combined = r.oneOf(e.combined, RESIDUAL_COMBINATIONS, `${path}.combined`);
    if (combined) out.combined = combined;
  }
  return out;
}

function readModel(r: Reader, value: unknown, endpoints: StudyEndpoints | undefined): StudyModelSpec | undefined {
  const m = r.object(value, 'model', ['pk', 'pd', 'covariates', 'randomEffects', 'parameters', 'error', 'covariateRanges']);
  if (!m) return undefined;
  const pk = readPk(r, m.pk);
  const pd = m.pd === undefined ? undefined : readPd(r, m.pd);
  if (m.pd !== undefined && endpoints && !endpoints.pd) {
    r.problem('model.pd', 'a PD model needs a response endpoint: add endpoints.pd (the DVID or CMT of the response observations)');
  }
  if (!pk) return undefined;
  const allowed = modelParameters(pk, pd);
  const covariates: CovariateEffect[] = [];
  const effects = m.covariates === undefined ? [] : r.list(m.covariates, 'model.covariates', STUDY_LIMITS.covariateEffects);
  effects?.forEach((item, i) => {
    const effect = readCovariateEffect(r, item, `model.covariates[${i}]`, allowed);
    if (effect) covariates.push(effect);
  });
  const seen = new Set<string>();
  covariates.forEach((c, i) => {
    const key = `${c.column.toUpperCase()}→${c.on}`;
    if (seen.has(key)) r.problem(`model.covariates[${i}]`, `${c.column} acts on ${c.on} twice; keep one effect`);
    seen.add(key);
  });
  let randomEffects: StudyModelSpec['randomEffects'] = [];
  if (Array.isArray(m.randomEffects)) {
    const names = r.list(m.randomEffects, 'model.randomEffects', allowed.length) ?? [];
    randomEffects = names.flatMap((n, i) => readParameterName(r, n, `model.randomEffects[${i}]`, allowed) ?? []);
  } else if (m.randomEffects !== undefined) {
    const sds: Partial<Record<ModelParameter, number>> = {};
    for (const [key, sd] of r.record(m.randomEffects, 'model.randomEffects', allowed.length) ?? []) {
      const name = readParameterName(r, key, `model.randomEffects.${key}`, allowed);
      const value = r.number(sd, `model.randomEffects.${key}`, (x) => x >= 0 && x <= 5, 'from 0 to 5 (SD of a log-normal η)');
      if (name && value !== undefined) sds[name] = value;
    }
    randomEffects = sds;
  }
  const model: StudyModelSpec = { pk, covariates, randomEffects };
  if (pd) model.pd = pd;
  if (m.parameters !== undefined) {
    const parameters: Partial<Record<ModelParameter, number>> = {};
    for (const [key, v] of r.record(m.parameters, 'model.parameters', allowed.length) ?? []) {
      const name = readParameterName(r, key, `model.parameters.${key}`, allowed);
      const value = name ? readParameterValue(r, name, v, `model.parameters.${key}`) : undefined;
      if (name && value !== undefined) parameters[name] = value;
    }
    model.parameters = parameters;
  }
  if (m.error !== undefined) {
    const e = r.object(m.error, 'model.error', ['pk', 'pd']);
    if (e) {
      model.error = {};
      if (e.pk !== undefined) model.error.pk = readError(r, e.pk, 'model.error.pk');
      if (e.pd !== undefined) model.error.pd = readError(r, e.pd, 'model.error.pd');
    }
  }
  if (m.covariateRanges !== undefined) model.covariateRanges = readCovariateRanges(r, m.covariateRanges, covariates);
  return model;
}

/** `model.covariateRanges`: { column: [low, high] } for columns the model's effects use (a typo must not silence a warning). */
function readCovariateRanges(r: Reader, value: unknown, effects: CovariateEffect[]): Record<string, [number, number]> {
  const used = [...new Set(effects.map((c) => c.column))];
  const ranges: Record<string, [number, number]> = {};
  for (const [column, range] of r.record(value, 'model.covariateRanges', STUDY_LIMITS.covariateEffects) ?? []) {
    const path = `model.covariateRanges.${column}`;
    const pair = r.pair(range, path, true);
    const name = used.find((c) => c.toUpperCase() === column.trim().toUpperCase());
    if (!name)
      r.problem(path, `no covariate effect of the model uses ${column} (${used.length ? `they use ${used.join(', ')}` : 'it has none'})`);
    else if (pair) ranges[name] = pair;
  }
  return ranges;
}

function readCriterion(r: Reader, value: unknown): Criterion | undefined {
  const rule = r.oneOf((value as Plain | null)?.rule, CRITERION_RULES, 'questions.criterion.rule');
  if (!rule) return undefined;
  const c = r.object(value, 'questions.criterion', ['rule', rule === 'within' ? 'range' : 'threshold', 'window']);
  if (!c) return undefined;
  const window = c.window === undefined ? 'throughout' : r.oneOf(c.window, CRITERION_WINDOWS, 'questions.criterion.window');
  if (!window) return undefined;
  if (rule === 'within') {
    const range = r.pair(c.range, 'questions.criterion.range', true);
    return range ? { rule, range, window } : undefined;
  }
  const threshold = r.number(c.threshold, 'questions.criterion.threshold');
  return threshold === undefined ? undefined : { rule, threshold, window };
}

function readRegimen(r: Reader, value: unknown, path: string, pk: PkModelSpec | undefined): RegimenSpec | undefined {
  const g = r.object(value, path, ['name', 'interval', 'route', 'duration', 'loading', 'step', 'max']);
  if (!g) return undefined;
  const name = r.text(g.name, `${path}.name`, 60);
  const interval = r.number(g.interval, `${path}.interval`, (x) => x > 0 && x <= 100_000, '> 0');
  const route = g.route === undefined ? pk?.route : r.oneOf(g.route, PK_ROUTES, `${path}.route`);
  const step = r.positive(g.step, `${path}.step`);
  if (!name || interval === undefined || !route || step === undefined) return undefined;
  const regimen: RegimenSpec = { name, interval, route, step };
  if (g.duration !== undefined) {
    if (route !== 'iv') r.problem(`${path}.duration`, 'an infusion duration applies to IV doses only');
    const duration = r.positive(g.duration, `${path}.duration`);
    if (duration !== undefined && duration > interval)
      r.problem(`${path}.duration`, `an infusion of ${duration} cannot last longer than the interval ${interval}`);
    regimen.duration = duration;
  }
  if (g.loading !== undefined)
    regimen.loading = r.number(g.loading, `${path}.loading`, (x) => x >= 1 && x <= 20, 'from 1 to 20 (a multiple of the dose)');
  if (g.max !== undefined) {
    const max = r.number(g.max, `${path}.max`, (x) => x >= step, `≥ the step ${step}`);
    if (max !== undefined && max / step > STUDY_LIMITS.gridPoints) {
      r.problem(
        `${path}.max`,
        `gives ${Math.round(max / step).toLocaleString('en')} grid doses; at most ${STUDY_LIMITS.gridPoints.toLocaleString('en')} are allowed (raise the step)`,
      );
    }
    regimen.max = max;
  }
  return regimen;
}

function readDistribution(r: Reader, value: unknown, path: string): CovariateDistribution | undefined {
  const kinds = ['uniform', 'normal', 'share', 'values'];
  const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  const kind = keys.find((k) => kinds.includes(k));
  if (!kind)
    return r.problem(
      path,
      'must be { "uniform": [a, b] }, { "normal": [mean, sd], "range"?: [a, b] }, { "share": p } or { "values": [ … ] }',
    );
  const d = r.object(value, path, kind === 'normal' ? ['normal', 'range'] : [kind]);
  if (!d) return undefined;
  switch (kind) {
    case 'uniform': {
      const range = r.pair(d.uniform, `${path}.uniform`, true);
      return range ? { uniform: range } : undefined;
    }
    case 'normal': {
      const pair = r.pair(d.normal, `${path}.normal`, false);
      if (pair && !(pair[1] > 0)) return r.problem(`${path}.normal`, `must be [mean, sd] with sd > 0, got sd ${pair[1]}`);
      const range = d.range === undefined ? undefined : r.pair(d.range, `${path}.range`, true);
      if (!pair || (d.range !== undefined && !range)) return undefined;
      if (range && (pair[0] < range[0] || pair[0] > range[1])) return r.problem(`${path}.range`, `must contain the mean ${pair[0]}`);
      return range ? { normal: pair, range } : { normal: pair };
    }
    case 'share': {
      const share = r.number(d.share, `${path}.share`, (x) => x >= 0 && x <= 1, 'from 0 to 1');
      return share === undefined ? undefined : { share };
    }
    default: {
      const items = r.list(d.values, `${path}.values`, STUDY_LIMITS.distributionValues, 1);
      const values = items?.map((v, i) => r.number(v, `${path}.values[${i}]`));
      return values && values.every((v) => v !== undefined) ? { values: values } : undefined;
    }
  }
}

function readScenario(r: Reader, value: unknown, path: string): ScenarioSpec | undefined {
  const s = r.object(value, path, ['name', 'covariates']);
  if (!s) return undefined;
  const name = r.text(s.name, `${path}.name`, 60);
  if (s.covariates === 'resample' || s.covariates === undefined) return name ? { name, covariates: 'resample' } : undefined;
  const covariates: Record<string, CovariateDistribution> = {};
  for (const [column, d] of r.record(s.covariates, `${path}.covariates`, STUDY_LIMITS.covariateEffects) ?? []) {
    const columnName = r.column(column, `${path}.covariates`);
    const distribution = readDistribution(r, d, `${path}.covariates.${column}`);
    if (columnName && distribution) covariates[columnName] = distribution;
  }
  return name ? { name, covariates } : undefined;
}

function uniqueNames(r: Reader, items: { name: string }[], path: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = item.name.toLowerCase();
    if (seen.has(key)) r.problem(`${path}[${i}].name`, `"${item.name}" is used twice; give each a different name`);
    seen.add(key);
  });
}

function readQuestions(
  r: Reader,
  value: unknown,
  endpoints: StudyEndpoints | undefined,
  model: StudyModelSpec | undefined,
): QuestionsSpec | undefined {
  const q = r.object(value, 'questions', ['endpoint', 'criterion', 'targets', 'regimens', 'scenarios', 'virtualSubjects', 'seed']);
  if (!q) return undefined;
  const endpoint = r.oneOf(q.endpoint, ['pk', 'pd'] as const, 'questions.endpoint');
  if (endpoint && endpoints && !endpoints[endpoint])
    r.problem('questions.endpoint', `the study has no ${endpoint} endpoint: add endpoints.${endpoint}`);
  if (endpoint === 'pd' && model && !model.pd) r.problem('questions.endpoint', 'questions on the response need a PD model: add model.pd');
  const criterion = readCriterion(r, q.criterion);
  const targets = (r.list(q.targets, 'questions.targets', STUDY_LIMITS.targets, 1) ?? []).map((t, i) =>
    r.number(t, `questions.targets[${i}]`, (x) => x > 0 && x <= 1, 'in (0, 1] (a share of subjects)'),
  );
  const regimens = (r.list(q.regimens, 'questions.regimens', STUDY_LIMITS.regimens, 1) ?? []).map((g, i) =>
    readRegimen(r, g, `questions.regimens[${i}]`, model?.pk),
  );
  const scenarios = (r.list(q.scenarios, 'questions.scenarios', STUDY_LIMITS.scenarios, 1) ?? []).map((s, i) =>
    readScenario(r, s, `questions.scenarios[${i}]`),
  );
  const virtualSubjects =
    q.virtualSubjects === undefined ? 1000 : r.integer(q.virtualSubjects, 'questions.virtualSubjects', 10, STUDY_LIMITS.virtualSubjects);
  const seed = q.seed === undefined ? 1 : r.integer(q.seed, 'questions.seed', 0, 2 ** 32 - 1);
  const okRegimens = regimens.filter((g): g is RegimenSpec => g !== undefined);
  const okScenarios = scenarios.filter((s): s is ScenarioSpec => s !== undefined);
  uniqueNames(r, okRegimens, 'questions.regimens');
  uniqueNames(r, okScenarios, 'questions.scenarios');
  if (!endpoint || !criterion || virtualSubjects === undefined || seed === undefined) return undefined;
  if (targets.some((t) => t === undefined) || okRegimens.length !== regimens.length || okScenarios.length !== scenarios.length)
    return undefined;
  return { endpoint, criterion, targets: targets as number[], regimens: okRegimens, scenarios: okScenarios, virtualSubjects, seed };
}

/**
 * Problems of a valid spec against a dataset's columns (names compared without regard to case):
 * every column the spec names must be in the file.
 */
export function specColumnProblems(spec: StudySpec, columns: readonly string[]): SpecProblem[] {
  const present = new Set(columns.map((c) => c.trim().toUpperCase()));
  const problems: SpecProblem[] = [];
  const need = (column: string, path: string): void => {
    if (!present.has(column.toUpperCase())) {
      problems.push({ path, message: `names the column ${column}, which the file does not have (its columns: ${columns.join(', ')})` });
    }
  };
  if (spec.groupBy !== 'regimen') need(spec.groupBy, 'groupBy');
  spec.model.covariates.forEach((c, i) => need(c.column, `model.covariates[${i}].column`));
  spec.questions?.scenarios.forEach((s, i) => {
    if (s.covariates !== 'resample')
      for (const column of Object.keys(s.covariates)) need(column, `questions.scenarios[${i}].covariates.${column}`);
  });
  return problems;
}

/** One message listing the problems, for a notice: "questions.targets[0]: must be …; …". */
export function describeSpecProblems(problems: readonly SpecProblem[], shown = 8): string {
  const lines = problems.slice(0, shown).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  const rest = problems.length - shown;
  return rest > 0 ? `${lines.join('; ')}; and ${rest} more` : lines.join('; ');
}
