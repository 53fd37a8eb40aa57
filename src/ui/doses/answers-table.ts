/**
 * `<qp-dose-answers-table .models=${ModelAnswers[]}>`: the answers as one table — a row per
 * scenario × target × regimen, a column group per model (dose, share suppressed with its 95 %
 * interval, flags) and, for networks, the distance from the mechanistic answer.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { modelStyles } from '../model/model-styles';
import { type AnswerCell, type AnswerRow, answerRows, FLAG_LABELS, type ModelAnswers, REGIMEN_TITLES, SCENARIO_TITLES, scenarioLabel } from './answer-rows';
import { formatDose, formatPercent, formatPercentRange } from './dose-format';

export class DoseAnswersTable extends LitElement {
  static override properties = { models: { attribute: false } };
  static override styles = [
    modelStyles,
    css`
      th[scope='colgroup'],
      th[scope='rowgroup'] {
        white-space: normal;
      }
      th[scope='rowgroup'] {
        min-width: 9.5rem;
      }
      th[scope='colgroup'] {
        text-align: center;
        border-left: 2px solid var(--qp-border, #c9d2db);
      }
      .group-start {
        border-left: 2px solid var(--qp-border, #c9d2db);
      }
      tbody th .muted {
        display: block;
        font-weight: 400;
        font-size: 0.75rem;
      }
      .sub {
        display: block;
        font-size: 0.75rem;
        color: var(--qp-muted, #52606d);
      }
      .badge {
        --badge: #9a6700;
        margin: 0.05rem 0.1rem;
        white-space: nowrap;
      }
      .badge[data-flag='not-reached'] {
        --badge: var(--qp-danger, #a4161a);
      }
      tbody tr.group-first th,
      tbody tr.group-first td {
        border-top: 2px solid var(--qp-border, #c9d2db);
      }
      p.note {
        margin: 0.4rem 0 0;
      }
      .label {
        text-align: left;
      }
      td.flags {
        white-space: normal;
        text-align: left;
        min-width: 6rem;
      }
    `,
  ];

  declare models: readonly ModelAnswers[];

  constructor() {
    super();
    this.models = [];
  }

  protected override render(): TemplateResult | typeof nothing {
    const models = this.models;
    if (models.length === 0) return nothing;
    const rows = answerRows(models);
    const settings = (models.find((m) => m.kind === 'mechanistic') ?? models[0]).settings;
    const perScenario = rows.length / settings.scenarios.length;
    return html`<div class="table-wrap">
        <table data-testid="answers-table">
          <thead>
            <tr>
              <th rowspan="2" scope="col">Scenario</th>
              <th rowspan="2" scope="col" class="label">Target</th>
              <th rowspan="2" scope="col" class="label">Regimen</th>
              ${models.map((m) => html`<th scope="colgroup" colspan=${m.kind === 'network' ? 4 : 3}>${m.label}</th>`)}
            </tr>
            <tr>
              ${models.map(
                (m) => html`<th scope="col" class="group-start">Dose (mg)</th>
                  <th scope="col">Suppressed</th>
                  <th scope="col">Flags</th>
                  ${m.kind === 'network' ? html`<th scope="col">Δ vs mechanistic</th>` : nothing}`,
              )}
            </tr>
          </thead>
          <tbody>
            ${rows.map((row, i) => this.row(row, i % perScenario === 0 ? perScenario : 0, models, settings))}
          </tbody>
        </table>
      </div>
      <p class="muted note">
        Dose: smallest grid dose whose share of virtual subjects with PD below the threshold throughout the last interval at steady state reaches the
        target; below it, the 5th–95th percentile of that dose over uncertainty replicates where computed. Share: with its 95 % Wilson interval
        (Monte-Carlo error).
      </p>`;
  }

  private row(row: AnswerRow, span: number, models: readonly ModelAnswers[], settings: ModelAnswers['settings']): TemplateResult {
    const scenario = settings.scenarios.find((s) => s.name === row.scenario)!;
    return html`<tr data-row=${row.key} class=${span ? 'group-first' : ''}>
      ${span
        ? html`<th scope="rowgroup" rowspan=${span}>${SCENARIO_TITLES[row.scenario] ?? row.scenario}<span class="muted">${scenarioLabel(scenario, settings.trialComedShare)}</span></th>`
        : nothing}
      <td class="label">≥ ${formatPercent(row.target)}</td>
      <td class="label">${REGIMEN_TITLES[row.regimen] ?? row.regimen}</td>
      ${row.cells.map((cell, m) => this.cell(cell, models[m].kind === 'network'))}
    </tr>`;
  }

  private cell(cell: AnswerCell | null, network: boolean): TemplateResult {
    if (!cell) return html`<td class="group-start">–</td><td>–</td><td></td>${network ? html`<td>–</td>` : nothing}`;
    const range = cell.range
      ? html`<span class="sub" title="5th–95th percentile over uncertainty replicates"
          >${Number.isFinite(cell.range.p05) ? `${formatDose(cell.range.p05)}–${formatDose(cell.range.p95)}` : 'not reached'}</span
        >`
      : nothing;
    const ci = cell.ci ? html`<span class="sub">${formatPercentRange(cell.ci)}</span>` : nothing;
    return html`<td class="group-start" data-cell="dose">${cell.dose === null ? 'not reached' : formatDose(cell.dose)}${range}</td>
      <td data-cell="fraction">${cell.fraction === null ? '–' : formatPercent(cell.fraction)}${ci}</td>
      <td class="flags" data-cell="flags">${cell.flags.length === 0 ? html`<span class="muted">none</span>` : cell.flags.map((f) => html`<span class="badge" data-flag=${f}>${FLAG_LABELS[f]}</span>`)}</td>
      ${network ? html`<td data-cell="difference">${cell.difference ? `${signed(cell.difference.mg)} mg (${signed(cell.difference.steps)} steps)` : '–'}</td>` : nothing}`;
  }
}

function signed(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${formatDose(Math.abs(x))}`;
}

if (!customElements.get('qp-dose-answers-table')) customElements.define('qp-dose-answers-table', DoseAnswersTable);

declare global {
  interface HTMLElementTagNameMap {
    'qp-dose-answers-table': DoseAnswersTable;
  }
}
