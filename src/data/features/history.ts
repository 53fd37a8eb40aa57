/**
 * Core: features from one subject's dose history and covariates at given times. Knows nothing of
 * Datasets, so the same code serves observed subjects and simulated regimens.
 *
 * Conventions (documented for the UI and tests):
 * - A dose is "counted" at time t when t_j < t ('pre-dose', default) or t_j ≤ t ('dose-counted').
 * - Window W sums the counted doses in a half-open interval of length W ending at t:
 *   t − W ≤ t_j < t ('pre-dose') or t − W < t_j ≤ t ('dose-counted'). Either way a once-daily
 *   regimen has exactly W/24 doses in every window once W h of dosing have passed.
 * - No counted dose yet (placebo, or before the first dose): last dose time 0, last amount 0,
 *   count 0, cumulative 0, TSLD = TIME (time since the start of the record), every decay and
 *   exposure feature 0.
 * - Dose records with a non-finite or non-positive amount are ignored.
 * - An infusion (a dose with a duration D) is counted, in the sums, windows and decays, at its start.
 *   The exposures take it as the zero-order input it is: each exponential e^{−r s} of the unit-dose
 *   shape becomes (1 − e^{−r s})/(rD) while it runs (0 < s < D) and e^{−r s}·(e^{rD} − 1)/(rD) after
 *   it ends — the shape convolved with a box of length D, per unit amount (→ the bolus as D → 0).
 * - A reset (`resets`: a new occasion, the compartments emptied) restarts the history: at a time at
 *   or after a reset only the doses from that reset on count, and every time — TIME, TSLD, dose
 *   times — is measured from the reset, as if the occasion were the start of the record.
 */
import type { FeatureModel, PkShape, ResolvedFeatureSpec } from './spec';
import { modalAmount } from '../modal-amount';

const LN2 = Math.LN2;

/** A dose history: times (h) ascending, with amounts (mg) and, for infusions, durations (0: given at once). */
export interface DoseHistory {
  times: ArrayLike<number>;
  amounts: ArrayLike<number>;
  durations?: ArrayLike<number>;
}

export interface HistoryInputs {
  doses: DoseHistory;
  /**
   * Covariate values by upper-case name: one number for the whole history or one per requested
   * time. Missing names and NaN take the model's training median.
   */
  covariates?: Readonly<Record<string, number | ArrayLike<number>>>;
  /** The DOSE feature (arm dose, mg). Default: the history's most frequent amount, 0 if none. */
  armDose?: number;
  /** Pre-dose PD baseline (ng/mL); undefined/NaN → training median with the missing indicator 1. */
  baselinePd?: number;
  /** Times at which the history restarts (resets, ascending); see the file comment. */
  resets?: ArrayLike<number>;
}

export interface FeatureLayout {
  names: string[];
  descriptions: string[];
}

/** Column names and descriptions for a resolved spec and the rates in use. */
export function featureLayout(spec: ResolvedFeatureSpec, k: number | null, shape: PkShape | null): FeatureLayout {
  const names: string[] = [];
  const descriptions: string[] = [];
  const add = (name: string, description: string): void => {
    names.push(name);
    descriptions.push(description);
  };
  const countedRule = spec.doseTimeConvention === 'pre-dose' ? 'doses before t' : 'doses at or before t';
  const unit = spec.timeUnit ?? 'h';
  const suffix = unit.toUpperCase();
  for (const c of spec.covariates) add(c, `covariate ${c} (missing → training median)`);
  add('DOSE', 'arm dose (mg)');
  add('TIME', `time t (${unit})`);
  add('TSLD', `time since the last of the ${countedRule} (${unit}); TIME when none`);
  add('LAST_DOSE_TIME', `time of the last counted dose (${unit}); 0 when none`);
  add('LAST_DOSE_AMT', 'amount of the last counted dose (mg); 0 when none');
  add('N_DOSES', `number of ${countedRule}`);
  add('CUM_DOSE', `sum of ${countedRule} (mg)`);
  add('TIME2', `TIME² (${unit}²)`);
  add('LN1P_TIME', 'ln(1 + TIME)');
  for (const w of spec.windowsH) add(`DOSE_SUM_${fmt(w)}${suffix}`, `sum of counted doses in the last ${fmt(w)} ${unit} (mg)`);
  for (const h of spec.decayHalfLivesH) add(`DECAY_HL${fmt(h)}${suffix}`, `exp(−ln2·TSLD/${fmt(h)}); 0 when no dose counted`);
  const weight = spec.bodyWeight;
  const exposures: string[] = [];
  if (k !== null) {
    add('EXPO_K', `Σ A_j·exp(−k(t − t_j)) over counted doses, k = ${fmt(k)}/${unit} (mg)`);
    exposures.push('EXPO_K');
    if (weight !== null) add('EXPO_K_PER_KG', `EXPO_K / ${weight} (mg/kg)`);
  }
  if (k !== null && shape !== null) {
    add(
      'EXPO_PK',
      `Σ A_j·g(t − t_j), g the unit-dose PK shape (ka = ${fmt(shape.ka)}/${unit}, α = ${fmt(shape.alpha)}/${unit}, ρ = ${fmt(shape.rho)}, k = ${fmt(k)}/${unit}) (mg)`,
    );
    exposures.push('EXPO_PK');
    if (weight !== null) add('EXPO_PK_PER_KG', `EXPO_PK / ${weight} (mg/kg)`);
  }
  if (spec.logExposure) {
    for (const e of exposures) {
      const base = weight !== null ? `${e}_PER_KG` : e;
      add(`LN_${base}`, `ln(ε + ${base})`);
    }
  }
  if (spec.perKgDoseFeatures && weight !== null) {
    add('DOSE_PER_KG', `DOSE / ${weight}`);
    add('LAST_DOSE_AMT_PER_KG', `LAST_DOSE_AMT / ${weight}`);
    add('CUM_DOSE_PER_KG', `CUM_DOSE / ${weight}`);
    for (const w of spec.windowsH) add(`DOSE_SUM_${fmt(w)}${suffix}_PER_KG`, `DOSE_SUM_${fmt(w)}${suffix} / ${weight}`);
  }
  if (spec.baselinePd) {
    add('BASELINE_PD', 'pre-dose PD of the subject (missing → training median)');
    add('BASELINE_PD_MISSING', '1 when the subject had no pre-dose PD');
  }
  return { names, descriptions };
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** Drops unusable doses and sorts by time (stable) when needed. */
function cleanDoses(doses: DoseHistory): { t: Float64Array; a: Float64Array; d: Float64Array | null } {
  const n = doses.times.length;
  if (doses.amounts.length !== n) throw new Error(`features: ${n} dose times but ${doses.amounts.length} amounts`);
  const durations = doses.durations;
  if (durations !== undefined && durations.length !== n) throw new Error(`features: ${n} dose times but ${durations.length} durations`);
  const keep: number[] = [];
  let sorted = true;
  for (let j = 0; j < n; j++) {
    const a = doses.amounts[j];
    const t = doses.times[j];
    if (!(Number.isFinite(a) && a > 0)) continue;
    if (!Number.isFinite(t)) throw new Error(`features: dose time ${t} is not a number`);
    if (keep.length > 0 && t < doses.times[keep[keep.length - 1]]) sorted = false;
    keep.push(j);
  }
  if (!sorted) keep.sort((x, y) => doses.times[x] - doses.times[y] || x - y);
  const infused = durations !== undefined && keep.some((j) => durations[j] > 0);
  return {
    t: Float64Array.from(keep, (j) => doses.times[j]),
    a: Float64Array.from(keep, (j) => doses.amounts[j]),
    d: infused ? Float64Array.from(keep, (j) => (durations[j] > 0 && Number.isFinite(durations[j]) ? durations[j] : 0)) : null,
  };
}

/** e^{rD} − 1 over rD: what an infusion of duration D weighs, after it ends, against a bolus (1 for D = 0). */
function infusionWeight(rate: number, duration: number): number {
  const x = rate * duration;
  return x > 0 ? Math.expm1(x) / x : 1;
}

/**
 * Σ over the doses j < r still running at t (t_j < t < t_j + D_j) of A_j times the running infusion's
 * e^{−r s} term, (1 − e^{−rate s})/(rate D), less what the running sums gave it, w·e^{−rate s}.
 */
function runningCorrection(t: number, r: number, dt: Float64Array, da: Float64Array, dd: Float64Array, maxD: number, rate: number): number {
  let c = 0;
  for (let j = r - 1; j >= 0 && dt[j] + maxD > t; j--) {
    const D = dd[j];
    const s = t - dt[j];
    if (!(D > 0 && s < D)) continue;
    const x = rate * D;
    c += da[j] * (x > 0 ? -Math.expm1(-rate * s) / x - infusionWeight(rate, D) * Math.exp(-rate * s) : 0);
  }
  return c;
}

/**
 * Writes one feature row per requested time into `out` (row-major, model.names.length columns),
 * starting at row `rowOffset`. Times may come in any order; each dose is visited once per pass
 * over the sorted times (pointers and running sums), so the cost is O(times × columns + doses).
 */
export function writeHistoryFeatures(
  model: FeatureModel,
  inputs: HistoryInputs,
  times: ArrayLike<number>,
  out: Float64Array,
  rowOffset = 0,
): void {
  const nF = model.names.length;
  const nT = times.length;
  if ((rowOffset + nT) * nF > out.length) throw new Error('features: output matrix too small');
  const resets = inputs.resets;
  if (resets === undefined || resets.length === 0) {
    writeSegment(model, inputs, times, out, rowOffset);
    return;
  }
  // Each segment between resets on its own, its times measured from its start (see the file comment).
  const starts = [Number.NEGATIVE_INFINITY, ...Array.from(resets)];
  const { doses } = inputs;
  for (let g = 0; g < starts.length; g++) {
    const from = starts[g];
    const to = g + 1 < starts.length ? starts[g + 1] : Number.POSITIVE_INFINITY;
    const shift = g === 0 ? 0 : from;
    const rows: number[] = [];
    for (let i = 0; i < nT; i++) if (times[i] >= from && times[i] < to) rows.push(i);
    if (rows.length === 0) continue;
    const keep: number[] = [];
    for (let j = 0; j < doses.times.length; j++) if (doses.times[j] >= from && doses.times[j] < to) keep.push(j);
    const covariates: Record<string, number | Float64Array> = {};
    for (const [name, v] of Object.entries(inputs.covariates ?? {})) {
      if (typeof v === 'number') covariates[name] = v;
      else {
        if (v.length !== nT) throw new Error(`features: covariate ${name} has ${v.length} values for ${nT} times`);
        covariates[name] = Float64Array.from(rows, (i) => v[i]);
      }
    }
    const part = new Float64Array(rows.length * nF);
    writeSegment(
      model,
      {
        doses: {
          times: Float64Array.from(keep, (j) => doses.times[j] - shift),
          amounts: Float64Array.from(keep, (j) => doses.amounts[j]),
          ...(doses.durations ? { durations: Float64Array.from(keep, (j) => doses.durations![j]) } : {}),
        },
        covariates,
        armDose: inputs.armDose ?? modalAmount(cleanDoses(doses).a),
        baselinePd: inputs.baselinePd,
      },
      Float64Array.from(rows, (i) => times[i] - shift),
      part,
      0,
    );
    rows.forEach((i, q) => out.set(part.subarray(q * nF, (q + 1) * nF), (rowOffset + i) * nF));
  }
}

/** writeHistoryFeatures of a history without resets. */
function writeSegment(model: FeatureModel, inputs: HistoryInputs, times: ArrayLike<number>, out: Float64Array, rowOffset: number): void {
  const spec = model.spec;
  const nF = model.names.length;
  const nT = times.length;
  const { t: dt, a: da, d: dd } = cleanDoses(inputs.doses);
  const maxD = dd ? Math.max(...dd) : 0;
  const m = dt.length;
  const prefix = new Float64Array(m + 1);
  for (let j = 0; j < m; j++) prefix[j + 1] = prefix[j] + da[j];

  const order = sortedOrder(times);
  const inclusive = spec.doseTimeConvention === 'dose-counted';
  const windows = spec.windowsH;
  const decays = spec.decayHalfLivesH;
  const left = new Int32Array(windows.length);
  const weightName = spec.bodyWeight;
  const armDose = inputs.armDose ?? modalAmount(da);
  const covariateValue = (name: string, i: number): number => {
    const v = inputs.covariates?.[name];
    let x = Number.NaN;
    if (typeof v === 'number') x = v;
    else if (v !== undefined) {
      if (v.length !== nT) throw new Error(`features: covariate ${name} has ${v.length} values for ${nT} times`);
      x = v[i];
    }
    if (Number.isNaN(x)) x = model.covariateMedians[name] ?? Number.NaN;
    return x;
  };
  const baseline = inputs.baselinePd;
  const baselineMissing = baseline === undefined || Number.isNaN(baseline);
  const baselineValue = baselineMissing ? model.baselinePdMedian : baseline;

  const k = model.k;
  const shape = k !== null ? model.shape : null;
  const ka = shape?.ka ?? 0;
  const alpha = shape?.alpha ?? 0;
  const cK = shape !== null && k !== null ? ((1 - shape.rho) * ka) / (ka - k) : 0;
  const cA = shape !== null ? (shape.rho * ka) / (ka - alpha) : 0;
  // Running sums at the last counted dose time τ: Σ A_j e^{−rate(τ − t_j)} for k, α and ka.
  let sK = 0;
  let sA = 0;
  let sKa = 0;
  let r = 0; // doses counted so far (pointer into the sorted history)

  for (let q = 0; q < nT; q++) {
    const i = order[q];
    const t = times[i];
    if (!Number.isFinite(t)) throw new Error(`features: observation time ${t} is not a number`);
    while (r < m && (dt[r] < t || (inclusive && dt[r] === t))) {
      if (k !== null) {
        const gap = r > 0 ? dt[r] - dt[r - 1] : 0;
        // An infusion weighs as after its end; while it runs, runningCorrection puts it right.
        sK = sK * Math.exp(-k * gap) + (dd ? da[r] * infusionWeight(k, dd[r]) : da[r]);
        if (shape !== null) {
          sA = sA * Math.exp(-alpha * gap) + (dd ? da[r] * infusionWeight(alpha, dd[r]) : da[r]);
          sKa = sKa * Math.exp(-ka * gap) + (dd ? da[r] * infusionWeight(ka, dd[r]) : da[r]);
        }
      }
      r++;
    }
    const lastTime = r > 0 ? dt[r - 1] : 0;
    const lastAmt = r > 0 ? da[r - 1] : 0;
    const tsld = t - lastTime;
    const weight = weightName !== null ? covariateValue(weightName, i) : Number.NaN;

    let c = (rowOffset + i) * nF;
    for (const name of spec.covariates) out[c++] = covariateValue(name, i);
    out[c++] = armDose;
    out[c++] = t;
    out[c++] = tsld;
    out[c++] = lastTime;
    out[c++] = lastAmt;
    out[c++] = r;
    out[c++] = prefix[r];
    out[c++] = t * t;
    out[c++] = Math.log1p(t);
    const windowStart = c;
    for (let w = 0; w < windows.length; w++) {
      const from = t - windows[w];
      let l = left[w];
      // Out of the window: t_j < t − W ('pre-dose') or t_j ≤ t − W ('dose-counted').
      while (l < r && (dt[l] < from || (inclusive && dt[l] === from))) l++;
      left[w] = l;
      out[c++] = prefix[r] - prefix[l];
    }
    for (const h of decays) out[c++] = r > 0 ? Math.exp((-LN2 * tsld) / h) : 0;
    let expoK = 0;
    let expoPk = 0;
    if (k !== null) {
      expoK = r > 0 ? sK * Math.exp(-k * tsld) : 0;
      if (dd && r > 0) expoK += runningCorrection(t, r, dt, da, dd, maxD, k);
      out[c++] = expoK;
      if (weightName !== null) out[c++] = expoK / weight;
      if (shape !== null) {
        if (r > 0) {
          let eKa = sKa * Math.exp(-ka * tsld);
          let eA = sA * Math.exp(-alpha * tsld);
          if (dd) {
            eKa += runningCorrection(t, r, dt, da, dd, maxD, ka);
            eA += runningCorrection(t, r, dt, da, dd, maxD, alpha);
          }
          expoPk = Math.max(0, cK * (expoK - eKa) + cA * (eA - eKa)); // ≥ 0 up to rounding
        }
        out[c++] = expoPk;
        if (weightName !== null) out[c++] = expoPk / weight;
      }
    }
    if (spec.logExposure) {
      const scale = weightName !== null ? 1 / weight : 1;
      const eps = model.logExposureFloor;
      if (k !== null) out[c++] = Math.log(eps + expoK * scale);
      if (shape !== null) out[c++] = Math.log(eps + expoPk * scale);
    }
    if (spec.perKgDoseFeatures && weightName !== null) {
      out[c++] = armDose / weight;
      out[c++] = lastAmt / weight;
      out[c++] = prefix[r] / weight;
      for (let w = 0; w < windows.length; w++) out[c++] = out[windowStart + w] / weight;
    }
    if (spec.baselinePd) {
      out[c++] = baselineValue;
      out[c] = baselineMissing ? 1 : 0;
    }
  }
}

function sortedOrder(times: ArrayLike<number>): Int32Array {
  const n = times.length;
  const order = new Int32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && times[i] < times[i - 1]) sorted = false;
  }
  if (!sorted) order.sort((x, y) => times[x] - times[y] || x - y);
  return order;
}

/** Features for one history at the given times, as a fresh [times × features] matrix. */
export function historyFeatures(model: FeatureModel, inputs: HistoryInputs, times: ArrayLike<number>): Float64Array {
  const out = new Float64Array(times.length * model.names.length);
  writeHistoryFeatures(model, inputs, times, out, 0);
  return out;
}

/**
 * writeHistoryFeatures for a subject that shares its dose history and DOSE with another (simulated
 * regimens: every virtual subject at one dose): `shared` holds the other's rows at the same times,
 * and only the columns that depend on the subject — covariates, per-kg and log-exposure columns,
 * baseline PD — are recomputed, with the same arithmetic, so the rows equal writeHistoryFeatures'.
 */
export function writeSubjectHistoryFeatures(
  model: FeatureModel,
  shared: Float64Array,
  inputs: Pick<HistoryInputs, 'covariates' | 'baselinePd'>,
  out: Float64Array,
  rowOffset = 0,
): void {
  const spec = model.spec;
  const nF = model.names.length;
  const nT = shared.length / nF;
  if (!Number.isInteger(nT)) throw new Error(`features: shared rows of ${shared.length} values do not have ${nF} columns`);
  if ((rowOffset + nT) * nF > out.length) throw new Error('features: output matrix too small');
  out.set(shared, rowOffset * nF);
  // Each covariate as one value or one per time; missing and NaN take the training median.
  const covariate = (name: string): number | Float64Array => {
    const v = inputs.covariates?.[name];
    const median = model.covariateMedians[name] ?? Number.NaN;
    if (v === undefined) return median;
    if (typeof v === 'number') return Number.isNaN(v) ? median : v;
    if (v.length !== nT) throw new Error(`features: covariate ${name} has ${v.length} values for ${nT} times`);
    return Float64Array.from(v, (x) => (Number.isNaN(x) ? median : x));
  };
  const valueAt = (v: number | Float64Array, i: number): number => (typeof v === 'number' ? v : v[i]);
  const covariates = spec.covariates.map(covariate);
  const weightName = spec.bodyWeight;
  const bodyWeight = weightName !== null ? covariate(weightName) : Number.NaN;
  // The subject's columns, in featureLayout's order: [from, to] of each per-kg copy, the exposures.
  const nCov = spec.covariates.length;
  const windowStart = nCov + 9;
  const perKg: [number, number][] = [];
  const exposures: number[] = [];
  let c = windowStart + spec.windowsH.length + spec.decayHalfLivesH.length;
  const exposureCount = model.k === null ? 0 : model.shape === null ? 1 : 2;
  for (let e = 0; e < exposureCount; e++) {
    exposures.push(c++);
    if (weightName !== null) perKg.push([c - 1, c++]);
  }
  const logStart = c;
  if (spec.logExposure) c += exposures.length;
  if (spec.perKgDoseFeatures && weightName !== null) {
    perKg.push([nCov, c++], [nCov + 4, c++], [nCov + 6, c++]);
    for (let w = 0; w < spec.windowsH.length; w++) perKg.push([windowStart + w, c++]);
  }
  const baselineColumn = spec.baselinePd ? c : -1;
  if (c + (spec.baselinePd ? 2 : 0) !== nF) throw new Error('features: the columns do not follow featureLayout');
  const eps = model.logExposureFloor;
  const baseline = inputs.baselinePd;
  const baselineMissing = baseline === undefined || Number.isNaN(baseline);
  for (let i = 0; i < nT; i++) {
    const row = (rowOffset + i) * nF;
    for (let j = 0; j < nCov; j++) out[row + j] = valueAt(covariates[j], i);
    const weight = valueAt(bodyWeight, i);
    for (const [from, to] of perKg) out[row + to] = out[row + from] / weight;
    const scale = weightName !== null ? 1 / weight : 1;
    if (spec.logExposure)
      for (let e = 0; e < exposures.length; e++) out[row + logStart + e] = Math.log(eps + out[row + exposures[e]] * scale);
    if (baselineColumn >= 0) {
      out[row + baselineColumn] = baselineMissing ? model.baselinePdMedian : baseline;
      out[row + baselineColumn + 1] = baselineMissing ? 1 : 0;
    }
  }
}
