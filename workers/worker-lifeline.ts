/**
 * A worker's lifeline: certain news, on the page, that a worker has ended — however it ended,
 * including without any event (the worker called `close()`, or the browser stopped it silently).
 *
 * The worker takes a Web Lock of a name of its own for its whole life and then tells the page that
 * name; the page asks for the same lock. The browser grants it to the page only once the worker's
 * global scope is gone, because a context's locks are released when the context ends. No timer and
 * no heartbeat: a worker busy for minutes in one synchronous step (a TF.js kernel, a fit) still holds
 * its lock, so it is never mistaken for dead, and a long training is never cut.
 *
 * Where Web Locks are missing (an insecure http:// page other than localhost; very old browsers),
 * nothing is watched: a silent end then leaves its call pending, as before.
 */

/** The key of the worker's one message to the page; its value is the lock's name. */
export const LIFELINE_KEY = 'qpkpd-worker-lifeline';

/** The part of the Web Locks API the lifeline uses (`navigator.locks`; a fake in Node tests). */
export interface LifelineLocks {
  request(name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown>;
}

/** Where the worker posts its messages: its global scope (a MessagePort in tests). */
export interface LifelinePost {
  postMessage: (message: unknown, ...rest: never[]) => void;
}

/** The browser's Web Locks, where it has them. */
export function webLocks(): LifelineLocks | null {
  return (globalThis as { navigator?: { locks?: LifelineLocks } }).navigator?.locks ?? null;
}

function lockName(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `qpkpd-worker-${random}`;
}

/**
 * In the worker, once at start (before it can answer): holds a lock of a unique name until the worker
 * ends, and tells the page its name (`{ [LIFELINE_KEY]: name }`) once it is held. Until then the
 * worker's other messages (its first answers) wait, so the page always knows the lifeline before any
 * answer: a worker that answered and ended at once, or that closed instead of answering, is still seen
 * to end. Only a worker that ends before its lock is granted (a few milliseconds at start) escapes.
 */
export function holdLifeline(scope: LifelinePost, locks: LifelineLocks | null = webLocks()): void {
  if (!locks) return;
  const name = lockName();
  const original = scope.postMessage;
  const waiting: unknown[][] = [];
  scope.postMessage = (...args: unknown[]) => void waiting.push(args);
  const release = (lifeline: boolean): void => {
    scope.postMessage = original;
    const post = original as (...args: unknown[]) => void;
    if (lifeline) post.call(scope, { [LIFELINE_KEY]: name });
    for (const args of waiting.splice(0)) post.apply(scope, args);
  };
  void locks
    .request(name, {}, () => {
      release(true);
      // Never settles: the lock is released only when the worker's scope ends.
      return new Promise<never>(() => undefined);
    })
    .catch(() => release(false));
}

/**
 * On the page: calls `onEnd` once the worker whose lifeline message arrives on `worker` has ended.
 * Returns `stop`, which stops watching (call it before ending the worker on purpose).
 */
export function watchLifeline(worker: EventTarget, locks: LifelineLocks | null, onEnd: () => void): () => void {
  if (!locks) return () => undefined;
  const watching = new AbortController();
  const onMessage = (event: Event): void => {
    const name = ((event as MessageEvent).data as Record<string, unknown> | null)?.[LIFELINE_KEY];
    if (typeof name !== 'string' || watching.signal.aborted) return;
    worker.removeEventListener('message', onMessage);
    locks
      .request(name, { signal: watching.signal }, () => {
        if (!watching.signal.aborted) onEnd();
      })
      // Aborted by `stop`: the worker was ended on purpose.
      .catch(() => undefined);
  };
  worker.addEventListener('message', onMessage);
  return () => {
    watching.abort();
    worker.removeEventListener('message', onMessage);
  };
}
