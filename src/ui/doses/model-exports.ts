/**
 * `<qp-model-exports .report=${MechanisticRunReport}>`: the fitted population model for other tools —
 * the NONMEM control stream, the nlmixr2 model function and the mrgsolve model code, each with its
 * data file (src/export/model, made in the dose worker with the run: `report.modelExports`), one
 * download button per file, and the estimates as CSV; the reason when the model cannot be exported (a hybrid's network). And
 * where the fit goes next in the app: the Patient tab offers it as a patient's population model.
 * Test ids: `model-exports` (the list; `data-format` per format), `model-exports-problem`.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { MechanisticRunReport, ModelExportFormat } from '../../dose/dose-run-report';
import { downloadBlob, downloadCsv } from '../../export/download';
import { fileNameOf } from '../../export/file-name';
import { estimatesExport } from '../export/estimates-csv';
import { stageOf } from './fit-panel-model';
import { controlStyles } from '../shared-styles';

const FORMATS: readonly [ModelExportFormat, string][] = [
  ['nonmem', 'NONMEM (control stream, $EST METHOD=COND INTER)'],
  ['nlmixr2', 'nlmixr2 (R model function, ini() and model())'],
  ['mrgsolve', 'mrgsolve (model code)'],
];

export class ModelExports extends LitElement {
  static override properties = { report: { attribute: false } };
  static override styles = [
    controlStyles,
    css`
      ul {
        list-style: none;
        padding: 0;
        margin: 0.3rem 0;
      }
      li {
        margin: 0.25rem 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      .what {
        min-width: 22rem;
      }
    `,
  ];

  declare report: MechanisticRunReport | null;

  constructor() {
    super();
    this.report = null;
  }

  override render(): TemplateResult | typeof nothing {
    const r = this.report;
    if (!r) return nothing;
    const exports = r.modelExports;
    return html`<h4>For other tools</h4>
      <p>
        <button
          data-testid="download-estimates"
          @click=${() => downloadCsv(estimatesExport(r.fit, stageOf, `${fileNameOf(r.label)}-estimates.csv`))}
        >
          Download the estimates (CSV)
        </button>
      </p>
      ${
        exports
          ? html`<p class="muted">
                The fitted model with its final estimates as initial values, and the data in the layout each tool reads (units in each
                file's header; docs/exports.md).
              </p>
              <ul data-testid="model-exports">
                ${FORMATS.map(
                  ([format, label]) =>
                    html`<li data-format=${format}>
                      <span class="what">${label}</span>
                      ${exports[format].files.map(
                        (f) =>
                          html`<button @click=${() => downloadBlob(new Blob([f.text], { type: 'text/plain;charset=utf-8' }), f.name)}>
                            Download ${f.name}
                          </button>`,
                      )}
                    </li>`,
                )}
              </ul>`
          : html`<p class="muted" data-testid="model-exports-problem">Not exportable: ${r.modelExportsProblem}</p>`
      }
      ${
        r.patientModel
          ? html`<p class="muted">The Patient tab offers this fit as a patient's population model (“Fitted to … (Doses tab)”).</p>`
          : nothing
      }`;
  }
}

customElements.define('qp-model-exports', ModelExports);

declare global {
  interface HTMLElementTagNameMap {
    'qp-model-exports': ModelExports;
  }
}
