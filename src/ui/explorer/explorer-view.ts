/**
 * `<qp-explorer .data=${Dataset} .datasetId=${string}>`: the data explorer (Figure 1) — six panels and
 * a per-subject viewer. The derivations run in the explorer worker, which reads the stored dataset
 * by id (a million rows take seconds to derive); what a plot draws point by point is thinned there
 * (explorer-display.ts) and the plot says so.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ExplorerModel } from '../../data/explore/explorer-model';
import { subjectSeries } from '../../data/explore/subject-series';
import { subjectSummaries, type SubjectSummary } from '../../data/explore/subject-summaries';
import type { Dataset } from '../../data/types';
import { exploreClient } from '../../../workers/explore-client';
import { fileNameOf } from '../../export/file-name';
import '../export/export-menu';
import { type ArmColorScale, armColorScale, colorOf } from './arm-colors';
import { bwByArmPlot } from './bw-by-arm-plot';
import { comedByArmPlot } from './comed-by-arm-plot';
import { COMED_LABELS } from './comed-colors';
import { doseAllocationPlot } from './dose-allocation-plot';
import { type ExplorerDisplay, type Shown, thinSubjectSeries } from './explorer-display';
import { explorerStyles } from './explorer-styles';
import { hysteresisPlot } from './hysteresis-plot';
import { pdTimePlot } from './pd-time-plot';
import { pkTimePlot } from './pk-time-plot';
import { PlotFrames } from './plot-frames';
import { formatCount, formatSignificant } from '../../text/format';
import { subjectPlot } from './subject-plot';
import { formText } from '../form-text';
import { describeError, technicalDetails } from '../run-notice';

export type PlotName = 'dose-allocation' | 'bw-by-arm' | 'comed-by-arm' | 'pk-time' | 'pkpd-hysteresis' | 'pd-time' | 'subject';

export class ExplorerView extends LitElement {
  static override properties = {
    data: { attribute: false },
    datasetId: { attribute: false },
    display: { state: true },
    failure: { state: true },
    idProblem: { state: true },
    logScale: { state: true },
    showIndividuals: { state: true },
    loopArm: { state: true },
    subject: { state: true },
  };
  static override styles = explorerStyles;

  /** The dataset to explore. (Not `dataset`: that name is HTMLElement's data-* attribute map.) */
  declare data: Dataset | null;
  /** Its id in the store, where the explorer worker reads it. */
  declare datasetId: string | null;
  /** The worker's answer for `datasetId`; null while it works. */
  declare display: ExplorerDisplay | null;
  /** Why the plots could not be prepared. */
  /** Why the plots could not be prepared, in words, and an unexpected error's technical text. */
  declare failure: { text: string; detail: string | null } | null;
  /** Why the subject ID typed could not be shown. */
  declare idProblem: string | null;
  declare logScale: boolean;
  declare showIndividuals: boolean;
  /** Label of the arm whose PK–PD loop is shown. */
  declare loopArm: string | null;
  /** Subject index shown in the subject viewer. */
  declare subject: number | null;

  private model: ExplorerModel | null = null;
  private colors: ArmColorScale = { domain: [], range: [] };
  private readonly frames = new PlotFrames(this);
  /** Whether the subject plot drawn last had its points thinned. */
  private seriesThinned = { subject: -1, thinned: false };
  /** Counts requests to the worker: only the latest one's answer is shown. */
  private request = 0;

  constructor() {
    super();
    this.data = null;
    this.datasetId = null;
    this.display = null;
    this.failure = null;
    this.idProblem = null;
    this.logScale = false;
    this.showIndividuals = false;
    this.loopArm = null;
    this.subject = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data') || changed.has('datasetId')) {
      this.frames.clear();
      this.display = null;
      this.failure = null;
      this.idProblem = null;
      void this.prepare();
    }
    if (changed.has('display')) {
      this.frames.clear();
      this.model = this.display?.model ?? null;
      this.colors = armColorScale(this.model?.arms ?? []);
      const loops = this.model?.loops ?? [];
      this.loopArm = loops.length > 0 ? loops[loops.length - 1].label : null;
      this.subject = this.model && this.data ? defaultSubject(this.model, this.data) : null;
    }
  }

  /** Asks the worker for the explorer's model of the dataset shown. */
  private async prepare(): Promise<void> {
    const id = this.datasetId;
    const request = ++this.request;
    if (id === null || !this.data) return;
    try {
      const display = await exploreClient.display(id);
      if (request === this.request) this.display = display;
    } catch (error) {
      if (request === this.request) {
        const { text, detail } = describeError(error);
        this.failure = { text: `The plots could not be prepared: ${text}`, detail };
      }
    }
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.failure)
      return html`<div class="note" role="alert" data-testid="explorer-failure">
        ${this.failure.text}${technicalDetails(this.failure.detail)}
      </div>`;
    const m = this.model;
    if (!this.data || this.datasetId === null) return nothing;
    if (!m || !this.display) return html`<p class="note" role="status" data-testid="explorer-preparing">Preparing the plots…</p>`;
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
    const dots = this.display?.thinned.weightDots;
    const detail =
      `Box: median and quartiles; dots: ${dots ? `${shownText(dots, 'subjects')}, evenly spaced by weight within each arm` : 'subjects'}` +
      (bw.missing ? ` (${formatCount(bw.missing)} without BW)` : '');
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
    const curves = this.display?.thinned.individualCurves;
    if (this.showIndividuals && curves) parts.push(`individual curves of ${shownText(curves, 'subjects')} (evenly spaced within each arm)`);
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
    const listed = m.subjects.find((s) => s.subject === this.subject);
    const current = listed ?? this.summaryOf(m, this.subject) ?? m.subjects[0];
    if (!data || !current) return nothing;
    const options = listed || current === m.subjects[0] ? m.subjects : [current, ...m.subjects];
    const plot = this.frames.plot('subject', String(current.subject), (width) => {
      const { series, thinned } = thinSubjectSeries(subjectSeries(data, current.subject));
      this.seriesThinned = { subject: current.subject, thinned };
      return subjectPlot({ series, color: colorOf(this.colors, current.label), showPk: m.pk !== null, showPd: m.pd !== null, width });
    });
    const picker = this.display?.thinned.pickerSubjects;
    const controls = html`<div class="controls">
      <label
        >Subject
        <select @change=${(e: Event) => (this.subject = Number((e.target as HTMLSelectElement).value))}>
          ${options.map((s) => html`<option value=${s.subject} ?selected=${s.subject === current.subject}>${subjectLabel(s)}</option>`)}
        </select></label
      >
      ${
        picker
          ? html`<form class="subject-id" @submit=${this.onSubjectId}>
              <label>ID <input name="id" type="text" size="10" autocomplete="off" data-testid="subject-id" /></label>
              <button type="submit">Show</button>
              <span class="detail" data-testid="subject-list-note"
                >${shownText(picker, 'subjects')} listed; type an ID to show any other.</span
              >
              ${this.idProblem ? html`<span role="alert" class="detail">${this.idProblem}</span>` : nothing}
            </form>`
          : nothing
      }
    </div>`;
    const kinds = [m.pk ? 'PK' : '', m.pd ? 'PD' : ''].filter(Boolean).join(' and ');
    return this.figure(
      'subject',
      'Subject viewer',
      `${kinds} observations of one subject; dashed lines mark doses${
        this.seriesThinned.subject === current.subject && this.seriesThinned.thinned ? '; many points: evenly spaced ones drawn' : ''
      }`,
      plot,
      controls,
      true,
    );
  }

  /** The picker's summary of a subject the worker did not list (shown by its ID). */
  private summaryOf(m: ExplorerModel, subject: number | null): SubjectSummary | undefined {
    if (subject === null || !this.data || !this.display?.thinned.pickerSubjects) return undefined;
    const arm = m.arms.find((a) => a.subjects.includes(subject));
    return arm ? subjectSummaries(this.data, [{ ...arm, subjects: [subject] }])[0] : undefined;
  }

  private readonly onSubjectId = (event: Event): void => {
    event.preventDefault();
    const typed = formText(event.target as HTMLFormElement, 'id').trim();
    const subjects = this.data?.subjects ?? [];
    let index = subjects.findIndex((s) => s.id === typed);
    if (index < 0) index = subjects.findIndex((s) => s.id.toLowerCase() === typed.toLowerCase());
    if (typed === '' || index < 0) {
      this.idProblem = typed === '' ? 'Type a subject ID.' : `No subject has the ID “${typed.slice(0, 40)}”.`;
      return;
    }
    this.idProblem = null;
    this.subject = index;
  };
}

/** "2,000 of 150,000 subjects". */
function shownText(shown: Shown, what: string): string {
  return `${formatCount(shown.shown)} of ${formatCount(shown.total)} ${what}`;
}

/** "ID 13 · 1 mg · 100 kg · COMED". */
function subjectLabel(s: SubjectSummary): string {
  const parts = [`ID ${s.id}`, s.label];
  if (s.bw !== null) parts.push(Number.isFinite(s.bw) ? `${formatSignificant(s.bw)} kg` : 'BW unknown');
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
