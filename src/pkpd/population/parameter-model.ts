/**
 * The population parameter model of a study spec, for one stage of the sequential fit (PK, then PD
 * conditioned on the individual PK parameters): which fixed effects θ there are, on which scale they
 * are estimated, which parameters carry a random effect η, and how a subject's parameters follow.
 *
 *   P_i = θ_P · Π_effects g(θ_e, x_i) · e^{η_P}         (IMAX: logit IMAX_i = logit(θ · Π g) + η)
 *   power   g = (x / ref)^θ         ref: the spec's reference, else the data's median
 *   linear  g = 1 + θ (x − ref)
 *   factor  g = θ^x                 x ∈ {0, 1} (the binding refuses other codings)
 *   network g = e^{θ x}             θ fixed at 1: x is the log shift a covariate network (a hybrid
 *                                   model, src/model/mechanistic) predicts for the subject, carried
 *                                   in the subject's covariates as `networkColumn(P)`
 *
 * By the allometric convention of the spec (study-spec.ts), a power effect on CL also scales Q and
 * one on V also V2, with the same θ, unless Q or V2 have an effect of that column of their own; a
 * network's shift of CL (of V) likewise shifts Q (V2): body size scales the whole disposition.
 *
 * Scales (the FOCE `Transform` of each θ): typical values on the log scale (positive parameters),
 * IMAX on the logit scale, E0 — and EMAX of a direct or effect-compartment response — as they are
 * (their sign may vary); power and linear effects as they are, factors on the log scale. Fixed values
 * of the spec (`model.parameters`, in the display units of units.ts; an effect's `value`) are held.
 *
 * θ order mirrors the established fits so that EstData reproduces them exactly (the EstData-only
 * pk-fit.ts and pd-fit.ts, retired at commit bc03053; estdata-study-fit.test.ts): PK — the
 * structural parameters, then the covariate effects in the spec's order; PD — each structural
 * parameter followed by its own covariate effects. η follow the stage's parameter order.
 *
 * E0/BASE, EMAX/IMAX and EC50/IC50 name one role each (model-parameters.ts): an effect, random
 * effect or fixed value given for one is applied to the other when the fitted PD family has that one
 * (PD family "auto" tries families with either).
 */
import { pdParameters, pkParameters } from '../../study/model-parameters';
import {
  type CovariateEffect,
  type CovariateForm,
  type ModelParameter,
  type PdModelSpec,
  type PkModelSpec,
  randomEffectNames,
  type StudySpec,
} from '../../study/study-spec';
import { shownUnit } from '../../study/units';
import { PkpdDataError } from '../errors';
import type { Transform } from '../foce';
import type { StudyPopulationModel } from './fit-study';
import type { ParameterValues } from '../structural/structural-model';

export type Stage = 'pk' | 'pd';

/** How an effect acts: a form of the spec, or a network's log shift (not a spec form: hybrid models add it). */
export type EffectForm = CovariateForm | 'network';

/** A covariate effect of the spec (or a network's shift), resolved against the data. */
export interface ResolvedEffect {
  /** θ name, e.g. "CL~WT". */
  name: string;
  /** Upper-case column name. */
  column: string;
  on: ModelParameter;
  form: EffectForm;
  /** Centre of a power or linear effect (the spec's reference, else the data's median); NaN for a factor or a network shift. */
  reference: number;
  /** θ fixed by the spec (a network shift: 1). */
  value?: number;
  /** Where the spec gives it (model.covariates[i]); −1 for a network shift. */
  specIndex: number;
}

export interface ThetaEntry {
  name: string;
  role: 'typical' | 'effect';
  /** The parameter a typical value is of, or the one an effect acts on. */
  parameter: ModelParameter;
  transform: Transform;
  /** Held at its value (`initial` of the FOCE problem). */
  fixed: boolean;
  /** Fixed value in data units (typical values) or θ (effects); undefined when estimated. */
  fixedValue?: number;
  effect?: ResolvedEffect;
}

interface EffectTerm {
  theta: number;
  /** Index into the subject's covariate vector. */
  z: number;
  form: EffectForm;
}

interface ParameterPlan {
  name: ModelParameter;
  theta: number;
  effects: EffectTerm[];
  /** Index into η, or −1. */
  eta: number;
  logit: boolean;
}

const POWER = 0;
const LINEAR = 1;
const FACTOR = 2;
const NETWORK = 3;

const FORM_CODES: Readonly<Record<EffectForm, number>> = { power: POWER, linear: LINEAR, factor: FACTOR, network: NETWORK };

type Setter = (out: ParameterValues, value: number) => void;

/** One store per parameter name: a named (monomorphic) store is several times faster than `out[name] = v`. */
const SETTERS: Readonly<Record<ModelParameter, Setter>> = {
  CL: (o, v) => (o.CL = v),
  V: (o, v) => (o.V = v),
  KA: (o, v) => (o.KA = v),
  TLAG: (o, v) => (o.TLAG = v),
  Q: (o, v) => (o.Q = v),
  V2: (o, v) => (o.V2 = v),
  E0: (o, v) => (o.E0 = v),
  BASE: (o, v) => (o.BASE = v),
  EMAX: (o, v) => (o.EMAX = v),
  IMAX: (o, v) => (o.IMAX = v),
  EC50: (o, v) => (o.EC50 = v),
  IC50: (o, v) => (o.IC50 = v),
  HILL: (o, v) => (o.HILL = v),
  KE0: (o, v) => (o.KE0 = v),
  KOUT: (o, v) => (o.KOUT = v),
};

/** The plan flattened into typed arrays for the hot loop (`individualValues` runs once per prediction). */
interface CompiledPlan {
  names: ModelParameter[];
  setters: Setter[];
  theta: Int32Array;
  eta: Int32Array;
  logit: Uint8Array;
  /** Effects of parameter k are [effectStart[k], effectStart[k + 1]). */
  effectStart: Int32Array;
  effectTheta: Int32Array;
  effectZ: Int32Array;
  effectForm: Uint8Array;
}

function compile(plan: readonly ParameterPlan[]): CompiledPlan {
  const effects = plan.flatMap((p) => p.effects);
  const effectStart = new Int32Array(plan.length + 1);
  plan.forEach((p, k) => (effectStart[k + 1] = effectStart[k] + p.effects.length));
  return {
    names: plan.map((p) => p.name),
    setters: plan.map((p) => SETTERS[p.name]),
    theta: Int32Array.from(plan, (p) => p.theta),
    eta: Int32Array.from(plan, (p) => p.eta),
    logit: Uint8Array.from(plan, (p) => (p.logit ? 1 : 0)),
    effectStart,
    effectTheta: Int32Array.from(effects, (e) => e.theta),
    effectZ: Int32Array.from(effects, (e) => e.z),
    effectForm: Uint8Array.from(effects, (e) => FORM_CODES[e.form]),
  };
}

export interface StageModel {
  stage: Stage;
  /** Structural parameters of this stage, in model-parameters.ts order. */
  parameters: ModelParameter[];
  thetas: ThetaEntry[];
  /** Parameters with η, in `parameters` order. */
  etas: ModelParameter[];
  /** SDs of η the spec fixes. */
  fixedOmega: Partial<Record<ModelParameter, number>>;
  /** Effects acting in this stage, in the spec's order. */
  effects: ResolvedEffect[];
  /** Effects of the spec left out (they act on a parameter this structure does not have). */
  unused: ResolvedEffect[];
  plan: ParameterPlan[];
  compiled: CompiledPlan;
}

const PD_ROLES: readonly (readonly ModelParameter[])[] = [
  ['E0', 'BASE'],
  ['EMAX', 'IMAX'],
  ['EC50', 'IC50'],
];

/** The parameter of `available` a name refers to: itself, or its role-mate (E0 ↔ BASE, …); undefined if neither. */
export function mapParameter(name: ModelParameter, available: readonly ModelParameter[]): ModelParameter | undefined {
  if (available.includes(name)) return name;
  const role = PD_ROLES.find((r) => r.includes(name));
  return role?.find((n) => n !== name && available.includes(n));
}

/** How a typical value is estimated: see the header. */
export function typicalTransform(name: ModelParameter, pd: PdModelSpec | undefined): Transform {
  if (name === 'IMAX') return 'logit';
  if (name === 'E0') return 'identity';
  if (name === 'EMAX' && pd && (pd.family === 'direct' || pd.family === 'effect-compartment')) return 'identity';
  return 'log';
}

export function effectTransform(form: EffectForm): Transform {
  return form === 'factor' ? 'log' : 'identity';
}

export function effectName(on: ModelParameter, column: string): string {
  return `${on}~${column.toUpperCase()}`;
}

/** The covariate a network writes its log shift of parameter `on` into (subjects' covariates carry it by this name). */
export function networkColumn(on: ModelParameter): string {
  return `@NETWORK:${on}`;
}

/**
 * A network's shifts of these parameters' typical values (TV · e^{x}, x = the subject's
 * `networkColumn(P)`): fixed effects of θ 1 a hybrid model adds to a stage model's. Only for
 * parameters estimated on the log scale (positive ones); IMAX (logit), E0 and direct EMAX are refused.
 */
export function networkEffects(parameters: readonly ModelParameter[], pd: PdModelSpec | undefined): ResolvedEffect[] {
  return parameters.map((on) => {
    if (typicalTransform(on, pd) !== 'log')
      throw new Error(`networkEffects: ${on} is not estimated on the log scale; a network cannot shift it`);
    return { name: `${on}~network`, column: networkColumn(on), on, form: 'network', reference: Number.NaN, value: 1, specIndex: -1 };
  });
}

/** The covariate a hybrid model writes a network input's standardised value into (its linear part reads it). */
export function inputColumn(column: string): string {
  return `@Z:${column.toUpperCase()}`;
}

/**
 * A hybrid model's linear covariate model: per shifted parameter and network input an effect
 * TV · e^{θ z} (z: the standardised input, `inputColumn`), θ estimated — an exponential effect, or a
 * power effect where the input enters on the log scale. Named "CL~z(WT)".
 */
export function linearEffects(
  parameters: readonly ModelParameter[],
  columns: readonly string[],
  pd: PdModelSpec | undefined,
): ResolvedEffect[] {
  return parameters.flatMap((on) => {
    if (typicalTransform(on, pd) !== 'log') throw new Error(`linearEffects: ${on} is not estimated on the log scale`);
    return columns.map((c): ResolvedEffect => ({
      name: `${on}~z(${c.toUpperCase()})`,
      column: inputColumn(c),
      on,
      form: 'network',
      reference: Number.NaN,
      specIndex: -1,
    }));
  });
}

/** The spec's covariate effects with their references: the spec's, else the median of `values(column)`. */
export function resolveEffects(effects: readonly CovariateEffect[], values: (column: string) => number[]): ResolvedEffect[] {
  return effects.map((effect, specIndex) => {
    const column = effect.column.toUpperCase();
    let reference = Number.NaN;
    if (effect.form !== 'factor') reference = effect.reference ?? median(values(column));
    const resolved: ResolvedEffect = {
      name: effectName(effect.on, column),
      column,
      on: effect.on,
      form: effect.form,
      reference,
      specIndex,
    };
    if (effect.value !== undefined) resolved.value = effect.value;
    return resolved;
  });
}

/** The middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Fixed typical values of the spec in data units (the spec gives them in display units, units.ts). */
export function fixedTypicalValues(spec: StudySpec, parameters: readonly ModelParameter[]): Partial<Record<ModelParameter, number>> {
  const out: Partial<Record<ModelParameter, number>> = {};
  for (const [key, value] of Object.entries(spec.model.parameters ?? {}) as [ModelParameter, number][]) {
    const name = mapParameter(key, parameters);
    if (name !== undefined) out[name] = value / shownUnit(name, spec.units).factor;
  }
  return out;
}

/**
 * The parameter model of one stage for a resolved structure (compartments 1 or 2; a PD family other
 * than "auto").
 */
export function stageModel(
  spec: StudySpec,
  stage: Stage,
  pk: PkModelSpec,
  pd: PdModelSpec | undefined,
  effects: readonly ResolvedEffect[],
): StageModel {
  const parameters = stage === 'pk' ? pkParameters(pk) : pdParameters(pd);
  const fixedValues = fixedTypicalValues(spec, parameters);
  const inStage: ResolvedEffect[] = [];
  const unused: ResolvedEffect[] = [];
  for (const e of effects) {
    const on = mapParameter(e.on, parameters);
    if (on === undefined) {
      if (isPdName(e.on) === (stage === 'pd')) unused.push(e);
      continue;
    }
    inStage.push(on === e.on ? e : { ...e, on, name: effectName(on, e.column) });
  }
  const typical = (name: ModelParameter): ThetaEntry => {
    const fixedValue = fixedValues[name];
    const entry: ThetaEntry = {
      name,
      role: 'typical',
      parameter: name,
      transform: typicalTransform(name, pd),
      fixed: fixedValue !== undefined,
    };
    if (fixedValue !== undefined) entry.fixedValue = fixedValue;
    return entry;
  };
  const effectEntry = (e: ResolvedEffect): ThetaEntry => {
    const entry: ThetaEntry = {
      name: e.name,
      role: 'effect',
      parameter: e.on,
      transform: effectTransform(e.form),
      fixed: e.value !== undefined,
      effect: e,
    };
    if (e.value !== undefined) entry.fixedValue = e.value;
    return entry;
  };
  const thetas: ThetaEntry[] = [];
  if (stage === 'pk') {
    for (const name of parameters) thetas.push(typical(name));
    for (const e of inStage) thetas.push(effectEntry(e));
  } else {
    for (const name of parameters) {
      thetas.push(typical(name));
      for (const e of inStage) if (e.on === name) thetas.push(effectEntry(e));
    }
  }
  const random = spec.model.randomEffects;
  const fixedSds = Array.isArray(random) ? {} : random;
  const named = new Set<ModelParameter>();
  const fixedOmega: Partial<Record<ModelParameter, number>> = {};
  for (const n of randomEffectNames(spec.model)) {
    const name = mapParameter(n, parameters);
    if (name === undefined) continue;
    const sd = fixedSds[n];
    if (sd === 0) continue; // an SD fixed at 0 is no random effect
    named.add(name);
    if (sd !== undefined) fixedOmega[name] = sd;
  }
  const etas = parameters.filter((p) => named.has(p));
  const plan: ParameterPlan[] = parameters.map((name) => {
    const terms: EffectTerm[] = [];
    thetas.forEach((t, index) => {
      const e = t.effect;
      if (!e) return;
      const own = e.on === name;
      const allometric =
        (e.form === 'power' || e.form === 'network') &&
        ((name === 'Q' && e.on === 'CL') || (name === 'V2' && e.on === 'V')) &&
        !inStage.some((other) => other.on === name && other.column === e.column);
      if (own || allometric) terms.push({ theta: index, z: inStage.indexOf(e), form: e.form });
    });
    return {
      name,
      theta: thetas.findIndex((t) => t.role === 'typical' && t.parameter === name),
      effects: terms,
      eta: etas.indexOf(name),
      logit: name === 'IMAX',
    };
  });
  return { stage, parameters, thetas, etas, fixedOmega, effects: inStage, unused, plan, compiled: compile(plan) };
}

function isPdName(name: ModelParameter): boolean {
  return !(['CL', 'V', 'KA', 'TLAG', 'Q', 'V2'] as readonly ModelParameter[]).includes(name);
}

/** The stage models of a population model: PK, and PD when it has a PD model. */
export function populationStages(
  spec: StudySpec,
  model: Pick<StudyPopulationModel, 'pk' | 'pd' | 'effects'>,
): { pk: StageModel; pd: StageModel | null } {
  return {
    pk: stageModel(spec, 'pk', model.pk, undefined, model.effects),
    pd: model.pd ? stageModel(spec, 'pd', model.pk, model.pd, model.effects) : null,
  };
}

/** A stage's θ (natural scale, its `thetas` order) from a model's θ by name; a PkpdDataError naming a missing one. */
export function stageTheta(theta: Readonly<Record<string, number>>, stage: StageModel): number[] {
  return stage.thetas.map((t) => {
    const v = theta[t.name];
    if (v === undefined) throw new PkpdDataError(`The model has no value for ${t.name}.`);
    return v;
  });
}

/**
 * A subject's covariate vector for a stage: per effect, x / ref (power), x − ref (linear) or x
 * (factor, network shift), from the subject's covariates by upper-case column name.
 */
export function covariateVector(model: StageModel, covariates: Readonly<Record<string, number>>): Float64Array {
  return Float64Array.from(model.effects, (e) => {
    const x = covariates[e.column];
    if (e.form === 'power') return x / e.reference;
    if (e.form === 'linear') return x - e.reference;
    return x;
  });
}

/**
 * The part of each parameter that does not depend on η — θ times its covariate effects — in
 * `model.parameters` order, into `out`: a fit computes it once per θ and subject, and
 * `individualFromTypical` then adds η. Both together give `individualValues`' numbers exactly.
 */
export function typicalValues(model: StageModel, theta: ArrayLike<number>, z: ArrayLike<number>, out: Float64Array): Float64Array {
  const c = model.compiled;
  const n = c.names.length;
  for (let k = 0; k < n; k++) {
    let v = theta[c.theta[k]];
    for (let e = c.effectStart[k]; e < c.effectStart[k + 1]; e++) {
      const t = theta[c.effectTheta[e]];
      const x = z[c.effectZ[e]];
      const form = c.effectForm[e];
      if (form === POWER) v *= x ** t;
      else if (form === LINEAR) v *= 1 + t * x;
      else if (form === FACTOR) v *= t ** x;
      else v *= Math.exp(t * x);
    }
    out[k] = v;
  }
  return out;
}

/** Parameter k of `typicalValues` with its η (log-normal; IMAX on the logit scale). */
function withEta(c: CompiledPlan, k: number, v: number, eta: ArrayLike<number>): number {
  const h = c.eta[k];
  if (h < 0) return v;
  if (c.logit[k] === 1) return 1 / (1 + Math.exp(-(Math.log(v / (1 - v)) + eta[h])));
  return v * Math.exp(eta[h]);
}

/**
 * The subject's parameters from `typicalValues` and η: parameter k (of `model.parameters`) is
 * written to out[slots[k]] — e.g. its place among a structural model's parameters.
 */
export function individualFromTypical(
  model: StageModel,
  typical: ArrayLike<number>,
  eta: ArrayLike<number>,
  slots: Int32Array,
  out: Float64Array,
): Float64Array {
  const c = model.compiled;
  const n = c.names.length;
  for (let k = 0; k < n; k++) out[slots[k]] = withEta(c, k, typical[k], eta);
  return out;
}

/** Writes the subject's parameters (data units) at natural-scale θ and η into `out`. */
export function individualValues(
  model: StageModel,
  theta: ArrayLike<number>,
  eta: ArrayLike<number>,
  z: ArrayLike<number>,
  out: ParameterValues,
): ParameterValues {
  const c = model.compiled;
  const typical = typicalValues(model, theta, z, new Float64Array(c.names.length));
  for (let k = 0; k < typical.length; k++) c.setters[k](out, withEta(c, k, typical[k], eta));
  return out;
}
