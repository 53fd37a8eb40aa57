import * as Comlink from 'comlink';
import { DoseJobCache, type DoseJob, type DoseJobResult, resultBuffers, runDoseJob } from '../src/dose/dose-pool';

/**
 * The dose pool worker's API (workers/dose-pool.worker.ts exposes it; the tests run it in fake
 * workers): one call, a job of src/dose/dose-pool.ts run by `runDoseJob` with this worker's cache, its
 * result's arrays transferred, not copied.
 */
export function dosePoolApi(cache = new DoseJobCache()) {
  return {
    /** Nothing: answered once the worker has loaded (the pool starts its workers early with it). */
    ready: (): boolean => true,
    /** Forgets the simulators and populations kept (after a run). */
    clear: (): void => cache.clear(),
    async run<J extends DoseJob>(job: J): Promise<DoseJobResult<J>> {
      const result = await runDoseJob(job, cache);
      return Comlink.transfer(result, resultBuffers(result));
    },
  };
}

export type DosePoolApi = ReturnType<typeof dosePoolApi>;
