/**
 * The Model view's state and actions: training through the worker, the current model's reports and
 * final test evaluation, and the saved models of this browser. One per page, so a run goes on (and
 * its results stay) while the user looks at the Data tab; views subscribe to its changes.
 */
import type { ModelReport, TrainingCurvePoint } from '../../model/report/types';
import type { SubjectMetrics, TrainedModelFacts, TrainedModelMeta } from '../../model/trained-model';
import { DEFAULT_TRAINING_CONFIG, type TrainingConfig } from '../../model/training-config';
import type { TrainingProgress } from '../../model/training-session';
import { deleteTrainedModel, listTrainedModels, renameTrainedModel } from '../../store/models';
import { onStoreChange } from '../../store/store-changes';
import { type DatasetMeta, listDatasets } from '../../store/datasets';
import { downloadBlob } from '../../export/download';
import { type DatasetInput, TrainingClient } from '../../../workers/training-client';
import { cpuRetryAction, describeError, failureNotice, type Notice, type NoticeAction, offerCpuRetry, retryAction } from '../run-notice';
import { cancelledSummary } from './model-labels';

export type WorkspacePhase = 'idle' | 'training' | 'working';
export type SubjectSet = ModelReport['subjectSet'];

/** The current model's external validation: on every subject of another stored dataset. */
export interface ExternalResult {
  readonly datasetId: string;
  readonly datasetName: string;
  readonly subjects: number;
  readonly metrics: SubjectMetrics;
}

export interface CurrentModel {
  readonly facts: TrainedModelFacts;
  /** Set once the model is saved in (or opened from) this browser. */
  readonly meta: TrainedModelMeta | null;
  /** Opened models: the open dataset is the one it was trained on. */
  readonly datasetMatches: boolean;
  /** The dataset its results (metrics, predictions) were computed on: the one open when it was trained or opened. */
  readonly on: { readonly id: string | null; readonly name: string };
}

export class ModelWorkspace extends EventTarget {
  phase: WorkspacePhase = 'idle';
  /** What the worker is doing while phase is 'working', in words. */
  activity = '';
  config: TrainingConfig = DEFAULT_TRAINING_CONFIG;
  progress: TrainingProgress | null = null;
  /** What the run does between epochs (the mechanistic head's population fits), or null. */
  stage: string | null = null;
  points: readonly TrainingCurvePoint[] = [];
  current: CurrentModel | null = null;
  reports: Partial<Record<SubjectSet, ModelReport>> = {};
  /** The current model's last external validation (its report is `reports.external`). */
  external: ExternalResult | null = null;
  subjectSet: SubjectSet = 'validation';
  saved: readonly TrainedModelMeta[] = [];
  /** The datasets stored in this browser (candidates for an external validation). */
  datasets: readonly DatasetMeta[] = [];
  notice: Notice | null = null;
  private readonly client = new TrainingClient();
  /** The last training's input and settings, to train the model again after its worker was lost. */
  private lastTraining: { input: DatasetInput; config: TrainingConfig; hasPd: boolean } | null = null;
  /** The dataset the last model was opened on. */
  private lastInput: DatasetInput | null = null;

  constructor() {
    super();
    // Models are saved, renamed and deleted in other tabs too (and saved by the training worker).
    onStoreChange('models', () => void this.refreshSaved());
    onStoreChange('datasets', () => void this.refreshDatasets());
  }

  async refreshDatasets(): Promise<void> {
    await this.attempt(async () => {
      this.datasets = await listDatasets();
    });
  }

  /** Trains a model on `input`; `hasPd`: its study has a response endpoint (a PK-only study trains the PK network alone). */
  async train(input: DatasetInput, config: TrainingConfig, hasPd = true): Promise<void> {
    if (this.phase !== 'idle') return;
    this.config = config;
    this.phase = 'training';
    this.progress = null;
    this.points = [];
    this.current = null;
    this.reports = {};
    this.external = null;
    this.notice = null;
    this.lastTraining = { input, config, hasPd };
    this.lastInput = input;
    this.changed();
    try {
      const facts = await this.client.train(
        input,
        config,
        (progress) => {
          this.progress = progress;
          this.stage = null;
          this.points = [...this.points, progress.point];
          this.changed();
        },
        (stage) => {
          this.stage = stage;
          this.changed();
        },
      );
      if (!facts) {
        this.notice = { tone: 'info', text: 'Training was cancelled before any epoch finished: no model was kept.' };
        return;
      }
      this.current = { facts, meta: null, datasetMatches: true, on: { id: input.datasetId, name: input.datasetName } };
      this.notice = facts.cancelled
        ? {
            tone: 'info',
            text: `Training was cancelled: the model keeps ${cancelledSummary(facts, hasPd)}. It was not trained to the end.`,
          }
        : { tone: 'success', text: `Training finished in ${facts.seconds.toFixed(1)} s, on “${input.datasetName}”.` };
      this.phase = 'idle';
      await this.showReport('validation');
    } catch (error) {
      // The crashed worker was ended (a lost GPU's too): a retry starts a fresh one.
      const onCpu = await offerCpuRetry(config.backend, error);
      this.notice = failureNotice('Training failed', error, [
        retryAction(() => void this.train(input, config, hasPd)),
        ...(onCpu ? [cpuRetryAction(() => void this.train(input, { ...config, backend: 'wasm' }, hasPd))] : []),
      ]);
    } finally {
      this.phase = 'idle';
      this.progress = null;
      this.stage = null;
      this.changed();
    }
  }

  cancel(): void {
    if (this.phase === 'training') this.client.cancel();
  }

  /** Shows the current model's predictions on a subject set, computing them in the worker once. */
  async showReport(set: SubjectSet): Promise<void> {
    this.subjectSet = set;
    if (this.reports[set] || set === 'test' || set === 'external') {
      this.changed();
      return;
    }
    await this.work(
      `Computing predictions for the ${set} subjects…`,
      async () => {
        this.reports = { ...this.reports, [set]: await this.client.report(set) };
      },
      'The predictions could not be computed',
      this.recovery(),
    );
  }

  async evaluateTest(): Promise<void> {
    await this.work(
      'Evaluating the test subjects…',
      async () => {
        const evaluation = await this.client.evaluateTest();
        const current = this.current as CurrentModel;
        const meta = current.meta
          ? { ...current.meta, test: evaluation.facts.test, testEvaluatedAt: evaluation.facts.testEvaluatedAt }
          : null;
        this.current = { ...current, facts: evaluation.facts, meta };
        this.reports = { ...this.reports, test: evaluation.report };
        this.subjectSet = 'test';
        this.notice = { tone: 'success', text: 'The test subjects were evaluated. Their metrics are shown beside the validation metrics.' };
        if (meta) await this.refreshSaved();
      },
      'The final test evaluation failed',
      this.recovery(),
    );
  }

  /** External validation: the current model, unchanged, on every subject of another stored dataset of the same study. */
  async evaluateExternal(datasetId: string, datasetName: string): Promise<void> {
    await this.work(
      `Evaluating the model on “${datasetName}”…`,
      async () => {
        const evaluation = await this.client.evaluateExternal(datasetId);
        this.external = { datasetId, datasetName, subjects: evaluation.subjects, metrics: evaluation.metrics };
        this.reports = { ...this.reports, external: evaluation.report };
        this.subjectSet = 'external';
        this.notice = {
          tone: 'success',
          text: `The model was evaluated on the ${evaluation.subjects} subjects of “${datasetName}”: their metrics are the “External” rows of the table.`,
        };
      },
      `The model was not evaluated on “${datasetName}”`,
      this.recovery(),
    );
  }

  async save(name: string): Promise<void> {
    await this.work(
      'Saving the model…',
      async () => {
        const meta = await this.client.save(name);
        this.current = { ...(this.current as CurrentModel), meta };
        this.notice = { tone: 'success', text: `Saved as “${meta.name}” in this browser.` };
        await this.refreshSaved();
      },
      'The model was not saved',
      this.recovery(),
    );
  }

  async open(id: string, input: DatasetInput): Promise<void> {
    await this.work(
      'Opening the model…',
      async () => {
        this.lastInput = input;
        const opened = await this.client.open(id, input);
        const on = { id: input.datasetId, name: input.datasetName };
        this.current = { facts: opened.meta, meta: opened.meta, datasetMatches: opened.datasetMatches, on };
        this.reports = {};
        this.external = null;
        this.notice = null;
        this.reports = { validation: await this.client.report('validation') };
        this.subjectSet = 'validation';
      },
      'The model could not be opened',
      [retryAction(() => void this.open(id, input))],
    );
  }

  async rename(id: string, name: string): Promise<void> {
    await this.attempt(async () => {
      const meta = await renameTrainedModel(id, name);
      if (this.current?.meta?.id === id) this.current = { ...this.current, meta };
      await this.refreshSaved();
    });
  }

  async remove(id: string): Promise<void> {
    await this.attempt(async () => {
      await deleteTrainedModel(id);
      if (this.current?.meta?.id === id) {
        await this.client.close();
        this.current = null;
        this.reports = {};
        this.external = null;
      }
      await this.refreshSaved();
    });
  }

  /** Downloads a saved model as a `.qpkpd-model.json` file. */
  async exportModel(id: string): Promise<void> {
    await this.work(
      'Preparing the model file…',
      async () => {
        const { fileName, text } = await this.client.exportFile(id);
        downloadBlob(new Blob([text], { type: 'application/json' }), fileName);
      },
      'The model file could not be prepared',
      [retryAction(() => void this.exportModel(id))],
    );
  }

  async importModel(file: File): Promise<void> {
    await this.work(
      `Checking ${file.name}…`,
      async () => {
        try {
          const meta = await this.client.importFile(file);
          this.notice = { tone: 'success', text: `Imported “${meta.name}” from ${file.name}.` };
        } catch (error) {
          const { text, detail } = describeError(error);
          this.notice = {
            tone: 'error',
            text: `${file.name} was not imported: ${text} Nothing was changed.`,
            ...(detail ? { detail } : {}),
          };
        }
        await this.refreshSaved();
      },
      `${file.name} was not imported`,
    );
  }

  /** Reads the saved models (and the stored datasets, for external validation) again. */
  async refreshSaved(): Promise<void> {
    await this.attempt(async () => {
      this.saved = await listTrainedModels();
      this.datasets = await listDatasets();
      const meta = this.saved.find((m) => m.id === this.current?.meta?.id);
      if (this.current && meta) this.current = { ...this.current, meta };
    });
  }

  /**
   * Runs a worker-backed action; a failure becomes the notice `failed: …`, with `retries` when the
   * worker was lost.
   */
  private async work(activity: string, action: () => Promise<void>, failed: string, retries: readonly NoticeAction[] = []): Promise<void> {
    if (this.phase !== 'idle') return;
    this.phase = 'working';
    this.activity = activity;
    this.changed();
    try {
      await action();
    } catch (error) {
      this.notice = failureNotice(failed, error, retries);
    } finally {
      this.phase = 'idle';
      this.activity = '';
      this.changed();
    }
  }

  private async attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const { text, detail } = describeError(error);
      this.notice = { tone: 'error', text, ...(detail ? { detail } : {}) };
    } finally {
      this.changed();
    }
  }

  /**
   * What can bring back the model held in the worker once the worker is lost: reopening it when it
   * is saved, else training it again with the same settings.
   */
  private recovery(): NoticeAction[] {
    const saved = this.current?.meta;
    const input = this.lastInput;
    if (saved && input) return [{ label: `Reopen “${saved.name}”`, run: () => void this.open(saved.id, input) }];
    const last = this.lastTraining;
    return last ? [{ label: 'Train it again', run: () => void this.train(last.input, last.config, last.hasPd) }] : [];
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

/** The page's workspace (the training worker starts on its first use). */
export const modelWorkspace = new ModelWorkspace();
