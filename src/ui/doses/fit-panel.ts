/**
 * `<qp-mechanistic-fit .report=${MechanisticReport}>`: the fitted population model — the choice
 * between one and two PK compartments by AIC, every estimate with its standard error, RSE and 95 %
 * interval, η shrinkage, convergence notes, and the run's timing.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { ParameterEstimate } from '../../pkpd/foce';
import type { ModelFitSummary } from '../../pkpd/diagnostics/fit-summary';
import { formatSignificant } from '../../text/format';
import { modelStyles } from '../model/model-styles';
import type { MechanisticReport } from '../../../workers/doses-client';

const PARAMETER_LABELS: Readonly<Record<string, string>> = {
  CL: 'CL at 70 kg (1000 L/h)',
  V: 'V (central) at 70 kg (1000 L)',
  ka: 'ka (1/h)',
  Q: 'Q at 70 kg (1000 L/h)',
  V2: 'V2 at 70 kg (1000 L)',
  beta_CL: 'BW exponent on CL (and Q)',
  beta_V: 'BW exponent on V (and V2)',
  COMED_CL: 'COMED factor on CL',
  BASE: 'Baseline without COMED (ng/mL)',
  COMED_BASE: 'COMED factor on baseline',
  kout: 'k_out (1/h)',
  Imax: 'Imax',
  IC50: 'IC50 (ng/mL)',
  'omega(cl)': 'IIV of CL (SD of η)',
  'omega(v)': 'IIV of V (SD of η)',
  'omega(ka)': 'IIV of ka (SD of η)',
  'omega(base)': 'IIV of baseline (SD of η)',
  'omega(ic50)': 'IIV of IC50 (SD of η)',
  'omega(kout)': 'IIV of k_out (SD of η)',
};

function parameterLabel(model: 'pk' | 'pd', name: string): string {
  if (name === 'sigma(add)') return model === 'pk' ? 'Residual SD (log scale)' : 'Additive residual SD (ng/mL)';
  if (name === 'sigma(prop)') return 'Proportional residual SD';
  return PARAMETER_LABELS[name] ?? name;
}

export class MechanisticFitPanel extends LitElement {
  static override properties = { report: { attribute: false } };
  static override styles = [
    modelStyles,
    css`
      .tables {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 38rem), 1fr));
        gap: 0.6rem 1.5rem;
      }
      tr[data-chosen='true'] td,
      tr[data-chosen='true'] th {
        font-weight: 700;
      }
      ul {
        margin: 0.5rem 0 0;
        padding-left: 1.2rem;
      }
    `,
  ];

  declare report: MechanisticReport | null;

  constructor() {
    super();
    this.report = null;
  }

  protected override render(): TemplateResult | typeof nothing {
    const r = this.report;
    if (!r) return nothing;
    const fit = r.fit;
    const t = r.timing;
    return html`<h4>PK structure: one or two compartments (${fit.selection})</h4>
      <div class="table-wrap">
        <table data-testid="compartment-choice">
          <thead>
            <tr>
              <th scope="col">PK model</th>
              <th scope="col">Parameters</th>
              <th scope="col">OFV</th>
              <th scope="col">AIC</th>
              <th scope="col">ΔAIC</th>
              <th scope="col">BIC</th>
              <th scope="col">Kept</th>
            </tr>
          </thead>
          <tbody>
            ${fit.candidates.map(
              (c) =>
                html`<tr data-chosen=${String(c.chosen)} data-compartments=${c.compartments}>
                  <th scope="row">${c.compartments}-compartment</th>
                  <td>${c.parameters}</td>
                  <td>${c.ofv.toFixed(1)}</td>
                  <td>${c.aic.toFixed(1)}</td>
                  <td>${c.deltaAic.toFixed(1)}</td>
                  <td>${c.bic.toFixed(1)}</td>
                  <td>${c.chosen ? '✓ kept' : ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <div class="tables">
        <div>
          <h4>PK estimates (${fit.compartments}-compartment, FOCE-I)</h4>
          ${this.estimates('pk', fit.pk)}
        </div>
        <div>
          <h4>PD estimates (indirect response, FOCE-I given individual PK)</h4>
          ${this.estimates('pd', fit.pd)}
        </div>
      </div>
      <ul class="muted">
        <li>PK: ${this.notes(fit.pk)}</li>
        <li>PD: ${this.notes(fit.pd)}</li>
        <li>
          Time in the worker: fit ${t.fitSeconds.toFixed(1)} s, questions ${t.questionsSeconds.toFixed(1)} s, uncertainty bands
          ${t.uncertaintySeconds.toFixed(1)} s (${r.uncertainty.made} of ${r.uncertainty.requested} replicates: ${r.uncertainty.note}),
          diagnostics ${t.diagnosticsSeconds.toFixed(1)} s.
        </li>
      </ul>`;
  }

  private estimates(model: 'pk' | 'pd', summary: ModelFitSummary): TemplateResult {
    return html`<div class="table-wrap">
      <table data-testid="${model}-estimates">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Estimate</th>
            <th scope="col">SE</th>
            <th scope="col">RSE</th>
            <th scope="col">95 % interval</th>
          </tr>
        </thead>
        <tbody>
          ${summary.parameters.map(
            (p: ParameterEstimate) =>
              html`<tr data-parameter=${p.name}>
                <th scope="row">${parameterLabel(model, p.name)}</th>
                <td>${formatSignificant(p.estimate)}</td>
                <td>${formatSignificant(p.se, 2)}</td>
                <td>${Number.isFinite(p.rse) ? `${p.rse.toFixed(0)} %` : '–'}</td>
                <td>${Number.isFinite(p.lower) ? `${formatSignificant(p.lower)}–${formatSignificant(p.upper)}` : '–'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private notes(s: ModelFitSummary): string {
    const shrinkage = s.etaShrinkage.map((x) => `${Math.round(100 * x)} %`).join(', ');
    return `OFV ${s.ofv.toFixed(1)} on ${s.nObservations} observations; ${s.converged ? 'converged' : `not converged (${s.message})`}; standard errors: ${s.covarianceMessage}; η shrinkage ${shrinkage}.`;
  }
}

if (!customElements.get('qp-mechanistic-fit')) customElements.define('qp-mechanistic-fit', MechanisticFitPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-mechanistic-fit': MechanisticFitPanel;
  }
}
