/** `<qp-pred-vs-obs-plot>`: predicted against observed values of one target, with the identity line. */
import * as Plot from '@observablehq/plot';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { TargetReport } from '../../model/report/types';
import { restrictColors } from '../explorer/arm-colors';
import { PlotFrames } from '../explorer/plot-frames';
import { axisLabel, basePlot, MUTED } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { predictionsExport } from '../../export/predictions-csv';
import { reportFigure, reportPlotStyles } from './report-figure';
import { logTicks } from '../log-ticks';
import { type PredObsRow, predObsRows, reportArmColors, sharedDomain, targetLabel } from './report-plot-data';

type ColourBy = 'arm' | 'subject';
/** Above this many subjects a subject legend would crowd the plot; the tips still name them. */
const MAX_SUBJECT_LEGEND = 12;

export class PredVsObsPlot extends LitElement {
  static override properties = {
    report: { attribute: false },
    colourBy: { state: true },
  };
  static override styles = reportPlotStyles;

  declare report: TargetReport | null;
  declare colourBy: ColourBy;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.report = null;
    this.colourBy = 'arm';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('report')) this.frames.clear();
  }

  protected override render(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report) return nothing;
    const label = targetLabel(report);
    const m = report.metrics;
    const mc = report.mcMetrics;
    // The headline numbers are the metrics table's (dropout off); the plotted MC-dropout means score a little differently.
    const detail = [
      `RMSE ${formatSignificant(m.rmse)} ${report.unit} · R² ${formatSignificant(m.r2, 2)} · n = ${m.n}${mc ? ' (dropout off, as in the metrics table)' : ''}`,
      mc ? `points: mean of the MC-dropout samples, RMSE ${formatSignificant(mc.rmse)} ${report.unit}` : null,
      report.points.some((p) => p.sd !== null) ? 'bars: ±1.96 SD (MC dropout)' : null,
      report.logTarget ? 'log axes' : null,
    ]
      .filter(Boolean)
      .join('; ');
    const plot = this.frames.plot('pred-vs-obs', this.colourBy, (width) => predVsObsPlot(report, this.colourBy, width));
    const controls = html`<div class="controls">
      <label
        >Colour by
        <select @change=${(e: Event) => (this.colourBy = (e.target as HTMLSelectElement).value as ColourBy)}>
          <option value="arm" ?selected=${this.colourBy === 'arm'}>Arm</option>
          <option value="subject" ?selected=${this.colourBy === 'subject'}>Subject</option>
        </select></label
      >
    </div>`;
    return reportFigure('pred-vs-obs', `${label}: predicted vs observed`, detail, plot, controls, predictionsExport([report]));
  }
}

function predVsObsPlot(report: TargetReport, colourBy: ColourBy, width: number): Element {
  const log = report.logTarget;
  const domain = sharedDomain(report.points, log);
  const rows = predObsRows(report, domain[0]);
  const withSd = rows.filter((r) => r.low !== null);
  const label = targetLabel(report);
  const unit = report.unit;
  const subjects = new Set(rows.map((r) => r.subject)).size;
  const colour =
    colourBy === 'arm'
      ? {
          ...restrictColors(
            reportArmColors(report.curves),
            rows.map((r) => r.arm),
          ),
          legend: true,
        }
      : { type: 'categorical' as const, legend: subjects <= MAX_SUBJECT_LEGEND };
  const axis = (name: string): Plot.ScaleOptions => ({
    label: axisLabel(`${name} ${label}`, unit),
    domain,
    type: log ? 'log' : 'linear',
    grid: true,
    ...(log ? { ticks: logTicks(...domain), tickFormat: '~g' } : {}),
  });
  const size = Math.max(240, Math.round(width));
  return Plot.plot({
    ...basePlot(size, Math.min(size, 420)),
    ariaLabel: `Predicted against observed ${label}${log ? ', log axes' : ''}, ${rows.length} observations`,
    x: axis('Observed'),
    y: axis('Predicted'),
    color: colour,
    marks: [
      Plot.line(
        domain.map((v) => ({ v })),
        { x: 'v', y: 'v', stroke: MUTED, strokeDasharray: '5,4', ariaDescription: 'identity line' },
      ),
      Plot.ruleX(withSd, { x: 'observed', y1: 'low', y2: 'high', stroke: colourBy, strokeOpacity: 0.45, ariaDescription: 'error bars' }),
      Plot.dot(rows, {
        x: 'observed',
        y: 'predicted',
        fill: colourBy,
        r: 2.6,
        fillOpacity: 0.85,
        ariaDescription: 'observations',
        tip: true,
        title: (r: PredObsRow) =>
          `ID ${r.subject} · ${r.arm} · ${formatSignificant(r.time)} ${report.time}\nobserved ${formatSignificant(r.observed)} ${unit}\npredicted ${formatSignificant(r.predicted)}${r.sd === null ? '' : ` ± ${formatSignificant(1.96 * r.sd)}`} ${unit}`,
      }),
    ],
  });
}

if (!customElements.get('qp-pred-vs-obs-plot')) customElements.define('qp-pred-vs-obs-plot', PredVsObsPlot);

declare global {
  interface HTMLElementTagNameMap {
    'qp-pred-vs-obs-plot': PredVsObsPlot;
  }
}
