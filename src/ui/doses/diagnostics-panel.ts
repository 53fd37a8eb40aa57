/**
 * `<qp-mechanistic-diagnostics .diagnostics=${StudyDiagnostics} .spec=${StudySpec}>`: the usual
 * diagnostics of a study fit for PK or PD — observed against PRED and IPRED, residuals (CWRES or
 * IWRES) against time and PRED, individual fits with a subject chooser (doses drawn, infusions as
 * bars), and the VPC by group.
 *
 * Properties:
 * - `diagnostics`: a `StudyDiagnostics` (src/pkpd/diagnostics/study-diagnostics.ts), or null (nothing drawn);
 * - `spec`: the study spec the fit used — its `units` (time, amount, concentration, response),
 *   `endpoints` (names on the axes: "Theophylline (mg/L)") and, where present, `questions` (the
 *   criterion drawn on its endpoint's individual-fit and VPC plots). Any object with `units` and
 *   `endpoints` will do; null: generic names ("Concentration", "Response") without units.
 * Test ids: `diagnostics-subject` (the subject chooser). Figures: `data-plot` dv-pred, dv-ipred,
 * res-time, res-pred, individual, vpc.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import type { DiagnosticTarget } from '../../pkpd/diagnostics/observation-diagnostics';
import type { StudyDiagnostics } from '../../pkpd/diagnostics/study-diagnostics';
import { colorOf } from '../explorer/arm-colors';
import { PlotFrames } from '../explorer/plot-frames';
import { reportFigure, reportPlotStyles } from '../model/report-figure';
import {
  curvesOf,
  defaultSubject,
  type DiagnosticsLabels,
  diagnosticsLabels,
  type DiagnosticsSpec,
  endpointTitle,
  groupColors,
  subjectLabel,
} from './diagnostics-model';
import { dvVersusPlot, type Residual, RESIDUAL_NAMES, residualPlot } from './gof-plots';
import { individualFitPlot } from './individual-fit-plot';
import { vpcPlot } from './vpc-plot';

export class MechanisticDiagnosticsPanel extends LitElement {
  static override properties = {
    diagnostics: { attribute: false },
    spec: { attribute: false },
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

  declare diagnostics: StudyDiagnostics | null;
  declare spec: DiagnosticsSpec | null;
  declare target: DiagnosticTarget;
  declare residual: Residual;
  declare subject: string;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.diagnostics = null;
    this.spec = null;
    this.target = 'pk';
    this.residual = 'cwres';
    this.subject = '';
  }

  /** The endpoints the fit has (observations or curves), PK first. */
  private targets(): DiagnosticTarget[] {
    const d = this.diagnostics;
    if (!d) return [];
    return (['pk', 'pd'] as const).filter((t) => d.observations.some((r) => r.target === t) || d.curves.some((c) => c[t] !== null));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('diagnostics') || changed.has('spec')) this.frames.clear();
    const targets = this.targets();
    if (targets.length > 0 && !targets.includes(this.target)) this.target = targets[0];
    const curves = curvesOf(this.diagnostics?.curves ?? [], this.target);
    if (!curves.some((c) => c.id === this.subject)) this.subject = defaultSubject(curves, this.target);
  }

  protected override render(): TemplateResult | typeof nothing {
    const d = this.diagnostics;
    if (!d) return nothing;
    const labels = diagnosticsLabels(this.spec);
    const target = this.target;
    const rows = d.observations.filter((r) => r.target === target);
    const key = `${target}|${this.residual}`;
    const name = endpointTitle(labels, target);
    const colors = groupColors(d.curves);
    const curves = curvesOf(d.curves, target);
    const curve = curves.find((c) => c.id === this.subject) ?? null;
    const vpc = d.vpc[target];
    const plot = (frame: string, make: (width: number) => Element): Element | null =>
      rows.length > 0 ? this.frames.plot(frame, key, make) : null;
    return html`<div class="controls">
        <fieldset>
          <legend>Show</legend>
          ${this.targets().map(
            (t) =>
              html`<label title=${endpointTitle(labels, t)}
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
      ${rows.length === 0 ? html`<p class="note">The fit used no ${labels.endpoints[target].name} observations.</p>` : nothing}
      <div class="grid" data-target=${target}>
        ${reportFigure(
          'dv-pred',
          `${name}: observed vs PRED`,
          'PRED: population prediction (every η = 0); dashed: identity',
          plot('dv-pred', (w) => dvVersusPlot(rows, 'pred', target, labels, colors, w)),
        )}
        ${reportFigure(
          'dv-ipred',
          `${name}: observed vs IPRED`,
          'IPRED: individual prediction at the post-hoc η; dashed: identity',
          plot('dv-ipred', (w) => dvVersusPlot(rows, 'ipred', target, labels, colors, w)),
        )}
        ${reportFigure(
          'res-time',
          `${name}: ${RESIDUAL_NAMES[this.residual]} over time`,
          residualDetail(this.residual),
          plot('res-time', (w) => residualPlot(rows, this.residual, 'time', target, labels, colors, w)),
        )}
        ${reportFigure(
          'res-pred',
          `${name}: ${RESIDUAL_NAMES[this.residual]} vs PRED`,
          residualDetail(this.residual),
          plot('res-pred', (w) => residualPlot(rows, this.residual, 'pred', target, labels, colors, w)),
        )}
        ${curve ? this.individualFigure(curve, curves, target, labels, colorOf(colors, curve.group)) : nothing}
        ${
          vpc
            ? html`<div class="wide-panel">
                ${reportFigure(
                  'vpc',
                  `${name}: visual predictive check`,
                  vpcDetail(d.vpc.replicates, vpc.binned, vpc.strata),
                  this.frames.plot('vpc', key, (w) => vpcPlot(vpc, labels, w)),
                )}
              </div>`
            : html`<p class="note">No visual predictive check was run (VPC replicates 0).</p>`
        }
      </div>`;
  }

  private individualFigure(
    curve: IndividualCurve,
    curves: readonly IndividualCurve[],
    target: DiagnosticTarget,
    labels: DiagnosticsLabels,
    color: string,
  ): TemplateResult {
    const controls = html`<div class="controls">
      <label
        >Subject
        <select data-testid="diagnostics-subject" @change=${(e: Event) => (this.subject = (e.target as HTMLSelectElement).value)}>
          ${curves.map((c) => html`<option value=${c.id} ?selected=${c.id === curve.id}>${subjectLabel(c)}</option>`)}
        </select></label
      >
    </div>`;
    return html`<div class="wide-panel">
      ${reportFigure(
        'individual',
        `${endpointTitle(labels, target)}: individual fit`,
        'solid: IPRED; dashed: PRED; dots: observations; grey lines: oral doses and boluses; grey bars: infusions (start to end)',
        this.frames.plot('individual', `${target}|${curve.id}`, (w) => individualFitPlot(curve, target, labels, color, w)),
        controls,
      )}
    </div>`;
  }
}

function residualDetail(residual: Residual): string {
  return residual === 'cwres'
    ? 'Conditional weighted residuals of the FOCE fit (log-scale error: on the log scale; PD given individual PK); dashed: ±1.96'
    : 'Individual weighted residuals: (DV − IPRED) / residual SD (log-scale error: on the log scale); dashed: ±1.96';
}

function vpcDetail(replicates: number, binned: boolean, strata: readonly { label: string; groups: string[] }[]): string {
  const pooled = strata.filter((s) => s.groups.length > 1);
  const pooledText = pooled.map((s) => `; ${s.label}: ${s.groups.join(', ')}`).join('');
  return `${replicates} trials simulated with this dataset's design; lines: observed 5th, 50th (solid) and 95th percentiles per time; bands: 90 % intervals of the simulated percentiles (red: median)${binned ? '; times grouped into bins' : ''}${pooledText}`;
}

if (!customElements.get('qp-mechanistic-diagnostics')) customElements.define('qp-mechanistic-diagnostics', MechanisticDiagnosticsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-mechanistic-diagnostics': MechanisticDiagnosticsPanel;
  }
}
