import * as Comlink from 'comlink';
import type { ModelReport } from '../src/model/report/types';
import type { TrainedModelFacts, TrainedModelMeta } from '../src/model/trained-model';
import type { TrainingConfig } from '../src/model/training-config';
import type { ReportSubjects, TestEvaluation, TrainingProgress } from '../src/model/training-session';
import type { DatasetInput, OpenedModel, TrainingWorkerApi } from './training.worker';

export type { DatasetInput, OpenedModel };

/**
 * The training worker, started on first use and kept: it holds the current model. A call fails with
 * a clear error if the worker dies; the next call starts a fresh one.
 */
export class TrainingClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<TrainingWorkerApi> | null = null;
  private crashed: Promise<never> = new Promise(() => undefined);

  train(input: DatasetInput, config: TrainingConfig, onProgress: (progress: TrainingProgress) => void): Promise<TrainedModelFacts | null> {
    return this.run((api) => api.train(input, config, Comlink.proxy(onProgress)));
  }

  /** Stops a running training between batches; it then returns its best-so-far model, or null. */
  cancel(): void {
    void this.remote?.cancel();
  }

  report(subjects: ReportSubjects, mcSamples?: number): Promise<ModelReport> {
    return this.run((api) => api.report(subjects, mcSamples));
  }

  evaluateTest(): Promise<TestEvaluation> {
    return this.run((api) => api.evaluateTest());
  }

  save(name: string): Promise<TrainedModelMeta> {
    return this.run((api) => api.save(name));
  }

  open(modelId: string, input: DatasetInput): Promise<OpenedModel> {
    return this.run((api) => api.open(modelId, input));
  }

  exportFile(modelId: string): Promise<{ fileName: string; text: string }> {
    return this.run((api) => api.exportFile(modelId));
  }

  importFile(text: string): Promise<TrainedModelMeta> {
    return this.run((api) => api.importFile(text));
  }

  close(): Promise<void> {
    return this.remote ? this.run((api) => api.close()) : Promise.resolve();
  }

  terminate(): void {
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }

  private run<T>(call: (api: Comlink.Remote<TrainingWorkerApi>) => Promise<T>): Promise<T> {
    const api = this.api();
    return Promise.race([call(api), this.crashed]);
  }

  private api(): Comlink.Remote<TrainingWorkerApi> {
    if (this.remote) return this.remote;
    const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' });
    this.worker = worker;
    this.remote = Comlink.wrap<TrainingWorkerApi>(worker);
    this.crashed = new Promise<never>((_, reject) => {
      worker.addEventListener(
        'error',
        (event) => {
          this.terminate();
          reject(new Error(`The training worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}. Try again; your saved models are kept.`));
        },
        { once: true },
      );
    });
    this.crashed.catch(() => undefined);
    return this.remote;
  }
}
