/**
 * Starting values of the population fit, derived from the data and refined by a small grid scored
 * with the FOCE objective itself — the search of the EstData-only fit (pk-fit.ts, pd-fit.ts; retired,
 * commit bc03053), in the data's time unit and generalised to every route and PD family:
 *
 * PK. CL from dose / AUC (trapezoids from the dose, per subject or occasion; the median). V from a
 *   half-life grid of 3, 10, 30, 100 and 300 h (V = CL t½ / ln 2), CL × 0.5, 1, 2; KA 1/h. Where the
 *   data point outside that grid — a terminal half-life (log-linear over the last three samples after
 *   the last dose) or, for IV boluses, the V of the first concentration (dose / C), outside 3–300 h;
 *   a KA from the time of the peak more than 10× away from 1/h — those values are added to the grid.
 *   TLAG: half the earliest time from a dose to a positive concentration. Two compartments: from the
 *   best one-compartment start, V1 = 0.2, 0.4, 0.7 × V, V2 = 1.5 × the rest, Q = 1, 4, 16 × CL.
 * PD. E0/BASE: the median pre-dose response (every response of an undosed subject), per level of a
 *   factor on it (its start is the ratio of the medians, as the EstData-only fit started its 0/1
 *   factor on the baseline). Potency (EC50/IC50): 0.1, 0.3, 1, 3 × the median concentration the
 *   individual PK predicts where the response is computed. KOUT: 0.003, 0.01, 0.03, 0.1 /h; KE0:
 *   0.03, 0.1, 0.3, 1 /h; each widened by 1 / (the median time from a first dose to the largest
 *   change of the response) when that lies outside.
 *   IMAX and EMAX from the largest observed change from the baseline, as the model would reach it
 *   (BASE (1 − IMAX), BASE / (1 − IMAX), BASE (1 + EMAX), BASE / (1 + EMAX), E0 + EMAX, E0 (1 − IMAX)),
 *   with margin; IMAX at most 0.8 for the indirect types (the EstData-only fit started at 0.8), 0.95 for a
 *   direct response. HILL 1. Factors on other PD parameters start at 1.
 * Covariate effects start at no effect (power 0, linear 0, factor 1), except power effects on CL, V,
 * Q and V2, which start at 1 (proportional to the covariate, as the EstData-only fit started body weight).
 */
import type { StudySubject } from '../../study/study-data';
import { HOURS_PER } from '../../study/units';
import type { ModelParameter, PdModelSpec, StudyUnits } from '../../study/study-spec';
import { maxOf, minOf } from '../../data/min-max';
import type { DoseEvent } from '../structural/doses';
import type { ParameterValues } from '../structural/structural-model';
import { median, type StageModel } from './parameter-model';
import type { StageData, StageStart } from './stage';

const HALF_LIVES_H = [3, 10, 30, 100, 300];
const KOUT_H = [0.003, 0.01, 0.03, 0.1];
const KE0_H = [0.03, 0.1, 0.3, 1];
const POTENCY = [0.1, 0.3, 1, 3];

/** The upper middle value, as the EstData-only fit took it (kept so EstData starts where it did). */
function upperMedian(values: number[]): number {
  // A numeric typed-array sort (thousands of node concentrations): the same value, except that it
  // puts every −0 before every 0, where the comparator keeps them in input order — a zero median
  // is taken as that sort takes it.
  const fast = Float64Array.from(values.filter(Number.isFinite)).sort();
  if (fast.length === 0) return Number.NaN;
  const m = fast[Math.floor(fast.length / 2)];
  if (m !== 0) return m;
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Default starting value of each θ of a stage model that no data-derived value replaces. */
function defaults(model: StageModel, units: StudyUnits): Record<string, number> {
  const perHour = HOURS_PER[units.time];
  const out: Record<string, number> = {};
  for (const t of model.thetas) {
    if (t.role === 'effect') {
      const e = t.effect;
      if (!e) continue;
      out[t.name] = e.form === 'factor' ? 1 : e.form === 'power' && ['CL', 'V', 'Q', 'V2'].includes(e.on) ? 1 : 0;
      continue;
    }
    const fallback: Partial<Record<ModelParameter, number>> = {
      CL: 1,
      V: 10,
      KA: perHour,
      TLAG: 0.5 / perHour,
      Q: 1,
      V2: 1,
      E0: 1,
      BASE: 1,
      EMAX: 1,
      IMAX: 0.8,
      EC50: 1,
      IC50: 1,
      HILL: 1,
      KE0: 0.1 * perHour,
      KOUT: 0.01 * perHour,
    };
    out[t.name] = fallback[t.parameter] ?? 1;
  }
  return out;
}

/** The segments of a stage subject with their used observations. */
function profiles(data: StageData): { doses: DoseEvent[]; times: Float64Array; dv: Float64Array }[] {
  const out: { doses: DoseEvent[]; times: Float64Array; dv: Float64Array }[] = [];
  for (const d of data.subjects) {
    let o = 0;
    for (const seg of d.segments) {
      const n = seg.times.length;
      out.push({ doses: seg.doses, times: seg.times, dv: d.dv.subarray(o, o + n) });
      o += n;
    }
  }
  return out;
}

/** Median dose / AUC (trapezoids from the first dose; for a bolus from the back-extrapolated C0). */
export function clearanceScale(data: StageData): number {
  const values: number[] = [];
  for (const d of data.subjects) {
    // One profile per subject when it has one segment (as the EstData-only fit), else one per segment.
    let o = 0;
    for (const seg of d.segments) {
      const n = seg.times.length;
      const dv = d.dv.subarray(o, o + n);
      o += n;
      if (seg.doses.some((x) => x.steadyState)) continue;
      const first = minOf(seg.doses.map((x) => x.time));
      let auc = 0;
      let prevT = first;
      let prevC = 0;
      const firstDose = seg.doses.find((x) => x.time === first);
      if (firstDose?.route === 'bolus' && n > 0) prevC = backExtrapolated(seg.times, dv, first);
      seg.times.forEach((t, j) => {
        auc += ((t - prevT) * (prevC + dv[j])) / 2;
        prevT = t;
        prevC = dv[j];
      });
      const last = seg.times[n - 1];
      const dose = seg.doses.filter((x) => x.time < last).reduce((a, x) => a + x.amount, 0);
      if (auc > 0 && dose > 0) values.push(dose / auc);
    }
  }
  const m = upperMedian(values);
  return Number.isFinite(m) ? m : 1;
}

function backExtrapolated(times: Float64Array, dv: ArrayLike<number>, at: number): number {
  if (times.length >= 2 && dv[0] > dv[1] && dv[1] > 0) {
    return dv[0] * (dv[0] / dv[1]) ** ((times[0] - at) / (times[1] - times[0]));
  }
  return dv[0];
}

/** Median terminal half-life: log-linear fit of the last three positive samples after the last dose. */
function terminalHalfLife(data: StageData): number {
  const values: number[] = [];
  for (const p of profiles(data)) {
    if (p.doses.length === 0) continue;
    const lastDose = maxOf(p.doses.map((d) => d.time + (d.duration ?? 0)));
    const pts: [number, number][] = [];
    p.times.forEach((t, j) => {
      if (t > lastDose && p.dv[j] > 0) pts.push([t, Math.log(p.dv[j])]);
    });
    if (pts.length < 3) continue;
    const tail = pts.slice(-3);
    const mt = tail.reduce((a, x) => a + x[0], 0) / 3;
    const my = tail.reduce((a, x) => a + x[1], 0) / 3;
    let sxy = 0;
    let sxx = 0;
    for (const [t, y] of tail) {
      sxy += (t - mt) * (y - my);
      sxx += (t - mt) ** 2;
    }
    const slope = sxy / sxx;
    if (slope < 0 && Number.isFinite(slope)) values.push(Math.LN2 / -slope);
  }
  return median(values);
}

/** Median time from a profile's first dose to its highest concentration before the next dose. */
function timeToPeak(data: StageData): number {
  const values: number[] = [];
  for (const p of profiles(data)) {
    if (p.doses.length === 0) continue;
    const first = minOf(p.doses.map((d) => d.time));
    const next = minOf(p.doses.filter((d) => d.time > first).map((d) => d.time));
    let best = -Infinity;
    let at = Number.NaN;
    p.times.forEach((t, j) => {
      if (t > first && t <= next && p.dv[j] > best) {
        best = p.dv[j];
        at = t - first;
      }
    });
    if (at > 0) values.push(at);
  }
  return median(values);
}

/** KA with a one-compartment peak at tmax for elimination rate k (ln(KA/k)/(KA − k) = tmax); NaN when none. */
function absorptionFromPeak(tmax: number, k: number): number {
  if (!(tmax > 0 && k > 0)) return Number.NaN;
  const peak = (ka: number): number => Math.log(ka / k) / (ka - k);
  // peak(ka) falls from 1/k (ka → k) to 0 (ka → ∞).
  if (tmax >= 1 / k) return Number.NaN;
  let lo = Math.log(k * (1 + 1e-9));
  let hi = Math.log(Math.max(k * 2, 1e3 / tmax));
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (peak(Math.exp(mid)) > tmax) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/** Half the shortest time from a dose to a positive concentration (an absorption lag's start). */
function lagStart(data: StageData): number {
  let shortest = Infinity;
  for (const p of profiles(data)) {
    const oral = p.doses.filter((d) => d.route === 'oral');
    for (const d of oral) {
      const j = p.times.findIndex((t, i) => t > d.time && p.dv[i] > 0);
      if (j >= 0) shortest = Math.min(shortest, p.times[j] - d.time);
    }
  }
  return Number.isFinite(shortest) ? 0.5 * shortest : Number.NaN;
}

/** IV boluses: median dose / first concentration (back-extrapolated). */
function initialVolume(data: StageData): number {
  const values: number[] = [];
  for (const p of profiles(data)) {
    const first = p.doses[0];
    if (!first || first.route !== 'bolus' || p.times.length === 0) continue;
    const c0 = backExtrapolated(p.times, p.dv, first.time);
    if (c0 > 0) values.push(first.amount / c0);
  }
  return median(values);
}

function outside(value: number, grid: readonly number[]): boolean {
  return Number.isFinite(value) && value > 0 && (value < minOf(grid) || value > maxOf(grid));
}

/**
 * Candidate starting values of the one-compartment PK model (see the header), to be scored with `one`
 * (stage.ts `bestStartSteps`; one candidate: nothing to score): also the first step towards two
 * compartments. `fitted` is the model whose θ need values (its defaults fill what the
 * one-compartment model does not have).
 */
export function oneCompartmentStarts(one: StageData, units: StudyUnits, fitted: StageModel = one.model): StageStart[] {
  const perHour = HOURS_PER[units.time];
  const base: Record<string, number> = { ...defaults(one.model, units), ...defaults(fitted, units) };
  const fixed = (name: ModelParameter): boolean => fitted.thetas.some((t) => t.parameter === name && t.role === 'typical' && t.fixed);
  const oral = one.model.parameters.includes('KA');
  if (one.model.parameters.includes('TLAG')) {
    const lag = lagStart(one);
    if (lag > 0) base.TLAG = lag;
  }
  if (fixed('CL') && fixed('V')) return [{ theta: base }];
  const cl0 = clearanceScale(one);
  const halfLives = HALF_LIVES_H.map((h) => h / perHour);
  const extra: number[] = [];
  const terminal = terminalHalfLife(one);
  if (outside(terminal, halfLives)) extra.push(terminal);
  const v0 = initialVolume(one);
  if (Number.isFinite(v0) && v0 > 0) {
    const implied = (v0 * Math.LN2) / cl0;
    if (outside(implied, halfLives)) extra.push(implied);
  }
  const kas = [base.KA];
  if (oral && !fixed('KA')) {
    const halfLife = Number.isFinite(terminal) ? terminal : 24 / perHour;
    const ka = absorptionFromPeak(timeToPeak(one), Math.LN2 / halfLife);
    if (Number.isFinite(ka) && (ka > 10 * base.KA || ka < base.KA / 10)) kas.push(ka);
  }
  const candidates: StageStart[] = [];
  for (const ka of kas) {
    for (const fc of [0.5, 1, 2]) {
      for (const halfLife of [...halfLives, ...extra]) {
        const cl = cl0 * fc;
        candidates.push({ theta: { ...base, KA: ka, CL: cl, V: (cl * halfLife) / Math.LN2 } });
      }
    }
  }
  return candidates;
}

/** Two-compartment candidates from the best one-compartment start: V1 = 0.2, 0.4, 0.7 × V, V2 = 1.5 × the rest, Q = 1, 4, 16 × CL. */
export function twoCompartmentStarts(two: StageData, start: StageStart): StageStart[] {
  const fixed = (name: ModelParameter): boolean => two.model.thetas.some((t) => t.parameter === name && t.role === 'typical' && t.fixed);
  if (fixed('Q') && fixed('V2')) return [start];
  const s = start.theta;
  const candidates: StageStart[] = [];
  for (const split of [0.2, 0.4, 0.7]) {
    for (const qRatio of [1, 4, 16]) {
      candidates.push({ theta: { ...s, V: s.V * split, V2: s.V * (1 - split) * 1.5, Q: s.CL * qRatio } });
    }
  }
  return candidates;
}

/** Response observations before the first dose of their subject (all of an undosed subject's). */
function baselineResponses(data: StageData, filter: (s: StudySubject) => boolean): number[] {
  return data.subjects
    .filter((d) => filter(d.subject))
    .flatMap((d) => {
      const firstDose = minOf(d.subject.segments.flatMap((s) => s.doses.map((x) => x.time)));
      return Array.from(d.dv).filter((_, j) => d.times[j] <= firstDose);
    });
}

/** Whether the response rises with drug: the median change of the responses after a subject's first dose from the pre-dose median. */
export function responseRises(subjects: readonly StudySubject[]): boolean {
  const firstDose = (s: StudySubject): number => minOf(s.segments.flatMap((g) => g.doses.map((x) => x.time)));
  const before: number[] = [];
  for (const s of subjects) {
    const t0 = firstDose(s);
    s.pd.times.forEach((t, j) => {
      if (t <= t0) before.push(s.pd.values[j]);
    });
  }
  const base = median(before);
  const changes: number[] = [];
  for (const s of subjects) {
    const t0 = firstDose(s);
    if (!Number.isFinite(t0)) continue;
    s.pd.times.forEach((t, j) => {
      if (t > t0) changes.push(s.pd.values[j] - (Number.isFinite(base) ? base : s.pd.values[0]));
    });
  }
  return !(median(changes) < 0);
}

/** Concentrations the individual PK predicts at the response's integration nodes (indirect) or times. */
function concentrationScale(data: StageData, pkValues: (s: StudySubject) => ParameterValues): number {
  const all: number[] = [];
  for (const d of data.subjects) {
    const v = pkValues(d.subject);
    // The engine's own grid (built here once, then used by the fit).
    for (const seg of d.segments) for (const c of data.engine.drivingConcentrations(seg.plan, v)) if (c > 0) all.push(c);
  }
  const m = upperMedian(all);
  return Number.isFinite(m) ? m : 1;
}

/** 1 / the median time from a first dose to the largest change of the response (NaN when none). */
function responseRate(data: StageData, base: number): number {
  const delays: number[] = [];
  for (const d of data.subjects) {
    let o = 0;
    for (const seg of d.segments) {
      const n = seg.times.length;
      const dv = d.dv.subarray(o, o + n);
      o += n;
      if (seg.doses.length === 0) continue;
      const first = minOf(seg.doses.map((x) => x.time));
      let best = -1;
      let at = Number.NaN;
      seg.times.forEach((t, j) => {
        const change = Math.abs(dv[j] - base);
        if (t > first && change > best) {
          best = change;
          at = t - first;
        }
      });
      if (at > 0) delays.push(at);
    }
  }
  const delay = median(delays);
  return delay > 0 ? 1 / delay : Number.NaN;
}

export interface PdStartData {
  data: StageData;
  pd: PdModelSpec;
  units: StudyUnits;
  pkValues: (s: StudySubject) => ParameterValues;
}

/** Candidate starting values of the PD stage (see the header), to be scored (one: nothing to score). */
export function pdStarts(input: PdStartData): StageStart[] {
  const { data, pd, units } = input;
  const model = data.model;
  const perHour = HOURS_PER[units.time];
  const theta: Record<string, number> = defaults(model, units);
  const has = (name: ModelParameter): boolean => model.parameters.includes(name);
  const fixed = (name: ModelParameter): boolean => model.thetas.some((t) => t.role === 'typical' && t.parameter === name && t.fixed);
  const baseName: ModelParameter = has('BASE') ? 'BASE' : 'E0';
  // Baseline, and factors on it from the medians per level.
  const factors = model.thetas.filter((t) => t.role === 'effect' && t.parameter === baseName && t.effect?.form === 'factor' && !t.fixed);
  const level = (s: StudySubject, column: string): number => s.covariates[column];
  let base: number;
  if (factors.length === 0) base = upperMedian(baselineResponses(data, () => true));
  else {
    const columns = factors.map((f) => f.effect?.column as string);
    const b0 = upperMedian(baselineResponses(data, (s) => columns.every((c) => level(s, c) === 0)));
    const first = factors[0].effect?.column as string;
    const b1 = upperMedian(baselineResponses(data, (s) => level(s, first) === 1 && columns.slice(1).every((c) => level(s, c) === 0)));
    base = Number.isFinite(b0) ? b0 : b1;
    for (const f of factors) {
      const column = f.effect?.column as string;
      const r0 = upperMedian(baselineResponses(data, (s) => level(s, column) === 0));
      const r1 = upperMedian(baselineResponses(data, (s) => level(s, column) === 1));
      const ratio = f === factors[0] && factors.length === 1 ? b1 / b0 : r1 / r0;
      theta[f.name] = Number.isFinite(b0) && Number.isFinite(b1) && ratio > 0 && Number.isFinite(ratio) ? ratio : 1;
    }
  }
  if (!Number.isFinite(base)) base = upperMedian(Array.from(data.subjects.flatMap((d) => Array.from(d.dv))));
  if (!(baseName === 'BASE' ? base > 0 : Number.isFinite(base))) base = baseName === 'BASE' ? 1 : 0;
  theta[baseName] = base;
  // The largest observed change from the baseline, for EMAX/IMAX.
  const all = data.subjects.flatMap((d) => Array.from(d.dv));
  const highest = maxOf(all);
  const lowest = minOf(all);
  const family = pd.family === 'auto' ? 'indirect' : pd.family;
  if (family === 'indirect' && pd.family === 'indirect') {
    const fall = base > 0 ? 1 - lowest / base : 0;
    const rise = base > 0 ? highest / base - 1 : 0;
    if (pd.type === 'inhibit-production') theta.IMAX = Math.min(0.8, Math.max(0.1, 1.25 * fall));
    if (pd.type === 'inhibit-loss') theta.IMAX = Math.min(0.8, Math.max(0.1, 1.25 * (1 - base / highest)));
    if (pd.type === 'stimulate-production') theta.EMAX = Math.max(0.1, 1.5 * rise);
    if (pd.type === 'stimulate-loss') theta.EMAX = Math.max(0.1, 1.5 * (base / Math.max(lowest, 1e-12 * base) - 1));
  } else if (pd.family === 'direct' || pd.family === 'effect-compartment') {
    if (pd.direction === 'increase') theta.EMAX = Math.max(1.25 * (highest - base), 1e-6 * Math.max(Math.abs(base), 1));
    else theta.IMAX = Math.min(0.95, Math.max(0.1, 1.25 * (base !== 0 ? 1 - lowest / base : 0.8)));
  }
  const potency: ModelParameter = has('IC50') ? 'IC50' : 'EC50';
  const rate: ModelParameter | undefined = has('KOUT') ? 'KOUT' : has('KE0') ? 'KE0' : undefined;
  const start: StageStart = { theta };
  if (fixed(potency) && (rate === undefined || fixed(rate))) return [start];
  const scale = concentrationScale(data, input.pkValues);
  const rates = rate === undefined ? [Number.NaN] : (rate === 'KOUT' ? KOUT_H : KE0_H).map((k) => k * perHour);
  if (rate !== undefined) {
    const observed = responseRate(data, base);
    if (outside(observed, rates)) rates.push(observed);
  }
  const candidates: StageStart[] = [];
  for (const k of rate !== undefined && fixed(rate) ? [theta[rate]] : rates) {
    for (const c50 of fixed(potency) ? [theta[potency]] : POTENCY.map((f) => f * scale)) {
      const t = { ...theta, [potency]: c50 };
      if (rate !== undefined) t[rate] = k;
      candidates.push({ theta: t });
    }
  }
  return candidates;
}
