/** `<qp-residual-plot>`: residuals of one target (z-units) over time, with the zero line and binned means. */
import * as Plot from '@observablehq/plot';
import { LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ReportPoint, TargetReport } from '../../model/report/types';
import { PlotFrames } from '../explorer/plot-frames';
import { basePlot, formatTime, MUTED, timeTickFormat } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { predictionsExport } from '../../export/predictions-csv';
import { reportFigure, reportPlotStyles } from './report-figure';
import { reportTimeAxis, targetLabel } from './report-plot-data';
import { maxOf } from '../../data/min-max';

const MEAN_COLOR = '#0b5cad';
/** Time bins of the mean line: enough to follow a trend, few enough to hold several points each. */
const BINS = 16;

export class ResidualPlot extends LitElement {
  static override properties = {
    report: { attribute: false },
  };
  static override styles = reportPlotStyles;

  declare report: TargetReport | null;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.report = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('report')) this.frames.clear();
  }

  protected override render(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report) return nothing;
    const scale = report.logTarget ? 'ln' : '';
    const detail = `Observed − predicted${scale ? ' on the ln scale' : ''}, in SDs of the training ${targetLabel(report)} target; line: mean per time bin`;
    const plot = this.frames.plot('residuals', '', (width) => residualPlot(report, width));
    return reportFigure('residuals', `${targetLabel(report)}: residuals over time`, detail, plot, nothing, predictionsExport([report]));
  }
}

function residualPlot(report: TargetReport, width: number): Element {
  const points = report.points;
  const maxTime = Math.max(1, maxOf(points.map((p) => p.time)));
  const label = targetLabel(report);
  return Plot.plot({
    ...basePlot(width, 280),
    ariaLabel: `${label} residuals in z-units over time, ${points.length} observations, with binned means`,
    x: { ...reportTimeAxis(report.time, maxTime, width), tickFormat: timeTickFormat },
    y: { label: 'Residual (z)', grid: true, nice: true },
    marks: [
      Plot.ruleY([0], { stroke: MUTED }),
      Plot.dot(points, {
        x: 'time',
        y: 'residualZ',
        r: 2.2,
        fill: MUTED,
        fillOpacity: 0.6,
        tip: true,
        title: (p: ReportPoint) =>
          `ID ${p.subject} · ${formatTime(p.time)} ${report.time}\nresidual ${formatSignificant(p.residualZ)} z (${formatSignificant(p.residual)} ${report.unit})`,
        ariaDescription: 'residuals',
      }),
      Plot.lineY(
        points,
        Plot.binX<Plot.LineYOptions>(
          { y: 'mean' },
          { x: 'time', y: 'residualZ', thresholds: BINS, stroke: MEAN_COLOR, strokeWidth: 2, ariaDescription: 'binned mean' },
        ),
      ),
    ],
  });
}

if (!customElements.get('qp-residual-plot')) customElements.define('qp-residual-plot', ResidualPlot);

declare global {
  interface HTMLElementTagNameMap {
    'qp-residual-plot': ResidualPlot;
  }
}
