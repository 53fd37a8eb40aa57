/** The mean PK–PD hysteresis loop of one group, in time order (when the study has both endpoints). */
import * as Plot from '@observablehq/plot';
import type { EndpointView, ReferenceLevel } from '../../data/explore/explorer-model';
import type { HysteresisLoop, HysteresisPoint } from '../../data/explore/hysteresis';
import { maxOf, minOf } from '../../data/min-max';
import { axisLabel, basePlot, formatTime, INK, THRESHOLD_COLOR } from './plot-theme';
import { formatSignificant } from '../../text/format';

export interface HysteresisInput {
  loop: HysteresisLoop;
  pk: EndpointView;
  pd: EndpointView;
  timeUnit: string;
  /** The dose questions' criterion: a dashed line (or two for a range) on the axis of the endpoint it concerns. */
  reference: ReferenceLevel | null;
  color: string;
  width: number;
}

function referenceLines(reference: ReferenceLevel | null): Plot.Markish[] {
  if (!reference) return [];
  const levels = reference.rule === 'within' ? reference.range : [reference.value];
  const style = { stroke: THRESHOLD_COLOR, strokeDasharray: '6,4', strokeOpacity: 0.8 };
  return [reference.endpoint === 'pd' ? Plot.ruleY(levels, style) : Plot.ruleX(levels, style)];
}

export function hysteresisPlot({ loop, pk, pd, timeUnit, reference, color, width }: HysteresisInput): Element {
  const points = loop.points;
  const labelled = pickLabels(points);
  const value = (x: number, endpoint: EndpointView): string => `${formatSignificant(x)}${endpoint.unit ? ` ${endpoint.unit}` : ''}`;
  return Plot.plot({
    ...basePlot(width, 300),
    ariaLabel: `Mean PK–PD hysteresis loop, ${loop.label}`,
    x: { label: `Mean ${axisLabel(pk.name, pk.unit)}`, grid: true, nice: true, zero: true },
    y: { label: `Mean ${axisLabel(pd.name, pd.unit)}`, grid: true, nice: true, zero: true },
    marks: [
      ...referenceLines(reference),
      Plot.line(points, {
        x: 'pk',
        y: 'pd',
        stroke: color,
        strokeWidth: 1.6,
        markerMid: 'arrow',
        markerEnd: 'arrow',
      }),
      Plot.dot(points.slice(0, 1), { x: 'pk', y: 'pd', r: 4.5, fill: '#ffffff', stroke: color, strokeWidth: 2 }),
      Plot.dot(points, {
        x: 'pk',
        y: 'pd',
        r: 2.2,
        fill: color,
        tip: true,
        title: (p: HysteresisPoint) =>
          `${formatTime(p.time)} ${timeUnit}\nmean ${pk.name} ${value(p.pk, pk)} (n = ${p.nPk})\nmean ${pd.name} ${value(p.pd, pd)} (n = ${p.nPd})`,
      }),
      Plot.text(labelled, {
        x: 'pk',
        y: 'pd',
        text: (p: HysteresisPoint) => `${formatTime(p.time)} ${timeUnit}`,
        dx: 6,
        dy: -8,
        textAnchor: 'start',
        fill: INK,
        stroke: '#ffffff',
        strokeWidth: 3,
        paintOrder: 'stroke',
        fontSize: 11,
      }),
    ],
  });
}

/**
 * Time labels that do not crowd each other: first, last, peak PK and lowest PD first, then the
 * others in time order, skipping any within ~11% of the plot diagonal of a label already placed.
 */
export function pickLabels(points: readonly HysteresisPoint[]): HysteresisPoint[] {
  if (points.length === 0) return [];
  const xs = points.map((p) => p.pk);
  const ys = points.map((p) => p.pd);
  const sx = maxOf(xs) - Math.min(0, minOf(xs)) || 1;
  const sy = maxOf(ys) - Math.min(0, minOf(ys)) || 1;
  const maxPk = points.reduce((a, b) => (b.pk > a.pk ? b : a));
  const minPd = points.reduce((a, b) => (b.pd < a.pd ? b : a));
  const priority = [points[0], points[points.length - 1], maxPk, minPd, ...points];
  const chosen: HysteresisPoint[] = [];
  for (const p of priority) {
    if (chosen.includes(p)) continue;
    const crowded = chosen.some((q) => Math.hypot((p.pk - q.pk) / sx, (p.pd - q.pd) / sy) < 0.11);
    if (!crowded) chosen.push(p);
  }
  return chosen;
}
