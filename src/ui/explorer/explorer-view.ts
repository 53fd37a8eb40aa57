/** `<qp-explorer>`: the data explorer (Figure 1) — six panels and a per-subject viewer. */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { explorerModel, type ExplorerModel } from '../../data/explore/explorer-model';
import { subjectSeries } from '../../data/explore/subject-series';
import type { SubjectSummary } from '../../data/explore/subject-summaries';
import type { Dataset } from '../../data/types';
import { fileNameOf } from '../../export/file-name';
import '../export/export-menu';
import { type ArmColorScale, armColorScale, colorOf } from './arm-colors';
import { bwByArmPlot } from './bw-by-arm-plot';
import { comedByArmPlot } from './comed-by-arm-plot';
import { COMED_LABELS } from './comed-colors';
import { doseAllocationPlot } from './dose-allocation-plot';
import { explorerStyles } from './explorer-styles';
import { hysteresisPlot } from './hysteresis-plot';
import { pdTimePlot } from './pd-time-plot';
import { pkTimePlot } from './pk-time-plot';
import { PlotFrames } from './plot-frames';
import { formatNumber } from './plot-theme';
import { subjectPlot } from './subject-plot';

export type PlotName = 'dose-allocation' | 'bw-by-arm' | 'comed-by-arm' | 'pk-time' | 'pkpd-hysteresis' | 'pd-time' | 'subject';

export class ExplorerView extends LitElement {
  static override properties = {
    data: { attribute: false },
    logScale: { state: true },
    showIndividuals: { state: true },
    loopArm: { state: true },
    subject: { state: true },
  };
  static override styles = explorerStyles;

  /** The dataset to explore. (Not `dataset`: that name is HTMLElement's data-* attribute map.) */
  declare data: Dataset | null;
  declare logScale: boolean;
  declare showIndividuals: boolean;
  /** Label of the arm whose PK–PD loop is shown. */
  declare loopArm: string | null;
  /** Subject index shown in the subject viewer. */
  declare subject: number | null;

  private model: ExplorerModel | null = null;
  private colors: ArmColorScale = { domain: [], range: [] };
  private readonly frames = new PlotFrames(this);

  constructor() {
    super();
    this.data = null;
    this.logScale = false;
    this.showIndividuals = false;
    this.loopArm = null;
    this.subject = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data')) {
      this.frames.clear();
      this.model = this.data ? explorerModel(this.data) : null;
      this.colors = armColorScale(this.model?.arms ?? []);
      const loops = this.model?.loops ?? [];
      this.loopArm = loops.length > 0 ? loops[loops.length - 1].label : null;
      this.subject = this.model ? defaultSubject(this.model, this.data as Dataset) : null;
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    const m = this.model;
    if (!m || !this.data) return nothing;
    return html`
      <div class="grid">
        ${m.pd ? nothing : html`<p class="note" data-note="no-pd" role="note">This file has no PD observations (DVID 2): PD plots are hidden.</p>`}
        ${m.pk ? nothing : html`<p class="note" data-note="no-pk" role="note">This file has no PK observations (DVID 1): concentration plots are hidden.</p>`}
        ${this.doseAllocation(m)} ${this.bodyWeight(m)} ${this.comed(m)} ${this.pkTime(m)} ${this.hysteresis(m)} ${this.pdTime(m)}
        ${this.subjectViewer(m)}
      </div>
    `;
  }

  private figure(
    name: PlotName,
    caption: string,
    detail: string | null,
    plot: Element | null,
    controls: unknown = nothing,
    wide = false,
  ): TemplateResult {
    return html`<figure data-plot=${name} class=${wide ? 'panel wide' : 'panel'}>
      <qp-export-menu .plot=${plot} name=${fileNameOf(caption)} label=${caption}></qp-export-menu>
      <figcaption>${caption}${detail ? html`<span class="detail">${detail}</span>` : nothing}</figcaption>
      ${controls}
      <div class="plot">${plot ?? nothing}</div>
    </figure>`;
  }

  private notePanel(note: string, title: string, text: string): TemplateResult {
    return html`<div class="note-panel" data-note=${note} role="note">
      <h3>${title}</h3>
      <p>${text}</p>
    </div>`;
  }

  private doseAllocation(m: ExplorerModel): TemplateResult {
    const plot = this.frames.plot('dose-allocation', '', (width) =>
      doseAllocationPlot({ arms: m.arms, comed: m.comed, colors: this.colors, width }),
    );
    return this.figure(
      'dose-allocation',
      'A. Dose allocation',
      m.comed ? 'Subjects per arm, split by concomitant medication' : 'Subjects per arm',
      plot,
    );
  }

  private bodyWeight(m: ExplorerModel): TemplateResult {
    const bw = m.bodyWeight;
    if (!bw)
      return this.notePanel('no-bw', 'B. Body weight by arm', 'This file has no body weight (BW) values: the body-weight plot is hidden.');
    const plot = this.frames.plot('bw-by-arm', '', (width) =>
      bwByArmPlot({ weights: bw.weights, armLabels: m.arms.map((a) => a.label), colors: this.colors, width }),
    );
    const detail = `Box: median and quartiles; dots: subjects${bw.missing ? ` (${bw.missing} without BW)` : ''}`;
    return this.figure('bw-by-arm', 'B. Body weight by arm', detail, plot);
  }

  private comed(m: ExplorerModel): TemplateResult {
    const comed = m.comed;
    if (!comed)
      return this.notePanel(
        'no-comed',
        'C. Concomitant medication by arm',
        'This file has no COMED column: the concomitant-medication plot is hidden.',
      );
    const plot = this.frames.plot('comed-by-arm', '', (width) => comedByArmPlot({ comed, width }));
    return this.figure('comed-by-arm', 'C. Concomitant medication by arm', 'Share of subjects; labels give counts', plot);
  }

  private pkTime(m: ExplorerModel): TemplateResult | typeof nothing {
    const pk = m.pk;
    if (!pk) return nothing;
    const key = `${this.logScale}|${this.showIndividuals}`;
    const plot = this.frames.plot('pk-time', key, (width) =>
      pkTimePlot({
        curves: pk,
        individuals: this.showIndividuals ? m.pkIndividuals : null,
        log: this.logScale,
        colors: this.colors,
        width,
      }),
    );
    const parts = [this.logScale ? 'Geometric mean × ÷ geometric SD' : 'Mean ± SD'];
    if (pk.binned) parts.push('times binned (median time per bin)');
    if (this.logScale && pk.nonPositive > 0) parts.push(`${pk.nonPositive} values ≤ 0 left out on the log scale`);
    const controls = html`<div class="controls">
      <label
        ><input
          type="checkbox"
          .checked=${this.logScale}
          @change=${(e: Event) => (this.logScale = (e.target as HTMLInputElement).checked)}
        />Log scale</label
      >
      <label
        ><input
          type="checkbox"
          .checked=${this.showIndividuals}
          @change=${(e: Event) => (this.showIndividuals = (e.target as HTMLInputElement).checked)}
        />Individual curves</label
      >
    </div>`;
    return this.figure('pk-time', 'D. Mean PK concentration over time', parts.join('; '), plot, controls);
  }

  private hysteresis(m: ExplorerModel): TemplateResult | typeof nothing {
    if (!m.pd || m.loops.length === 0) return nothing;
    const loop = m.loops.find((l) => l.label === this.loopArm) ?? m.loops[m.loops.length - 1];
    const plot = this.frames.plot('pkpd-hysteresis', loop.label, (width) =>
      hysteresisPlot({ loop, color: colorOf(this.colors, loop.label), width }),
    );
    const controls = html`<div class="controls">
      <label
        >Arm
        <select @change=${(e: Event) => (this.loopArm = (e.target as HTMLSelectElement).value)}>
          ${m.loops.map((l) => html`<option value=${l.label} ?selected=${l.label === loop.label}>${l.label}</option>`)}
        </select></label
      >
    </div>`;
    const detail = `Mean PK vs mean PD in time order (arrows); open circle: first time${loop.binned ? '; times binned' : ''}`;
    return this.figure('pkpd-hysteresis', 'E. PK–PD hysteresis', detail, plot, controls);
  }

  private pdTime(m: ExplorerModel): TemplateResult | typeof nothing {
    const pd = m.pd;
    if (!pd) return nothing;
    const plot = this.frames.plot('pd-time', '', (width) => pdTimePlot({ curves: pd, colors: this.colors, width }));
    const detail = `Mean ± SD; dashed line: suppression threshold${pd.binned ? '; times binned (median time per bin)' : ''}`;
    return this.figure('pd-time', 'F. Mean PD biomarker over time', detail, plot);
  }

  private subjectViewer(m: ExplorerModel): TemplateResult | typeof nothing {
    const data = this.data;
    const current = m.subjects.find((s) => s.subject === this.subject) ?? m.subjects[0];
    if (!data || !current) return nothing;
    const plot = this.frames.plot('subject', String(current.subject), (width) =>
      subjectPlot({
        series: subjectSeries(data, current.subject),
        color: colorOf(this.colors, current.label),
        showPk: m.pk !== null,
        showPd: m.pd !== null,
        width,
      }),
    );
    const controls = html`<div class="controls">
      <label
        >Subject
        <select @change=${(e: Event) => (this.subject = Number((e.target as HTMLSelectElement).value))}>
          ${m.subjects.map((s) => html`<option value=${s.subject} ?selected=${s.subject === current.subject}>${subjectLabel(s)}</option>`)}
        </select></label
      >
    </div>`;
    return this.figure(
      'subject',
      'Subject viewer',
      `${[m.pk ? 'PK' : '', m.pd ? 'PD' : ''].filter(Boolean).join(' and ')} observations of one subject; dashed lines mark doses`,
      plot,
      controls,
      true,
    );
  }
}

/** "ID 13 · 1 mg · 100 kg · COMED". */
function subjectLabel(s: SubjectSummary): string {
  const parts = [`ID ${s.id}`, s.label];
  if (s.bw !== null) parts.push(Number.isFinite(s.bw) ? `${formatNumber(s.bw)} kg` : 'BW unknown');
  if (s.comed !== null) parts.push(COMED_LABELS[s.comed]);
  return parts.join(' · ');
}

/** First subject of the highest-dose arm that has PK, else the first subject. */
function defaultSubject(m: ExplorerModel, data: Dataset): number | null {
  for (let a = m.arms.length - 1; a >= 0; a--) {
    const s = m.arms[a].subjects.find((i) => data.subjects[i].pkCount > 0);
    if (s !== undefined) return s;
  }
  return m.subjects[0]?.subject ?? null;
}

if (!customElements.get('qp-explorer')) customElements.define('qp-explorer', ExplorerView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-explorer': ExplorerView;
  }
}
