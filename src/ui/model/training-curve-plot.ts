/**
 * `<qp-training-curve-plot>`: training and validation loss per epoch (log scale), one colour per
 * branch. Set a new `points` array to redraw (once per epoch during training).
 */
import * as Plot from '@observablehq/plot';
import { LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { TrainingCurvePoint } from '../../model/report/types';
import { PlotFrames } from '../explorer/plot-frames';
import { basePlot } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { reportFigure, reportPlotStyles } from './report-figure';
import { logTicks } from '../log-ticks';
import { type LossRow, lossRows } from './report-plot-data';
import { maxOf, minOf } from '../../data/min-max';

/** Up to this many epochs every epoch gets a tick. */
const MAX_EPOCH_TICKS = 12;

export class TrainingCurvePlot extends LitElement {
  static override properties = {
    points: { attribute: false },
  };
  static override styles = reportPlotStyles;

  declare points: readonly TrainingCurvePoint[];

  private readonly frames = new PlotFrames(this);
  /** Bumped when `points` changes: the cache key of the plot. */
  private version = 0;

  constructor() {
    super();
    this.points = [];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('points')) this.version++;
  }

  protected override render(): TemplateResult | typeof nothing {
    const rows = lossRows(this.points);
    if (rows.length === 0) return nothing;
    const plot = this.frames.plot('training-curve', String(this.version), (width) => trainingCurvePlot(rows, width));
    return reportFigure(
      'training-curve',
      'Training curves',
      'Mean squared error (z-units) per epoch; solid: training, dashed: validation',
      plot,
    );
  }
}

function trainingCurvePlot(rows: readonly LossRow[], width: number): Element {
  const line = (set: LossRow['set'], dash: string | undefined): Plot.Markish =>
    Plot.line(
      rows.filter((r) => r.set === set),
      { x: 'epoch', y: 'loss', z: 'branch', stroke: 'branch', strokeWidth: 1.8, strokeDasharray: dash, ariaDescription: `${set} loss` },
    );
  const epochs = maxOf(rows.map((r) => r.epoch));
  const losses = rows.map((r) => r.loss);
  // a little room above and below, so that the extreme losses sit between ticks, not on the frame
  const domain = [minOf(losses) / 1.1, maxOf(losses) * 1.1];
  return Plot.plot({
    ...basePlot(width, 260),
    ariaLabel: `Training and validation loss per epoch over ${epochs} epochs`,
    // whole epochs only: Plot would put ticks at 1.2, 1.4, … on a short run
    x: {
      label: 'Epoch',
      grid: true,
      domain: [1, Math.max(2, epochs)],
      ticks: epochs <= MAX_EPOCH_TICKS ? Array.from({ length: Math.max(2, epochs) }, (_, i) => i + 1) : undefined,
      tickFormat: 'd',
    },
    y: { label: 'Loss (MSE, z)', type: 'log', domain, grid: true, ticks: logTicks(domain[0], domain[1]), tickFormat: '~g' },
    color: { legend: true, tickFormat: (b: string) => b.toUpperCase() },
    marks: [
      line('training', undefined),
      line('validation', '5,4'),
      Plot.dot(rows, {
        x: 'epoch',
        y: 'loss',
        fill: 'branch',
        r: 1.6,
        tip: true,
        title: (r: LossRow) => `${r.branch.toUpperCase()} · epoch ${r.epoch}\n${r.set} loss ${formatSignificant(r.loss, 4)}`,
      }),
    ],
  });
}

if (!customElements.get('qp-training-curve-plot')) customElements.define('qp-training-curve-plot', TrainingCurvePlot);

declare global {
  interface HTMLElementTagNameMap {
    'qp-training-curve-plot': TrainingCurvePlot;
  }
}
