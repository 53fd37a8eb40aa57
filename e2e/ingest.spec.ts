import { largeNonmemCsv } from '../bench/fixtures/large-nonmem';
import { confirmStudy, dropFile, ESTDATA_CSV, expect, storedDatasetNames, test } from './fixtures/app-test';

test('a broken file shows its errors by line and column, and stored data stay unchanged', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');

  const broken = ESTDATA_CSV.replace('\n1,58,0,0,2,16.5747,', '\n1,58,0,0,two,16.5747,');
  await dropFile(page, 'broken.csv', broken);
  const errors = page.getByTestId('ingest-errors');
  await expect(errors).toBeVisible();
  await expect(errors).toContainText('broken.csv was not loaded');
  await expect(errors).toContainText('broken.csv, line 4, column TIME: "two" is not a number');
  await expect(errors).toContainText('Nothing was stored');
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData']);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');

  await dropFile(page, 'trial.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 0x21, 0]));
  await expect(page.getByTestId('ingest-errors')).toContainText('trial.xlsx: this is not a text file');
  await dropFile(page, 'no-time.csv', 'ID,DV\n1,3\n');
  await expect(page.getByTestId('ingest-errors')).toContainText('the required column TIME is missing');

  await page.reload();
  await expect.poll(() => storedDatasetNames(page)).toEqual(['EstData']);
});

test('a tab-separated Monolix-style file with . for missing and no EVID/MDV is accepted', async ({ appPage: page }) => {
  await page.goto('/');
  const rows = ['ID\tTIME\tDV\tAMT\tWT'];
  for (let id = 1; id <= 4; id++) {
    const doses = [0, 24, 48].map((t) => ({ t, row: `${id}\t${t}\t.\t${id * 5}\t${60 + id}` }));
    const samples = [1, 4, 12, 24.5, 49, 72].map((t) => ({
      t,
      row: `${id}\t${t}\t${(id * Math.exp(-t / 100)).toFixed(3)}\t.\t${60 + id}`,
    }));
    rows.push(...[...doses, ...samples].sort((a, b) => a.t - b.t).map((e) => e.row));
  }
  await dropFile(page, 'monolix.txt', rows.join('\n'));

  await expect(page.getByTestId('dataset-title')).toHaveText('monolix');
  await expect(page.getByTestId('dataset-summary')).toContainText('tab-separated, events inferred (no EVID)');
  await confirmStudy(page);
  await expect(page.locator('figure[data-plot="pk-time"] svg').first()).toBeVisible();
  await expect(page.locator('[data-note]').filter({ hasText: /no PD/i }).first()).toBeVisible();
  await expect.poll(() => storedDatasetNames(page)).toEqual(['monolix']);
});

test('a 100,000-row file parses in the worker with a progress bar', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'large.csv', largeNonmemCsv(100_000));
  await expect(page.getByTestId('ingest-progress')).toBeVisible();
  await expect(page.getByTestId('dataset-title')).toHaveText('large', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-summary')).toContainText('100,000');
});
