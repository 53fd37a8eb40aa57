import { afterEach, describe, expect, it } from 'vitest';
import { FakeLocks, FakeWorker, settle } from './test-support';
import { WorkerCrashedError } from './worker-crashed-error';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool';
import { SILENT_END } from './worker-session';

/** A call waiting for the test to answer it, and the worker it runs on. */
interface Gate {
  x: number;
  worker: FakeWorker;
  answer: (value: number) => void;
}

let workers: FakeWorker[] = [];
let gates: Gate[] = [];
let active = 0;
let mostActive = 0;
let calls = 0;

/** The API of each fake worker; `worker()` is the worker it runs in. */
function apiOf(worker: () => FakeWorker) {
  const counted = async <T>(work: () => Promise<T>): Promise<T> => {
    calls++;
    mostActive = Math.max(mostActive, ++active);
    try {
      return await work();
    } finally {
      active--;
    }
  };
  return {
    /** x², after a few milliseconds that differ by x (jobs end out of order). */
    square: (x: number): Promise<number> => counted(() => new Promise<number>((resolve) => setTimeout(() => resolve(x * x), (7 * x) % 5))),
    /** Waits for the test to answer (`gates`). */
    gated: (x: number): Promise<number> =>
      counted(() => new Promise<number>((answer) => gates.push({ x, worker: worker(), answer: (v) => answer(v) }))),
    fail: (x: number): Promise<number> => counted(() => Promise.reject(new Error(`no square of ${x}`))),
  };
}
type Api = ReturnType<typeof apiOf>;

const wording = { work: 'The test work', advice: 'Do it again.' };

function pool(size: number, options: Partial<WorkerPoolOptions> = {}, locks: FakeLocks | null = null): WorkerPool<Api> {
  return new WorkerPool<Api>(
    () => {
      const worker: FakeWorker = new FakeWorker(
        apiOf(() => worker),
        locks,
      );
      workers.push(worker);
      return worker as unknown as Worker;
    },
    { size, wording, locks: locks?.of({}) ?? null, ...options },
  );
}

/** The gate of the call on `x` (the latest one, after a retry). */
function gate(x: number): Gate {
  const found = gates.filter((g) => g.x === x).at(-1);
  if (!found) throw new Error(`no call on ${x}`);
  return found;
}

/** Answers every waiting call with x². */
function answerAll(): void {
  for (const g of gates.splice(0)) g.answer(g.x * g.x);
}

afterEach(() => {
  workers.forEach((w) => w.terminate());
  workers = [];
  gates = [];
  active = 0;
  mostActive = 0;
  calls = 0;
});

describe('WorkerPool', () => {
  it('gives the serial results in the inputs’ order, jobs ending out of order, with at most `size` workers busy', async () => {
    const p = pool(3);
    const inputs = Array.from({ length: 12 }, (_, i) => i + 1);
    const serial = inputs.map((x) => x * x);
    expect(await p.map(inputs, (api, x) => api.square(x))).toEqual(serial);
    expect(mostActive).toBeLessThanOrEqual(3);
    expect(workers).toHaveLength(3);
    expect(p.started).toBe(3);
    // The same pool again: the same answers, on the same workers.
    expect(await p.map(inputs, (api, x) => api.square(x))).toEqual(serial);
    expect(workers).toHaveLength(3);
  });

  it('starts workers lazily: jobs one after another use one worker, whatever the size', async () => {
    const p = pool(4);
    expect(p.size).toBe(4);
    expect(p.started).toBe(0);
    for (const x of [1, 2, 3]) expect(await p.run((api) => api.square(x))).toBe(x * x);
    expect(workers).toHaveLength(1);
    expect(p.started).toBe(1);
  });

  it('queues jobs beyond `size` until a worker is free', async () => {
    const p = pool(2);
    const results = [1, 2, 3, 4, 5].map((x) => p.run((api) => api.gated(x)));
    await settle();
    expect(gates.map((g) => g.x)).toEqual([1, 2]);
    expect(workers).toHaveLength(2);
    gate(2).answer(4);
    await settle();
    expect(gates.map((g) => g.x)).toEqual([1, 2, 3]);
    expect(gate(3).worker).toBe(gate(2).worker);
    for (let i = 0; i < 5; i++) {
      answerAll();
      await settle();
    }
    expect(await Promise.all(results)).toEqual([1, 4, 9, 16, 25]);
    expect(mostActive).toBe(2);
    expect(workers).toHaveLength(2);
  });

  it('counts progress: (done, total) after each job; an empty map gives [] and no progress', async () => {
    const p = pool(2);
    const progress: [number, number][] = [];
    expect(
      await p.map(
        [3, 1, 4, 1, 5],
        (api, x) => api.square(x),
        (done, total) => progress.push([done, total]),
      ),
    ).toEqual([9, 1, 16, 1, 25]);
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    const none: number[] = [];
    expect(
      await p.map(
        [],
        (api, x: number) => api.square(x),
        (done) => none.push(done),
      ),
    ).toEqual([]);
    expect(none).toEqual([]);
  });

  it('reports a worker that crashes mid-job and runs the job once more on a fresh worker', async () => {
    const crashes: [string, boolean][] = [];
    const p = pool(2, { onCrash: (error, retrying) => crashes.push([error.message, retrying]) });
    const progress: number[] = [];
    const results = p.map(
      [1, 2, 3],
      (api, x) => api.gated(x),
      (done) => progress.push(done),
    );
    await settle();
    const crashed = gate(2).worker;
    crashed.crash('Uncaught RangeError: out of memory');
    await settle();
    expect(crashes).toEqual([['The test work stopped unexpectedly (Uncaught RangeError: out of memory). Do it again.', true]]);
    expect(crashed.terminated).toBe(true);
    expect(workers).toHaveLength(3);
    expect(gate(2).worker).toBe(workers[2]);
    for (let i = 0; i < 3; i++) {
      answerAll();
      await settle();
    }
    expect(await results).toEqual([1, 4, 9]);
    expect(progress).toEqual([1, 2, 3]);
    expect(calls).toBe(4);
  });

  it('retries after a silent end too (the lifeline)', async () => {
    const locks = new FakeLocks();
    const crashes: string[] = [];
    const p = pool(1, { onCrash: (error) => crashes.push(error.message) }, locks);
    const result = p.run((api) => api.gated(3));
    await settle();
    gate(3).worker.endSilently();
    await settle();
    expect(crashes).toEqual([`The test work stopped unexpectedly (${SILENT_END}). Do it again.`]);
    answerAll();
    expect(await result).toBe(9);
    expect(workers).toHaveLength(2);
  });

  it('rejects the job with WorkerCrashedError when its second worker crashes too; other jobs go on', async () => {
    const crashes: boolean[] = [];
    const p = pool(2, { onCrash: (_, retrying) => crashes.push(retrying) });
    const doomed = p.run((api) => api.gated(2), { work: 'Fold 2', advice: 'Run the folds again.' });
    const other = p.run((api) => api.gated(3));
    await settle();
    gate(2).worker.crash('first');
    await settle();
    gate(2).worker.crash('second');
    const error = await doomed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect((error as Error).message).toBe('Fold 2 stopped unexpectedly (second). Run the folds again.');
    expect(crashes).toEqual([true, false]);
    gate(3).answer(9);
    expect(await other).toBe(9);
    // The slot starts a fresh worker for the next job.
    expect(await p.run((api) => api.square(4))).toBe(16);
  });

  it('does not retry a job that fails on its own: the map rejects and drops its waiting jobs', async () => {
    const crashes: boolean[] = [];
    const p = pool(1, { onCrash: (_, retrying) => crashes.push(retrying) });
    const progress: number[] = [];
    const error = await p
      .map(
        [1, 2, 3],
        (api, x) => (x === 1 ? api.fail(x) : api.square(x)),
        (done) => progress.push(done),
      )
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('no square of 1');
    await settle();
    expect(calls).toBe(1);
    expect(crashes).toEqual([]);
    expect(progress).toEqual([]);
    expect(await p.run((api) => api.square(5))).toBe(25);
  });

  it('cancels: every worker ends and every running and waiting job rejects with the reason; the next job starts afresh', async () => {
    const p = pool(2);
    const results = [1, 2, 3, 4, 5].map((x) => p.run((api) => api.gated(x)).catch((e: unknown) => e));
    await settle();
    expect(workers).toHaveLength(2);
    const reason = new Error('cancelled by the user');
    p.cancel(reason);
    expect(await Promise.all(results)).toEqual([reason, reason, reason, reason, reason]);
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(p.started).toBe(0);
    expect(calls).toBe(2);
    expect(await p.run((api) => api.square(6))).toBe(36);
    expect(workers).toHaveLength(3);
  });

  it('terminates: every worker ends, waiting jobs are dropped, the next job starts afresh', async () => {
    const p = pool(2);
    [1, 2, 3].forEach((x) => void p.run((api) => api.gated(x)));
    await settle();
    p.terminate();
    expect(workers.every((w) => w.terminated)).toBe(true);
    await settle();
    expect(calls).toBe(2);
    expect(await p.run((api) => api.square(2))).toBe(4);
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => pool(size)).toThrow(RangeError);
  });
});
