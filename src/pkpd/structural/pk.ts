/**
 * Linear PK in closed form for one or two compartments and every route: oral first-order
 * absorption (bioavailability 1) with an optional lag TLAG, IV bolus, zero-order infusion.
 * Concentration = amount / volume in the caller's units (EstData: mg and 1000 L give ng/mL).
 *
 * Disposition. A unit bolus into the central compartment gives C(t) = Σ_j a_j e^{−λ_j t}:
 *   one compartment  λ = k = CL/V,  a = 1/V;
 *   two compartments λ = β, α (../pk-model `dispositionRates`), a_β = (k21 − β)/(V(α − β)),
 *                    a_α = (α − k21)/(V(α − β)), k21 = Q/V2.
 * First-order stages. Passing the input through first-order compartments with rates μ_1 … μ_m
 * (absorption KA; the effect site's KE0, effect-compartment.ts) convolves with Π μ_k e^{−μ_k t}; by
 * partial fractions the response stays a sum of exponentials with rates {λ_j} ∪ {μ_k}:
 *   coef(λ_j) = a_j Πμ / Π_k (μ_k − λ_j),   coef(μ_k) = Σ_j a_j Πμ / ((λ_j − μ_k) Π_{i≠k} (μ_i − μ_k)).
 * Coincident rates (a stage within 3e-6 of a disposition rate or of another stage) make these
 * singular; as ../pk-model does for KA, the response is then the average over the stage rates nudged
 * by ±1e-5 (relative; each further coincident stage by another multiple), exact to O(1e-10) with
 * cancellation error near 1e-16/1e-5. Three coincident poles (KA ≈ KE0 ≈ a disposition rate) use
 * ±1e-4, balancing O(ν²) against 1e-16/ν²: about 3e-8 relative (measured against the ODE).
 *
 * Routes. Oral and bolus doses add A·u(t − t_d − lag) with u the impulse response (oral: the
 * disposition through KA; bolus: the disposition). An infusion of A over D is the integral of the
 * impulse response over its duration, in closed form per exponential:
 *   during (0 ≤ s < D):  (A/D) Σ c_j (1 − e^{−λ_j s}) / λ_j
 *   after  (s ≥ D):      (A/D) Σ c_j (1 − e^{−λ_j D}) / λ_j · e^{−λ_j (s − D)}.
 * Superposition. A run of n doses every τ (doses.ts) adds, per exponential, the geometric series
 * e^{−λ s_last} (1 − e^{−nλτ}) / (1 − e^{−λτ}) (infusions: over the finished ones; running ones,
 * at most ⌈D/τ⌉, one by one); a steady-state series (SS=1, n = ∞) the limit 1 / (1 − e^{−λτ}). The
 * periodic steady state of "A every τ" is that limit for a series whose latest dose is at 0,
 * read at 0 ≤ s ≤ τ (s = 0 and s = τ are both the trough).
 *
 * For oral doses without an extra stage the response is ../pk-model's `oralUnitResponse` itself and
 * the sums are taken in the same order, so concentrations equal ../pk-model's (bitwise in practice).
 *
 * Performance follows ../pk-model's planSuperposition/evaluatePlan: `planPk` computes what does not
 * depend on parameters (per observation time and run: doses given, time since the latest, running
 * infusions) once; `evaluatePk` is then a few exponentials per (time, run, rate) — fewer, as a factor
 * that neighbouring times share (the same dose count, e.g. every sample after the last dose, or the
 * same time since the latest dose) is computed once and reused: the same number, the same sums. A
 * lag changes which oral doses have started by a time, so `setPlanLag` recounts the oral runs when
 * TLAG changes. `centralResponses` computes the impulse responses into arrays a fit keeps, without
 * allocating.
 */
import { PkpdDataError } from '../errors';
import { dispositionRates, oralUnitResponse, type PkParameters, type Polyexponential } from '../pk-model';
import { countDoses, epochOf, steadyStateSchedule, type DoseCount, type DoseSchedule, type RegimenShape } from './doses';

export type { Polyexponential } from '../pk-model';

/** Numeric PK parameters of one individual. */
export interface PkRates {
  compartments: 1 | 2;
  cl: number;
  v: number;
  /** Intercompartmental clearance and peripheral volume (two compartments only). */
  q: number;
  v2: number;
  /** Absorption rate constant; NaN when the model has no oral route. */
  ka: number;
  /** Absorption lag of oral doses (0 without lag). */
  tlag: number;
}

/** Impulse responses (per unit amount) of the central (or effect-site) concentration to each input. */
export interface InputResponses {
  /** Oral doses (through absorption); null when the model has no absorption. */
  oral: Polyexponential | null;
  /** Bolus and infusion doses (into the central compartment); null when not asked for. */
  iv: Polyexponential | null;
}

/** Which inputs a set of responses is needed for (the other is left null, to save work in fits). */
export interface InputNeeds {
  oral: boolean;
  iv: boolean;
}

const BOTH: InputNeeds = { oral: true, iv: true };

/** The inputs a schedule's doses use. */
export function inputNeeds(schedule: DoseSchedule): InputNeeds {
  return { oral: schedule.runs.some((r) => r.route === 'oral'), iv: schedule.runs.some((r) => r.route !== 'oral') };
}

const COINCIDENT = 3e-6;
const NUDGE = 1e-5;
const NUDGE_TRIPLE = 1e-4;

function asPkParameters(p: PkRates, ka: number): PkParameters {
  return p.compartments === 1 ? { compartments: 1, ka, cl: p.cl, v: p.v } : { compartments: 2, ka, cl: p.cl, v: p.v, q: p.q, v2: p.v2 };
}

/** Concentration after a unit bolus into the central compartment. */
export function dispositionResponse(p: PkRates): Polyexponential {
  const n = p.compartments;
  return dispositionInto(p, { rates: new Float64Array(n), coefs: new Float64Array(n) });
}

/** dispositionResponse written into `out` (arrays of length `compartments`). */
function dispositionInto(p: PkRates, out: Polyexponential): Polyexponential {
  const rates = dispositionRates(asPkParameters(p, 1));
  if (p.compartments === 1) {
    out.rates[0] = rates[0];
    out.coefs[0] = 1 / p.v;
    return out;
  }
  const [beta, alpha] = rates;
  const k21 = p.q / p.v2;
  const spread = p.v * (alpha - beta);
  out.rates[0] = beta;
  out.rates[1] = alpha;
  out.coefs[0] = (k21 - beta) / spread;
  out.coefs[1] = (alpha - k21) / spread;
  return out;
}

function partialFractions(base: Polyexponential, mu: readonly number[]): Polyexponential {
  const n = base.rates.length;
  const m = mu.length;
  const rates = new Float64Array(n + m);
  const coefs = new Float64Array(n + m);
  let gain = 1;
  for (let k = 0; k < m; k++) gain *= mu[k];
  for (let k = 0; k < m; k++) rates[n + k] = mu[k];
  for (let j = 0; j < n; j++) {
    const lambda = base.rates[j];
    const a = base.coefs[j] * gain;
    let den = 1;
    for (let k = 0; k < m; k++) den *= mu[k] - lambda;
    rates[j] = lambda;
    coefs[j] = a / den;
    for (let k = 0; k < m; k++) {
      let d = lambda - mu[k];
      for (let i = 0; i < m; i++) if (i !== k) d *= mu[i] - mu[k];
      coefs[n + k] += a / d;
    }
  }
  return { rates, coefs };
}

function near(x: number, y: number): boolean {
  return Math.abs(x - y) <= COINCIDENT * Math.max(x, y);
}

/**
 * The response of `base` passed through first-order stages with the given rates (each of gain 1:
 * the stage's output rate equals its amount times its rate), with coincident rates handled by
 * symmetric nudges (header).
 */
export function cascade(base: Polyexponential, stages: readonly number[]): Polyexponential {
  if (stages.length === 0) return base;
  const clusterSize = stages.map((mu, k) => {
    let size = 1;
    for (const lambda of base.rates) if (near(mu, lambda)) size++;
    stages.forEach((other, i) => {
      if (i !== k && near(mu, other)) size++;
    });
    return size;
  });
  const coincident = stages.map((_, k) => k).filter((k) => clusterSize[k] > 1);
  if (coincident.length === 0) return partialFractions(base, stages);
  const nudge = clusterSize.some((s) => s > 2) ? NUDGE_TRIPLE : NUDGE;
  const combos = 1 << coincident.length;
  const parts: Polyexponential[] = [];
  for (let combo = 0; combo < combos; combo++) {
    const mu = [...stages];
    coincident.forEach((k, rank) => {
      const sign = combo & (1 << rank) ? -1 : 1;
      mu[k] = stages[k] * (1 + sign * nudge * (rank + 1));
    });
    parts.push(partialFractions(base, mu));
  }
  const size = parts[0].rates.length;
  const rates = new Float64Array(size * combos);
  const coefs = new Float64Array(size * combos);
  parts.forEach((part, c) => {
    for (let j = 0; j < size; j++) {
      rates[c * size + j] = part.rates[j];
      coefs[c * size + j] = part.coefs[j] / combos;
    }
  });
  return { rates, coefs };
}

/**
 * Impulse responses of the central concentration (no extra stage) or of a concentration behind
 * further first-order stages (`extraStages`, e.g. [KE0] for the effect site) for each input. The
 * central oral response is ../pk-model's `oralUnitResponse` itself (the same numbers, coincident
 * KA included); `cascade` gives the same up to rounding.
 */
export function inputResponses(p: PkRates, extraStages: readonly number[] = [], needs: InputNeeds = BOTH): InputResponses {
  const central = needs.oral && extraStages.length === 0;
  const disposition = needs.iv || !central ? dispositionResponse(p) : null;
  let oral: Polyexponential | null = null;
  if (needs.oral && p.ka > 0) {
    oral = central ? oralUnitResponse(asPkParameters(p, p.ka)) : cascade(disposition as Polyexponential, [p.ka, ...extraStages]);
  }
  return { oral, iv: needs.iv ? cascade(disposition as Polyexponential, extraStages) : null };
}

/** Room for `centralResponses` (one per cache: its result is rewritten by the next call). */
export interface ResponseStore {
  readonly compartments: 1 | 2;
  readonly oral: Polyexponential;
  readonly iv: Polyexponential;
  readonly responses: InputResponses;
}

export function createResponseStore(compartments: 1 | 2): ResponseStore {
  const poly = (n: number): Polyexponential => ({ rates: new Float64Array(n), coefs: new Float64Array(n) });
  return { compartments, oral: poly(compartments + 1), iv: poly(compartments), responses: { oral: null, iv: null } };
}

/**
 * ../pk-model `oralUnitResponse` (its `responseWithKa`, the same operations in the same order, so
 * the same numbers) written into `out`; null when KA is within 3e-6 of a disposition rate, where
 * that function averages nudged responses (twice as many terms).
 */
function oralInto(p: PkRates, out: Polyexponential): Polyexponential | null {
  const ka = p.ka;
  const disposition = dispositionRates(asPkParameters(p, ka));
  for (const l of disposition) if (Math.abs(ka - l) <= COINCIDENT * Math.max(ka, l)) return null;
  if (p.compartments === 1) {
    const k = disposition[0];
    const c = ka / (p.v * (ka - k));
    out.rates[0] = k;
    out.rates[1] = ka;
    out.coefs[0] = c;
    out.coefs[1] = -c;
    return out;
  }
  const [beta, alpha] = disposition;
  const k21 = p.q / p.v2;
  const scale = ka / p.v;
  out.rates[0] = beta;
  out.rates[1] = alpha;
  out.rates[2] = ka;
  out.coefs[0] = (scale * (k21 - beta)) / ((ka - beta) * (alpha - beta));
  out.coefs[1] = (scale * (k21 - alpha)) / ((ka - alpha) * (beta - alpha));
  out.coefs[2] = (scale * (k21 - ka)) / ((alpha - ka) * (beta - ka));
  return out;
}

/**
 * `inputResponses(p, [], needs)` — the same numbers — in the store's arrays, without allocating
 * (fitting loops; a coincident KA takes the allocating path). Valid until the store's next call.
 */
export function centralResponses(p: PkRates, needs: InputNeeds, store: ResponseStore): InputResponses {
  if (p.compartments !== store.compartments) throw new Error('centralResponses: the store was made for another number of compartments');
  const out = store.responses;
  out.iv = needs.iv ? dispositionInto(p, store.iv) : null;
  out.oral = null;
  if (needs.oral && p.ka > 0) out.oral = oralInto(p, store.oral) ?? oralUnitResponse(asPkParameters(p, p.ka));
  return out;
}

/** Parameter-independent superposition geometry for a dose schedule and a set of times. */
export interface PkPlan {
  schedule: DoseSchedule;
  times: Float64Array;
  /** The absorption lag the oral counts below were made for. */
  lag: number;
  /** Pairs of run r are [pairStart[r], pairStart[r + 1]), in time order. */
  pairStart: Int32Array;
  pairTime: Int32Array;
  /** Per run: 1 when pairTime[p] = p + pairShift[r] for all its pairs (the common case: times in order), else 0. */
  contiguous: Int8Array;
  pairShift: Int32Array;
  /** Doses whose response is a pure decay (oral/bolus: given; infusions: finished); Infinity for a steady-state series. */
  given: Float64Array;
  /** Time since the latest of them (infusions: since its end). */
  since: Float64Array;
  /** Infusions running at the time, and the time since the latest of them started. */
  running: Int32Array;
  runningSince: Float64Array;
}

const scratchStarted: DoseCount = { count: 0, latest: 0 };
const scratchFinished: DoseCount = { count: 0, latest: 0 };

function fillPairs(plan: PkPlan, r: number): void {
  const run = plan.schedule.runs[r];
  const shift = run.route === 'oral' ? plan.lag : 0;
  for (let p = plan.pairStart[r]; p < plan.pairStart[r + 1]; p++) {
    const t = plan.times[plan.pairTime[p]];
    if (run.route !== 'infusion') {
      const x = t - shift;
      const c = countDoses(run, x, run.route === 'bolus', scratchStarted);
      plan.given[p] = c.count;
      plan.since[p] = c.count > 0 ? Math.max(0, x - c.latest) : 0;
      continue;
    }
    const started = countDoses(run, t, false, scratchStarted);
    const finished = countDoses(run, t - run.duration, false, scratchFinished);
    plan.given[p] = finished.count;
    plan.since[p] = finished.count > 0 ? Math.max(0, t - run.duration - finished.latest) : 0;
    let running = 0;
    if (started.count > 0) {
      if (finished.count === 0) running = started.count;
      else if (run.interval > 0) running = Math.round((started.latest - finished.latest) / run.interval);
    }
    plan.running[p] = running;
    plan.runningSince[p] = running > 0 ? Math.max(0, t - started.latest) : 0;
  }
}

export function planPk(schedule: DoseSchedule, times: ArrayLike<number>, lag = 0): PkPlan {
  const nt = times.length;
  const epochs = new Int32Array(nt);
  for (let i = 0; i < nt; i++) {
    if (!Number.isFinite(times[i])) throw new PkpdDataError(`Time ${i + 1} is ${times[i]}; every prediction time must be a finite number.`);
    epochs[i] = epochOf(schedule, times[i]);
  }
  const runs = schedule.runs;
  const pairStart = new Int32Array(runs.length + 1);
  for (let r = 0; r < runs.length; r++) {
    let count = 0;
    for (let i = 0; i < nt; i++) if (epochs[i] === runs[r].epoch) count++;
    pairStart[r + 1] = pairStart[r] + count;
  }
  const total = pairStart[runs.length];
  const pairTime = new Int32Array(total);
  for (let r = 0; r < runs.length; r++) {
    let p = pairStart[r];
    for (let i = 0; i < nt; i++) if (epochs[i] === runs[r].epoch) pairTime[p++] = i;
  }
  const contiguous = new Int8Array(runs.length);
  const pairShift = new Int32Array(runs.length);
  for (let r = 0; r < runs.length; r++) {
    const p0 = pairStart[r];
    const p1 = pairStart[r + 1];
    let ok = 1;
    for (let p = p0 + 1; p < p1; p++) if (pairTime[p] !== pairTime[p - 1] + 1) ok = 0;
    contiguous[r] = ok;
    pairShift[r] = p1 > p0 ? pairTime[p0] - p0 : 0;
  }
  const plan: PkPlan = {
    schedule,
    times: Float64Array.from(times),
    lag,
    pairStart,
    pairTime,
    contiguous,
    pairShift,
    given: new Float64Array(total),
    since: new Float64Array(total),
    running: new Int32Array(total),
    runningSince: new Float64Array(total),
  };
  for (let r = 0; r < runs.length; r++) fillPairs(plan, r);
  return plan;
}

/** Recounts the oral runs of a plan for another absorption lag (no-op when unchanged). */
export function setPlanLag(plan: PkPlan, lag: number): void {
  if (lag === plan.lag) return;
  plan.lag = lag;
  const runs = plan.schedule.runs;
  for (let r = 0; r < runs.length; r++) if (runs[r].route === 'oral') fillPairs(plan, r);
}

/** Adds weight · e^{−λ since} · (1 − e^{−nλτ}) / denom for pairs [p0, p1) at times p + shift. */
function addDecaysInOrder(
  result: Float64Array,
  given: Float64Array,
  since: Float64Array,
  p0: number,
  p1: number,
  shift: number,
  lambda: number,
  weight: number,
  tau: number,
  denom: number,
): void {
  // Neighbouring pairs often share the dose count (every sample after the last dose) or the time
  // since the latest dose: the factor is then the one just computed, the same number without the
  // exponential.
  let lastN = 0;
  let series = 1;
  let lastSince = Number.NaN;
  let decay = 1;
  for (let p = p0; p < p1; p++) {
    const n = given[p];
    if (n === 0) continue;
    const s = since[p];
    if (s !== lastSince) {
      decay = Math.exp(-lambda * s);
      lastSince = s;
    }
    if (n !== lastN) {
      series = n === 1 ? 1 : -Math.expm1(-lambda * n * tau) / denom;
      lastN = n;
    }
    result[p + shift] += weight * decay * series;
  }
}

/** As addDecaysInOrder (factors shared likewise), at times pairTime[p]. */
function addDecays(
  result: Float64Array,
  given: Float64Array,
  since: Float64Array,
  pairTime: Int32Array,
  p0: number,
  p1: number,
  lambda: number,
  weight: number,
  tau: number,
  denom: number,
): void {
  let lastN = 0;
  let series = 1;
  let lastSince = Number.NaN;
  let decay = 1;
  for (let p = p0; p < p1; p++) {
    const n = given[p];
    if (n === 0) continue;
    const s = since[p];
    if (s !== lastSince) {
      decay = Math.exp(-lambda * s);
      lastSince = s;
    }
    if (n !== lastN) {
      series = n === 1 ? 1 : -Math.expm1(-lambda * n * tau) / denom;
      lastN = n;
    }
    result[pairTime[p]] += weight * decay * series;
  }
}

/**
 * The decaying terms of an oral or bolus run for a response of at most three terms (one or two
 * compartments, central): per pair, every term in the response's order, so each time receives the
 * same additions in the same order as term by term (addDecaysInOrder/addDecays, the same numbers),
 * with one pass over the pairs and each factor shared as there.
 */
function addTerms(plan: PkPlan, r: number, unit: Polyexponential, result: Float64Array): void {
  const run = plan.schedule.runs[r];
  const nr = unit.rates.length;
  const tau = run.interval;
  const several = run.count > 1;
  const l0 = unit.rates[0];
  const l1 = nr > 1 ? unit.rates[1] : 0;
  const l2 = nr > 2 ? unit.rates[2] : 0;
  const w0 = run.amount * unit.coefs[0];
  const w1 = nr > 1 ? run.amount * unit.coefs[1] : 0;
  const w2 = nr > 2 ? run.amount * unit.coefs[2] : 0;
  const q0 = several ? -Math.expm1(-l0 * tau) : 1;
  const q1 = several && nr > 1 ? -Math.expm1(-l1 * tau) : 1;
  const q2 = several && nr > 2 ? -Math.expm1(-l2 * tau) : 1;
  const { given, since, pairTime } = plan;
  const inOrder = plan.contiguous[r] === 1;
  const shift = plan.pairShift[r];
  const p1 = plan.pairStart[r + 1];
  let lastN = 0;
  let lastSince = Number.NaN;
  let d0 = 1;
  let d1 = 1;
  let d2 = 1;
  let s0 = 1;
  let s1 = 1;
  let s2 = 1;
  for (let p = plan.pairStart[r]; p < p1; p++) {
    const n = given[p];
    if (n === 0) continue;
    const s = since[p];
    if (s !== lastSince) {
      d0 = Math.exp(-l0 * s);
      if (nr > 1) d1 = Math.exp(-l1 * s);
      if (nr > 2) d2 = Math.exp(-l2 * s);
      lastSince = s;
    }
    if (n !== lastN) {
      if (n === 1) {
        s0 = 1;
        s1 = 1;
        s2 = 1;
      } else {
        s0 = -Math.expm1(-l0 * n * tau) / q0;
        if (nr > 1) s1 = -Math.expm1(-l1 * n * tau) / q1;
        if (nr > 2) s2 = -Math.expm1(-l2 * n * tau) / q2;
      }
      lastN = n;
    }
    const i = inOrder ? p + shift : pairTime[p];
    let c = result[i] + w0 * d0 * s0;
    if (nr > 1) c += w1 * d1 * s1;
    if (nr > 2) c += w2 * d2 * s2;
    result[i] = c;
  }
}

/** Concentrations at the plan's times; writes into `out` (allocated if absent). */
export function evaluatePk(plan: PkPlan, responses: InputResponses, out?: Float64Array): Float64Array {
  const nt = plan.times.length;
  const result = out ?? new Float64Array(nt);
  result.fill(0, 0, nt);
  const { runs } = plan.schedule;
  const { pairTime, given, since, running, runningSince } = plan;
  for (let r = 0; r < runs.length; r++) {
    const p0 = plan.pairStart[r];
    const p1 = plan.pairStart[r + 1];
    if (p0 === p1) continue;
    const run = runs[r];
    const unit = run.route === 'oral' ? responses.oral : responses.iv;
    if (!unit) {
      if (run.route === 'oral')
        throw new PkpdDataError('An oral dose was given but the model has no absorption (KA); use an oral model for oral doses.');
      throw new Error('evaluatePk: the responses were made without the IV input this schedule uses (inputNeeds)');
    }
    const tau = run.interval;
    const nr = unit.rates.length;
    if (run.route !== 'infusion') {
      if (nr <= 3) {
        addTerms(plan, r, unit, result);
        continue;
      }
      for (let j = 0; j < nr; j++) {
        const lambda = unit.rates[j];
        const weight = run.amount * unit.coefs[j];
        const denom = run.count > 1 ? -Math.expm1(-lambda * tau) : 1;
        // The common case (times in order within the run's epoch) without the index indirection.
        if (plan.contiguous[r] === 1) addDecaysInOrder(result, given, since, p0, p1, plan.pairShift[r], lambda, weight, tau, denom);
        else addDecays(result, given, since, pairTime, p0, p1, lambda, weight, tau, denom);
      }
      continue;
    }
    const rate = run.amount / run.duration;
    for (let j = 0; j < nr; j++) {
      const lambda = unit.rates[j];
      const level = (rate * unit.coefs[j]) / lambda;
      const finished = level * -Math.expm1(-lambda * run.duration);
      const denom = run.count > 1 ? -Math.expm1(-lambda * tau) : 1;
      // Factors shared by neighbouring pairs are reused, as in addDecaysInOrder.
      let lastN = 0;
      let series = 1;
      let lastSince = Number.NaN;
      let decay = 1;
      let lastK = 0;
      let lastRunningSince = Number.NaN;
      let runningSum = 0;
      for (let p = p0; p < p1; p++) {
        const n = given[p];
        let c = 0;
        if (n > 0) {
          if (n !== lastN) {
            series = n === 1 ? 1 : -Math.expm1(-lambda * n * tau) / denom;
            lastN = n;
          }
          const sinceP = since[p];
          if (sinceP !== lastSince) {
            decay = Math.exp(-lambda * sinceP);
            lastSince = sinceP;
          }
          c = finished * decay * series;
        }
        const k = running[p];
        if (k > 0) {
          const from = runningSince[p];
          if (k !== lastK || from !== lastRunningSince) {
            runningSum = 0;
            for (let m = 0; m < k; m++) runningSum -= Math.expm1(-lambda * (from + m * tau));
            lastK = k;
            lastRunningSince = from;
          }
          c += level * runningSum;
        }
        result[pairTime[p]] += c;
      }
    }
  }
  return result;
}

/**
 * A plan for the periodic steady state of a regimen with unit amount, at times since the latest
 * dose 0 ≤ s ≤ τ (both ends are the trough before a dose); scale the result by the amount.
 */
export function planSteadyState(regimen: RegimenShape, timesSinceDose: ArrayLike<number>, lag = 0): PkPlan {
  const schedule = steadyStateSchedule(regimen, 1);
  const tau = regimen.interval;
  for (let i = 0; i < timesSinceDose.length; i++) {
    const s = timesSinceDose[i];
    if (!(s >= 0 && s <= tau)) {
      throw new PkpdDataError(
        `Steady-state time ${i + 1} is ${s}; times over the dosing interval must lie between 0 and the interval (${tau}).`,
      );
    }
  }
  return planPk(schedule, timesSinceDose, lag);
}
