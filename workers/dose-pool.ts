/**
 * The dose questions' worker pool (issue 16): `poolSize()` workers of workers/dose-pool.worker.ts
 * behind the `DoseJobRunner` of src/dose/dose-pool.ts, for the doses worker and the headless `doses`
 * command. `sharedDosePool()` gives none where the pool would have one worker: one thread is the serial
 * path; else one pool per page or worker, kept between runs (its workers warm), its caches emptied after each.
 */
import type * as Comlink from 'comlink';
import type { DoseJob, DoseJobResult, DoseJobRunner } from '../src/dose/dose-pool';
import { poolSize, poolWorkerName } from '../src/platform/threads';
import type { DosePoolApi } from './dose-pool-api';
import type { LifelineLocks } from './worker-lifeline';
import { WorkerPool } from './worker-pool';

export interface DosePool extends DoseJobRunner {
  /** Starts every worker now (they load while other work runs, e.g. the fit), without waiting for them. */
  start(): void;
  /** Empties every worker's cache (after a run; the workers stay, warm, for the next). */
  release(): Promise<void>;
  /** Ends every worker. */
  terminate(): void;
}

/** `size` dose workers (`factory` and `locks`: the browser's by default; tests pass fakes). */
export function createDosePool(
  size: number,
  factory: () => Worker = () =>
    new Worker(new URL('./dose-pool.worker.ts', import.meta.url), { type: 'module', name: poolWorkerName('doses') }),
  locks?: LifelineLocks | null,
): DosePool {
  const pool = new WorkerPool<DosePoolApi>(factory, {
    size,
    wording: { work: 'The dose questions', advice: 'Retry (fresh workers start), perhaps with fewer virtual subjects or threads.' },
    ...(locks !== undefined ? { locks } : {}),
  });
  /** `call` once on every worker: as many jobs as workers, queued at once, so each goes to a worker of its own. */
  const everyWorker = (call: (api: Comlink.Remote<DosePoolApi>) => Promise<unknown>): Promise<unknown> =>
    Promise.all(Array.from({ length: size }, () => pool.run(call)));
  return {
    size,
    // Comlink's remote type drops the method's type parameter.
    run: <J extends DoseJob>(job: J) => pool.run((api) => api.run(job) as Promise<DoseJobResult<J>>),
    cancel: (reason) => pool.cancel(reason),
    // A failure shows on the real jobs.
    start: () => void everyWorker((api) => api.ready()).catch(() => undefined),
    release: () =>
      everyWorker((api) => api.clear()).then(
        () => undefined,
        () => undefined,
      ),
    terminate: () => pool.terminate(),
  };
}

let shared: DosePool | null = null;

/**
 * The pool of this page or worker's thread setting — made on first use and kept (a new one when the
 * setting changes), its workers started now — or null for one thread (the serial path). Call
 * `release()` after the run.
 */
export function sharedDosePool(size = poolSize()): DosePool | null {
  if (size <= 1) return null;
  if (shared?.size !== size) {
    shared?.terminate();
    shared = createDosePool(size);
  }
  shared.start();
  return shared;
}
