import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Page } from '@playwright/test';
import type { WasmThreadsResult } from '../src/headless/commands/threads';
import { expect, test } from './fixtures/app-test';
import { run } from './fixtures/headless-runner';
import { trainTiny } from './fixtures/tiny-training';

const COOP = 'cross-origin-opener-policy';
const COEP = 'cross-origin-embedder-policy';

test('the preview server sends the isolation headers beside the policy: the app and its workers are cross-origin isolated', async ({
  appPage: page,
}) => {
  const response = await page.goto('/');
  const headers = response?.headers() ?? {};
  expect(headers[COOP]).toBe('same-origin');
  expect(headers[COEP]).toBe('require-corp');
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(await page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')).toBe(true);

  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = page.getByTestId('threads');
  await expect(threads).toHaveText(`Threads: ${Math.min(cores, 16)} (cross-origin isolated)`);
  await expect(threads).toHaveAttribute('data-isolated', 'true');

  // The setting reaches the training worker (its name carries it), and the worker is isolated too.
  await page.goto('/?threads=1');
  await expect(threads).toHaveText('Threads: 1 (cross-origin isolated)');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  const worker = page.waitForEvent('worker', (w) => w.url().includes('training'));
  const script = page.waitForResponse((r) => /training\.worker.*\.js$/.test(new URL(r.url()).pathname));
  await page.getByRole('tab', { name: 'Model' }).click();
  await trainTiny(page);
  expect((await script).headers()[COEP]).toBe('require-corp');
  expect(await (await worker).evaluate(() => ({ isolated: self.crossOriginIsolated, name: self.name }))).toEqual({
    isolated: true,
    name: 'training threads=1',
  });
});

test('the cores to use are chosen in the footer, kept across reloads, reach the workers started after; the address overrides them', async ({
  appPage: page,
}) => {
  await page.goto('/');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = page.getByTestId('threads');
  const setting = page.getByTestId('thread-setting');
  await expect(setting).toHaveValue('auto');
  await expect(setting.locator('option').first()).toHaveText(`Auto (${Math.min(cores, 16)})`);
  await setting.selectOption('2');
  await expect(threads).toHaveText('Threads: 2 (cross-origin isolated)');
  await page.reload();
  await expect(setting).toHaveValue('2');
  await expect(threads).toHaveText('Threads: 2 (cross-origin isolated)');

  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  const worker = page.waitForEvent('worker', (w) => w.url().includes('training'));
  await page.getByRole('tab', { name: 'Model' }).click();
  await trainTiny(page);
  expect(await (await worker).evaluate(() => self.name)).toBe('training threads=2');

  await page.goto('/?threads=1');
  await expect(threads).toHaveText('Threads: 1 (cross-origin isolated)');
  await expect(setting).toBeDisabled();
  await page.goto('/');
  await setting.selectOption('auto');
  await expect(threads).toHaveText(`Threads: ${Math.min(cores, 16)} (cross-origin isolated)`);
  expect(await page.evaluate(() => localStorage.getItem('qpkpd.threads'))).toBeNull();
});

/** The wasm-threads command on a runner page with `threads`, where the browser reports 4 cores (TF.js uses at most half). */
async function wasmOn(page: Page, threads: number): Promise<WasmThreadsResult> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: 4 });
  await page.goto(`/headless.html?threads=${threads}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return run<WasmThreadsResult>(page, 'wasm-threads', { rows: 256, width: 256, repeats: 3 });
}

test("TF.js's WebAssembly backend runs on the page's threads, with the numbers of one thread", async ({ appPage: page, context }) => {
  const one = await wasmOn(page, 1);
  const other = await context.newPage();
  const two = await wasmOn(other, 2);
  expect(one).toMatchObject({ crossOriginIsolated: true, setting: 1, threadCount: 1, wasmThreads: 1 });
  expect(two).toMatchObject({ crossOriginIsolated: true, setting: 2, threadCount: 2, wasmThreads: 2 });
  expect(two.outputs).toHaveLength(256 * 256);
  const worst = Math.max(...two.outputs.map((value, i) => Math.abs(value - one.outputs[i])));
  console.log(`wasm 1 vs 2 threads: max |Δ| ${worst}; ${one.msPerPass.toFixed(1)} vs ${two.msPerPass.toFixed(1)} ms per pass`);
  expect(worst).toBeLessThanOrEqual(1e-6);
});

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

/** A static host that sends no header but the content type: the build as a plain file server serves it. */
async function plainHost(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = join(root, normalize(path === '/' ? '/index.html' : path));
    readFile(file).then(
      (body) => response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { server, url: `http://localhost:${address.port}/` };
}

test('on a host without the headers the service worker isolates the app: one reload on the first visit, none after, and offline', async ({
  page,
  context,
}) => {
  const { server, url } = await plainHost(join(process.cwd(), process.env.PW_DIST ?? 'dist'));
  try {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // Navigations of the page (a reload that starts before the first load ends fires no second 'load').
    let loads = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads += 1;
    });
    const first = await page.goto(url);
    expect(first?.headers()[COEP]).toBeUndefined();
    // The service worker installs, takes control, and the page reloads itself once, now isolated.
    // An evaluation that meets the reload fails ("execution context was destroyed"): that poll reads as not yet.
    const isolatedNow = (): Promise<boolean> => page.evaluate(() => crossOriginIsolated).catch(() => false);
    await expect.poll(isolatedNow, { timeout: 60_000 }).toBe(true);
    expect(loads).toBe(2);
    await expect(page.getByTestId('threads')).toHaveText(/\(cross-origin isolated\)$/);
    expect(await page.evaluate(() => sessionStorage.getItem('qpkpd-isolation-reload'))).toBeNull();

    // Later loads are isolated from the start: the worker serves the page with the headers.
    const again = await page.reload();
    expect(again?.fromServiceWorker()).toBe(true);
    expect(again?.headers()[COOP]).toBe('same-origin');
    expect(again?.headers()[COEP]).toBe('require-corp');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(loads).toBe(3);

    await context.setOffline(true);
    const offline = await page.reload();
    expect(offline?.fromServiceWorker()).toBe(true);
    expect(offline?.headers()[COEP]).toBe('require-corp');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.getByRole('heading', { name: 'QPKPD Studio', level: 1 })).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    await context.setOffline(false);
    server.close();
  }
});
