/**
 * `<qp-dose-response-plots .models=${DoseResponseModel[]}>`: success fraction against dose, one
 * panel per regimen (the spec's names), a line per scenario with its uncertainty band (parameter
 * uncertainty for the population model, the members of an ensemble for networks), the target lines
 * and each answer marked; doses in the spec's amount unit, the criterion in words.
 */
import * as Plot from '@observablehq/plot';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { DoseAnswer, DoseResponseCurve } from '../../dose/dose-questions';
import { PlotFrames } from '../explorer/plot-frames';
import { basePlot, MUTED } from '../explorer/plot-theme';
import { formatSignificant } from '../../text/format';
import { reportFigure, reportPlotStyles } from '../model/report-figure';
import { formatDose, formatPercent } from './dose-format';
import { maxOf } from '../../data/min-max';

export interface DoseResponseModel {
  id: string;
  label: string;
  kind: 'mechanistic' | 'network';
  answers: readonly DoseAnswer[];
  curves: readonly DoseResponseCurve[];
  targets: readonly number[];
  /** The dose unit (the spec's amount unit). */
  unit: string;
  /** The criterion in words, e.g. "PD (Biomarker) below 3.3 ng/mL throughout the last dosing interval at steady state". */
  question: string;
}

const SCENARIO_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00'];
const TARGET_SYMBOLS = ['circle', 'square', 'diamond', 'triangle'];
/** The x axis ends a little after every scenario's curve reaches this share. */
const NEAR_ALL = 0.99;

const titleOf = (scenario: string): string => scenario;

export class DoseResponsePlots extends LitElement {
  static override properties = {
    models: { attribute: false },
    selected: { state: true },
  };
  static override styles = reportPlotStyles;

  declare models: readonly DoseResponseModel[];
  declare selected: string;

  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.models = [];
    this.selected = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('models')) this.frames.clear();
    if (!this.models.some((m) => m.id === this.selected)) this.selected = this.models[0]?.id ?? '';
  }

  protected override render(): TemplateResult | typeof nothing {
    const model = this.models.find((m) => m.id === this.selected);
    if (!model) return nothing;
    const regimens = [...new Set(model.curves.map((c) => c.regimen))];
    const banded = model.curves.some((c) => c.band);
    const bandText = model.kind === 'mechanistic' ? 'parameter uncertainty' : 'the ensemble’s networks';
    const detail = `Lines: share of virtual subjects with ${model.question} at each grid dose; ${banded ? `bands: 5th–95th percentile over ${bandText}; ` : ''}dashed: targets; marks: the answers`;
    const controls =
      this.models.length > 1
        ? html`<div class="controls">
            <label
              >Model
              <select @change=${(e: Event) => (this.selected = (e.target as HTMLSelectElement).value)}>
                ${this.models.map((m) => html`<option value=${m.id} ?selected=${m.id === model.id}>${m.label}</option>`)}
              </select></label
            >
          </div>`
        : nothing;
    return html`${controls}
      <div class="grid">
        ${regimens.map((regimen) =>
          reportFigure(
            `dose-response-${regimen}`,
            `Regimen ${regimen}`,
            detail,
            this.frames.plot(`dose-response-${regimen}`, model.id, (width) => doseResponsePlot(model, regimen, width)),
          ),
        )}
      </div>`;
  }
}

function xMaxOf(curves: readonly DoseResponseCurve[], answers: readonly DoseAnswer[]): number {
  const ends = curves.map((c) => {
    const near = c.points.find((p) => p.fraction >= NEAR_ALL && (c.band?.find((b) => b.dose === p.dose)?.p05 ?? 1) >= NEAR_ALL - 0.05);
    return near?.dose ?? c.grid[c.grid.length - 1];
  });
  const answered = answers.map((a) => a.dose ?? 0);
  const gridEnd = maxOf(curves.map((c) => c.grid[c.grid.length - 1]));
  return Math.min(gridEnd, 1.15 * Math.max(maxOf(ends), maxOf(answered)));
}

export function doseResponsePlot(model: DoseResponseModel, regimen: string, width: number): Element {
  const curves = model.curves.filter((c) => c.regimen === regimen);
  const answers = model.answers.filter((a) => a.regimen === regimen && a.dose !== null);
  const scenarios = curves.map((c) => titleOf(c.scenario));
  const xMax = xMaxOf(curves, answers);
  const lines = curves.flatMap((c) =>
    c.points.filter((p) => p.dose <= xMax).map((p) => ({ scenario: titleOf(c.scenario), dose: p.dose, fraction: p.fraction })),
  );
  const bands = curves.flatMap((c) => (c.band ?? []).filter((b) => b.dose <= xMax).map((b) => ({ scenario: titleOf(c.scenario), ...b })));
  const marks = answers.map((a) => ({
    scenario: titleOf(a.scenario),
    target: formatPercent(a.target),
    dose: a.dose!,
    fraction: a.fraction!,
  }));
  const targets = model.targets.map((t) => ({ target: t, label: `target ${formatPercent(t)}` }));
  return Plot.plot({
    ...basePlot(width, 320),
    marginRight: 20,
    ariaLabel: `Regimen ${regimen}: share of virtual subjects meeting the criterion against dose for ${scenarios.join(', ')}`,
    x: { label: `Dose (${model.unit})`, domain: [0, xMax], grid: true },
    y: { label: 'Subjects meeting the criterion', domain: [0, 1], tickFormat: '.0%', grid: true },
    color: { domain: scenarios, range: SCENARIO_COLORS, legend: true },
    symbol: { domain: model.targets.map(formatPercent), range: TARGET_SYMBOLS, legend: true },
    marks: [
      Plot.areaY(bands, { x: 'dose', y1: 'p05', y2: 'p95', fill: 'scenario', fillOpacity: 0.16, ariaDescription: 'uncertainty bands' }),
      Plot.ruleY(targets, { y: 'target', stroke: MUTED, strokeDasharray: '5,4' }),
      Plot.text(targets, { y: 'target', text: 'label', frameAnchor: 'left', dx: 4, dy: -7, fill: MUTED, fontSize: 11 }),
      Plot.line(lines, { x: 'dose', y: 'fraction', stroke: 'scenario', strokeWidth: 1.8, ariaDescription: 'dose–response' }),
      Plot.dot(marks, {
        x: 'dose',
        y: 'fraction',
        stroke: 'scenario',
        symbol: 'target',
        fill: '#ffffff',
        strokeWidth: 2,
        r: 5,
        tip: true,
        title: (m: { scenario: string; target: string; dose: number; fraction: number }) =>
          `${m.scenario}, target ${m.target}: ${formatDose(m.dose)} ${model.unit} (${formatSignificant(100 * m.fraction)} % meet the criterion)`,
        ariaDescription: 'answers',
      }),
    ],
  });
}

if (!customElements.get('qp-dose-response-plots')) customElements.define('qp-dose-response-plots', DoseResponsePlots);

declare global {
  interface HTMLElementTagNameMap {
    'qp-dose-response-plots': DoseResponsePlots;
  }
}
