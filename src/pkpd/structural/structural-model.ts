/**
 * The structural PK/PD model of a study spec (src/study/study-spec.ts `PkModelSpec`, `PdModelSpec`)
 * as one small interface that a FOCE fit, a simulator and (later) a TF.js twin can all follow:
 *
 *   const model = createStructuralModel({ pk, pd });
 *   const plan = model.prepare(subjectDoses, { pk: pkTimes, pd: pdTimes }); // once per subject
 *   model.predict(plan, { CL: 0.04, V: 6.9, KA: 1, … }, out);              // per parameter vector
 *   const ss = model.prepareSteadyState({ interval: 24, route: 'oral' }, gridOverInterval);
 *   model.predictSteadyState(ss, values, amount, out);                       // last interval at steady state
 *
 * Parameters are addressed by name (`ModelParameter`); `model.parameters` lists those the structure
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
 * PD random effects) pays for the PD integration alone. A new TLAG recounts the oral doses and, for
 * the indirect families, rebuilds the integration grid (kinks move); a KOUT (× (1 + EMAX) for
 * stimulate-loss) too large for the grid's longest panel refines it (cached by refinement level).
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
  /** Integration grid of the indirect families (../indirect-response `PdGridOptions`). */
  grid?: PdGridOptions;
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
  central: InputResponses | null;
  effect: InputResponses | null;
}

interface LayoutState {
  layout: IndirectLayout;
  concentration: Float64Array;
  periodicConcentration: Float64Array[];
  segmentWorkspaces: IndirectWorkspace[];
  periodicWorkspaces: IndirectWorkspace[];
  periodicStarts: Float64Array;
  /** PK key the node concentrations were computed for. */
  key: Float64Array;
  valid: boolean;
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
  key: Float64Array;
  valid: boolean;
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
  const gridOptions = options.grid ?? {};
  const stiffnessLimit = options.stiffnessLimit ?? 0.5;

  const signedFlags = parameters.map((name) => signed.has(name));
  function check(values: ParameterValues): void {
    for (let i = 0; i < parameters.length; i++) {
      const name = parameters[i];
      const value = values[name];
      // The common case first (a fit checks every prediction): a positive finite number (IMAX at most 1).
      if (typeof value === 'number' && value > 0 && value < Infinity && (name !== 'IMAX' || value <= 1)) continue;
      checkValue(name, value, needed, signedFlags[i]);
    }
  }

  function pkRates(values: ParameterValues): PkRates {
    return {
      compartments,
      cl: values.CL as number,
      v: values.V as number,
      q: compartments === 2 ? (values.Q as number) : Number.NaN,
      v2: compartments === 2 ? (values.V2 as number) : Number.NaN,
      ka: oral ? (values.KA as number) : Number.NaN,
      tlag: lagged ? (values.TLAG as number) : 0,
    };
  }

  function pkKey(p: PkRates, values: ParameterValues, into: Float64Array): Float64Array {
    into[0] = p.cl;
    into[1] = p.v;
    into[2] = p.q;
    into[3] = p.v2;
    into[4] = p.ka;
    into[5] = p.tlag;
    into[6] = pd.family === 'effect-compartment' ? (values.KE0 as number) : Number.NaN;
    return into;
  }

  const key = new Float64Array(PK_KEY_SIZE);

  /** Responses for the current PK values; returns whether the cache was still valid. */
  function refresh(cache: PkCache, p: PkRates, values: ParameterValues): boolean {
    pkKey(p, values, key);
    if (cache.valid && sameKey(cache.key, key)) return true;
    cache.key.set(key);
    cache.central = inputResponses(p, [], cache.needs);
    cache.effect = pd.family === 'effect-compartment' ? effectSiteResponses(p, values.KE0 as number, cache.needs) : null;
    cache.valid = true;
    return false;
  }

  function directParameters(values: ParameterValues, direction: PdDirection, sigmoid: boolean): DirectEffectParameters {
    const increase = direction === 'increase';
    return {
      direction,
      e0: values.E0 as number,
      max: (increase ? values.EMAX : values.IMAX) as number,
      c50: (increase ? values.EC50 : values.IC50) as number,
      hill: sigmoid ? (values.HILL as number) : 1,
    };
  }

  function indirectParameters(values: ParameterValues, type: IndirectType): IndirectParameters {
    const inhibit = type.startsWith('inhibit');
    return {
      type,
      base: values.BASE as number,
      kout: values.KOUT as number,
      max: (inhibit ? values.IMAX : values.EMAX) as number,
      c50: (inhibit ? values.IC50 : values.EC50) as number,
      hill: sigmoidIndirect ? (values.HILL as number) : 1,
    };
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
      cache: { needs: inputNeeds(schedule), key: new Float64Array(PK_KEY_SIZE), valid: false, central: null, effect: null },
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
      key: new Float64Array(PK_KEY_SIZE),
      valid: false,
    };
    if (plan.layouts.size >= MAX_LAYOUTS) plan.layouts.delete(plan.layouts.keys().next().value as string);
    plan.layouts.set(id, state);
    return state;
  }

  function predictIndirect(plan: StructuralPlan, p: PkRates, values: ParameterValues, type: IndirectType, out: Float64Array): void {
    const ip = indirectParameters(values, type);
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
    if (!state.valid || !sameKey(state.key, plan.cache.key)) {
      evaluatePk(layout.nodePlan, responses, state.concentration);
      for (let k = 0; k < layout.periodic.length; k++) evaluatePk(layout.periodic[k].nodePlan, responses, state.periodicConcentration[k]);
      state.key.set(plan.cache.key);
      state.valid = true;
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
    check(values);
    const p = pkRates(values);
    const result = out ?? { pk: new Float64Array(plan.pkPlan.times.length), pd: new Float64Array(plan.pdTimes.length) };
    const cached = refresh(plan.cache, p, values);
    if (!cached || plan.pkPlan.lag !== p.tlag) {
      setPlanLag(plan.pkPlan, p.tlag);
      evaluatePk(plan.pkPlan, plan.cache.central as InputResponses, plan.pkValues);
    }
    result.pk.set(plan.pkValues);
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
        directEffect(directParameters(values, pd.direction, pd.sigmoid), plan.scratch, result.pd);
        break;
      }
      case 'indirect':
        predictIndirect(plan, p, values, pd.type, result.pd);
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
        central: null,
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
      key: new Float64Array(PK_KEY_SIZE),
      valid: false,
    };
    if (plan.pieces.size >= MAX_LAYOUTS) plan.pieces.delete(plan.pieces.keys().next().value as string);
    plan.pieces.set(id, state);
    return state;
  }

  function predictSteadyState(plan: SteadyStatePlan, values: ParameterValues, amount: number, out?: Prediction): Prediction {
    check(values);
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
        directEffect(directParameters(values, pd.direction, pd.sigmoid), result.pk, result.pd);
        break;
      case 'effect-compartment': {
        const ce = evaluatePk(plan.pkPlan, plan.cache.effect as InputResponses, result.pd);
        for (let i = 0; i < n; i++) ce[i] *= amount;
        directEffect(directParameters(values, pd.direction, pd.sigmoid), ce, result.pd);
        break;
      }
      case 'indirect': {
        const ip = indirectParameters(values, pd.type);
        const base = pieceState(plan, p.tlag, 1);
        let longestPanel = 0;
        for (const h of base.piece.grid.lengths) longestPanel = Math.max(longestPanel, h);
        const level = refinement(longestPanel, ip);
        const state = level === 1 ? base : pieceState(plan, p.tlag, level);
        if (!state.valid || !sameKey(state.key, plan.cache.key)) {
          evaluatePk(state.piece.nodePlan, plan.cache.central as InputResponses, state.unitConcentration);
          state.key.set(plan.cache.key);
          state.valid = true;
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

  return { spec, parameters, check, prepare, predict, prepareSteadyState, predictSteadyState };
}
