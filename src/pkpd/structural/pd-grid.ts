/**
 * Integration grids of the indirect-response families for a dose schedule (doses.ts), built with
 * ../indirect-response `buildPdGrid` — panels break at every output time and at every time the input
 * changes (dose times; oral doses shifted by TLAG; infusion ends), start short after each and grow
 * geometrically to a cap. What is built here does not depend on the PD parameters, nor on the PK ones
 * except TLAG, so a fit builds it once per subject (and per TLAG value): a `IndirectLayout`.
 *
 * A history with steady-state (SS=1) doses is integrated epoch by epoch (doses.ts): epoch 0 from
 * the drug-free baseline R = BASE, each later epoch from the periodic steady state R0 of its SS
 * regimen, for which a separate grid over one dosing interval [0, τ] is built (a `PeriodicPiece`;
 * pd.ts `periodicStart`). The periodic steady state of a regimen uses one such piece, read at the
 * requested times.
 *
 * `subdivisions` splits every panel (refinement; structural-model.ts raises it when KOUT × the
 * longest panel would be too large for the quadrature, see pd.ts).
 */
import { buildPdGrid, type PdGrid, type PdGridOptions } from '../indirect-response';
import { epochOf, inputChangeTimes, steadyStateSchedule, type DoseRun, type DoseSchedule, type RegimenShape } from './doses';
import { planPk, type PkPlan } from './pk';

/** One interval [0, τ] at steady state: its grid and the PK plan at its nodes. */
export interface PeriodicPiece {
  grid: PdGrid;
  /** Plan at the grid's nodes for the steady-state series of `amount` (concentrations are for that amount). */
  nodePlan: PkPlan;
  amount: number;
}

export interface IndirectSegment {
  grid: PdGrid;
  /** Offset of this segment's nodes in the layout's node list. */
  nodeOffset: number;
  /** For each output of the grid, its index among the caller's times. */
  outputIndex: Int32Array;
  /** −1: starts at BASE (no drug before); k ≥ 0: starts at the periodic state of `periodic[k]`. */
  periodic: number;
}

export interface IndirectLayout {
  lag: number;
  subdivisions: number;
  /** Longest panel over all grids (h). */
  longestPanel: number;
  segments: IndirectSegment[];
  /** Plan at all segments' nodes, concatenated. */
  nodePlan: PkPlan;
  periodic: PeriodicPiece[];
}

function gridOptions(options: PdGridOptions, subdivisions: number, start?: number): PdGridOptions {
  const o: PdGridOptions = { ...options, subdivisions: (options.subdivisions ?? 1) * subdivisions };
  if (start !== undefined) o.start = start;
  return o;
}

function longest(grid: PdGrid): number {
  let m = 0;
  for (const h of grid.lengths) m = Math.max(m, h);
  return m;
}

/** The grid over one interval [0, τ] at steady state for a steady-state series; outputs `times` then τ. */
function periodicPiece(
  shape: RegimenShape,
  amount: number,
  times: ArrayLike<number>,
  lag: number,
  options: PdGridOptions,
  subdivisions: number,
): PeriodicPiece {
  const schedule = steadyStateSchedule(shape, amount);
  const tau = shape.interval;
  const kinks: number[] = [];
  inputChangeTimes(schedule.runs[0], lag, 0, tau, kinks);
  const outputs = [...Array.from(times), tau];
  const grid = buildPdGrid(kinks, outputs, gridOptions(options, subdivisions, 0));
  return { grid, nodePlan: planPk(schedule, grid.nodes, lag), amount };
}

function shapeOf(run: DoseRun): RegimenShape {
  return run.route === 'infusion'
    ? { interval: run.interval, route: run.route, duration: run.duration }
    : { interval: run.interval, route: run.route };
}

/** Grids for R at `outputTimes` over a dose history. */
export function historyLayout(
  schedule: DoseSchedule,
  outputTimes: ArrayLike<number>,
  lag: number,
  options: PdGridOptions = {},
  subdivisions = 1,
): IndirectLayout {
  const epochs = schedule.epochStart.length;
  const byEpoch: number[][] = Array.from({ length: epochs }, () => []);
  for (let i = 0; i < outputTimes.length; i++) byEpoch[epochOf(schedule, outputTimes[i])].push(i);
  const segments: IndirectSegment[] = [];
  const periodic: PeriodicPiece[] = [];
  const nodes: number[] = [];
  let longestPanel = 0;
  for (let e = 0; e < epochs; e++) {
    const indices = byEpoch[e];
    if (indices.length === 0) continue;
    const times = indices.map((i) => outputTimes[i]);
    let end = -Infinity;
    for (const t of times) end = Math.max(end, t);
    const from = schedule.epochStart[e];
    const kinks: number[] = [];
    for (const run of schedule.runs) if (run.epoch === e) inputChangeTimes(run, lag, from, end, kinks);
    const grid = buildPdGrid(kinks, times, gridOptions(options, subdivisions, e > 0 ? from : options.start));
    let piece = -1;
    if (e > 0) {
      const ss = schedule.runs.find((run) => run.epoch === e && run.count === Number.POSITIVE_INFINITY) as DoseRun;
      const p = periodicPiece(shapeOf(ss), ss.amount, [], lag, options, subdivisions);
      longestPanel = Math.max(longestPanel, longest(p.grid));
      piece = periodic.length;
      periodic.push(p);
    }
    segments.push({ grid, nodeOffset: nodes.length, outputIndex: Int32Array.from(indices), periodic: piece });
    for (const x of grid.nodes) nodes.push(x);
    longestPanel = Math.max(longestPanel, longest(grid));
  }
  return { lag, subdivisions, longestPanel, segments, nodePlan: planPk(schedule, nodes, lag), periodic };
}

/** The grid for the periodic steady state of a regimen (unit amount) at times since the latest dose. */
export function steadyStateLayout(
  shape: RegimenShape,
  timesSinceDose: ArrayLike<number>,
  lag: number,
  options: PdGridOptions = {},
  subdivisions = 1,
): PeriodicPiece {
  return periodicPiece(shape, 1, timesSinceDose, lag, options, subdivisions);
}
