/**
 * `<qp-dose-answers-table .models=${ModelAnswers[]}>`: the answers as one table in the study's names —
 * the question in words above it, a row group per scenario (its name and covariate distributions), a
 * row per target × regimen, a column group per model (dose in the spec's amount unit, share of
 * subjects meeting the criterion with its 95 % interval, flags) and, for networks, the distance from
 * the population model's answer; the run's notes (loading doses, falling success) below. Compact
 * enough for the population model and two networks on a 1366 px screen; wider tables scroll sideways
 * in a keyboard-focusable region with the row headers kept in view.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { modelStyles } from '../model/model-styles';
import { focusStyles } from '../shared-styles';
import {
  type AnswerCell,
  type AnswerFlag,
  type AnswerRow,
  answerRows,
  FLAG_ABBREVIATIONS,
  FLAG_LABELS,
  type ModelAnswers,
  scenarioLabel,
  tableQuestions,
} from './answer-rows';
import { formatDose, formatPercent, formatPercentRange } from './dose-format';

const FLAG_LEGEND = (Object.keys(FLAG_ABBREVIATIONS) as AnswerFlag[]).map((f) => `${FLAG_ABBREVIATIONS[f]} ${FLAG_LABELS[f]}`).join(', ');

const columnsOf = (model: ModelAnswers): number => (model.kind === 'network' ? 4 : 3);

export class DoseAnswersTable extends LitElement {
  static override properties = { models: { attribute: false } };
  static override styles = [
    modelStyles,
    focusStyles,
    css`
      th,
      td {
        padding: 0.3rem 0.4rem;
      }
      thead th {
        text-transform: none;
        letter-spacing: 0;
        white-space: normal;
        vertical-align: bottom;
      }
      th[scope='colgroup'] {
        text-align: center;
        border-left: 2px solid var(--qp-border, #c9d2db);
      }
      .group-start {
        border-left: 2px solid var(--qp-border, #c9d2db);
      }
      /* The row headers stay in view when the table scrolls sideways. */
      th.row-head {
        position: sticky;
        left: 0;
        z-index: 1;
        background: var(--qp-surface, #fff);
        text-align: left;
      }
      th[scope='rowgroup'] {
        text-align: left;
        background: #f1f4f7;
        border-top: 2px solid var(--qp-border, #c9d2db);
      }
      th[scope='rowgroup'] > span {
        position: sticky;
        left: 0.4rem;
      }
      th[scope='rowgroup'] .muted {
        font-weight: 400;
        margin-left: 0.4rem;
      }
      td[data-cell='dose'] {
        white-space: normal;
      }
      .sub {
        display: block;
        font-size: 0.75rem;
        white-space: nowrap;
        color: var(--qp-muted, #52606d);
      }
      td.flags {
        white-space: normal;
        text-align: left;
      }
      .badge {
        --badge: #9a6700;
        margin: 0.05rem 0.1rem;
      }
      .badge[data-flag='not-reached'] {
        --badge: var(--qp-danger, #a4161a);
      }
      abbr {
        text-decoration: none;
        cursor: help;
      }
      th abbr {
        text-decoration: underline dotted;
      }
      p.note,
      ul.note {
        margin: 0.4rem 0 0;
      }
      p.question {
        margin: 0 0 0.5rem;
        font-weight: 600;
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
    const questions = tableQuestions(models)!;
    const reference = models.find((m) => m.kind === 'mechanistic') ?? models[0];
    const unit = reference.unit;
    const notes = [...new Set(models.flatMap((m) => m.notes))];
    const columns = 1 + models.reduce((n, m) => n + columnsOf(m), 0);
    const networks = models.some((m) => m.kind === 'network');
    return html`<p class="question" data-testid="answers-question">
        Dose at which at least the target share of virtual subjects has ${reference.question}.
      </p>
      <div class="table-wrap" tabindex="0" role="region" aria-label="Answers table">
        <table data-testid="answers-table">
          <thead>
            <tr>
              <th rowspan="2" scope="col" class="row-head">Target, regimen</th>
              ${models.map((m) => html`<th scope="colgroup" colspan=${columnsOf(m)}>${m.label}</th>`)}
            </tr>
            <tr>
              ${models.map(
                (m) =>
                  html`<th scope="col" class="group-start">Dose (${unit})</th>
                    <th scope="col">Success</th>
                    <th scope="col">Flags</th>
                    ${m.kind === 'network' ? html`<th scope="col"><abbr title="Difference from the population model's dose">Δ vs model</abbr></th>` : nothing}`,
              )}
            </tr>
          </thead>
          ${questions.scenarios.map(
            (scenario) =>
              html`<tbody>
                <tr>
                  <th scope="rowgroup" colspan=${columns}>
                    <span>${scenario.name}<span class="muted">${scenarioLabel(scenario)}</span></span>
                  </th>
                </tr>
                ${rows.filter((row) => row.scenario === scenario.name).map((row) => this.row(row, models))}
              </tbody>`,
          )}
        </table>
      </div>
      <p class="muted note">
        Dose (${unit}): the smallest grid dose whose share of virtual subjects meeting the criterion reaches the target (where success falls
        with the dose, the largest); below it, the 5th–95th percentile of that dose over uncertainty replicates where computed. Success:
        that share, with its 95 % Wilson interval (Monte-Carlo error) below it. Flags:
        ${FLAG_LEGEND}.${networks ? ` Δ vs model: the network’s dose minus the population model’s, in ${unit} and (below) in grid steps.` : nothing}
      </p>
      ${
        notes.length > 0
          ? html`<ul class="muted note" data-testid="answers-notes">
              ${notes.map((n) => html`<li>${n}</li>`)}
            </ul>`
          : nothing
      }`;
  }

  private row(row: AnswerRow, models: readonly ModelAnswers[]): TemplateResult {
    return html`<tr data-row=${row.key}>
      <th scope="row" class="row-head">≥ ${formatPercent(row.target)} · ${row.regimen}</th>
      ${row.cells.map((cell, m) => this.cell(cell, models[m].kind === 'network', models[m].unit))}
    </tr>`;
  }

  private cell(cell: AnswerCell | null, network: boolean, unit: string): TemplateResult {
    if (!cell)
      return html`<td class="group-start">–</td>
        <td>–</td>
        <td></td>
        ${network ? html`<td>–</td>` : nothing}`;
    const range = cell.range
      ? html`<span class="sub" title="5th–95th percentile over uncertainty replicates"
          >${Number.isFinite(cell.range.p05) ? `${formatDose(cell.range.p05)}–${formatDose(cell.range.p95)}` : 'not reached'}</span
        >`
      : nothing;
    const ci = cell.ci ? html`<span class="sub">${formatPercentRange(cell.ci)}</span>` : nothing;
    return html`<td class="group-start" data-cell="dose">${cell.dose === null ? 'not reached' : formatDose(cell.dose)}${range}</td>
      <td data-cell="fraction">${cell.fraction === null ? '–' : formatPercent(cell.fraction)}${ci}</td>
      <td class="flags" data-cell="flags">
        ${
          cell.flags.length === 0
            ? html`<span class="muted">none</span>`
            : cell.flags.map(
                (f) => html`<span class="badge" data-flag=${f}><abbr title=${FLAG_LABELS[f]}>${FLAG_ABBREVIATIONS[f]}</abbr></span>`,
              )
        }
      </td>
      ${
        network
          ? html`<td data-cell="difference">
              ${cell.difference ? html`${signed(cell.difference.dose)} ${unit}<span class="sub">${signed(cell.difference.steps)} steps</span>` : '–'}
            </td>`
          : nothing
      }`;
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
