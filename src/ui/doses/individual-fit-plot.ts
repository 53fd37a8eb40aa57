/** One subject's fitted curves — IPRED (solid), PRED (dashed) — with its observations, doses and, for PD, the threshold. */
import * as Plot from '@observablehq/plot';
import { armLabel } from '../../data/explore/arms';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import type { DiagnosticTarget } from '../../pkpd/diagnostics/observation-diagnostics';
import { colorOf } from '../explorer/arm-colors';
import {
  AXIS_CONCENTRATION,
  AXIS_PD,
  AXIS_TIME,
  basePlot,
  formatTime,
  INK,
  MUTED,
  THRESHOLD_COLOR,
  timeTickFormat,
  timeTicks,
} from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { armColors, TARGET_NAMES } from './gof-plots';
import { maxOf } from '../../data/min-max';

export function individualFitPlot(
  curve: IndividualCurve,
  all: readonly IndividualCurve[],
  target: DiagnosticTarget,
  threshold: number | null,
  width: number,
): Element {
  const pair = target === 'pk' ? curve.pk : curve.pd;
  const observed = curve.observed[target];
  const color = colorOf(armColors(all), armLabel(curve.armDose));
  const rows = (values: readonly number[] | undefined): { time: number; value: number }[] =>
    values ? curve.time.map((time, i) => ({ time, value: values[i] })) : [];
  const points = observed.time.map((time, j) => ({ time, dv: observed.dv[j] }));
  const maxTime = Math.max(1, maxOf(curve.time));
  const marks: Plot.Markish[] = [
    Plot.ruleX(curve.doses, {
      x: 'time',
      stroke: MUTED,
      strokeOpacity: 0.35,
      title: (d: { time: number; amount: number }) => `Dose ${formatSignificant(d.amount)} mg at ${formatTime(d.time)} h`,
      ariaDescription: 'doses',
    }),
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
      title: (o: { time: number; dv: number }) => `${formatTime(o.time)} h: observed ${formatSignificant(o.dv)} ng/mL`,
      ariaDescription: 'observations',
    }),
    Plot.ruleY([0]),
  ];
  if (target === 'pd' && threshold !== null)
    marks.push(Plot.ruleY([threshold], { stroke: THRESHOLD_COLOR, strokeDasharray: '6,4', strokeOpacity: 0.8 }));
  return Plot.plot({
    ...basePlot(width, 300),
    ariaLabel: `${TARGET_NAMES[target]} of subject ${curve.id}: individual (IPRED) and population (PRED) predictions with observations`,
    x: { label: AXIS_TIME, ticks: timeTicks(maxTime, width), tickFormat: timeTickFormat, nice: maxTime <= 336 },
    y: { label: target === 'pk' ? AXIS_CONCENTRATION : AXIS_PD, grid: true, nice: true, zero: true },
    marks,
  });
}
