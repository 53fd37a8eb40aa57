/**
 * `<qp-metrics-table .validation=${SubjectMetrics} .test=${SubjectMetrics|null}>`: RMSE, MAE and R²
 * of PK and PD in z-units and ng/mL, the test rows (once evaluated) beside the validation rows and
 * marked as the final evaluation.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { TargetMetrics } from '../../model/metrics';
import type { SubjectMetrics } from '../../model/trained-model';
import { formatSignificant } from '../../text/format';
import { modelStyles } from './model-styles';

const TARGETS = [
  { key: 'pk', label: 'PK (concentration)' },
  { key: 'pd', label: 'PD (biomarker)' },
] as const;

export class MetricsTable extends LitElement {
  static override properties = {
    validation: { attribute: false },
    test: { attribute: false },
  };
  static override styles = [
    modelStyles,
    css`
      tr.test td,
      tr.test th {
        background: #f3f0ff;
      }
      caption {
        text-align: left;
        padding-bottom: 0.3rem;
      }
      .badge {
        --badge: #5b3fb8;
        margin-left: 0.4rem;
      }
    `,
  ];

  declare validation: SubjectMetrics;
  declare test: SubjectMetrics | null;

  constructor() {
    super();
    this.validation = { pk: null, pd: null };
    this.test = null;
  }

  protected override render(): TemplateResult {
    return html`<div class="table-wrap">
      <table data-testid="metrics-table">
        <caption class="muted">
          z: in units of the training subjects' standard deviation (log scale for PK); ng/mL: as observed.
        </caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Subjects</th>
            <th scope="col">n</th>
            <th scope="col">RMSE (z)</th>
            <th scope="col">MAE (z)</th>
            <th scope="col">R² (z)</th>
            <th scope="col">RMSE (ng/mL)</th>
            <th scope="col">MAE (ng/mL)</th>
            <th scope="col">R² (ng/mL)</th>
          </tr>
        </thead>
        <tbody>
          ${TARGETS.map(({ key, label }) => [
            this.row(key, label, 'validation', this.validation[key]),
            this.test ? this.row(key, label, 'test', this.test[key]) : nothing,
          ])}
        </tbody>
      </table>
    </div>`;
  }

  private row(target: 'pk' | 'pd', label: string, set: 'validation' | 'test', m: TargetMetrics | null): TemplateResult | typeof nothing {
    if (!m) return nothing;
    return html`<tr class=${set} data-target=${target} data-set=${set}>
      <th scope="row">${label}</th>
      <td>${set === 'test' ? html`Test<span class="badge">final</span>` : 'Validation'}</td>
      <td>${m.n}</td>
      <td data-metric="rmse_z">${formatSignificant(m.rmse_z)}</td>
      <td>${formatSignificant(m.mae_z)}</td>
      <td>${formatSignificant(m.r2_z)}</td>
      <td data-metric="rmse">${formatSignificant(m.rmse)}</td>
      <td>${formatSignificant(m.mae)}</td>
      <td>${formatSignificant(m.r2)}</td>
    </tr>`;
  }
}

if (!customElements.get('qp-metrics-table')) customElements.define('qp-metrics-table', MetricsTable);

declare global {
  interface HTMLElementTagNameMap {
    'qp-metrics-table': MetricsTable;
  }
}
