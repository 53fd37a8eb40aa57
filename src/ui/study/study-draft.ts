/**
 * The study settings form's state (a draft of the fields a user edits) and its translation both ways:
 * from a spec to the fields (`draftOf`), and from the fields back to a spec document read by the one
 * validator (`checkDraft`: readStudySpec, then the file's columns), with each problem placed at the
 * field it concerns (`problemsByField`). What the form does not show (random effects, fixed values,
 * residual error, the dose questions) is carried over from the spec it started from. Pure: no DOM.
 */
import { GROUP_LIMIT } from '../../data/explore/groups';
import { type EndpointChoice, endpointChoices, selectedCount, selectorKey, selectorLabel, type StudyFacts } from '../../study/guess-spec';
import { modelParameters } from '../../study/model-parameters';
import type { EndpointSelector, ModelParameter, PdModelSpec, PkModelSpec, StudySpec } from '../../study/study-spec';
import { readStudySpec, type SpecProblem, specColumnProblems } from '../../study/study-spec-reader';
import { formatCount } from '../../text/format';

export interface EffectDraft {
  column: string;
  on: string;
  form: string;
  /** As typed; "" for none (the column's median). */
  reference: string;
  /** A fixed θ the spec had (not shown; kept). */
  value?: number;
}

export interface StudyDraft {
  name: string;
  /** Endpoint choice keys (selectorKey); "" for none. */
  pk: string;
  pkName: string;
  pd: string;
  pdName: string;
  time: string;
  amount: string;
  concentration: string;
  response: string;
  route: string;
  groupBy: string;
  /** "auto", "1" or "2". */
  compartments: string;
  lag: boolean;
  pdFamily: string;
  pdType: string;
  pdDirection: string;
  pdSigmoid: boolean;
  effects: EffectDraft[];
}

/** The fields of a spec. */
export function draftOf(spec: StudySpec): StudyDraft {
  const pd: PdModelSpec = spec.model.pd ?? { family: 'auto' };
  return {
    name: spec.name,
    pk: spec.endpoints.pk ? selectorKey(spec.endpoints.pk) : '',
    pkName: spec.endpoints.pk?.name ?? '',
    pd: spec.endpoints.pd ? selectorKey(spec.endpoints.pd) : '',
    pdName: spec.endpoints.pd?.name ?? '',
    time: spec.units.time,
    amount: spec.units.amount,
    concentration: spec.units.concentration,
    response: spec.units.response,
    route: spec.model.pk.route,
    groupBy: spec.groupBy,
    compartments: String(spec.model.pk.compartments),
    lag: spec.model.pk.lag,
    pdFamily: pd.family,
    pdType: pd.family === 'indirect' ? pd.type : 'inhibit-production',
    pdDirection: pd.family === 'direct' || pd.family === 'effect-compartment' ? pd.direction : 'decrease',
    pdSigmoid: pd.family === 'auto' ? false : pd.sigmoid === true,
    effects: spec.model.covariates.map((c) => ({
      column: c.column,
      on: c.on,
      form: c.form,
      reference: c.reference === undefined ? '' : String(c.reference),
      ...(c.value !== undefined ? { value: c.value } : {}),
    })),
  };
}

/** "dvid:1|cmt:2" → { dvid: 1, cmt: 2 }. */
export function selectorOfKey(key: string): Pick<EndpointSelector, 'dvid' | 'cmt'> {
  const selector: Pick<EndpointSelector, 'dvid' | 'cmt'> = {};
  for (const part of key.split('|')) {
    const [field, value] = part.split(':');
    if (field === 'dvid' || field === 'cmt') selector[field] = Number(value);
  }
  return selector;
}

/** A number as typed: the number when it reads as one, else the text (the validator says what is wrong). */
function typedNumber(text: string): number | string {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

function endpointDocument(key: string, name: string): Record<string, unknown> | undefined {
  if (key === '') return undefined;
  return { ...selectorOfKey(key), ...(name.trim() !== '' ? { name } : {}) };
}

function pdDocument(draft: StudyDraft): Record<string, unknown> {
  switch (draft.pdFamily) {
    case 'auto':
      return { family: 'auto' };
    case 'indirect':
      return draft.pdSigmoid ? { family: 'indirect', type: draft.pdType, sigmoid: true } : { family: 'indirect', type: draft.pdType };
    default:
      return { family: draft.pdFamily, direction: draft.pdDirection, sigmoid: draft.pdSigmoid };
  }
}

/** The structure the fields describe, as far as it reads (for the parameters it has). */
function structure(draft: StudyDraft): { pk: PkModelSpec; pd: PdModelSpec | undefined } {
  const route = draft.route === 'iv' ? 'iv' : 'oral';
  const compartments = draft.compartments === '1' ? 1 : draft.compartments === '2' ? 2 : 'auto';
  const pk: PkModelSpec = { route, compartments, lag: route === 'oral' && draft.lag };
  if (draft.pd === '') return { pk, pd: undefined };
  const pd = pdDocument(draft) as PdModelSpec;
  return { pk, pd };
}

/** The named parameters of the structure the fields describe: what covariate effects may act on. */
export function parametersOf(draft: StudyDraft): ModelParameter[] {
  const { pk, pd } = structure(draft);
  return modelParameters(pk, pd);
}

/**
 * The spec document the fields describe. Random effects on parameters the structure no longer has
 * (KA after a switch to IV, BASE without a response) are dropped; the rest of `base` is kept.
 */
export function documentOf(draft: StudyDraft, base: StudySpec): Record<string, unknown> {
  const allowed = new Set(parametersOf(draft));
  const random = base.model.randomEffects;
  const randomEffects = Array.isArray(random)
    ? random.filter((p) => allowed.has(p))
    : Object.fromEntries(Object.entries(random).filter(([p]) => allowed.has(p as ModelParameter)));
  const pk = endpointDocument(draft.pk, draft.pkName);
  const pd = endpointDocument(draft.pd, draft.pdName);
  const model: Record<string, unknown> = {
    pk: {
      route: draft.route,
      compartments: draft.compartments === 'auto' ? 'auto' : Number(draft.compartments),
      lag: draft.route === 'oral' && draft.lag,
    },
    covariates: draft.effects.map((e) => ({
      column: e.column,
      on: e.on,
      form: e.form,
      ...(e.reference.trim() !== '' && e.form !== 'factor' ? { reference: typedNumber(e.reference) } : {}),
      ...(e.value !== undefined ? { value: e.value } : {}),
    })),
    randomEffects,
  };
  if (pd) model.pd = pdDocument(draft);
  if (base.model.parameters) model.parameters = base.model.parameters;
  if (base.model.error) model.error = base.model.error;
  const document: Record<string, unknown> = {
    format: base.format,
    version: base.version,
    name: draft.name,
    units: {
      time: draft.time,
      amount: draft.amount,
      concentration: draft.concentration,
      ...(draft.response.trim() !== '' ? { response: draft.response } : {}),
    },
    endpoints: { ...(pk ? { pk } : {}), ...(pd ? { pd } : {}) },
    groupBy: draft.groupBy,
    model,
  };
  if (base.questions) document.questions = base.questions;
  return document;
}

export type DraftCheck = { ok: true; spec: StudySpec; problems: [] } | { ok: false; problems: SpecProblem[] };

/** The fields read by the one validator, then checked against the file's columns. */
export function checkDraft(draft: StudyDraft, base: StudySpec, columns: readonly string[]): DraftCheck {
  const reading = readStudySpec(documentOf(draft, base));
  if (!reading.ok) return { ok: false, problems: reading.problems };
  const missing = specColumnProblems(reading.spec, columns);
  return missing.length > 0 ? { ok: false, problems: missing } : { ok: true, spec: reading.spec, problems: [] };
}

/** Is `path` the field `field` or inside it ("model.covariates[0].on" is inside "model.covariates[0]")? */
function within(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

/**
 * Problems by the field that shows them: each goes to the field with the longest path that holds it;
 * those no field holds go under "" (the form's general list).
 */
export function problemsByField(problems: readonly SpecProblem[], fields: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const field = fields.filter((f) => within(p.path, f)).sort((a, b) => b.length - a.length)[0] ?? '';
    const text =
      field === ''
        ? p.path
          ? `${p.path}: ${p.message}`
          : p.message
        : field === p.path
          ? p.message
          : `${p.path.slice(field.length).replace(/^\./, '')}: ${p.message}`;
    const list = out.get(field) ?? [];
    list.push(text);
    out.set(field, list);
  }
  return out;
}

export interface Option {
  value: string;
  label: string;
}

/** The observation types an endpoint can be chosen from, with counts; the spec's own choice kept when the file lacks it. */
export function endpointOptions(facts: StudyFacts, current: readonly string[]): (Option & { count: number })[] {
  const choices: EndpointChoice[] = endpointChoices(facts);
  for (const key of current) {
    if (key === '' || choices.some((c) => c.key === key)) continue;
    const selector = selectorOfKey(key);
    choices.push({ key, selector, label: selectorLabel(selector), count: selectedCount(facts, selector) });
  }
  return choices.map((c) => ({ value: c.key, label: `${c.label} (${formatCount(c.count)} observations)`, count: c.count }));
}

/** How subjects can be grouped: by their dosing, or by a numeric column (with how many values it has). */
export function groupOptions(facts: StudyFacts, current: string): Option[] {
  const options: Option[] = [
    { value: 'regimen', label: `Each subject’s dosing (regimen) — ${formatCount(facts.regimenGroups)} groups` },
    ...facts.covariates.map((c) => ({
      value: c.name,
      label: `${c.name} — ${c.manyValues ? `more than ${GROUP_LIMIT} values` : `${c.values.length} value${c.values.length === 1 ? '' : 's'}`}`,
    })),
  ];
  if (!options.some((o) => o.value.toUpperCase() === current.toUpperCase()))
    options.push({ value: current, label: `${current} (not in this file)` });
  return options;
}

/** Columns a covariate effect can use: the file's numeric columns (and one an effect names that the file lacks). */
export function effectColumnOptions(facts: StudyFacts, effects: readonly EffectDraft[]): string[] {
  const names = facts.covariates.map((c) => c.name);
  for (const e of effects) if (e.column !== '' && !names.some((n) => n.toUpperCase() === e.column.toUpperCase())) names.push(e.column);
  return names;
}

/** A new covariate effect: the first column no effect uses yet (nor the grouping), a power effect on CL. */
export function newEffect(facts: StudyFacts, effects: readonly EffectDraft[], groupBy = ''): EffectDraft {
  const used = new Set([...effects.map((e) => e.column.toUpperCase()), groupBy.toUpperCase()]);
  const column = facts.covariates.find((c) => !used.has(c.name.toUpperCase()))?.name ?? facts.covariates[0]?.name ?? '';
  return { column, on: 'CL', form: 'power', reference: '' };
}
