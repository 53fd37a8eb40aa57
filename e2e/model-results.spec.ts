/**
 * The Model tab's results: the same RMSE in the metrics table and the plot headers, an epochs table
 * that fits a 1366 px wide screen, and results that say which dataset they belong to after another
 * dataset is opened.
 */
import type { Page } from '@playwright/test';
import { dropFile, ESTDATA_CSV, estDataWithoutLastSubject, expect, test } from './fixtures/app-test';
import { trainTiny } from './fixtures/tiny-training';

async function openModelTab(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Model' }).click();
  await expect(page.locator('qp-training-form')).toBeVisible();
}

test('with MC dropout, the PD and PK plot headers give the metrics table’s RMSE; the epochs table fits 1366 px', async ({
  appPage: page,
}, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await openModelTab(page);
  // Patience 1: early stopping, whose long "stopped by" label is what widened the table.
  await trainTiny(page, { mcSamples: 5, epochs: 60, patience: 1 });
  const results = page.getByTestId('model-results');
  await expect(results.getByTestId('predictions')).toHaveAttribute('data-subject-set', 'validation');
  for (const target of ['pk', 'pd']) {
    const table = await results
      .locator(`[data-testid=metrics-table] tr[data-target=${target}][data-set=validation] td[data-metric=rmse]`)
      .innerText();
    const caption = results.locator(`section[data-target=${target}] qp-pred-vs-obs-plot figcaption`);
    await expect(caption, target).toContainText(`RMSE ${table} ng/mL`);
    await expect(caption, target).toContainText('dropout off, as in the metrics table');
    await expect(caption, target).toContainText('points: mean of the MC-dropout samples, RMSE');
  }

  const epochs = results.getByTestId('epochs-table');
  await expect(epochs).toContainText('early stopping (no better validation loss in 1 epoch)');
  await epochs.scrollIntoViewIfNeeded();
  await results.locator('h4', { hasText: 'Training' }).screenshot({ path: testInfo.outputPath('epochs-heading.png') });
  await page.screenshot({ path: testInfo.outputPath('epochs-table-1366.png'), fullPage: false });
  const fits = async (): Promise<void> => {
    const fit = await epochs.evaluate((table) => {
      const wrap = table.parentElement as HTMLElement;
      const last = table.querySelector('thead th:last-child') as HTMLElement;
      return {
        scroll: wrap.scrollWidth,
        client: wrap.clientWidth,
        lastRight: last.getBoundingClientRect().right,
        wrapRight: wrap.getBoundingClientRect().right,
      };
    });
    expect(fit.scroll, 'no horizontal scrolling in the epochs table').toBeLessThanOrEqual(fit.client);
    expect(fit.lastRight, 'the last column is inside the card').toBeLessThanOrEqual(fit.wrapRight + 0.5);
  };
  await fits();
  // The app's largest models have six-digit parameter counts: they fit too.
  await epochs.evaluate((table) => {
    for (const cell of table.querySelectorAll('tbody td:last-child')) cell.textContent = '340,874 (340,298 + 576)';
  });
  await fits();
});

test('after another dataset is opened, the results say by name that they belong to the dataset they were computed on', async ({
  appPage: page,
}) => {
  await page.goto('/');
  await dropFile(page, 'EstData.csv', ESTDATA_CSV);
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await openModelTab(page);
  await trainTiny(page);
  await expect(page.getByTestId('model-results')).toBeVisible();
  await expect(page.getByTestId('other-dataset-results')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Data' }).click();
  await dropFile(page, 'Trial B.csv', estDataWithoutLastSubject());
  await expect(page.getByTestId('dataset-title')).toHaveText('Trial B');
  await openModelTab(page);
  await expect(page.locator('#train-title')).toHaveText('Train a model on “Trial B”');
  const note = page.getByTestId('other-dataset-results');
  await expect(note).toContainText('The results below belong to “EstData”, not to “Trial B” open now');
  await expect(page.getByTestId('model-results')).toBeVisible();

  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'EstData', exact: true }).click();
  await expect(page.getByTestId('dataset-title')).toHaveText('EstData');
  await openModelTab(page);
  await expect(note).toHaveCount(0);
});
