/**
 * Goodness-of-fit plots of the mechanistic model: DV against PRED or IPRED with the identity line,
 * and residuals against time or PRED with the zero line and ±1.96 guides; points coloured by arm.
 */
import * as Plot from '@observablehq/plot';
import { armLabel } from '../../data/explore/arms';
import type { DiagnosticTarget, ObservationDiagnostic } from '../../pkpd/diagnostics/observation-diagnostics';
import { type ArmColorScale, armColorScale } from '../explorer/arm-colors';
import { AXIS_TIME, basePlot, formatTime, MUTED, timeTickFormat, timeTicks } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { logTicks } from '../log-ticks';
import { maxOf, minOf } from '../../data/min-max';

export const TARGET_NAMES: Readonly<Record<DiagnosticTarget, string>> = { pk: 'PK concentration', pd: 'PD biomarker' };
export type Residual = 'cwres' | 'iwres';
export const RESIDUAL_NAMES: Readonly<Record<Residual, string>> = { cwres: 'CWRES', iwres: 'IWRES' };

/** Arm colours over the arms of the rows, in dose order (placebo grey), as in the explorer. */
export function armColors(rows: readonly { armDose: number }[]): ArmColorScale {
  const order = (dose: number): number => (Number.isFinite(dose) ? dose : Number.POSITIVE_INFINITY);
  const doses = [...new Set(rows.map((r) => r.armDose))].sort((a, b) => order(a) - order(b));
  return armColorScale(doses.map((dose) => ({ label: armLabel(dose), dose })));
}

function tip(r: ObservationDiagnostic): string {
  return `ID ${r.id} · ${armLabel(r.armDose)} · ${formatTime(r.time)} h\nDV ${formatSignificant(r.dv)} · PRED ${formatSignificant(r.pred)} · IPRED ${formatSignificant(r.ipred)}\nCWRES ${formatSignificant(r.cwres, 2)} · IWRES ${formatSignificant(r.iwres, 2)}`;
}

/** Observed against a prediction (log axes for PK), one domain for both axes. */
export function dvVersusPlot(
  rows: readonly ObservationDiagnostic[],
  prediction: 'pred' | 'ipred',
  target: DiagnosticTarget,
  width: number,
): Element {
  const log = target === 'pk';
  const values = rows.flatMap((r) => [r.dv, r[prediction]]).filter((v) => Number.isFinite(v) && (!log || v > 0));
  const lo = minOf(values);
  const hi = maxOf(values);
  const domain: [number, number] = log ? [lo / 1.15, hi * 1.15] : [Math.min(0, lo), hi * 1.04];
  const name = prediction.toUpperCase();
  const axis = (label: string): Plot.ScaleOptions => ({
    label,
    domain,
    type: log ? 'log' : 'linear',
    grid: true,
    ...(log ? { ticks: logTicks(...domain), tickFormat: '~g' } : {}),
  });
  const data = rows.map((r) => ({ ...r, arm: armLabel(r.armDose) }));
  const size = Math.max(240, Math.round(width));
  return Plot.plot({
    ...basePlot(size, Math.min(size, 380)),
    ariaLabel: `Observed ${TARGET_NAMES[target]} against ${name}${log ? ', log axes' : ''}, ${rows.length} observations`,
    x: axis(`${name} (ng/mL)`),
    y: axis('Observed DV (ng/mL)'),
    color: { ...armColors(rows), legend: true },
    marks: [
      Plot.line(
        domain.map((v) => ({ v })),
        { x: 'v', y: 'v', stroke: MUTED, strokeDasharray: '5,4', ariaDescription: 'identity line' },
      ),
      Plot.dot(data, {
        x: prediction,
        y: 'dv',
        fill: 'arm',
        r: 2.4,
        fillOpacity: 0.75,
        tip: true,
        title: tip,
        ariaDescription: 'observations',
      }),
    ],
  });
}

/** A residual against time or against PRED, with the zero line and ±1.96. */
export function residualPlot(
  rows: readonly ObservationDiagnostic[],
  residual: Residual,
  against: 'time' | 'pred',
  target: DiagnosticTarget,
  width: number,
): Element {
  const data = rows.filter((r) => Number.isFinite(r[residual])).map((r) => ({ ...r, arm: armLabel(r.armDose) }));
  const maxTime = Math.max(1, maxOf(rows.map((r) => r.time)));
  const log = against === 'pred' && target === 'pk';
  const positive = rows.map((r) => r.pred).filter((v) => v > 0);
  const x: Plot.ScaleOptions =
    against === 'time'
      ? { label: AXIS_TIME, ticks: timeTicks(maxTime, width), tickFormat: timeTickFormat, nice: maxTime <= 336 }
      : {
          label: 'PRED (ng/mL)',
          type: log ? 'log' : 'linear',
          ...(log ? { ticks: logTicks(minOf(positive), maxOf(positive)), tickFormat: '~g' } : { nice: true }),
        };
  return Plot.plot({
    ...basePlot(width, 280),
    ariaLabel: `${RESIDUAL_NAMES[residual]} of ${TARGET_NAMES[target]} against ${against === 'time' ? 'time' : 'PRED'}, ${data.length} observations`,
    x,
    y: { label: RESIDUAL_NAMES[residual], grid: true, nice: true },
    color: { ...armColors(rows), legend: true },
    marks: [
      Plot.ruleY([0], { stroke: MUTED }),
      Plot.ruleY([-1.96, 1.96], { stroke: MUTED, strokeDasharray: '4,4', strokeOpacity: 0.7 }),
      Plot.dot(data, {
        x: against,
        y: residual,
        fill: 'arm',
        r: 2.2,
        fillOpacity: 0.7,
        tip: true,
        title: tip,
        ariaDescription: 'residuals',
      }),
    ],
  });
}
