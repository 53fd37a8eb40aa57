/** Subject viewer: one subject's PK and PD over time with dose times marked. */
import * as Plot from '@observablehq/plot';
import type { TimePoint } from '../../data/explore/individual-series';
import type { DoseEvent, SubjectSeries } from '../../data/explore/subject-series';
import { PD_SUPPRESSION_THRESHOLD } from '../../data/explore/thresholds';
import { maxOf, minOf } from '../../data/min-max';
import {
  AXIS_CONCENTRATION,
  AXIS_PD,
  AXIS_TIME,
  basePlot,
  formatTime,
  MUTED,
  THRESHOLD_COLOR,
  timeTickFormat,
  timeTicks,
} from './plot-theme';
import { formatSignificant } from '../../text/format';

export interface SubjectPlotInput {
  series: SubjectSeries;
  color: string;
  /** Draw the PK panel (the file has PK observations). */
  showPk: boolean;
  /** Draw the PD panel (the file has PD observations). */
  showPd: boolean;
  width: number;
}

const DOSE_COLOR = '#94a3b8';

/** The time axis of a subject's panels: from 0 (or the earliest time) to the last time (at least 1). */
export function timeDomain(series: SubjectSeries): [number, number] {
  const times = [...series.pk, ...series.pd, ...series.doses].map((p) => p.time);
  return [Math.min(0, minOf(times)), Math.max(1, maxOf(times))];
}

/** A block with the PK panel and, when shown, the PD panel beside or below it. */
export function subjectPlot({ series, color, showPk, showPd, width }: SubjectPlotInput): HTMLElement {
  const container = document.createElement('div');
  const sideBySide = showPk && showPd && width >= 760;
  container.className = `subject-plots ${sideBySide ? 'side-by-side' : 'stacked'}`;
  const panelWidth = sideBySide ? Math.floor((width - 16) / 2) : width;
  const domain = timeDomain(series);

  if (showPk) container.append(panel('PK', AXIS_CONCENTRATION, series.pk, series.doses, color, domain, panelWidth, undefined));
  if (showPd) {
    container.append(panel('PD', AXIS_PD, series.pd, series.doses, color, domain, panelWidth, PD_SUPPRESSION_THRESHOLD));
  }
  container.append(doseLegend(series.doses));
  return container;
}

function panel(
  kind: 'PK' | 'PD',
  yLabel: string,
  points: readonly TimePoint[],
  doses: readonly DoseEvent[],
  color: string,
  domain: [number, number],
  width: number,
  threshold: number | undefined,
): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'subject-panel';
  wrap.dataset.series = kind.toLowerCase();
  if (points.length === 0) {
    const note = document.createElement('p');
    note.className = 'inline-note';
    note.textContent = `No ${kind} observations for this subject.`;
    wrap.append(note);
    return wrap;
  }
  const marks: Plot.Markish[] = [
    Plot.ruleX(doses, {
      x: 'time',
      stroke: DOSE_COLOR,
      strokeWidth: 1,
      strokeDasharray: '3,3',
      title: (d: DoseEvent) => `Dose ${formatSignificant(d.amt)} mg at ${formatTime(d.time)} h`,
    }),
    Plot.dot(doses, { x: 'time', frameAnchor: 'bottom', symbol: 'triangle', r: 3, fill: MUTED, dy: -3 }),
  ];
  if (threshold !== undefined) {
    marks.push(Plot.ruleY([threshold], { stroke: THRESHOLD_COLOR, strokeDasharray: '6,4', strokeOpacity: 0.8 }));
  }
  marks.push(
    Plot.line(points, { x: 'time', y: 'dv', stroke: color, strokeWidth: 1.5 }),
    Plot.dot(points, {
      x: 'time',
      y: 'dv',
      fill: color,
      r: 2.5,
      tip: true,
      title: (p: TimePoint) => `${kind} ${formatSignificant(p.dv)} ng/mL at ${formatTime(p.time)} h`,
    }),
    Plot.ruleY([0]),
  );
  wrap.append(
    Plot.plot({
      ...basePlot(width, 240),
      ariaLabel: `${kind} observations over time for one subject, dose times marked`,
      x: { label: AXIS_TIME, domain, ticks: timeTicks(domain[1], width), tickFormat: timeTickFormat },
      y: { label: yLabel, grid: true, nice: true, zero: true },
      marks,
    }),
  );
  return wrap;
}

function doseLegend(doses: readonly DoseEvent[]): HTMLElement {
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
  p.append(swatch, ` Dose times (dashed): ${doses.length} dose${doses.length === 1 ? '' : 's'} of ${amounts} mg.`);
  return p;
}
