/**
 * `<qp-explorer .data=${Dataset} .datasetId=${string} .spec=${StudySpec}>`: the data explorer — subjects
 * per group, every covariate by group, the mean PK and PD over time per group, the PK–PD loop, and a
 * per-subject viewer — read through the dataset's study spec (groups from `groupBy`, the endpoints and
 * their units, the dose questions' criterion). The derivations run in the explorer worker, which reads
 * the stored dataset by id (a million rows take seconds to derive); what a plot draws point by point is
 * thinned there (explorer-display.ts) and the plot says so.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { CovariateByGroup } from '../../data/explore/covariates-by-group';
import type { EndpointView, ExplorerModel } from '../../data/explore/explorer-model';
import { subjectSeries } from '../../data/explore/subject-series';
import { subjectSummaries, type SubjectSummary } from '../../data/explore/subject-summaries';
import type { Dataset } from '../../data/types';
import { selectorLabel } from '../../study/guess-spec';
import type { StudySpec } from '../../study/study-spec';
import { exploreClient } from '../../../workers/explore-client';
import { fileNameOf } from '../../export/file-name';
import '../export/export-menu';
import { type ArmColorScale, colorOf, groupColorScale } from './arm-colors';
import { categoricalCovariatePlot, continuousCovariatePlot } from './covariate-plot';
import { endpointTimePlot, referenceText } from './endpoint-time-plot';
import { type ExplorerDisplay, type Shown, thinSubjectSeries } from './explorer-display';
import { explorerStyles } from './explorer-styles';
import { groupSizesPlot } from './group-sizes-plot';
import { hysteresisPlot } from './hysteresis-plot';
import { PlotFrames } from './plot-frames';
import { formatCount, formatSignificant } from '../../text/format';
import { subjectPlot } from './subject-plot';
import { formText } from '../form-text';
import { describeError, technicalDetails } from '../run-notice';

export type PlotName = 'group-sizes' | `covariate-${string}` | 'pk-time' | 'pkpd-hysteresis' | 'pd-time' | 'subject';

export class ExplorerView extends LitElement {
  static override properties = {
    data: { attribute: false },
    datasetId: { attribute: false },
    spec: { attribute: false },
    display: { state: true },
    failure: { state: true },
    idProblem: { state: true },
    logScale: { state: true },
    showIndividuals: { state: true },
    loopGroup: { state: true },
    subject: { state: true },
  };
  static override styles = explorerStyles;

  /** The dataset to explore. (Not `dataset`: that name is HTMLElement's data-* attribute map.) */
  declare data: Dataset | null;
  /** Its id in the store, where the explorer worker reads it. */
  declare datasetId: string | null;
  /** The dataset's study spec: groups, endpoints, units and the criterion drawn. */
  declare spec: StudySpec | null;
  /** The worker's answer for `datasetId`; null while it works. */
  declare display: ExplorerDisplay | null;
  /** Why the plots could not be prepared. */
  /** Why the plots could not be prepared, in words, and an unexpected error's technical text. */
  declare failure: { text: string; detail: string | null } | null;
  /** Why the subject ID typed could not be shown. */
  declare idProblem: string | null;
  declare logScale: boolean;
  declare showIndividuals: boolean;
  /** Label of the group whose PK–PD loop is shown. */
  declare loopGroup: string | null;
  /** Subject index shown in the subject viewer. */
  declare subject: number | null;

  private model: ExplorerModel | null = null;
  private colors: ArmColorScale = { domain: [], range: [] };
  /** The spec the plots were asked for, as text (a new but equal spec object draws nothing anew). */
  private specKey = '';
  private readonly frames = new PlotFrames(this);
  /** Whether the subject plot drawn last had its points thinned. */
  private seriesThinned = { subject: -1, thinned: false };
  /** Counts requests to the worker: only the latest one's answer is shown. */
  private request = 0;

  constructor() {
    super();
    this.data = null;
    this.datasetId = null;
    this.spec = null;
    this.display = null;
    this.failure = null;
    this.idProblem = null;
    this.logScale = false;
    this.showIndividuals = false;
    this.loopGroup = null;
    this.subject = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const specKey = this.spec ? JSON.stringify(this.spec) : '';
    if (changed.has('data') || changed.has('datasetId') || specKey !== this.specKey) {
      this.specKey = specKey;
      this.frames.clear();
      this.display = null;
      this.failure = null;
      this.idProblem = null;
      void this.prepare();
    }
    if (changed.has('display')) {
      this.frames.clear();
      this.model = this.display?.model ?? null;
      this.colors = groupColorScale(this.model?.groups ?? []);
      const loops = this.model?.loops ?? [];
      this.loopGroup = loops.length > 0 ? loops[loops.length - 1].label : null;
      this.subject = this.model?.defaultSubject ?? null;
    }
  }

  /** Asks the worker for the explorer's model of the dataset shown. */
  private async prepare(): Promise<void> {
    const id = this.datasetId;
    const spec = this.spec;
    const request = ++this.request;
    if (id === null || !this.data || !spec) return;
    try {
      const display = await exploreClient.display(id, spec);
      // The plots are built in a task of their own, not in the one that received the worker's answer.
      await new Promise((resolve) => setTimeout(resolve, 0));
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
    if (!this.data || this.datasetId === null || !this.spec) return nothing;
    if (!m || !this.display) return html`<p class="note" role="status" data-testid="explorer-preparing">Preparing the plots…</p>`;
    return html`
      <div class="grid">
        ${this.notes(m)} ${this.groupSizes(m)} ${m.covariates.map((c) => this.covariate(m, c))} ${this.endpointTime(m, 'pk')}
        ${this.hysteresis(m)} ${this.endpointTime(m, 'pd')} ${this.subjectViewer(m)}
      </div>
    `;
  }

  /** What the plots leave out, and why. */
  private notes(m: ExplorerModel): TemplateResult[] {
    const notes: TemplateResult[] = [];
    const note = (name: string, text: string): void => void notes.push(html`<p class="note" data-note=${name} role="note">${text}</p>`);
    if (m.groupNote) note('group', `Groups: ${m.groupNote}`);
    for (const kind of ['pk', 'pd'] as const) {
      const endpoint = m.endpoints[kind];
      const what = kind === 'pk' ? 'PK (concentration)' : 'PD (response)';
      if (!endpoint) note(`no-${kind}`, `The study has no ${what} endpoint: ${kind.toUpperCase()} plots are hidden.`);
      else if (!m[kind])
        note(
          `no-${kind}`,
          `No usable observations are ${selectorLabel(endpoint.selector)}, the study's ${what} endpoint: ${kind.toUpperCase()} plots are hidden. Check the endpoints in the study settings.`,
        );
    }
    if (m.covariates.length === 0) note('no-covariates', 'This file has no covariates to show by group.');
    if (m.covariatesOmitted.length > 0)
      note(
        'covariates-omitted',
        `${formatCount(m.covariatesOmitted.length)} more covariate${m.covariatesOmitted.length === 1 ? ' is' : 's are'} not drawn: ${m.covariatesOmitted.slice(0, 12).join(', ')}${m.covariatesOmitted.length > 12 ? ', …' : ''}.`,
      );
    return notes;
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

  private groupSizes(m: ExplorerModel): TemplateResult {
    const plot = this.frames.plot('group-sizes', '', (width) => groupSizesPlot({ groups: m.groups, colors: this.colors, width }));
    const by = m.groupBy === 'regimen' ? 'each subject’s dosing (regimen)' : m.groupBy;
    const detail = m.pooledGroups
      ? `${formatCount(m.pooledGroups)} groups by ${by}: too many to draw apart, so all subjects are pooled. Choose a grouping with fewer values in the study settings.`
      : `Grouped by ${by}`;
    return this.figure('group-sizes', 'Subjects per group', detail, plot);
  }

  private covariate(m: ExplorerModel, covariate: CovariateByGroup): TemplateResult {
    const name: PlotName = `covariate-${covariate.name}`;
    const caption = `${covariate.name} by group${covariate.timeVarying ? ' (baseline)' : ''}`;
    if (covariate.kind === 'categorical') {
      const plot = this.frames.plot(name, '', (width) => categoricalCovariatePlot({ covariate, width }));
      return this.figure(name, caption, 'Share of subjects at each value; labels give counts', plot);
    }
    const plot = this.frames.plot(name, '', (width) =>
      continuousCovariatePlot({ covariate, groupLabels: m.groups.map((g) => g.label), colors: this.colors, width }),
    );
    const dots = this.display?.thinned.covariateDots?.find((d) => d.name === covariate.name);
    const detail =
      `Box: median and quartiles; dots: ${dots ? `${shownText(dots, 'subjects')}, evenly spaced by value within each group` : 'subjects'}` +
      (covariate.missing ? ` (${formatCount(covariate.missing)} without ${covariate.name})` : '');
    return this.figure(name, caption, detail, plot);
  }

  private endpointTime(m: ExplorerModel, kind: 'pk' | 'pd'): TemplateResult | typeof nothing {
    const curves = m[kind];
    const endpoint = m.endpoints[kind];
    if (!curves || !endpoint) return nothing;
    const pk = kind === 'pk';
    const key = pk ? `${this.logScale}|${this.showIndividuals}` : '';
    const plot = this.frames.plot(`${kind}-time`, key, (width) =>
      endpointTimePlot({
        kind,
        endpoint,
        curves,
        individuals: pk && this.showIndividuals ? m.pkIndividuals : null,
        log: pk && this.logScale,
        timeUnit: m.timeUnit,
        reference: m.reference,
        colors: this.colors,
        width,
      }),
    );
    const log = pk && this.logScale;
    const parts = [log ? 'Geometric mean × ÷ geometric SD' : 'Mean ± SD'];
    if (m.reference?.endpoint === kind) parts.push(`dashed: the dose questions’ ${referenceText(m.reference)}`);
    if (curves.binned) parts.push('times binned (median time per bin)');
    if (log && curves.nonPositive > 0) parts.push(`${curves.nonPositive} values ≤ 0 left out on the log scale`);
    const thinnedCurves = this.display?.thinned.individualCurves;
    if (pk && this.showIndividuals && thinnedCurves)
      parts.push(`individual curves of ${shownText(thinnedCurves, 'subjects')} (evenly spaced within each group)`);
    const controls = pk
      ? html`<div class="controls">
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
        </div>`
      : nothing;
    return this.figure(`${kind}-time`, `${kind.toUpperCase()}: ${endpoint.name} over time`, parts.join('; '), plot, controls);
  }

  private hysteresis(m: ExplorerModel): TemplateResult | typeof nothing {
    const { pk, pd } = m.endpoints;
    if (!pk || !pd || !m.pd || m.loops.length === 0) return nothing;
    const loop = m.loops.find((l) => l.label === this.loopGroup) ?? m.loops[m.loops.length - 1];
    const plot = this.frames.plot('pkpd-hysteresis', loop.label, (width) =>
      hysteresisPlot({ loop, pk, pd, timeUnit: m.timeUnit, reference: m.reference, color: colorOf(this.colors, loop.label), width }),
    );
    const controls = html`<div class="controls">
      <label
        >Group
        <select @change=${(e: Event) => (this.loopGroup = (e.target as HTMLSelectElement).value)}>
          ${m.loops.map((l) => html`<option value=${l.label} ?selected=${l.label === loop.label}>${l.label}</option>`)}
        </select></label
      >
    </div>`;
    const detail = `Mean ${pk.name} vs mean ${pd.name} in time order (arrows); open circle: first time${loop.binned ? '; times binned' : ''}`;
    return this.figure('pkpd-hysteresis', 'PK–PD hysteresis', detail, plot, controls);
  }

  private subjectViewer(m: ExplorerModel): TemplateResult | typeof nothing {
    const data = this.data;
    const listed = m.subjects.find((s) => s.subject === this.subject);
    const current = listed ?? this.summaryOf(m, this.subject) ?? m.subjects[0];
    if (!data || !current) return nothing;
    const options = listed || current === m.subjects[0] ? m.subjects : [current, ...m.subjects];
    const shown = (endpoint: EndpointView | null, curves: unknown): EndpointView | null => (endpoint && curves ? endpoint : null);
    const pk = shown(m.endpoints.pk, m.pk);
    const pd = shown(m.endpoints.pd, m.pd);
    const plot = this.frames.plot('subject', String(current.subject), (width) => {
      const endpoints = { ...(pk ? { pk: pk.selector } : {}), ...(pd ? { pd: pd.selector } : {}) };
      const { series, thinned } = thinSubjectSeries(subjectSeries(data, current.subject, endpoints));
      this.seriesThinned = { subject: current.subject, thinned };
      return subjectPlot({
        series,
        color: colorOf(this.colors, current.label),
        pk,
        pd,
        timeUnit: m.timeUnit,
        amountUnit: m.amountUnit,
        reference: m.reference,
        width,
      });
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
    const kinds = [pk ? 'PK' : '', pd ? 'PD' : ''].filter(Boolean).join(' and ') || 'No';
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
    const group = m.groups.find((g) => g.subjects.includes(subject));
    const names = m.subjects[0]?.covariates.map((c) => c.name) ?? [];
    return group ? subjectSummaries(this.data, [{ ...group, subjects: [subject] }], names)[0] : undefined;
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

/** "ID 13 · DOSE 10 · WT 71.3 · SEX 1". */
function subjectLabel(s: SubjectSummary): string {
  const parts = [`ID ${s.id}`, s.label];
  for (const c of s.covariates) parts.push(`${c.name} ${Number.isFinite(c.value) ? formatSignificant(c.value, 4) : 'unknown'}`);
  return parts.join(' · ');
}

if (!customElements.get('qp-explorer')) customElements.define('qp-explorer', ExplorerView);

declare global {
  interface HTMLElementTagNameMap {
    'qp-explorer': ExplorerView;
  }
}
