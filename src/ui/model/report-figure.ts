/** The frame shared by the model result plots: a captioned panel, its controls, and the plot. */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { CsvExport } from '../../export/csv';
import { fileNameOf } from '../../export/file-name';
import '../export/export-menu';
import { explorerStyles } from '../explorer/explorer-styles';
import { controlStyles } from '../shared-styles';

export const reportPlotStyles = [
  controlStyles,
  explorerStyles,
  css`
    figure.panel {
      height: 100%;
      box-sizing: border-box;
    }
    .plot {
      min-height: 12rem;
    }
  `,
];

/**
 * `name` is the PlotFrames frame name; the plot is null until the frame has been measured; `csv`,
 * the table behind the plot, is offered beside the SVG and PNG downloads.
 */
export function reportFigure(
  name: string,
  caption: string,
  detail: string | null,
  plot: Element | null,
  controls: unknown = nothing,
  csv: CsvExport | null = null,
): TemplateResult {
  return html`<figure data-plot=${name} class="panel">
    <qp-export-menu .plot=${plot} name=${fileNameOf(caption)} label=${caption} .csv=${csv}></qp-export-menu>
    <figcaption>${caption}${detail ? html`<span class="detail">${detail}</span>` : nothing}</figcaption>
    ${controls}
    <div class="plot">${plot ?? nothing}</div>
  </figure>`;
}
