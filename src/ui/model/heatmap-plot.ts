/**
 * `<qp-heatmap-plot .cells=${[{ x, y, value }]} x-label y-label value-label>`: a grid of values
 * (e.g. validation RMSE by layers × qubits) where lower is better: a sequential scale from pale
 * yellow (low, good) to dark red (high), each cell labelled with its value, the best one outlined.
 */
import * as Plot from '@observablehq/plot';
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { fileNameOf } from '../../export/file-name';
import '../export/export-menu';
import { PlotFrames } from '../explorer/plot-frames';
import { basePlot, INK } from '../explorer/plot-theme';
import { maxOf, minOf } from '../../data/min-max';

export interface HeatmapCell {
  readonly x: number;
  readonly y: number;
  readonly value: number;
}

export interface HeatmapInput {
  readonly cells: readonly HeatmapCell[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly valueLabel: string;
  readonly width: number;
}

const SCHEME = 'ylorrd';
const CELL_HEIGHT = 52;
const CELL_WIDTH_MAX = 120;

const label = (v: number): string => v.toFixed(3);

export function heatmapPlot({ cells, xLabel, yLabel, valueLabel, width }: HeatmapInput): Element {
  const xs = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b);
  const ys = [...new Set(cells.map((c) => c.y))].sort((a, b) => a - b);
  const values = cells.map((c) => c.value);
  const [lo, hi] = [minOf(values), maxOf(values)];
  const best = cells.reduce((a, b) => (b.value < a.value ? b : a));
  const base = basePlot(width, 0);
  const plotWidth = Math.min(base.width as number, 90 + 24 + xs.length * CELL_WIDTH_MAX);
  return Plot.plot({
    ...base,
    width: plotWidth,
    height: 26 + 44 + ys.length * CELL_HEIGHT,
    marginLeft: 90,
    marginRight: 24,
    ariaLabel: `Heatmap of ${valueLabel} by ${xLabel.toLowerCase()} and ${yLabel.toLowerCase()}; lower is better; best ${label(best.value)} at ${xLabel.toLowerCase()} ${best.x}, ${yLabel.toLowerCase()} ${best.y}`,
    x: { type: 'band', domain: xs, label: xLabel, tickSize: 0 },
    y: { type: 'band', domain: ys, label: yLabel, tickSize: 0 },
    // one distinct value: nothing to compare, so no legend
    color: {
      type: 'linear',
      scheme: SCHEME,
      domain: hi > lo ? [lo, hi] : [lo, lo + 1],
      legend: hi > lo,
      label: `${valueLabel} — lower is better`,
      tickFormat: label,
    },
    marks: [
      Plot.cell(cells, {
        x: 'x',
        y: 'y',
        fill: 'value',
        inset: 1.5,
        title: (c: HeatmapCell) => `${xLabel} ${c.x}, ${yLabel} ${c.y}: ${label(c.value)}`,
      }),
      Plot.cell([best], { x: 'x', y: 'y', fill: 'none', stroke: INK, strokeWidth: 2.5, inset: 1.5, ariaHidden: 'true' }),
      Plot.text(cells, {
        x: 'x',
        y: 'y',
        text: (c: HeatmapCell) => label(c.value),
        // Dark text in a white halo: readable (over 4.5:1) on every shade, where white or dark text alone fails on the middle oranges.
        fill: INK,
        stroke: '#ffffff',
        strokeWidth: 3,
        paintOrder: 'stroke',
        fontSize: 13,
        fontWeight: 600,
      }),
    ],
  });
}

export class HeatmapPlot extends LitElement {
  static override properties = {
    cells: { attribute: false },
    xLabel: { attribute: 'x-label' },
    yLabel: { attribute: 'y-label' },
    valueLabel: { attribute: 'value-label' },
  };

  declare cells: readonly HeatmapCell[];
  declare xLabel: string;
  declare yLabel: string;
  declare valueLabel: string;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.cells = [];
    this.xLabel = 'x';
    this.yLabel = 'y';
    this.valueLabel = 'value';
  }

  static override styles = css`
    :host {
      display: block;
    }
    .plot figure {
      margin: 0;
    }
    .plot svg {
      max-width: 100%;
      height: auto;
    }
  `;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('cells') || changed.has('xLabel') || changed.has('yLabel') || changed.has('valueLabel')) this.frames.clear();
  }

  protected override render(): TemplateResult {
    const cells = this.cells.filter((c) => Number.isFinite(c.value));
    const plot =
      cells.length === 0
        ? null
        : this.frames.plot('heatmap', '', (width) =>
            heatmapPlot({ cells, xLabel: this.xLabel, yLabel: this.yLabel, valueLabel: this.valueLabel, width }),
          );
    return html`<qp-export-menu
        .plot=${plot}
        name=${fileNameOf(`${this.valueLabel} heatmap`)}
        label="the ${this.valueLabel} heatmap"
      ></qp-export-menu>
      <div data-plot="heatmap" class="plot" data-testid="heatmap">${plot ?? nothing}</div>`;
  }
}

if (!customElements.get('qp-heatmap-plot')) customElements.define('qp-heatmap-plot', HeatmapPlot);

declare global {
  interface HTMLElementTagNameMap {
    'qp-heatmap-plot': HeatmapPlot;
  }
}
