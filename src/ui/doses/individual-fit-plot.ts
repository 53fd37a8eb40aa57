/**
 * One subject's fitted curves — IPRED (solid), PRED (dashed) — with its observations, its doses
 * (oral doses and boluses as lines, infusions as bars from start to end along the time axis) and the
 * dose questions' criterion when it concerns this endpoint. Labels from the study spec
 * (diagnostics-model.ts).
 */
import * as Plot from '@observablehq/plot';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import type { DiagnosticTarget } from '../../pkpd/diagnostics/observation-diagnostics';
import { maxOf } from '../../data/min-max';
import { formatSignificant } from '../../text/format';
import { referenceFor } from '../explorer/endpoint-time-plot';
import { referenceMarks } from '../explorer/mean-curve-plot';
import { basePlot, formatTime, INK, MUTED, timeTickFormat, timeTicks } from '../explorer/plot-theme';
import { type DiagnosticsLabels, doseMarks, timeAxisLabel, valueAxisLabel } from './diagnostics-model';

export function individualFitPlot(
  curve: IndividualCurve,
  target: DiagnosticTarget,
  labels: DiagnosticsLabels,
  color: string,
  width: number,
): Element {
  const pair = curve[target];
  const observed = curve.observed[target];
  const rows = (values: readonly number[] | undefined): { time: number; value: number }[] =>
    values ? curve.time.map((time, i) => ({ time, value: values[i] })) : [];
  const points = observed.time.map((time, j) => ({ time, dv: observed.dv[j] }));
  const maxTime = Math.max(1, maxOf(curve.time));
  const doses = doseMarks(curve, labels);
  const unit = labels.endpoints[target].unit;
  const top = Math.max(0, ...(pair ? [...pair.ipred, ...pair.pred].filter(Number.isFinite) : []), ...observed.dv.filter(Number.isFinite));
  const barHeight = (top || 1) * 0.04;
  const timeUnit = labels.timeUnit ? ` ${labels.timeUnit}` : '';
  const marks: Plot.Markish[] = [
    Plot.ruleX(
      doses.filter((d) => !d.infusion),
      { x: 'start', stroke: MUTED, strokeOpacity: 0.35, title: 'text', ariaDescription: 'doses' },
    ),
    Plot.rect(
      doses.filter((d) => d.infusion),
      {
        x1: 'start',
        x2: 'end',
        y1: 0,
        y2: barHeight,
        fill: MUTED,
        fillOpacity: 0.45,
        // At least a few pixels wide: a 10-minute infusion on a two-week axis stays visible.
        insetLeft: -1.5,
        insetRight: -1.5,
        title: 'text',
        ariaDescription: 'infusions',
      },
    ),
    Plot.line(rows(pair?.pred), {
      x: 'time',
      y: 'value',
      stroke: MUTED,
      strokeDasharray: '5,4',
      strokeWidth: 1.5,
      ariaDescription: 'PRED',
    }),
    Plot.line(rows(pair?.ipred), { x: 'time', y: 'value', stroke: color, strokeWidth: 1.8, ariaDescription: 'IPRED' }),
    Plot.dot(points, {
      x: 'time',
      y: 'dv',
      fill: INK,
      r: 2.6,
      tip: true,
      title: (o: { time: number; dv: number }) =>
        `${formatTime(o.time)}${timeUnit}: observed ${formatSignificant(o.dv)}${unit ? ` ${unit}` : ''}`,
      ariaDescription: 'observations',
    }),
    Plot.ruleY([0]),
  ];
  const reference = referenceFor(labels.reference, target);
  if (reference) marks.push(...referenceMarks(reference));
  return Plot.plot({
    ...basePlot(width, 300),
    ariaLabel: `${target.toUpperCase()}: ${labels.endpoints[target].name} of subject ${curve.id}: individual (IPRED) and population (PRED) predictions with observations and ${doses.length} doses`,
    x: {
      label: timeAxisLabel(labels),
      ticks: timeTicks(maxTime, width, labels.timeUnit),
      tickFormat: timeTickFormat,
      nice: maxTime <= 336,
    },
    y: { label: valueAxisLabel(labels, target), grid: true, nice: true, zero: true },
    marks,
  });
}
