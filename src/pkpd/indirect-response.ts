/**
 * Indirect-response PD with inhibition of production:
 *   dR/dt = k_in (1 − I(C)) − k_out R,  I(C) = Imax C / (IC50 + C),  R(t0) = BASE = k_in / k_out.
 *
 * Integrator (our choice, documented): the ODE is linear in R once C(t) is known, so each panel
 * [a, b] of length h is advanced exactly in R,
 *   R(b) = R(a) e^{−k_out h} + BASE (1 − e^{−k_out h}) − k_in ∫_a^b I(C(s)) e^{−k_out (b − s)} ds,
 * and only the drug term is integrated numerically, by 3-point Gauss–Legendre on each panel
 * (order 6; exact with no drug, so placebo stays exactly at BASE). Panels break at every dose time
 * (where C has a kink) and every output time, start short after each dose (absorption) and grow
 * geometrically to a cap (with a finer graded start after a first dose, where C rises from zero); `subdivisions` splits every panel for convergence checks. Because the
 * grid and the concentrations at its nodes do not depend on the PD parameters, a fit computes them
 * once per subject and each PD evaluation is then a few arithmetic operations per node.
 */
import type { Dose } from './dose-history';
import { PkpdParameterError } from './errors';
import { concentrationAt, type PkParameters } from './pk-model';
import { maxOf, minOf } from '../data/min-max';

export interface IndirectResponseParameters {
  /** Baseline response R(0) = k_in / k_out (ng/mL). */
  base: number;
  /** First-order loss rate (1/h). */
  kout: number;
  /** Maximal fractional inhibition of production, 0 ≤ Imax ≤ 1. */
  imax: number;
  /** Concentration of half-maximal inhibition (ng/mL). */
  ic50: number;
}

export function checkPdParameters(p: IndirectResponseParameters): void {
  if (!(p.base > 0) || !Number.isFinite(p.base)) throw new PkpdParameterError(`PD baseline must be positive, got ${p.base}.`);
  if (!(p.kout > 0) || !Number.isFinite(p.kout)) throw new PkpdParameterError(`k_out must be positive, got ${p.kout}.`);
  if (!(p.imax >= 0 && p.imax <= 1)) throw new PkpdParameterError(`Imax must lie in [0, 1], got ${p.imax}.`);
  if (!(p.ic50 > 0) || !Number.isFinite(p.ic50)) throw new PkpdParameterError(`IC50 must be positive, got ${p.ic50}.`);
}

export function inhibition(c: number, imax: number, ic50: number): number {
  return c > 0 ? (imax * c) / (ic50 + c) : 0;
}

export interface PdGridOptions {
  /** First panel after each dose (time unit of the data; default 0.25, set for hours). */
  firstPanel?: number;
  /** Growth factor of panel lengths after a dose. */
  growth?: number;
  /** Longest panel (time unit of the data; default 24). */
  maxPanel?: number;
  /** Split every panel into this many equal parts (refinement). */
  subdivisions?: number;
  /**
   * Extra panels of firstPanel/16 … firstPanel/2 after a dose that follows no dose for at least
   * 2·maxPanel (e.g. the first): C rises from zero there and I(C) can saturate within minutes.
   */
  graded?: boolean;
  /** Start of integration (default: the earliest of 0, the first dose and the first output). */
  start?: number;
}

export interface PdGrid {
  start: number;
  panelCount: number;
  /** Index into `lengths` for each panel. */
  lengthIndex: Int32Array;
  /** Distinct panel lengths. */
  lengths: Float64Array;
  /** Three Gauss–Legendre nodes per panel, in time order. */
  nodes: Float64Array;
  outputTimes: Float64Array;
  /** Panel after which each output is read; −1 for an output at the start. */
  outputPanel: Int32Array;
}

const GL_X = [-Math.sqrt(3 / 5), 0, Math.sqrt(3 / 5)];
const GL_W = [5 / 9, 8 / 9, 5 / 9];

/** Panel boundaries (offsets from a dose) before the cap is reached, then steps of maxPanel. */
function doseOffsets(firstPanel: number, growth: number, maxPanel: number, span: number): number[] {
  const offsets: number[] = [];
  let o = firstPanel;
  let step: number;
  while (o < span) {
    offsets.push(o);
    step = Math.min(maxPanel, Math.max(firstPanel, o * (growth - 1)));
    o += step;
  }
  return offsets;
}

export function buildPdGrid(doseTimes: ArrayLike<number>, outputTimes: ArrayLike<number>, options: PdGridOptions = {}): PdGrid {
  const firstPanel = options.firstPanel ?? 0.25;
  const growth = options.growth ?? 2;
  const maxPanel = options.maxPanel ?? 24;
  const subdivisions = Math.max(1, Math.round(options.subdivisions ?? 1));
  const graded = options.graded ?? true;
  const doses = Array.from(doseTimes).sort((a, b) => a - b);
  const outs = Array.from(outputTimes);
  const start = options.start ?? Math.min(0, doses[0] ?? 0, minOf(outs));
  const end = Math.max(start, maxOf(outs));
  const points: number[] = [start, end];
  for (const t of outs) points.push(t);
  for (let d = 0; d < doses.length; d++) {
    const td = doses[d];
    if (td < start || td > end) continue;
    points.push(td);
    if (graded && (d === 0 || td - doses[d - 1] >= 2 * maxPanel)) {
      for (let f = 16; f >= 2; f /= 2) points.push(td + firstPanel / f);
    }
    const next = d + 1 < doses.length ? Math.min(doses[d + 1], end) : end;
    for (const o of doseOffsets(firstPanel, growth, maxPanel, next - td)) points.push(td + o);
  }
  points.sort((a, b) => a - b);
  const merged: number[] = [];
  for (const p of points) {
    if (p < start || p > end) continue;
    const last = merged[merged.length - 1];
    if (last === undefined || p - last > 1e-9 * Math.max(1, Math.abs(p))) merged.push(p);
  }
  // Long gaps (e.g. before the first dose) are split to maxPanel too, for uniform accuracy.
  const boundaries: number[] = [merged[0]];
  for (let i = 1; i < merged.length; i++) {
    const a = boundaries[boundaries.length - 1];
    const b = merged[i];
    const pieces = Math.max(1, Math.ceil((b - a) / maxPanel - 1e-9)) * subdivisions;
    for (let k = 1; k < pieces; k++) boundaries.push(a + ((b - a) * k) / pieces);
    boundaries.push(b);
  }
  const panelCount = boundaries.length - 1;
  const lengthIndex = new Int32Array(panelCount);
  const nodes = new Float64Array(3 * panelCount);
  const lengthKeys = new Map<string, number>();
  const lengths: number[] = [];
  for (let p = 0; p < panelCount; p++) {
    const a = boundaries[p];
    const h = boundaries[p + 1] - a;
    const key = h.toPrecision(10);
    let idx = lengthKeys.get(key);
    if (idx === undefined) {
      idx = lengths.length;
      lengths.push(h);
      lengthKeys.set(key, idx);
    }
    lengthIndex[p] = idx;
    for (let q = 0; q < 3; q++) nodes[3 * p + q] = a + (h * (1 + GL_X[q])) / 2;
  }
  const outputPanel = new Int32Array(outs.length);
  for (let k = 0; k < outs.length; k++) {
    const t = outs[k];
    let lo = 0;
    let hi = boundaries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (boundaries[mid] < t - 1e-9 * Math.max(1, Math.abs(t))) lo = mid + 1;
      else hi = mid;
    }
    outputPanel[k] = lo - 1;
  }
  return { start, panelCount, lengthIndex, lengths: Float64Array.from(lengths), nodes, outputTimes: Float64Array.from(outs), outputPanel };
}

/** Scratch for repeated integration on grids (avoids allocation in fitting loops). */
export interface PdWorkspace {
  decay: Float64Array;
  weights: Float64Array;
  response: Float64Array;
}

export function createPdWorkspace(grid: PdGrid): PdWorkspace {
  return {
    decay: new Float64Array(grid.lengths.length),
    weights: new Float64Array(3 * grid.lengths.length),
    response: new Float64Array(grid.panelCount),
  };
}

/**
 * R at the grid's output times, given C at the grid's nodes. `initial` is R at the grid's start
 * (default BASE, i.e. pre-dose steady state). Parameters are not validated here (hot loop).
 */
export function integrateIndirectResponse(
  p: IndirectResponseParameters,
  grid: PdGrid,
  concentrationAtNodes: ArrayLike<number>,
  out?: Float64Array,
  initial?: number,
  workspace?: PdWorkspace,
): Float64Array {
  const ws = workspace ?? createPdWorkspace(grid);
  const { kout, imax, ic50, base } = p;
  const kin = base * kout;
  const nl = grid.lengths.length;
  for (let l = 0; l < nl; l++) {
    const h = grid.lengths[l];
    ws.decay[l] = Math.exp(-kout * h);
    for (let q = 0; q < 3; q++) ws.weights[3 * l + q] = (h / 2) * GL_W[q] * Math.exp((-kout * h * (1 - GL_X[q])) / 2);
  }
  const c = concentrationAtNodes;
  let r = initial ?? base;
  const resp = ws.response;
  for (let panel = 0; panel < grid.panelCount; panel++) {
    const l = grid.lengthIndex[panel];
    const n0 = 3 * panel;
    const w = 3 * l;
    const c0 = c[n0];
    const c1 = c[n0 + 1];
    const c2 = c[n0 + 2];
    let drug = 0;
    if (c0 > 0) drug += (ws.weights[w] * c0) / (ic50 + c0);
    if (c1 > 0) drug += (ws.weights[w + 1] * c1) / (ic50 + c1);
    if (c2 > 0) drug += (ws.weights[w + 2] * c2) / (ic50 + c2);
    const d = ws.decay[l];
    r = r * d + base * (1 - d) - kin * imax * drug;
    resp[panel] = r;
  }
  const start = initial ?? base;
  const result = out ?? new Float64Array(grid.outputTimes.length);
  for (let k = 0; k < grid.outputTimes.length; k++) {
    const panel = grid.outputPanel[k];
    result[k] = panel < 0 ? start : resp[panel];
  }
  return result;
}

/** R (ng/mL) at `outputTimes` for a subject with PK parameters `pk` and dose history `doses`. */
export function simulateIndirectResponse(
  pd: IndirectResponseParameters,
  pk: PkParameters,
  doses: readonly Dose[],
  outputTimes: ArrayLike<number>,
  options: PdGridOptions = {},
): Float64Array {
  checkPdParameters(pd);
  const grid = buildPdGrid(
    doses.map((d) => d.time),
    outputTimes,
    options,
  );
  const conc = concentrationAt(pk, doses, grid.nodes);
  return integrateIndirectResponse(pd, grid, conc);
}
