/**
 * The dose questions' worker pool (issue 16): `poolSize()` workers of workers/dose-pool.worker.ts
 * behind the `DoseJobRunner` of src/dose/dose-pool.ts, for the doses worker and the headless `doses`
 * command. `dosePoolFor()` gives none where the pool would have one worker: one thread is the serial path.
 */
import type { DoseJob, DoseJobResult, DoseJobRunner } from '../src/dose/dose-pool';
import { poolSize, poolWorkerName } from '../src/platform/threads';
import type { DosePoolApi } from './dose-pool-api';
import type { LifelineLocks } from './worker-lifeline';
import { WorkerPool } from './worker-pool';

export interface DosePool extends DoseJobRunner {
  /** Starts every worker now (they load while other work runs, e.g. the fit), without waiting for them. */
  start(): void;
  /** Ends every worker (after a run). */
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
  return {
    size,
    // Comlink's remote type drops the method's type parameter.
    run: <J extends DoseJob>(job: J) => pool.run((api) => api.run(job) as Promise<DoseJobResult<J>>),
    cancel: (reason) => pool.cancel(reason),
    // As many jobs as workers, all queued at once: each goes to a worker of its own. A failure shows on the real jobs.
    start: () => void Promise.all(Array.from({ length: size }, () => pool.run((api) => api.ready()))).catch(() => undefined),
    terminate: () => pool.terminate(),
  };
}

/** The pool of this page or worker's thread setting, its workers started, or null for one thread (the serial path). */
export function dosePoolFor(size = poolSize()): DosePool | null {
  if (size <= 1) return null;
  const pool = createDosePool(size);
  pool.start();
  return pool;
}
