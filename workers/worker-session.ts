import * as Comlink from 'comlink';
import { isGpuDeviceLost } from '../src/platform/gpu-device-lost';
import { WorkerCrashedError } from './worker-crashed-error';
import { type LifelineLocks, watchLifeline, webLocks } from './worker-lifeline';

/** What a crash message says: which work stopped (start of a sentence) and what the user can do. */
export interface CrashWording {
  readonly work: string;
  readonly advice: string;
}

/** The crash detail of a worker that ended without any event (its lifeline told). */
export const SILENT_END = 'its worker ended without reporting an error';

/**
 * One module worker's life: started on the first call (by `start`, which must hold the literal
 * `new Worker(new URL(…), { type: 'module' })` Vite looks for), wrapped with Comlink, every call raced
 * against the worker's death — an 'error' or 'messageerror' event, or, for a worker that ends
 * without any event, its lifeline (`worker-lifeline.ts`: a Web Lock the worker holds while it
 * lives; the worker module calls `holdLifeline(self)`). Either way the call rejects with
 * WorkerCrashedError and the worker is ended. There is no timeout: a worker busy for minutes in one
 * synchronous step still holds its lock, so a long training is never cut. Ended on demand or by
 * `cancel` (the only way to stop synchronous work). After a crash, a cancel, a lost GPU device or
 * `terminate`, the next call starts a fresh worker.
 *
 * Not covered: a worker that exhausts its JavaScript heap takes the whole tab down in Chromium (the
 * renderer process crashes; nothing is left to report); a worker that hangs (an endless loop) is
 * alive and is not ended; a worker that ends silently in the milliseconds before its lock is first
 * granted; and without Web Locks (an insecure page other than localhost) a silent end leaves its
 * call pending.
 */
export class WorkerSession<Api> {
  private worker: Worker | null = null;
  private api: Comlink.Remote<Api> | null = null;
  private end: ((error: Error) => void) | null = null;
  private ended: Promise<never> = new Promise<never>(() => undefined);
  private unwatch: (() => void) | null = null;
  /** The crash wording of the latest call (calls may name the work they do). */
  private callWording: CrashWording;

  /** `locks`: the Web Locks the lifeline uses (the browser's by default; null: no lifeline). */
  constructor(
    private readonly start: () => Worker,
    private readonly wording: CrashWording,
    private readonly locks: LifelineLocks | null = webLocks(),
  ) {
    this.callWording = wording;
  }

  /** The started worker's API (e.g. to ask it to stop), or null when none is running. */
  get remote(): Comlink.Remote<Api> | null {
    return this.api;
  }

  /** Runs `call` on the worker (started if needed); `wording` names this call's work in a crash message. */
  run<T>(call: (api: Comlink.Remote<Api>) => Promise<T>, wording: CrashWording = this.wording): Promise<T> {
    const api = this.connect();
    this.callWording = wording;
    const ended = this.ended;
    const result = call(api).catch((error: unknown) => {
      if (isGpuDeviceLost(error) && this.api === api) this.terminate();
      throw error;
    });
    return Promise.race([result, ended]);
  }

  /** Ends the worker; its pending calls reject with `error`. */
  cancel(error: Error): void {
    this.end?.(error);
    this.terminate();
  }

  /** Ends the worker; its pending calls never settle (use `cancel` to reject them). */
  terminate(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.end = null;
  }

  private connect(): Comlink.Remote<Api> {
    if (this.api) return this.api;
    const worker = this.start();
    const died = (detail: string) => (event: Event) => {
      if (this.worker !== worker) return;
      // Handled here: reported to the user through the pending call rather than as an uncaught page error.
      event.preventDefault();
      this.cancel(new WorkerCrashedError(this.callWording.work, detail || messageOf(event), this.callWording.advice));
    };
    worker.addEventListener('error', died(''), { once: true });
    worker.addEventListener('messageerror', died('a message from it could not be read'), { once: true });
    this.unwatch = watchLifeline(worker, this.locks, () => {
      if (this.worker === worker) this.cancel(new WorkerCrashedError(this.callWording.work, SILENT_END, this.callWording.advice));
    });
    this.ended = new Promise<never>((_, reject) => (this.end = reject));
    this.ended.catch(() => undefined);
    this.worker = worker;
    this.api = Comlink.wrap<Api>(worker);
    return this.api;
  }
}

/** The call failed because its worker died or lost its GPU: the same work may succeed in a fresh worker. */
export function isWorkerLost(error: unknown): boolean {
  return error instanceof WorkerCrashedError || isGpuDeviceLost(error);
}

function messageOf(event: Event): string {
  const message = (event as Partial<ErrorEvent>).message;
  return typeof message === 'string' ? message : '';
}
