/** Subject viewer: one subject's PK and PD over time with dose times marked. */
import * as Plot from '@observablehq/plot';
import type { EndpointView, ReferenceLevel } from '../../data/explore/explorer-model';
import type { TimePoint } from '../../data/explore/individual-series';
import type { DoseEvent, SubjectSeries } from '../../data/explore/subject-series';
import { maxOf, minOf } from '../../data/min-max';
import { axisLabel, basePlot, formatTime, MUTED, THRESHOLD_COLOR, timeTickFormat, timeTicks } from './plot-theme';
import { formatSignificant } from '../../text/format';

export interface SubjectPlotInput {
  series: SubjectSeries;
  color: string;
  /** The PK panel's endpoint; null: no PK panel (the study or the file has no PK observations). */
  pk: EndpointView | null;
  /** The PD panel's endpoint; null: no PD panel. */
  pd: EndpointView | null;
  timeUnit: string;
  amountUnit: string;
  /** The dose questions' criterion, drawn on the panel of its endpoint. */
  reference: ReferenceLevel | null;
  width: number;
}

interface Panel {
  kind: 'PK' | 'PD';
  endpoint: EndpointView;
  points: readonly TimePoint[];
  /** Reference levels on the y axis. */
  levels: number[];
}

const DOSE_COLOR = '#94a3b8';

/** The time axis of a subject's panels: from 0 (or the earliest time) to the last time (at least 1). */
export function timeDomain(series: SubjectSeries): [number, number] {
  const times = [...series.pk, ...series.pd, ...series.doses].map((p) => p.time);
  return [Math.min(0, minOf(times)), Math.max(1, maxOf(times))];
}

/** A block with the PK panel and, when shown, the PD panel beside or below it. */
export function subjectPlot(input: SubjectPlotInput): HTMLElement {
  const { series, pk, pd, reference, width } = input;
  const container = document.createElement('div');
  const sideBySide = pk !== null && pd !== null && width >= 760;
  container.className = `subject-plots ${sideBySide ? 'side-by-side' : 'stacked'}`;
  const panelWidth = sideBySide ? Math.floor((width - 16) / 2) : width;
  const domain = timeDomain(series);
  const levels = (kind: 'pk' | 'pd'): number[] =>
    reference?.endpoint !== kind ? [] : reference.rule === 'within' ? [...reference.range] : [reference.value];
  if (pk) container.append(panel({ kind: 'PK', endpoint: pk, points: series.pk, levels: levels('pk') }, input, domain, panelWidth));
  if (pd) container.append(panel({ kind: 'PD', endpoint: pd, points: series.pd, levels: levels('pd') }, input, domain, panelWidth));
  container.append(doseLegend(series.doses, input.amountUnit));
  return container;
}

function panel(
  { kind, endpoint, points, levels }: Panel,
  { series, color, timeUnit, amountUnit }: SubjectPlotInput,
  domain: [number, number],
  width: number,
): HTMLElement {
  const doses = series.doses;
  const wrap = document.createElement('div');
  wrap.className = 'subject-panel';
  wrap.dataset.series = kind.toLowerCase();
  if (points.length === 0) {
    const note = document.createElement('p');
    note.className = 'inline-note';
    note.textContent = `No ${endpoint.name} observations for this subject.`;
    wrap.append(note);
    return wrap;
  }
  const marks: Plot.Markish[] = [
    Plot.ruleX(doses, {
      x: 'time',
      stroke: DOSE_COLOR,
      strokeWidth: 1,
      strokeDasharray: '3,3',
      title: (d: DoseEvent) => `Dose ${formatSignificant(d.amt)} ${amountUnit} at ${formatTime(d.time)} ${timeUnit}`,
    }),
    Plot.dot(doses, { x: 'time', frameAnchor: 'bottom', symbol: 'triangle', r: 3, fill: MUTED, dy: -3 }),
  ];
  if (levels.length > 0) marks.push(Plot.ruleY(levels, { stroke: THRESHOLD_COLOR, strokeDasharray: '6,4', strokeOpacity: 0.8 }));
  marks.push(
    Plot.line(points, { x: 'time', y: 'dv', stroke: color, strokeWidth: 1.5 }),
    Plot.dot(points, {
      x: 'time',
      y: 'dv',
      fill: color,
      r: 2.5,
      tip: true,
      title: (p: TimePoint) =>
        `${endpoint.name} ${formatSignificant(p.dv)}${endpoint.unit ? ` ${endpoint.unit}` : ''} at ${formatTime(p.time)} ${timeUnit}`,
    }),
    Plot.ruleY([0]),
  );
  wrap.append(
    Plot.plot({
      ...basePlot(width, 240),
      ariaLabel: `${kind} observations (${endpoint.name}) over time for one subject, dose times marked`,
      x: { label: axisLabel('Time', timeUnit), domain, ticks: timeTicks(domain[1], width, timeUnit), tickFormat: timeTickFormat },
      y: { label: axisLabel(endpoint.name, endpoint.unit), grid: true, nice: true, zero: true },
      marks,
    }),
  );
  return wrap;
}

function doseLegend(doses: readonly DoseEvent[], amountUnit: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'subject-legend';
  if (doses.length === 0) {
    p.textContent = 'No dose records for this subject.';
    return p;
  }
  const amounts = [...new Set(doses.map((d) => formatSignificant(d.amt)))].join(', ');
  const swatch = document.createElement('span');
  swatch.className = 'dose-swatch';
  swatch.setAttribute('aria-hidden', 'true');
  p.append(swatch, ` Dose times (dashed): ${doses.length} dose${doses.length === 1 ? '' : 's'} of ${amounts} ${amountUnit}.`);
  return p;
}
