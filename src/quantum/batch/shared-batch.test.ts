import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCircuit } from '../compile';
import type { CompiledCircuit } from '../compile';
import { reuploadingStronglyEntangling } from '../template';
import { GENERIC_TEMPLATES } from '../testing/generic-templates';
import { circuitInputs } from '../testing/circuit-inputs';
import { SerialBatchRunner } from './sample-job';
import { chunkCapacity, createSharedBatchBuffers, sampleRanges, type SharedBatchBuffers, SharedBatchRunner } from './shared-batch';

/** Worker threads cannot be given `--import tsx`: the bench's bootstrap registers tsx, then loads the entry. */
const BOOTSTRAP = new URL('../../../bench/quantum/tsx-worker.mjs', import.meta.url);
const ENTRY = new URL('./testing/serve-thread.ts', import.meta.url).href;

function startThreads(buffers: SharedBatchBuffers, count: number): Promise<Worker[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, slot) =>
        new Promise<Worker>((resolve, reject) => {
          const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, buffers, slot } });
          worker.once('message', () => resolve(worker));
          worker.once('error', reject);
        }),
    ),
  );
}

const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** forward (keeping states under `key`), then vjp reusing them, on a runner; and the serial runner's answers. */
function compare(runner: SharedBatchRunner, circuit: CompiledCircuit, batch: number, seed: number, key: string | null) {
  const { x, weights, cotangent } = circuitInputs(circuit, batch, seed);
  const serial = new SerialBatchRunner();
  const expvals = runner.forward(circuit, x, weights, batch, key);
  const grads = runner.vjp(circuit, x, weights, batch, cotangent, key);
  const expected = {
    expvals: serial.forward(circuit, x, weights, batch, null),
    ...serial.vjp(circuit, x, weights, batch, cotangent, null),
  };
  return {
    expvals: sameBits(expvals, expected.expvals),
    gradX: sameBits(grads.gradX, expected.gradX),
    gradWeights: sameBits(grads.gradWeights, expected.gradWeights),
  };
}

const ALL_SAME = { expvals: true, gradX: true, gradWeights: true };

describe('sampleRanges', () => {
  it('covers the samples in order, in near-equal contiguous parts', () => {
    for (const [samples, parts] of [
      [10, 3],
      [1, 4],
      [64, 2],
      [0, 2],
    ]) {
      const ranges = sampleRanges(samples, parts);
      expect(ranges).toHaveLength(parts);
      expect(ranges[0].from).toBe(0);
      expect(ranges[parts - 1].to).toBe(samples);
      ranges.slice(1).forEach((r, p) => expect(r.from).toBe(ranges[p].to));
      const sizes = ranges.map((r) => r.to - r.from);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe.each([1, 2])('the batch split across this thread and %i worker thread(s)', (subWorkers) => {
  const circuit = compileCircuit(reuploadingStronglyEntangling(5, 3));
  // a small data buffer, so that a batch of 200 runs in several chunks
  const buffers = createSharedBatchBuffers(subWorkers, 64 * 1024);
  let threads: Worker[] = [];
  beforeAll(async () => {
    threads = await startThreads(buffers, subWorkers);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(threads.map((t) => t.terminate()));
  });

  it('gives the same bits as one thread, in chunks, keeping and reusing the states or not, blocking or polling', () => {
    expect(chunkCapacity(circuit, (64 * 1024) / 8)).toBeLessThan(200);
    for (const block of [true, false]) {
      const runner = new SharedBatchRunner(buffers, subWorkers, { block });
      for (const [batch, key] of [
        [200, 'a'],
        [200, null],
        [7, 'b'],
        [2, 'c'],
        [1, 'd'],
      ] as const)
        expect(compare(runner, circuit, batch, batch + 1, key), `batch ${batch}, key ${key}, block ${block}`).toEqual(ALL_SAME);
      expect(runner.threaded).toBe(true);
      // this thread's own ranges: kept by the forward passes, used by their gradients
      expect(runner.store.size).toBe(0);
    }
  });

  it('keeps this thread’s part of the states until the gradient asks for them', () => {
    const runner = new SharedBatchRunner(buffers, subWorkers);
    const { x, weights, cotangent } = circuitInputs(circuit, 40, 3);
    runner.forward(circuit, x, weights, 40, 'k');
    expect(runner.store.size).toBe(1);
    runner.vjp(circuit, x, weights, 40, cotangent, 'k');
    expect(runner.store.size).toBe(0);
  });

  it('runs circuits the workers cannot rebuild in this thread', () => {
    const runner = new SharedBatchRunner(buffers, subWorkers);
    for (const template of GENERIC_TEMPLATES) expect(compare(runner, compileCircuit(template), 9, 4, 'g')).toEqual(ALL_SAME);
    expect(runner.threaded).toBe(true);
  });
});

describe('a sub-worker that does not answer', () => {
  it('makes the runner fall back to this thread, with the same results', () => {
    const circuit = compileCircuit(reuploadingStronglyEntangling(3, 2));
    // one slot, no thread serving it
    const runner = new SharedBatchRunner(createSharedBatchBuffers(1), 1, { timeoutMs: 50 });
    expect(compare(runner, circuit, 12, 5, 'k')).toEqual(ALL_SAME);
    expect(runner.threaded).toBe(false);
    expect(compare(runner, circuit, 12, 6, null)).toEqual(ALL_SAME);
  });
});

describe('stop', () => {
  it('ends the serving loops', async () => {
    const buffers = createSharedBatchBuffers(2);
    const threads = await startThreads(buffers, 2);
    const exits = threads.map((t) => new Promise<number>((resolve) => t.once('exit', resolve)));
    new SharedBatchRunner(buffers, 2).stop();
    expect(await Promise.all(exits)).toEqual([0, 0]);
  }, 30_000);
});
