import * as Comlink from 'comlink';
import type { Dataset } from '../src/data/types';
import { datasetSource } from '../src/store/dataset-source';
import { workerName } from '../src/platform/threads';
import type { AblationOptions, AblationProgress, AblationResult } from '../src/model/experiments/ablation';
import type { ClaimsOptions, ClaimsResult } from '../src/model/experiments/claims';
import type { ExperimentProgress } from '../src/model/experiments/progress';
import type { TrainingSplit } from '../src/model/training-config';
import type { BackendRequest } from '../src/platform/compute-backend';
import type { BackendUsed, ExperimentsWorkerApi } from './experiments-api';
import { WorkerSession } from './worker-session';

export type { BackendUsed };
/** An experiment's result, its backend and how many workers trained its runs (1: the experiments worker alone; more: its pool). */
export type WithBackend<T> = T & { backend: BackendUsed; workers: number };

/**
 * Runs one experiment in a dedicated worker. Aborting `signal` asks the worker to stop at its next
 * batch; the promise then resolves with the part that finished (`cancelled: true`). A crash or a
 * silent end of the worker rejects with WorkerCrashedError, a lost GPU with GpuDeviceLostError.
 * `backend`: the policy's choice ('auto') or, to retry on the CPU path, 'wasm'.
 */
async function inWorker<T>(run: (api: Comlink.Remote<ExperimentsWorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const session = new WorkerSession<ExperimentsWorkerApi>(
    () => new Worker(new URL('./experiments.worker.ts', import.meta.url), { type: 'module', name: workerName('experiments') }),
    { work: 'The experiment', advice: 'Retry it (a fresh worker starts), or retry on the CPU path (WebAssembly) if it ran on the GPU.' },
  );
  const cancel = (): void => void session.remote?.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const result = session.run(run);
    if (signal?.aborted) cancel();
    return await result;
  } finally {
    signal?.removeEventListener('abort', cancel);
    session.terminate();
  }
}

export function runAblationInWorker(
  dataset: Dataset,
  split: TrainingSplit,
  options: AblationOptions,
  onProgress: (progress: AblationProgress) => void,
  signal?: AbortSignal,
  backend: BackendRequest = 'auto',
): Promise<WithBackend<AblationResult>> {
  return inWorker((api) => api.runAblation(datasetSource(dataset), split, options, Comlink.proxy(onProgress), backend), signal);
}

export function runClaimsInWorker(
  dataset: Dataset,
  split: TrainingSplit,
  options: ClaimsOptions,
  onProgress: (progress: ExperimentProgress) => void,
  signal?: AbortSignal,
  backend: BackendRequest = 'auto',
): Promise<WithBackend<ClaimsResult>> {
  return inWorker((api) => api.runClaims(datasetSource(dataset), split, options, Comlink.proxy(onProgress), backend), signal);
}
