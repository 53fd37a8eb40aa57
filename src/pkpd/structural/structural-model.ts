/**
 * The structural PK/PD model of a study spec (src/study/study-spec.ts `PkModelSpec`, `PdModelSpec`)
 * as one small interface that a FOCE fit, a simulator and (later) a TF.js twin can all follow:
 *
 *   const model = createStructuralModel({ pk, pd });
 *   const plan = model.prepare(subjectDoses, { pk: pkTimes, pd: pdTimes }); // once per subject
 *   model.predict(plan, { CL: 0.04, V: 6.9, KA: 1, … }, out);              // per parameter vector
 *   model.predictVector(plan, Float64Array.of(0.04, 6.9, 1, …), out);       // the same, in `parameters` order
 *   const ss = model.prepareSteadyState({ interval: 24, route: 'oral' }, gridOverInterval);
 *   model.predictSteadyState(ss, values, amount, out);                       // last interval at steady state
 *
 * Parameters are addressed by name (`ModelParameter`), or as numbers in the order of `model.parameters`
 * (`predictVector`, for fitting loops: no lookup by name); `model.parameters` lists those the structure
 * needs (src/study/model-parameters.ts), each checked on every call — a missing, NaN, infinite or
 * non-positive value (TLAG: negative; IMAX: above 1; E0, and EMAX of a direct or effect-compartment
 * response, may have either sign) is a PkpdParameterError naming it. The indirect family's HILL comes
 * with the spec's `sigmoid` flag or `options.sigmoidIndirect` (a HILL in the values is otherwise
 * ignored there, as any parameter the structure does not have).
 *
 * Units are the caller's (concentration = amount / volume, rates per the doses' time unit; EstData:
 * mg, 1000 L, h → ng/mL).
 *
 * The science lives in the files beside this one: doses.ts (events, SS=1 epochs, runs), pk.ts
 * (closed-form PK, every route, periodic steady state), effect-compartment.ts (Ce in closed form),
 * pd.ts (direct and indirect families, the periodic fixed point), pd-grid.ts (integration grids).
 * What does not depend on parameters is computed in `prepare`; `predict` also keeps the PK-derived
 * values of the last PK parameter vector, so a fit that changes only PD parameters (or a subject's
 * PD random effects) pays for the PD integration alone; the integration's per-panel weights depend on
 * KOUT alone and are kept while it holds (pd.ts). A new TLAG recounts the oral doses and, for
 * the indirect families, rebuilds the integration grid (kinks move); a KOUT (× (1 + EMAX) for
 * stimulate-loss) too large for the grid's longest panel refines it (cached by refinement level).
 * Predicting into a caller's `out` allocates nothing in the common case: the central impulse
 * responses, the parameter records and the workspaces are the plan's or the model's, rewritten in
 * place (nothing returned refers to them).
 */
import { modelParameters } from '../../study/model-parameters';
import type { IndirectType, ModelParameter, PdDirection, PdModelSpec, PkModelSpec } from '../../study/study-spec';
import { PkpdDataError, PkpdParameterError } from '../errors';
import type { PdGridOptions } from '../indirect-response';
import { checkDoseEvents, scheduleDoses, type DoseEvent, type DoseSchedule, type RegimenShape } from './doses';
import { effectSiteResponses } from './effect-compartment';
import {
  advanceIndirect,
  createIndirectWorkspace,
  directEffect,
  periodicStart,
  stiffness,
  type DirectEffectParameters,
  type IndirectParameters,
  type IndirectWorkspace,
} from './pd';
import { historyLayout, steadyStateLayout, type IndirectLayout, type PeriodicPiece } from './pd-grid';
import {
  centralResponses,
  createResponseStore,
  evaluatePk,
  inputNeeds,
  inputResponses,
  planPk,
  planSteadyState,
  setPlanLag,
  type InputNeeds,
  type InputResponses,
  type PkPlan,
  type PkRates,
  type ResponseStore,
} from './pk';

export type ParameterValues = Partial<Record<ModelParameter, number>>;

export interface StructuralModelSpec {
  pk: PkModelSpec;
  pd?: PdModelSpec;
}

export interface ObservationTimes {
  /** Times of the concentration predictions. */
  pk?: ArrayLike<number>;
  /** Times of the response predictions (a model with a PD part). */
  pd?: ArrayLike<number>;
}

export interface Prediction {
  pk: Float64Array;
  /** Empty when the model has no PD part. */
  pd: Float64Array;
}

export interface StructuralModelOptions {
  /** Integration grid of the indirect families (../indirect-response `PdGridOptions`), in the data's time unit. */
  grid?: PdGridOptions;
  /**
   * Hours in one unit of the data's time (1 for hours, 24 for days, 1/60 for minutes): the grid's
   * default panels (first 0.25 h, at most 24 h) are these hours in the data's unit (default 1).
   */
  hoursPerTimeUnit?: number;
  /** Largest (rate of R) × (panel length) before the grid is refined (default 0.5; pd.ts). */
  stiffnessLimit?: number;
  /** Indirect families with a Hill exponent on the drug effect (HILL becomes a parameter; default false). */
  sigmoidIndirect?: boolean;
}

type PdKind =
  | { family: 'none' }
  | { family: 'direct' | 'effect-compartment'; direction: PdDirection; sigmoid: boolean }
  | { family: 'indirect'; type: IndirectType };

/** PK parameter values the PK-derived caches depend on: CL, V, Q, V2, KA, TLAG, KE0. */
const PK_KEY_SIZE = 7;

interface PkCache {
  /** Inputs the plan's doses use. */
  needs: InputNeeds;
  key: Float64Array;
  valid: boolean;
  /** Counts the PK value sets the cache has held: what node concentrations computed from it are tagged with. */
  version: number;
  /** The store's responses once computed (rewritten in place for new PK values). */
  central: InputResponses | null;
  store: ResponseStore;
  effect: InputResponses | null;
}

interface LayoutState {
  layout: IndirectLayout;
  concentration: Float64Array;
  periodicConcentration: Float64Array[];
  segmentWorkspaces: IndirectWorkspace[];
  periodicWorkspaces: IndirectWorkspace[];
  periodicStarts: Float64Array;
  /** The plan cache's version the node concentrations were computed for (−1: none yet). */
  version: number;
}

/** Parameter-independent data of one subject: made by `prepare`, used by `predict` (holds caches; not shared). */
export interface StructuralPlan {
  readonly schedule: DoseSchedule;
  readonly pkPlan: PkPlan;
  /** C (direct) or Ce (effect compartment) at the PD times. */
  readonly pdPlan: PkPlan | null;
  readonly pdTimes: Float64Array;
  readonly layouts: Map<string, LayoutState>;
  readonly cache: PkCache;
  readonly scratch: Float64Array;
  /** PK at the PK times for the cached PK values (copied when only PD parameters change). */
  readonly pkValues: Float64Array;
  /** The layouts used last (no map lookup in the common case). */
  readonly recent: { lag: number; base: LayoutState | null; level: number; refined: LayoutState | null };
}

interface PieceState {
  piece: PeriodicPiece;
  unitConcentration: Float64Array;
  scaled: Float64Array;
  workspace: IndirectWorkspace;
  /** The plan cache's version the unit concentrations were computed for (−1: none yet). */
  version: number;
}

/** Parameter-independent data of a regimen's steady state over one interval. */
export interface SteadyStatePlan {
  readonly shape: RegimenShape;
  readonly times: Float64Array;
  /** Unit-amount plan at the times. */
  readonly pkPlan: PkPlan;
  readonly pieces: Map<string, PieceState>;
  readonly cache: PkCache;
  readonly unit: Float64Array;
}

export interface StructuralModel {
  readonly spec: StructuralModelSpec;
  /** The parameters `predict` needs, in model-parameters.ts order. */
  readonly parameters: readonly ModelParameter[];
  /** Throws a PkpdParameterError naming the first missing or invalid parameter. */
  check(values: ParameterValues): void;
  prepare(doses: readonly DoseEvent[], times: ObservationTimes): StructuralPlan;
  predict(plan: StructuralPlan, values: ParameterValues, out?: Prediction): Prediction;
  /**
   * `predict` with the values as numbers in `parameters` order, checked the same way (a NaN is "not
   * a number"): the same predictions without a lookup by name — for fitting loops.
   */
  predictVector(plan: StructuralPlan, values: ArrayLike<number>, out?: Prediction): Prediction;
  /**
   * The central concentration C where the PD part reads the drug — at the integration nodes of an
   * indirect response (its unrefined grid for the TLAG of `values`), at the PD times of a direct or
   * effect-compartment one (C, not Ce) — for the PK values in `values` (PD ones are not needed, and
   * nothing is checked: as pk.ts `evaluatePk`). A new array; empty for a model without PD.
   */
  drivingConcentrations(plan: StructuralPlan, values: ParameterValues): Float64Array;
  /** A plan for the profile over the last interval at steady state, at times 0 ≤ s ≤ τ since the latest dose. */
  prepareSteadyState(regimen: RegimenShape, timesSinceDose: ArrayLike<number>): SteadyStatePlan;
  /** The periodic steady state of `amount` every τ (a loading dose would not change it). */
  predictSteadyState(plan: SteadyStatePlan, values: ParameterValues, amount: number, out?: Prediction): Prediction;
}

function resolvePd(pd: PdModelSpec | undefined): PdKind {
  if (!pd) return { family: 'none' };
  switch (pd.family) {
    case 'direct':
    case 'effect-compartment':
      return { family: pd.family, direction: pd.direction, sigmoid: pd.sigmoid };
    case 'indirect':
      return { family: 'indirect', type: pd.type };
    case 'auto':
      throw new PkpdParameterError('The PD family is "auto": choose direct, effect-compartment or indirect before predicting.');
  }
}

function describeModel(pk: PkModelSpec, pd: PdKind, sigmoid: boolean): string {
  const route = pk.route === 'oral' ? (pk.lag ? 'oral (with lag)' : 'oral') : 'IV';
  const pkText = `${route} ${pk.compartments}-compartment model`;
  if (pd.family === 'none') return pkText;
  if (pd.family === 'indirect') return `${pkText} with an indirect response (${pd.type}${sigmoid ? ', sigmoid' : ''})`;
  return `${pkText} with a ${pd.family} ${pd.direction === 'increase' ? 'increasing' : 'decreasing'} effect${pd.sigmoid ? ' (sigmoid)' : ''}`;
}

function checkValue(name: ModelParameter, value: unknown, needed: string, signed = false): number {
  if (value === undefined || value === null) throw new PkpdParameterError(`Parameter ${name} is missing; ${needed}.`);
  if (typeof value !== 'number' || Number.isNaN(value)) {
    const kind = signed ? 'finite' : name === 'TLAG' ? 'non-negative' : 'positive';
    throw new PkpdParameterError(
      `Parameter ${name} is not a number (${typeof value === 'number' ? value : JSON.stringify(value)}); give it a ${kind} value.`,
    );
  }
  if (!Number.isFinite(value)) throw new PkpdParameterError(`Parameter ${name} is ${value}; give it a finite value.`);
  if (signed) return value;
  if (name === 'TLAG') {
    if (value < 0) throw new PkpdParameterError(`Parameter TLAG (absorption lag) must be zero or positive, got ${value}.`);
  } else if (!(value > 0)) {
    throw new PkpdParameterError(`Parameter ${name} must be positive, got ${value}.`);
  }
  if (name === 'IMAX' && value > 1) {
    throw new PkpdParameterError(`Parameter IMAX must be at most 1 (complete inhibition), got ${value}.`);
  }
  return value;
}

function sameKey(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const MAX_LAYOUTS = 8;

export function createStructuralModel(spec: StructuralModelSpec, options: StructuralModelOptions = {}): StructuralModel {
  const pkSpec = spec.pk;
  if (pkSpec.compartments !== 1 && pkSpec.compartments !== 2) {
    throw new PkpdParameterError(`The number of compartments is "${String(pkSpec.compartments)}": choose 1 or 2 before predicting.`);
  }
  const compartments = pkSpec.compartments;
  const oral = pkSpec.route === 'oral';
  const lagged = oral && pkSpec.lag;
  const pd = resolvePd(spec.pd);
  const specSigmoid = spec.pd?.family === 'indirect' && spec.pd.sigmoid === true;
  const sigmoidIndirect = pd.family === 'indirect' && (options.sigmoidIndirect === true || specSigmoid);
  const parameters: ModelParameter[] = [
    ...modelParameters(pkSpec, spec.pd),
    ...(sigmoidIndirect && !specSigmoid ? (['HILL'] as const) : []),
  ];
  // E0 (and EMAX of a direct or effect-compartment response) may have either sign: a change from baseline, a falling effect.
  const signed = new Set<ModelParameter>(pd.family === 'direct' || pd.family === 'effect-compartment' ? ['E0', 'EMAX'] : ['E0']);
  const description = describeModel(pkSpec, pd, sigmoidIndirect);
  const needed = `the ${description} needs ${parameters.join(', ')}`;
  const perHour = options.hoursPerTimeUnit ?? 1;
  const gridOptions: PdGridOptions = { firstPanel: 0.25 / perHour, maxPanel: 24 / perHour, ...options.grid };
  const stiffnessLimit = options.stiffnessLimit ?? 0.5;

  const signedFlags = parameters.map((name) => signed.has(name));
  const imaxSlot = parameters.indexOf('IMAX');
  function check(values: ParameterValues): void {
    for (let i = 0; i < parameters.length; i++) {
      const name = parameters[i];
      const value = values[name];
      // The common case first (a fit checks every prediction): a positive finite number (IMAX at most 1).
      if (typeof value === 'number' && value > 0 && value < Infinity && (name !== 'IMAX' || value <= 1)) continue;
      checkValue(name, value, needed, signedFlags[i]);
    }
  }

  /** `check` for values in `parameters` order. */
  function checkVector(values: ArrayLike<number>): void {
    for (let i = 0; i < parameters.length; i++) {
      const value = values[i];
      if (value > 0 && value < Infinity && (i !== imaxSlot || value <= 1)) continue;
      checkValue(parameters[i], value, needed, signedFlags[i]);
    }
  }

  /** The checked values of a record in `parameters` order (into the model's scratch vector). */
  const recordValues = new Float64Array(parameters.length);
  function vectorOf(values: ParameterValues): Float64Array {
    check(values);
    for (let i = 0; i < parameters.length; i++) recordValues[i] = values[parameters[i]] as number;
    return recordValues;
  }

  // Where each parameter sits in a value vector (−1: not a parameter of this structure; never read then).
  const slot = (name: ModelParameter): number => parameters.indexOf(name);
  const CL = slot('CL');
  const V = slot('V');
  const Q = slot('Q');
  const V2 = slot('V2');
  const KA = slot('KA');
  const TLAG = slot('TLAG');
  const KE0 = slot('KE0');
  const E0 = slot('E0');
  const BASE = slot('BASE');
  const KOUT = slot('KOUT');
  const HILL = slot('HILL');
  const increase = pd.family !== 'none' && pd.family !== 'indirect' && pd.direction === 'increase';
  const inhibit = pd.family === 'indirect' && (pd.type === 'inhibit-production' || pd.type === 'inhibit-loss');
  // EMAX or IMAX, EC50 or IC50, as the family reads them.
  const MAX = pd.family === 'indirect' ? slot(inhibit ? 'IMAX' : 'EMAX') : slot(increase ? 'EMAX' : 'IMAX');
  const C50 = pd.family === 'indirect' ? slot(inhibit ? 'IC50' : 'EC50') : slot(increase ? 'EC50' : 'IC50');

  /** PK rates of the latest values (one object per model, rewritten by each call: nothing keeps it). */
  const rates: PkRates = { compartments, cl: 0, v: 0, q: Number.NaN, v2: Number.NaN, ka: Number.NaN, tlag: 0 };
  function pkRates(values: ArrayLike<number>): PkRates {
    rates.cl = values[CL];
    rates.v = values[V];
    rates.q = compartments === 2 ? values[Q] : Number.NaN;
    rates.v2 = compartments === 2 ? values[V2] : Number.NaN;
    rates.ka = oral ? values[KA] : Number.NaN;
    rates.tlag = lagged ? values[TLAG] : 0;
    return rates;
  }

  function pkKey(p: PkRates, values: ArrayLike<number>, into: Float64Array): Float64Array {
    into[0] = p.cl;
    into[1] = p.v;
    into[2] = p.q;
    into[3] = p.v2;
    into[4] = p.ka;
    into[5] = p.tlag;
    into[6] = pd.family === 'effect-compartment' ? values[KE0] : Number.NaN;
    return into;
  }

  const key = new Float64Array(PK_KEY_SIZE);

  /** Responses for the current PK values; returns whether the cache was still valid. */
  function refresh(cache: PkCache, p: PkRates, values: ArrayLike<number>): boolean {
    pkKey(p, values, key);
    if (cache.valid && sameKey(cache.key, key)) return true;
    cache.key.set(key);
    cache.version++;
    cache.central = centralResponses(p, cache.needs, cache.store);
    cache.effect = pd.family === 'effect-compartment' ? effectSiteResponses(p, values[KE0], cache.needs) : null;
    cache.valid = true;
    return false;
  }

  /** Direct and effect-compartment parameters of the latest values (one object per model, as `rates`). */
  const directValues: DirectEffectParameters = { direction: increase ? 'increase' : 'decrease', e0: 0, max: 0, c50: 0, hill: 1 };
  function directParameters(values: ArrayLike<number>, sigmoid: boolean): DirectEffectParameters {
    directValues.e0 = values[E0];
    directValues.max = values[MAX];
    directValues.c50 = values[C50];
    directValues.hill = sigmoid ? values[HILL] : 1;
    return directValues;
  }

  /** Indirect-response parameters of the latest values (one object per model, as `rates`). */
  const indirectValues: IndirectParameters = {
    type: pd.family === 'indirect' ? pd.type : 'inhibit-production',
    base: 0,
    kout: 0,
    max: 0,
    c50: 0,
    hill: 1,
  };
  function indirectParameters(values: ArrayLike<number>): IndirectParameters {
    indirectValues.base = values[BASE];
    indirectValues.kout = values[KOUT];
    indirectValues.max = values[MAX];
    indirectValues.c50 = values[C50];
    indirectValues.hill = sigmoidIndirect ? values[HILL] : 1;
    return indirectValues;
  }

  function refinement(longestPanel: number, p: IndirectParameters): number {
    return Math.max(1, Math.ceil((stiffness(p) * longestPanel) / stiffnessLimit - 1e-12));
  }

  function checkDoses(doses: readonly DoseEvent[]): void {
    checkDoseEvents(doses);
    if (oral) return;
    doses.forEach((dose, i) => {
      if (dose.route === 'oral') {
        throw new PkpdDataError(
          `Dose ${i + 1} (time ${dose.time}) is oral, but the model's route is IV (no absorption rate KA). Use an oral model, or give the dose as a bolus or an infusion.`,
        );
      }
    });
  }

  function timesArray(times: ArrayLike<number> | undefined, what: string): Float64Array {
    const t = Float64Array.from(times ?? []);
    t.forEach((x, i) => {
      if (!Number.isFinite(x)) throw new PkpdDataError(`${what} time ${i + 1} is ${x}; every prediction time must be a finite number.`);
    });
    return t;
  }

  function prepare(doses: readonly DoseEvent[], times: ObservationTimes): StructuralPlan {
    checkDoses(doses);
    const schedule = scheduleDoses(doses);
    const pkTimes = timesArray(times.pk, 'PK');
    const pdTimes = timesArray(times.pd, 'PD');
    if (pd.family === 'none' && pdTimes.length > 0) {
      throw new PkpdDataError(`PD times were given, but the ${description} has no PD part; add a PD model or leave the PD times out.`);
    }
    const direct = pd.family === 'direct' || pd.family === 'effect-compartment';
    return {
      schedule,
      pkPlan: planPk(schedule, pkTimes),
      pdPlan: direct ? planPk(schedule, pdTimes) : null,
      pdTimes,
      layouts: new Map(),
      cache: {
        needs: inputNeeds(schedule),
        key: new Float64Array(PK_KEY_SIZE),
        valid: false,
        version: 0,
        central: null,
        store: createResponseStore(compartments),
        effect: null,
      },
      scratch: new Float64Array(pdTimes.length),
      pkValues: new Float64Array(pkTimes.length),
      recent: { lag: Number.NaN, base: null, level: 0, refined: null },
    };
  }

  function layoutState(plan: StructuralPlan, lag: number, subdivisions: number): LayoutState {
    const id = `${lag}|${subdivisions}`;
    const found = plan.layouts.get(id);
    if (found) return found;
    const layout = historyLayout(plan.schedule, plan.pdTimes, lag, gridOptions, subdivisions);
    const state: LayoutState = {
      layout,
      concentration: new Float64Array(layout.nodePlan.times.length),
      periodicConcentration: layout.periodic.map((piece) => new Float64Array(piece.nodePlan.times.length)),
      segmentWorkspaces: layout.segments.map((s) => createIndirectWorkspace(s.grid)),
      periodicWorkspaces: layout.periodic.map((piece) => createIndirectWorkspace(piece.grid)),
      periodicStarts: new Float64Array(layout.periodic.length),
      version: -1,
    };
    if (plan.layouts.size >= MAX_LAYOUTS) plan.layouts.delete(plan.layouts.keys().next().value as string);
    plan.layouts.set(id, state);
    return state;
  }

  function drivingConcentrations(plan: StructuralPlan, values: ParameterValues): Float64Array {
    if (pd.family === 'none') return new Float64Array(0);
    const p = pkRates(Float64Array.from(parameters, (name) => values[name] ?? Number.NaN));
    const responses = inputResponses(p, [], plan.cache.needs);
    if (pd.family === 'indirect') return evaluatePk(layoutState(plan, p.tlag, 1).layout.nodePlan, responses);
    // The plan's lag changes alone (what `predict` reads at the PD times is recomputed for another lag).
    const pdPlan = plan.pdPlan as PkPlan;
    setPlanLag(pdPlan, p.tlag);
    return evaluatePk(pdPlan, responses);
  }

  function predictIndirect(plan: StructuralPlan, p: PkRates, values: ArrayLike<number>, out: Float64Array): void {
    const ip = indirectParameters(values);
    const recent = plan.recent;
    if (recent.base === null || recent.lag !== p.tlag) {
      recent.base = layoutState(plan, p.tlag, 1);
      recent.lag = p.tlag;
      recent.refined = null;
    }
    const level = refinement(recent.base.layout.longestPanel, ip);
    let state = recent.base;
    if (level > 1) {
      if (recent.refined === null || recent.level !== level) {
        recent.refined = layoutState(plan, p.tlag, level);
        recent.level = level;
      }
      state = recent.refined;
    }
    const { layout } = state;
    const responses = plan.cache.central as InputResponses;
    if (state.version !== plan.cache.version) {
      evaluatePk(layout.nodePlan, responses, state.concentration);
      for (let k = 0; k < layout.periodic.length; k++) evaluatePk(layout.periodic[k].nodePlan, responses, state.periodicConcentration[k]);
      state.version = plan.cache.version;
    }
    for (let k = 0; k < layout.periodic.length; k++) {
      state.periodicStarts[k] = periodicStart(ip, layout.periodic[k].grid, state.periodicConcentration[k], 0, state.periodicWorkspaces[k]);
    }
    for (let k = 0; k < layout.segments.length; k++) {
      const segment = layout.segments[k];
      const initial = segment.periodic < 0 ? ip.base : state.periodicStarts[segment.periodic];
      advanceIndirect(
        ip,
        segment.grid,
        state.concentration,
        segment.nodeOffset,
        initial,
        state.segmentWorkspaces[k],
        out,
        segment.outputIndex,
      );
    }
  }

  function predict(plan: StructuralPlan, values: ParameterValues, out?: Prediction): Prediction {
    return predictChecked(plan, vectorOf(values), out);
  }

  function predictVector(plan: StructuralPlan, values: ArrayLike<number>, out?: Prediction): Prediction {
    checkVector(values);
    return predictChecked(plan, values, out);
  }

  function predictChecked(plan: StructuralPlan, values: ArrayLike<number>, out?: Prediction): Prediction {
    const p = pkRates(values);
    const result = out ?? { pk: new Float64Array(plan.pkPlan.times.length), pd: new Float64Array(plan.pdTimes.length) };
    const cached = refresh(plan.cache, p, values);
    if (!cached || plan.pkPlan.lag !== p.tlag) {
      setPlanLag(plan.pkPlan, p.tlag);
      evaluatePk(plan.pkPlan, plan.cache.central as InputResponses, plan.pkValues);
    }
    if (plan.pkValues.length > 0) result.pk.set(plan.pkValues);
    switch (pd.family) {
      case 'none':
        break;
      case 'direct':
      case 'effect-compartment': {
        const pdPlan = plan.pdPlan as PkPlan;
        if (!cached || pdPlan.lag !== p.tlag) {
          setPlanLag(pdPlan, p.tlag);
          const responses = (pd.family === 'direct' ? plan.cache.central : plan.cache.effect) as InputResponses;
          evaluatePk(pdPlan, responses, plan.scratch);
        }
        directEffect(directParameters(values, pd.sigmoid), plan.scratch, result.pd);
        break;
      }
      case 'indirect':
        predictIndirect(plan, p, values, result.pd);
        break;
    }
    return result;
  }

  function prepareSteadyState(regimen: RegimenShape, timesSinceDose: ArrayLike<number>): SteadyStatePlan {
    if (!oral && regimen.route === 'oral') {
      throw new PkpdDataError(`The regimen is oral, but the ${description} has no absorption (KA); use an oral model or an IV regimen.`);
    }
    const times = timesArray(timesSinceDose, 'Steady-state');
    return {
      shape: { ...regimen },
      times,
      pkPlan: planSteadyState(regimen, times),
      pieces: new Map(),
      cache: {
        needs: { oral: regimen.route === 'oral', iv: regimen.route !== 'oral' },
        key: new Float64Array(PK_KEY_SIZE),
        valid: false,
        version: 0,
        central: null,
        store: createResponseStore(compartments),
        effect: null,
      },
      unit: new Float64Array(times.length),
    };
  }

  function pieceState(plan: SteadyStatePlan, lag: number, subdivisions: number): PieceState {
    const id = `${lag}|${subdivisions}`;
    const found = plan.pieces.get(id);
    if (found) return found;
    const piece = steadyStateLayout(plan.shape, plan.times, lag, gridOptions, subdivisions);
    const n = piece.nodePlan.times.length;
    const state: PieceState = {
      piece,
      unitConcentration: new Float64Array(n),
      scaled: new Float64Array(n),
      workspace: createIndirectWorkspace(piece.grid),
      version: -1,
    };
    if (plan.pieces.size >= MAX_LAYOUTS) plan.pieces.delete(plan.pieces.keys().next().value as string);
    plan.pieces.set(id, state);
    return state;
  }

  function predictSteadyState(plan: SteadyStatePlan, record: ParameterValues, amount: number, out?: Prediction): Prediction {
    const values = vectorOf(record);
    if (!(amount >= 0 && Number.isFinite(amount)))
      throw new PkpdDataError(`The dose amount must be zero or a positive number, got ${amount}.`);
    const p = pkRates(values);
    const n = plan.times.length;
    const result = out ?? { pk: new Float64Array(n), pd: new Float64Array(pd.family === 'none' ? 0 : n) };
    const cached = refresh(plan.cache, p, values);
    if (!cached || plan.pkPlan.lag !== p.tlag) {
      setPlanLag(plan.pkPlan, p.tlag);
      evaluatePk(plan.pkPlan, plan.cache.central as InputResponses, plan.unit);
    }
    for (let i = 0; i < n; i++) result.pk[i] = amount * plan.unit[i];
    switch (pd.family) {
      case 'none':
        break;
      case 'direct':
        directEffect(directParameters(values, pd.sigmoid), result.pk, result.pd);
        break;
      case 'effect-compartment': {
        const ce = evaluatePk(plan.pkPlan, plan.cache.effect as InputResponses, result.pd);
        for (let i = 0; i < n; i++) ce[i] *= amount;
        directEffect(directParameters(values, pd.sigmoid), ce, result.pd);
        break;
      }
      case 'indirect': {
        const ip = indirectParameters(values);
        const base = pieceState(plan, p.tlag, 1);
        let longestPanel = 0;
        for (const h of base.piece.grid.lengths) longestPanel = Math.max(longestPanel, h);
        const level = refinement(longestPanel, ip);
        const state = level === 1 ? base : pieceState(plan, p.tlag, level);
        if (state.version !== plan.cache.version) {
          evaluatePk(state.piece.nodePlan, plan.cache.central as InputResponses, state.unitConcentration);
          state.version = plan.cache.version;
        }
        for (let i = 0; i < state.scaled.length; i++) state.scaled[i] = amount * state.unitConcentration[i];
        const r0 = periodicStart(ip, state.piece.grid, state.scaled, 0, state.workspace);
        // The grid's outputs are the requested times, then τ (the fixed point's check value).
        advanceIndirect(ip, state.piece.grid, state.scaled, 0, r0, state.workspace);
        const resp = state.workspace.response;
        for (let k = 0; k < n; k++) {
          const panel = state.piece.grid.outputPanel[k];
          result.pd[k] = panel < 0 ? r0 : resp[panel];
        }
        break;
      }
    }
    return result;
  }

  return { spec, parameters, check, prepare, predict, predictVector, drivingConcentrations, prepareSteadyState, predictSteadyState };
}
