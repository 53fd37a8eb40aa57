import type * as Comlink from 'comlink';
import { WorkerCrashedError } from './worker-crashed-error';
import { type LifelineLocks, webLocks } from './worker-lifeline';
import { type CrashWording, WorkerSession } from './worker-session';

/** One piece of work for a pool worker: calls on its API, resolving with plain data. */
export type PoolJob<Api, T> = (api: Comlink.Remote<Api>) => Promise<T>;

export interface WorkerPoolOptions {
  /** How many workers at most: `poolSize()` (src/platform/threads.ts), or a smaller number for fewer jobs. */
  readonly size: number;
  /** What a crash message says (as for WorkerSession); `run` may name its own work. */
  readonly wording: CrashWording;
  /** Told of every crash of a worker mid-job: `retrying` true when the job runs again on a fresh worker, false when it rejects. */
  readonly onCrash?: (error: WorkerCrashedError, retrying: boolean) => void;
  /** The Web Locks of the workers' lifelines (the browser's by default; null: no lifeline). */
  readonly locks?: LifelineLocks | null;
}

interface Entry<Api> {
  readonly job: PoolJob<Api, unknown>;
  readonly wording: CrashWording;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** The jobs of the same `map`, waiting ones dropped when this one fails. */
  readonly group: Entry<Api>[] | null;
}

/** One worker of the pool: a WorkerSession (lazy start, crash and cancel handling) and the job it runs now. */
interface Slot<Api> {
  readonly session: WorkerSession<Api>;
  current: Entry<Api> | null;
}

/**
 * Up to `size` module workers of one kind running independent jobs in parallel (folds, ablation cells,
 * ensemble members, replicates, …). Each worker is a WorkerSession, so it starts lazily, is watched
 * the same way (error / messageerror events and its lifeline) and ends on `cancel`. Jobs wait in
 * order and go to a free worker, one job per worker at a time — a worker that is already running
 * before one that must start, so no more workers start than the work needs.
 *
 * A worker that dies mid-job (WorkerCrashedError) is reported (`onCrash`) and its job runs once more,
 * on a fresh worker in the same slot; a second crash rejects the job with that WorkerCrashedError.
 * Other errors (the job's own, a lost GPU) reject the job as they are. `cancel` ends every worker and
 * rejects every running and waiting job; after `cancel` or `terminate` the pool starts fresh workers
 * for the next jobs.
 */
export class WorkerPool<Api> {
  private readonly slots: Slot<Api>[];
  private queue: Entry<Api>[] = [];

  constructor(
    factory: () => Worker,
    private readonly options: WorkerPoolOptions,
  ) {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new RangeError(`A worker pool's size must be a whole number of at least 1 (got ${options.size}).`);
    const locks = options.locks === undefined ? webLocks() : options.locks;
    this.slots = Array.from({ length: options.size }, () => ({
      session: new WorkerSession<Api>(factory, options.wording, locks),
      current: null,
    }));
  }

  /** The most workers the pool runs at once. */
  get size(): number {
    return this.slots.length;
  }

  /** How many workers are started now (started lazily, ended by a crash, `cancel` or `terminate`). */
  get started(): number {
    return this.slots.filter((slot) => slot.session.remote !== null).length;
  }

  /** Runs `job` on the next free worker; `wording` names its work in a crash message. */
  run<T>(job: PoolJob<Api, T>, wording: CrashWording = this.options.wording): Promise<T> {
    return this.enqueue(job, wording, null);
  }

  /**
   * Runs `job` for every input, in parallel on the pool; the results keep the inputs' order.
   * `onProgress(done, total)` after each job that ends. The first failure rejects the whole map and
   * drops its jobs still waiting; its jobs already running finish on their workers, unreported.
   */
  async map<I, T>(
    inputs: readonly I[],
    job: (api: Comlink.Remote<Api>, input: I, index: number) => Promise<T>,
    onProgress?: (done: number, total: number) => void,
  ): Promise<T[]> {
    const group: Entry<Api>[] = [];
    let done = 0;
    let failed = false;
    const results = inputs.map((input, index) =>
      this.enqueue<T>((api) => job(api, input, index), this.options.wording, group).then(
        (value) => {
          if (!failed) onProgress?.(++done, inputs.length);
          return value;
        },
        (error: unknown) => {
          failed = true;
          throw error;
        },
      ),
    );
    return Promise.all(results);
  }

  /** Ends every worker; every running and waiting job rejects with `reason`. */
  cancel(reason: Error): void {
    for (const entry of this.queue.splice(0)) entry.reject(reason);
    for (const slot of this.slots) slot.session.cancel(reason);
  }

  /** Ends every worker and drops the waiting jobs; their promises never settle (use `cancel` to reject them). */
  terminate(): void {
    this.queue = [];
    for (const slot of this.slots) {
      slot.current = null;
      slot.session.terminate();
    }
  }

  private enqueue<T>(job: PoolJob<Api, T>, wording: CrashWording, group: Entry<Api>[] | null): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Entry<Api> = { job, wording, resolve: resolve as (value: unknown) => void, reject, group };
      group?.push(entry);
      this.queue.push(entry);
      this.pump();
    });
  }

  /** Gives waiting jobs to free workers: started ones first, then new ones up to `size`. */
  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.current && s.session.remote) ?? this.slots.find((s) => !s.current);
      if (!slot) return;
      void this.runOn(slot, this.queue.shift()!);
    }
  }

  private async runOn(slot: Slot<Api>, entry: Entry<Api>): Promise<void> {
    slot.current = entry;
    let settle: () => void;
    try {
      const value = await this.attempt(slot, entry);
      settle = () => entry.resolve(value);
    } catch (error) {
      settle = () => {
        // Before the next job starts: a failed map's waiting jobs are not run.
        if (entry.group) this.queue = this.queue.filter((waiting) => !entry.group!.includes(waiting));
        entry.reject(error);
      };
    }
    // Ended by `terminate`: the job never settles and the slot is already free.
    if (slot.current !== entry) return;
    slot.current = null;
    settle();
    this.pump();
  }

  /** The job on the slot's worker; after a crash, once more on a fresh one (the session starts it). */
  private async attempt(slot: Slot<Api>, entry: Entry<Api>): Promise<unknown> {
    try {
      return await slot.session.run(entry.job, entry.wording);
    } catch (error) {
      if (!(error instanceof WorkerCrashedError) || slot.current !== entry) throw error;
      this.options.onCrash?.(error, true);
      try {
        return await slot.session.run(entry.job, entry.wording);
      } catch (again) {
        if (again instanceof WorkerCrashedError && slot.current === entry) this.options.onCrash?.(again, false);
        throw again;
      }
    }
  }
}
