/** `<qp-expert-usage-plot>`: the share of rows routed to each expert, per MoE block and branch. */
import * as Plot from '@observablehq/plot';
import { html, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { PlotFrames } from '../explorer/plot-frames';
import { basePlot, THRESHOLD_COLOR } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { reportFigure, reportPlotStyles } from './report-figure';
import { type ExpertShareRow, expertShares } from './report-plot-data';
import { maxOf } from '../../data/min-max';

export class ExpertUsagePlot extends LitElement {
  static override properties = {
    usage: { attribute: false },
  };
  static override styles = reportPlotStyles;

  /** Branch → MoE block → rows routed to each expert. */
  declare usage: Readonly<Record<string, readonly (readonly number[])[]>>;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.usage = {};
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('usage')) this.frames.clear();
  }

  protected override render(): TemplateResult {
    const { shares, uniform } = expertShares(this.usage);
    if (shares.length === 0) {
      return html`<div class="note-panel" data-note="no-moe" role="note">
        <h3>Expert usage</h3>
        <p>This model has no mixture-of-experts blocks, so there is no expert routing to show.</p>
      </div>`;
    }
    const plot = this.frames.plot('expert-usage', '', (width) => expertUsagePlot(shares, uniform, width));
    return reportFigure('expert-usage', 'Expert usage', 'Share of rows routed to each expert per MoE block; red line: an even share', plot);
  }
}

function expertUsagePlot(shares: readonly ExpertShareRow[], uniform: ReturnType<typeof expertShares>['uniform'], width: number): Element {
  const branches = new Set(shares.map((r) => r.branch)).size;
  const blocks = new Set(shares.map((r) => r.block)).size;
  return Plot.plot({
    ...basePlot(width, 60 + branches * 170),
    ariaLabel: `Share of rows per expert in ${blocks} MoE block${blocks === 1 ? '' : 's'} of ${branches} branch${branches === 1 ? '' : 'es'}`,
    x: { label: 'Expert' },
    y: {
      label: 'Share of rows',
      domain: [0, Math.max(maxOf(shares.map((r) => r.share)), maxOf(uniform.map((u) => u.share))) * 1.1],
      grid: true,
      tickFormat: '.0%',
    },
    fx: { label: null },
    fy: { label: null, tickFormat: (b: string) => b.toUpperCase() },
    color: { legend: branches > 1, tickFormat: (b: string) => b.toUpperCase() },
    marks: [
      Plot.barY(shares, {
        x: 'expert',
        y: 'share',
        fx: 'block',
        fy: 'branch',
        fill: 'branch',
        tip: true,
        title: (r: ExpertShareRow) =>
          `${r.branch.toUpperCase()} · ${r.block} · ${r.expert}\n${formatSignificant(r.share * 100)} % of rows (${formatSignificant(r.rows)})`,
        ariaDescription: 'expert shares',
      }),
      Plot.ruleY(uniform, {
        y: 'share',
        fx: 'block',
        fy: 'branch',
        stroke: THRESHOLD_COLOR,
        strokeDasharray: '5,3',
        ariaDescription: 'even share',
      }),
      Plot.ruleY([0]),
    ],
  });
}

if (!customElements.get('qp-expert-usage-plot')) customElements.define('qp-expert-usage-plot', ExpertUsagePlot);

declare global {
  interface HTMLElementTagNameMap {
    'qp-expert-usage-plot': ExpertUsagePlot;
  }
}
