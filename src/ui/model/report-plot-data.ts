/** Pure shaping of model reports into rows for the result plots (no DOM, no Plot). */
import type { ReportPoint, SubjectCurve, TargetReport, TrainingCurvePoint } from '../../model/report/types';
import { type ArmColorScale, armColorScale } from '../explorer/arm-colors';
import { axisLabel, timeTicks } from '../explorer/plot-theme';
import { maxOf, minOf } from '../../data/min-max';

export const TARGET_LABEL: Readonly<Record<TargetReport['target'], string>> = { pk: 'PK', pd: 'PD' };

/** The endpoint's name in the study ("Theophylline"), else PK or PD. */
export function targetLabel(report: Pick<TargetReport, 'target' | 'name'>): string {
  return report.name || TARGET_LABEL[report.target];
}

/** Arm colours of the report's subjects, arms in dose order (placebo grey), as in the explorer. */
export function reportArmColors(curves: readonly SubjectCurve[]): ArmColorScale {
  const arms = new Map<string, number>();
  for (const c of curves) arms.set(c.arm, c.armDose ?? Number.NaN);
  const ordered = [...arms].map(([label, dose]) => ({ label, dose })).sort((a, b) => doseOrder(a.dose) - doseOrder(b.dose));
  return armColorScale(ordered);
}

const doseOrder = (dose: number): number => (Number.isFinite(dose) ? dose : Number.POSITIVE_INFINITY);

export interface PredObsRow extends ReportPoint {
  arm: string;
  /** ±1.96·SD error bar ends (null without SD); the low end kept above `floor` (log axes). */
  low: number | null;
  high: number | null;
}

/** Points with their arm and error-bar ends; `floor` bounds the low end from below. */
export function predObsRows(report: TargetReport, floor: number): PredObsRow[] {
  const armOf = new Map(report.curves.map((c) => [c.subject, c.arm]));
  return report.points.map((p) => ({
    ...p,
    arm: armOf.get(p.subject) ?? '',
    low: p.sd === null ? null : Math.max(floor, p.predicted - 1.96 * p.sd),
    high: p.sd === null ? null : p.predicted + 1.96 * p.sd,
  }));
}

/**
 * One domain for both axes of a predicted-vs-observed plot, over the observed and predicted
 * values (positive ones only on log axes), padded a little so no dot sits on the frame.
 */
export function sharedDomain(points: readonly ReportPoint[], log: boolean): [number, number] {
  const values = points.flatMap((p) => [p.observed, p.predicted]).filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (values.length === 0) return log ? [0.1, 10] : [0, 1];
  const lo = minOf(values);
  const hi = maxOf(values);
  if (log) return [lo / 1.15, hi * 1.15];
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.04;
  return [Math.min(0, lo - pad), hi + pad];
}

export interface CurveRow {
  time: number;
  predicted: number;
  lower: number | null;
  upper: number | null;
}

export function curveRows(curve: SubjectCurve): CurveRow[] {
  return curve.time.map((time, i) => ({
    time,
    predicted: curve.predicted[i],
    lower: curve.lower?.[i] ?? null,
    upper: curve.upper?.[i] ?? null,
  }));
}

export interface LossRow {
  branch: string;
  epoch: number;
  set: 'training' | 'validation';
  loss: number;
}

/** Long rows of the training and validation losses; losses that a log axis cannot show are left out. */
export function lossRows(points: readonly TrainingCurvePoint[]): LossRow[] {
  const rows: LossRow[] = [];
  for (const p of points) {
    if (p.trainLoss > 0 && Number.isFinite(p.trainLoss))
      rows.push({ branch: p.branch, epoch: p.epoch, set: 'training', loss: p.trainLoss });
    if (p.valLoss !== null && p.valLoss > 0 && Number.isFinite(p.valLoss))
      rows.push({ branch: p.branch, epoch: p.epoch, set: 'validation', loss: p.valLoss });
  }
  return rows;
}

export interface ExpertShareRow {
  branch: string;
  block: string;
  expert: string;
  share: number;
  rows: number;
}

export interface UniformShareRow {
  branch: string;
  block: string;
  share: number;
}

/** Share of the routed rows per expert, per MoE block and branch, and each block's uniform share (1/E). */
export function expertShares(usage: Readonly<Record<string, readonly (readonly number[])[]>>): {
  shares: ExpertShareRow[];
  uniform: UniformShareRow[];
} {
  const shares: ExpertShareRow[] = [];
  const uniform: UniformShareRow[] = [];
  for (const [branch, blocks] of Object.entries(usage)) {
    blocks.forEach((counts, b) => {
      const total = counts.reduce((a, c) => a + c, 0);
      if (!(total > 0)) return;
      const block = `Block ${b + 1}`;
      counts.forEach((rows, e) => shares.push({ branch, block, expert: `E${e + 1}`, share: rows / total, rows }));
      uniform.push({ branch, block, share: 1 / counts.length });
    });
  }
  return { shares, uniform };
}

/** Columns of a small-multiples grid: panels at least `minPanel` px wide, at most `n`. */
export function facetColumns(n: number, width: number, minPanel = 220): number {
  return Math.max(1, Math.min(n, Math.floor(width / minPanel)));
}

/** A time axis of the report's plots. */
export interface TimeAxis {
  readonly label: string;
  readonly ticks: number[] | undefined;
  /** Plot's rounded domain, unless the ticks are given. */
  readonly nice: boolean;
}

/** The time axis in the study's unit: week-aligned ticks (0, 168, 336 h …) for long studies in hours, else Plot's own. */
export function reportTimeAxis(unit: string, maxTime: number, width: number): TimeAxis {
  const ticks = timeTicks(maxTime, width, unit);
  return { label: axisLabel('Time', unit), ticks, nice: ticks === undefined };
}
