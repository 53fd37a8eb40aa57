/** Test doubles of the browser's workers and Web Locks, for the worker session and pool tests (Node). */
import * as Comlink from 'comlink';
import { holdLifeline, type LifelineLocks } from './worker-lifeline';

/**
 * Web Locks as the browser keeps them, for several contexts (the page, each worker): exclusive
 * locks by name, granted in request order; a context's locks are released when the context ends.
 */
export class FakeLocks {
  /** Grants of free locks wait for `grantDeferred()` (the browser answers a request a little later). */
  deferGrants = false;
  private readonly held = new Map<string, object>();
  private readonly waiting: { name: string; context: object; grant: () => void }[] = [];
  private readonly deferred: { context: object; grant: () => void }[] = [];

  /** The Web Locks API as seen from one context. */
  of(context: object): LifelineLocks {
    return {
      request: (name, options, callback) =>
        new Promise<unknown>((resolve, reject) => {
          const grant = (): void => {
            this.held.set(name, context);
            Promise.resolve()
              .then(callback)
              .then(resolve, reject)
              .finally(() => {
                if (this.held.get(name) === context) this.release(name);
              });
          };
          if (!this.held.has(name) && this.deferGrants) return void this.deferred.push({ context, grant });
          if (!this.held.has(name)) return grant();
          const entry = { name, context, grant };
          this.waiting.push(entry);
          options.signal?.addEventListener('abort', () => {
            this.waiting.splice(this.waiting.indexOf(entry), 1);
            reject(new DOMException('aborted', 'AbortError'));
          });
        }),
    };
  }

  holder(name: string): object | undefined {
    return this.held.get(name);
  }

  grantDeferred(): void {
    for (const { grant } of this.deferred.splice(0)) grant();
  }

  /** The context ended: its locks are released (its never-settling callbacks with them), its requests dropped. */
  end(context: object): void {
    for (const [name, holder] of [...this.held]) if (holder === context) this.release(name);
    for (let i = this.deferred.length - 1; i >= 0; i--) if (this.deferred[i].context === context) this.deferred.splice(i, 1);
  }

  private release(name: string): void {
    this.held.delete(name);
    const next = this.waiting.findIndex((w) => w.name === name);
    if (next >= 0) this.waiting.splice(next, 1)[0].grant();
  }
}

/** A Worker stand-in: an EventTarget whose other end is a Comlink-exposed API on a MessageChannel. */
export class FakeWorker extends EventTarget {
  terminated = false;
  private ended = false;
  private readonly port: MessagePort;

  /**
   * With `locks`, the worker holds its lifeline as the real workers do. `closeInsteadOfAnswering`:
   * the worker ends silently where it would post its first answer.
   */
  constructor(
    api: object,
    private readonly locks: FakeLocks | null = null,
    closeInsteadOfAnswering = false,
  ) {
    super();
    const { port1, port2 } = new MessageChannel();
    // An ended worker posts nothing more; what it posted before still arrives (as in the browser).
    const raw = port2.postMessage.bind(port2);
    port2.postMessage = ((message: unknown, transfer?: Transferable[]) =>
      this.ended ? undefined : raw(message, transfer ?? [])) as MessagePort['postMessage'];
    if (closeInsteadOfAnswering) {
      const post = port2.postMessage.bind(port2);
      port2.postMessage = ((message: unknown, transfer?: Transferable[]) =>
        (message as { id?: unknown } | null)?.id ? this.endSilently() : post(message, transfer ?? [])) as MessagePort['postMessage'];
    }
    Comlink.expose(api, port2);
    port1.addEventListener('message', (event) => this.dispatchEvent(new MessageEvent('message', { data: event.data as unknown })));
    port1.start();
    this.port = port1;
    if (locks) holdLifeline(port2, locks.of(this));
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.port.postMessage(message, transfer);
  }

  terminate(): void {
    this.terminated = true;
    this.port.close();
    this.locks?.end(this);
  }

  /** The worker stops with no event at all (as after `self.close()`): it answers nothing more and its locks are released. */
  endSilently(): void {
    this.ended = true;
    this.locks?.end(this);
  }

  /** What the browser fires when a worker's script throws and nothing catches it. */
  crash(message: string): Event {
    const event = Object.assign(new Event('error', { cancelable: true }), { message });
    this.dispatchEvent(event);
    return event;
  }
}

/** Lets queued messages and lock grants run (a few macrotasks: MessagePort deliveries are macrotasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
