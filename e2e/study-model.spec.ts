/**
 * Networks for any study (issue 12): a file other than EstData, mapped and confirmed, trains in the
 * Model tab through its stored study spec — the training worker reads the spec with the dataset from
 * IndexedDB — and its results speak the study's endpoint and units.
 */
import { readRealDatasetCsv } from '../src/testing/fixture-files';
import { confirmStudy, dropFile, expect, test } from './fixtures/app-test';
import { fillTinyTraining } from './fixtures/tiny-training';

test('theophylline trains a PK network through its study: its endpoint, units and question in the Model tab', async ({ appPage: page }) => {
  await page.goto('/');
  await dropFile(page, 'theo_sd.csv', readRealDatasetCsv('theo_sd'));
  await page.getByTestId('study-mapping').getByLabel('PK name on plots', { exact: true }).fill('Theophylline');
  await confirmStudy(page);

  await page.getByRole('tab', { name: 'Model' }).click();
  const form = page.locator('qp-training-form');
  await expect(form).toBeVisible();
  // The guessed study asks no dose question: no classification head is offered a criterion.
  await expect(form.getByText('Classification head')).toContainText('the study asks no dose question');
  await fillTinyTraining(page, { epochs: 3, encoder: 'mlp' });
  await form.getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('model-notice')).toContainText('Training finished');

  const results = page.getByTestId('model-results');
  const metrics = results.getByTestId('metrics-table');
  // A study without a response endpoint: the PK network alone, named and in mg/L.
  await expect(metrics.locator('tr[data-target=pk][data-set=validation] th')).toContainText('Theophylline, mg/L');
  await expect(metrics.locator('tr[data-target=pd]')).toHaveCount(0);
  await expect(results.getByTestId('epochs-table')).toContainText('PK network');
  await expect(results.getByTestId('epochs-table')).not.toContainText('PD network');
  const pk = results.locator('section[data-target=pk]');
  await expect(pk.getByRole('heading', { name: 'PK: Theophylline' })).toBeVisible();
  await expect(results.locator('section[data-target=pd]')).toHaveCount(0);
  const fit = pk.locator('qp-subject-fit-plot svg[aria-label]').first();
  await expect(fit).toContainText('Theophylline (mg/L)');
  await expect(fit).toContainText('Time (h)');

  // Saved, its row gives the PK RMSE, named, in the unit recorded with the model; nothing on the Model view says ng/mL.
  await results.getByTestId('save-model').click();
  await expect(results.getByTestId('saved-as')).toBeVisible();
  const row = page.getByTestId('saved-model');
  await expect(row).toContainText('val PK (Theophylline) RMSE');
  await expect(row.locator('[data-metric=val-pk-rmse]')).toHaveText(/^\d[\d.,]* mg\/L$/);
  await expect(row.locator('[data-metric=val-pd-rmse]')).toHaveCount(0);
  // (The same query finds the view's mg/L, through its shadow roots.)
  await expect(page.locator('qp-model-view').getByText(/mg\/L/).first()).toBeVisible();
  await expect(page.locator('qp-model-view').getByText(/ng\/mL/)).toHaveCount(0);
});
