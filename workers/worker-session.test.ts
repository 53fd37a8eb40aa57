import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuDeviceLostError } from '../src/platform/gpu-device-lost';
import { WorkerCrashedError } from './worker-crashed-error';
import { WorkerSession } from './worker-session';

/** A Worker stand-in: an EventTarget whose other end is a Comlink-exposed API on a MessageChannel. */
class FakeWorker extends EventTarget {
  terminated = false;
  private readonly port: MessagePort;

  constructor(api: object) {
    super();
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(api, port2);
    port1.addEventListener('message', (event) => this.dispatchEvent(new MessageEvent('message', { data: (event as MessageEvent).data })));
    port1.start();
    this.port = port1;
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.port.postMessage(message, transfer);
  }

  terminate(): void {
    this.terminated = true;
    this.port.close();
  }

  /** What the browser fires when a worker's script throws and nothing catches it. */
  crash(message: string): Event {
    const event = Object.assign(new Event('error', { cancelable: true }), { message });
    this.dispatchEvent(event);
    return event;
  }
}

const api = {
  double: (x: number): number => 2 * x,
  hang: (): Promise<number> => new Promise<number>(() => undefined),
  loseGpu: (): never => {
    throw new GpuDeviceLostError('unknown: test');
  },
};
type Api = typeof api;

const wording = { work: 'The test work', advice: 'Do it again.' };
let workers: FakeWorker[] = [];
const session = (): WorkerSession<Api> =>
  new WorkerSession<Api>(() => {
    const worker = new FakeWorker(api);
    workers.push(worker);
    return worker as unknown as Worker;
  }, wording);

afterEach(() => {
  workers.forEach((w) => w.terminate());
  workers = [];
});

describe('WorkerSession', () => {
  it('starts its worker on the first call and keeps it for the next', async () => {
    const s = session();
    expect(s.remote).toBeNull();
    expect(workers).toHaveLength(0);
    expect(await s.run((a) => a.double(2))).toBe(4);
    expect(await s.run((a) => a.double(5))).toBe(10);
    expect(workers).toHaveLength(1);
    expect(s.remote).not.toBeNull();
  });

  it('rejects the pending call with WorkerCrashedError when the worker dies, and starts a fresh worker next', async () => {
    const s = session();
    const pending = s.run((a) => a.hang());
    const event = workers[0].crash('Uncaught RangeError: out of memory');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toBe('The test work stopped unexpectedly (Uncaught RangeError: out of memory). Do it again.');
    expect(event.defaultPrevented).toBe(true);
    expect(workers[0].terminated).toBe(true);
    expect(s.remote).toBeNull();
    expect(await s.run((a) => a.double(3))).toBe(6);
    expect(workers).toHaveLength(2);
  });

  it('treats an unreadable message from the worker as a crash', async () => {
    const s = session();
    const pending = s.run((a) => a.hang());
    workers[0].dispatchEvent(new Event('messageerror'));
    await expect(pending).rejects.toThrow('The test work stopped unexpectedly (a message from it could not be read). Do it again.');
    expect(workers[0].terminated).toBe(true);
  });

  it('cancels by terminating: the pending call rejects with the given error', async () => {
    const s = session();
    const pending = s.run((a) => a.hang());
    const cancelled = new Error('cancelled by the user');
    s.cancel(cancelled);
    await expect(pending).rejects.toBe(cancelled);
    expect(workers[0].terminated).toBe(true);
    expect(await s.run((a) => a.double(1))).toBe(2);
    expect(workers).toHaveLength(2);
  });

  it('ends a worker whose GPU device was lost, passing the error on by name', async () => {
    const s = session();
    const error = await s.run((a) => a.loseGpu()).catch((e: unknown) => e);
    expect((error as Error).name).toBe('GpuDeviceLostError');
    expect((error as Error).message).toContain('Retry on the CPU path (WebAssembly)');
    expect(workers[0].terminated).toBe(true);
    expect(await s.run((a) => a.double(4))).toBe(8);
    expect(workers).toHaveLength(2);
  });

  it('ignores events from a worker it already ended', async () => {
    const s = session();
    await s.run((a) => a.double(1));
    s.terminate();
    const pending = s.run((a) => a.double(7));
    workers[0].crash('late');
    expect(await pending).toBe(14);
  });
});
