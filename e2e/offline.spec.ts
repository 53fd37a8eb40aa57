import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, storedDatasetNames, test } from './fixtures/app-test';
import { trainTiny } from './fixtures/tiny-training';

/** Loads the demo data with its button (a fetch of /demo/EstData.csv) and waits for its summary. */
async function loadDemo(page: Page): Promise<void> {
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
}

/** Trains a tiny quantum model (2 qubits × 1 layer, 3 epochs) in the Model tab and waits for its results. */
async function trainTinyHere(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Model' }).click();
  await trainTiny(page);
  await expect(page.getByTestId('metrics-table').locator('tr[data-target=pd][data-set=validation] td[data-metric=rmse]')).toHaveText(/^\d/);
}

async function saveModel(page: Page, name: string): Promise<void> {
  const results = page.getByTestId('model-results');
  await results.getByLabel('Model name').fill(name);
  await results.getByTestId('save-model').click();
  await expect(results.getByTestId('saved-as')).toContainText(name);
}

const savedNames = (page: Page): Promise<string[]> =>
  page.locator('[data-testid=saved-model]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));

/** Waits until the service worker has precached the app (first install) and controls the page. */
async function waitUntilOfflineReady(page: Page): Promise<void> {
  await expect(page.getByTestId('offline-ready')).toContainText('Ready to work offline');
  await expect(page.locator('html')).toHaveAttribute('data-offline-ready', 'true');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
}

/** Every request of the context: the page's, its workers' and the service worker's own. */
function recordRequests(context: BrowserContext): { urls: string[]; failed: string[] } {
  const record = { urls: [] as string[], failed: [] as string[] };
  context.on('request', (request) => record.urls.push(request.url()));
  context.on('requestfailed', (request) => record.failed.push(`${request.url()} (${request.failure()?.errorText})`));
  return record;
}

/**
 * Records stored in the app's database; 0 when the database does not exist. Opens it only if it
 * exists. A dataset's columns are records of their own ('dataset-columns'): counted only with `columns`.
 */
function storedRecordCount(page: Page, columns = false): Promise<number> {
  return page.evaluate(async (columns) => {
    if (!(await indexedDB.databases()).some((info) => info.name === 'qpkpd-studio')) return 0;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('qpkpd-studio');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    let count = 0;
    for (const name of Array.from(db.objectStoreNames)) {
      if (name === 'dataset-columns' && !columns) continue;
      count += await new Promise<number>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).count();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    db.close();
    return count;
  }, columns);
}

test('after one visit the app starts offline, loads the demo data from its cache and trains a tiny model', async ({
  appPage: page,
  context,
}) => {
  await page.goto('/');
  await waitUntilOfflineReady(page);

  await context.setOffline(true);
  const requests = recordRequests(context);
  const response = await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await expect(page.getByRole('heading', { name: 'QPKPD Studio', level: 1 })).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // The service worker serves the page with the cross-origin isolation headers: threads offline too.
  expect(response?.fromServiceWorker()).toBe(true);
  expect(response?.headers()).toMatchObject({
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  await loadDemo(page);
  await trainTinyHere(page);
  // Everything came from the cache; only the browser's check for a new service worker may fail offline.
  expect(requests.urls.length).toBeGreaterThan(5);
  expect(requests.failed.filter((failure) => !/\/sw\.js /.test(failure))).toEqual([]);
});

test('the whole workflow sends no request to another origin', async ({ appPage: page, context, baseURL }) => {
  const requests = recordRequests(context);
  await page.goto('/');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', /connect-src 'self'/);
  await loadDemo(page);
  await expect(page.locator('figure[data-plot="pk-time"] svg').first()).toBeVisible();

  await trainTinyHere(page);
  await saveModel(page, 'Tiny');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Tiny' }).click();
  expect((await download).suggestedFilename()).toBe('Tiny.qpkpd-model.json');

  await page.getByRole('tab', { name: 'Doses' }).click();
  const form = page.locator('qp-dose-form');
  await form.getByLabel('Tiny', { exact: true }).check();
  for (const [label, value] of Object.entries({
    'Virtual subjects (N)': '100',
    'Uncertainty replicates (0 = no bands)': '0',
    'VPC replicates (0 = no VPC)': '0',
  })) {
    await form.getByLabel(label, { exact: true }).fill(value);
  }
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('doses-notice')).toContainText('Answered in');
  await expect(page.getByTestId('answers-table').locator('tbody tr[data-row]')).toHaveCount(12);

  const origin = new URL(baseURL ?? '').origin;
  const web = requests.urls.filter((url) => !/^(data|blob):/.test(url));
  expect(web.length).toBeGreaterThan(10);
  expect(web.filter((url) => new URL(url).origin !== origin)).toEqual([]);
  expect(requests.failed).toEqual([]);
});

interface FetchOutcome {
  fetched: string;
  violation: string;
}

/** Run in the page or in a worker (`self` is either): fetches another origin and reports what the policy did. */
async function tryForeignFetch(): Promise<FetchOutcome> {
  const violation = new Promise<string>((resolve) =>
    self.addEventListener('securitypolicyviolation', (event) => resolve(`${event.effectiveDirective} ${event.blockedURI}`), { once: true }),
  );
  const fetched = await fetch('https://example.com/collect').then(
    () => 'sent',
    (error: unknown) => `refused: ${String(error)}`,
  );
  return { fetched, violation: await violation };
}

function expectForeignFetchRefused(outcome: FetchOutcome, requests: readonly string[]): void {
  expect(outcome.fetched).toMatch(/^refused/);
  expect(outcome.violation).toBe('connect-src https://example.com/collect');
  expect(requests.filter((url) => url.includes('example.com'))).toEqual([]);
}

test('the Content-Security-Policy refuses a connection to another origin', async ({ page }) => {
  // The plain page: the refused fetch logs a console error, which the app fixture would count as a failure.
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'QPKPD Studio', level: 1 })).toBeVisible();
  expectForeignFetchRefused(await page.evaluate(tryForeignFetch), requests);
});

test('the workers are under the same policy: served with it as a header, the training worker cannot connect to another origin', async ({
  page,
  context,
}) => {
  // The plain page, as above: the refused fetch logs a console error.
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await page.goto('/');
  await loadDemo(page);
  const worker = page.waitForEvent('worker', (w) => w.url().includes('training'));
  const script = page.waitForResponse((response) => /training\.worker.*\.js$/.test(new URL(response.url()).pathname));
  await trainTinyHere(page);
  // A <meta> policy does not reach a worker: the script's own response must carry it.
  expect((await script).headers()['content-security-policy']).toContain("connect-src 'self'");
  expectForeignFetchRefused(await (await worker).evaluate(tryForeignFetch), requests);
});

test('"Delete all my data" empties the store and the caches', async ({ appPage: page }) => {
  await page.goto('/');
  await waitUntilOfflineReady(page);
  await loadDemo(page);
  await trainTinyHere(page);
  await saveModel(page, 'Tiny');
  await expect.poll(() => savedNames(page)).toEqual(['Tiny']);
  expect(await storedRecordCount(page)).toBe(4);
  expect((await page.evaluate(() => caches.keys())).length).toBeGreaterThan(0);

  const panel = page.getByTestId('privacy-panel');
  await panel.getByText('Privacy & storage').click();
  await expect(panel).toContainText('this browser’s IndexedDB');
  await expect(panel.getByTestId('storage-used')).toContainText(/\d+(\.\d)? (B|KB|MB)/);
  await panel.getByTestId('delete-all').click();
  await expect(panel.getByRole('alertdialog')).toContainText('cannot be undone');
  await expect(panel.getByTestId('cancel-delete-all')).toBeFocused();
  await panel.getByTestId('confirm-delete-all').click();
  await expect(panel.getByTestId('privacy-message')).toHaveText(
    'All your data were deleted from this browser. The offline copy of the app is made again the next time you open it online.',
  );

  await expect.poll(() => storedDatasetNames(page)).toEqual([]);
  await expect(page.getByTestId('model-no-data')).toBeVisible();
  expect(await page.evaluate(() => caches.keys())).toEqual([]);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  expect(await storedRecordCount(page, true)).toBe(0);

  await page.reload();
  await expect(page.getByTestId('welcome')).toBeVisible();
  // Opened online again: a fresh offline copy is made.
  await waitUntilOfflineReady(page);
  expect((await page.evaluate(() => caches.keys())).length).toBeGreaterThan(0);
  expect(await storedDatasetNames(page)).toEqual([]);
  expect(await storedRecordCount(page)).toBe(0);
  await loadDemo(page);
  // The new dataset's two records and nothing else: no saved model came back.
  expect(await storedRecordCount(page)).toBe(2);
  await page.getByRole('tab', { name: 'Model' }).click();
  await expect(page.getByTestId('no-saved-models')).toBeVisible();
  expect(await savedNames(page)).toEqual([]);
});

test('a new version of the app shows an update notice, and Reload switches to it', async ({ appPage: page }) => {
  await page.goto('/');
  await waitUntilOfflineReady(page);
  await page.getByTestId('offline-ready').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('offline-ready')).toHaveCount(0);

  // A new deployment: the served service worker script changes (restored afterwards; the browser's
  // update check for the service worker script is not routable from Playwright).
  const swFile = new URL(`../${process.env.PW_DIST ?? 'dist'}/sw.js`, import.meta.url);
  const original = readFileSync(swFile, 'utf8');
  try {
    writeFileSync(swFile, `${original}\n// next version\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const notice = page.getByTestId('update-notice');
    await expect(notice).toContainText('A new version of QPKPD Studio is ready');
    await expect(page.getByRole('status').filter({ has: notice })).toHaveAttribute('aria-live', 'polite');

    const reloaded = page.waitForEvent('framenavigated');
    await notice.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
  } finally {
    writeFileSync(swFile, original);
  }
  await expect(page.getByRole('heading', { name: 'QPKPD Studio', level: 1 })).toBeVisible();
  await expect(page.getByTestId('update-notice')).toHaveCount(0);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
});

test('an install button appears only when the browser offers to install the app', async ({ appPage: page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'QPKPD Studio', level: 1 })).toBeVisible();
  await expect(page.getByTestId('install-app')).toHaveCount(0);

  // Headless Chromium makes no offer: stand in for its beforeinstallprompt event.
  await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => document.documentElement.setAttribute('data-install-prompted', 'true'),
      userChoice: Promise.resolve({ outcome: 'accepted' }),
    });
    window.dispatchEvent(offer);
  });
  const install = page.getByRole('button', { name: 'Install app' });
  await expect(install).toBeVisible();
  await install.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-install-prompted', 'true');
  await expect(install).toHaveCount(0);
});
