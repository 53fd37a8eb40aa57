/**
 * `<qp-dose-answers-table .models=${ModelAnswers[]}>`: the answers as one table — a row group per
 * scenario, a row per target × regimen, a column group per model (dose, share suppressed with its
 * 95 % interval, flags) and, for networks, the distance from the mechanistic answer. Compact enough
 * for the mechanistic model and two networks on a 1366 px screen; wider tables scroll sideways in a
 * keyboard-focusable region with the row headers kept in view.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { modelStyles } from '../model/model-styles';
import { focusStyles } from '../shared-styles';
import {
  type AnswerCell,
  type AnswerFlag,
  type AnswerRow,
  answerRows,
  FLAG_LABELS,
  type ModelAnswers,
  REGIMEN_TITLES,
  SCENARIO_TITLES,
  scenarioLabel,
} from './answer-rows';
import { formatDose, formatPercent, formatPercentRange } from './dose-format';

/** Flags as the narrow table writes them, each explained by its `<abbr>` title and the legend below. */
const FLAG_ABBREVIATIONS: Readonly<Record<AnswerFlag, string>> = {
  'not-reached': 'NR',
  'non-monotone': 'NM',
  'steady-state-failed': 'NSS',
  'searches-disagree': 'DIS',
};

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
      p.note {
        margin: 0.4rem 0 0;
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
    const columns = 1 + models.reduce((n, m) => n + columnsOf(m), 0);
    const networks = models.some((m) => m.kind === 'network');
    return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Answers table">
        <table data-testid="answers-table">
          <thead>
            <tr>
              <th rowspan="2" scope="col" class="row-head">Target, regimen</th>
              ${models.map((m) => html`<th scope="colgroup" colspan=${columnsOf(m)}>${m.label}</th>`)}
            </tr>
            <tr>
              ${models.map(
                (m) =>
                  html`<th scope="col" class="group-start">Dose (mg)</th>
                    <th scope="col">Suppressed</th>
                    <th scope="col">Flags</th>
                    ${m.kind === 'network' ? html`<th scope="col"><abbr title="Difference from the mechanistic model's dose">Δ vs mech.</abbr></th>` : nothing}`,
              )}
            </tr>
          </thead>
          ${settings.scenarios.map(
            (scenario) =>
              html`<tbody>
                <tr>
                  <th scope="rowgroup" colspan=${columns}>
                    <span
                      >${SCENARIO_TITLES[scenario.name] ?? scenario.name}<span class="muted"
                        >${scenarioLabel(scenario, settings.trialComedShare)}</span
                      ></span
                    >
                  </th>
                </tr>
                ${rows.filter((row) => row.scenario === scenario.name).map((row) => this.row(row, models))}
              </tbody>`,
          )}
        </table>
      </div>
      <p class="muted note">
        Dose: smallest grid dose whose share of virtual subjects with PD below the threshold throughout the last interval at steady state
        reaches the target; below it, the 5th–95th percentile of that dose over uncertainty replicates where computed. Suppressed: that
        share, with its 95 % Wilson interval (Monte-Carlo error) below it. Flags:
        ${FLAG_LEGEND}.${networks ? ' Δ vs mech.: the network’s dose minus the mechanistic one, in mg and (below) in grid steps.' : nothing}
      </p>`;
  }

  private row(row: AnswerRow, models: readonly ModelAnswers[]): TemplateResult {
    return html`<tr data-row=${row.key}>
      <th scope="row" class="row-head">≥ ${formatPercent(row.target)} ${(REGIMEN_TITLES[row.regimen] ?? row.regimen).toLowerCase()}</th>
      ${row.cells.map((cell, m) => this.cell(cell, models[m].kind === 'network'))}
    </tr>`;
  }

  private cell(cell: AnswerCell | null, network: boolean): TemplateResult {
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
              ${cell.difference ? html`${signed(cell.difference.mg)} mg<span class="sub">${signed(cell.difference.steps)} steps</span>` : '–'}
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
