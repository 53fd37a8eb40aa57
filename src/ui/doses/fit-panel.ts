/**
 * `<qp-mechanistic-fit .report=${StudyFitReport} .timing=${FitTiming | null}>`: the fitted population
 * model of any study (src/pkpd/population/report.ts `studyFitReport`) — the models compared (the
 * compartments and PD families tried: stage, model, parameters, OFV, AIC, ΔAIC, kept), per stage the
 * named estimates in the spec's display units with RSE and 95 % interval (covariate effects written
 * `CL~WT`; "fixed" for values the spec fixes), the between-subject SDs with shrinkage, the residual
 * errors, OFV/AIC/BIC, the fit's notes and, when given, the run's timing.
 *
 * Properties: `report` (a `StudyFitReport`, or null: nothing drawn); `timing` (optional seconds of the
 * run's parts, shown in one line). Test ids: `model-comparison` (rows `data-stage`, `data-chosen`),
 * `pk-estimates` and `pd-estimates` (rows `data-parameter` = the θ name), `pk-omega` and `pd-omega`, `residual-error`,
 * `fit-notes`.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { StudyFitReport } from '../../pkpd/population/report';
import { modelStyles } from '../model/model-styles';
import { type FitStage, fitTables, type FitTables } from './fit-panel-model';

/** Seconds of the parts of a run (any may be absent). */
export interface FitTiming {
  fitSeconds?: number;
  questionsSeconds?: number;
  uncertaintySeconds?: number;
  diagnosticsSeconds?: number;
}

const TIMING_PARTS: readonly [keyof FitTiming, string][] = [
  ['fitSeconds', 'fit'],
  ['questionsSeconds', 'questions'],
  ['uncertaintySeconds', 'uncertainty bands'],
  ['diagnosticsSeconds', 'diagnostics'],
];

export class MechanisticFitPanel extends LitElement {
  static override properties = { report: { attribute: false }, timing: { attribute: false } };
  static override styles = [
    modelStyles,
    css`
      .tables {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr));
        gap: 0.6rem 1.5rem;
      }
      tr[data-chosen='true'] td,
      tr[data-chosen='true'] th {
        font-weight: 700;
      }
      td.unit {
        color: var(--muted, #6b7280);
      }
      ul {
        margin: 0.5rem 0 0;
        padding-left: 1.2rem;
      }
    `,
  ];

  declare report: StudyFitReport | null;
  declare timing: FitTiming | null;

  constructor() {
    super();
    this.report = null;
    this.timing = null;
  }

  protected override render(): TemplateResult | typeof nothing {
    const r = this.report;
    if (!r) return nothing;
    const t = fitTables(r);
    const stages = (['pk', 'pd'] as const).filter((s) => t.estimates[s].length > 0 || t.omega[s].length > 0);
    return html`<h4>Models compared (lowest AIC kept)</h4>
      ${this.comparison(t)}
      <div class="tables">${stages.map((s) => this.stage(s, t))}</div>
      ${this.residual(t)}
      <ul class="muted" data-testid="fit-notes">
        <li>${t.summary}.</li>
        ${r.notes.map((n) => html`<li>${n}</li>`)} ${this.timingLine()}
      </ul>`;
  }

  private comparison(t: FitTables): TemplateResult {
    return html`<div class="table-wrap">
      <table data-testid="model-comparison">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Model</th>
            <th scope="col">Parameters</th>
            <th scope="col">OFV</th>
            <th scope="col">AIC</th>
            <th scope="col">ΔAIC</th>
            <th scope="col">Kept</th>
          </tr>
        </thead>
        <tbody>
          ${t.comparison.map(
            (c) =>
              html`<tr data-chosen=${String(c.chosen)} data-stage=${c.stage.toLowerCase()}>
                <td>${c.stage}</td>
                <th scope="row">${c.model}${c.converged ? nothing : html` <span class="muted">(not converged)</span>`}</th>
                <td>${c.parameters}</td>
                <td>${c.ofv}</td>
                <td>${c.aic}</td>
                <td>${c.deltaAic}</td>
                <td>${c.chosen ? '✓ kept' : ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private stage(stage: FitStage, t: FitTables): TemplateResult {
    const structure = stage === 'pk' ? t.structure.pk : (t.structure.pd ?? '');
    return html`<div>
      <h4>${stage.toUpperCase()} estimates (${structure}, FOCE-I${stage === 'pd' ? ' given individual PK' : ''})</h4>
      <div class="table-wrap">
        <table data-testid="${stage}-estimates">
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Estimate</th>
              <th scope="col">Unit</th>
              <th scope="col">RSE</th>
              <th scope="col">95 % interval</th>
            </tr>
          </thead>
          <tbody>
            ${t.estimates[stage].map(
              (e) =>
                html`<tr data-parameter=${e.name} data-kind=${e.kind}>
                  <th scope="row">${e.label}</th>
                  <td>${e.value}</td>
                  <td class="unit">${e.unit}</td>
                  <td>${e.rse}</td>
                  <td>${e.ci}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        t.omega[stage].length > 0
          ? html`<div class="table-wrap">
              <table data-testid="${stage}-omega">
                <thead>
                  <tr>
                    <th scope="col">Between-subject variability</th>
                    <th scope="col">SD</th>
                    <th scope="col">RSE</th>
                    <th scope="col">Shrinkage</th>
                  </tr>
                </thead>
                <tbody>
                  ${t.omega[stage].map(
                    (o) =>
                      html`<tr data-parameter=${o.name}>
                        <th scope="row">${o.label}</th>
                        <td>${o.sd}</td>
                        <td>${o.rse}</td>
                        <td>${o.shrinkage}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing
      }
    </div>`;
  }

  private residual(t: FitTables): TemplateResult | typeof nothing {
    if (t.residual.length === 0) return nothing;
    return html`<h4>Residual error</h4>
      <div class="table-wrap">
        <table data-testid="residual-error">
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Estimate</th>
              <th scope="col">RSE</th>
            </tr>
          </thead>
          <tbody>
            ${t.residual.map(
              (r) =>
                html`<tr data-stage=${r.stage} data-component=${r.component}>
                  <th scope="row">${r.label}</th>
                  <td>${r.value}</td>
                  <td>${r.rse}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private timingLine(): TemplateResult | typeof nothing {
    const timing = this.timing;
    if (!timing) return nothing;
    const parts = TIMING_PARTS.filter(([key]) => Number.isFinite(timing[key])).map(
      ([key, name]) => `${name} ${(timing[key] as number).toFixed(1)} s`,
    );
    return parts.length > 0 ? html`<li>Time in the worker: ${parts.join(', ')}.</li>` : nothing;
  }
}

if (!customElements.get('qp-mechanistic-fit')) customElements.define('qp-mechanistic-fit', MechanisticFitPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-mechanistic-fit': MechanisticFitPanel;
  }
}
