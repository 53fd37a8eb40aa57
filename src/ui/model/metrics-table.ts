/**
 * `<qp-metrics-table .validation=${SubjectMetrics} .test=${SubjectMetrics|null} .external=${SubjectMetrics|null} .labels=${ReportLabels|null}>`:
 * RMSE, MAE and R² of PK and PD in z-units and in each endpoint's unit (the study's names and units
 * recorded with the model: trainedModelLabels; without labels, those of models saved before study
 * specs, PK and PD in ng/mL), the test rows (once evaluated) beside the validation rows and
 * marked as the final evaluation, and the rows of an external validation on another file.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { TargetMetrics } from '../../model/metrics';
import type { SubjectMetrics } from '../../model/trained-model';
import { LEGACY_LABELS, type ReportLabels } from '../../model/report/labels';
import { formatSignificant } from '../../text/format';
import { modelStyles } from './model-styles';

const TARGETS = ['pk', 'pd'] as const;

export class MetricsTable extends LitElement {
  static override properties = {
    validation: { attribute: false },
    test: { attribute: false },
    external: { attribute: false },
    externalName: { attribute: false },
    labels: { attribute: false },
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
      th .what {
        display: block;
        font-weight: normal;
        font-size: 0.85em;
        white-space: normal;
      }
    `,
  ];

  declare validation: SubjectMetrics;
  declare test: SubjectMetrics | null;
  /** External validation: the metrics on every subject of another file (`externalName`). */
  declare external: SubjectMetrics | null;
  declare externalName: string;
  /** The model's endpoint names and units (trainedModelLabels); null: those of models saved before study specs. */
  declare labels: Pick<ReportLabels, 'pk' | 'pd'> | null;

  constructor() {
    super();
    this.validation = { pk: null, pd: null };
    this.test = null;
    this.external = null;
    this.externalName = '';
    this.labels = null;
  }

  protected override render(): TemplateResult {
    const labels = this.labels ?? LEGACY_LABELS;
    return html`<div class="table-wrap">
      <table data-testid="metrics-table">
        <caption class="muted">
          z: in units of the training subjects' standard deviation (log scale for PK); RMSE, MAE and R² without z: in the target's unit, as
          observed.
        </caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Subjects</th>
            <th scope="col">n</th>
            <th scope="col">RMSE (z)</th>
            <th scope="col">MAE (z)</th>
            <th scope="col">R² (z)</th>
            <th scope="col">RMSE</th>
            <th scope="col">MAE</th>
            <th scope="col">R²</th>
          </tr>
        </thead>
        <tbody>
          ${TARGETS.map((key) => {
            const { name, unit } = labels[key];
            const named = name && name !== key.toUpperCase() ? name : '';
            const label = html`${key.toUpperCase()}<span class="what">${[named, unit].filter(Boolean).join(', ')}</span>`;
            return [
              this.row(key, label, 'validation', this.validation[key]),
              this.test ? this.row(key, label, 'test', this.test[key]) : nothing,
              this.external ? this.row(key, label, 'external', this.external[key]) : nothing,
            ];
          })}
        </tbody>
      </table>
    </div>`;
  }

  private row(
    target: 'pk' | 'pd',
    label: TemplateResult,
    set: 'validation' | 'test' | 'external',
    m: TargetMetrics | null,
  ): TemplateResult | typeof nothing {
    if (!m) return nothing;
    return html`<tr class=${set} data-target=${target} data-set=${set}>
      <th scope="row">${label}</th>
      <td>
        ${set === 'test' ? html`Test<span class="badge">final</span>` : set === 'external' ? `External: ${this.externalName}` : 'Validation'}
      </td>
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
