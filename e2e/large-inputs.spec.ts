/**
 * A large file keeps the app usable: it is read, stored and drawn off the main thread (the ingest
 * and dataset workers), the tabs answer while it is read, and what a plot draws point by point is
 * thinned with a note. Timings are the benchmark's (bench/main-thread.ts); the one bound here is
 * the generous tab-answer bound of robustness.spec.ts.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { largeNonmemCsv } from '../bench/fixtures/large-nonmem';
import { splitSubjectsCsv } from '../src/testing/hostile-csv';
import { confirmStudy, expect, storedDatasetNames, test } from './fixtures/app-test';

/** 800,000 rows (3,200 subjects, 37 MB): about ten seconds to read, store and draw here. */
const ROWS = 800_000;

async function openTab(page: Page, name: 'Data' | 'Model' | 'Doses'): Promise<number> {
  const clicked = Date.now();
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
  return Date.now() - clicked;
}

test('a large file is read, stored and drawn while the tabs answer; what is thinned for drawing says so', async ({
  appPage: page,
}, testInfo) => {
  test.setTimeout(180_000);
  const large = testInfo.outputPath('large.csv');
  writeFileSync(large, largeNonmemCsv(ROWS, { wide: true }));
  const split = testInfo.outputPath('split.csv');
  writeFileSync(split, splitSubjectsCsv(20_000));
  await page.goto('/');

  await page.getByTestId('file-input').setInputFiles(large);
  await expect(page.getByTestId('ingest-progress')).toBeVisible();
  const answers = [await openTab(page, 'Model'), await openTab(page, 'Doses'), await openTab(page, 'Data')];
  expect(Math.max(...answers), `tab answers while the file is read (ms): ${answers.join(', ')}`).toBeLessThan(2_000);

  await expect(page.getByTestId('dataset-title')).toHaveText('large', { timeout: 90_000 });
  await expect(page.getByTestId('dataset-summary')).toContainText('800,000');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['large']);
  await confirmStudy(page);
  for (const plot of ['group-sizes', 'covariate-BW', 'covariate-COMED', 'pk-time', 'pkpd-hysteresis', 'pd-time', 'subject'])
    await expect(page.locator(`figure[data-plot="${plot}"] svg`).first(), `plot ${plot}`).toBeVisible({ timeout: 60_000 });
  const subject = page.locator('figure[data-plot="subject"]');
  await expect(subject.getByTestId('subject-list-note')).toHaveText('1,000 of 3,200 subjects listed; type an ID to show any other.');
  await subject.getByTestId('subject-id').fill('2345');
  await subject.getByTestId('subject-id').press('Enter');
  await expect(subject.locator('select option:checked')).toContainText('ID 2345');
  const pk = page.locator('figure[data-plot="pk-time"]');
  await pk.getByLabel(/individual/i).check();
  await expect(pk.locator('figcaption')).toContainText('individual curves of 100 of 3,200 subjects (evenly spaced within each group)');

  await openTab(page, 'Model');
  await expect(page.locator('qp-model-view #train-title')).toContainText('large');
  await openTab(page, 'Doses');
  await expect(page.locator('qp-dose-form')).toBeVisible();
  await openTab(page, 'Data');

  await page.getByTestId('file-input').setInputFiles(split);
  await expect(page.getByTestId('dataset-title')).toHaveText('split', { timeout: 90_000 });
  await confirmStudy(page);
  await expect(page.locator('figure[data-plot="covariate-BW"] figcaption')).toContainText(
    'dots: 2,000 of 20,000 subjects, evenly spaced by value within each group',
  );

  await page.reload();
  await expect.poll(() => storedDatasetNames(page)).toEqual(['large', 'split']);
  await page.getByRole('button', { name: 'large', exact: true }).click();
  await expect(page.getByTestId('dataset-title')).toHaveText('large');
  await expect(page.locator('figure[data-plot="pd-time"] svg').first()).toBeVisible({ timeout: 60_000 });
});
