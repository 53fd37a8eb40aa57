/**
 * Linear PK with oral first-order absorption (bioavailability 1), one or two compartments, in
 * closed form. Units follow EstData: dose in mg, time in h, clearances in 1000 L/h, volumes in
 * 1000 L, so concentrations come out in ng/mL (mg / 1000 L = µg/L).
 *
 * The response to one unit dose is a sum of exponentials Σ c_j e^{−λ_j Δt} with Σ c_j = 0 (nothing
 * in plasma at the dose time). Any dose history is a superposition of such responses; regular runs
 * of doses are summed as geometric series, and the steady state of "A every τ" is the limit of
 * that series: C_ss(t) = A Σ c_j e^{−λ_j t} / (1 − e^{−λ_j τ}), 0 ≤ t < τ.
 */
import { compressDoses, dosesBefore, type Dose, type DoseBlock } from './dose-history';
import { PkpdParameterError } from './errors';

export type PkParameters =
  { compartments: 1; ka: number; cl: number; v: number } | { compartments: 2; ka: number; cl: number; v: number; q: number; v2: number };

/** Unit-dose (1 mg) concentration response Σ coefs_j e^{−rates_j Δt}, in ng/mL. */
export interface Polyexponential {
  rates: Float64Array;
  coefs: Float64Array;
}

/**
 * When ka is within this relative distance of a disposition rate the partial fractions are
 * singular; the response is then the average of the responses at ka(1 ± NUDGE), which is exact to
 * O(NUDGE²) while the cancellation error stays near 1e-16 / NUDGE.
 */
const COINCIDENT = 3e-6;
const NUDGE = 1e-5;

export function checkPkParameters(p: PkParameters): void {
  const values: [string, number][] = [
    ['ka', p.ka],
    ['CL', p.cl],
    ['V', p.v],
  ];
  if (p.compartments === 2) values.push(['Q', p.q], ['V2', p.v2]);
  for (const [name, value] of values) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new PkpdParameterError(`PK parameter ${name} must be a positive number, got ${value}.`);
    }
  }
}

/** Exponential rates of the disposition (elimination first, then distribution for two compartments). */
export function dispositionRates(p: PkParameters): number[] {
  const k10 = p.cl / p.v;
  if (p.compartments === 1) return [k10];
  const k12 = p.q / p.v;
  const k21 = p.q / p.v2;
  const sum = k10 + k12 + k21;
  const alpha = (sum + Math.sqrt(Math.max(0, sum * sum - 4 * k10 * k21))) / 2;
  const beta = (k10 * k21) / alpha;
  return [beta, alpha];
}

export function oralUnitResponse(p: PkParameters): Polyexponential {
  const disposition = dispositionRates(p);
  const close = disposition.some((l) => Math.abs(p.ka - l) <= COINCIDENT * Math.max(p.ka, l));
  if (!close) return responseWithKa(p, disposition, p.ka);
  const up = responseWithKa(p, disposition, p.ka * (1 + NUDGE));
  const down = responseWithKa(p, disposition, p.ka * (1 - NUDGE));
  const n = up.rates.length;
  const rates = new Float64Array(2 * n);
  const coefs = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    rates[j] = up.rates[j];
    coefs[j] = up.coefs[j] / 2;
    rates[n + j] = down.rates[j];
    coefs[n + j] = down.coefs[j] / 2;
  }
  return { rates, coefs };
}

function responseWithKa(p: PkParameters, disposition: number[], ka: number): Polyexponential {
  if (p.compartments === 1) {
    const k = disposition[0];
    const c = ka / (p.v * (ka - k));
    return { rates: Float64Array.of(k, ka), coefs: Float64Array.of(c, -c) };
  }
  const [beta, alpha] = disposition;
  const k21 = p.q / p.v2;
  const scale = ka / p.v;
  const cAlpha = (scale * (k21 - alpha)) / ((ka - alpha) * (beta - alpha));
  const cBeta = (scale * (k21 - beta)) / ((ka - beta) * (alpha - beta));
  const cKa = (scale * (k21 - ka)) / ((alpha - ka) * (beta - ka));
  return { rates: Float64Array.of(beta, alpha, ka), coefs: Float64Array.of(cBeta, cAlpha, cKa) };
}

/**
 * Precomputed dose–observation geometry for fast repeated evaluation with changing parameters:
 * for every (time, block) pair the number of doses given so far and the time since the latest.
 */
export interface SuperpositionPlan {
  times: Float64Array;
  blocks: DoseBlock[];
  /** [time * blocks + block] */
  count: Int32Array;
  sinceLast: Float64Array;
}

export function planSuperposition(doses: readonly Dose[] | readonly DoseBlock[], times: ArrayLike<number>): SuperpositionPlan {
  const blocks = isBlockList(doses) ? doses.map((b) => ({ ...b })) : compressDoses(doses);
  const nt = times.length;
  const nb = blocks.length;
  const count = new Int32Array(nt * nb);
  const sinceLast = new Float64Array(nt * nb);
  for (let i = 0; i < nt; i++) {
    for (let b = 0; b < nb; b++) {
      const d = dosesBefore(blocks[b], times[i]);
      count[i * nb + b] = d.count;
      sinceLast[i * nb + b] = d.sinceLast;
    }
  }
  return { times: Float64Array.from(times), blocks, count, sinceLast };
}

function isBlockList(x: readonly Dose[] | readonly DoseBlock[]): x is readonly DoseBlock[] {
  return x.length > 0 && 'count' in x[0];
}

/** Concentrations at the plan's times for a unit response; writes into `out` (allocated if absent). */
export function evaluatePlan(plan: SuperpositionPlan, unit: Polyexponential, out?: Float64Array): Float64Array {
  const nt = plan.times.length;
  const nb = plan.blocks.length;
  const result = out ?? new Float64Array(nt);
  result.fill(0, 0, nt);
  const nr = unit.rates.length;
  for (let b = 0; b < nb; b++) {
    const block = plan.blocks[b];
    for (let j = 0; j < nr; j++) {
      const lambda = unit.rates[j];
      const weight = block.amount * unit.coefs[j];
      const denom = block.count > 1 ? -Math.expm1(-lambda * block.interval) : 1;
      for (let i = 0; i < nt; i++) {
        const n = plan.count[i * nb + b];
        if (n === 0) continue;
        const decay = Math.exp(-lambda * plan.sinceLast[i * nb + b]);
        const series = n === 1 ? 1 : -Math.expm1(-lambda * n * block.interval) / denom;
        result[i] += weight * decay * series;
      }
    }
  }
  return result;
}

/** Plasma concentration (ng/mL) at each time for a dose history (mg, h). */
export function concentrationAt(p: PkParameters, doses: readonly Dose[], times: ArrayLike<number>): Float64Array {
  checkPkParameters(p);
  return evaluatePlan(planSuperposition(doses, times), oralUnitResponse(p));
}

/**
 * Closed-form steady-state concentration for `amount` mg every `interval` h, at times since the
 * latest dose (taken modulo the interval; a time equal to a dose time is the pre-dose trough).
 */
export function steadyStateConcentration(
  p: PkParameters,
  amount: number,
  interval: number,
  timesSinceDose: ArrayLike<number>,
): Float64Array {
  checkPkParameters(p);
  if (!(interval > 0)) throw new PkpdParameterError(`The dosing interval must be positive, got ${interval}.`);
  const unit = oralUnitResponse(p);
  const out = new Float64Array(timesSinceDose.length);
  for (let i = 0; i < out.length; i++) {
    let t = timesSinceDose[i] % interval;
    if (t < 0) t += interval;
    let c = 0;
    for (let j = 0; j < unit.rates.length; j++) {
      const lambda = unit.rates[j];
      c += (unit.coefs[j] * Math.exp(-lambda * t)) / -Math.expm1(-lambda * interval);
    }
    out[i] = amount * c;
  }
  return out;
}

/** Terminal half-life (h): ln 2 over the smallest rate of the unit response. */
export function terminalHalfLife(p: PkParameters): number {
  return Math.LN2 / Math.min(p.ka, ...dispositionRates(p));
}
