import * as Comlink from 'comlink';
import type { Dataset } from '../src/data/types';
import type { AblationOptions, AblationProgress, AblationResult } from '../src/model/experiments/ablation';
import type { ClaimsOptions, ClaimsResult } from '../src/model/experiments/claims';
import type { ExperimentProgress } from '../src/model/experiments/progress';
import type { TrainingSplit } from '../src/model/training-config';
import type { BackendUsed, ExperimentsWorkerApi } from './experiments.worker';

export type { BackendUsed };
export type WithBackend<T> = T & { backend: BackendUsed };

/**
 * Runs one experiment in a dedicated worker. Aborting `signal` asks the worker to stop at its next
 * batch; the promise then resolves with the part that finished (`cancelled: true`).
 */
async function inWorker<T>(run: (api: Comlink.Remote<ExperimentsWorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const worker = new Worker(new URL('./experiments.worker.ts', import.meta.url), { type: 'module', name: 'experiments' });
  const api = Comlink.wrap<ExperimentsWorkerApi>(worker);
  const cancel = (): void => void api.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => reject(new Error(`The experiment stopped unexpectedly: ${event.message}`)), { once: true });
  });
  try {
    const result = run(api);
    if (signal?.aborted) cancel();
    return await Promise.race([result, crashed]);
  } finally {
    signal?.removeEventListener('abort', cancel);
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

export function runAblationInWorker(
  dataset: Dataset,
  split: TrainingSplit,
  options: AblationOptions,
  onProgress: (progress: AblationProgress) => void,
  signal?: AbortSignal,
): Promise<WithBackend<AblationResult>> {
  return inWorker((api) => api.runAblation(dataset, split, options, Comlink.proxy(onProgress)), signal);
}

export function runClaimsInWorker(
  dataset: Dataset,
  split: TrainingSplit,
  options: ClaimsOptions,
  onProgress: (progress: ExperimentProgress) => void,
  signal?: AbortSignal,
): Promise<WithBackend<ClaimsResult>> {
  return inWorker((api) => api.runClaims(dataset, split, options, Comlink.proxy(onProgress)), signal);
}
