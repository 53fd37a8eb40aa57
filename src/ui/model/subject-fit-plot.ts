/**
 * `<qp-subject-fit-plot>`: one subject's (or every subject's) predicted curve of one target with its
 * MC-dropout band, the observations, the dose times and, for PD, the threshold.
 */
import * as Plot from '@observablehq/plot';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { SubjectCurve, TargetReport } from '../../model/report/types';
import { colorOf } from '../explorer/arm-colors';
import { PlotFrames } from '../explorer/plot-frames';
import { axisLabel, basePlot, formatTime, INK, MUTED, THRESHOLD_COLOR, timeTickFormat } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { reportFigure, reportPlotStyles } from './report-figure';
import { curveRows, facetColumns, reportArmColors, reportTimeAxis, targetLabel } from './report-plot-data';
import { maxOf } from '../../data/min-max';

/** Value of the chooser that shows every subject as small multiples. */
export const ALL_SUBJECTS = '*all*';
const DOSE_COLOR = '#94a3b8';

/** Grid position of a subject's panel in the small-multiples view (absent: the single view). */
interface Facet {
  fx?: number;
  fy?: number;
}

export class SubjectFitPlot extends LitElement {
  static override properties = {
    report: { attribute: false },
    levels: { attribute: false },
    levelLabel: { attribute: false },
    selected: { state: true },
  };
  static override styles = reportPlotStyles;

  declare report: TargetReport | null;
  /** Levels of the study's criterion on this endpoint (its threshold, or both ends of its range); null: none. */
  declare levels: readonly number[] | null;
  /** The criterion in words ("PD below 3.3 ng/mL"). */
  declare levelLabel: string;
  /** Subject ID shown, or ALL_SUBJECTS. */
  declare selected: string;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.report = null;
    this.levels = null;
    this.levelLabel = '';
    this.selected = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('report') || changed.has('levels')) this.frames.clear();
    const curves = this.report?.curves ?? [];
    if (this.selected !== ALL_SUBJECTS && !curves.some((c) => c.subject === this.selected)) this.selected = curves[0]?.subject ?? '';
  }

  protected override render(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report || report.curves.length === 0) return nothing;
    const label = targetLabel(report);
    const levels = this.levels;
    const shown = this.selected === ALL_SUBJECTS ? report.curves : report.curves.filter((c) => c.subject === this.selected);
    const plot = this.frames.plot('subject-fit', this.selected, (width) => subjectFitPlot(report, shown, levels, width));
    const band = report.curves[0].lower !== null;
    const detail = [
      band ? 'line: MC-dropout mean, band: 95 % interval' : 'line: prediction',
      'dots: observations',
      'dashed: doses',
      levels !== null && levels.length > 0 ? `red: ${this.levelLabel || levels.map((l) => formatSignificant(l)).join(', ')}` : null,
    ]
      .filter(Boolean)
      .join('; ');
    const controls = html`<div class="controls">
      <label
        >Subject
        <select @change=${(e: Event) => (this.selected = (e.target as HTMLSelectElement).value)}>
          ${report.curves.map((c) => html`<option value=${c.subject} ?selected=${c.subject === this.selected}>ID ${c.subject} · ${c.arm}</option>`)}
          <option value=${ALL_SUBJECTS} ?selected=${this.selected === ALL_SUBJECTS}>All subjects (grid)</option>
        </select></label
      >
    </div>`;
    return reportFigure('subject-fit', `${label}: predicted and observed over time`, detail, plot, controls);
  }
}

function subjectFitPlot(report: TargetReport, curves: readonly SubjectCurve[], levels: readonly number[] | null, width: number): Element {
  const colors = reportArmColors(report.curves);
  const grid = curves.length > 1;
  const columns = grid ? facetColumns(curves.length, width) : 1;
  const facetOf = (i: number): Facet => (grid ? { fx: i % columns, fy: Math.floor(i / columns) } : {});
  const lines = curves.flatMap((c, i) => curveRows(c).map((r) => ({ ...r, ...facetOf(i), color: colorOf(colors, c.arm) })));
  const observed = curves.flatMap((c, i) =>
    c.observedTime.map((time, j) => ({ time, dv: c.observed[j], subject: c.subject, ...facetOf(i) })),
  );
  const doses = curves.flatMap((c, i) => c.doses.map((d) => ({ ...d, ...facetOf(i) })));
  const titles = curves.map((c, i) => ({ text: `ID ${c.subject} · ${c.arm}`, ...facetOf(i) }));
  const maxTime = Math.max(1, maxOf(lines.map((r) => r.time)));
  const unit = report.unit;
  const label = targetLabel(report);
  const facetChannels = grid ? { fx: 'fx', fy: 'fy' } : {};

  const marks: Plot.Markish[] = [
    Plot.ruleX(doses, {
      x: 'time',
      ...facetChannels,
      stroke: DOSE_COLOR,
      strokeDasharray: '3,3',
      title: (d: { time: number; amount: number }) =>
        `Dose ${formatSignificant(d.amount)} ${report.amount} at ${formatTime(d.time)} ${report.time}`,
    }),
    Plot.dot(doses, { x: 'time', ...facetChannels, frameAnchor: 'bottom', symbol: 'triangle', r: 3, fill: MUTED, dy: -3 }),
  ];
  if (levels !== null && levels.length > 0)
    marks.push(Plot.ruleY([...levels], { stroke: THRESHOLD_COLOR, strokeDasharray: '6,4', strokeOpacity: 0.8 }));
  if (lines.some((r) => r.lower !== null)) {
    marks.push(
      Plot.areaY(lines, {
        x: 'time',
        y1: 'lower',
        y2: 'upper',
        ...facetChannels,
        fill: 'color',
        fillOpacity: 0.2,
        ariaDescription: 'MC-dropout band',
      }),
    );
  }
  marks.push(
    Plot.line(lines, { x: 'time', y: 'predicted', ...facetChannels, stroke: 'color', strokeWidth: 1.8, ariaDescription: 'prediction' }),
    Plot.dot(observed, {
      x: 'time',
      y: 'dv',
      ...facetChannels,
      fill: INK,
      r: grid ? 1.8 : 2.6,
      tip: true,
      title: (o: { time: number; dv: number; subject: string }) =>
        `ID ${o.subject} · ${formatTime(o.time)} ${report.time}\nobserved ${label} ${formatSignificant(o.dv)} ${unit}`,
      ariaDescription: 'observations',
    }),
    Plot.ruleY([0]),
  );
  if (grid)
    marks.push(
      Plot.text(titles, {
        ...facetChannels,
        text: 'text',
        frameAnchor: 'top-left',
        dx: 4,
        dy: 4,
        fill: INK,
        stroke: '#ffffff',
        strokeWidth: 3,
        paintOrder: 'stroke',
        fontSize: 11,
      }),
    );

  const panelWidth = width / columns;
  const rowsOfPanels = Math.ceil(curves.length / columns);
  return Plot.plot({
    ...basePlot(width, grid ? 40 + rowsOfPanels * 150 : 300),
    ariaLabel: grid
      ? `Predicted and observed ${label} over time for ${curves.length} subjects`
      : `Predicted and observed ${label} over time for subject ${curves[0]?.subject}`,
    x: { ...reportTimeAxis(report.time, maxTime, panelWidth), tickFormat: timeTickFormat },
    y: { label: axisLabel(label, unit), grid: true, nice: true, zero: true },
    color: { type: 'identity' },
    ...(grid ? { fx: { axis: null }, fy: { axis: null } } : {}),
    marks,
  });
}

if (!customElements.get('qp-subject-fit-plot')) customElements.define('qp-subject-fit-plot', SubjectFitPlot);

declare global {
  interface HTMLElementTagNameMap {
    'qp-subject-fit-plot': SubjectFitPlot;
  }
}
