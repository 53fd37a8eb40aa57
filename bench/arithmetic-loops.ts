/**
 * A plain arithmetic loop (no memory traffic) in Node worker threads, all at once: how much of the
 * machine's cores other jobs leave, for the thread benchmarks (bench/threads-fit.ts, bench/parallel-ceiling.ts).
 */
import { Worker } from 'node:worker_threads';

/** Milliseconds for `n` worker threads to run the same arithmetic loop each, all at once. */
export function arithmeticLoops(n: number): Promise<number> {
  const source =
    'let s = 0; for (let i = 0; i < 2e8; i++) s += Math.sqrt(i) * 1e-9; ' + "require('node:worker_threads').parentPort.postMessage(s);";
  const started = performance.now();
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(source, { eval: true });
          worker.once('message', () => void worker.terminate().then(() => resolve()));
          worker.once('error', reject);
        }),
    ),
  ).then(() => performance.now() - started);
}
