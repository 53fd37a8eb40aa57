/**
 * A study's population model (src/pkpd/population: `StudyPopulationModel`, θ by name, Ω by
 * parameter, covariate effects of the spec) as a steady-state simulator of the questions' endpoint,
 * on the general structural engine (src/pkpd/structural) — every route (oral with lag, IV bolus, IV
 * infusion) and PD family.
 *
 * Subjects: parameters from θ, the subject's covariates (by column name, virtual-population.ts) and
 * η = ω·z, z the population's standard-normal draw of stream "eta:<stage>.<parameter>"
 * (parameter-model.ts `individualValues`; IMAX's η on the logit scale).
 *
 * Steady state, exactly, in one pass per subject and amount. PK is linear: the periodic steady state
 * of A every τ is A·u(t), u the unit-amount steady state (pk.ts `planSteadyState`, closed-form
 * superposition, computed once per subject and regimen). So is the effect-site concentration Ce
 * (effect-compartment.ts). Hence:
 *   PK           max, min, trough = A × those of u; average = A / (CL τ) exactly (AUC over one
 *                interval at steady state = dose / CL, every route);
 *   direct, Ce   E = f(A·u) with f monotone (pd.ts `directEffect`): max and min are f at A·max u and
 *                A·min u; the average by `gridAverage` (Simpson) over the grid;
 *   indirect     the unit concentration at the Gauss–Legendre nodes of the engine's steady-state
 *                grid (pd-grid.ts `steadyStateLayout`; `steadyStateAtNodes`, kept per subject), and R
 *                over one interval by the engine's exact-in-R panels (pd.ts `advanceIndirect`) with
 *                C50 / A in place of C50 (D(A·u; C50) = D(u; C50 / A): no scaling pass). For the two
 *                production types R(t) = e^{−KOUT t} R(0) + S(t) is affine in R(0) with a slope free of
 *                drug, so ONE pass from R(0) = BASE gives the periodic state: R0 = BASE + (R_B(τ) −
 *                BASE) / (1 − e^{−KOUT τ}) and R(t) = R_B(t) + (R0 − BASE) e^{−KOUT t}. The loss types
 *                take the engine's fixed point (`periodicStart`) and a second pass. The average is
 *                `gridAverage` over the grid. The grid is refined where KOUT × the longest panel
 *                exceeds 0.5, as the engine's `predictSteadyState` does (the same numbers, tested).
 * `successRanges` gives each subject's range of successful grid doses by bisection (each subject's
 * endpoint moves one way with the dose), for the curves and the uncertainty replicates.
 * Steady-state check: for the subjects with the slowest approach (the longest of the PK half-lives,
 * ln 2 / KOUT — ln 2 / (KOUT (1 − IMAX)) for inhibition of loss — and ln 2 / KE0), the engine's dose-
 * history path (`prepare`/`predict`, a different code path) simulates the regimen forward from a
 * drug-free start for ≥ `halfLives` (default 10) of those half-lives (at most 5000 intervals), and the
 * worst relative difference between its last interval and the periodic solution, and between its
 * last two intervals, is reported.
 */
import type { StudyPopulationModel } from '../pkpd/population/fit-study';
import { covariateVector, individualValues, stageModel, type StageModel } from '../pkpd/population/parameter-model';
import { regimenDoses, type RegimenShape } from '../pkpd/structural/doses';
import { effectSiteResponses } from '../pkpd/structural/effect-compartment';
import {
  advanceIndirect,
  createIndirectWorkspace,
  directEffect,
  periodicStart,
  stiffness,
  type DirectEffectParameters,
  type IndirectParameters,
  type IndirectWorkspace,
} from '../pkpd/structural/pd';
import { steadyStateLayout, type PeriodicPiece } from '../pkpd/structural/pd-grid';
import {
  dispositionResponse,
  evaluatePk,
  inputResponses,
  planSteadyState,
  setPlanLag,
  type PkRates,
  type Polyexponential,
} from '../pkpd/structural/pk';
import type { PdGrid } from '../pkpd/indirect-response';
import { createStructuralModel, type ParameterValues, type StructuralModel } from '../pkpd/structural/structural-model';
import type { Criterion, StudySpec } from '../study/study-spec';
import { HOURS_PER } from '../study/units';
import { criterionBounds, meets } from './criterion';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import { PkpdParameterError } from '../pkpd/errors';
import { formatNumber } from '../text/format';
import {
  cachedAverageWeights,
  checkSteadyStateRequest,
  emptyResult,
  regimenGrid,
  summariseProfile,
  type DosingRegimen,
  type EndpointSummary,
  type SteadyStateBatch,
  type SteadyStateCheck,
  type SteadyStateRequest,
  type SteadyStateResult,
  type SteadyStateSimulator,
} from './steady-state';
import { etaName, type VirtualPopulation } from './virtual-population';

export interface StudySimulatorOptions {
  /** Half-lives simulated forward by the steady-state check (default 10). */
  halfLives?: number;
  /** Subjects with the slowest approach to steady state that the check simulates (default 4). */
  checkSubjects?: number;
  /** Largest acceptable relative difference in the check (default 0.01). */
  tolerance?: number;
  /** Covariates computed from others for each virtual population (a hybrid model's network shifts). */
  derived?: DerivedCovariates;
}

/**
 * Covariate columns computed from a virtual subject's other covariates, once per population — e.g.
 * the log shifts a hybrid model's network predicts (src/model/mechanistic/hybrid-model.ts), so the
 * network runs once per virtual subject, never per time point.
 */
export interface DerivedCovariates {
  /** Upper-case columns it reads: what a scenario must give (or the trial have). */
  inputs: readonly string[];
  /** Upper-case columns it writes. */
  outputs: readonly string[];
  /** Standard-normal draws it needs from the population (e.g. a baseline drawn per virtual subject), by name. */
  randomEffects?: readonly string[];
  derive(
    covariates: Readonly<Record<string, Float64Array>>,
    size: number,
    random: Readonly<Record<string, Float64Array>>,
  ): Record<string, Float64Array>;
}

const ALL_SUMMARIES: readonly EndpointSummary[] = ['max', 'min', 'trough', 'average'];
/** As the engine's default (structural-model.ts `stiffnessLimit`). */
const STIFFNESS_LIMIT = 0.5;
const MAX_CHECK_INTERVALS = 5000;

type Kind = 'pk' | 'direct' | 'effect' | 'indirect';

interface Individuals {
  /** The covariate columns the model reads, derived ones computed (by upper-case name). */
  columns: Record<string, Float64Array>;
  values: ParameterValues[];
  rates: PkRates[];
  /** Slowest half-life of the approach to steady state. */
  slowest: Float64Array;
}

interface PieceState {
  piece: PeriodicPiece;
  workspace: IndirectWorkspace;
}

/** What one population under one regimen and grid needs, per subject (computed once). */
interface RegimenState {
  key: string;
  regimen: DosingRegimen;
  grid: Float64Array;
  points: number;
  /** Unit-amount C (PK, direct) or Ce (effect compartment) on the grid, [i * points + k]. */
  unit: Float64Array | null;
  unitMax: Float64Array | null;
  unitMin: Float64Array | null;
  /** Weights of the interval's average over the grid (Simpson, steady-state.ts). */
  weights: Float64Array;
  /** Indirect: the piece of each subject and its unit concentration at the piece's nodes. */
  pieceOf: Int32Array | null;
  pieces: PieceState[];
  nodes: Float64Array[];
  direct: DirectEffectParameters[];
  indirect: IndirectParameters[];
}

interface PopulationState {
  individuals: Individuals;
  regimens: RegimenState[];
}

/** How the endpoint of a model moves with the dose (all subjects alike: η keeps signs). */
export function endpointDirection(model: StudyPopulationModel, endpoint: 'pk' | 'pd'): 'increasing' | 'decreasing' {
  if (endpoint === 'pk' || !model.pd) return 'increasing';
  const pd = model.pd;
  if (pd.family === 'indirect') return pd.type === 'stimulate-production' || pd.type === 'inhibit-loss' ? 'increasing' : 'decreasing';
  if (pd.direction === 'increase') return (model.theta.EMAX ?? 1) >= 0 ? 'increasing' : 'decreasing';
  return (model.theta.E0 ?? 1) >= 0 ? 'decreasing' : 'increasing';
}

export class StudyDoseSimulator implements SteadyStateSimulator {
  readonly label: string;
  readonly randomEffects: readonly string[];
  readonly summaries = ALL_SUMMARIES;
  readonly direction: 'increasing' | 'decreasing';
  /** Upper-case covariate columns a virtual subject needs: those the model reads, derived ones replaced by their inputs. */
  readonly covariates: readonly string[];
  /** Upper-case covariate columns the model reads. */
  private readonly modelColumns: readonly string[];
  private readonly derived: DerivedCovariates | null;
  private readonly kind: Kind;
  private readonly pkStage: StageModel;
  private readonly pdStage: StageModel | null;
  private readonly pkTheta: number[];
  private readonly pdTheta: number[];
  private readonly engine: StructuralModel;
  private readonly hillIndirect: boolean;
  private readonly cache = new WeakMap<VirtualPopulation, PopulationState>();
  private readonly halfLives: number;
  private readonly checkSubjects: number;
  /** The options a pool worker rebuilds this simulator with (the derived covariates are computed here: `poolPopulation`). */
  readonly plainOptions: Omit<StudySimulatorOptions, 'derived'>;
  /** The indirect parameters of the subject being integrated (C50 scaled by the amount). */
  private readonly work: IndirectParameters = { type: 'inhibit-production', base: 1, kout: 1, max: 0, c50: 1, hill: 1 };
  private readonly tolerance: number;

  constructor(
    readonly spec: StudySpec,
    readonly model: StudyPopulationModel,
    readonly endpoint: 'pk' | 'pd',
    options: StudySimulatorOptions = {},
  ) {
    this.halfLives = options.halfLives ?? 10;
    this.checkSubjects = options.checkSubjects ?? 4;
    this.tolerance = options.tolerance ?? 0.01;
    this.plainOptions = { halfLives: this.halfLives, checkSubjects: this.checkSubjects, tolerance: this.tolerance };
    const pd = model.pd;
    if (endpoint === 'pd' && !pd) throw new DoseSettingsError('Questions on the response (endpoint "pd") need a model with a PD part.');
    this.pkStage = stageModel(spec, 'pk', model.pk, undefined, model.effects);
    this.pdStage = endpoint === 'pd' && pd ? stageModel(spec, 'pd', model.pk, pd, model.effects) : null;
    const thetaOf = (stage: StageModel): number[] =>
      stage.thetas.map((t) => {
        const v = model.theta[t.name];
        if (v === undefined) throw new DoseSettingsError(`The model has no value for ${t.name}.`);
        return v;
      });
    this.pkTheta = thetaOf(this.pkStage);
    this.pdTheta = this.pdStage ? thetaOf(this.pdStage) : [];
    this.kind =
      endpoint === 'pk' || !pd ? 'pk' : pd.family === 'indirect' ? 'indirect' : pd.family === 'effect-compartment' ? 'effect' : 'direct';
    this.hillIndirect = pd?.family === 'indirect' && pd.sigmoid === true;
    this.engine = createStructuralModel(this.pdStage && pd ? { pk: model.pk, pd } : { pk: model.pk }, {
      hoursPerTimeUnit: HOURS_PER[spec.units.time],
    });
    const stages = this.pdStage ? [this.pkStage, this.pdStage] : [this.pkStage];
    this.derived = options.derived ?? null;
    this.randomEffects = [...stages.flatMap((s) => s.parameters.map((p) => etaName(s.stage, p))), ...(this.derived?.randomEffects ?? [])];
    this.modelColumns = [...new Set(stages.flatMap((s) => s.effects.map((e) => e.column)))];
    const derivedOutputs = new Set(this.derived?.outputs ?? []);
    this.covariates = [...new Set([...this.modelColumns.filter((c) => !derivedOutputs.has(c)), ...(this.derived?.inputs ?? [])])];
    this.direction = endpointDirection(model, endpoint);
    const route = model.pk.route === 'oral' ? (model.pk.lag ? 'oral with lag' : 'oral') : 'IV';
    this.label = `${route} ${model.pk.compartments}-compartment${this.pdStage && pd ? `, ${describePd(pd)}` : ''}`;
  }

  /** Parameters (data units) of subject i of a population under this model. */
  subject(population: VirtualPopulation, i: number): ParameterValues {
    return this.individuals(population).values[i];
  }

  /**
   * The population as a pool worker needs it (dose-pool.ts): only the covariate columns the model reads,
   * derived ones computed here (once, for the whole population), and the model's random effects — so a
   * simulator rebuilt from `spec`, `model`, `endpoint` and `plainOptions` gives every subject the same
   * parameters. Computing them checks every subject, as the first simulation does.
   */
  poolPopulation(population: VirtualPopulation): VirtualPopulation {
    const { columns } = this.individuals(population);
    const random: Record<string, Float64Array> = {};
    for (const s of this.pdStage ? [this.pkStage, this.pdStage] : [this.pkStage]) {
      for (const p of s.etas) {
        const z = population.random[etaName(s.stage, p)];
        if (z) random[etaName(s.stage, p)] = z;
      }
    }
    return { ...population, covariates: { ...columns }, sources: {}, trialIndex: null, random };
  }

  /**
   * The subjects the steady-state check simulates forward: those with the slowest approach to steady
   * state, slowest first (ties in subject order), at most `checkSubjects`.
   */
  steadyStateSubjects(population: VirtualPopulation): number[] {
    return slowestFirst(this.individuals(population).slowest, this.checkSubjects);
  }

  /** Refuses a regimen, grid step or amounts this model cannot simulate (DoseSettingsError). */
  checkRequest(request: Pick<SteadyStateRequest, 'regimen' | 'gridStep' | 'amounts'>): void {
    checkSteadyStateRequest(request);
    this.checkRoute(request.regimen);
  }

  private individuals(population: VirtualPopulation): Individuals {
    let state = this.cache.get(population);
    if (!state) {
      state = { individuals: this.makeIndividuals(population), regimens: [] };
      this.cache.set(population, state);
    }
    return state.individuals;
  }

  private makeIndividuals(population: VirtualPopulation): Individuals {
    const n = population.size;
    const derived = this.derived ? this.derived.derive(population.covariates, n, population.random) : {};
    const columns = this.modelColumns.map((c) => {
      const values = derived[c] ?? population.covariates[c];
      if (!values) {
        throw new DoseSettingsError(
          `Scenario "${population.scenario}": the model needs the covariate ${c}; give its distribution in the scenario (questions.scenarios).`,
        );
      }
      return values;
    });
    const power = new Set(
      [this.pkStage, this.pdStage].flatMap((s) => (s ? s.effects.filter((e) => e.form === 'power').map((e) => e.column) : [])),
    );
    const stages = this.pdStage ? [this.pkStage, this.pdStage] : [this.pkStage];
    const zOf = stages.map((s) =>
      s.etas.map((p) => {
        const z = population.random[etaName(s.stage, p)];
        const sd = this.model.omega[p] ?? 0;
        if (!z && sd > 0) throw new Error(`StudyDoseSimulator: the population has no draws for ${etaName(s.stage, p)}`);
        return { z, sd };
      }),
    );
    const out: Individuals = {
      columns: Object.fromEntries(this.modelColumns.map((c, k) => [c, columns[k]])),
      values: [],
      rates: [],
      slowest: new Float64Array(n),
    };
    const record: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      this.modelColumns.forEach((c, k) => {
        const x = columns[k][i];
        if (!Number.isFinite(x) || (power.has(c) && !(x > 0))) {
          throw new DoseSettingsError(
            `Scenario "${population.scenario}": virtual subject ${i + 1} has ${c} = ${x}; ${power.has(c) ? 'a power effect needs positive values' : 'covariates must be numbers'}. Correct the scenario's distribution of ${c}.`,
          );
        }
        record[c] = x;
      });
      const values: ParameterValues = {};
      stages.forEach((s, k) => {
        const theta = k === 0 ? this.pkTheta : this.pdTheta;
        const eta = Float64Array.from(zOf[k], (e) => (e.sd > 0 ? e.sd * e.z[i] : 0));
        individualValues(s, theta, eta, covariateVector(s, record), values);
      });
      try {
        this.engine.check(values);
      } catch (error) {
        if (!(error instanceof PkpdParameterError)) throw error;
        const shown = this.covariates.map((c) => `${c} = ${formatNumber(population.covariates[c]?.[i] ?? record[c])}`).join(', ');
        throw new DoseSettingsError(
          `Scenario "${population.scenario}": virtual subject ${i + 1}${shown ? ` (${shown})` : ''} gets parameters the model cannot use — ${error.message} Its covariate effects take a parameter out of its range there: narrow the scenario's distributions to the trial's range, or change the effect's form in the study's model.`,
        );
      }
      const rates = pkRates(this.model.pk, values);
      out.values.push(values);
      out.rates.push(rates);
      out.slowest[i] = this.slowestHalfLife(values, rates);
    }
    return out;
  }

  private slowestHalfLife(values: ParameterValues, rates: PkRates): number {
    return Math.LN2 / slowestApproach(this.model, this.kind === 'pk' ? 'pk' : 'pd', values, rates).rate;
  }

  private regimenState(population: VirtualPopulation, regimen: DosingRegimen, gridStep: number): RegimenState {
    const individuals = this.individuals(population);
    const state = this.cache.get(population) as PopulationState;
    const key = `${regimen.route}|${regimen.interval}|${regimen.duration ?? 0}|${gridStep}`;
    const found = state.regimens.find((r) => r.key === key);
    if (found) return found;
    const made = this.makeRegimenState(individuals, population.size, regimen, gridStep, key);
    // Keep the latest two regimens per population (e.g. daily and weekly).
    if (state.regimens.length >= 2) state.regimens.shift();
    state.regimens.push(made);
    return made;
  }

  private makeRegimenState(ind: Individuals, n: number, regimen: DosingRegimen, gridStep: number, key: string): RegimenState {
    const grid = regimenGrid(regimen, gridStep);
    const points = grid.length;
    const shape = regimen.route === 'infusion' ? { ...regimen } : { interval: regimen.interval, route: regimen.route };
    const needs = { oral: regimen.route === 'oral', iv: regimen.route !== 'oral' };
    const state: RegimenState = {
      key,
      regimen,
      grid,
      points,
      unit: null,
      unitMax: null,
      unitMin: null,
      weights: cachedAverageWeights(points),
      pieceOf: null,
      pieces: [],
      nodes: [],
      direct: [],
      indirect: [],
    };
    if (this.kind !== 'indirect') {
      const plan = planSteadyState(shape, grid, 0);
      const unit = new Float64Array(n * points);
      const unitMax = new Float64Array(n);
      const unitMin = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const rates = ind.rates[i];
        setPlanLag(plan, rates.tlag);
        const responses =
          this.kind === 'effect' ? effectSiteResponses(rates, ind.values[i].KE0 as number, needs) : inputResponses(rates, [], needs);
        const u = evaluatePk(plan, responses, unit.subarray(i * points, (i + 1) * points));
        let max = -Infinity;
        let min = Infinity;
        for (let k = 0; k < points; k++) {
          max = Math.max(max, u[k]);
          min = Math.min(min, u[k]);
        }
        unitMax[i] = max;
        unitMin[i] = min;
        if (this.kind !== 'pk') state.direct.push(directParameters(this.model, ind.values[i]));
      }
      Object.assign(state, { unit, unitMax, unitMin });
      return state;
    }
    const pieceOf = new Int32Array(n);
    const byKey = new Map<string, number>();
    const coarseByLag = new Map<number, PieceState>();
    const lags = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ip = indirectParameters(this.model, ind.values[i], this.hillIndirect);
      state.indirect.push(ip);
      const lag = ind.rates[i].tlag;
      lags[i] = lag;
      let coarse = coarseByLag.get(lag);
      if (!coarse) {
        coarse = sharedPiece(shape, gridStep, grid, lag, 1);
        coarseByLag.set(lag, coarse);
      }
      let longest = 0;
      for (const h of coarse.piece.grid.lengths) longest = Math.max(longest, h);
      const level = Math.max(1, Math.ceil((stiffness(ip) * longest) / STIFFNESS_LIMIT - 1e-12));
      const id = `${lag}|${level}`;
      let index = byKey.get(id);
      if (index === undefined) {
        index = state.pieces.length;
        state.pieces.push(level === 1 ? coarse : sharedPiece(shape, gridStep, grid, lag, level));
        byKey.set(id, index);
      }
      pieceOf[i] = index;
    }
    // The unit concentrations of all subjects in one buffer.
    const sizes = Int32Array.from(pieceOf, (k) => state.pieces[k].piece.grid.nodes.length);
    let total = 0;
    for (const m of sizes) total += m;
    const buffer = new Float64Array(total);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const piece = state.pieces[pieceOf[i]].piece;
      const out = buffer.subarray(at, at + sizes[i]);
      at += sizes[i];
      const responses = inputResponses(ind.rates[i], [], needs);
      if (regimen.route === 'infusion') evaluatePk(piece.nodePlan, responses, out);
      else
        steadyStateAtNodes(
          (regimen.route === 'oral' ? responses.oral : responses.iv) as Polyexponential,
          regimen.interval,
          lags[i],
          piece.grid,
          out,
        );
      state.nodes.push(out);
    }
    state.pieceOf = pieceOf;
    return state;
  }

  /**
   * Subject i's endpoint over the grid at `amount`: writes the summaries asked for into `result` (at
   * index `slot`) and, with `profile`, the values on the grid from `offset`.
   */
  private evaluate(
    state: RegimenState,
    ind: Individuals,
    i: number,
    amount: number,
    result: SteadyStateResult,
    slot: number,
    profile?: Float64Array,
    offset = 0,
  ): void {
    const P = state.points;
    if (this.kind === 'pk' || this.kind === 'direct' || this.kind === 'effect') {
      const unit = state.unit as Float64Array;
      const o = i * P;
      if (this.kind === 'pk') {
        if (result.max) result.max[slot] = amount * (state.unitMax as Float64Array)[i];
        if (result.min) result.min[slot] = amount * (state.unitMin as Float64Array)[i];
        if (result.trough) result.trough[slot] = amount * unit[o + P - 1];
        if (result.average) result.average[slot] = amount / (ind.rates[i].cl * state.regimen.interval);
        if (profile) for (let k = 0; k < P; k++) profile[offset + k] = amount * unit[o + k];
        return;
      }
      const p = state.direct[i];
      if (profile || result.average) {
        const values = profile ? profile.subarray(offset, offset + P) : scratch(P);
        for (let k = 0; k < P; k++) values[k] = amount * unit[o + k];
        directEffect(p, values, values);
        summariseProfile(values, 0, P, result, slot);
        return;
      }
      // f is monotone in the concentration: the extremes over the grid are at its extremes.
      const ends = scratch(3);
      ends[0] = amount * (state.unitMax as Float64Array)[i];
      ends[1] = amount * (state.unitMin as Float64Array)[i];
      ends[2] = amount * unit[o + P - 1];
      directEffect(p, ends, ends);
      if (result.max) result.max[slot] = Math.max(ends[0], ends[1]);
      if (result.min) result.min[slot] = Math.min(ends[0], ends[1]);
      if (result.trough) result.trough[slot] = ends[2];
      return;
    }
    const ps = state.pieces[(state.pieceOf as Int32Array)[i]];
    const ip = state.indirect[i];
    // C = A·u at the nodes: the drug term D(A·u; C50) equals D(u; C50 / A), so the unit-amount
    // concentrations are used as they are, with C50 / A (A = 0: C50 = ∞, no drug).
    const work = this.work;
    work.type = ip.type;
    work.base = ip.base;
    work.kout = ip.kout;
    work.max = ip.max;
    work.hill = ip.hill;
    work.c50 = ip.c50 / amount;
    const nodes = state.nodes[i];
    const grid = ps.piece.grid;
    const ws = ps.workspace;
    const resp = ws.response;
    const panelOf = grid.outputPanel;
    const weights = state.weights;
    // R on the grid: production types from the one pass and the fixed point (see the file comment).
    let shift = 0;
    let q = 1;
    let first = 1;
    let start = ip.base;
    if (ip.type === 'inhibit-production' || ip.type === 'stimulate-production') {
      const end = advanceIndirect(work, grid, nodes, 0, ip.base, ws);
      const tau = state.regimen.interval;
      shift = (end - ip.base) / -Math.expm1(-ip.kout * tau);
      q = Math.exp((-ip.kout * tau) / (P - 1));
      first = Math.exp(-ip.kout * state.grid[0]);
    } else {
      start = periodicStart(work, grid, nodes, 0, ws);
      advanceIndirect(work, grid, nodes, 0, start, ws);
    }
    let last = Number.NaN;
    let decay = first;
    if (profile || result.average || result.min) {
      let max = -Infinity;
      let min = Infinity;
      let average = 0;
      for (let k = 0; k < P; k++) {
        if (k === 1) decay = q;
        else if (k > 1) decay *= q;
        const panel = panelOf[k];
        last = (panel < 0 ? start : resp[panel]) + shift * decay;
        if (last > max) max = last;
        if (last < min) min = last;
        average += weights[k] * last;
        if (profile) profile[offset + k] = last;
      }
      if (Number.isNaN(average)) max = min = Number.NaN;
      if (result.max) result.max[slot] = max;
      if (result.min) result.min[slot] = min;
      if (result.average) result.average[slot] = average;
    } else {
      // Only the largest value (and the trough): the common "below, throughout" question.
      let max = -Infinity;
      let nan = false;
      for (let k = 0; k < P; k++) {
        if (k === 1) decay = q;
        else if (k > 1) decay *= q;
        const panel = panelOf[k];
        last = (panel < 0 ? start : resp[panel]) + shift * decay;
        if (last > max) max = last;
        else if (last !== last) nan = true;
      }
      if (result.max) result.max[slot] = nan ? Number.NaN : max;
    }
    if (result.trough) result.trough[slot] = last;
  }

  simulate(request: SteadyStateRequest): SteadyStateBatch {
    this.checkRequest(request);
    const { population, regimen, amounts, gridStep, signal } = request;
    const summaries = request.summaries ?? ['max'];
    const state = this.regimenState(population, regimen, gridStep);
    const ind = this.individuals(population);
    const n = population.size;
    const P = state.points;
    const results = amounts.map((amount) => emptyResult(amount, n, summaries, request.keepProfiles ? P : 0));
    for (let i = 0; i < n; i++) {
      if ((i & 127) === 0 && signal?.aborted) throw new DoseSearchCancelledError();
      for (const res of results) this.evaluate(state, ind, i, res.amount, res, i, res.profiles, i * P);
    }
    if (request.checkSteadyState) for (const res of results) res.steadyState = this.check(state, ind, res.amount);
    return { regimen, grid: state.grid, results };
  }

  private checkRoute(regimen: DosingRegimen): void {
    const oral = this.model.pk.route === 'oral';
    if (oral !== (regimen.route === 'oral')) {
      throw new DoseSettingsError(
        `A regimen of ${regimen.route === 'oral' ? 'oral' : 'IV'} doses cannot be simulated with the study's ${oral ? 'oral' : 'IV'} model (${oral ? 'absorption from a depot' : 'no absorption rate KA'}); set the regimen's route to "${oral ? 'oral' : 'iv'}".`,
      );
    }
  }

  /**
   * For each subject, the range of indices [first, last] of the ascending `doses` at which the
   * criterion holds (first > last: at none), by bisection per subject on each bound of the criterion.
   * Exact for these models, where each subject's endpoint — at every time, hence its maximum,
   * minimum, trough and average — moves monotonically with the dose (linear PK; every PD family is
   * monotone in the concentration); a whole dose–response for ≈ 2 log2(doses) simulations per
   * subject instead of one per dose — about 2 per bound with a good `guess` (the ranges of a similar
   * model, e.g. the previous uncertainty replicate: the result is the same, only found faster). Used
   * for the curves and the parameter-uncertainty replicates.
   */
  successRanges(
    population: VirtualPopulation,
    regimen: DosingRegimen,
    gridStep: number,
    doses: readonly number[],
    criterion: Criterion,
    signal?: SteadyStateRequest['signal'],
    guess?: { first: Int32Array; last: Int32Array },
  ): { first: Int32Array; last: Int32Array } {
    this.checkRequest({ regimen, gridStep, amounts: doses });
    const state = this.regimenState(population, regimen, gridStep);
    const ind = this.individuals(population);
    const n = population.size;
    const G = doses.length;
    const { low, high } = criterionBounds(criterion);
    // Only the bounds the rule reads (for "below, throughout" just the maximum: the fast path of `evaluate`).
    const one = emptyResult(0, 1, criterion.rule === 'below' ? [high] : criterion.rule === 'above' ? [low] : [...new Set([low, high])]);
    const increasing = this.direction === 'increasing';
    const first = new Int32Array(n);
    const last = new Int32Array(n);
    // Each subject's bounds at the doses evaluated (NaN: not yet), one buffer for all subjects in turn.
    const lows = new Float64Array(G);
    const highs = new Float64Array(G);
    const none = Float64Array.of(Number.NaN);
    const lowOut = one[low] ?? none;
    const highOut = one[high] ?? none;
    let i = 0;
    const evaluateAt = (k: number): void => {
      if (Number.isNaN(lows[k])) {
        this.evaluate(state, ind, i, doses[k], one, 0);
        lows[k] = lowOut[0];
        highs[k] = highOut[0];
        // A NaN endpoint fails every bound; keep it from reading as "not yet evaluated".
        if (Number.isNaN(lows[k])) lows[k] = Number.NEGATIVE_INFINITY;
        if (Number.isNaN(highs[k])) highs[k] = Number.POSITIVE_INFINITY;
      }
    };
    const holds = (k: number): boolean => {
      evaluateAt(k);
      return meets(criterion, lows[k], highs[k]);
    };
    const lowHolds = (k: number): boolean => {
      evaluateAt(k);
      return lows[k] >= (criterion as { range: [number, number] }).range[0];
    };
    const highHolds = (k: number): boolean => {
      evaluateAt(k);
      return highs[k] <= (criterion as { range: [number, number] }).range[1];
    };
    // Each bound of the criterion holds on a prefix or a suffix of the doses.
    const suffix = (test: (k: number) => boolean): number => firstTrue(G, test, guess?.first[i]);
    const prefix = (test: (k: number) => boolean): number => lastTrue(G, test, guess?.last[i]);
    for (i = 0; i < n; i++) {
      if ((i & 127) === 0 && signal?.aborted) throw new DoseSearchCancelledError();
      lows.fill(Number.NaN);
      highs.fill(Number.NaN);
      let lo = 0;
      let hi = G - 1;
      switch (criterion.rule) {
        case 'below':
          if (increasing) hi = prefix(holds);
          else lo = suffix(holds);
          break;
        case 'above':
          if (increasing) lo = suffix(holds);
          else hi = prefix(holds);
          break;
        case 'within':
          if (increasing) {
            lo = suffix(lowHolds);
            hi = prefix(highHolds);
          } else {
            hi = prefix(lowHolds);
            lo = suffix(highHolds);
          }
          break;
      }
      first[i] = lo;
      last[i] = hi;
    }
    return { first, last };
  }

  /** Forward simulation of the slowest subjects against the periodic solution (see the file comment). */
  private check(state: RegimenState, ind: Individuals, amount: number): SteadyStateCheck {
    const chosen = slowestFirst(ind.slowest, this.checkSubjects);
    const { regimen, grid, points: P } = state;
    const tau = regimen.interval;
    const periodic = new Float64Array(P);
    const one = emptyResult(amount, 1, []);
    let lastTwo = 0;
    let versusPeriodic = 0;
    let intervals = 0;
    let capped = false;
    for (const i of chosen) {
      const wanted = Math.max(3, Math.ceil((this.halfLives * ind.slowest[i]) / tau) + 1);
      const count = Math.min(MAX_CHECK_INTERVALS, wanted);
      capped ||= wanted > count;
      intervals = Math.max(intervals, count);
      this.evaluate(state, ind, i, amount, one, 0, periodic, 0);
      const times = new Float64Array(2 * P);
      for (let k = 0; k < P; k++) {
        times[k] = (count - 2) * tau + grid[k];
        times[P + k] = (count - 1) * tau + grid[k];
      }
      const doses = regimenDoses({ amount, interval: tau, route: regimen.route, duration: regimen.duration }, count);
      const plan = this.engine.prepare(doses, this.kind === 'pk' ? { pk: times } : { pd: times });
      const predicted = this.engine.predict(plan, ind.values[i]);
      const forward = this.kind === 'pk' ? predicted.pk : predicted.pd;
      let scale = 0;
      for (let k = 0; k < P; k++) scale = Math.max(scale, Math.abs(periodic[k]));
      const floor = 1e-9 * scale;
      for (let k = 0; k < P; k++) {
        const last = forward[P + k];
        lastTwo = Math.max(lastTwo, Math.abs(last - forward[k]) / Math.max(Math.abs(last), floor));
        versusPeriodic = Math.max(versusPeriodic, Math.abs(last - periodic[k]) / Math.max(Math.abs(periodic[k]), floor));
      }
    }
    const worst = Math.max(lastTwo, versusPeriodic);
    return {
      method: 'periodic steady state vs forward simulation',
      worstRelativeDifference: worst,
      tolerance: this.tolerance,
      ok: worst <= this.tolerance,
      subjectsChecked: chosen.length,
      intervalsSimulated: intervals,
      detail: `slowest half-life ${formatHalfLife(ind.slowest[chosen[0]])}; last two intervals differ by ≤ ${lastTwo.toExponential(1)}, forward simulation vs periodic state by ≤ ${versusPeriodic.toExponential(1)}${capped ? `; capped at ${MAX_CHECK_INTERVALS} intervals` : ''}`,
    };
  }
}

/** The indices of the `count` largest half-lives, largest first (ties in index order). */
function slowestFirst(slowest: Float64Array, count: number): number[] {
  const order = Array.from({ length: slowest.length }, (_, i) => i).sort((a, b) => slowest[b] - slowest[a]);
  return order.slice(0, Math.min(count, slowest.length));
}

/** Steady-state PD grids by regimen, grid step, lag and refinement, shared by simulators (a model's replicates use the same). */
const PIECES = new Map<string, PieceState>();
const MAX_PIECES = 64;

function sharedPiece(shape: RegimenShape, gridStep: number, grid: Float64Array, lag: number, level: number): PieceState {
  const key = `${shape.route}|${shape.interval}|${shape.duration ?? 0}|${gridStep}|${grid[0]}|${lag}|${level}`;
  let found = PIECES.get(key);
  if (!found) {
    const piece = steadyStateLayout(shape, grid, lag, {}, level);
    found = { piece, workspace: createIndirectWorkspace(piece.grid) };
    if (PIECES.size >= MAX_PIECES) PIECES.delete(PIECES.keys().next().value as string);
    PIECES.set(key, found);
  }
  return found;
}

/** Panels between fresh exponentials in `steadyStateAtNodes` (the steps between them carry ≈ 1e-16 each). */
const REANCHOR = 64;

/** Where `steadyStateAtNodes` takes a fresh exponential, and the time since the dose there, for a grid and a lag. */
interface NodeWalk {
  /** 1 where panel p starts afresh (first panel, another length or dose, or every REANCHOR panels). */
  fresh: Uint8Array;
  /** Time since the latest dose at the first node of each fresh panel. */
  since: Float64Array;
  /** Per length: the offsets of a panel's second and third node from its first, and the step between first nodes of consecutive panels. */
  offset1: Float64Array;
  offset2: Float64Array;
  step: Float64Array;
}

const walks = new WeakMap<PdGrid, Map<string, NodeWalk>>();

function nodeWalk(grid: PdGrid, tau: number, lag: number): NodeWalk {
  let byLag = walks.get(grid);
  if (!byLag) {
    byLag = new Map();
    walks.set(grid, byLag);
  }
  const key = `${tau}|${lag}`;
  const found = byLag.get(key);
  if (found) return found;
  const { nodes, lengthIndex, panelCount } = grid;
  const lengths = grid.lengths.length;
  const walk: NodeWalk = {
    fresh: new Uint8Array(panelCount),
    since: new Float64Array(panelCount),
    offset1: new Float64Array(lengths).fill(Number.NaN),
    offset2: new Float64Array(lengths).fill(Number.NaN),
    step: new Float64Array(lengths).fill(Number.NaN),
  };
  let dose = Number.NaN;
  let run = 0;
  for (let p = 0; p < panelCount; p++) {
    const l = lengthIndex[p];
    const t0 = nodes[3 * p];
    if (Number.isNaN(walk.offset1[l])) {
      walk.offset1[l] = nodes[3 * p + 1] - t0;
      walk.offset2[l] = nodes[3 * p + 2] - t0;
    }
    const x = t0 - lag;
    const m = Math.floor(x / tau);
    if (p > 0 && m === dose && l === lengthIndex[p - 1] && run < REANCHOR) {
      if (Number.isNaN(walk.step[l])) walk.step[l] = t0 - nodes[3 * p - 3];
      run++;
    } else {
      walk.fresh[p] = 1;
      walk.since[p] = x - tau * m;
      dose = m;
      run = 0;
    }
  }
  byLag.set(key, walk);
  return walk;
}

/**
 * The unit-amount periodic steady state of oral doses (after a lag) or boluses every τ at the nodes of
 * a PD grid over [0, τ] — Σ_j c_j e^{−λ_j s} / (1 − e^{−λ_j τ}), s the time since the latest dose that
 * has reached the body, (t − lag) mod τ — as pk.ts `evaluatePk` gives it for a steady-state plan, with
 * geometric steps instead of two transcendental functions per node: along a run of panels of one
 * length, a panel's first node follows from the previous one's by one factor, its other two nodes
 * from its first by a factor per length; a fresh exponential at each change of length or of dose, and
 * every 64 panels (`nodeWalk`). (The grid breaks at the lag, so no panel straddles a dose.)
 */
export function steadyStateAtNodes(
  response: Polyexponential,
  tau: number,
  lag: number,
  grid: PdGrid,
  out = new Float64Array(grid.nodes.length),
): Float64Array {
  const walk = nodeWalk(grid, tau, lag);
  const { lengthIndex, panelCount } = grid;
  const { fresh, since } = walk;
  out.fill(0);
  const lengths = grid.lengths.length;
  const f1 = new Float64Array(lengths);
  const f2 = new Float64Array(lengths);
  const step = new Float64Array(lengths);
  for (let j = 0; j < response.rates.length; j++) {
    const lambda = response.rates[j];
    const c = response.coefs[j] / -Math.expm1(-lambda * tau);
    for (let l = 0; l < lengths; l++) {
      f1[l] = Math.exp(-lambda * walk.offset1[l]);
      f2[l] = Math.exp(-lambda * walk.offset2[l]);
      step[l] = Math.exp(-lambda * walk.step[l]);
    }
    let e = 0;
    for (let p = 0; p < panelCount; p++) {
      const l = lengthIndex[p];
      e = fresh[p] === 1 ? c * Math.exp(-lambda * since[p]) : e * step[l];
      const n0 = 3 * p;
      out[n0] += e;
      out[n0 + 1] += e * f1[l];
      out[n0 + 2] += e * f2[l];
    }
  }
  return out;
}

/**
 * The smallest k in [0, G) with holds(k) (G when none), for a predicate that holds on a suffix: by
 * bisection, or from a guess (the answer for similar parameters) by galloping away from it until the
 * answer is bracketed, then bisection — 2 evaluations when the guess is right.
 */
export function firstTrue(G: number, holds: (k: number) => boolean, guess?: number): number {
  let lo = -1;
  let hi = G;
  if (guess !== undefined && G > 0) {
    const h = Math.min(G - 1, Math.max(0, guess));
    let step = 1;
    if (holds(h)) {
      hi = h;
      let x = h - 1;
      while (x >= 0 && holds(x)) {
        hi = x;
        step *= 2;
        x = hi - step;
      }
      lo = Math.max(x, -1);
    } else {
      lo = h;
      let x = h + 1;
      while (x < G && !holds(x)) {
        lo = x;
        step *= 2;
        x = lo + step;
      }
      hi = Math.min(x, G);
    }
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The largest k in [0, G) with holds(k) (−1 when none), for a predicate that holds on a prefix (`firstTrue` mirrored). */
export function lastTrue(G: number, holds: (k: number) => boolean, guess?: number): number {
  return G - 1 - firstTrue(G, (k) => holds(G - 1 - k), guess === undefined ? undefined : G - 1 - guess);
}

const scratchBuffers = new Map<number, Float64Array>();
/** A reusable buffer of `length` values (single-threaded hot loop). */
function scratch(length: number): Float64Array {
  let b = scratchBuffers.get(length);
  if (!b) {
    b = new Float64Array(length);
    if (scratchBuffers.size > 8) scratchBuffers.clear();
    scratchBuffers.set(length, b);
  }
  return b;
}

function formatHalfLife(h: number): string {
  return Number.isFinite(h) ? h.toPrecision(3) : String(h);
}

function describePd(pd: NonNullable<StudyPopulationModel['pd']>): string {
  if (pd.family === 'indirect') return `indirect (${pd.type}${pd.sigmoid ? ', sigmoid' : ''})`;
  return `${pd.family} (${pd.direction}${pd.sigmoid ? ', sigmoid' : ''})`;
}

/**
 * The slowest rate (per time unit of the data) of one subject's approach to steady state for an
 * endpoint, and what sets it: the PK disposition's smallest exponent, the oral absorption rate, and
 * for a response KE0 (effect compartment) or KOUT — KOUT (1 − IMAX) for inhibition of loss, the
 * rate at full inhibition.
 */
export function slowestApproach(
  model: Pick<StudyPopulationModel, 'pk' | 'pd'>,
  endpoint: 'pk' | 'pd',
  values: ParameterValues,
  rates: PkRates = pkRates(model.pk, values),
): { rate: number; limitedBy: 'elimination' | 'absorption' | 'KE0' | 'KOUT' } {
  let slowest: { rate: number; limitedBy: 'elimination' | 'absorption' | 'KE0' | 'KOUT' } = {
    rate: Math.min(...dispositionResponse(rates).rates),
    limitedBy: 'elimination',
  };
  const consider = (rate: number, limitedBy: typeof slowest.limitedBy): void => {
    if (rate < slowest.rate) slowest = { rate, limitedBy };
  };
  if (model.pk.route === 'oral') consider(rates.ka, 'absorption');
  const pd = endpoint === 'pd' ? model.pd : undefined;
  if (pd?.family === 'effect-compartment') consider(values.KE0 as number, 'KE0');
  if (pd?.family === 'indirect') {
    const loss = pd.type === 'inhibit-loss' ? Math.max(1e-6, 1 - (values.IMAX as number)) : 1;
    consider((values.KOUT as number) * loss, 'KOUT');
  }
  return slowest;
}

function pkRates(pk: StudyPopulationModel['pk'], v: ParameterValues): PkRates {
  const two = pk.compartments === 2;
  return {
    compartments: pk.compartments,
    cl: v.CL as number,
    v: v.V as number,
    q: two ? (v.Q as number) : Number.NaN,
    v2: two ? (v.V2 as number) : Number.NaN,
    ka: pk.route === 'oral' ? (v.KA as number) : Number.NaN,
    tlag: pk.route === 'oral' && pk.lag ? (v.TLAG as number) : 0,
  };
}

function directParameters(model: StudyPopulationModel, v: ParameterValues): DirectEffectParameters {
  const pd = model.pd as Extract<NonNullable<StudyPopulationModel['pd']>, { direction: unknown }>;
  const increase = pd.direction === 'increase';
  return {
    direction: pd.direction,
    e0: v.E0 as number,
    max: (increase ? v.EMAX : v.IMAX) as number,
    c50: (increase ? v.EC50 : v.IC50) as number,
    hill: pd.sigmoid ? (v.HILL as number) : 1,
  };
}

function indirectParameters(model: StudyPopulationModel, v: ParameterValues, sigmoid: boolean): IndirectParameters {
  const pd = model.pd as Extract<NonNullable<StudyPopulationModel['pd']>, { family: 'indirect' }>;
  const inhibit = pd.type.startsWith('inhibit');
  return {
    type: pd.type,
    base: v.BASE as number,
    kout: v.KOUT as number,
    max: (inhibit ? v.IMAX : v.EMAX) as number,
    c50: (inhibit ? v.IC50 : v.EC50) as number,
    hill: sigmoid ? (v.HILL as number) : 1,
  };
}
