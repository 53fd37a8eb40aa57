/**
 * The quantum layer on several cores (issue 16): starts threadCount() − 1 sub-workers (workers/qnn-sampler.worker.ts)
 * and routes the cpu/wasm quantum kernels through a SharedBatchRunner (src/quantum/batch/shared-batch.ts), which
 * splits each batch's samples across this thread and them — the same results, bit for bit, as one thread.
 *
 * Call it, and await it, before training: the kernels are synchronous and the thread running them waits for the
 * sub-workers without returning to its event loop, and a worker cannot start its own workers while it is blocked.
 * Only where SharedArrayBuffer can be shared (cross-origin isolated) and more than one thread is set; otherwise, or
 * when a sub-worker does not start, the layer stays on this thread (the serial path). Once started, the sub-workers
 * live as long as this context (they end with the worker or page that started them).
 */
import { threadCount } from '../src/platform/threads';
import { createSharedBatchBuffers, SharedBatchRunner } from '../src/quantum/batch/shared-batch';
import { setQnnBatchRunner } from '../src/quantum/tfjs/cpu-kernels';

const READY_TIMEOUT_MS = 20_000;

let started: Promise<SharedBatchRunner | null> | null = null;

/** Starts the sub-workers once per context; resolves to the threads the quantum layer uses (1: this thread alone). */
export async function startQnnThreads(threads = threadCount()): Promise<number> {
  started ??= start(threads);
  const runner = await started;
  return runner ? runner.subWorkers + 1 : 1;
}

/** The threads the quantum layer uses now (1 before startQnnThreads, or once the runner fell back to this thread). */
export async function qnnThreadsInUse(): Promise<number> {
  const runner = started ? await started : null;
  return runner?.threaded ? runner.subWorkers + 1 : 1;
}

async function start(threads: number): Promise<SharedBatchRunner | null> {
  if (threads < 2 || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) return null;
  const buffers = createSharedBatchBuffers(threads - 1);
  const workers = Array.from(
    { length: threads - 1 },
    (_, slot) => new Worker(new URL('./qnn-sampler.worker.ts', import.meta.url), { type: 'module', name: `qnn-sampler-${slot}` }),
  );
  try {
    await Promise.all(workers.map((worker, slot) => ready(worker, { buffers, slot })));
  } catch (error) {
    workers.forEach((worker) => worker.terminate());
    console.warn(`The quantum layer stays on one thread: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  const runner = new SharedBatchRunner(buffers, workers.length);
  setQnnBatchRunner(runner);
  return runner;
}

function ready(worker: Worker, message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a sub-worker did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    worker.onmessage = () => {
      clearTimeout(timer);
      resolve();
    };
    worker.onerror = (event) => {
      clearTimeout(timer);
      reject(new Error(`a sub-worker failed to start${event.message ? `: ${event.message}` : ''}`));
    };
    worker.postMessage(message);
  });
}
