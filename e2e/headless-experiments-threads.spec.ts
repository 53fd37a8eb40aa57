import type { Page } from '@playwright/test';
import { ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { run } from './fixtures/headless-runner';

interface Output {
  workers: number;
  seconds: number;
  [key: string]: unknown;
}

/** A headless command on a runner page with `threads` (the pool's size). */
async function runOn(page: Page, threads: number, command: string, args: Record<string, unknown>): Promise<Output> {
  await page.goto(`/headless.html?threads=${threads}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return run<Output>(page, command, { csvText: ESTDATA_CSV, fileName: 'EstData.csv', ...args });
}

/** Every number but the timings and the worker count. */
function untimed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untimed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'seconds' && key !== 'workers')
        .map(([key, v]) => [key, untimed(v)]),
    );
  return value;
}

test('a tiny ablation on 2 run workers and a cv5 on 2 fold workers give the 1-thread results bit for bit', async ({
  appPage: page,
  context,
}) => {
  const ablation = { encoder: 'qnn-mlp', mode: 'independent', qubits: [1, 2, 3], layers: [1], epochs: 1, hidden: 8, depth: 1 };
  const one = await runOn(page, 1, 'ablation', ablation);
  const two = await runOn(await context.newPage(), 2, 'ablation', ablation);
  expect([one.workers, two.workers]).toEqual([1, 2]);
  expect((two.cells as { qubits: number }[]).map((c) => c.qubits)).toEqual([1, 2, 3]);
  expect(untimed(two)).toEqual(untimed(one));

  const cv5 = { split: 'cv5', encoder: 'qnn-mlp', mode: 'independent', qubits: 2, layers: 1, epochs: 1 };
  const serial = await runOn(await context.newPage(), 1, 'train', cv5);
  const pooled = await runOn(await context.newPage(), 2, 'train', cv5);
  expect([serial.workers, pooled.workers]).toEqual([1, 2]);
  expect(pooled.folds).toHaveLength(5);
  expect(untimed(pooled)).toEqual(untimed(serial));
});
