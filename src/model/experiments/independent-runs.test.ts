import { describe, expect, it } from 'vitest';
import { runIndependent } from './independent-runs';

/** A run that ends after `ms` milliseconds with its input squared, logging its start and end. */
function timed(log: string[], active: { now: number; most: number }) {
  return async (x: number): Promise<number | null> => {
    log.push(`start ${x}`);
    active.most = Math.max(active.most, ++active.now);
    await new Promise((resolve) => setTimeout(resolve, x));
    active.now--;
    log.push(`end ${x}`);
    return x * x;
  };
}

describe('independent runs', () => {
  it('serially: one after another in the inputs’ order, whatever their cost', async () => {
    const log: string[] = [];
    const active = { now: 0, most: 0 };
    const results = await runIndependent([1, 9, 4], 1, timed(log, active), { cost: (x) => x });
    expect(results).toEqual([1, 81, 16]);
    expect(log).toEqual(['start 1', 'end 1', 'start 9', 'end 9', 'start 4', 'end 4']);
    expect(active.most).toBe(1);
  });

  it('in parallel: at most `parallel` at once, the costliest first, results in the inputs’ order', async () => {
    const log: string[] = [];
    const active = { now: 0, most: 0 };
    const results = await runIndependent([2, 30, 5, 20, 1], 2, timed(log, active), { cost: (x) => x });
    expect(results).toEqual([4, 900, 25, 400, 1]);
    expect(log.filter((e) => e.startsWith('start'))).toEqual(['start 30', 'start 20', 'start 5', 'start 2', 'start 1']);
    expect(active.most).toBe(2);
  });

  it('starts nothing more once cancelled or once a run comes back null; the finished results are kept', async () => {
    const signal = { aborted: false };
    const started: number[] = [];
    const results = await runIndependent(
      [1, 2, 3, 4, 5],
      2,
      async (x) => {
        started.push(x);
        await new Promise((resolve) => setTimeout(resolve, x === 2 ? 1 : 10));
        if (x === 2) signal.aborted = true;
        return x;
      },
      { signal },
    );
    expect(started).toEqual([1, 2]);
    expect(results).toEqual([1, 2, null, null, null]);

    const stopped = await runIndependent([1, 2, 3], 1, async (x) => Promise.resolve(x === 2 ? null : x));
    expect(stopped).toEqual([1, null, null]);
  });

  it('rejects with a run’s error once the runs going have ended, starting none after it', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const run = runIndependent([1, 2, 3, 4], 2, async (x) => {
      started.push(x);
      await new Promise((resolve) => setTimeout(resolve, x === 1 ? 1 : 10));
      if (x === 1) throw new Error('run 1 failed');
      ended.push(x);
      return x;
    });
    await expect(run).rejects.toThrow('run 1 failed');
    expect(started).toEqual([1, 2]);
    expect(ended).toEqual([2]);
    await expect(runIndependent([1], 0, async (x) => Promise.resolve(x))).rejects.toThrow(RangeError);
  });
});
