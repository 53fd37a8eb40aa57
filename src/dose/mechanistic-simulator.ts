/**
 * The EstData-only mechanistic population PK/PD model (src/pkpd/population-model.ts, fitted by
 * `fitPkpd`) as a steady-state PD simulator — the engine of the compatibility path (five-questions.ts)
 * that the Doses tab still runs until it moves onto the study spec; study-simulator.ts answers any
 * study's questions (on EstData, the same answers: dose-questions.test.ts). Oral doses, PD below a
 * threshold throughout the interval ('max' summaries only); covariates BW and COMED of the population.
 *
 * PK is linear, so the steady state of "A every τ" is known in closed form: C_ss(t) = A·u(t) with
 * u(t) = Σ_j c_j e^{−λ_j t} / (1 − e^{−λ_j τ}) for the unit (1 mg) response Σ c_j e^{−λ_j Δt}. It is
 * computed once per subject and interval at the integration nodes and scaled by each amount.
 *
 * PD (indirect response, inhibition of production) is linear in R once C(t) is known:
 *   dR/dt = k_in (1 − I(C)) − k_out R.
 * Over one panel of length h the exact propagator is R(b) = R(a) e^{−k_out h} + BASE (1 − e^{−k_out h})
 * − k_in ∫ I(C(s)) e^{−k_out (b − s)} ds, with the drug integral by 3-point Gauss–Legendre (the
 * scheme of src/pkpd/indirect-response.ts on uniform panels). With C periodic, one period maps R(0)
 * to R(τ) = R(0)·e^{−k_out τ} + S, where S is the end value started from R(0) = 0; the periodic
 * state is the fixed point R(0) = S / (1 − e^{−k_out τ}), and R(t_k) = R(0)·e^{−k_out t_k} + S_k on the
 * grid. This is the limit a forward simulation reaches after infinitely many intervals, obtained with
 * ONE pass over the interval — no "simulate long enough" guess, and no residual transient.
 *
 * Steady-state check: for the subjects with the slowest approach to steady state (largest of the PK
 * terminal half-life and ln 2 / k_out — R relaxes at k_out whatever the drug does, C at λ_z), the
 * model is also simulated forward from a drug-free start (R = BASE) over ≥ `halfLives` (default 10)
 * of those half-lives, leaving ≤ 2^−10 ≈ 0.1% of the transient; the worst relative difference
 * between that simulation's last interval and the periodic solution, and between its last two
 * intervals, is reported (the same figure a forward-simulating network simulator would report).
 */
import { individualPd, individualPk, PD_ETA_NAMES, PK_ETA_NAMES, type PdEtas, type PkEtas } from '../pkpd/covariates';
import { checkPdParameters, type IndirectResponseParameters } from '../pkpd/indirect-response';
import { checkPkParameters, oralUnitResponse, terminalHalfLife, type PkParameters, type Polyexponential } from '../pkpd/pk-model';
import type { PopulationModel } from '../pkpd/population-model';
import type { Criterion } from '../study/study-spec';
import { DoseSearchCancelledError, DoseSettingsError } from './errors';
import {
  checkSteadyStateRequest,
  intervalGrid,
  type DosingRegimen,
  type SteadyStateBatch,
  type SteadyStateCheck,
  type SteadyStateRequest,
  type SteadyStateResult,
  type SteadyStateSimulator,
} from './steady-state';
import { covariateOf, type VirtualPopulation } from './virtual-population';

/** Random-effect streams of the mechanistic model: all six, whatever Ω holds, so every model sees the same z. */
export const MECHANISTIC_RANDOM_EFFECTS: readonly string[] = [...PK_ETA_NAMES.map((n) => `pk.${n}`), ...PD_ETA_NAMES.map((n) => `pd.${n}`)];

const GL_X = [-Math.sqrt(3 / 5), 0, Math.sqrt(3 / 5)];
const GL_W = [5 / 9, 8 / 9, 5 / 9];

export interface MechanisticSimulatorOptions {
  /**
   * 'periodic' (default): the exact periodic steady state described above. 'cold-start': every
   * subject is simulated forward from a drug-free start for ≥ halfLives of its slowest half-life
   * and the last interval is returned (slow; for cross-checks).
   */
  mode?: 'periodic' | 'cold-start';
  /** Half-lives simulated forward by the check and by 'cold-start' mode (default 10). */
  halfLives?: number;
  /** Subjects with the slowest approach to steady state that the check simulates (default 4). */
  checkSubjects?: number;
  /** Largest acceptable relative difference in the check (default 0.01). */
  tolerance?: number;
  /** Integration panels per output grid step (default 1; raise to test convergence). */
  subdivisions?: number;
}

interface Individuals {
  unit: Polyexponential[];
  base: Float64Array;
  kout: Float64Array;
  imax: Float64Array;
  ic50: Float64Array;
  /** Slowest half-life (h) of the approach to steady state: max(PK terminal, ln 2 / k_out). */
  slowest: Float64Array;
  /** Unit steady-state concentrations at the nodes, per `${interval}|${panels}`. */
  unitNodes: Map<string, Float64Array>;
}

export class MechanisticPdSimulator implements SteadyStateSimulator {
  readonly randomEffects = MECHANISTIC_RANDOM_EFFECTS;
  readonly summaries = ['max'] as const;
  /** Inhibition of production: PD falls with the dose. */
  readonly direction = 'decreasing';
  readonly covariates = ['BW', 'COMED'] as const;
  readonly label: string;
  private readonly cache = new WeakMap<VirtualPopulation, Individuals>();
  private readonly mode: 'periodic' | 'cold-start';
  private readonly halfLives: number;
  private readonly checkSubjects: number;
  private readonly tolerance: number;
  private readonly subdivisions: number;

  constructor(
    readonly model: PopulationModel,
    options: MechanisticSimulatorOptions = {},
  ) {
    this.mode = options.mode ?? 'periodic';
    this.halfLives = options.halfLives ?? 10;
    this.checkSubjects = options.checkSubjects ?? 4;
    this.tolerance = options.tolerance ?? 0.01;
    this.subdivisions = Math.max(1, Math.round(options.subdivisions ?? 1));
    this.label = `mechanistic ${model.pk.fixed.compartments}-compartment PK / indirect-response PD`;
  }

  /** PK and PD parameters of subject i of a population under this model (η = ω·z). */
  subject(population: VirtualPopulation, i: number): { pk: PkParameters; pd: IndirectResponseParameters } {
    const { pk, pd } = this.model;
    const cov = { bw: covariateOf(population, 'BW')[i], comed: covariateOf(population, 'COMED')[i] };
    const z = (name: string): number => population.random[name]?.[i] ?? 0;
    const etaPk: PkEtas = {};
    for (const name of PK_ETA_NAMES) {
      const sd = pk.omega[name];
      if (sd) etaPk[name] = sd * z(`pk.${name}`);
    }
    const etaPd: PdEtas = {};
    for (const name of PD_ETA_NAMES) {
      const sd = pd.omega[name];
      if (sd) etaPd[name] = sd * z(`pd.${name}`);
    }
    return { pk: individualPk(pk.fixed, cov, etaPk), pd: individualPd(pd.fixed, cov, etaPd) };
  }

  private individuals(population: VirtualPopulation): Individuals {
    const cached = this.cache.get(population);
    if (cached) return cached;
    const n = population.size;
    const out: Individuals = {
      unit: [],
      base: new Float64Array(n),
      kout: new Float64Array(n),
      imax: new Float64Array(n),
      ic50: new Float64Array(n),
      slowest: new Float64Array(n),
      unitNodes: new Map(),
    };
    for (let i = 0; i < n; i++) {
      const { pk: p, pd: r } = this.subject(population, i);
      if (i === 0) {
        checkPkParameters(p);
        checkPdParameters(r);
      }
      out.unit.push(oralUnitResponse(p));
      out.base[i] = r.base;
      out.kout[i] = r.kout;
      out.imax[i] = r.imax;
      out.ic50[i] = r.ic50;
      out.slowest[i] = Math.max(terminalHalfLife(p), Math.LN2 / r.kout);
    }
    this.cache.set(population, out);
    return out;
  }

  private unitAtNodes(ind: Individuals, interval: number, panels: number): Float64Array {
    const key = `${interval}|${panels}`;
    const hit = ind.unitNodes.get(key);
    if (hit) return hit;
    const n = ind.unit.length;
    const m = 3 * panels;
    const out = new Float64Array(n * m);
    for (let i = 0; i < n; i++) unitSteadyStateAtNodes(ind.unit[i], interval, panels, out.subarray(i * m, (i + 1) * m));
    // Keep the latest two intervals (daily and weekly) per population.
    if (ind.unitNodes.size >= 2) ind.unitNodes.delete(ind.unitNodes.keys().next().value as string);
    ind.unitNodes.set(key, out);
    return out;
  }

  simulate(request: SteadyStateRequest): SteadyStateBatch {
    const { population, regimen, amounts, gridStep } = request;
    checkSteadyStateRequest(request);
    const interval = oralInterval(regimen);
    const grid = intervalGrid(interval, gridStep);
    const points = grid.length;
    const gridPanels = points - 1;
    const panels = gridPanels * this.subdivisions;
    const ind = this.individuals(population);
    const n = population.size;
    const results = amounts.map((amount) => ({
      amount,
      max: new Float64Array(n),
      profiles: request.keepProfiles ? new Float64Array(n * points) : undefined,
    })) satisfies SteadyStateResult[];
    if (this.mode === 'periodic') {
      const periodic = this.periodicState(ind, interval, panels);
      for (let i = 0; i < n; i++) {
        if ((i & 127) === 0 && request.signal?.aborted) throw new DoseSearchCancelledError();
        for (const res of results) res.max[i] = periodic(i, res.amount, this.subdivisions, res.profiles, i * points);
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (request.signal?.aborted) throw new DoseSearchCancelledError();
        const count = this.intervalsFor(ind.slowest[i], interval);
        for (const res of results) {
          const run = coldStart(ind, i, res.amount, interval, panels, count);
          let max = -Infinity;
          for (let k = 0; k < points; k++) {
            const v = run.last[k * this.subdivisions];
            if (res.profiles) res.profiles[i * points + k] = v;
            if (v > max) max = v;
          }
          res.max[i] = max;
        }
      }
    }
    const out: SteadyStateResult[] = results;
    if (request.checkSteadyState) {
      for (const res of out) res.steadyState = this.check(ind, res.amount, interval, panels);
    }
    return { regimen, grid, results: out };
  }

  /**
   * The contract of the uncertainty replicates (dose-questions.ts): each subject succeeds from the
   * index `successIndices` gives to the grid's end (PD below a threshold throughout; PD falls with
   * the dose).
   */
  successRanges(
    population: VirtualPopulation,
    regimen: DosingRegimen,
    gridStep: number,
    doses: readonly number[],
    criterion: Criterion,
    signal?: SteadyStateRequest['signal'],
  ): { first: Int32Array; last: Int32Array } {
    if (criterion.rule !== 'below' || criterion.window !== 'throughout') {
      throw new DoseSettingsError('The EstData-only simulator answers "PD below a threshold throughout the interval" only.');
    }
    const first = this.successIndices(population, oralInterval(regimen), doses, criterion.threshold, gridStep, signal);
    return { first, last: new Int32Array(first.length).fill(doses.length - 1) };
  }

  /**
   * For each subject, the index of the smallest of the ascending `doses` at which its PD stays below
   * `threshold` over the whole steady-state interval (doses.length when none does), by bisection per
   * subject. Exact for this model, where each subject's PD falls pointwise with the dose (the drug
   * term of dR/dt rises with C = A·u(t)): the success fraction at doses[k] is then the share of
   * subjects with index ≤ k — a whole dose–response for ≈ log2(doses) simulations per subject
   * instead of one per dose. Used for the parameter-uncertainty replicates.
   */
  successIndices(
    population: VirtualPopulation,
    interval: number,
    doses: readonly number[],
    threshold: number,
    gridStep: number,
    signal?: SteadyStateRequest['signal'],
  ): Int32Array {
    const grid = intervalGrid(interval, gridStep);
    const panels = (grid.length - 1) * this.subdivisions;
    const periodic = this.periodicState(this.individuals(population), interval, panels);
    const out = new Int32Array(population.size);
    for (let i = 0; i < population.size; i++) {
      if ((i & 127) === 0 && signal?.aborted) throw new DoseSearchCancelledError();
      const ok = (k: number): boolean => periodic(i, doses[k], this.subdivisions) < threshold;
      let lo = -1;
      let hi = doses.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (ok(mid)) hi = mid;
        else lo = mid;
      }
      out[i] = hi;
    }
    return out;
  }

  /**
   * The periodic steady state of the subjects of `ind` over `interval` in `panels` panels: subject i's
   * largest PD at `amount`, with R written into `profile` from `offset` (every `stride`-th panel
   * boundary) when given (see `periodicSubject`).
   */
  private periodicState(
    ind: Individuals,
    interval: number,
    panels: number,
  ): (i: number, amount: number, stride: number, profile?: Float64Array, offset?: number) => number {
    const unit = this.unitAtNodes(ind, interval, panels);
    const m = 3 * panels;
    const h = interval / panels;
    const buffer = new Float64Array(panels + 1);
    return (i, amount, stride, profile, offset = 0) =>
      periodicSubject(
        unit.subarray(i * m, (i + 1) * m),
        amount,
        panels,
        h,
        ind.base[i],
        ind.kout[i],
        ind.imax[i],
        ind.ic50[i],
        buffer,
        stride,
        profile,
        offset,
      );
  }

  private intervalsFor(slowestHalfLife: number, interval: number): number {
    return Math.max(3, Math.ceil((this.halfLives * slowestHalfLife) / interval) + 1);
  }

  /** Forward simulation of the slowest subjects against the periodic solution (see the file comment). */
  private check(ind: Individuals, amount: number, interval: number, panels: number): SteadyStateCheck {
    const n = ind.unit.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ind.slowest[b] - ind.slowest[a]);
    const chosen = order.slice(0, Math.min(this.checkSubjects, n));
    const periodicState = this.periodicState(ind, interval, panels);
    const periodic = new Float64Array(panels + 1);
    let lastTwo = 0;
    let versusPeriodic = 0;
    let intervals = 0;
    for (const i of chosen) {
      const count = this.intervalsFor(ind.slowest[i], interval);
      intervals = Math.max(intervals, count);
      const run = coldStart(ind, i, amount, interval, panels, count);
      periodicState(i, amount, 1, periodic, 0);
      for (let k = 0; k <= panels; k++) {
        lastTwo = Math.max(lastTwo, Math.abs(run.last[k] - run.previous[k]) / Math.abs(run.last[k]));
        versusPeriodic = Math.max(versusPeriodic, Math.abs(run.last[k] - periodic[k]) / Math.abs(periodic[k]));
      }
    }
    const worst = Math.max(lastTwo, versusPeriodic);
    const method = this.mode === 'periodic' ? 'periodic fixed point vs forward simulation' : 'forward simulation, last two intervals';
    return {
      method,
      worstRelativeDifference: this.mode === 'periodic' ? worst : lastTwo,
      tolerance: this.tolerance,
      ok: (this.mode === 'periodic' ? worst : lastTwo) <= this.tolerance,
      subjectsChecked: chosen.length,
      intervalsSimulated: intervals,
      detail: `slowest half-life ${ind.slowest[chosen[0]]?.toFixed(0)} h; last two intervals differ by ≤ ${lastTwo.toExponential(1)}, forward simulation vs periodic state by ≤ ${versusPeriodic.toExponential(1)}`,
    };
  }
}

/**
 * Steady-state concentration of 1 mg every `interval` h at the Gauss–Legendre nodes of `panels`
 * equal panels of [0, interval] (3 per panel, in time order; see `intervalNodes`), added into `out`.
 */
export function unitSteadyStateAtNodes(
  unit: Polyexponential,
  interval: number,
  panels: number,
  out = new Float64Array(3 * panels),
): Float64Array {
  const nodes = intervalNodes(interval, panels);
  const { rates, coefs } = unit;
  for (let j = 0; j < rates.length; j++) {
    const lambda = rates[j];
    const c = coefs[j] / -Math.expm1(-lambda * interval);
    // e^{−λ t} along each of the 3 node families by exact geometric steps of τ/panels.
    const step = Math.exp((-lambda * interval) / panels);
    for (let q = 0; q < 3; q++) {
      let e = Math.exp(-lambda * nodes[q]);
      for (let p = 0; p < panels; p++) {
        out[3 * p + q] += c * e;
        e *= step;
      }
    }
  }
  return out;
}

/** The three Gauss–Legendre nodes of each of `panels` equal panels of [0, interval], in time order. */
export function intervalNodes(interval: number, panels: number): Float64Array {
  const h = interval / panels;
  const out = new Float64Array(3 * panels);
  for (let p = 0; p < panels; p++) for (let q = 0; q < 3; q++) out[3 * p + q] = p * h + (h * (1 + GL_X[q])) / 2;
  return out;
}

/**
 * Periodic R for one subject at one amount: writes the grid values (every `stride`-th panel
 * boundary) into `profile` at `offset` when given; returns their maximum.
 */
function periodicSubject(
  unit: Float64Array,
  amount: number,
  panels: number,
  h: number,
  base: number,
  kout: number,
  imax: number,
  ic50: number,
  s: Float64Array,
  stride: number,
  profile: Float64Array | undefined,
  offset: number,
): number {
  const d = Math.exp(-kout * h);
  const w0 = (h / 2) * GL_W[0] * Math.exp((-kout * h * (1 - GL_X[0])) / 2);
  const w1 = (h / 2) * GL_W[1] * Math.exp((-kout * h * (1 - GL_X[1])) / 2);
  const w2 = (h / 2) * GL_W[2] * Math.exp((-kout * h * (1 - GL_X[2])) / 2);
  const drugScale = base * kout * imax;
  const rise = base * (1 - d);
  let r = 0;
  s[0] = 0;
  for (let p = 0; p < panels; p++) {
    const c0 = amount * unit[3 * p];
    const c1 = amount * unit[3 * p + 1];
    const c2 = amount * unit[3 * p + 2];
    const drug = (w0 * c0) / (ic50 + c0) + (w1 * c1) / (ic50 + c1) + (w2 * c2) / (ic50 + c2);
    r = r * d + rise - drugScale * drug;
    s[p + 1] = r;
  }
  // Fixed point of the one-period affine map R(0) ↦ R(0) e^{−k_out τ} + S.
  const r0 = s[panels] / -Math.expm1(-kout * h * panels);
  let max = -Infinity;
  let decay = 1;
  const dStride = d ** stride;
  for (let p = 0, k = 0; p <= panels; p += stride, k++) {
    const v = r0 * decay + s[p];
    if (profile) profile[offset + k] = v;
    if (v > max) max = v;
    decay *= dStride;
  }
  return max;
}

/**
 * Forward simulation from a drug-free start (R = BASE at the first dose) for `count` intervals of
 * `amount` every `interval`; returns R at the panel boundaries of the last two intervals.
 */
function coldStart(
  ind: Individuals,
  i: number,
  amount: number,
  interval: number,
  panels: number,
  count: number,
): { last: Float64Array; previous: Float64Array } {
  const { rates, coefs } = ind.unit[i];
  const base = ind.base[i];
  const kout = ind.kout[i];
  const imax = ind.imax[i];
  const ic50 = ind.ic50[i];
  const nodes = intervalNodes(interval, panels);
  const m = nodes.length;
  const nr = rates.length;
  const e = new Float64Array(nr * m);
  for (let j = 0; j < nr; j++) for (let k = 0; k < m; k++) e[j * m + k] = coefs[j] * Math.exp(-rates[j] * nodes[k]);
  const h = interval / panels;
  const d = Math.exp(-kout * h);
  const w = GL_X.map((x, q) => (h / 2) * GL_W[q] * Math.exp((-kout * h * (1 - x)) / 2));
  const kin = base * kout;
  const previous = new Float64Array(panels + 1);
  const last = new Float64Array(panels + 1);
  const conc = new Float64Array(m);
  const g = new Float64Array(nr);
  let r = base;
  for (let k = 0; k < count; k++) {
    // Doses at 0, τ, …, kτ: within interval k, C = A Σ_j c_j e^{−λ_j t} (1 − e^{−λ_j (k+1) τ}) / (1 − e^{−λ_j τ}).
    for (let j = 0; j < nr; j++) g[j] = Math.expm1(-rates[j] * (k + 1) * interval) / Math.expm1(-rates[j] * interval);
    conc.fill(0);
    for (let j = 0; j < nr; j++) {
      const gj = amount * g[j];
      for (let q = 0; q < m; q++) conc[q] += gj * e[j * m + q];
    }
    const out = k === count - 1 ? last : k === count - 2 ? previous : null;
    if (out) out[0] = r;
    for (let p = 0; p < panels; p++) {
      let drug = 0;
      for (let q = 0; q < 3; q++) {
        const c = conc[3 * p + q];
        if (c > 0) drug += (w[q] * c) / (ic50 + c);
      }
      r = r * d + base * (1 - d) - kin * imax * drug;
      if (out) out[p + 1] = r;
    }
  }
  return { last, previous };
}

function oralInterval(regimen: DosingRegimen): number {
  if (regimen.route !== 'oral') throw new DoseSettingsError('The EstData-only simulator models oral doses only.');
  return regimen.interval;
}
