import * as Comlink from 'comlink';
import type { ModelReport } from '../src/model/report/types';
import type { TrainedModelFacts, TrainedModelMeta } from '../src/model/trained-model';
import type { TrainingConfig } from '../src/model/training-config';
import type { ReportSubjects, TestEvaluation, TrainingProgress } from '../src/model/training-session';
import type { DatasetInput, OpenedModel, TrainingWorkerApi } from './training.worker';

import { WorkerSession } from './worker-session';

export type { DatasetInput, OpenedModel };

/**
 * The training worker, started on first use and kept: it holds the current model. A call fails with
 * WorkerCrashedError if the worker dies (or GpuDeviceLostError if its GPU is lost); the next call
 * starts a fresh one.
 */
export class TrainingClient {
  private readonly session = new WorkerSession<TrainingWorkerApi>(
    () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' }),
    { work: 'The training', advice: 'Retry on the CPU path (WebAssembly); your saved models are kept.' },
  );

  train(input: DatasetInput, config: TrainingConfig, onProgress: (progress: TrainingProgress) => void): Promise<TrainedModelFacts | null> {
    return this.session.run((api) => api.train(input, config, Comlink.proxy(onProgress)));
  }

  /** Stops a running training between batches; it then returns its best-so-far model, or null. */
  cancel(): void {
    void this.session.remote?.cancel();
  }

  report(subjects: ReportSubjects, mcSamples?: number): Promise<ModelReport> {
    return this.session.run((api) => api.report(subjects, mcSamples));
  }

  evaluateTest(): Promise<TestEvaluation> {
    return this.session.run((api) => api.evaluateTest());
  }

  save(name: string): Promise<TrainedModelMeta> {
    return this.session.run((api) => api.save(name));
  }

  open(modelId: string, input: DatasetInput): Promise<OpenedModel> {
    return this.session.run((api) => api.open(modelId, input));
  }

  exportFile(modelId: string): Promise<{ fileName: string; text: string }> {
    return this.session.run((api) => api.exportFile(modelId));
  }

  importFile(text: string): Promise<TrainedModelMeta> {
    return this.session.run((api) => api.importFile(text));
  }

  close(): Promise<void> {
    return this.session.remote ? this.session.run((api) => api.close()) : Promise.resolve();
  }

  terminate(): void {
    this.session.terminate();
  }
}
