/**
 * `<qp-mechanistic-diagnostics .diagnostics=${MechanisticDiagnostics} .threshold=${number}>`: the
 * usual diagnostics of the mechanistic fit for PK or PD — DV against PRED and IPRED, residuals
 * against time and PRED (CWRES or IWRES), individual fits with a subject chooser, and the VPC.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { armLabel } from '../../data/explore/arms';
import type { MechanisticDiagnostics } from '../../pkpd/diagnostics/mechanistic-diagnostics';
import type { DiagnosticTarget } from '../../pkpd/diagnostics/observation-diagnostics';
import { PlotFrames } from '../explorer/plot-frames';
import { reportFigure, reportPlotStyles } from '../model/report-figure';
import { dvVersusPlot, type Residual, RESIDUAL_NAMES, residualPlot, TARGET_NAMES } from './gof-plots';
import { individualFitPlot } from './individual-fit-plot';
import { vpcPlot } from './vpc-plot';

export class MechanisticDiagnosticsPanel extends LitElement {
  static override properties = {
    diagnostics: { attribute: false },
    threshold: { attribute: false },
    target: { state: true },
    residual: { state: true },
    subject: { state: true },
  };
  static override styles = [
    ...reportPlotStyles,
    css`
      .grid {
        margin-top: 0.6rem;
      }
      .wide-panel {
        grid-column: 1 / -1;
        min-width: 0;
      }
      fieldset {
        border: 0;
        margin: 0;
        padding: 0;
        display: inline-flex;
        gap: 0.8rem;
        align-items: center;
      }
      legend {
        float: left;
        font-weight: 600;
        margin-right: 0.5rem;
      }
    `,
  ];

  declare diagnostics: MechanisticDiagnostics | null;
  declare threshold: number | null;
  declare target: DiagnosticTarget;
  declare residual: Residual;
  declare subject: string;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.diagnostics = null;
    this.threshold = null;
    this.target = 'pk';
    this.residual = 'cwres';
    this.subject = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('diagnostics') || changed.has('threshold')) this.frames.clear();
    const curves = this.shownCurves();
    if (!curves.some((c) => c.id === this.subject)) this.subject = curves.find((c) => c.armDose > 0)?.id ?? curves[0]?.id ?? '';
  }

  private shownCurves(): MechanisticDiagnostics['curves'] {
    return (this.diagnostics?.curves ?? []).filter((c) => (this.target === 'pk' ? c.pk !== null : true));
  }

  protected override render(): TemplateResult | typeof nothing {
    const d = this.diagnostics;
    if (!d) return nothing;
    const target = this.target;
    const rows = d.observations.filter((r) => r.target === target);
    const key = `${target}|${this.residual}`;
    const name = TARGET_NAMES[target];
    const curves = this.shownCurves();
    const curve = curves.find((c) => c.id === this.subject) ?? null;
    const vpc = d.vpc[target];
    const plot = (frame: string, make: (width: number) => Element): Element | null =>
      rows.length > 0 ? this.frames.plot(frame, key, make) : null;
    return html`<div class="controls">
        <fieldset>
          <legend>Show</legend>
          ${(['pk', 'pd'] as const).map(
            (t) =>
              html`<label
                ><input
                  type="radio"
                  name="target"
                  value=${t}
                  .checked=${t === target}
                  @change=${() => (this.target = t)}
                />${t.toUpperCase()}</label
              >`,
          )}
        </fieldset>
        <label
          >Residual
          <select @change=${(e: Event) => (this.residual = (e.target as HTMLSelectElement).value as Residual)}>
            ${(['cwres', 'iwres'] as const).map((r) => html`<option value=${r} ?selected=${r === this.residual}>${RESIDUAL_NAMES[r]}</option>`)}
          </select></label
        >
      </div>
      ${rows.length === 0 ? html`<p class="note">The fit used no ${name} observations.</p>` : nothing}
      <div class="grid" data-target=${target}>
        ${reportFigure(
          'dv-pred',
          `${name}: observed vs PRED`,
          'PRED: population prediction (every η = 0); dashed: identity',
          plot('dv-pred', (w) => dvVersusPlot(rows, 'pred', target, w)),
        )}
        ${reportFigure(
          'dv-ipred',
          `${name}: observed vs IPRED`,
          'IPRED: individual prediction at the post-hoc η; dashed: identity',
          plot('dv-ipred', (w) => dvVersusPlot(rows, 'ipred', target, w)),
        )}
        ${reportFigure(
          'res-time',
          `${name}: ${RESIDUAL_NAMES[this.residual]} over time`,
          residualDetail(this.residual),
          plot('res-time', (w) => residualPlot(rows, this.residual, 'time', target, w)),
        )}
        ${reportFigure(
          'res-pred',
          `${name}: ${RESIDUAL_NAMES[this.residual]} vs PRED`,
          residualDetail(this.residual),
          plot('res-pred', (w) => residualPlot(rows, this.residual, 'pred', target, w)),
        )}
        ${curve ? this.individualFigure(curve, curves, target) : nothing}
        ${
          vpc
            ? html`<div class="wide-panel">
                ${reportFigure(
                  'vpc',
                  `${name}: visual predictive check`,
                  `${d.vpc.replicates} trials simulated with this dataset's design; lines: observed 5th, 50th (solid) and 95th percentiles per time; bands: 90 % intervals of the simulated percentiles (red: median)${vpc.binned ? '; times grouped into bins' : ''}`,
                  this.frames.plot('vpc', key, (w) => vpcPlot(vpc, this.threshold, w)),
                )}
              </div>`
            : html`<p class="note">No visual predictive check was run (VPC replicates 0).</p>`
        }
      </div>`;
  }

  private individualFigure(
    curve: MechanisticDiagnostics['curves'][number],
    curves: MechanisticDiagnostics['curves'],
    target: DiagnosticTarget,
  ): TemplateResult {
    const controls = html`<div class="controls">
      <label
        >Subject
        <select data-testid="diagnostics-subject" @change=${(e: Event) => (this.subject = (e.target as HTMLSelectElement).value)}>
          ${curves.map((c) => html`<option value=${c.id} ?selected=${c.id === curve.id}>ID ${c.id} · ${armLabel(c.armDose)} · ${c.bw} kg${c.comed ? ' · COMED' : ''}</option>`)}
        </select></label
      >
    </div>`;
    return html`<div class="wide-panel">
      ${reportFigure(
        'individual',
        `${TARGET_NAMES[target]}: individual fit`,
        'solid: IPRED; dashed: PRED; dots: observations; grey lines: doses',
        this.frames.plot('individual', `${target}|${curve.id}`, (w) =>
          individualFitPlot(curve, this.diagnostics!.curves, target, this.threshold, w),
        ),
        controls,
      )}
    </div>`;
  }
}

function residualDetail(residual: Residual): string {
  return residual === 'cwres'
    ? 'Conditional weighted residuals of the FOCE fit (PK on the log scale; PD given individual PK); dashed: ±1.96'
    : 'Individual weighted residuals: (DV − IPRED) / residual SD (PK on the log scale); dashed: ±1.96';
}

if (!customElements.get('qp-mechanistic-diagnostics')) customElements.define('qp-mechanistic-diagnostics', MechanisticDiagnosticsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-mechanistic-diagnostics': MechanisticDiagnosticsPanel;
  }
}
