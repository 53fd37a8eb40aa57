/**
 * `<qp-study-panel .meta=${DatasetMeta} .data=${Dataset}>`: the open dataset's study spec in the Data
 * view. A spec not yet confirmed (a new file's guesses, or the settings remembered for its header) is
 * the mapping step: the form, open, with "Confirm and explore". A confirmed one is a summary line with
 * "Study settings" (the form again), "Export study file" and "Import study file…". Confirming or
 * importing checks the spec against the data in the dataset worker (the study binding), then stores it
 * with the dataset and remembers it for files with the same header; a problem names its field and
 * nothing is stored. Emits `study-saved` with the dataset's new metadata.
 */
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Dataset } from '../../data/types';
import { downloadBlob } from '../../export/download';
import { type DatasetMeta, saveDatasetStudy } from '../../store/datasets';
import { readStudyFile, STUDY_FILE_SUFFIX, studyFileName, studyFileText } from '../../store/study-file';
import { headerSignature, selectorLabel, type StudyFacts, type StudySource } from '../../study/guess-spec';
import type { EndpointSelector, StudySpec } from '../../study/study-spec';
import type { SpecProblem } from '../../study/study-spec-reader';
import { formatNumber } from '../../text/format';
import { exploreClient } from '../../../workers/explore-client';
import { describeError, technicalDetails } from '../run-notice';
import { cardStyles, controlStyles } from '../shared-styles';
import './study-form';
import type { StudyForm } from './study-form';
import { studyStyles } from './study-styles';

/** The dataset an action on the study is for. */
interface StudyTarget {
  id: string;
  columns: readonly string[];
}

const INTRO: Partial<Record<StudySource, string>> = {
  guess:
    'QPKPD Studio guessed what the columns of this file mean. Check each setting, change what is wrong, then confirm: the plots, fits and dose questions follow them.',
  remembered: 'These are the settings you confirmed for another file with the same columns. Check them, then confirm.',
};

export class StudyPanel extends LitElement {
  static override properties = {
    meta: { attribute: false },
    data: { attribute: false },
    editing: { state: true },
    facts: { state: true },
    failure: { state: true },
    busy: { state: true },
    checkProblems: { state: true },
    notice: { state: true },
  };
  static override styles = [controlStyles, cardStyles, studyStyles];

  declare meta: DatasetMeta;
  declare data: Dataset;
  /** The form is open on a confirmed spec. */
  declare editing: boolean;
  declare facts: StudyFacts | null;
  /** A problem in words (a refused file, a failed read or store) and an unexpected error's technical text. */
  declare failure: { text: string; detail: string | null } | null;
  declare busy: boolean;
  declare checkProblems: SpecProblem[];
  /** What was just done (saved, imported), until the next action. */
  declare notice: string | null;
  private factsRequest = 0;
  /** The dataset whose facts were asked for. */
  private factsFor: string | null = null;

  constructor() {
    super();
    this.editing = false;
    this.facts = null;
    this.failure = null;
    this.busy = false;
    this.checkProblems = [];
    this.notice = null;
  }

  private get mapping(): boolean {
    return !this.meta.study.confirmed || this.editing;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('meta') && changed.get('meta')?.id !== this.meta.id) {
      this.facts = null;
      this.factsFor = null;
      this.editing = false;
      this.failure = null;
      this.notice = null;
    }
    if (this.mapping && this.factsFor !== this.meta.id) {
      this.factsFor = this.meta.id;
      void this.loadFacts();
    }
  }

  private async loadFacts(): Promise<void> {
    const request = ++this.factsRequest;
    const id = this.meta.id;
    try {
      const facts = await exploreClient.studyFacts(id);
      if (request === this.factsRequest && id === this.meta.id) this.facts = facts;
    } catch (error) {
      if (request === this.factsRequest) this.fail('The study settings could not be prepared', error);
    }
  }

  private fail(what: string, error: unknown): void {
    const { text, detail } = describeError(error);
    this.failure = { text: `${what}: ${text}`, detail };
  }

  protected override render(): TemplateResult {
    return this.mapping ? this.renderMapping() : this.renderSummary();
  }

  private renderMapping(): TemplateResult {
    const study = this.meta.study;
    const confirm = !study.confirmed;
    const intro = confirm ? (INTRO[study.source] ?? INTRO.guess) : 'Change what the columns mean and how the data are modelled.';
    return html`<section class="mapping" aria-labelledby="study-title" data-testid="study-mapping">
      <h2 id="study-title">${confirm ? 'Check the study settings' : 'Study settings'}</h2>
      <p class="muted">${intro}</p>
      ${this.renderFailure()}
      ${
        this.facts
          ? html`<qp-study-form
              .spec=${study.spec}
              .facts=${this.facts}
              .columns=${this.data.format.columns}
              .checkProblems=${this.checkProblems}
              mode=${confirm ? 'confirm' : 'edit'}
              ?busy=${this.busy}
              @study-submitted=${(e: CustomEvent<StudySpec>) => void this.save(e.detail, 'user')}
              @study-cancelled=${() => (this.editing = false)}
            >
              ${this.importButton()}
            </qp-study-form>`
          : this.failure
            ? nothing
            : html`<p class="muted" role="status">Reading the file’s observation types, doses and covariates…</p>`
      }
      ${this.facts ? nothing : html`<div class="actions">${this.importButton()}</div>`}
    </section>`;
  }

  private renderSummary(): TemplateResult {
    const spec = this.meta.study.spec;
    return html`<section aria-labelledby="study-title" data-testid="study-summary">
      <h2 id="study-title">Study: ${spec.name}</h2>
      <ul class="summary">
        ${summaryItems(spec).map(([term, text]) => html`<li><strong>${term}:</strong> ${text}</li>`)}
      </ul>
      <div class="actions">
        <button data-testid="study-settings" @click=${this.openSettings}>Study settings</button>
        <button data-testid="study-export" @click=${this.exportSpec}>Export study file</button>
        ${this.importButton()}
      </div>
      ${this.renderFailure()} ${this.notice ? html`<p class="notice" role="status" data-testid="study-notice">${this.notice}</p>` : nothing}
    </section>`;
  }

  private renderFailure(): TemplateResult | typeof nothing {
    return this.failure
      ? html`<div class="problems" role="alert" data-testid="study-problem">
          ${this.failure.text}${technicalDetails(this.failure.detail)}
        </div>`
      : nothing;
  }

  /** "Import study file…": a button opening a hidden file input. */
  private importButton(): TemplateResult {
    return html`<label>
      <input
        type="file"
        tabindex="-1"
        accept="${STUDY_FILE_SUFFIX},.json,application/json"
        data-testid="study-file-input"
        @change=${this.onStudyFile}
      />
      <button type="button" data-testid="study-import" ?disabled=${this.busy} @click=${this.openPicker}>Import study file…</button>
    </label>`;
  }

  private readonly openSettings = (): void => {
    this.notice = null;
    this.failure = null;
    this.editing = true;
  };

  private readonly openPicker = (): void => {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  };

  private readonly exportSpec = (): void => {
    downloadBlob(new Blob([studyFileText(this.meta.study.spec)], { type: 'application/json' }), studyFileName(this.meta.name));
  };

  private readonly onStudyFile = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || this.busy) return;
    // The dataset this import is for, even if another is opened while it is checked.
    const target = this.target();
    this.notice = null;
    this.failure = null;
    this.busy = true;
    try {
      const reading = await readStudyFile(file, target.columns);
      if (!reading.ok) {
        if (this.meta.id === target.id) this.failure = { text: reading.message, detail: null };
        return;
      }
      const problem = await exploreClient.checkStudy(target.id, reading.spec);
      if (problem?.path) {
        if (this.meta.id === target.id)
          this.failure = { text: `${file.name} was not used, and nothing was stored: ${problem.path}: ${problem.message}`, detail: null };
        return;
      }
      await this.store(
        target,
        reading.spec,
        'imported',
        `Study settings imported from ${file.name}.${problem ? ` Note: ${problem.message}` : ''}`,
      );
    } catch (error) {
      if (this.meta.id === target.id) this.fail(`${file.name} was not used`, error);
    } finally {
      this.busy = false;
    }
  };

  /** The open dataset's id and columns, taken when an action starts. */
  private target(): StudyTarget {
    return { id: this.meta.id, columns: this.data.format.columns };
  }

  /** Checks the form's spec against the data, then stores it; a problem with a field goes back to the form. */
  private async save(spec: StudySpec, source: StudySource): Promise<void> {
    const target = this.target();
    const confirmed = this.meta.study.confirmed;
    this.busy = true;
    this.failure = null;
    try {
      const problem = await exploreClient.checkStudy(target.id, spec);
      const here = this.meta.id === target.id; // else another dataset was opened meanwhile: the spec is stored with its own
      if (problem?.path) {
        if (!here) return;
        this.checkProblems = [problem];
        this.busy = false;
        await this.updateComplete;
        this.renderRoot.querySelector<StudyForm>('qp-study-form')?.focusProblem();
        return;
      }
      if (here) this.checkProblems = [];
      await this.store(target, spec, source, problem ? `Saved. Note: ${problem.message}` : confirmed ? 'Study settings saved.' : null);
    } catch (error) {
      if (this.meta.id === target.id) this.fail('The study settings were not saved', error);
    } finally {
      this.busy = false;
    }
  }

  private async store(target: StudyTarget, spec: StudySpec, source: StudySource, notice: string | null): Promise<void> {
    const meta = await saveDatasetStudy(target.id, spec, source, headerSignature(target.columns));
    if (this.meta.id === target.id) {
      this.editing = false;
      this.notice = notice;
    }
    this.dispatchEvent(new CustomEvent<DatasetMeta>('study-saved', { detail: meta, bubbles: true, composed: true }));
  }
}

function endpointText(selector: EndpointSelector, unit: string): string {
  return `${selector.name ?? ''}${selector.name ? ' — ' : ''}${selectorLabel(selector)}${unit ? `, ${unit}` : ''}`;
}

/** The spec in a line of terms: groups, endpoints, doses, the criterion. */
export function summaryItems(spec: StudySpec): [string, string][] {
  const items: [string, string][] = [['Groups', spec.groupBy === 'regimen' ? 'each subject’s dosing' : `by ${spec.groupBy}`]];
  if (spec.endpoints.pk) items.push(['PK', endpointText(spec.endpoints.pk, spec.units.concentration)]);
  if (spec.endpoints.pd) items.push(['PD', endpointText(spec.endpoints.pd, spec.units.response)]);
  items.push(['Doses', `${spec.model.pk.route === 'iv' ? 'intravenous' : 'oral'}, ${spec.units.amount}; time in ${spec.units.time}`]);
  const effects = spec.model.covariates.map((c) => `${c.on}~${c.column} (${c.form})`);
  items.push(['Covariate effects', effects.length > 0 ? effects.join(', ') : 'none']);
  const q = spec.questions;
  if (q) {
    const c = q.criterion;
    const level =
      c.rule === 'within' ? `within ${formatNumber(c.range[0])}–${formatNumber(c.range[1])}` : `${c.rule} ${formatNumber(c.threshold)}`;
    const unit = q.endpoint === 'pk' ? spec.units.concentration : spec.units.response;
    items.push(['Dose questions', `${q.endpoint.toUpperCase()} ${level}${unit ? ` ${unit}` : ''}`]);
  }
  return items;
}

if (!customElements.get('qp-study-panel')) customElements.define('qp-study-panel', StudyPanel);

declare global {
  interface HTMLElementTagNameMap {
    'qp-study-panel': StudyPanel;
  }
}
