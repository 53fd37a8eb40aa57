/**
 * Hostile inputs in the running app: a model file whose network claims depth 1,000,000 (before the
 * fix the import built a 9 GB network and the tab died) and decompression-bomb links (before the fix
 * a 30 KB link froze the tab for 75 s). Each is refused with a clear message, the page keeps
 * answering, and the stored models are unchanged.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { hostileModelFiles } from '../src/testing/hostile-model-files';
import { hostileBombLinks } from '../src/testing/hostile-share-links';
import { expect, test } from './fixtures/app-test';
import { LONG_TASK_MS, longTasksBetween, pageNow, watchLongTasks } from './fixtures/long-tasks';
import { trainTiny } from './fixtures/tiny-training';

async function openTab(page: Page, name: 'Data' | 'Model' | 'Doses'): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

const savedNames = (page: Page): Promise<string[]> =>
  page.locator('[data-testid=saved-model]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));

/** The stored models' ids, read from IndexedDB itself. */
const storedModelIds = (page: Page): Promise<string[]> =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('qpkpd-studio');
        open.onerror = () => reject(new Error('IndexedDB could not be opened'));
        open.onsuccess = () => {
          const request = open.result.transaction('model-meta').objectStore('model-meta').getAllKeys();
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as string[]).sort());
          };
        };
      }),
  );

test('a model file claiming depth 1,000,000 is refused with a clear message; the page answers and the stored models are unchanged', async ({
  appPage: page,
}) => {
  await watchLongTasks(page);
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await openTab(page, 'Model');

  // A genuine file first: a tiny model trained, saved and exported here; the hostile file is it with one number changed.
  await trainTiny(page, { epochs: 1 });
  const results = page.getByTestId('model-results');
  await results.getByLabel('Model name').fill('Genuine');
  await results.getByTestId('save-model').click();
  await expect.poll(() => savedNames(page)).toEqual(['Genuine']);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Genuine' }).click();
  const genuine = readFileSync(await (await download).path(), 'utf8');
  const idsBefore = await storedModelIds(page);
  expect(idsBefore).toHaveLength(1);

  const deep = hostileModelFiles(genuine).find((f) => f.name.startsWith('depth 1,000,000 (the'));
  if (!deep) throw new Error('the corpus has no depth-1,000,000 file');
  const started = await pageNow(page);
  await page
    .getByTestId('import-model')
    .setInputFiles({ name: 'deep.qpkpd-model.json', mimeType: 'application/json', buffer: Buffer.from(deep.content) });
  const notice = page.getByTestId('model-notice');
  await expect(notice).toContainText(
    'deep.qpkpd-model.json was not imported: This model file is damaged: model.branches[0].network.config.architecture.depth is invalid (Enter a whole number from 1 to 16.)',
  );
  await expect(notice).toContainText('Nothing was changed');
  expect(await longTasksBetween(page, started, await pageNow(page)), `main-thread tasks over ${LONG_TASK_MS} ms`).toEqual([]);

  // The page answers (tab switches), and the list and the store are as they were.
  for (const name of ['Data', 'Doses', 'Model'] as const) await openTab(page, name);
  expect(await savedNames(page)).toEqual(['Genuine']);
  expect(await storedModelIds(page)).toEqual(idsBefore);
});

test('decompression-bomb links, at and beyond the length limit, are refused at once; the page answers', async ({ appPage: page }) => {
  await watchLongTasks(page);
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  const problem = page.getByTestId('share-problem');
  for (const link of hostileBombLinks()) {
    const started = await pageNow(page);
    await page.evaluate((fragment) => (window.location.hash = fragment), link.fragment);
    await expect(problem, link.name).toHaveAttribute('role', 'alert');
    await expect(problem, link.name).toContainText('This link is damaged or incomplete');
    await expect(problem, link.name).toContainText('(it is larger than any link this app makes)');
    expect(await longTasksBetween(page, started, await pageNow(page)), `${link.name}: main-thread tasks over ${LONG_TASK_MS} ms`).toEqual(
      [],
    );
    for (const name of ['Model', 'Data'] as const) await openTab(page, name);
    await problem.getByRole('button', { name: 'Dismiss' }).click();
    await expect(problem).toBeHidden();
  }
  // The app still opens a genuine link afterwards.
  await page.evaluate(() => (window.location.hash = 'demo'));
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
});
