/**
 * Goodness-of-fit plots of a population fit: DV against PRED or IPRED with the identity line, and
 * residuals against time or PRED with the zero line and ±1.96 guides; points coloured by the study's
 * groups. Axis labels carry the spec's endpoint names and units (diagnostics-model.ts).
 */
import * as Plot from '@observablehq/plot';
import type { DiagnosticTarget, ObservationDiagnostic } from '../../pkpd/diagnostics/observation-diagnostics';
import type { ArmColorScale } from '../explorer/arm-colors';
import { basePlot, formatTime, MUTED, timeTickFormat, timeTicks } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { logTicks } from '../log-ticks';
import { maxOf, minOf } from '../../data/min-max';
import { type DiagnosticsLabels, isBlq, observedAxisLabel, predictionAxisLabel, rowGroup, timeAxisLabel } from './diagnostics-model';

export type Residual = 'cwres' | 'iwres';
export const RESIDUAL_NAMES: Readonly<Record<Residual, string>> = { cwres: 'CWRES', iwres: 'IWRES' };

function tip(labels: DiagnosticsLabels, target: DiagnosticTarget): (r: ObservationDiagnostic) => string {
  const unit = labels.endpoints[target].unit;
  const time = labels.timeUnit ? ` ${labels.timeUnit}` : '';
  const u = unit ? ` ${unit}` : '';
  return (r) =>
    `ID ${r.id} · ${rowGroup(r)} · ${formatTime(r.time)}${time}\nDV ${formatSignificant(r.dv)}${u} · PRED ${formatSignificant(r.pred)} · IPRED ${formatSignificant(r.ipred)}\nCWRES ${formatSignificant(r.cwres, 2)} · IWRES ${formatSignificant(r.iwres, 2)}`;
}

/** Observed against a prediction (log axes for PK), one domain for both axes. */
export function dvVersusPlot(
  rows: readonly ObservationDiagnostic[],
  prediction: 'pred' | 'ipred',
  target: DiagnosticTarget,
  labels: DiagnosticsLabels,
  colors: ArmColorScale,
  width: number,
): Element {
  const log = target === 'pk';
  const values = rows.flatMap((r) => [r.dv, r[prediction]]).filter((v) => Number.isFinite(v) && (!log || v > 0));
  const lo = minOf(values);
  const hi = maxOf(values);
  const domain: [number, number] = log ? [lo / 1.15, hi * 1.15] : [Math.min(0, lo), hi * 1.04];
  const axis = (label: string): Plot.ScaleOptions => ({
    label,
    domain,
    type: log ? 'log' : 'linear',
    grid: true,
    ...(log ? { ticks: logTicks(...domain), tickFormat: '~g' } : {}),
  });
  const data = rows.filter((r) => !log || (r.dv > 0 && r[prediction] > 0)).map((r) => ({ ...r, group: rowGroup(r) }));
  const measured = data.filter((r) => !isBlq(r));
  const censored = data.filter(isBlq);
  const size = Math.max(240, Math.round(width));
  const blqText = censored.length > 0 ? `, ${censored.length} below the limit of quantification drawn at the limit` : '';
  return Plot.plot({
    ...basePlot(size, Math.min(size, 380)),
    ariaLabel:
      `${target.toUpperCase()}: observed ${labels.endpoints[target].name} against ${prediction.toUpperCase()}${log ? ', log axes' : ''}, ` +
      `${rows.length} observations${blqText}`,
    x: axis(predictionAxisLabel(labels, target, prediction)),
    y: axis(observedAxisLabel(labels, target)),
    color: { ...colors, legend: true },
    marks: [
      Plot.line(
        domain.map((v) => ({ v })),
        { x: 'v', y: 'v', stroke: MUTED, strokeDasharray: '5,4', ariaDescription: 'identity line' },
      ),
      Plot.dot(measured, {
        x: prediction,
        y: 'dv',
        fill: 'group',
        r: 2.4,
        fillOpacity: 0.75,
        tip: true,
        title: tip(labels, target),
        ariaDescription: 'observations',
      }),
      Plot.dot(censored, {
        x: prediction,
        y: 'dv',
        stroke: 'group',
        symbol: 'triangle2',
        r: 3.2,
        strokeWidth: 1.3,
        tip: true,
        title: (r: ObservationDiagnostic) => `Below the limit of quantification (drawn at the limit)\n${tip(labels, target)(r)}`,
        ariaDescription: 'observations below the limit of quantification, at the limit',
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
  labels: DiagnosticsLabels,
  colors: ArmColorScale,
  width: number,
): Element {
  const data = rows.filter((r) => Number.isFinite(r[residual])).map((r) => ({ ...r, group: rowGroup(r) }));
  return standardisedPlot(
    data,
    { y: residual, name: RESIDUAL_NAMES[residual], title: tip(labels, target) },
    against,
    target,
    labels,
    colors,
    width,
  );
}

/** What a standardised value plot draws: the field on y, its name (axis and description) and each point's tip. */
export interface StandardisedValue<T> {
  y: keyof T & string;
  name: string;
  title: (row: T) => string;
}

/**
 * A value that is N(0, 1) under the model (a weighted residual, NPDE) against time or PRED (log axis
 * for PK), with the zero line and ±1.96; points coloured by `group`.
 */
export function standardisedPlot<T extends { time: number; pred: number; group: string }>(
  rows: readonly T[],
  value: StandardisedValue<T>,
  against: 'time' | 'pred',
  target: DiagnosticTarget,
  labels: DiagnosticsLabels,
  colors: ArmColorScale,
  width: number,
): Element {
  const log = against === 'pred' && target === 'pk';
  const data = rows.filter((r) => !log || r.pred > 0);
  const maxTime = Math.max(1, maxOf(rows.map((r) => r.time)));
  const positive = rows.map((r) => r.pred).filter((v) => v > 0);
  const x: Plot.ScaleOptions =
    against === 'time'
      ? {
          label: timeAxisLabel(labels),
          ticks: timeTicks(maxTime, width, labels.timeUnit),
          tickFormat: timeTickFormat,
          nice: maxTime <= 336,
        }
      : {
          label: predictionAxisLabel(labels, target, 'pred'),
          type: log ? 'log' : 'linear',
          ...(log ? { ticks: logTicks(minOf(positive), maxOf(positive)), tickFormat: '~g' } : { nice: true }),
        };
  const what = `${target.toUpperCase()}: ${value.name} of ${labels.endpoints[target].name} against ${against === 'time' ? 'time' : 'PRED'}`;
  return Plot.plot({
    ...basePlot(width, 280),
    ariaLabel: `${what}, ${data.length} observations, reference lines at 0 and ±1.96`,
    x,
    y: { label: value.name, grid: true, nice: true },
    color: { ...colors, legend: true },
    marks: [
      Plot.ruleY([0], { stroke: MUTED }),
      Plot.ruleY([-1.96, 1.96], { stroke: MUTED, strokeDasharray: '4,4', strokeOpacity: 0.7 }),
      Plot.dot(data, {
        x: against,
        y: value.y,
        fill: 'group',
        r: 2.2,
        fillOpacity: 0.7,
        tip: true,
        title: value.title,
        ariaDescription: value.name,
      }),
    ],
  });
}
