import { expect, test } from './fixtures/app-test';

// The quantum kernel is tested on this adapter; a missing adapter must fail the suite, not skip it.
test('WebGPU has an adapter in the page and in a worker', async ({ appPage: page }) => {
  await page.goto('/');
  const adapters = await page.evaluate(async () => {
    const pageAdapter = await navigator.gpu?.requestAdapter();
    const workerSource =
      'navigator.gpu.requestAdapter().then((a) => postMessage(a ? a.info.architecture || a.info.vendor || "unnamed" : null))';
    const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
    const workerAdapter = await new Promise<string | null>((resolve) => {
      worker.onmessage = (event) => resolve(event.data as string | null);
    });
    worker.terminate();
    return { page: pageAdapter ? pageAdapter.info.architecture || pageAdapter.info.vendor : null, worker: workerAdapter };
  });
  expect(adapters.page, 'WebGPU adapter in the page').not.toBeNull();
  expect(adapters.worker, 'WebGPU adapter in a worker').not.toBeNull();
  await expect(page.getByTestId('gpu-status')).toHaveAttribute('data-available', 'true');
  await expect(page.getByTestId('gpu-status')).toHaveAttribute('data-software', 'true');
  await expect(page.getByTestId('compute-backend')).toHaveText('WASM');
});
