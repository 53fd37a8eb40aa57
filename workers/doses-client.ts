import * as Comlink from 'comlink';
import type { Dataset } from '../src/data/types';
import type { ComparableAnswer } from '../src/dose/network-questions';
import type { DoseRunProgress, DoseRunSettings, DosesWorkerApi, MechanisticReport, NetworkReport } from './doses.worker';

export type { DoseModelReport, DoseRunProgress, DoseRunSettings, MechanisticReport, NetworkReport } from './doses.worker';

export class DoseRunCancelledError extends Error {
  constructor() {
    super('The dose questions were cancelled.');
    this.name = 'DoseRunCancelledError';
  }
}

/**
 * The dose worker, started on first use. `cancel()` terminates it — the only way to stop the
 * synchronous fit mid-way — so the pending call rejects with DoseRunCancelledError and the next
 * call starts a fresh worker. A crash rejects the pending call with a message to act on.
 */
export class DosesClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<DosesWorkerApi> | null = null;
  private stopped: Promise<never> = new Promise(() => undefined);
  private stop: ((error: Error) => void) | null = null;

  runMechanistic(data: Dataset, settings: DoseRunSettings, onProgress: (progress: DoseRunProgress) => void): Promise<MechanisticReport> {
    return this.run((api) => api.runMechanistic(data, settings, Comlink.proxy(onProgress)));
  }

  /** A saved network's answers (see the worker's runNetwork for `reference` and `ensembleIds`). */
  runNetwork(
    modelId: string,
    data: Dataset,
    settings: DoseRunSettings,
    onProgress: (progress: DoseRunProgress) => void,
    reference: readonly ComparableAnswer[] | null = null,
    ensembleIds: readonly string[] = [],
  ): Promise<NetworkReport> {
    return this.run((api) => api.runNetwork(modelId, data, settings, Comlink.proxy(onProgress), reference, ensembleIds));
  }

  cancel(): void {
    this.stop?.(new DoseRunCancelledError());
    this.terminate();
  }

  terminate(): void {
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.stop = null;
  }

  private run<T>(call: (api: Comlink.Remote<DosesWorkerApi>) => Promise<T>): Promise<T> {
    const api = this.api();
    return Promise.race([call(api), this.stopped]);
  }

  private api(): Comlink.Remote<DosesWorkerApi> {
    if (this.remote) return this.remote;
    const worker = new Worker(new URL('./doses.worker.ts', import.meta.url), { type: 'module', name: 'doses' });
    this.worker = worker;
    this.remote = Comlink.wrap<DosesWorkerApi>(worker);
    this.stopped = new Promise<never>((_, reject) => (this.stop = reject));
    this.stopped.catch(() => undefined);
    worker.addEventListener(
      'error',
      (event) => {
        this.stop?.(new Error(`The dose worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}. Try again, perhaps with fewer virtual subjects.`));
        this.terminate();
      },
      { once: true },
    );
    return this.remote;
  }
}
