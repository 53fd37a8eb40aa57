import * as Comlink from 'comlink';
import type { ModelReport } from '../src/model/report/types';
import type { TrainedModelFacts, TrainedModelMeta } from '../src/model/trained-model';
import type { TrainingConfig } from '../src/model/training-config';
import type { ExternalEvaluation, ReportSubjects, TestEvaluation, TrainingProgress } from '../src/model/training-session';
import { datasetSource } from '../src/store/dataset-source';
import { workerName } from '../src/platform/threads';
import type { DatasetInput, OpenedModel, TrainingWorkerApi } from './training.worker';

import { type CrashWording, WorkerSession } from './worker-session';

export type { DatasetInput, OpenedModel };

/** After a crash in a call that needed the model held in the worker: it went with the worker. */
const MODEL_LOST = 'The model held in memory was lost with the worker: reopen it from the saved models, or train it again.';
const REPORT: CrashWording = { work: 'Computing the predictions', advice: MODEL_LOST };
const TEST: CrashWording = { work: 'The final test evaluation', advice: MODEL_LOST };
const EXTERNAL: CrashWording = { work: 'The external validation', advice: MODEL_LOST };
const SAVE: CrashWording = { work: 'Saving the model', advice: `${MODEL_LOST} Models saved before are kept.` };
const OPEN: CrashWording = { work: 'Opening the model', advice: 'Retry (a fresh worker starts); your saved models are kept.' };
const EXPORT: CrashWording = { work: 'Preparing the model file', advice: 'Retry (a fresh worker starts); your saved models are kept.' };

/**
 * The training worker, started on first use and kept: it holds the current model. A call fails with
 * WorkerCrashedError if the worker dies or ends without a word (or GpuDeviceLostError if its GPU is
 * lost), the message naming the call's work; the next call starts a fresh one.
 */
export class TrainingClient {
  private readonly session = new WorkerSession<TrainingWorkerApi>(
    () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: workerName('training') }),
    { work: 'The training', advice: 'Retry on the CPU path (WebAssembly); your saved models are kept.' },
  );

  train(
    input: DatasetInput,
    config: TrainingConfig,
    onProgress: (progress: TrainingProgress) => void,
    onStage: (stage: string | null) => void = () => undefined,
  ): Promise<TrainedModelFacts | null> {
    return this.session.run((api) =>
      api.train({ ...input, data: datasetSource(input.data) }, config, Comlink.proxy(onProgress), Comlink.proxy(onStage)),
    );
  }

  /** Stops a running training between batches; it then returns its best-so-far model, or null. */
  cancel(): void {
    void this.session.remote?.cancel();
  }

  report(subjects: ReportSubjects, mcSamples?: number): Promise<ModelReport> {
    return this.session.run((api) => api.report(subjects, mcSamples), REPORT);
  }

  evaluateTest(): Promise<TestEvaluation> {
    return this.session.run((api) => api.evaluateTest(), TEST);
  }

  /** The current model on every subject of a stored dataset (by its id). */
  evaluateExternal(datasetId: string): Promise<ExternalEvaluation> {
    return this.session.run((api) => api.evaluateExternal(datasetId), EXTERNAL);
  }

  save(name: string): Promise<TrainedModelMeta> {
    return this.session.run((api) => api.save(name), SAVE);
  }

  open(modelId: string, input: DatasetInput): Promise<OpenedModel> {
    return this.session.run((api) => api.open(modelId, { ...input, data: datasetSource(input.data) }), OPEN);
  }

  exportFile(modelId: string): Promise<{ fileName: string; text: string }> {
    return this.session.run((api) => api.exportFile(modelId), EXPORT);
  }

  /** The file itself goes to the worker (a Blob is passed without copying its bytes), which reads and checks it. */
  importFile(file: Blob): Promise<TrainedModelMeta> {
    return this.session.run((api) => api.importFile(file));
  }

  close(): Promise<void> {
    return this.session.remote ? this.session.run((api) => api.close()) : Promise.resolve();
  }

  terminate(): void {
    this.session.terminate();
  }
}
