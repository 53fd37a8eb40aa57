/** Shared drawing of mean observation–time curves per group (the PK and PD panels). */
import * as Plot from '@observablehq/plot';
import type { IndividualSeries } from '../../data/explore/individual-series';
import type { MeanCurves } from '../../data/explore/mean-curves';
import { maxOf } from '../../data/min-max';
import { logTicksOf } from '../log-ticks';
import { type ArmColorScale, restrictColors } from './arm-colors';
import { axisLabel, basePlot, formatTime, THRESHOLD_COLOR, timeTickFormat, timeTicks } from './plot-theme';
import { formatSignificant } from '../../text/format';

export interface MeanCurvePlotInput {
  curves: MeanCurves;
  /** Individual series drawn thin under the means; omit to hide. */
  individuals?: readonly IndividualSeries[] | null;
  /** Log y: geometric mean × ÷ geometric SD; values ≤ 0 dropped. Linear: mean ± SD. */
  log: boolean;
  yLabel: string;
  unit: string;
  /** The time unit of the data (axis label and tooltips). */
  timeUnit: string;
  colors: ArmColorScale;
  width: number;
  height?: number;
  /** A dashed horizontal reference line, or a shaded band for a range. */
  reference?: ReferenceMark | null;
  ariaLabel: string;
}

/** A level drawn across a plot: a threshold line or a target band. */
export type ReferenceMark = { value: number; label: string } | { range: [number, number]; label: string };

/** The marks of a reference level on the y axis: a dashed line or a shaded band, labelled at the right. */
export function referenceMarks(reference: ReferenceMark): Plot.Markish[] {
  const labelAt = 'value' in reference ? reference.value : reference.range[1];
  const label = Plot.text([labelAt], {
    y: (v: number) => v,
    text: () => reference.label,
    frameAnchor: 'right',
    textAnchor: 'end',
    dx: -4,
    dy: -8,
    fill: THRESHOLD_COLOR,
    stroke: '#ffffff',
    strokeWidth: 3,
    paintOrder: 'stroke',
    fontWeight: 600,
  });
  if ('value' in reference)
    return [Plot.ruleY([reference.value], { stroke: THRESHOLD_COLOR, strokeWidth: 1.5, strokeDasharray: '6,4' }), label];
  const [low, high] = reference.range;
  return [
    Plot.rect([{ low, high }], { y1: 'low', y2: 'high', fill: THRESHOLD_COLOR, fillOpacity: 0.08 }),
    Plot.ruleY([low, high], { stroke: THRESHOLD_COLOR, strokeWidth: 1, strokeDasharray: '6,4' }),
    label,
  ];
}

export interface Row {
  label: string;
  time: number;
  center: number;
  lo: number;
  hi: number;
  n: number;
  sd: number;
}

interface SpaghettiPoint {
  id: string;
  label: string;
  time: number;
  dv: number;
}

/** What a mean-curve plot draws: the mean (or geometric mean) rows, the individual points under them, and the last time. */
export function meanCurveData(
  curves: MeanCurves,
  individuals: readonly IndividualSeries[] | null | undefined,
  log: boolean,
): { rows: Row[]; spaghetti: SpaghettiPoint[]; maxTime: number } {
  const rows: Row[] = curves.curves
    .flatMap((c) =>
      c.points.map((p) => {
        if (log) {
          const spread = Number.isFinite(p.geoSd) ? p.geoSd : 1;
          return {
            label: c.label,
            time: p.time,
            center: p.geoMean,
            lo: p.geoMean / spread,
            hi: p.geoMean * spread,
            n: p.nPositive,
            sd: p.geoSd,
          };
        }
        const sd = Number.isFinite(p.sd) ? p.sd : 0;
        return { label: c.label, time: p.time, center: p.mean, lo: Math.max(0, p.mean - sd), hi: p.mean + sd, n: p.n, sd: p.sd };
      }),
    )
    .filter((r) => Number.isFinite(r.center) && (!log || r.center > 0));

  const spaghetti = (individuals ?? []).flatMap((s) =>
    s.points.filter((p) => !log || p.dv > 0).map((p) => ({ id: s.id, label: s.label, time: p.time, dv: p.dv })),
  );
  const maxTime = Math.max(0, maxOf(rows.map((r) => r.time)), maxOf(spaghetti.map((r) => r.time)));
  return { rows, spaghetti, maxTime };
}

export function meanCurvePlot(input: MeanCurvePlotInput): Element {
  const { curves, individuals, log, yLabel, unit, timeUnit, colors, width, reference } = input;
  const { rows, spaghetti, maxTime } = meanCurveData(curves, individuals, log);
  const labels = curves.curves.map((c) => c.label);
  const statLabel = log ? 'geometric mean' : 'mean';
  const spreadText = (r: Row): string => (log ? `× ÷ ${formatSignificant(r.sd)}` : `± ${formatSignificant(r.sd)}`);

  const marks: Plot.Markish[] = [];
  if (spaghetti.length > 0) {
    marks.push(Plot.line(spaghetti, { x: 'time', y: 'dv', z: 'id', stroke: 'label', strokeWidth: 0.8, strokeOpacity: 0.35 }));
  }
  marks.push(
    Plot.areaY(rows, { x: 'time', y1: 'lo', y2: 'hi', z: 'label', fill: 'label', fillOpacity: spaghetti.length ? 0.06 : 0.1 }),
    Plot.line(rows, { x: 'time', y: 'center', z: 'label', stroke: 'label', strokeWidth: 2 }),
    Plot.dot(rows, {
      x: 'time',
      y: 'center',
      fill: 'label',
      r: 2.5,
      tip: true,
      title: (r: Row) =>
        `${r.label} · ${formatTime(r.time)} ${timeUnit}\n${statLabel} ${formatSignificant(r.center)} ${spreadText(r)}${unit ? ` ${unit}` : ''} (n = ${r.n})`,
    }),
  );
  if (reference && (!log || ('value' in reference ? reference.value > 0 : reference.range[0] > 0)))
    marks.push(...referenceMarks(reference));
  if (!log) marks.push(Plot.ruleY([0]));

  return Plot.plot({
    ...basePlot(width, input.height ?? 300),
    ariaLabel: input.ariaLabel,
    x: {
      label: axisLabel('Time', timeUnit),
      ticks: timeTicks(maxTime, width, timeUnit),
      tickFormat: timeTickFormat,
      nice: timeUnit !== 'h' || maxTime <= 336,
    },
    y: log
      ? {
          label: yLabel,
          type: 'log',
          grid: true,
          ticks: logTicksOf([...rows.map((r) => r.lo), ...rows.map((r) => r.hi), ...spaghetti.map((r) => r.dv)]),
          tickFormat: '~g',
        }
      : { label: yLabel, grid: true, nice: true, zero: true },
    color: { ...restrictColors(colors, labels), legend: true },
    marks,
  });
}
