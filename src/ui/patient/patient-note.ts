/**
 * `<qp-patient-note>`: the one-page dosing note the Patient view prints — the patient (name,
 * covariates), the model and its target, the doses given and the levels, the curve with its band, the
 * recommendation (dose, interval, probability, next dose time) and a what-if when tried, the
 * individual parameters beside the population's, and the caveats. Drawn from the view's result only:
 * nothing is computed here.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { ModelParameter, StudySpec } from '../../study/study-spec';
import { formatSignificant } from '../../text/format';
import { questionInWords } from '../../dose/dose-run-report';
import type { PatientResult, WhatIf } from './patient-compute';
import { patientPlot } from './patient-plot';

export interface NoteInput {
  spec: StudySpec;
  modelName: string;
  /** Where the model comes from (a citation), when known. */
  modelSource: string;
  patientName: string;
  result: PatientResult;
  whatIf: WhatIf | null;
  nextDose: number;
  printedAt: Date;
}

export class PatientNote extends LitElement {
  static override properties = { input: { attribute: false } };
  static override styles = css`
    :host {
      display: block;
      font-size: 10pt;
      line-height: 1.3;
      color: #111;
    }
    h2 {
      font-size: 14pt;
      margin: 0 0 0.2rem;
    }
    h3 {
      font-size: 11pt;
      margin: 0.5rem 0 0.15rem;
    }
    p {
      margin: 0.15rem 0;
    }
    table {
      border-collapse: collapse;
      font-size: 9pt;
    }
    th,
    td {
      padding: 0.05rem 0.5rem 0.05rem 0;
      text-align: right;
      border-bottom: 1px solid #ccc;
    }
    th:first-child,
    td:first-child {
      text-align: left;
    }
    .columns {
      display: flex;
      gap: 1.5rem;
      flex-wrap: wrap;
    }
    .recommendation {
      border: 2px solid #111;
      padding: 0.3rem 0.6rem;
      margin: 0.4rem 0;
    }
    ul {
      margin: 0.1rem 0;
      padding-left: 1.2rem;
    }
    svg {
      max-width: 100%;
      height: auto;
    }
  `;

  declare input: NoteInput | null;

  constructor() {
    super();
    this.input = null;
  }

  override render(): TemplateResult | typeof nothing {
    const n = this.input;
    if (!n) return nothing;
    const { spec, result } = n;
    const r = result.report;
    const rec = r.recommendation;
    const units = spec.units;
    const record = result.posterior.record;
    const every = `every ${formatSignificant(rec.regimen.interval)} ${units.time} (${rec.regimen.route})`;
    const names = Object.keys(r.individual) as ModelParameter[];
    const endpoint = (e: 'pk' | 'pd'): string => (e === 'pk' ? 'concentration' : 'response');
    const unitOf = (e: 'pk' | 'pd'): string => (e === 'pk' ? units.concentration : (units.response ?? ''));
    return html`<article data-testid="patient-note-body">
      <h2>Dosing note</h2>
      <p>
        Patient: <strong>${n.patientName || '(no name given)'}</strong> · printed ${n.printedAt.toLocaleString()} · QPKPD Studio, computed
        in this browser (nothing was sent anywhere)
      </p>
      <p>
        Model: <strong>${n.modelName}</strong>${n.modelSource ? html` — ${n.modelSource.replace(/\.$/, '')}` : nothing}. Target:
        ${questionInWords(spec, rec.endpoint, rec.criterion)}.
      </p>
      <div class="columns">
        <div>
          <h3>Covariates</h3>
          <p>
            ${Object.entries(record.covariates).map(([c, x], i) => html`${i > 0 ? ', ' : ''}${c} ${formatSignificant(x)}`)}
            ${Object.keys(record.covariates).length === 0 ? 'none' : nothing}
          </p>
          <h3>Doses given (${units.amount}, ${units.time})</h3>
          <table>
            <tbody>
              ${record.doses.map(
                (d) =>
                  html`<tr>
                    <td>from ${formatSignificant(d.time)}</td>
                    <td>
                      ${formatSignificant(d.amount)} ${d.route}${d.duration !== undefined ? ` over ${formatSignificant(d.duration)}` : ''}
                    </td>
                    <td>${d.count > 1 ? `× ${d.count} every ${formatSignificant(d.every ?? 0)}` : 'once'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Levels</h3>
          ${
            record.observations.length === 0
              ? html`<p>None: a priori prediction.</p>`
              : html`<table>
                  <tbody>
                    ${record.observations.map(
                      (o) =>
                        html`<tr>
                          <td>${formatSignificant(o.time)} ${units.time}</td>
                          <td>${endpoint(o.endpoint)}</td>
                          <td>${o.blq ? `< ${formatSignificant(o.value)}` : formatSignificant(o.value)} ${unitOf(o.endpoint)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
        </div>
      </div>
      <div class="recommendation" data-testid="note-recommendation">
        ${
          rec.dose !== null
            ? html`<strong>Recommended: ${formatSignificant(rec.dose)} ${units.amount} ${every}</strong>, next dose at
                ${formatSignificant(n.nextDose)} ${units.time}; posterior probability ${rec.probability.toFixed(2)} of reaching the target
                at steady state (asked ${formatSignificant(rec.target)}).`
            : html`<strong>No dose on the grid reaches probability ${formatSignificant(rec.target)}</strong> ${every}; the highest is
                ${rec.probability.toFixed(2)}.`
        }
        ${
          rec.options.length > 1
            ? html`<br />Intervals considered (the least amount per day recommended):
                ${rec.options
                  .map(
                    (o) =>
                      `${formatSignificant(o.interval)} ${units.time}: ${
                        o.dose === null
                          ? 'no dose on the grid'
                          : `${formatSignificant(o.dose)} ${units.amount} (P ${o.probability.toFixed(2)})`
                      }`,
                  )
                  .join('; ')}.`
            : nothing
        }
        ${
          n.whatIf
            ? html`<br />What-if: ${formatSignificant(n.whatIf.dose)} ${units.amount} ${every}: probability
                ${n.whatIf.probability.toFixed(2)}.`
            : nothing
        }
      </div>
      ${patientPlot(result, n.whatIf, spec, 680, 210)}
      <p>
        Predicted ${endpoint(result.endpoint)} (blue: median and 90 % band), levels (dots), target
        (dashed)${n.whatIf ? ', what-if continuation (orange)' : ''}.
      </p>
      <h3>Parameters (this patient, MAP, beside the population's typical values for the same covariates)</h3>
      <table>
        <tbody>
          ${names.map(
            (p) =>
              html`<tr>
                <td>${p}</td>
                <td>${formatSignificant(r.individual[p] as number)}</td>
                <td>(${formatSignificant(r.typical[p] as number)})</td>
                <td>${r.units[p] ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h3>Caveats</h3>
      <ul>
        <li>
          Decision support, not a prescription: the prescriber decides. The model must suit this patient (population, assay, units, route);
          the recommendation assumes the regimen is kept until steady state and the patient resembles the model's data.
        </li>
        ${r.notes.map((note) => html`<li>${note}</li>`)}
        ${
          record.observations.length === 0
            ? nothing
            : html`<li>
                Individual estimates from ${record.observations.length} level(s): few levels leave them close to the population's.
              </li>`
        }
      </ul>
    </article>`;
  }
}

customElements.define('qp-patient-note', PatientNote);

declare global {
  interface HTMLElementTagNameMap {
    'qp-patient-note': PatientNote;
  }
}
