import type { Page } from '@playwright/test';
import { dropFile, ESTDATA_CSV, expect, test } from './fixtures/app-test';
import { run } from './fixtures/headless-runner';
import { trainTiny } from './fixtures/tiny-training';

interface TrainOutput {
  metrics: unknown;
  epochs: unknown;
  curves: unknown;
  quantum_threads: number;
  quantum_kernels: { forwardCalls: number; gradientCalls: number };
}

/** The headless train of a small QNN-ResMLP-MoE on EstData on a runner page with `threads`. */
async function trainOn(page: Page, threads: number): Promise<TrainOutput> {
  await page.goto(`/headless.html?threads=${threads}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return run<TrainOutput>(page, 'train', {
    csvText: ESTDATA_CSV,
    fileName: 'EstData.csv',
    encoder: 'qnn-resmlp-moe',
    qubits: 4,
    epochs: 3,
  });
}

test('the headless train splits the quantum layer across 2 threads with the 1-thread results', async ({ appPage: page, context }) => {
  test.setTimeout(180_000);
  const one = await trainOn(page, 1);
  const two = await trainOn(await context.newPage(), 2);
  expect(one.quantum_threads).toBe(1);
  // 2 to the end: no sub-worker failed or timed out (that would send the layer back to one thread)
  expect(two.quantum_threads).toBe(2);
  expect(two.quantum_kernels.gradientCalls).toBeGreaterThan(0);
  expect({ metrics: two.metrics, epochs: two.epochs, curves: two.curves }).toEqual({
    metrics: one.metrics,
    epochs: one.epochs,
    curves: one.curves,
  });
});

/** Trains the tiny quantum model in the Model tab of an app page with `threads`; its metrics and first predictions. */
async function trainInApp(page: Page, threads: number): Promise<{ metrics: string; predictions: string | null; samplers: number }> {
  await page.goto(`/?threads=${threads}`);
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText(/^EstData/);
  await page.getByRole('tab', { name: 'Model' }).click();
  await trainTiny(page, { epochs: 3 });
  const results = page.getByTestId('model-results');
  return {
    metrics: await results.getByTestId('metrics-table').innerText(),
    predictions: await results.getByTestId('predictions').getAttribute('data-first-predictions'),
    samplers: page.workers().filter((w) => w.url().includes('qnn-sampler')).length,
  };
}

test('the training worker splits the quantum layer across 2 threads with the 1-thread results', async ({ appPage: page, context }) => {
  test.setTimeout(180_000);
  const one = await trainInApp(page, 1);
  const two = await trainInApp(await context.newPage(), 2);
  // the training worker's sub-worker (nested in it; Chromium lists it among the page's workers)
  expect(one.samplers).toBe(0);
  expect(two.samplers).toBe(1);
  expect(two.metrics).toBe(one.metrics);
  expect(two.predictions).toBe(one.predictions);
});
