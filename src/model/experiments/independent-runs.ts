/**
 * How an experiment carries out its independent training runs (ablation cells, claims pairs): one
 * after another in the given order (the serial path), or up to `parallel` at once — each run then
 * wherever the caller's job sends it (a pool of workers, workers/worker-pool.ts). The science of a
 * run is the job's; this module only decides the order and stops on cancel.
 */
import type { CancelSignal } from '../../data/cancel';

/**
 * Where an experiment's runs train, when not in this thread one after another: `parallel` at once,
 * each by `run` (e.g. a job for a pool worker that trains it there), reporting through `hooks`.
 */
export interface RunSchedule<Input, Output, Hooks> {
  readonly parallel: number;
  /** Trains one run; null when it was cancelled. */
  readonly run: (input: Input, index: number, hooks: Hooks) => Promise<Output | null>;
}

export interface IndependentRunsOptions<Input> {
  readonly signal?: CancelSignal;
  /**
   * A run's relative cost (e.g. 2^qubits × layers): in parallel the costliest start first, so the last
   * runs to start are short and the workers end together. Ignored on the serial path, which keeps the
   * inputs' order.
   */
  readonly cost?: (input: Input) => number;
}

/**
 * Runs `run` on every input, at most `parallel` at once. The results keep the
 * inputs' order; a run that did not finish (cancelled, or not started once the signal was raised or
 * a run came back null) is null there. A run's error rejects the whole, once the runs already going
 * have ended (none starts after it).
 */
export async function runIndependent<Input, Output>(
  inputs: readonly Input[],
  parallel: number,
  run: (input: Input, index: number) => Promise<Output | null>,
  options: IndependentRunsOptions<Input> = {},
): Promise<(Output | null)[]> {
  if (!Number.isInteger(parallel) || parallel < 1) throw new RangeError(`runs in parallel must be a whole number ≥ 1 (got ${parallel})`);
  const order = inputs.map((_, index) => index);
  const { cost } = options;
  if (parallel > 1 && cost) {
    const costs = inputs.map(cost);
    order.sort((a, b) => costs[b] - costs[a] || a - b);
  }
  const results: (Output | null)[] = inputs.map(() => null);
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < order.length && !options.signal?.aborted) {
      const index = order[next++];
      try {
        results[index] = await run(inputs[index], index);
      } catch (error) {
        stopped = true;
        throw error;
      }
      if (results[index] === null) stopped = true;
    }
  };
  const lanes = Array.from({ length: Math.min(parallel, inputs.length) }, lane);
  const settled = await Promise.allSettled(lanes);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}
