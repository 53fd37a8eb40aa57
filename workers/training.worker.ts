import * as Comlink from 'comlink';
import { holdLifeline } from './worker-lifeline';
import { startQnnThreads } from './qnn-threads';
import type { Dataset } from '../src/data/types';
import { importModelFile, modelFileName, modelFileText } from '../src/model/model-file';
import type { ModelReport } from '../src/model/report/types';
import type { TrainedModelFacts, TrainedModelMeta } from '../src/model/trained-model';
import type { TrainingConfig } from '../src/model/training-config';
import {
  type ExternalEvaluation,
  type ReportSubjects,
  type TestEvaluation,
  type TrainingProgress,
  TrainingSession,
  TrainingSessionError,
} from '../src/model/training-session';
import { type BackendChoice, BackendUnavailableError, type BackendRequest, chooseBackend } from '../src/platform/compute-backend';
import { activateBackend, failOnGpuLoss } from '../src/platform/tfjs-runtime';
import { probeWebGpu, type WebGpuProbe } from '../src/platform/webgpu-probe';
import { loadTrainedModel, recordTestEvaluation, storeTrainedModel } from '../src/store/models';
import { type DatasetSource, resolveDataset } from '../src/store/dataset-source';
import { trainingStudy } from '../src/model/training-study';
import type { StudySpec } from '../src/study/study-spec';

export interface DatasetInput {
  readonly data: Dataset;
  readonly datasetId: string | null;
  readonly datasetName: string;
}

/**
 * DatasetInput as the page sends it: a stored dataset as its id, read here with its study spec (see
 * dataset-source.ts, src/model/training-study.ts); `spec` overrides the stored one.
 */
export type SentDatasetInput = Omit<DatasetInput, 'data'> & { readonly data: DatasetSource; readonly spec?: StudySpec | null };

export interface OpenedModel {
  readonly meta: TrainedModelMeta;
  /** The open dataset is the one the model was trained on (same fingerprint). */
  readonly datasetMatches: boolean;
}

const session = new TrainingSession();
let signal = { aborted: false };
/** Id of the current model in IndexedDB once saved or opened. */
let storedId: string | null = null;
let probe: Promise<WebGpuProbe> | null = null;

/**
 * Activates the backend the policy picks for `request`. Training honours the request or says why it
 * cannot; opening a saved model falls back to 'auto' when its backend is not available here.
 */
async function useBackend(request: BackendRequest, orAuto = false): Promise<BackendChoice> {
  probe ??= probeWebGpu();
  const found = await probe;
  let choice: BackendChoice;
  try {
    choice = chooseBackend(request, found);
  } catch (error) {
    if (!(orAuto && error instanceof BackendUnavailableError)) throw error;
    choice = chooseBackend('auto', found);
  }
  await activateBackend(choice.backend);
  return choice;
}

function releaseProxy(callback: unknown): void {
  (callback as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
}

const api = {
  async train(
    input: SentDatasetInput,
    config: TrainingConfig,
    onProgress: (progress: TrainingProgress) => void,
    onStage?: (stage: string | null) => void,
  ): Promise<TrainedModelFacts | null> {
    signal = { aborted: false };
    try {
      const choice = await useBackend(config.backend);
      // the quantum layer's sub-workers, started before the synchronous kernels need them (cpu/wasm paths)
      if (choice.backend !== 'webgpu') await startQnnThreads();
      storedId = null;
      const backendUsed = { backend: choice.backend, adapter: choice.adapter, reason: choice.reason };
      const data = await resolveDataset(input.data);
      const spec = await trainingStudy(input.data, data, input.spec ?? null);
      return await failOnGpuLoss(
        session.train(
          data,
          input,
          config,
          backendUsed,
          { signal, onProgress: (p) => void onProgress(p), onStage: (t) => void onStage?.(t) },
          spec,
        ),
      );
    } finally {
      releaseProxy(onProgress);
      if (onStage) releaseProxy(onStage);
    }
  },

  cancel(): void {
    signal.aborted = true;
  },

  report(subjects: ReportSubjects, mcSamples?: number): ModelReport {
    return session.report(subjects, mcSamples);
  },

  /** The final test evaluation of the current model, recorded in its stored description when it is saved. */
  async evaluateTest(): Promise<TestEvaluation> {
    const evaluation = session.evaluateTest();
    if (storedId !== null) await recordTestEvaluation(storedId, evaluation.facts.test!, evaluation.facts.testEvaluatedAt!);
    return evaluation;
  },

  /** External validation on a dataset stored in this browser (read here by its id). */
  async evaluateExternal(datasetId: string): Promise<ExternalEvaluation> {
    const data = await resolveDataset({ storedDatasetId: datasetId });
    return session.evaluateExternal(data);
  },

  async save(name: string): Promise<TrainedModelMeta> {
    const facts = session.facts;
    if (!facts) throw new TrainingSessionError('No model to save: train one first.');
    if (storedId !== null)
      throw new TrainingSessionError('This model is already saved in this browser: rename it in the list of saved models.');
    const meta = await storeTrainedModel({ name, facts, document: session.document() });
    storedId = meta.id;
    return meta;
  },

  async open(modelId: string, input: SentDatasetInput): Promise<OpenedModel> {
    const { meta, document } = await loadTrainedModel(modelId);
    await useBackend(meta.config.backend, true);
    const data = await resolveDataset(input.data);
    session.open(meta, document, data, await trainingStudy(input.data, data, input.spec ?? null));
    storedId = meta.id;
    return { meta, datasetMatches: session.datasetMatches };
  },

  async exportFile(modelId: string): Promise<{ fileName: string; text: string }> {
    const { meta, document } = await loadTrainedModel(modelId);
    return { fileName: modelFileName(meta.name), text: modelFileText(meta, document) };
  },

  /** Checks a model file (its size before its text is read) and stores it: parsing and checking a large file stay off the page's thread. */
  async importFile(file: Blob): Promise<TrainedModelMeta> {
    await useBackend('auto');
    return importModelFile(file);
  },

  /** Frees the current model (e.g. after it was deleted or the dataset changed). */
  close(): void {
    session.close();
    storedId = null;
  },
};

export type TrainingWorkerApi = typeof api;

Comlink.expose(api);
// Tells the page when this worker ends, even without an error event (see worker-lifeline.ts).
holdLifeline(self);
