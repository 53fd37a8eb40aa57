/**
 * `<qp-mechanistic-diagnostics .diagnostics=${StudyDiagnostics} .spec=${StudySpec}>`: the usual
 * diagnostics of a study fit for PK or PD — observed against PRED and IPRED, residuals (CWRES or
 * IWRES) and NPDE against time and PRED, individual fits with a subject chooser (doses drawn,
 * infusions as bars), the VPC and the prediction-corrected VPC by group; the random effects of the
 * endpoint's stage (histogram and QQ plot of the chosen η, η against every covariate column,
 * shrinkage); the stage's convergence trace (OFV per iteration) and the correlation matrix of its
 * estimates with the condition number.
 *
 * Properties:
 * - `diagnostics`: a `StudyDiagnostics` (src/pkpd/diagnostics/study-diagnostics.ts), or null (nothing drawn);
 * - `spec`: the study spec the fit used — its `units` (time, amount, concentration, response),
 *   `endpoints` (names on the axes: "Theophylline (mg/L)") and, where present, `questions` (the
 *   criterion drawn on its endpoint's individual-fit and VPC plots). Any object with `units` and
 *   `endpoints` will do; null: generic names ("Concentration", "Response") without units.
 * Test ids: `diagnostics-subject` (the subject chooser), `diagnostics-eta` (the η chooser),
 * `condition-number`. Figures: `data-plot` dv-pred, dv-ipred, res-time, res-pred, npde-time,
 * npde-pred, individual, vpc, pc-vpc, eta-hist, eta-qq, shrinkage, eta-cov, convergence, correlation.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { IndividualCurve } from '../../pkpd/diagnostics/individual-curves';
import type { DiagnosticTarget } from '../../pkpd/diagnostics/observation-diagnostics';
import type { PredictionCorrection } from '../../pkpd/diagnostics/pc-vpc';
import type { EtaDiagnostics } from '../../pkpd/diagnostics/eta-diagnostics';
import type { StudyDiagnostics } from '../../pkpd/diagnostics/study-diagnostics';
import { colorOf } from '../explorer/arm-colors';
import { PlotFrames } from '../explorer/plot-frames';
import { reportFigure, reportPlotStyles } from '../model/report-figure';
import { formatSignificant } from '../../text/format';
import { convergencePlot } from './convergence-plot';
import { correlationPlot } from './correlation-plot';
import {
  conditionNumberText,
  curvesOf,
  defaultSubject,
  type DiagnosticsLabels,
  diagnosticsLabels,
  type DiagnosticsSpec,
  endpointTitle,
  etaCovariatePanels,
  etasOf,
  etaSummaryText,
  groupColors,
  isBlq,
  npdeRowsOf,
  npdeSummaryText,
  subjectLabel,
} from './diagnostics-model';
import { etaCovariatePlots, etaHistogramPlot, etaQqPlot, shrinkagePlot } from './eta-plots';
import { dvVersusPlot, type Residual, RESIDUAL_NAMES, residualPlot, standardisedPlot } from './gof-plots';
import { individualFitPlot } from './individual-fit-plot';
import { npdeValue } from './npde-plots';
import { vpcBlqPlot, vpcPlot } from './vpc-plot';

export class MechanisticDiagnosticsPanel extends LitElement {
  static override properties = {
    diagnostics: { attribute: false },
    spec: { attribute: false },
    target: { state: true },
    residual: { state: true },
    subject: { state: true },
    eta: { state: true },
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
      h4 {
        margin: 1.2rem 0 0.4rem;
        font-size: 0.95rem;
      }
      .small-multiples {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      p.condition {
        margin: 0 0 0.4rem;
        font-size: 0.85rem;
      }
      p.condition.high {
        color: #b91c1c;
        font-weight: 600;
      }
    `,
  ];

  declare diagnostics: StudyDiagnostics | null;
  declare spec: DiagnosticsSpec | null;
  declare target: DiagnosticTarget;
  declare residual: Residual;
  declare subject: string;
  /** The chosen random effect: its index in `diagnostics.eta.etas` (-1: none of the endpoint's stage). */
  declare eta: number;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.diagnostics = null;
    this.spec = null;
    this.target = 'pk';
    this.residual = 'cwres';
    this.subject = '';
    this.eta = -1;
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
    const etas = this.diagnostics ? etasOf(this.diagnostics.eta, this.target) : [];
    if (!etas.some((c) => c.index === this.eta)) this.eta = etas[0]?.index ?? -1;
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
    const pcVpc = d.pcVpc[target];
    const npde = npdeRowsOf(d.npde, target);
    const blq = rows.filter(isBlq).length;
    const blqNote = blq > 0 ? `; open triangles: ${blq} observations below the limit of quantification, drawn at the limit` : '';
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
          `PRED: population prediction (every η = 0); dashed: identity${blqNote}`,
          plot('dv-pred', (w) => dvVersusPlot(rows, 'pred', target, labels, colors, w)),
        )}
        ${reportFigure(
          'dv-ipred',
          `${name}: observed vs IPRED`,
          `IPRED: individual prediction at the post-hoc η; dashed: identity${blqNote}`,
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
        ${
          npde.length > 0
            ? (['time', 'pred'] as const).map((against) =>
                reportFigure(
                  `npde-${against}`,
                  `${name}: NPDE ${against === 'time' ? 'over time' : 'vs PRED'}`,
                  npdeDetail(d.npde.simulations, d.npde.scale[target], npdeSummaryText(d.npde.summary[target])),
                  this.frames.plot(`npde-${against}`, target, (w) =>
                    standardisedPlot(npde, npdeValue(labels, target), against, target, labels, colors, w),
                  ),
                ),
              )
            : rows.length > 0
              ? html`<p class="note">No NPDE: no trials were simulated for them.</p>`
              : nothing
        }
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
        ${
          vpc?.censored
            ? html`<div class="wide-panel">
                ${reportFigure(
                  'vpc-blq',
                  `${name}: observations below the limit of quantification`,
                  'fraction below the LOQ per time bin (line) over the 90 % interval of the simulated trials’ fractions (band); ' +
                    'below-LOQ observations are fitted by M3 and drawn as open triangles at their limit',
                  this.frames.plot('vpc-blq', key, (w) => vpcBlqPlot(vpc, labels, w)),
                )}
              </div>`
            : nothing
        }
        ${
          pcVpc
            ? html`<div class="wide-panel">
                ${reportFigure(
                  'pc-vpc',
                  `${name}: prediction-corrected VPC`,
                  `${pcVpcDetail(pcVpc.correction)}; the VPC's ${d.pcVpc.replicates} trials, bins, groups, lines and bands`,
                  this.frames.plot('pc-vpc', key, (w) => vpcPlot(pcVpc, labels, w, pcVpc.correction)),
                )}
              </div>`
            : nothing
        }
      </div>
      ${this.randomEffects(d.eta, target, name)} ${this.estimation(d, target, name)}`;
  }

  /** Histogram and QQ plot of the chosen η, shrinkage, η against each covariate column. */
  private randomEffects(eta: EtaDiagnostics, target: DiagnosticTarget, name: string): TemplateResult {
    const choices = etasOf(eta, target);
    const chosen = choices.find((c) => c.index === this.eta);
    if (!chosen)
      return html`<h4>Random effects</h4>
        <p class="note">The ${target.toUpperCase()} model has no random effects.</p>`;
    const summary = chosen.summary;
    const key = `${target}|${chosen.index}`;
    const { panels, omitted } = etaCovariatePanels(eta, chosen.index);
    const effects = eta.effectColumns.length > 0 ? `; the model's covariates: ${eta.effectColumns.join(', ')}` : '';
    return html`<h4>Random effects</h4>
      <div class="controls">
        <label
          >Random effect
          <select data-testid="diagnostics-eta" @change=${(e: Event) => (this.eta = Number((e.target as HTMLSelectElement).value))}>
            ${choices.map((c) => html`<option value=${c.index} ?selected=${c.index === chosen.index}>η(${c.summary.parameter})</option>`)}
          </select></label
        >
      </div>
      <div class="grid" data-target=${target}>
        ${reportFigure(
          'eta-hist',
          `${name}: η(${summary.parameter}) histogram`,
          `Empirical Bayes estimates (η̂); line: N(0, ω²) scaled to the counts; ${etaSummaryText(summary)}`,
          this.frames.plot('eta-hist', key, (w) => etaHistogramPlot(summary, w)),
        )}
        ${reportFigure(
          'eta-qq',
          `${name}: η(${summary.parameter}) QQ plot`,
          'Sorted η̂ against the quantiles of N(0, ω²) (Hazen positions); dashed: identity',
          this.frames.plot('eta-qq', key, (w) => etaQqPlot(summary, w)),
        )}
        ${reportFigure(
          'shrinkage',
          `${name}: shrinkage`,
          'η: 1 − SD(η̂)/ω; ε: 1 − SD(IWRES); dashed: 30 %, above which plots of η̂ or IWRES can hide or fake relations (red)',
          this.frames.plot('shrinkage', target, (w) =>
            shrinkagePlot(
              choices.map((c) => c.summary),
              eta.epsilonShrinkage[target],
              target,
              w,
            ),
          ),
        )}
        ${
          panels.length > 0
            ? html`<div class="wide-panel">
                ${reportFigure(
                  'eta-cov',
                  `${name}: η(${summary.parameter}) vs covariates`,
                  `One panel per numeric covariate column of the file (baseline values)${effects}` +
                    (omitted > 0 ? `; ${omitted} more columns not drawn` : ''),
                  this.frames.plot('eta-cov', key, (w) => etaCovariatePlots(summary, panels, w)),
                )}
              </div>`
            : html`<p class="note">The file has no numeric covariate columns to draw η against.</p>`
        }
      </div>`;
  }

  /** The stage's convergence trace and the correlation matrix of its estimates. */
  private estimation(d: StudyDiagnostics, target: DiagnosticTarget, name: string): TemplateResult {
    const trace = d.convergence.find((c) => c.stage === target);
    const stage = d.correlation.find((c) => c.stage === target);
    const correlation = stage?.correlation ?? null;
    const condition = correlation ? conditionNumberText(correlation) : null;
    return html`<h4>Estimation</h4>
      <div class="grid" data-target=${target}>
        ${
          trace
            ? reportFigure(
                'convergence',
                `${name}: OFV per iteration`,
                `${trace.model}, FOCE: OFV at the starting values (0) and after each accepted iteration; dashed: final OFV; ` +
                  `${trace.converged ? 'converged' : 'not converged'} (${trace.message})`,
                this.frames.plot('convergence', target, (w) => convergencePlot(trace, w)),
              )
            : html`<p class="note">No ${target.toUpperCase()} model was estimated (no convergence trace).</p>`
        }
        ${
          correlation && condition
            ? reportFigure(
                'correlation',
                `${name}: correlation of the estimates`,
                `${stage?.model}: from the covariance step (θ, ω, σ); blue: negative, red: positive`,
                this.frames.plot('correlation', target, (w) => correlationPlot(correlation, target, w)),
                html`<p data-testid="condition-number" class="condition ${condition.high ? 'high' : ''}">
                  ${condition.text}. Eigenvalues: ${correlation.eigenvalues.map((v) => formatSignificant(v, 3)).join(', ')}
                </p>`,
              )
            : html`<p class="note">No correlation matrix of the estimates${stage ? `: ${stage.message}` : ''}.</p>`
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

function npdeDetail(simulations: number, scale: 'log' | 'natural' | undefined, summary: string): string {
  const on = scale === 'log' ? ' on the log scale' : '';
  const trials = `Normalised prediction distribution errors from ${simulations} simulated trials`;
  return `${trials}, decorrelated per subject${on}; ${summary}; dashed: ±1.96`;
}

function pcVpcDetail(correction: PredictionCorrection): string {
  return correction === 'proportional'
    ? 'Observed and simulated values × median PRED of their bin / their PRED (Bergstrand 2011)'
    : 'Observed and simulated values + median PRED of their bin − their PRED (Bergstrand 2011)';
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
