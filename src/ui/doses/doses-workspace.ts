/**
 * The Doses view's state and actions: the form (the open dataset's study questions as edited, the run
 * options, the models), the chosen models run one after another in the dose worker (the population
 * model first: it is the reference the networks are compared with), progress, cancel, and the results
 * of the last run. One per page, so a run goes on (and its results stay) while the user looks at
 * another tab; views subscribe to its changes.
 */
import { datasetFingerprint } from '../../data/fingerprint';
import type { Dataset } from '../../data/types';
import type { DoseModelReport, DoseRunOptions, DoseRunProgress } from '../../dose/dose-run-report';
import type { TrainedModelMeta } from '../../model/trained-model';
import { ENCODER_LABELS } from '../../quantum/resources/architecture';
import { listTrainedModels } from '../../store/models';
import { onStoreChange } from '../../store/store-changes';
import type { QuestionsSpec, StudySpec } from '../../study/study-spec';
import { DoseRunCancelledError, DosesClient } from '../../../workers/doses-client';
import type { BackendRequest } from '../../platform/compute-backend';
import { cpuRetryAction, failureNotice, type Notice, offerCpuRetry, retryAction } from '../run-notice';
import { DEFAULT_MODELS, doseFormOf, type DoseFormValues, offerNetworks, runDraftOf } from './dose-form-model';

export interface ModelRun {
  id: string;
  label: string;
  report: DoseModelReport;
}

export interface RunProgress extends DoseRunProgress {
  modelLabel: string;
  modelNumber: number;
  modelCount: number;
}

export const MECHANISTIC_ID = 'mechanistic';
/** The run id of the hybrid model (not a saved model's id: those are UUIDs). */
export const HYBRID_ID = 'hybrid';

/** What a run answers: the open dataset, its study spec with the form's questions (checked), the run options and the models. */
export interface DoseRunRequest {
  data: Dataset;
  spec: StudySpec;
  options: DoseRunOptions;
  form: DoseFormValues;
  /** The dataset's name in the library. */
  datasetName: string;
}

export class DosesWorkspace extends EventTarget {
  running = false;
  /** The form as last edited, for the dataset `formDataset`; null until a dataset is open. */
  form: DoseFormValues | null = null;
  /** Id (or fingerprint, when not stored) of the dataset the form's questions come from. */
  formDataset: string | null = null;
  /** The questions and run options a share link asked for, applied to the next form made. */
  private pending: { questions: QuestionsSpec; run: DoseRunOptions } | null = null;
  progress: RunProgress | null = null;
  runs: readonly ModelRun[] = [];
  /** Fingerprint of the dataset the runs answered for. */
  runFingerprint: string | null = null;
  /** Name of the dataset the runs answered for, as the library lists it. */
  runDatasetName: string | null = null;
  /** The study spec the runs answered (the stored one with the form's questions). */
  runSpec: StudySpec | null = null;
  saved: readonly TrainedModelMeta[] = [];
  notice: Notice | null = null;
  private readonly client = new DosesClient();
  /** When this page opened: networks saved since are offered ticked (see offerNetworks). */
  private readonly since = Date.now();
  private readonly offered = new Set<string>();

  constructor() {
    super();
    // Models are saved, renamed and deleted in the Model tab's worker and in other tabs.
    onStoreChange('models', () => void this.refreshSaved());
  }

  /**
   * The form for a dataset and its study: the one being edited when it is for this dataset, else a
   * new one from the study's questions (keeping the run options and models chosen).
   */
  formFor(dataset: string, spec: StudySpec, columns: readonly string[]): DoseFormValues {
    if (this.form && this.formDataset === dataset) return this.form;
    const keep = this.form ?? DEFAULT_MODELS;
    const shared = this.pending;
    this.pending = null;
    const form = doseFormOf(shared ? { ...spec, questions: shared.questions } : spec, columns, {
      run: shared ? runDraftOf(shared.run) : keep.run,
      mechanistic: keep.mechanistic,
      hybrid: keep.hybrid,
      networkIds: keep.networkIds,
      ensemble: keep.ensemble,
    });
    this.form = form;
    this.formDataset = dataset;
    return form;
  }

  /** Settings a share link carries: the demo's questions and the run options, shown by the next form made. */
  applyShared(shared: { questions: QuestionsSpec; run: DoseRunOptions }): void {
    this.pending = shared;
    this.form = null;
    this.formDataset = null;
    this.changed();
  }

  /** The form's questions made again from the study (after "Reset" or once the study's stored questions changed). */
  resetForm(): void {
    this.form = null;
    this.formDataset = null;
    this.changed();
  }

  /** Answers with the chosen models; `backend`: the networks' TF.js backend ('auto', or 'wasm' to retry on the CPU path). */
  async run(request: DoseRunRequest, backend: BackendRequest = 'auto'): Promise<void> {
    if (this.running) return;
    const { data, spec, options, form, datasetName } = request;
    this.form = form;
    this.running = true;
    this.runs = [];
    this.runFingerprint = datasetFingerprint(data);
    this.runDatasetName = datasetName;
    this.runSpec = spec;
    this.notice = null;
    const networks = this.saved.filter((m) => form.networkIds.includes(m.id));
    const ensemble = form.ensemble && networks.length > 1;
    const chosen: { id: string; label: string; ensembleIds: string[] }[] = [
      ...(form.mechanistic ? [{ id: MECHANISTIC_ID, label: 'Population model', ensembleIds: [] }] : []),
      ...(form.hybrid ? [{ id: HYBRID_ID, label: `Hybrid (${ENCODER_LABELS[form.hybrid]})`, ensembleIds: [] }] : []),
      ...(ensemble
        ? [
            {
              id: networks[0].id,
              label: `${networks[0].name} (ensemble of ${networks.length})`,
              ensembleIds: networks.slice(1).map((m) => m.id),
            },
          ]
        : networks.map((m) => ({ id: m.id, label: m.name, ensembleIds: [] }))),
    ];
    const started = performance.now();
    /** The model being answered, to tell whether a failure involved the GPU (networks only). */
    let answering: string | null = null;
    try {
      for (const [index, model] of chosen.entries()) {
        answering = model.id;
        const onProgress = (p: DoseRunProgress): void => {
          this.progress = { ...p, modelLabel: model.label, modelNumber: index + 1, modelCount: chosen.length };
          this.changed();
        };
        onProgress({ stage: model.id === MECHANISTIC_ID ? 'fit' : 'loading', done: 0, total: 0, message: 'starting' });
        const reference = this.runs.find((r) => r.id === MECHANISTIC_ID)?.report.answers ?? null;
        const report =
          model.id === MECHANISTIC_ID
            ? await this.client.runMechanistic(data, spec, options, onProgress)
            : model.id === HYBRID_ID && form.hybrid
              ? await this.client.runHybrid(data, spec, { ...options, backend }, { encoder: form.hybrid }, onProgress)
              : await this.client.runNetwork(model.id, data, spec, { ...options, backend }, onProgress, reference, model.ensembleIds);
        this.runs = [...this.runs, { id: model.id, label: report.label, report }];
        this.changed();
      }
      this.notice = { tone: 'success', text: `Answered in ${((performance.now() - started) / 1000).toFixed(1)} s.` };
    } catch (error) {
      if (error instanceof DoseRunCancelledError) {
        this.notice = { tone: 'info', text: `Cancelled.${this.runs.length > 0 ? ' The models that had finished are shown.' : ''}` };
      } else {
        // The crashed worker was ended (a lost GPU's too): a retry starts a fresh one. Only networks use a GPU.
        const onCpu = answering !== null && answering !== MECHANISTIC_ID && (await offerCpuRetry(backend, error));
        this.notice = failureNotice('The dose questions could not be answered', error, [
          retryAction(() => void this.run(request, backend)),
          ...(onCpu ? [cpuRetryAction(() => void this.run(request, 'wasm'))] : []),
        ]);
      }
    } finally {
      this.running = false;
      this.progress = null;
      this.changed();
    }
  }

  cancel(): void {
    if (this.running) this.client.cancel();
  }

  /** Ticks the networks saved during this visit and trained on the open dataset, the first time they are listed with it. */
  offerNetworks(fingerprint: string): void {
    if (this.form) this.form = offerNetworks(this.form, this.saved, fingerprint, this.since, this.offered);
  }

  async refreshSaved(): Promise<void> {
    try {
      this.saved = await listTrainedModels();
    } catch (error) {
      this.notice = failureNotice('The saved models could not be listed', error);
    }
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

/** The page's workspace (the dose worker starts on its first run). */
export const dosesWorkspace = new DosesWorkspace();
