import { afterEach, describe, expect, it, vi } from 'vitest';
import { GpuDeviceLostError } from '../src/platform/gpu-device-lost';
import { FakeLocks, FakeWorker, settle } from './test-support';
import { WorkerCrashedError } from './worker-crashed-error';
import { SILENT_END, WorkerSession } from './worker-session';

const api = {
  double: (x: number): number => 2 * x,
  hang: (): Promise<number> => new Promise<number>(() => undefined),
  /** Resolves when the test says so: a long step that is not a death. */
  slow: (): Promise<number> => new Promise<number>((resolve) => (finishSlow = resolve)),
  loseGpu: (): never => {
    throw new GpuDeviceLostError('unknown: test');
  },
};
type Api = typeof api;

let finishSlow: (value: number) => void = () => undefined;

const wording = { work: 'The test work', advice: 'Do it again.' };
let workers: FakeWorker[] = [];
const session = (): WorkerSession<Api> =>
  new WorkerSession<Api>(
    () => {
      const worker = new FakeWorker(api);
      workers.push(worker);
      return worker as unknown as Worker;
    },
    wording,
    null,
  );

/** A session whose workers hold a lifeline, the page's side watching it with the same locks. */
function watchedSession(locks: FakeLocks, closeInsteadOfAnswering = false): WorkerSession<Api> {
  const page = {};
  return new WorkerSession<Api>(
    () => {
      const worker = new FakeWorker(api, locks, closeInsteadOfAnswering);
      workers.push(worker);
      return worker as unknown as Worker;
    },
    wording,
    locks.of(page),
  );
}

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

  it('names the work of the call that was running when the worker died', async () => {
    const s = session();
    await s.run((a) => a.double(1));
    const pending = s.run((a) => a.hang(), { work: 'Computing the predictions', advice: 'Open the model again.' });
    workers[0].crash('boom');
    await expect(pending).rejects.toThrow('Computing the predictions stopped unexpectedly (boom). Open the model again.');
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

  it('rejects the pending call with WorkerCrashedError when the worker ends without any event, and starts a fresh worker next', async () => {
    const locks = new FakeLocks();
    const s = watchedSession(locks);
    const pending = s.run((a) => a.hang());
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await settle();
    expect(settled, 'alive: the call waits').toBe(false);
    workers[0].endSilently();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toBe(`The test work stopped unexpectedly (${SILENT_END}). Do it again.`);
    expect(workers[0].terminated).toBe(true);
    expect(s.remote).toBeNull();
    expect(await s.run((a) => a.double(3))).toBe(6);
    expect(workers).toHaveLength(2);
  });

  it('never cuts a long step of a living worker: no timer, the call ends when the worker answers', async () => {
    const locks = new FakeLocks();
    const s = watchedSession(locks);
    const pending = s.run((a) => a.slow());
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await settle();
    vi.useFakeTimers();
    try {
      // A day of silence from a busy worker: any timer the session had set would have fired.
      await vi.advanceTimersByTimeAsync(24 * 3600 * 1000);
    } finally {
      vi.useRealTimers();
    }
    expect(settled).toBe(false);
    expect(workers[0].terminated).toBe(false);
    finishSlow(42);
    expect(await pending).toBe(42);
  });

  it('stops watching a worker it ends on purpose: a cancel is reported as the cancel, and the lifeline is let go', async () => {
    const locks = new FakeLocks();
    const s = watchedSession(locks);
    const pending = s.run((a) => a.hang());
    await settle();
    const cancelled = new Error('cancelled by the user');
    s.cancel(cancelled);
    await expect(pending).rejects.toBe(cancelled);
    await settle();
    expect(await s.run((a) => a.double(2))).toBe(4);
    // The fresh worker's lifeline is watched again.
    const next = s.run((a) => a.hang());
    await settle();
    workers[1].endSilently();
    await expect(next).rejects.toThrow(SILENT_END);
  });

  it('knows the lifeline before any answer: a worker that closes instead of answering its first call, at once, is reported', async () => {
    const locks = new FakeLocks();
    locks.deferGrants = true;
    const s = watchedSession(locks, true);
    const pending = s.run((a) => a.double(2));
    // The worker has its call; its answer waits until its lock is held and the page told.
    await settle();
    locks.deferGrants = false;
    locks.grantDeferred();
    await expect(pending).rejects.toThrow(SILENT_END);
  });

  it('holds back a worker’s first answers until the page knows its lifeline, then delivers them in order', async () => {
    const locks = new FakeLocks();
    locks.deferGrants = true;
    const s = watchedSession(locks);
    const results: number[] = [];
    const calls = [s.run((a) => a.double(1)), s.run((a) => a.double(2))].map((p) => p.then((v) => results.push(v)));
    await settle();
    expect(results).toEqual([]);
    locks.deferGrants = false;
    locks.grantDeferred();
    await Promise.all(calls);
    expect(results).toEqual([2, 4]);
  });
});
