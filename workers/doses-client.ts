import * as Comlink from 'comlink';
import type { Dataset } from '../src/data/types';
import { datasetSource } from '../src/store/dataset-source';
import type { ComparableAnswer } from '../src/dose/network-questions';
import type { DoseRunProgress, DoseRunSettings, DosesWorkerApi, MechanisticReport, NetworkReport } from './doses.worker';
import { WorkerSession } from './worker-session';

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
 * call starts a fresh worker. A crash rejects the pending call with WorkerCrashedError.
 */
export class DosesClient {
  private readonly session = new WorkerSession<DosesWorkerApi>(
    () => new Worker(new URL('./doses.worker.ts', import.meta.url), { type: 'module', name: 'doses' }),
    { work: 'The dose questions', advice: 'Retry (a fresh worker starts), perhaps with fewer virtual subjects.' },
  );

  runMechanistic(data: Dataset, settings: DoseRunSettings, onProgress: (progress: DoseRunProgress) => void): Promise<MechanisticReport> {
    return this.session.run((api) => api.runMechanistic(datasetSource(data), settings, Comlink.proxy(onProgress)));
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
    return this.session.run((api) =>
      api.runNetwork(modelId, datasetSource(data), settings, Comlink.proxy(onProgress), reference, ensembleIds),
    );
  }

  cancel(): void {
    this.session.cancel(new DoseRunCancelledError());
  }

  terminate(): void {
    this.session.terminate();
  }
}
